"""`!watch <person>`, `!watch "phrase"`, `!watch list`, `!unwatch <id>` for one channel's guild."""

from __future__ import annotations

from coveragebot.index.answers import Answer, Notice
from coveragebot.index.text.analyzer import words
from coveragebot.index.watches.answer import WatchesAnswer
from coveragebot.index.watches.table import PERSON, PHRASE, add_watch, remove_watch, watches_in

# Opening quotation mark -> closing one: a quoted argument is a phrase, anything else a person.
_QUOTES = {'"': '"', "“": "”", "„": "“", "«": "»", "‘": "’"}
MAX_TARGET = 200


class WatchError(ValueError):
    def __init__(self, level: str, text: str) -> None:
        super().__init__(text)
        self.level = level


def _where(guild_id: str | None, channel_id: str | None) -> tuple[str, str]:
    if not guild_id or not channel_id:
        raise WatchError("refusal", "Watches post in a server channel: run `!watch` in the channel that should hear.")
    return guild_id, channel_id


async def watch_command(service, argument: str, guild_id: str | None, channel_id: str | None, actor: str) -> Answer:
    text = argument.strip()
    guild, channel = _where(guild_id, channel_id)
    if text.lower() == "list":
        return WatchesAnswer("watch", tuple(await watches_in(service.store, [guild])))
    closing = _QUOTES.get(text[:1])
    if closing:
        end = text.rfind(closing, 1)
        if end <= 0:
            raise WatchError("usage", 'Close the quotation marks: `!watch "phrase"`.')
        kind, target = PHRASE, " ".join(text[1:end].split())
    else:
        kind, target = PERSON, " ".join(text.split())
    if not words(target) or len(target) > MAX_TARGET:
        raise WatchError("usage", 'Usage: `!watch <person>`, `!watch "phrase"`, `!watch list`, `!unwatch <id>`.')
    watch = await add_watch(service.store, guild, channel, kind, target, actor)
    what = f"a statement by {target}" if kind == PERSON else f"a passage with “{target}”"
    return Notice("watch", "ok", f"Watch #{watch.id}: new coverage with {what} will be posted in this channel, "
                                 "once per article.")


async def unwatch_command(service, argument: str, guild_id: str | None, actor: str) -> Answer:
    guild, _ = _where(guild_id, guild_id)
    number = argument.strip().lstrip("#")
    if not (number.isascii() and number.isdigit()) or len(number) > 12:
        raise WatchError("usage", "Usage: `!unwatch <id>` with a number from `!watch list`.")
    removed = await remove_watch(service.store, guild, int(number), actor)
    if removed is None:
        raise WatchError("refusal", f"There is no watch #{number} in this server; `!watch list` lists them.")
    return Notice("unwatch", "ok", f"Watch #{removed.id} ({removed.label}) removed.")
