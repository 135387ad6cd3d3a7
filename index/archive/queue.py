"""The PostgreSQL import job table: batches claimed with FOR UPDATE SKIP LOCKED.

Any process that runs `coveragebot import DUMP.jsonl` files the dump's batches (a
batch already filed is left alone) and then works: it claims one queued batch at a
time, parses and stores its articles, and marks it done. Workers on several
machines share one backfill this way with nothing but the database. A claim is a
lease: a worker that dies leaves its batch `claimed` with a lease that runs out,
and the next claim takes it again; articles it had already stored are skipped by
their text hash.
"""

from __future__ import annotations

import asyncio
import json
import logging
import multiprocessing
import os
import socket
import time
from pathlib import Path

from coveragebot.index.archive.dump import (
    ImportSummary,
    Progress,
    analyse_lines,
    article_lines,
    dump_name,
    read_batches,
    unseen,
)

log = logging.getLogger(__name__)

_CLAIM = """
UPDATE import_jobs SET state = 'claimed', claimed_by = ?, lease_until = ?
WHERE id = (
    SELECT id FROM import_jobs
    WHERE workspace = ? AND dump = ? AND (state = 'queued' OR (state = 'claimed' AND lease_until < ?))
    ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
RETURNING id, first_line, lines
"""


async def file_batches(store, path: Path, batch_size: int) -> int:
    """File the dump's batches as jobs (those filed before are kept as they are); lines read."""
    dump, lines_read, chunk = dump_name(path), 0, []
    for first, lines in read_batches(path, batch_size):
        lines_read += article_lines(lines)
        chunk.append((store.workspace, dump, first, json.dumps(lines)))
        if len(chunk) >= 50:
            await _file(store, chunk)
            chunk = []
    if chunk:
        await _file(store, chunk)
    return lines_read


async def _file(store, chunk) -> None:
    await store.executemany(
        "INSERT INTO import_jobs (workspace, dump, first_line, lines) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (workspace, dump, first_line) DO NOTHING",
        chunk)


async def claim(store, dump: str, worker: str, lease_seconds: float) -> tuple[int, int, list[str]] | None:
    """The next queued (or abandoned) batch, now leased to `worker`; None if there is none."""
    now = time.time()
    rows = await store.rows(_CLAIM, (worker, now + lease_seconds, store.workspace, dump, now))
    if not rows:
        return None
    return rows[0]["id"], rows[0]["first_line"], json.loads(rows[0]["lines"])


async def work(store, service_like, dump: str, worker: str, lease_seconds: float, actor: str) -> None:
    """Claim, parse, store and finish batches until none is left to claim or waiting on a lease.

    A claimed batch is parsed in a thread while the one before it is stored, so the
    parser never waits on the database.
    """
    from coveragebot.index.text.pipeline import load_pipeline

    nlp = await asyncio.to_thread(load_pipeline)
    pending = None
    while True:
        job = await claim(store, dump, worker, lease_seconds)
        parsing = None
        if job is not None:
            job_id, first, lines = job
            counts = ImportSummary()
            fresh = await unseen(store, dump, first, lines, counts)
            parsing = (job_id, counts, asyncio.ensure_future(asyncio.to_thread(analyse_lines, nlp, fresh)))
        if pending is not None:
            await _finish(store, service_like, dump, worker, actor, *pending)
        pending = parsing
        if job is None:
            # A batch whose worker may still be alive: wait for it to finish or its lease to run out.
            if not await store.scalar("SELECT count(*) FROM import_jobs WHERE workspace = ? AND dump = ?"
                                      " AND state = 'claimed'", (store.workspace, dump)):
                return
            await asyncio.sleep(0.5)


async def _finish(store, service_like, dump: str, worker: str, actor: str, job_id: int, counts: ImportSummary,
                  parsing: asyncio.Future) -> None:
    """Store a parsed batch's articles and mark its job done with the counts."""
    for number, article, analysis, error in await parsing:
        if analysis is None:
            log.warning("import %s: %s", dump, error)
            counts.failed += 1
            continue
        try:
            stored = await service_like.store_analysed(article, analysis, actor, index=False, revise=False)
        except Exception:  # one bad article must not stop the batch; the log keeps why
            log.exception("import %s line %d failed", dump, number)
            counts.failed += 1
            continue
        if stored is None:
            counts.skipped += 1
        else:
            counts.added += 1
            counts.words += len(article.text.split())
    await store.execute(
        "UPDATE import_jobs SET state = 'done', lines = '[]', added = added + ?, skipped = skipped + ?,"
        " failed = failed + ?, words = words + ? WHERE workspace = ? AND id = ? AND claimed_by = ?",
        (counts.added, counts.skipped, counts.failed, counts.words, store.workspace, job_id, worker))


class _StoreOnly:
    """What a worker needs of the service: store an analysed article, no search index."""

    def __init__(self, store) -> None:
        self.store = store

    async def store_analysed(self, article, analysis, actor, index=False, revise=False):
        if await self.store.find_duplicate(analysis.text_hash, article.url) is not None:
            return None
        return await self.store.insert_article(article, analysis.text_hash, analysis.sentences,
                                               analysis.statements, analysis.actions, analysis.vocabulary, actor)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


async def run_worker(url: str, dump: str, lease_seconds: float, actor: str, workspace: str = "default") -> None:
    """One worker process: its own connection pool, its own spaCy, no search index."""
    from coveragebot.index.storage.postgres import PostgresStore

    store = (await PostgresStore.open(url, max_connections=2)).scoped(workspace)
    store.owns_connection = True  # this process's only store: closing it closes the pool
    try:
        await work(store, _StoreOnly(store), dump, worker_name(), lease_seconds, actor)
    finally:
        await store.close()


def _worker_main(url: str, dump: str, lease_seconds: float, actor: str, workspace: str = "default") -> None:
    asyncio.run(run_worker(url, dump, lease_seconds, actor, workspace))


async def totals(store, dump: str) -> tuple[ImportSummary, int]:
    """The dump's counts so far, and how many batches are not done."""
    [row] = await store.rows(
        "SELECT count(*) FILTER (WHERE state != 'done') AS open, coalesce(sum(added), 0) AS added,"
        " coalesce(sum(skipped), 0) AS skipped, coalesce(sum(failed), 0) AS failed, coalesce(sum(words), 0) AS words"
        " FROM import_jobs WHERE workspace = ? AND dump = ?", (store.workspace, dump))
    return ImportSummary(0, int(row["added"]), int(row["skipped"]), int(row["failed"]), int(row["words"])), row["open"]


async def import_shared(service, path: Path, workers: int, progress: Progress | None, actor: str) -> ImportSummary:
    """File the dump's batches, run `workers` local worker processes, report, then catch the index up."""
    settings, store, dump = service.settings, service.store, dump_name(path)
    started = time.monotonic()
    lines = await file_batches(store, path, settings.import_batch_size)
    before, _ = await totals(store, dump)
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_worker_main, args=(settings.storage_url, dump, settings.import_lease_seconds,
                                                            actor, store.workspace), daemon=True)
                 for _ in range(workers)]
    for process in processes:
        process.start()
    try:
        while any(p.is_alive() for p in processes):
            await asyncio.sleep(1.0)
            if progress is not None:
                now, _ = await totals(store, dump)
                now.lines, now.seconds = lines, time.monotonic() - started
                result = progress(now)
                if asyncio.iscoroutine(result):
                    await result
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join()
    summary, _ = await totals(store, dump)
    summary.lines, summary.seconds = lines, time.monotonic() - started
    # Added counts this run only: a resumed dump's earlier articles count as already indexed,
    # and its bad lines as failed again, as a rerun on SQLite counts them.
    summary.added -= before.added
    summary.words -= before.words
    summary.skipped = lines - summary.added - summary.failed
    await service.catch_up()
    await store.audit(actor, "import", None, f"{dump}: {summary.line()}")
    return summary
