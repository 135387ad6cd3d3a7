"""Archive import: `coveragebot import DUMP.jsonl`, one JSON article per line.

The dump is read as a stream in batches, so memory stays flat whatever its size;
lines whose normalised text is already stored are skipped, so an interrupted import
resumes where it stopped. spaCy runs in N worker processes.

On SQLite the workers only parse; this process stores and indexes. On PostgreSQL
the batches go into a job table (`index.import_queue`) and every worker, on this
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
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from index.analysis import Analysis, analyze_article, text_hash
from index.articles import Article, ArticleError, articles_from_json

Progress = Callable[["ImportSummary"], Awaitable[None] | None]


@dataclass
class ImportSummary:
    """Running totals of one import."""

    lines: int = 0
    added: int = 0
    skipped: int = 0
    failed: int = 0
    words: int = 0
    seconds: float = 0.0

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        return (f"{self.lines:,} lines: {self.added:,} added, {self.skipped:,} already indexed, "
                f"{self.failed:,} failed; {self.words:,} words in {self.seconds:.1f} s "
                f"({self.words_per_second:,.0f} words/s)")

    def to_json(self) -> dict:
        return {"lines": self.lines, "added": self.added, "skipped": self.skipped, "failed": self.failed,
                "words": self.words, "seconds": round(self.seconds, 2),
                "words_per_second": round(self.words_per_second, 1)}


def dump_name(path: Path) -> str:
    """The name a dump's jobs are filed under: the file name, the same on every machine."""
    return path.name


def read_batches(path: Path, size: int) -> Iterator[tuple[int, list[str]]]:
    """(number of the first line, lines) of `size` non-blank lines, read as a stream."""
    batch: list[str] = []
    first = 1
    with path.open(encoding="utf-8", errors="replace") as dump:
        for number, line in enumerate(dump, start=1):
            if not line.strip():
                continue
            if not batch:
                first = number
            batch.append(line)
            if len(batch) >= size:
                yield first, batch
                batch = []
    if batch:
        yield first, batch


def article_of_line(line: str, dump: str, number: int) -> Article:
    """One dump line as an Article; its key is its `id`, else dump:line."""
    [article] = articles_from_json(line, f"{dump} line {number}", f"{Path(dump).stem}-{number}")
    return article


# -- the parse workers ------------------------------------------------------
_NLP = None


def _load_pipeline() -> None:
    global _NLP
    from index.nlp import load_pipeline

    _NLP = load_pipeline()


def parse_lines(numbered: list[tuple[int, Article]]) -> list[tuple[int, Article, Analysis | None, str]]:
    """In a worker: analyse each article; a failure is a message, not an exception."""
    out = []
    for number, article in numbered:
        try:
            out.append((number, article, analyze_article(_NLP, article), ""))
        except Exception as exc:  # one bad article must not stop the batch
            out.append((number, article, None, f"line {number}: {type(exc).__name__}: {exc}"[:300]))
    return out


def worker_pool(workers: int) -> concurrent.futures.ProcessPoolExecutor:
    """N processes, each with spaCy loaded once (spawned: the parent runs threads)."""
    return concurrent.futures.ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=_load_pipeline)


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


async def unseen(store, dump: str, first: int, lines: list[str], summary: ImportSummary) -> list[tuple[int, Article]]:
    """The batch's articles not yet stored (by normalised-text hash); counts the rest."""
    parsed: list[tuple[int, Article, str]] = []
    for offset, line in enumerate(lines):
        number = first + offset
        try:
            article = article_of_line(line, dump, number)
        except ArticleError:
            summary.failed += 1
            continue
        parsed.append((number, article, text_hash(article.text)))
    hashes = sorted({h for _, _, h in parsed})
    marks = ",".join("?" * len(hashes))
    stored = {r[0] for r in await store.rows(f"SELECT text_hash FROM articles WHERE text_hash IN ({marks})",
                                             hashes)} if hashes else set()
    fresh, seen = [], set(stored)
    for number, article, digest in parsed:
        if digest in seen:
            summary.skipped += 1
        else:
            seen.add(digest)
            fresh.append((number, article))
    return fresh


async def import_dump(service, path: Path, workers: int | None = None, progress: Progress | None = None,
                      actor: str = "import") -> ImportSummary:
    """Import every article of the dump once; safe to run again after an interruption."""
    workers = workers or default_workers()
    if service.settings.storage_url:
        from index.import_queue import import_shared

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
            summary.lines += len(lines)
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
            summary.failed += 1
            continue
        stored = await service.store_analysed(article, analysis, actor, index=False)
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
