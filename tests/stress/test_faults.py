"""Faults around the engine: disk and database, Discord's HTTP layer, load, log retention.

A database that is read-only, full or locked gives one clear line (StoreError at start-up,
a failed outcome or Notice per command), never a traceback or a silent empty answer; a
corrupt index snapshot is rebuilt from the store; a Discord send that fails leaves the
bot answering and marks its query-log row; the soak finds no error and one log row per
command; old query-log rows are pruned at start-up.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import discord
import discord.ext.test as dpytest
import pytest
from discord.ext import commands
from discord.ext.test import backend

from benchmarks.soak import soak
from coveragebot.index.answers import SearchAnswer
from coveragebot.index.commands import Origin, run
from coveragebot.index.ingest.items import Item
from coveragebot.index.service import Service
from coveragebot.index.settings import load_settings
from coveragebot.index.storage.store import StoreError
from tests.bot.fixtures import log_rows
from tests.conftest import CORPUS

ROOT = Path(__file__).resolve().parents[2]
ORIGIN = Origin(frontend="faults", user_id="5", actor="faults")
ARTICLE = CORPUS / "06_bloomberg-job-woes.json"


def settings_for(db: Path, **overrides):
    return load_settings(env={}, storage_db=str(db), **overrides)


async def seeded(db: Path) -> Path:
    service = await Service.open(settings_for(db))
    await service.close()
    return db


@contextlib.contextmanager
def read_only(*paths: Path):
    """Make files or folders unwritable; as root (which ignores modes) also immutable."""
    immutable = os.geteuid() == 0
    # Root ignores file modes, so as root the files are made immutable too (chattr is
    # in e2fsprogs, on every Debian machine this project runs on): a requirement, not optional.
    assert not immutable or shutil.which("chattr"), "as root this test needs chattr (e2fsprogs)"
    modes = {p: p.stat().st_mode for p in paths}
    for p in paths:
        p.chmod(0o555 if p.is_dir() else 0o444)
    if immutable:
        done = subprocess.run(["chattr", "+i", *map(str, paths)], capture_output=True)
        assert done.returncode == 0, f"chattr +i failed: {done.stderr.decode().strip()}"
    try:
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", *map(str, paths)], check=True)
        for p, mode in modes.items():
            p.chmod(mode)


def assert_one_line(text: str) -> None:
    assert text.strip() and "\n" not in text.strip() and "Traceback" not in text, text


async def table_counts(service: Service) -> dict[str, int]:
    out = {t: await service.store.scalar(f"SELECT count(*) FROM {t} /* every workspace */")
           for t in ("articles", "sentences", "statements", "actions", "vocabulary")}
    out["indexed"] = service.index.doc_count()
    return out


# -- read-only -------------------------------------------------------------------------

async def test_new_database_in_read_only_folder_is_refused_in_one_line(tmp_path):
    folder = tmp_path / "locked-folder"
    folder.mkdir()
    with read_only(folder):
        with pytest.raises(StoreError) as refused:
            await Service.open(settings_for(folder / "coverage.db"))
    assert_one_line(str(refused.value))
    assert str(folder / "coverage.db") in str(refused.value)
    assert "writable" in str(refused.value)


async def test_read_only_database_file_is_one_line_from_the_terminal(tmp_path):
    db = await seeded(tmp_path / "coverage.db")
    with read_only(db):
        env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGEBOT_")}
        done = subprocess.run([sys.executable, "-m", "coveragebot.bot.terminal.cli", "--db", str(db), "ask", "!search sanctions"],
                              capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert done.returncode == 78, done.stderr
    assert_one_line(done.stderr)
    assert done.stderr.startswith("coveragebot: ") and "read-only" in done.stderr


# -- full ----------------------------------------------------------------------------

async def test_full_database_refuses_the_add_in_one_line_and_keeps_answering(service):
    before = await table_counts(service)
    expected = [h.passage_id for h in (await service.search("sanctions")).hits]
    pages = await service.store.scalar("PRAGMA page_count")
    await service.store.db.execute(f"PRAGMA max_page_count = {pages + 2}")
    try:
        [outcome] = await service.add_items([Item(ARTICLE.name, "path", str(ARTICLE))], actor="faults")
        assert outcome.status == "failed"
        assert_one_line(outcome.message)
        assert "database is full" in outcome.message
        assert await table_counts(service) == before  # nothing half-stored, nothing half-indexed
        answer = await run(service, "!search sanctions", ORIGIN)
        assert isinstance(answer, SearchAnswer) and [h.passage_id for h in answer.hits] == expected
    finally:
        await service.store.db.execute("PRAGMA max_page_count = 1073741823")
    # No transaction was left open: the same add now goes through.
    [outcome] = await service.add_items([Item(ARTICLE.name, "path", str(ARTICLE))], actor="faults")
    assert outcome.status == "added", outcome.message


# -- locked --------------------------------------------------------------------------

def hold_exclusive(db: Path, seconds: float, held: threading.Event) -> threading.Thread:
    """Another program's connection holding BEGIN EXCLUSIVE for `seconds`."""

    def hold() -> None:
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        held.set()
        time.sleep(seconds)
        conn.execute("ROLLBACK")
        conn.close()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    held.wait(10)
    return thread


async def test_a_briefly_locked_database_is_waited_for(tmp_path):
    db = await seeded(tmp_path / "coverage.db")
    service = await Service.open(settings_for(db))
    try:
        held = threading.Event()
        thread = hold_exclusive(db, 1.0, held)
        started = time.monotonic()
        answer = await run(service, "!search sanctions", ORIGIN)  # reads go on; its log row waits
        [outcome] = await service.add_items([Item(ARTICLE.name, "path", str(ARTICLE))], actor="faults")
        thread.join()
        assert isinstance(answer, SearchAnswer) and answer.hits
        assert outcome.status == "added", outcome.message
        assert time.monotonic() - started >= 0.9
        assert await service.store.scalar("SELECT count(*) FROM query_log WHERE frontend = 'faults' /* every workspace */") == 1
    finally:
        await service.close()


async def test_a_database_locked_past_the_timeout_is_one_line_at_startup(tmp_path):
    db = await seeded(tmp_path / "coverage.db")
    held = threading.Event()
    thread = hold_exclusive(db, 12.0, held)  # longer than the store's 10 s busy timeout
    try:
        with pytest.raises(StoreError) as refused:
            await Service.open(settings_for(db))
    finally:
        thread.join()
    assert_one_line(str(refused.value))
    assert "locked" in str(refused.value)


# -- corrupt index -------------------------------------------------------------------

def corrupt(index_dir: Path, which: str) -> None:
    for f in index_dir.iterdir():
        if f.is_dir() or f.name.endswith(".lock"):
            continue
        hit = (which == "everything" or (which == "meta" and f.name == "meta.json")
               or (which == "marker" and f.name == "coveragebot.json")
               or (which == "segments" and f.suffix not in {".json"}))
        if hit:
            f.write_bytes(os.urandom(max(f.stat().st_size, 64)))


def ranked(hits) -> list[tuple[float, int]]:
    # Equal scores may come back in another order from a rebuilt index.
    return sorted((-round(h.score, 4), h.passage_id) for h in hits)


def copy_closed(db: Path, target: Path) -> Path:
    """The database and its index folder, copied as files at rest (as a disk holds them)."""
    target.mkdir()
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{db}{suffix}").exists():
            shutil.copy(f"{db}{suffix}", target / f"{db.name}{suffix}")
    shutil.copytree(settings_for(db).index_path, settings_for(target / db.name).index_path)
    return target / db.name


@pytest.mark.parametrize("which", ["meta", "segments", "marker", "everything"])
async def test_corrupt_index_snapshot_is_rebuilt_from_the_store(tmp_path, which):
    db = await seeded(tmp_path / "coverage.db")
    service = await Service.open(settings_for(db))
    expected = ranked((await service.search("sanctions Petro")).hits)
    await service.close()
    # The files a closed service left are corrupted in a copy: this process may still map
    # the originals (tantivy's readers outlive close()), and rewriting a mapped file under
    # a live mapping is a SIGBUS, not the crash or bad disk this test stands for.
    db = copy_closed(db, tmp_path / "after-a-bad-disk")
    corrupt(settings_for(db).index_path, which)

    service = await Service.open(settings_for(db))
    try:
        stored = {r[0]: r[1] for r in await service.store.rows(
            "SELECT article_id, count(*) FROM sentences WHERE heading = 0 GROUP BY article_id /* every workspace */")}
        assert service.index.article_counts() == stored
        assert service.index.doc_count() == sum(stored.values()) > 0
        answer = await run(service, "!search sanctions Petro", ORIGIN)
        assert ranked(answer.hits) == expected
    finally:
        await service.close()


# -- Discord's HTTP layer fails ------------------------------------------------------

def failing_send(status: int, reason: str):
    """dpytest's fake HTTP layer answering a send with an HTTP error, as Discord would."""

    async def send_message(self, channel_id, *, params):
        raise discord.HTTPException(SimpleNamespace(status=status, reason=reason), {"message": reason, "code": 0})

    return send_message


@pytest.mark.parametrize("status,reason", [(503, "Service Unavailable"), (429, "Too Many Requests")])
async def test_a_failed_send_marks_the_log_row_and_the_bot_keeps_answering(bot, monkeypatch, status, reason):
    rows_before = len(await log_rows(bot))
    monkeypatch.setattr(backend.FakeHttp, "send_message", failing_send(status, reason))
    with pytest.raises(commands.CommandInvokeError) as failed:
        await dpytest.message("!search sanctions")
    assert isinstance(failed.value.original, discord.HTTPException)
    rows = await log_rows(bot)
    assert len(rows) == rows_before + 1  # the command's own row, not lost and not doubled
    assert rows[-1]["command"] == "search" and rows[-1]["result_count"] > 0
    assert rows[-1]["ok"] == 0 and rows[-1]["error"] == f"delivery failed: HTTP {status}"

    monkeypatch.undo()  # Discord is back
    await dpytest.message("!search cocaine production")
    assert "cocaine" in dpytest.get_embed().description
    rows = await log_rows(bot)
    assert rows[-1]["command"] == "search" and rows[-1]["ok"] == 1 and rows[-1]["error"] == ""


# -- retention ------------------------------------------------------------------------

async def test_log_retention_deletes_old_rows_at_open_and_keeps_recent(tmp_path):
    db = await seeded(tmp_path / "coverage.db")
    with sqlite3.connect(db) as conn:
        for days, query in ((400, "ancient"), (91, "old"), (89, "recent"), (0, "today")):
            conn.execute("INSERT INTO query_log (at, frontend, command, query) VALUES"
                         " (strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?), 'cli', 'search', ?) /* every workspace */",
                         (f"-{days} days", query))
    kept_forever = await Service.open(settings_for(db, privacy_log_retention_days=0))
    assert await kept_forever.store.scalar("SELECT count(*) FROM query_log /* every workspace */") == 4
    await kept_forever.close()

    service = await Service.open(settings_for(db, privacy_log_retention_days=90))
    try:
        left = [r[0] for r in await service.store.rows("SELECT query FROM query_log ORDER BY at /* every workspace */")]
    finally:
        await service.close()
    assert left == ["recent", "today"]


# -- load ---------------------------------------------------------------------------------

async def test_short_soak_answers_every_command_and_logs_each_once(tmp_path):
    result = await soak(users=5, seconds=3, db_path=tmp_path / "soak.db", corpus_limit=2)
    assert result.commands > 0
    assert result.errors == 0, result.error_samples
    assert result.log_rows == result.commands
    assert result.moderator_log_rows == result.moderator_commands
    assert result.add_failures == 0, result.error_samples
    assert result.removes >= 1 and result.index_consistent
