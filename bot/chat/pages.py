"""One message's worth of an answer, and Discord's limits every renderer keeps to."""

from __future__ import annotations

from dataclasses import dataclass

import discord

# Discord caps a message at 2,000 characters, an embed description at 4,096, a title
# at 256, and a whole embed at 6,000; pages stay under these with room to spare.
MESSAGE_LIMIT = 2000
DESCRIPTION_LIMIT = 3800
TITLE_LIMIT = 250
PASSAGE_LIMIT = 900
COLOUR = discord.Colour.dark_teal()
# Passed on every send as well as set as the bot default: an article or a query
# containing @everyone, @here or a role mention must ping nobody.
NO_MENTIONS = discord.AllowedMentions.none()


@dataclass
class Page:
    """One message's worth of an answer."""

    content: str | None = None
    embed: discord.Embed | None = None


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
