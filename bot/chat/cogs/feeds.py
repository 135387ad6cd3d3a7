"""Background feed polling: every minute, the feeds whose `feeds.poll_minutes` have passed.

Each feed's lease (index.feeds.table.claim) makes one process poll it, however many shards
run this loop; `!feed` itself is a moderator command of the admin cog.
"""

from __future__ import annotations

import logging

from discord.ext import commands, tasks

from coveragebot.index.feeds.poll import poll_due

log = logging.getLogger(__name__)
# How often the loop looks for due feeds; each feed keeps its own schedule and backoff.
CHECK_SECONDS = 60


class FeedPollCog(commands.Cog, name="Feeds"):
    """Polls due feeds in the background while the bot runs."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.poll.start()

    async def cog_unload(self) -> None:
        self.poll.cancel()

    @tasks.loop(seconds=CHECK_SECONDS)
    async def poll(self) -> None:
        service = getattr(self.bot, "service", None)
        if service is None:  # closing
            return
        try:
            for result in await poll_due(service, service_for=self.bot.workspaces.service):
                if result.status != "busy":
                    log.info("%s", result.line())
        except Exception:
            # One bad poll must not stop the loop: the next minute tries again.
            log.exception("feed poll failed")
