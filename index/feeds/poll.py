"""One poll of a feed: a conditional GET under the lease, each entry compared with what it
looked like last time, new and changed entries added as articles, the poll audited.

An entry is unchanged when its fingerprint (date, title, text) is: nothing is fetched for
it. A new or changed entry's link is fetched and added through the service, whose story
version rules decide between a new article, a new version and a duplicate.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
from dataclasses import dataclass, field

from coveragebot.index.feeds import table
from coveragebot.index.feeds.table import Feed
from coveragebot.index.ingest.articles import ArticleError
from coveragebot.index.ingest.feeds import FEED_ACCEPT, FEED_TYPES, FeedEntry, ParsedFeed, article_from_entry, completed, parse_feed
from coveragebot.index.ingest.fetch import FetchSettings, fetch_article, fetch_resource

log = logging.getLogger(__name__)
# The wait after failures doubles each time, up to this many poll intervals.
MAX_BACKOFF = 64
# Reasons kept per poll in the audit; a poll of a broken feed repeats one reason.
MAX_REASONS = 20


@dataclass
class PollResult:
    """What one poll of one feed did."""

    feed: Feed
    status: str  # polled | not modified | failed | busy (another process holds the feed)
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    reasons: list[str] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {"new": self.new, "updated": self.updated, "unchanged": self.unchanged, "failed": self.failed}

    def line(self) -> str:
        """One line for the terminal and the audit."""
        name = f"feed #{self.feed.id} {self.feed.title or self.feed.url}"
        if self.status == "busy":
            return f"{name}: polled by another process"
        tail = f"; {self.reasons[0]}" if self.reasons else ""
        return (f"{name}: {self.status}, {self.new} new, {self.updated} updated, {self.unchanged} unchanged,"
                f" {self.failed} failed{tail}")


def poller_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def fetch_settings(settings) -> FetchSettings:
    return FetchSettings(timeout_s=settings.fetch_timeout_seconds, max_bytes=settings.fetch_max_bytes,
                         max_redirects=settings.fetch_max_redirects, allow_private=settings.fetch_allow_private_urls,
                         allowed_hosts=tuple(settings.fetch_allowed_hosts))


async def read_feed(url: str, settings) -> ParsedFeed:
    """Fetch and parse a feed once (to check it when it is added); FetchError/FeedError say why not."""
    fetched = await fetch_resource(url, fetch_settings(settings), FEED_ACCEPT, FEED_TYPES)
    return await asyncio.to_thread(parse_feed, fetched.data)


async def poll_due(service, poller: str | None = None, force: bool = False,
                   service_for=None) -> list[PollResult]:
    """Poll every feed of `service`'s workspace that is due (every feed, with `force`) and that
    no other process holds; with `service_for` (workspace name -> its service), the due feeds
    of every workspace, each added to its own workspace."""
    now = time.time()
    workspace = None if service_for is not None else service.store.workspace
    due = await table.due_feeds(service.store, float("inf") if force else now, workspace)
    results = []
    for feed in due:
        owner = await service_for(feed.workspace) if service_for is not None else service
        results.append(await poll_feed(owner, feed, poller or poller_name()))
    return results


async def poll_feed(service, feed: Feed, poller: str) -> PollResult:
    """Poll one feed under its lease; another process holding it makes this a `busy` no-op."""
    settings = service.settings
    now = time.time()
    if not await table.claim(service.store, feed, poller, now, settings.feeds_lease_seconds):
        return PollResult(feed, "busy")
    interval = settings.feeds_poll_minutes * 60
    result = PollResult(feed, "polled")
    fields: dict = {"polled_at": now}
    try:
        fetched = await fetch_resource(feed.url, fetch_settings(settings), FEED_ACCEPT, FEED_TYPES,
                                       feed.etag, feed.last_modified)
        if fetched.status == 304:
            result.status = "not modified"
            result.unchanged = len(await table.known_entries(service.store, feed))
        else:
            parsed = await asyncio.to_thread(parse_feed, fetched.data)
            await _entries(service, feed, parsed, result)
            fields.update(etag=fetched.etag, last_modified=fetched.last_modified)
            if parsed.title and not feed.title:
                fields["title"] = parsed.title[:200]
        fields.update(failures=0, last_error="", next_poll=now + interval)
    except ArticleError as exc:  # FetchError and FeedError: the feed itself could not be read
        failures = feed.failures + 1
        result.status = "failed"
        result.reasons.append(str(exc))
        fields.update(failures=failures, last_error=str(exc)[:300],
                      next_poll=now + interval * min(2 ** (failures - 1), MAX_BACKOFF))
    finally:
        await table.release(service.store, feed, poller, fields)
    await table.record_poll(service.store, feed, poller, result.status, result.counts, result.reasons[:MAX_REASONS])
    await service.store.audit(f"feed #{feed.id}", "feed-poll", None, result.line()[:500])
    return result


async def _entries(service, feed: Feed, parsed: ParsedFeed, result: PollResult) -> None:
    known = await table.known_entries(service.store, feed)
    outlet = feed.title or parsed.title
    for entry in parsed.entries:
        seen = known.get(entry.key)
        if seen is not None and seen.fingerprint == entry.fingerprint:
            result.unchanged += 1
            continue
        try:
            article = await _article(service, entry, outlet)
        except ArticleError as exc:
            result.failed += 1
            where = entry.link or entry.title or entry.key
            result.reasons.append((str(exc) if str(exc).startswith(where) else f"{where}: {exc}")[:300])
            continue
        [outcome] = await service.add_articles([article], actor=f"feed #{feed.id}")
        if outcome.status == "failed":
            result.failed += 1
            result.reasons.append(outcome.message[:300])
            continue
        if outcome.status == "added":
            result.new += 1
        elif outcome.status == "updated":
            result.updated += 1
        else:  # the page had not changed: a duplicate of what is stored
            result.unchanged += 1
        article_id = outcome.article.id if outcome.article else None
        if article_id is not None and outcome.status in {"added", "updated"}:
            result.article_ids.append(article_id)
        await table.remember_entry(service.store, feed, entry.key, entry.link, entry.fingerprint, article_id,
                                   known=seen is not None)


async def _article(service, entry: FeedEntry, outlet: str):
    if not entry.link:
        return article_from_entry(entry, outlet)
    article = await fetch_article(entry.link, fetch_settings(service.settings))
    return completed(article, entry, outlet)
