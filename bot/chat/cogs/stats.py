"""`!stats`: the editors' view of the query log, with its chart or CSV attached."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from coveragebot.bot.chat.cogs._reply import NotModerator, is_moderator, origin_of
from coveragebot.bot.chat.pages import NO_MENTIONS
from coveragebot.bot.chat.render import pages
from coveragebot.bot.chat.render_stats import stats_files
from coveragebot.bot.chat.servers import service_of
from coveragebot.index.answers import StatsAnswer
from coveragebot.index.commands import Invocation, execute_logged
from coveragebot.index.settings import Settings
from coveragebot.index.workspaces import Workspaces

log = logging.getLogger(__name__)


class StatsCog(commands.Cog, name="Stats"):
    """Figures from this server's query log (in its workspace); moderators only unless
    bot.stats_moderators_only is off."""

    def __init__(self, workspaces: Workspaces, settings: Settings) -> None:
        self.workspaces = workspaces
        self.settings = settings

    async def cog_check(self, ctx: commands.Context) -> bool:
        # The log is per server: a direct message has no server whose log it could show.
        if ctx.guild is None:
            raise commands.NoPrivateMessage()
        if self.settings.bot_stats_moderators_only and not is_moderator(ctx.author, self.settings):
            raise NotModerator(f"{ctx.author} is not a moderator")
        return True

    @commands.hybrid_command(name="stats", description="What the team asks, what the coverage lacks, or the log as CSV.")
    @app_commands.describe(options="Nothing, gaps or export, and a period: 24h, 7d (default), 30d")
    async def stats(self, ctx: commands.Context, *, options: str = "") -> None:
        if ctx.interaction is not None:
            # Slash commands must be acknowledged within 3 s; the chart takes a moment.
            await ctx.defer()
        service = service_of(ctx)
        answer, log_id = await execute_logged(service, Invocation("stats", options.strip()), origin_of(ctx))
        page = pages(answer)[0]
        files: list[discord.File] = []
        if isinstance(answer, StatsAnswer):
            files = stats_files(answer)
            size, limit = len((answer.csv or "").encode("utf-8")), ctx.guild.filesize_limit
            if size > limit:
                files = []
                page.content = (f"The export is {size / 1e6:.1f} MB, over this server's {limit / 1e6:.0f} MB upload"
                                f" limit: ask for a shorter period, or run `coveragebot stats --csv FILE` on the bot's host.")
        try:
            await ctx.send(content=page.content, embed=page.embed, files=files, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as exc:
            log.warning("stats not delivered (%s)", getattr(exc, "status", "?"))
            if log_id is not None:
                await service.store.mark_failed(log_id, f"delivery failed: HTTP {getattr(exc, 'status', '?')}")
            raise
