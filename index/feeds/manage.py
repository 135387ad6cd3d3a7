"""`!feed add <url> | list | remove <id> | poll`: following feeds, from chat or the terminal."""

from __future__ import annotations

from coveragebot.index.answers import Answer, Notice
from coveragebot.index.feeds import table
from coveragebot.index.feeds.answer import FeedRow, FeedsAnswer
from coveragebot.index.feeds.poll import poll_due, read_feed
from coveragebot.index.ingest.articles import ArticleError
from coveragebot.index.ingest.fetch import parse_url
from coveragebot.index.text.wording import counted

USAGE = "Usage: `!feed add <url>`, `!feed list`, `!feed remove <id>` or `!feed poll`."


class FeedCommandError(ValueError):
    def __init__(self, level: str, text: str) -> None:
        super().__init__(text)
        self.level = level


async def feed_command(service, argument: str, actor: str) -> Answer:
    """Run one `!feed` verb; bad input raises FeedCommandError with one line."""
    verb, _, rest = argument.strip().partition(" ")
    verb, rest = verb.lower(), rest.strip()
    if verb == "add" and rest:
        return await _add(service, rest.split()[0], actor)
    if verb == "list" and not rest:
        rows = await table.feeds(service.store)
        polls = await table.last_polls(service.store, [f.id for f in rows])
        return FeedsAnswer("feed", tuple(FeedRow(f, polls.get(f.id)) for f in rows), service.settings.feeds_poll_minutes)
    if verb == "remove" and rest:
        number = rest.lstrip("#")
        if not (number.isascii() and number.isdigit()) or len(number) > 12:
            raise FeedCommandError("usage", "Usage: `!feed remove <id>` with a number from `!feed list`.")
        feed = await table.remove_feed(service.store, int(number), actor)
        if feed is None:
            raise FeedCommandError("refusal", f"There is no feed #{number}; `!feed list` lists them.")
        return Notice("feed", "ok", f"Stopped following feed #{feed.id} ‘{feed.title or feed.url}’; "
                                    "the articles it brought stay.")
    if verb == "poll" and not rest:
        results = await poll_due(service, force=True)
        if not results:
            return Notice("feed", "info", "No feeds to poll; `!feed add <url>` follows one.")
        return Notice("feed", "ok", "\n".join(r.line() for r in results))
    raise FeedCommandError("usage", USAGE)


async def _add(service, text: str, actor: str) -> Notice:
    try:
        url = str(parse_url(text))
        # Read once now: a moderator hears at once that a link is no feed, or not allowed.
        parsed = await read_feed(url, service.settings)
    except ArticleError as exc:
        raise FeedCommandError("refusal", f"Not following {text[:200]}: {exc}") from None
    feed = await table.add_feed(service.store, url, parsed.title[:200], actor)
    if feed is None:
        raise FeedCommandError("refusal", "That feed is already followed; `!feed list` lists them.")
    minutes = service.settings.feeds_poll_minutes
    return Notice("feed", "ok", f"Following feed #{feed.id} ‘{feed.title or url}’ ({parsed.kind}, "
                                f"{counted(len(parsed.entries), 'entry')} now); polled every {minutes:g} minutes, "
                                "the first time within a minute.")
