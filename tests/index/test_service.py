"""The service and command layer on a real store (SQLite file, PostgreSQL database) and real spaCy."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest

from coveragebot.index.ingest.articles import Article
from coveragebot.index.ingest.loaders import load_article_file
from coveragebot.index.commands import Origin, run
from coveragebot.index.service import SEED_OUTLET, Service
from coveragebot.index.storage.store import SCHEMA_VERSION
from tests.conftest import CORPUS

CLI = Origin(frontend="cli", actor="test")


async def test_fresh_store_serves_both_seed_articles(service):
    answer = await run(service, "!search sanctions", CLI)
    keys = {hit.article.key for hit in answer.hits}
    assert keys == {"000_17be2d3fc3a7a9ed", "004_c9b221dd130e149a"}
    # The seeds came without an outlet or URL: they say what they are instead.
    assert all(hit.article.outlet == SEED_OUTLET and hit.article.url == "" for hit in answer.hits)


async def test_inflections_and_accents_match(service):
    sanctioned = await run(service, "!search sanctioned", CLI)
    assert any("sanctions" in hit.text for hit in sanctioned.hits)
    bogota = await run(service, "!search Bogota", CLI)
    assert bogota.hits and all("Bogotá" in hit.text for hit in bogota.hits)


async def test_query_words_are_highlighted_by_span(service):
    answer = await run(service, "!search cocaine production", CLI)
    hit = answer.hits[0]
    assert [hit.text[a:b] for a, b in hit.highlights][:2] == ["cocaine", "production"]


async def test_find_is_search(service):
    assert (await run(service, "!find sanctions", CLI)).result_ids == (await run(service, "!search sanctions", CLI)).result_ids


@pytest.mark.parametrize("line,level,start", [
    ("!search", "usage", "Usage: `!search <words>`"),
    ("!search    ", "usage", "Usage: `!search <words>`"),
    ("!search ?!…", "usage", "Search for words"),
    ("!search " + "a" * 501, "refusal", "That query is 501 characters; the limit is 500."),
    ("!serch sanctions", "usage", "Unknown command `serch`. Did you mean `!search`?"),
    ("", "usage", "Type a command"),
    ("!context abc", "usage", "Usage: `!context <passage id>`"),
    ("!context 999999", "refusal", "There is no passage #999999."),
])
async def test_bad_input_gets_one_line(service, line, level, start):
    answer = await run(service, line, CLI)
    assert answer.level == level
    assert answer.text.startswith(start)
    assert "\n" not in answer.text


async def test_no_result_suggests_close_indexed_words(service):
    answer = await run(service, "!search sanctons", CLI)
    assert answer.hits == () and "sanctions" in answer.suggestions


async def test_sources_list_ids_keys_and_counts(service):
    answer = await run(service, "!sources", CLI)
    rows = {row.article.key: row for row in answer.sources}
    assert rows["004_c9b221dd130e149a"].sentences == 16
    assert rows["000_17be2d3fc3a7a9ed"].article.title.startswith("Colombian President Gustavo Petro")


async def test_context_shows_neighbours_in_order(service):
    hit = (await run(service, "!search cocaine production", CLI)).hits[0]
    context = await run(service, f"!context {hit.passage_id}", CLI)
    positions = [p.position for p in context.passages]
    assert positions == sorted(positions) and hit.position in positions and len(positions) == 5


async def test_every_command_is_logged_with_its_results(service):
    await run(service, "!search cocaine", CLI)
    await run(service, "!nonsense", CLI)
    await run(service, "!search", CLI)
    rows = await service.store.rows("SELECT * FROM query_log ORDER BY id /* every workspace */")
    assert [(r["command"], r["query"], r["frontend"]) for r in rows] == [
        ("search", "cocaine", "cli"), ("unknown", "!nonsense", "cli"), ("search", "", "cli")]
    first = rows[0]
    assert first["result_count"] >= 1 and first["latency_ms"] > 0
    assert json.loads(first["result_ids"]) and first["ok"] == 1
    # An unknown command and a bare `!search` (a usage hint) did not do what was asked.
    assert rows[1]["ok"] == 0 and rows[2]["ok"] == 0 and rows[2]["error"].startswith("usage: Usage:")


async def test_added_article_is_searchable_and_removal_is_total(empty_service):
    service = empty_service
    article = Article("harbour", "Harbour strike", "Dockworkers in Valparaíso stopped work on Monday. "
                      "The union said the strike would last a week.", outlet="Port Gazette")
    [added] = await service.add_articles([article], actor="test")
    assert added.status == "added" and added.sentences == 2
    hits = (await run(service, "!search Valparaiso dockworkers", CLI)).hits
    assert hits and hits[0].article.outlet == "Port Gazette"
    answer = await run(service, f"!remove {added.article.id}", CLI)
    assert answer.article.id == added.article.id
    assert (await run(service, "!search Valparaiso", CLI)).hits == ()
    assert await service.store.scalar("SELECT count(*) FROM sentences /* every workspace */") == 0
    audit = await service.store.rows("SELECT actor, action FROM audit ORDER BY id /* every workspace */")
    assert [(r["actor"], r["action"]) for r in audit] == [("test", "add"), ("test", "remove")]


async def test_duplicates_are_not_stored_twice(empty_service):
    article = Article("a", "T", "Same body text here. Second sentence.")
    again = Article("b", "Other title", "  same BODY text here.\n\nSecond   sentence. ")
    first, second = await empty_service.add_articles([article, again], actor="test")
    assert first.status == "added"
    assert second.status == "duplicate" and f"#{first.article.id}" in second.message
    assert await empty_service.store.scalar("SELECT count(*) FROM articles /* every workspace */") == 1


async def test_article_is_stored_whole_or_not_at_all(empty_service, monkeypatch):
    service = empty_service

    def broken_index(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(service.index, "replace_articles", broken_index)
    [outcome] = await service.add_articles([Article("x", "X", "A body. Another sentence.")], actor="test")
    assert outcome.status == "failed"
    for table in ("articles", "sentences", "statements", "actions"):
        assert await service.store.scalar(f"SELECT count(*) FROM {table} /* every workspace */") == 0


async def test_every_shared_corpus_article_ingests(empty_service):
    articles = [a for path in sorted(CORPUS.glob("*.json")) for a in load_article_file(path)]
    outcomes = await empty_service.add_articles(articles, actor="test")
    assert [o.status for o in outcomes] == ["added"] * len(articles)
    indexed = empty_service.index.doc_count()
    stored = await empty_service.store.scalar("SELECT count(*) FROM sentences WHERE heading = 0 /* every workspace */")
    assert indexed == stored > 100


async def test_schema_is_versioned(service):
    assert await service.store.schema_version() == SCHEMA_VERSION


async def test_sqlite_schema_is_versioned_and_in_wal_mode(sqlite_settings):
    settings = sqlite_settings
    await (await Service.open(settings, seed=False)).close()
    con = sqlite3.connect(settings.db_path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


async def test_older_sqlite_schema_is_migrated(sqlite_settings):
    from coveragebot.index.storage.store import MIGRATIONS

    settings = sqlite_settings
    settings.db_path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(settings.db_path)
    con.executescript(MIGRATIONS[0] + "; PRAGMA user_version = 1;")
    con.close()
    service = await Service.open(settings)
    try:
        assert await service.store.schema_version() == SCHEMA_VERSION
        assert (await run(service, "!search sanctions", CLI)).hits
    finally:
        await service.close()


async def test_index_is_repaired_from_the_store(service, settings):
    # Simulate a crash between the store's commit and the index's: the index lost an article.
    await service.close()
    from coveragebot.index.search.bm25 import SentenceIndex

    SentenceIndex(settings.index_path).replace_articles(remove=[2])
    reopened = await Service.open(settings)
    try:
        keys = {h.article.key for h in (await run(reopened, "!search sanctions", CLI)).hits}
        assert "004_c9b221dd130e149a" in keys
    finally:
        await reopened.close()


def test_restart_answers_without_loading_spacy(settings, tmp_path):
    db = str(settings.db_path)
    script = (
        "import asyncio, sys\n"
        "from coveragebot.index.service import Service\n"
        "from coveragebot.index.commands import run, Origin\n"
        "from coveragebot.index.settings import load_settings\n"
        f"s = load_settings(env={{}}, storage_db={db!r}, storage_url={settings.storage_url!r})\n"
        "async def main(first):\n"
        "    svc = await Service.open(s)\n"
        "    a = await run(svc, '!search sanctions', Origin())\n"
        "    await svc.close()\n"
        "    print(len(a.hits), 'spacy' in sys.modules)\n"
        "asyncio.run(main(True))\n"
    )
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert first.stdout.split()[1] == "True"  # the first run parsed the seeds
    second = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    count, loaded = second.stdout.split()
    assert int(count) > 0 and loaded == "False"


async def test_adding_does_not_block_the_event_loop(empty_service):
    import asyncio
    import time

    body = " ".join(
        f"Officials in district {i} said the flood barrier held overnight, and residents returned home." for i in range(400)
    )
    gaps = []

    async def ticker():
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.01)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    ticking = asyncio.create_task(ticker())
    started = time.perf_counter()
    [outcome] = await empty_service.add_articles([Article("flood", "Flood", body)], actor="test")
    took = time.perf_counter() - started
    ticking.cancel()
    assert outcome.status == "added" and took > 0.3
    # spaCy ran in a thread: the loop kept ticking (a blocked loop shows one gap as long as the add).
    assert max(gaps) < took / 2
