"""The `!feed list` answer: each followed feed with its last poll."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from coveragebot.index.answers import Answer
from coveragebot.index.feeds.table import Feed


@dataclass(frozen=True)
class FeedRow:
    feed: Feed
    last_poll: dict | None = None  # the latest feed_polls row

    @property
    def summary(self) -> str:
        """The last poll in words: when, and what it found or why it failed."""
        poll = self.last_poll
        if poll is None:
            return "not polled yet"
        if poll["status"] == "failed":
            reasons = json.loads(poll["reasons"] or "[]")
            failing = f", {self.feed.failures} in a row" if self.feed.failures > 1 else ""
            return f"last poll {poll['at'][:16].replace('T', ' ')} failed{failing}: {reasons[0] if reasons else ''}"
        return (f"last poll {poll['at'][:16].replace('T', ' ')}: {poll['new']} new, {poll['updated']} updated, "
                f"{poll['unchanged']} unchanged, {poll['failed']} failed")


@dataclass(frozen=True)
class FeedsAnswer(Answer):
    feeds: tuple[FeedRow, ...] = ()
    poll_minutes: float = 30

    @property
    def result_ids(self) -> list[int]:
        return [r.feed.id for r in self.feeds]

    def to_json(self) -> dict[str, Any]:
        return {"command": self.command, "result_count": self.result_count, "poll_minutes": self.poll_minutes,
                "results": [{"id": r.feed.id, "url": r.feed.url, "title": r.feed.title, "added_at": r.feed.added_at,
                             "failures": r.feed.failures, "last_error": r.feed.last_error,
                             "workspace": r.feed.workspace, "last_poll": r.summary} for r in self.feeds]}
