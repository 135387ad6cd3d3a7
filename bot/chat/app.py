"""create_bot(): the discord.py Bot around coveragebot's workspaces, one per newsroom."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord.ext import commands

from coveragebot.index.service import Service
from coveragebot.index.settings import Settings, load_settings
from coveragebot.index.workspaces import Workspaces, check_workspace_settings

log = logging.getLogger(__name__)


def default_intents() -> discord.Intents:
    """Guild messages with their content (prefix commands and attachments need it)."""
    intents = discord.Intents.default()
    intents.message_content = True
    return intents


class CoverageBot(commands.Bot):
    """The bot: prefix from config, no pings ever, one cog per command family."""

    def __init__(self, settings: Settings, *, sync_commands: bool = False, **options: Any) -> None:
        options.setdefault("intents", default_intents())
        super().__init__(
            command_prefix=settings.bot_prefix,
            # Whatever an article or a query contains, the bot pings nobody.
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            **options,
        )
        check_workspace_settings(settings)
        self.settings = settings
        self.sync_commands = sync_commands
        self.workspaces: Workspaces | None = None
        # The `default` workspace's service (the terminal's, and seeded); servers get theirs per command.
        self.service: Service | None = None
        self.refused_direct_messages = 0

    async def setup_hook(self) -> None:
        from coveragebot.bot.chat.cogs.admin import AdminCog
        from coveragebot.bot.chat.cogs.errors import ErrorCog
        from coveragebot.bot.chat.cogs.feeds import FeedPollCog
        from coveragebot.bot.chat.cogs.watches import WatchCog
        from coveragebot.bot.chat.cogs.query import QueryCog
        from coveragebot.bot.chat.cogs.stats import StatsCog
        from coveragebot.bot.chat.servers import check_served

        self.workspaces = await Workspaces.open(self.settings)
        self.service = self.workspaces.default
        # Before any other check: which workspace answers, or a one-line refusal.
        self.add_check(check_served)
        await self.add_cog(ErrorCog(self.settings))
        await self.add_cog(QueryCog(self.workspaces, self.settings))
        await self.add_cog(AdminCog(self.workspaces, self.settings))
        await self.add_cog(StatsCog(self.workspaces, self.settings))
        await self.add_cog(FeedPollCog(self))
        await self.add_cog(WatchCog(self))
        if self.sync_commands:
            synced = await self.tree.sync()
            log.info("synced %d slash commands", len(synced))

    async def on_guild_join(self, guild: discord.Guild) -> None:
        from coveragebot.bot.chat.servers import is_allowed

        if not is_allowed(self, guild.id) and self.settings.bot_other_servers == "leave":
            log.info("leaving server %s: not in bot.allowed_servers", guild.id)
            await guild.leave()

    async def close(self) -> None:
        await super().close()
        if self.workspaces is not None:
            await self.workspaces.close()
            self.workspaces = None
            self.service = None


class ShardedCoverageBot(CoverageBot, commands.AutoShardedBot):
    """The same bot over several gateway shards (bot.shard_count, bot.shard_ids)."""


def create_bot(db_path: str | None = None, *, config_file: str | None = None,
               settings: Settings | None = None, sync_commands: bool = False, **overrides: Any) -> CoverageBot:
    """Build the bot; keyword overrides are settings (`bot_prefix=`…) or Bot options (`intents=`…)."""
    bot_options = {k: overrides.pop(k) for k in list(overrides) if k in {"intents", "loop", "max_messages"}}
    if settings is None:
        settings = load_settings(config_file, storage_db=str(db_path) if db_path else None, **overrides)
    elif db_path or overrides:
        from coveragebot.index.settings import with_overrides

        settings = with_overrides(settings, **({"storage_db": str(db_path)} if db_path else {}), **overrides)
    if settings.bot_shard_count > 0:
        # Each process serves the shards it lists; Discord routes each guild to one shard.
        bot_options.setdefault("shard_count", settings.bot_shard_count)
        bot_options.setdefault("shard_ids", list(settings.bot_shard_ids) or None)
        return ShardedCoverageBot(settings, sync_commands=sync_commands, **bot_options)
    return CoverageBot(settings, sync_commands=sync_commands, **bot_options)
