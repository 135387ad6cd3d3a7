"""Import on PostgreSQL: worker processes share one job table; a killed worker's batch is redone."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import time

from coveragebot.index.archive.queue import _worker_main, file_batches
from coveragebot.index.archive.importer import import_dump
from coveragebot.index.settings import with_overrides
from tests.index.test_import import write_dump


async def stored_once(service, count: int) -> bool:
    keys = [r[0] for r in await service.store.rows("SELECT key FROM articles /* every workspace */")]
    return sorted(keys) == sorted(f"wire-{n}" for n in range(count))


async def test_two_worker_processes_share_the_batches(postgres_service, tmp_path):
    dump = tmp_path / "wire.jsonl"
    # Enough parsing that the second worker has loaded spaCy before the first is done.
    write_dump(dump, 24, paragraphs=12)
    postgres_service.settings = with_overrides(postgres_service.settings, import_batch_size=1)
    summary = await import_dump(postgres_service, dump, workers=2)
    assert (summary.added, summary.skipped, summary.failed) == (24, 0, 0)
    assert await stored_once(postgres_service, 24)
    workers = await postgres_service.store.rows("SELECT DISTINCT claimed_by FROM import_jobs /* every workspace */")
    assert len(workers) == 2  # both processes claimed batches
    # This process's index caught up with what the workers stored.
    assert postgres_service.index.doc_count() == await postgres_service.store.scalar(
        "SELECT count(*) FROM sentences WHERE heading = 0 /* every workspace */")


async def test_a_killed_workers_batch_returns_to_the_queue(postgres_service, tmp_path):
    dump = tmp_path / "wire.jsonl"
    write_dump(dump, 4)
    settings = with_overrides(postgres_service.settings, import_batch_size=4, import_lease_seconds=2)
    postgres_service.settings = settings
    await file_batches(postgres_service.store, dump, settings.import_batch_size)
    doomed = multiprocessing.get_context("spawn").Process(
        target=_worker_main, args=(settings.storage_url, dump.name, 2.0, "import"))
    doomed.start()
    try:
        deadline = time.monotonic() + 120
        while not await postgres_service.store.scalar("SELECT count(*) FROM import_jobs WHERE state = 'claimed' /* every workspace */"):
            assert time.monotonic() < deadline and doomed.is_alive()
            await asyncio.sleep(0.05)
        os.kill(doomed.pid, signal.SIGKILL)  # mid-batch: claimed, not done
    finally:
        doomed.join()
    [claimed] = await postgres_service.store.rows("SELECT claimed_by, state FROM import_jobs /* every workspace */")
    assert claimed["state"] == "claimed"
    summary = await import_dump(postgres_service, dump, workers=1)
    assert summary.failed == 0 and await stored_once(postgres_service, 4)
    [redone] = await postgres_service.store.rows("SELECT claimed_by, state FROM import_jobs /* every workspace */")
    assert redone["state"] == "done" and redone["claimed_by"] != claimed["claimed_by"]
