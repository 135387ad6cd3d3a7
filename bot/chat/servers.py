"""Which workspace answers a command: its server's, a direct message's (when allowed), or none.

Every command passes `check_served` (a global check) before anything else runs, so a
server outside bot.allowed_servers and a refused direct message store nothing; the
service of the asker's workspace is then on the context (`service_of`).
May import: discord, index.service, index.workspaces, index.settings.
"""

from __future__ import annotations

import logging

import discord
from discord.ext import commands

from coveragebot.index.service import Service
from coveragebot.index.workspaces import workspace_of_server

log = logging.getLogger(__name__)

NOT_SET_UP = "coveragebot is not set up for this server."
NO_DIRECT_MESSAGES = "I answer in your newsroom's server, not in direct messages: ask me there."


class NotServed(commands.CheckFailure):
    """A server the bot does not serve, or a direct message it may not answer; `text` is the one reply."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def is_allowed(bot, server_id: int) -> bool:
    """Whether bot.allowed_servers lets the bot serve this server (an empty list: every server)."""
    allowed = bot.settings.bot_allowed_servers
    return not allowed or str(server_id) in {str(s) for s in allowed}


async def workspace_for(bot, guild: discord.Guild | None, user: discord.abc.User) -> str:
    """The workspace a command from `user` in `guild` (None: a direct message) reads and writes."""
    settings = bot.settings
    if guild is not None:
        if not is_allowed(bot, guild.id):
            if settings.bot_other_servers == "leave":
                log.info("leaving server %s: not in bot.allowed_servers", guild.id)
                await guild.leave()
                raise NotServed("")
            raise NotServed(NOT_SET_UP)
        return workspace_of_server(settings, guild.id)
    server_id = settings.bot_direct_messages_server
    if server_id and is_allowed(bot, server_id) and await _is_member(bot, server_id, user):
        return workspace_of_server(settings, server_id)
    # Only the count: who wrote, and what, is not kept.
    bot.refused_direct_messages += 1
    raise NotServed(NO_DIRECT_MESSAGES)


async def _is_member(bot, server_id: int, user: discord.abc.User) -> bool:
    guild = bot.get_guild(int(server_id))
    if guild is None:
        return False
    if guild.get_member(user.id) is not None:
        return True
    try:
        await guild.fetch_member(user.id)
    except discord.HTTPException:
        return False
    return True


async def check_served(ctx: commands.Context) -> bool:
    """The global check: find the asker's workspace (opening it on first use) or refuse."""
    if getattr(ctx, "workspace_service", None) is None:
        name = await workspace_for(ctx.bot, ctx.guild, ctx.author)
        ctx.workspace_service = await ctx.bot.workspaces.service(name)
    return True


def service_of(ctx: commands.Context) -> Service:
    """The service of the workspace this command acts on (set by `check_served`)."""
    return ctx.workspace_service


async def service_for_interaction(interaction: discord.Interaction) -> Service | None:
    """The asker's workspace service for an autocomplete; None where nothing may be shown."""
    bot = interaction.client
    try:
        name = await workspace_for(bot, interaction.guild, interaction.user)
    except NotServed:
        return None
    return await bot.workspaces.service(name)
