"""Workspaces in the store and the service: each newsroom's coverage apart, on both backends.

Every read a member or moderator can make is tried from one workspace at another's
data; ids of another workspace answer exactly as ids that never existed.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import asyncpg
import pytest

from coveragebot.index.commands import Origin, complete_articles, complete_speakers, flag_answer, run
from coveragebot.index.ingest.articles import Article
from coveragebot.index.settings import load_settings
from coveragebot.index.storage.postgres import PostgresStore
from coveragebot.index.storage.schema import SCHEMA_VERSION
from coveragebot.index.storage.schema_postgres import MIGRATIONS as POSTGRES_MIGRATIONS
from coveragebot.index.storage.store import EVERY_WORKSPACE, SCOPED_TABLES, Store, UnscopedQuery
from coveragebot.index.workspaces import Workspaces

RELEASE_DB = Path(__file__).resolve().parents[1] / "data" / "release" / "coveragebot-2026-12-06.db"

HARBOUR = Article("harbour", "Harbour strike ends", (
    "The union sanctioned the harbour board on Friday, said Maria Alvarez.\n\n"
    "\u201cWe will not go back to the docks,\u201d Alvarez said."), author="Ana Rojas", outlet="Harbour Times")
MINE = Article("mine", "Mine closure ordered", (
    "The ministry sanctioned the mining company on Monday, said Jonas Berg.\n\n"
    "\u201cThe mine stays closed until the inspectors return,\u201d Berg said."), author="Per Holm", outlet="Valley Post")


HARBOUR_ONLY = ("Harbour strike ends", "Harbour Times", "Ana Rojas", "Maria", "Alvarez", "docks", "union")
VALLEY_ONLY = ("Mine closure ordered", "Valley Post", "Per Holm", "Jonas", "Berg", "inspectors", "ministry")


def text_of(answer) -> str:
    """Everything an answer would show, as one string."""
    return repr(answer)


@pytest.fixture
async def two_newsrooms(settings):
    workspaces = await Workspaces.open(settings, seed=False)
    harbour, valley = await workspaces.service("harbour"), await workspaces.service("valley")
    [added] = await harbour.add_articles([HARBOUR], actor="test")
    [other] = await valley.add_articles([MINE], actor="test")
    assert added.status == other.status == "added"
    yield workspaces, harbour, valley
    await workspaces.close()


async def test_no_answer_of_one_workspace_draws_on_another(two_newsrooms):
    _, harbour, valley = two_newsrooms
    origin = Origin()
    for command in ("!search sanctioned", "!sources", "!who sanctioned", "!quotes Berg", "!quotes Alvarez",
                    "!people", "!search mine", "!search docks", "!search Valley Post", "!context 1", "!context 3"):
        for service, foreign in ((harbour, VALLEY_ONLY), (valley, HARBOUR_ONLY)):
            shown = text_of(await run(service, command, origin))
            # What the other newsroom's article holds, less what the question itself says.
            leaked = [w for w in foreign if w in shown and w.lower() not in command.lower()]
            assert not leaked, (command, service.store.workspace, leaked)
    assert "Alvarez" in text_of(await run(harbour, "!quotes Alvarez", origin))
    assert "ministry" in text_of(await run(valley, "!who sanctioned", origin))
    assert await complete_speakers(harbour, "") == ["Maria Alvarez"]
    assert [label for label, _ in await complete_articles(valley, "")] == [f"#{valley_id(valley)} Mine closure ordered"]
    assert await harbour.suggest("mininng") == []


def valley_id(service) -> int:
    return next(iter(service.index.article_counts()))


async def test_an_id_of_another_workspace_is_not_found_like_one_that_never_was(two_newsrooms):
    _, harbour, valley = two_newsrooms
    origin = Origin()
    [mine_id] = await valley.store.article_ids()
    [passage] = [s.id for s in await valley.store.sentences_of(mine_id)][:1]
    [statement] = [r[0] for r in await valley.store.tuples(
        "SELECT id FROM statements WHERE workspace = ? ORDER BY id LIMIT 1", (valley.store.workspace,))]
    never = 999_999
    for template in ("!context {}", "!remove {}", "!fix speaker {} Someone", "!fix hide statement {}",
                     "!search in:{} mine"):
        theirs = await run(harbour, template.format(passage if "context" in template else
                                                    statement if "fix" in template else mine_id), origin)
        missing = await run(harbour, template.format(never), origin)
        assert text_of(theirs).replace(str(passage), "N").replace(str(statement), "N").replace(str(mine_id), "N") \
            == text_of(missing).replace(str(never), "N"), template
    assert (await flag_answer(harbour, await valley.log_query({"frontend": "cli", "command": "search"}), origin)).ok is False
    # Nothing of the other workspace changed.
    assert await valley.store.article_ids() == [mine_id]
    assert await valley.store.corrections() == []
    assert "Berg" in text_of(await run(valley, "!quotes Berg", origin))


async def test_stats_and_export_count_only_their_own_workspace(two_newsrooms):
    _, harbour, valley = two_newsrooms
    for _ in range(3):
        await run(valley, "!search mine", Origin())
    await run(harbour, "!search docks", Origin())
    stats = await run(harbour, "!stats export 30d", Origin())
    assert "docks" in stats.csv and "mine" not in stats.csv
    gaps = text_of(await run(harbour, "!stats 30d", Origin()))
    assert "mine" not in gaps


async def test_moderators_fixes_and_reindex_stay_in_their_workspace(two_newsrooms):
    _, harbour, valley = two_newsrooms
    await run(harbour, "!fix merge Alvarez into Maria Alvarez", Origin())
    await run(harbour, "!fix hide agent ministry", Origin())
    await run(harbour, "!reindex", Origin())
    assert "ministry" in text_of(await run(valley, "!who sanctioned", Origin()))
    assert await valley.store.corrections() == []
    assert [r["action"] for r in await valley.store.rows(
        "SELECT action FROM audit WHERE workspace = ?", (valley.store.workspace,))] == ["add"]


async def test_a_query_that_names_no_workspace_is_refused_before_it_runs(two_newsrooms):
    _, harbour, _ = two_newsrooms
    with pytest.raises(UnscopedQuery):
        await harbour.store.rows("SELECT id FROM articles")
    with pytest.raises(UnscopedQuery):
        await harbour.store.execute("DELETE FROM sentences WHERE id = ?", (1,))
    assert await harbour.store.scalar("SELECT count(*) FROM articles" + EVERY_WORKSPACE) == 2


async def test_every_table_of_workspace_data_has_the_column_and_an_index_led_by_it(settings):
    workspaces = await Workspaces.open(settings, seed=False)
    store = workspaces.store
    try:
        for table in SCOPED_TABLES:
            if isinstance(store, PostgresStore):
                columns = {r[0] for r in await store.rows(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ?", (table,))}
                led = await store.scalar(
                    "SELECT count(*) FROM pg_indexes WHERE tablename = ? AND indexdef LIKE '%(workspace%'", (table,))
            elif table in ("changes", "import_jobs", "cooldown_hits"):
                continue  # only a shared store has these; SQLite counts cooldowns in memory
            else:
                columns = {r[1] for r in await store.rows(f"PRAGMA table_info({table})")}
                indexes = [r[1] for r in await store.rows(f"PRAGMA index_list({table})")]
                led = 0
                for name in indexes:
                    led += (await store.rows(f"PRAGMA index_info({name})"))[0][2] == "workspace"
            assert "workspace" in columns and led, table
    finally:
        await workspaces.close()


async def test_a_database_made_by_the_release_before_workspaces_migrates_into_default(tmp_path):
    path = tmp_path / "old.db"
    shutil.copy(RELEASE_DB, path)
    old_version = sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0]
    assert old_version < SCHEMA_VERSION
    workspaces = await Workspaces.open(load_settings(env={}, storage_db=str(path)))
    try:
        await _answers_as_before(workspaces)
    finally:
        await workspaces.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    for table in ("articles", "sentences", "statements", "people", "name_forms", "query_log", "corrections"):
        assert {r[0] for r in db.execute(f"SELECT DISTINCT workspace FROM {table}")} == {"default"}, table
    # Each identity counts its statements as !quotes lists them (a repeated paragraph once).
    counted = db.execute(
        "SELECT p.statements, (SELECT count(*) FROM (SELECT DISTINCT st.article_id, st.kind, st.text"
        " FROM statements st JOIN name_forms f ON f.id = st.form_id WHERE f.person_id = p.id)) FROM people p").fetchall()
    assert counted and all(stored == said for stored, said in counted)


async def test_a_postgres_database_of_the_release_before_workspaces_migrates_into_default(postgres_server, tmp_path):
    """The release's rows (from its SQLite file) in a PostgreSQL database at its schema version."""
    source = sqlite3.connect(RELEASE_DB)
    old_version = source.execute("PRAGMA user_version").fetchone()[0]
    url = postgres_server.new_database()
    try:
        conn = await asyncpg.connect(url)
        for script in POSTGRES_MIGRATIONS[:old_version]:
            await conn.execute(script)
        await conn.execute(f"CREATE TABLE schema_version (version INTEGER NOT NULL); "
                           f"INSERT INTO schema_version VALUES ({old_version})")
        await conn.execute("ALTER TABLE articles DISABLE TRIGGER articles_changed")
        order = ["articles", "sentences", "query_log", "audit", "vocabulary", "people", "name_forms", "person_words",
                 "statements", "actions", "action_keys", "page_turns", "article_versions", "corrections", "flags",
                 "who_agents"]
        for table in order:
            cursor = source.execute(f"SELECT * FROM {table}")
            names = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
            if rows:
                quoted = ", ".join(f'"{n}"' for n in names)
                marks = ", ".join(f"${i + 1}" for i in range(len(names)))
                await conn.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", rows)
            if "id" in names:
                await conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                                   f" (SELECT coalesce(max(id), 1) FROM {table}))")
        await conn.execute("ALTER TABLE articles ENABLE TRIGGER articles_changed")
        await conn.close()
        settings = load_settings(env={}, storage_url=url, storage_index=str(tmp_path / "replica.index"))
        workspaces = await Workspaces.open(settings)
        try:
            assert await workspaces.store.schema_version() == SCHEMA_VERSION
            await _answers_as_before(workspaces)
        finally:
            await workspaces.close()
    finally:
        postgres_server.drop_database(url)


async def _answers_as_before(workspaces) -> None:
    """The release's coverage answers from `default`, and from no other workspace."""
    default = workspaces.default
    assert (await default.search("sanctions")).hits
    assert "Petro" in text_of(await run(default, "!quotes Petro", Origin()))
    # Statements stored before their index terms were kept get them at the first open.
    assert await default.store.scalar("SELECT count(*) FROM statements WHERE terms IS NULL /* every workspace */") == 0
    assert (await run(default, "!quotes Petro about sanctions", Origin())).statements
    assert "speaker" in text_of(await run(default, "!fix list", Origin()))
    assert await default.store.scalar("SELECT count(*) FROM query_log WHERE workspace = 'default'") > 0
    # The seed articles were added when that file was new: not again.
    assert len(await default.store.article_ids()) == 2
    other = await workspaces.service("server-1")
    assert not (await other.search("sanctions")).hits
    assert await other.store.article_ids() == []


async def test_log_retention_reaches_a_workspace_nobody_asks_in_any_more(two_newsrooms):
    _, harbour, valley = two_newsrooms
    await valley.store.log_query({"frontend": "discord", "command": "search", "query": "old question"})
    await valley.store.execute("UPDATE query_log SET at = '2020-01-01T00:00:00.000Z' WHERE workspace = ?",
                               (valley.store.workspace,))
    await harbour.store.prune_log(90)  # only the harbour newsroom is active
    assert await valley.store.scalar("SELECT count(*) FROM query_log WHERE workspace = ?",
                                     (valley.store.workspace,)) == 0


async def test_another_process_follows_each_workspace_s_changes_into_that_workspace_s_index(postgres_settings, tmp_path):
    from coveragebot.index.settings import with_overrides

    here = await Workspaces.open(postgres_settings, seed=False)
    there = await Workspaces.open(with_overrides(postgres_settings, storage_index=str(tmp_path / "there.index")),
                                  seed=False)
    try:
        harbour_there, default_there = await there.service("harbour"), there.default
        await (await here.service("harbour")).add_articles([HARBOUR], actor="test")
        # Woken by NOTIFY, or caught up here: either way the other process's index has it.
        await harbour_there.catch_up()
        assert (await harbour_there.search("docks")).hits
        assert harbour_there.replica.applied == 1
        assert await default_there.catch_up() == 0 and default_there.replica.applied == 0
        assert not (await default_there.search("docks")).hits
    finally:
        await here.close()
        await there.close()
