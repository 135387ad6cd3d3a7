"""`!watch` / `!unwatch`, and the loop that posts watch alerts in their channels.

Each process posts only for the guilds its shards serve (the shard that owns a guild), and an
alert is recorded in the store before it is posted, so every alert goes out once. Posts ping
nobody and are rate-limited per channel: past the limit, one digest line stands for the rest.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict, deque

import discord
from discord import app_commands
from discord.ext import commands, tasks
from discord.utils import escape_markdown

from coveragebot.bot.chat.cogs._reply import NotModerator, answer_command, is_moderator
from coveragebot.bot.chat.pages import NO_MENTIONS, clip
from coveragebot.bot.chat.render import compact_source
from coveragebot.bot.chat.servers import is_allowed, service_of
from coveragebot.index.commands import Invocation
from coveragebot.index.watches.match import Alert, collect_alerts
from coveragebot.index.watches.table import PERSON, mark_posted, watches_in
from coveragebot.index.workspaces import workspace_of_server

log = logging.getLogger(__name__)
# Discord caps a message at 2,000 characters; a quote in an alert is kept well under.
QUOTE_LIMIT = 600


def watchers_only():
    """Moderators, or every member when watches.members_can_watch is on."""

    async def predicate(ctx: commands.Context) -> bool:
        if ctx.bot.settings.watches_members_can_watch or is_moderator(ctx.author, ctx.bot.settings):
            return True
        raise NotModerator(f"{ctx.author} is not a moderator")

    return commands.check(predicate)


class WatchCog(commands.Cog, name="Watches"):
    """Watches a channel keeps, and their alerts."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        self.sent: dict[int, deque[float]] = defaultdict(deque)  # channel id -> post times, last minute
        # The loop and a direct call must not read the same unposted alerts at once.
        self._posting = asyncio.Lock()
        self.check.change_interval(seconds=max(1.0, bot.settings.watches_check_seconds))

    async def cog_load(self) -> None:
        self.check.start()

    async def cog_unload(self) -> None:
        self.check.cancel()

    @commands.hybrid_command(name="watch", description='Post new coverage quoting a person or printing a "phrase" here.')
    @app_commands.describe(target='A person, a "phrase" in quotation marks, or list')
    @watchers_only()
    async def watch(self, ctx: commands.Context, *, target: str = "") -> None:
        await answer_command(ctx, service_of(ctx), self.bot.settings, Invocation("watch", target))

    @commands.hybrid_command(name="unwatch", description="Stop a watch (ids in !watch list).")
    @watchers_only()
    async def unwatch(self, ctx: commands.Context, watch: str = "") -> None:
        await answer_command(ctx, service_of(ctx), self.bot.settings, Invocation("unwatch", watch))

    @tasks.loop(seconds=15)
    async def check(self) -> None:
        if getattr(self.bot, "service", None) is None:  # closing
            return
        try:
            await self.post_alerts()
        except Exception:
            # One failed round must not stop the loop: the alerts wait in the store for the next.
            log.exception("watch alerts failed")

    async def post_alerts(self, service=None) -> int:
        """Post the alerts of the guilds this process serves, each from its own workspace (only
        `service`'s, when one is given); returns the messages sent."""
        async with self._posting:
            sent = 0
            for workspace, guilds in (await self._watched_workspaces()).items():
                if service is not None and workspace != service.store.workspace:
                    continue
                sent += await self._post_all(await self.bot.workspaces.service(workspace), guilds)
            return sent

    async def _watched_workspaces(self) -> dict[str, list[str]]:
        """workspace -> the guilds of this process that use it and keep watches (a workspace
        nobody watches is never opened here)."""
        settings = self.bot.settings
        by_workspace: dict[str, list[str]] = defaultdict(list)
        for guild in self.bot.guilds:
            if is_allowed(self.bot, guild.id):
                by_workspace[workspace_of_server(settings, guild.id)].append(str(guild.id))
        if not by_workspace:
            return {}
        watched = {r[0] for r in await self.bot.workspaces.store.rows(
            "SELECT DISTINCT workspace FROM watches")}
        return {name: guilds for name, guilds in by_workspace.items() if name in watched}

    async def _post_all(self, service, guilds: list[str]) -> int:
        alerts = await collect_alerts(service, await watches_in(service.store, guilds))
        by_channel: dict[str, list[Alert]] = defaultdict(list)
        for alert in alerts:
            by_channel[alert.watch.channel_id].append(alert)
        sent = 0
        for channel_id, waiting in by_channel.items():
            channel = self.bot.get_channel(int(channel_id))
            if channel is None:
                continue
            sent += await self._post(service, channel, waiting)
        return sent

    async def _post(self, service, channel, alerts: list[Alert]) -> int:
        recent, now = self.sent[channel.id], time.monotonic()
        while recent and now - recent[0] > 60:
            recent.popleft()
        budget = self.bot.settings.watches_posts_per_minute - len(recent)
        if budget <= 0:
            return 0  # the alerts wait in the store for the next minute
        shown = alerts if len(alerts) <= budget else alerts[:budget - 1]
        for alert in shown:
            await channel.send(alert_text(alert), allowed_mentions=NO_MENTIONS)
            recent.append(time.monotonic())
            await mark_posted(service.store, alert.watch, [alert.passage.article.id])
        rest = alerts[len(shown):]
        if rest:
            titles = "; ".join(f"*{escape_markdown(clip(a.passage.article.title, 80))}*" for a in rest[:3])
            more = f" and {len(rest) - 3} more" if len(rest) > 3 else ""
            await channel.send(f"🔔 …and {len(rest)} more new articles for this channel's watches: {titles}{more}."
                               " `!watch list` shows the watches.", allowed_mentions=NO_MENTIONS)
            recent.append(time.monotonic())
            for alert in rest:
                await mark_posted(service.store, alert.watch, [alert.passage.article.id])
        return len(shown) + (1 if rest else 0)


def alert_text(alert: Alert) -> str:
    """One alert: the watch, the words quoted with their source."""
    watch = alert.watch
    if watch.kind == PERSON:
        how = "reported speech" if alert.kind == "indirect" else (alert.kind or "statement")
        head = f"🔔 Watch #{watch.id} · **{escape_markdown(alert.speaker or watch.target)}** ({how})"
        quoted = alert.said or alert.passage.text
    else:
        head = f"🔔 Watch #{watch.id} · “{escape_markdown(watch.target)}”"
        quoted = alert.passage.text
    quote = "> " + escape_markdown(clip(quoted, QUOTE_LIMIT)).replace("\n", "\n> ")
    return clip(f"{head}\n{quote}\n{compact_source(alert.passage.article)}", 1900)
