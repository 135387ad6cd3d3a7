"""SIGKILL in the middle of adding an article: the store and the index recover, nothing is lost.

A child process (tests/stress/_crash_worker.py) answers commands and adds a real article
with spaCy while more commands keep coming. It is killed at exact points of the store
transaction (it pauses inside sqlite3's own trace hook as a chosen statement starts), at
delays after COMMIT (the index commit runs then), and at fractions of the add's measured
duration (spaCy parse). After each kill the database is reopened and must show:

* PRAGMA integrity_check = ok and no dangling foreign key;
* the article wholly present (same sentences, statements, actions and vocabulary as an
  undisturbed add) or wholly absent (the store exactly as before);
* the index answering exactly what the store holds once the service reopens;
* every query-log row whose command had returned before the kill.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from coveragebot.index.ingest.loaders import load_article_file
from coveragebot.index.search.bm25 import SentenceIndex
from coveragebot.index.service import Service
from coveragebot.index.settings import load_settings
from tests.conftest import CORPUS

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = CORPUS / "06_bloomberg-job-woes.json"

# Exact points: the child pauses as this statement starts, and is killed there.
PAUSE_POINTS = [
    "BEGIN IMMEDIATE#1",          # parsed; the transaction not yet begun
    "INSERT INTO articles#1",     # begun, nothing written
    "INSERT INTO sentences#40",   # half the sentences written
    "INSERT INTO statements#1",   # every sentence written
    "INSERT INTO actions#1",
    "INSERT INTO vocabulary#1",
    "INSERT INTO audit#1",
    "COMMIT#1",                   # everything written, not committed
]
# Milliseconds after the child reports COMMIT starting: the commit and the index commit run.
AFTER_COMMIT_MS = [1, 10, 50]
# Fractions of the add's measured duration (spaCy parse dominates).
DURING_ADD = [0.2, 0.5, 0.8]
# Two children at a time: the machine has two cores.
PARALLEL = 2

KILLS = ([("pause", p) for p in PAUSE_POINTS] + [("after-commit", ms) for ms in AFTER_COMMIT_MS]
         + [("during-add", f) for f in DURING_ADD])
OUTCOMES: list[tuple] = []


def settings_for(db: Path):
    return load_settings(env={}, storage_db=str(db))


def copy_db(source: Path, target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    db = target / source.name
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copy(f"{source}{suffix}", f"{db}{suffix}")
    shutil.copytree(f"{source}.index", f"{db}.index")
    return db


class Child:
    """The worker process and what it reported before it ended."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.logged: list[int] = []
        self.last_sql = "(none)"
        self.lines: list[str] = []

    @classmethod
    async def start(cls, db: Path, pause_at: str = "none") -> "Child":
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.stress._crash_worker", str(db), str(ARTICLE), pause_at,
            cwd=ROOT, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        return cls(process)

    async def read_until(self, prefix: str, timeout: float = 60) -> str:
        """Read lines until one starts with `prefix`; return it ('' at end of output)."""
        async with asyncio.timeout(timeout):
            while True:
                raw = await self.process.stdout.readline()
                if not raw:
                    return ""
                line = raw.decode().strip()
                self.lines.append(line)
                if line.startswith("logged "):
                    self.logged.append(int(line.split()[1]))
                elif line.startswith("sql "):
                    self.last_sql = line[4:]
                if line.startswith(prefix):
                    return line

    def kill(self) -> None:
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):  # it may have ended on its own
                os.kill(self.process.pid, signal.SIGKILL)

    async def drain(self) -> None:
        """Collect what was written before the kill, then reap the process."""
        await self.read_until("\0", timeout=30)
        await self.process.wait()


@contextlib.asynccontextmanager
async def child_process(db: Path, pause_at: str = "none"):
    """A worker that is killed and reaped however the block ends (a timeout, a failed assert)."""
    child = await Child.start(db, pause_at)
    try:
        yield child
    finally:
        child.kill()
        await child.process.wait()


def snapshot(db: Path) -> dict:
    """Integrity, and the rows that an add changes, read with plain sqlite3."""
    with sqlite3.connect(db) as conn:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        dangling = conn.execute("PRAGMA foreign_key_check").fetchall()
        orphans = conn.execute(
            "SELECT count(*) FROM statements WHERE article_id NOT IN (SELECT id FROM articles)"
            " OR sentence_id NOT IN (SELECT id FROM sentences) /* every workspace */").fetchone()[0]
        articles = conn.execute("SELECT id, key, sentence_count FROM articles ORDER BY id /* every workspace */").fetchall()
        per_article = {
            table: dict(conn.execute(f"SELECT article_id, count(*) FROM {table} GROUP BY article_id").fetchall())
            for table in ("sentences", "statements", "actions")
        }
        vocabulary = dict(conn.execute("SELECT word, count FROM vocabulary /* every workspace */").fetchall())
        audit_adds = conn.execute("SELECT count(*) FROM audit WHERE action = 'add' /* every workspace */").fetchone()[0]
        log_ids = {r[0] for r in conn.execute("SELECT id FROM query_log /* every workspace */")}
    return {"integrity": integrity, "dangling": dangling, "orphans": orphans, "articles": articles,
            "per_article": per_article, "vocabulary": vocabulary, "audit_adds": audit_adds,
            "log_ids": log_ids}


@pytest.fixture(scope="module")
async def template(tmp_path_factory):
    """A seeded database, then the same after an undisturbed add (the two legal end states)."""
    base = tmp_path_factory.mktemp("crash-template")
    db = base / "coverage.db"
    service = await Service.open(settings_for(db))
    await service.close()
    reference_db = copy_db(db, base / "reference")
    async with child_process(reference_db) as child:
        assert await child.read_until("adding")
        started = time.monotonic()
        added = await child.read_until("added")
        duration = time.monotonic() - started
        child.process.stdin.close()  # lets the worker exit on its own
        await child.process.wait()
    assert added.startswith("added "), child.lines[-5:]
    yield {"db": db, "before": snapshot(db), "after": snapshot(reference_db), "add_seconds": duration,
           "key": load_article_file(ARTICLE)[0].key}
    print(f"\n{'kill point':<32}| {'last SQL statement started':<27}| article | index repaired | logged | lost")
    for kind, point, last_sql, present, repaired, logged, lost in OUTCOMES:
        print(f"{kind + ' ' + point:<32}| {last_sql:<27}| {present:<8}| {'yes' if repaired else 'no':<15}"
              f"| {logged:>6} | {lost}")


def assert_whole_or_absent(state: dict, template: dict, key: str) -> str:
    before, after = template["before"], template["after"]
    assert state["integrity"] == "ok"
    assert state["dangling"] == [] and state["orphans"] == 0
    mine = [a for a in state["articles"] if a[1] == key]
    if not mine:
        assert state["articles"] == before["articles"]
        assert state["per_article"] == before["per_article"]
        assert state["vocabulary"] == before["vocabulary"]
        assert state["audit_adds"] == before["audit_adds"]
        return "absent"
    [(article_id, _, sentence_count)] = mine
    [(_, _, expected_count)] = [a for a in after["articles"] if a[1] == key]
    assert sentence_count == expected_count == state["per_article"]["sentences"][article_id]
    reference_id = next(a[0] for a in after["articles"] if a[1] == key)
    for table in ("statements", "actions"):
        assert state["per_article"][table].get(article_id) == after["per_article"][table].get(reference_id)
    assert state["vocabulary"] == after["vocabulary"]
    assert state["audit_adds"] == after["audit_adds"]
    return "present"


async def index_view(db: Path, key: str) -> dict:
    """What the reopened service (which repairs its index from the store) answers."""
    left = SentenceIndex(settings_for(db).index_path)
    before_repair = left.article_counts()
    del left
    service = await Service.open(settings_for(db), seed=False)
    try:
        stored = {r[0]: r[1] for r in await service.store.rows(
            "SELECT article_id, count(*) FROM sentences WHERE heading = 0 GROUP BY article_id /* every workspace */")}
        hits = (await service.search("job woes linger states recovers unevenly")).hits
        return {"stored": stored, "indexed": service.index.article_counts(), "repaired": before_repair != stored,
                "doc_count": service.index.doc_count(), "found": any(h.article.key == key for h in hits)}
    finally:
        await service.close()


async def kill_once(template: dict, workdir: Path, kind: str, point) -> dict:
    """Start a child, kill it at the point, and read back store, log and index."""
    db = copy_db(template["db"], workdir)
    async with child_process(db, point if kind == "pause" else "none") as child:
        reached = bool(await child.read_until("adding"))
        if kind == "pause":
            reached = reached and bool(await child.read_until(f"paused {point}"))
        elif kind == "after-commit":
            reached = reached and bool(await child.read_until("sql COMMIT#1"))
            await asyncio.sleep(point / 1000)
        else:
            await asyncio.sleep(point * template["add_seconds"])
        child.kill()
        await child.drain()
    return {"reached": reached, "returncode": child.process.returncode, "logged": child.logged,
            "last_sql": child.last_sql, "tail": child.lines[-3:], "state": snapshot(db),
            "index": await index_view(db, template["key"])}


@pytest.fixture(scope="module")
async def kills(template, tmp_path_factory):
    """Every kill point, run PARALLEL at a time."""
    slots = asyncio.Semaphore(PARALLEL)

    async def one(number: int, kind: str, point):
        async with slots:
            return await kill_once(template, tmp_path_factory.mktemp(f"kill{number}"), kind, point)

    # A TaskGroup cancels the other kills if one fails, so each ends its child on the way out.
    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(one(n, k, p)) for n, (k, p) in enumerate(KILLS)]
    return dict(zip(KILLS, (task.result() for task in tasks)))


@pytest.mark.parametrize("kind,point", KILLS, ids=[f"{k}-{p}" for k, p in KILLS])
async def test_sigkill_while_adding_leaves_article_whole_or_absent(template, kills, kind, point):
    outcome = kills[(kind, point)]
    assert outcome["reached"], f"kill point never reached: {outcome['tail']}"
    assert outcome["returncode"] == -signal.SIGKILL, f"the child ended before the kill: {outcome['tail']}"
    state = outcome["state"]
    present = assert_whole_or_absent(state, template, template["key"])
    lost = sorted(set(outcome["logged"]) - state["log_ids"])
    OUTCOMES.append((kind, str(point), outcome["last_sql"], present, outcome["index"]["repaired"],
                     len(outcome["logged"]), len(lost)))
    assert not lost, f"query-log rows of commands that had returned were lost: {lost}"
    index = outcome["index"]
    assert index["indexed"] == index["stored"]
    assert index["doc_count"] == sum(index["stored"].values())
    assert index["found"] == (present == "present")
