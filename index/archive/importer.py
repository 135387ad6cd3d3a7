"""Archive import: `coveragebot import DUMP.jsonl`, one JSON article per line.

The dump is read as a stream in batches, so memory stays flat whatever its size;
lines whose normalised text is already stored are skipped, so an interrupted import
resumes where it stopped. spaCy runs in N worker processes.

On SQLite the workers only parse; this process stores and indexes. On PostgreSQL
the batches go into a job table (`index.archive.queue`) and every worker, on this
machine or another, claims batches from it, parses and stores; this process only
watches, then brings its own search index up to date from the store.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import multiprocessing
import os
import time
from collections import deque
from pathlib import Path

from coveragebot.index.archive.dump import (
    ImportSummary,
    Parsed,
    Progress,
    analyse_lines,
    article_lines,
    dump_name,
    read_batches,
    unseen,
)
from coveragebot.index.ingest.articles import Article

__all__ = ["ImportSummary", "import_dump", "read_batches"]

# -- the parse workers ------------------------------------------------------
_NLP = None


def _load_pipeline() -> None:
    global _NLP
    from coveragebot.index.text.pipeline import load_pipeline

    _NLP = load_pipeline()


def parse_lines(numbered: list[tuple[int, Article]]) -> list[Parsed]:
    """In a worker: analyse the batch (see `analyse_lines`)."""
    return analyse_lines(_NLP, numbered)


def worker_pool(workers: int) -> concurrent.futures.ProcessPoolExecutor:
    """N processes, each with spaCy loaded once (spawned: the parent runs threads)."""
    return concurrent.futures.ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=_load_pipeline)


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


async def import_dump(service, path: Path, workers: int | None = None, progress: Progress | None = None,
                      actor: str = "import") -> ImportSummary:
    """Import every article of the dump once; safe to run again after an interruption."""
    workers = workers or default_workers()
    if service.settings.storage_url:
        from coveragebot.index.archive.queue import import_shared

        return await import_shared(service, path, workers, progress, actor)
    return await _import_here(service, path, workers, progress, actor)


async def _import_here(service, path: Path, workers: int, progress: Progress | None, actor: str) -> ImportSummary:
    summary = ImportSummary()
    started = time.monotonic()
    loop = asyncio.get_running_loop()
    dump = dump_name(path)
    with worker_pool(workers) as pool:
        pending: deque = deque()
        for first, lines in read_batches(path, service.settings.import_batch_size):
            summary.lines += article_lines(lines)
            fresh = await unseen(service.store, dump, first, lines, summary)
            if fresh:
                pending.append(loop.run_in_executor(pool, parse_lines, fresh))
            # Two batches in flight per worker keep them busy; more would only hold memory.
            while len(pending) >= 2 * workers:
                await _store_parsed(service, await pending.popleft(), summary, actor)
                await _report(progress, summary, started)
        while pending:
            await _store_parsed(service, await pending.popleft(), summary, actor)
            await _report(progress, summary, started)
    summary.seconds = time.monotonic() - started
    await service.store.audit(actor, "import", None, f"{dump}: {summary.line()}")
    return summary


async def _store_parsed(service, parsed, summary: ImportSummary, actor: str) -> None:
    rows = []
    for number, article, analysis, error in parsed:
        if analysis is None:
            summary.fail(error)
            continue
        stored = await service.store_analysed(article, analysis, actor, index=False, revise=False)
        if stored is None:
            summary.skipped += 1
            continue
        rows.extend(stored[1])
        summary.added += 1
        summary.words += len(article.text.split())
    # One index commit per batch; a crash before it is repaired from the store at start-up.
    await service.index_rows(rows)


async def _report(progress: Progress | None, summary: ImportSummary, started: float) -> None:
    summary.seconds = time.monotonic() - started
    if progress is not None:
        result = progress(summary)
        if asyncio.iscoroutine(result):
            await result
