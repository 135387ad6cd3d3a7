"""This process's search index as a replica of the store, kept in step from its change sequence.

Every process (bot shard, terminal, import) has its own tantivy index. A shared
store numbers each add and remove (`changes.seq`); the replica remembers the last
number it applied, is woken by LISTEN/NOTIFY, and polls as a fallback. Catching up
reads stored passages, never spaCy, so a replica that starts empty or stale only
costs tokenising. A store nobody else writes (SQLite) has no sequence: nothing runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

log = logging.getLogger(__name__)

# Articles re-indexed per commit while catching up: memory stays bounded.
CHUNK = 2000


class Replica:
    """Follows the store's changes into one service's index."""

    def __init__(self, service) -> None:
        self.service = service
        self.seq = 0
        self.applied = 0  # articles re-indexed from other processes' changes, since start
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._stopping = False
        self._stop_listening = None
        # This process's own adds and removes, already in its index: their changes are skipped once.
        self._own: set[tuple[int, str]] = set()

    def applied_here(self, article_id: int, kind: str) -> None:
        """Note a change this process made to its own index (its NOTIFY needs no catch-up)."""
        if self._task is not None:
            self._own.add((article_id, kind))

    async def start(self) -> None:
        """Note where the sequence stands, then follow it (the caller reconciles the index)."""
        store = self.service.store
        if not store.shared:
            return
        # Read before the caller reconciles: a change committed meanwhile is applied twice, never missed.
        self.seq = await store.last_change()
        self._stop_listening = await store.listen(self._wake.set)
        self._task = asyncio.create_task(self._follow(), name="replica")

    async def stop(self) -> None:
        if self._task is not None:
            # Not in the middle of a catch-up: its index commit runs in a thread that a
            # cancel would not stop, and would land after the service is closed.
            async with self.service.write_lock:
                # The flag as well as the cancel: wait_for (Python < 3.12) swallows a cancel
                # that arrives as the wake-up it waits on fires, and the loop would run on.
                self._stopping = True
                self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._stop_listening is not None:
            with contextlib.suppress(Exception):
                await self._stop_listening()
            self._stop_listening = None

    async def _follow(self) -> None:
        poll = self.service.settings.replica_poll_seconds
        while not self._stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), poll)
            self._wake.clear()
            if self._stopping:
                return
            try:
                await self.catch_up()
            except Exception:  # a dropped connection must not end the follower
                log.exception("replica catch-up failed; retrying")
                await asyncio.sleep(poll)

    async def catch_up(self) -> int:
        """Apply every change after the last one applied; return how many articles changed."""
        service, applied = self.service, 0
        while True:
            # The service's write lock: this process's own adds index under it too.
            async with service.write_lock:
                changes = await service.store.changes_since(self.seq)
                if not changes:
                    return applied
                theirs = []
                for _, article_id, kind in changes:
                    if (article_id, kind) in self._own:
                        self._own.discard((article_id, kind))
                    else:
                        theirs.append(article_id)
                touched = list(dict.fromkeys(theirs))
                for start in range(0, len(touched), CHUNK):
                    chunk = touched[start:start + CHUNK]
                    present = await service.store.articles(chunk)
                    rows = await service.store.all_sentences(present)
                    await service.replace_indexed(chunk, rows)
                self.seq = changes[-1][0]
                applied += len(touched)
                self.applied += len(touched)
