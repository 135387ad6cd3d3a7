"""What every cog does around the command layer: origin, defer, send pages, checks."""

from __future__ import annotations

import logging

import discord
from discord.ext import commands

from coveragebot.bot.chat.pages import NO_MENTIONS, Page
from coveragebot.bot.chat.render import pages
from coveragebot.bot.chat.servers import service_of
from coveragebot.bot.chat.views import Paginator
from coveragebot.index.answers import Answer, WhoAnswer
from coveragebot.index.commands import Invocation, Origin, execute_logged, flag_answer
from coveragebot.index.service import Service
from coveragebot.index.settings import Settings

log = logging.getLogger(__name__)


class NotModerator(commands.CheckFailure):
    """The member may not run admin commands."""


def origin_of(ctx: commands.Context) -> Origin:
    """Guild, channel and user ids of a chat command, as strings."""
    user = ctx.author
    return Origin(
        frontend="slash" if ctx.interaction is not None else "discord",
        guild_id=str(ctx.guild.id) if ctx.guild else None,
        channel_id=str(ctx.channel.id) if ctx.channel else None,
        user_id=str(user.id),
        actor=actor_of(user, ctx.bot.settings),
    )


def actor_of(user: discord.abc.User, settings: Settings) -> str:
    """How the audit table and the process log name a member (pseudonymous if configured)."""
    if settings.privacy_hash_user_ids:
        from coveragebot.index.privacy import hash_id

        return f"discord:{hash_id(str(user.id), settings)}"
    return f"discord:{user.id}"


def is_moderator(member: discord.abc.User, settings: Settings) -> bool:
    """Manage Server permission in the server asked in, or one of its roles named in
    bot.moderator_roles: an entry that is a number matches a role's id only, never a name."""
    if not isinstance(member, discord.Member):
        return False
    if member.guild_permissions.manage_guild:
        return True
    entries = [str(r).strip() for r in settings.bot_moderator_roles]
    ids = {e for e in entries if e.isdigit()}
    names = {e.casefold() for e in entries if not e.isdigit()}
    return any(str(role.id) in ids or role.name.casefold() in names for role in member.roles)


def moderators_only():
    """A command check that refuses non-moderators (the error cog answers politely)."""

    async def predicate(ctx: commands.Context) -> bool:
        if is_moderator(ctx.author, ctx.bot.settings):
            return True
        raise NotModerator(f"{ctx.author} is not a moderator")

    return commands.check(predicate)


def query_cooldown(ctx: commands.Context) -> commands.Cooldown | None:
    """Per-user rate limit from settings (bot.cooldown_rate per bot.cooldown_seconds)."""
    settings: Settings = ctx.bot.settings
    if settings.bot_cooldown_rate <= 0 or _counted_in_store(ctx):
        return None
    return commands.Cooldown(settings.bot_cooldown_rate, settings.bot_cooldown_seconds)


def _counted_in_store(ctx: commands.Context) -> bool:
    # Several bot processes share a store: one user's commands may reach any of them.
    service = getattr(ctx.bot, "service", None)
    return service is not None and service.store.shared


def shared_cooldown():
    """The per-user rate limit counted in a shared store, across every bot process."""

    async def predicate(ctx: commands.Context) -> bool:
        settings: Settings = ctx.bot.settings
        if settings.bot_cooldown_rate <= 0 or not _counted_in_store(ctx):
            return True
        rate, per = settings.bot_cooldown_rate, settings.bot_cooldown_seconds
        wait = await service_of(ctx).store.take_cooldown(f"user:{ctx.author.id}", rate, per)
        if wait > 0:
            raise commands.CommandOnCooldown(commands.Cooldown(rate, per), wait, commands.BucketType.user)
        return True

    return commands.check(predicate)


async def answer_command(ctx: commands.Context, service: Service, settings: Settings,
                         invocation: Invocation) -> Answer:
    """Run a command through the shared layer and send its pages."""
    if ctx.interaction is not None and not ctx.interaction.response.is_done():
        # Slash commands must be acknowledged within 3 s; the answer follows.
        await ctx.defer()
    answer, log_id = await execute_logged(service, invocation, origin_of(ctx))
    per_page = settings.who_agents_per_page if isinstance(answer, WhoAnswer) else settings.search_results_per_page
    flaggable = invocation.name in FLAGGABLE and answer.result_count > 0
    await send_pages(ctx, service, settings, pages(answer, per_page), log_id, flaggable)
    return answer


# Answers whose content extraction or ranking chose, so a member may flag them as wrong.
FLAGGABLE = frozenset({"search", "who", "quotes", "people", "context"})


async def send_pages(ctx: commands.Context, service: Service, settings: Settings,
                     answer_pages: list[Page], log_id: int | None, flaggable: bool = False) -> discord.Message | None:
    """Send the first page (with buttons when there are more, or a Flag button); log a failed delivery."""
    first = answer_pages[0]
    view = None
    on_flag = _flagger(service, settings, log_id) if flaggable and log_id is not None else None
    if len(answer_pages) > 1 or on_flag is not None:
        view = Paginator(answer_pages, ctx.author.id, settings.bot_pagination_timeout,
                         on_turn=_click_logger(service, log_id), on_flag=on_flag)
    try:
        kwargs = {"content": first.content, "embed": first.embed, "allowed_mentions": NO_MENTIONS}
        if view is not None:
            kwargs["view"] = view
        message = await ctx.send(**kwargs)
    except discord.HTTPException as exc:
        # discord.py already retried 429s and 500/502/504/524s (not 503); the row says it failed.
        log.warning("answer not delivered (%s %s)", getattr(exc, "status", "?"), exc.text if hasattr(exc, "text") else exc)
        if log_id is not None:
            await service.store.mark_failed(log_id, f"delivery failed: HTTP {getattr(exc, 'status', '?')}")
        raise
    if view is not None:
        view.message = message
    return message


def _flagger(service: Service, settings: Settings, log_id: int):
    async def flag(interaction: discord.Interaction) -> str:
        origin = Origin(
            frontend="discord",
            guild_id=str(interaction.guild_id) if interaction.guild_id else None,
            channel_id=str(interaction.channel_id) if interaction.channel_id else None,
            user_id=str(interaction.user.id),
            actor=actor_of(interaction.user, settings),
        )
        return (await flag_answer(service, log_id, origin)).text

    return flag


def _click_logger(service: Service, log_id: int | None):
    async def record(page_index: int) -> None:
        if log_id is not None:
            await service.store.record_page_turn(log_id, page_index)

    return record
