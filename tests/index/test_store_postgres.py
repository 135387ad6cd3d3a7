"""What only the PostgreSQL store has: placeholders, versioned migrations, errors, the change sequence."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from coveragebot.index.ingest.articles import Article
from coveragebot.index.storage.schema import MIGRATIONS as SQLITE_MIGRATIONS
from coveragebot.index.storage.schema_postgres import MIGRATIONS
from coveragebot.index.service import Service
from coveragebot.index.settings import load_settings
from coveragebot.index.storage.store import StoreError
from coveragebot.index.storage.postgres import PostgresStore, numbered, redacted


def test_one_version_number_means_the_same_tables_in_both_backends():
    assert len(MIGRATIONS) == len(SQLITE_MIGRATIONS)


@pytest.mark.parametrize("sqlite, postgres", [
    ("SELECT * FROM t WHERE a = ? AND b IN (?,?)", "SELECT * FROM t WHERE a = $1 AND b IN ($2,$3)"),
    ("SELECT '?' AS mark, \"end\" FROM t WHERE c = ?", "SELECT '?' AS mark, \"end\" FROM t WHERE c = $1"),
    ("SELECT 1", "SELECT 1"),
])
def test_placeholders_are_numbered_outside_quoted_text(sqlite, postgres):
    assert numbered(sqlite) == postgres


def test_passwords_never_reach_a_message():
    assert redacted("postgresql://bot:hunter2@db.example:5432/news") == "postgresql://bot:***@db.example:5432/news"
    assert redacted("postgresql://bot@db/news") == "postgresql://bot@db/news"


async def test_an_older_database_is_migrated_and_answers(postgres_server):
    url = postgres_server.new_database()
    try:
        conn = await asyncpg.connect(url)
        await conn.execute(MIGRATIONS[0])
        await conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1)")
        await conn.close()
        service = await Service.open(load_settings(env={}, storage_url=url, storage_index=""), seed=True)
        try:
            assert await service.store.schema_version() == len(MIGRATIONS)
            assert (await service.search("sanctions")).hits
        finally:
            await service.close()
    finally:
        postgres_server.drop_database(url)


async def test_processes_starting_together_migrate_once(postgres_server):
    url = postgres_server.new_database()
    try:
        stores = await asyncio.gather(*(PostgresStore.open(url) for _ in range(4)))
        assert {await s.schema_version() for s in stores} == {len(MIGRATIONS)}
        for store in stores:
            await store.close()
    finally:
        postgres_server.drop_database(url)


async def test_an_unreachable_server_is_one_line_naming_it_without_the_password(postgres_server):
    url = f"postgresql://bot:hunter2@127.0.0.1:{postgres_server.port + 1}/nowhere"
    with pytest.raises(StoreError) as refused:
        await PostgresStore.open(url)
    assert "bot:***@127.0.0.1" in str(refused.value) and "hunter2" not in str(refused.value)
    assert "\n" not in str(refused.value)


async def test_adds_and_removes_enter_the_change_sequence_in_commit_order(postgres_service):
    [added] = await postgres_service.add_articles([Article("a", "Flood", "The barrier held overnight, officials said.")], "t")
    await postgres_service.remove_article(added.article.id, "t")
    changes = await postgres_service.store.rows("SELECT seq, article_id, kind FROM changes ORDER BY seq /* every workspace */")
    assert [(r["article_id"], r["kind"]) for r in changes] == [(added.article.id, "add"), (added.article.id, "remove")]
    assert changes[0]["seq"] < changes[1]["seq"]


async def test_nul_characters_are_dropped_not_refused(postgres_service):
    [added] = await postgres_service.add_articles([Article("nul", "Nul\x00", "The barrier\x00 held overnight, officials said.")], "t")
    assert added.status == "added" and "\x00" not in added.article.title


async def test_a_users_cooldown_is_counted_across_processes(postgres_settings):
    # Two stores on one database stand for two bot processes answering the same user.
    first, second = await PostgresStore.open(postgres_settings.storage_url), await PostgresStore.open(
        postgres_settings.storage_url)
    try:
        assert await first.take_cooldown("user:1", 2, 30) == 0
        assert await second.take_cooldown("user:1", 2, 30) == 0
        wait = await first.take_cooldown("user:1", 2, 30)
        assert 29 < wait <= 30
        assert await second.take_cooldown("user:2", 2, 30) == 0  # someone else is not slowed
        await asyncio.sleep(0.05)
        assert await second.take_cooldown("user:1", 2, 0.01) == 0  # a window that has passed frees the user
    finally:
        await first.close()
        await second.close()


async def test_the_query_log_of_several_processes_is_one_log(postgres_settings):
    first, second = await PostgresStore.open(postgres_settings.storage_url), await PostgresStore.open(
        postgres_settings.storage_url)
    try:
        ids = await asyncio.gather(*(store.log_query({"frontend": "discord", "command": "search", "query": f"q{n}",
                                                      "guild_id": 7, "user_id": 9})
                                     for n in range(10) for store in (first, second)))
        assert len(set(ids)) == 20
        rows = await first.rows("SELECT guild_id, user_id FROM query_log /* every workspace */")
        assert {tuple(r) for r in rows} == {("7", "9")}
    finally:
        await first.close()
        await second.close()


async def test_hashed_user_ids_agree_across_processes_on_other_machines(postgres_settings, tmp_path):
    from coveragebot.index.privacy import hash_id
    from coveragebot.index.settings import with_overrides

    # Two processes whose local data folders differ, as on two machines.
    here = with_overrides(postgres_settings, privacy_hash_user_ids=True, storage_db=str(tmp_path / "a" / "x.db"))
    there = with_overrides(here, storage_db=str(tmp_path / "b" / "x.db"), storage_index=str(tmp_path / "b" / "i"))
    first = await Service.open(here)
    try:
        hashed_here = hash_id("417", here)
        second = await Service.open(there)
        await second.close()
        assert hash_id("417", there) == hashed_here
        assert not (tmp_path / "b" / "x.db.salt").exists()
    finally:
        await first.close()
