"""The feeds, feed_entries and feed_polls tables, over the store's primitives (both backends).

Every row carries a workspace (`default` until workspaces exist); every query names it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from coveragebot.index.storage.store import EVERY_WORKSPACE

DEFAULT_WORKSPACE = "default"


@dataclass(frozen=True)
class Feed:
    """One followed feed, as stored."""

    id: int
    url: str
    title: str
    added_at: str
    added_by: str
    etag: str
    last_modified: str
    failures: int
    last_error: str
    polled_at: float
    next_poll: float
    workspace: str = DEFAULT_WORKSPACE

    @classmethod
    def of(cls, row) -> "Feed":
        return cls(row["id"], row["url"], row["title"], row["added_at"], row["added_by"], row["etag"],
                   row["last_modified"], row["failures"], row["last_error"], row["polled_at"], row["next_poll"],
                   row["workspace"])


@dataclass(frozen=True)
class KnownEntry:
    fingerprint: str
    article_id: int | None


_COLUMNS = ("id, url, title, added_at, added_by, etag, last_modified, failures, last_error, polled_at,"
            " next_poll, workspace")


async def add_feed(store, url: str, title: str, actor: str, workspace: str | None = None) -> Feed | None:
    """Store a new feed; None when the workspace already follows that URL."""
    workspace = workspace or store.workspace  # the scoped store's own
    if await store.scalar("SELECT id FROM feeds WHERE workspace = ? AND url = ?", (workspace, url)) is not None:
        return None
    feed_id = await store.insert("INSERT INTO feeds (workspace, url, title, added_by) VALUES (?, ?, ?, ?)",
                                 (workspace, url, title, actor))
    await store.audit(actor, "feed-add", None, f"feed #{feed_id} {url}")
    return await feed_by_id(store, feed_id, workspace)


async def feed_by_id(store, feed_id: int, workspace: str | None = None) -> Feed | None:
    workspace = workspace or store.workspace  # the scoped store's own
    rows = await store.rows(f"SELECT {_COLUMNS} FROM feeds WHERE id = ? AND workspace = ?", (feed_id, workspace))
    return Feed.of(rows[0]) if rows else None


async def feeds(store, workspace: str | None = None) -> list[Feed]:
    workspace = workspace or store.workspace  # the scoped store's own
    return [Feed.of(r) for r in await store.rows(f"SELECT {_COLUMNS} FROM feeds WHERE workspace = ? ORDER BY id",
                                                 (workspace,))]


async def due_feeds(store, now: float, workspace: str | None = None) -> list[Feed]:
    """Feeds whose next poll has come and that no process holds, in every workspace unless one is named."""
    sql = f"SELECT {_COLUMNS} FROM feeds WHERE next_poll <= ? AND lease_until < ?"
    params: list = [now, now]
    if workspace is not None:
        sql += " AND workspace = ?"
        params.append(workspace)
    # Without a workspace, the poller's one read over every newsroom's feeds, on purpose.
    every = "" if workspace is not None else EVERY_WORKSPACE
    return [Feed.of(r) for r in await store.rows(sql + " ORDER BY next_poll, id" + every, params)]


async def remove_feed(store, feed_id: int, actor: str, workspace: str | None = None) -> Feed | None:
    """Stop following a feed (its articles stay); the removed feed, or None if there was none."""
    workspace = workspace or store.workspace  # the scoped store's own
    feed = await feed_by_id(store, feed_id, workspace)
    if feed is None:
        return None
    await store.execute("DELETE FROM feed_entries WHERE feed_id = ? AND workspace = ?", (feed_id, workspace))
    await store.execute("DELETE FROM feeds WHERE id = ? AND workspace = ?", (feed_id, workspace))
    await store.audit(actor, "feed-remove", None, f"feed #{feed_id} {feed.url}")
    return feed


async def claim(store, feed: Feed, poller: str, now: float, lease_seconds: float) -> bool:
    """Take the feed's lease; False when another process holds it. One UPDATE, so one winner."""
    changed = await store.execute(
        "UPDATE feeds SET lease_owner = ?, lease_until = ? WHERE id = ? AND workspace = ?"
        " AND (lease_until < ? OR lease_owner = ?)",
        (poller, now + lease_seconds, feed.id, feed.workspace, now, poller))
    return changed == 1


async def release(store, feed: Feed, poller: str, fields: dict) -> None:
    """Write what the poll learnt (validators, failures, next poll) and give the lease back."""
    names = ", ".join(f"{name} = ?" for name in fields)
    await store.execute(
        f"UPDATE feeds SET {names}, lease_owner = '', lease_until = 0 WHERE id = ? AND workspace = ? AND lease_owner = ?",
        (*fields.values(), feed.id, feed.workspace, poller))


async def known_entries(store, feed: Feed) -> dict[str, KnownEntry]:
    rows = await store.rows("SELECT entry_key, fingerprint, article_id FROM feed_entries"
                            " WHERE feed_id = ? AND workspace = ?", (feed.id, feed.workspace))
    return {r["entry_key"]: KnownEntry(r["fingerprint"], r["article_id"]) for r in rows}


async def remember_entry(store, feed: Feed, key: str, link: str, fingerprint: str, article_id: int | None,
                         known: bool) -> None:
    if known:
        await store.execute("UPDATE feed_entries SET fingerprint = ?, link = ?, article_id = ?"
                            " WHERE feed_id = ? AND entry_key = ? AND workspace = ?",
                            (fingerprint, link, article_id, feed.id, key, feed.workspace))
    else:
        await store.execute("INSERT INTO feed_entries (feed_id, entry_key, workspace, link, fingerprint, article_id)"
                            " VALUES (?, ?, ?, ?, ?, ?)", (feed.id, key, feed.workspace, link, fingerprint, article_id))


async def record_poll(store, feed: Feed, poller: str, status: str, counts: dict[str, int], reasons: list[str]) -> None:
    """The audit of one poll: its counts and each failure's reason."""
    await store.execute(
        "INSERT INTO feed_polls (workspace, feed_id, poller, status, new, updated, unchanged, failed, reasons)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (feed.workspace, feed.id, poller, status, counts["new"], counts["updated"], counts["unchanged"],
         counts["failed"], json.dumps(reasons)))


async def last_polls(store, feed_ids: list[int], workspace: str | None = None) -> dict[int, dict]:
    """Each feed's latest poll row."""
    workspace = workspace or store.workspace  # the scoped store's own
    if not feed_ids:
        return {}
    marks = ",".join("?" * len(feed_ids))
    rows = await store.rows(
        f"SELECT * FROM feed_polls WHERE id IN (SELECT max(id) FROM feed_polls WHERE workspace = ?"
        f" AND feed_id IN ({marks}) GROUP BY feed_id)", (workspace, *feed_ids))
    return {r["feed_id"]: dict(r) for r in rows}
