"""One handler for every command's failures: a short line for the user, the log keeps the rest."""

from __future__ import annotations

import logging
import uuid

from discord.ext import commands

from coveragebot.bot.chat.cogs._reply import NotModerator, actor_of, origin_of
from coveragebot.bot.chat.pages import NO_MENTIONS, clip
from coveragebot.bot.chat.servers import NotServed, workspace_for
from coveragebot.index.answers import Notice
from coveragebot.index.commands import Invocation, log_command, unknown_command_hint
from coveragebot.index.settings import Settings

log = logging.getLogger(__name__)


class ErrorCog(commands.Cog, name="Errors"):
    """Maps known failures to one friendly line; logs a traceback for the others."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @commands.Cog.listener()
    async def on_command_error(self, ctx: commands.Context, error: commands.CommandError) -> None:
        if isinstance(error, commands.HybridCommandError):
            error = error.original
        name = ctx.command.qualified_name if ctx.command else "unknown"
        argument = ""
        level = "refusal"
        service = getattr(ctx, "workspace_service", None)
        if service is None and not isinstance(error, NotServed):
            # A command that never reached the checks (an unknown name): find its workspace now.
            try:
                service = await ctx.bot.workspaces.service(await workspace_for(ctx.bot, ctx.guild, ctx.author))
            except NotServed as refused:
                error = refused
        if isinstance(error, NotServed):
            # A server not served or a refused direct message: one line, nothing stored.
            if error.text:
                try:
                    await ctx.send(error.text, allowed_mentions=NO_MENTIONS)
                except Exception:
                    log.warning("could not deliver a refusal", exc_info=True)
            return
        if isinstance(error, commands.CommandNotFound):
            typed = (ctx.invoked_with or "").strip()
            text, level, argument = unknown_command_hint(typed, self.settings.bot_prefix), "usage", typed
        elif isinstance(error, commands.CommandOnCooldown):
            text = f"Easy there — try again in {max(1, round(error.retry_after))} s."
        elif isinstance(error, NotModerator):
            log.info("refused %s to non-moderator %s", name, actor_of(ctx.author, self.settings))
            text = "Sorry, only moderators can do that (Manage Server or a moderator role)."
        elif isinstance(error, commands.NoPrivateMessage | commands.PrivateMessageOnly):
            text = "That command works in a server channel only."
        elif isinstance(error, commands.UserInputError):
            text, level = f"That didn't parse: {clip(str(error), 200)} — `{self.settings.bot_prefix}help` shows usage.", "usage"
        else:
            incident = uuid.uuid4().hex[:8]
            original = getattr(error, "original", error)
            log.error("command %s failed (incident %s)", name, incident, exc_info=(type(original), original, original.__traceback__))
            text, level = f"Something went wrong running `{name}` (incident {incident}); the team can look it up.", "error"
        notice = Notice(name, level, text, ok=False)
        if service is not None and not isinstance(error, commands.CommandInvokeError):
            # Commands that ran were logged by the command layer already.
            await log_command(service, Invocation(name, argument or _argument_of(ctx)), origin_of(ctx), notice, 0.0, "")
        try:
            await ctx.send(text, ephemeral=ctx.interaction is not None, allowed_mentions=NO_MENTIONS)
        except Exception:
            log.warning("could not deliver an error reply", exc_info=True)


def _argument_of(ctx: commands.Context) -> str:
    message = getattr(ctx, "message", None)
    content = getattr(message, "content", "") or ""
    return content.split(" ", 1)[1][:500] if " " in content else ""
