"""`coveragebot import`: a JSONL dump streamed in batches, resumable, parsed by worker processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from coveragebot.index.archive.importer import import_dump, read_batches
from coveragebot.index.settings import with_overrides

PLACES = ["Riverside", "Northgate", "Eastbrook", "Hillcrest", "Lakeview", "Westfield", "Oakdale", "Southport"]


def write_dump(path, count: int, bad: int = 0, paragraphs: int = 1) -> None:
    """`count` articles, one JSON object a line, and `bad` lines that are not articles."""
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            place = PLACES[n % len(PLACES)]
            text = (f"The bridge in {place} reopened on day {n} after repairs, officials said. "
                    f"\"Traffic is moving again,\" Mayor Ana Ruiz {n} said. The council approved funds for ward {n}.")
            text = "\n\n".join(text.replace("day", f"day {p} of week") for p in range(paragraphs))
            out.write(json.dumps({"id": f"wire-{n}", "title": f"{place} bridge {n}", "text": text}) + "\n")
            if n == 2:
                out.write("\n")  # blank lines are not articles and not failures
        for n in range(bad):
            out.write("{not json\n")


def test_batches_stream_the_dump_with_their_line_numbers(tmp_path):
    dump = tmp_path / "d.jsonl"
    write_dump(dump, 5)
    batches = read_batches(dump, 2)
    assert next(batches)[0] == 1  # the first batch comes before the rest is read
    # Line 4 is blank: it stays in its batch, so line 5 is still the batch's third.
    assert [(first, [line.strip() != "" for line in lines]) for first, lines in batches] == [
        (3, [True, False, True]), (6, [True])]


async def test_import_adds_each_article_once_and_a_second_run_skips_them(empty_service, tmp_path):
    dump = tmp_path / "wire.jsonl"
    write_dump(dump, 6, bad=1)
    empty_service.settings = with_overrides(empty_service.settings, import_batch_size=4)
    seen = []
    first = await import_dump(empty_service, dump, workers=1, progress=lambda s: seen.append(s.added))
    assert (first.lines, first.added, first.skipped, first.failed) == (7, 6, 0, 1)
    assert first.words > 0 and seen
    assert await empty_service.store.scalar("SELECT count(*) FROM articles /* every workspace */") == 6
    hits = (await empty_service.search("bridge Riverside reopened")).hits
    assert {h.article.key for h in hits} >= {"wire-0"}
    again = await import_dump(empty_service, dump, workers=1)
    assert (again.added, again.skipped, again.failed) == (0, 6, 1)
    assert await empty_service.store.scalar("SELECT count(*) FROM articles /* every workspace */") == 6


async def test_an_article_the_parser_refuses_fails_alone_and_its_batch_is_added(empty_service, tmp_path):
    """A batch is parsed as one stream; an article spaCy refuses (over its length limit)
    breaks that stream, so the batch is analysed again one by one and only it fails."""
    from coveragebot.index.text.pipeline import load_pipeline

    dump = tmp_path / "wire.jsonl"
    write_dump(dump, 3)
    huge = ("Officials met. " * (load_pipeline().max_length // 15 + 1)).strip()
    with dump.open("a", encoding="utf-8") as out:
        out.write(json.dumps({"id": "huge", "title": "Too long", "text": huge}) + "\n")
    empty_service.settings = with_overrides(empty_service.settings, import_batch_size=10)
    summary = await import_dump(empty_service, dump, workers=1)
    assert (summary.added, summary.failed) == (3, 1)
    if not empty_service.settings.storage_url:  # PostgreSQL's job table keeps counts, not messages
        assert summary.failures == ["line 5: huge: too long to parse (1,000,004 characters; at most 1,000,000)"]
    keys = {r[0] for r in await empty_service.store.tuples("SELECT key FROM articles /* every workspace */")}
    assert keys == {"wire-0", "wire-1", "wire-2"}


def test_analysing_a_batch_as_one_stream_gives_what_each_article_alone_gives():
    from coveragebot.index.analysis import analyze_article, analyze_articles
    from coveragebot.index.text.pipeline import load_pipeline
    from coveragebot.index.ingest.articles import articles_from_json
    from tests.conftest import CORPUS

    nlp = load_pipeline()
    articles = [articles_from_json(path.read_text(encoding="utf-8"), path.name, path.stem)[0]
                for path in sorted(CORPUS.glob("*.json"))[:5]]
    assert analyze_articles(nlp, articles) == [analyze_article(nlp, a) for a in articles]


def test_cli_import_prints_a_summary_and_progress(settings, tmp_path):
    dump = tmp_path / "cli.jsonl"
    write_dump(dump, 3)
    env = {**os.environ, "COVERAGEBOT_DB": str(settings.db_path), "COVERAGEBOT_STORAGE_INDEX": str(settings.index_path),
           "COVERAGEBOT_DATABASE_URL": settings.storage_url, "COVERAGEBOT_STORAGE_SEED_ON_FIRST_USE": "0"}
    done = subprocess.run([sys.executable, "-m", "coveragebot.bot.terminal.cli", "import", str(dump), "--workers", "1", "--json"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["added"] == 3
    assert "import: " in done.stderr


def test_cli_import_names_the_lines_that_failed(sqlite_settings, tmp_path):
    dump = tmp_path / "bad.jsonl"
    write_dump(dump, 1)
    with dump.open("a", encoding="utf-8") as out:
        out.write("not json\n")
        out.write(json.dumps({"id": "empty", "title": "Empty", "text": "   "}) + "\n")
    env = {**os.environ, "COVERAGEBOT_DB": str(sqlite_settings.db_path), "COVERAGEBOT_STORAGE_SEED_ON_FIRST_USE": "0"}
    done = subprocess.run([sys.executable, "-m", "coveragebot.bot.terminal.cli", "import", str(dump), "--workers", "1"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 1
    assert "1 added, 0 already indexed, 2 failed" in done.stdout
    failures = [line for line in done.stderr.splitlines() if line.startswith("  failed: ")]
    assert failures[0] == "  failed: bad.jsonl line 2: not valid JSON (Expecting value: line 1 column 1 (char 0))"
    assert "line 3" in failures[1] and "Traceback" not in done.stderr
