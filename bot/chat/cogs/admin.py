"""Moderator commands: add, remove, fix, feed, reindex."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from coveragebot.bot.chat.cogs._reply import answer_command, moderators_only, origin_of, send_pages
from coveragebot.bot.chat.pages import NO_MENTIONS
from coveragebot.bot.chat.render import pages
from coveragebot.bot.chat.servers import service_for_interaction, service_of
from coveragebot.index.answers import AddOutcome
from coveragebot.index.commands import Invocation, add_answer, complete_articles, log_command
from coveragebot.index.ingest.items import Item, is_url
from coveragebot.index.settings import Settings
from coveragebot.index.workspaces import Workspaces

log = logging.getLogger(__name__)


class AdminCog(commands.Cog, name="Admin"):
    """Corpus management for members with Manage Server or a moderator role, on the
    workspace of the server they are in."""

    def __init__(self, workspaces: Workspaces, settings: Settings) -> None:
        self.workspaces = workspaces
        self.settings = settings

    @commands.hybrid_command(name="add", description="Add articles: a URL, attached files, or pasted text (title first).")
    @app_commands.describe(
        source="A URL, or pasted text with the title on the first line",
        file="A .txt, .md, .html or .json file",
    )
    @moderators_only()
    async def add(self, ctx: commands.Context, file: discord.Attachment | None = None, *, source: str = "") -> None:
        if ctx.interaction is not None:
            await ctx.defer()
        attachments = [file] if file is not None else []
        if ctx.interaction is None:
            attachments = list(ctx.message.attachments)
        service = service_of(ctx)
        items, refusals = await self._items(source, attachments)
        origin = origin_of(ctx)
        if not items and not refusals:
            answer = add_answer([])
            text = "Usage: `!add <url>`, `!add` with files attached, or `!add` + a title line and the pasted text."
            from coveragebot.index.answers import Notice

            notice = Notice("add", "usage", text, ok=False)
            log_id = await log_command(service, Invocation("add", source[:200]), origin, notice, 0.0, "")
            await send_pages(ctx, service, self.settings, pages(notice), log_id)
            return
        progress_message = None
        if len(items) > 1:
            progress_message = await ctx.send(f"Adding {len(items)} items…", allowed_mentions=NO_MENTIONS)

        async def progress(done: int, total: int, message: str) -> None:
            if progress_message is not None:
                try:
                    await progress_message.edit(content=f"Adding… {done}/{total} done. Last: {message[:300]}",
                                               allowed_mentions=NO_MENTIONS)
                except discord.HTTPException:
                    log.info("progress edit failed", exc_info=True)

        import time

        started = time.perf_counter()
        outcomes = await service.add_items(items, origin.actor, progress)
        answer = add_answer(refusals + outcomes)
        log_id = await log_command(service, Invocation("add", _describe(items, source)), origin, answer,
                                   (time.perf_counter() - started) * 1000, "")
        await send_pages(ctx, service, self.settings, pages(answer), log_id)

    async def _items(self, source: str, attachments: list[discord.Attachment]):

        items: list[Item] = []
        refusals: list[AddOutcome] = []
        limit = self.settings.ingest_max_file_bytes
        for attachment in attachments:
            if attachment.size and attachment.size > limit:
                refusals.append(AddOutcome("failed", f"{attachment.filename}: file is {attachment.size:,} bytes, over the {limit:,} limit"))
                continue
            try:
                data = await attachment.read()
            except discord.HTTPException:
                refusals.append(AddOutcome("failed", f"{attachment.filename}: could not be downloaded from Discord"))
                continue
            items.append(Item(attachment.filename, "upload", data))
        text = source.strip()
        if text:
            words = text.split()
            if all(is_url(w) for w in words):
                items.extend(Item(w, "url", w) for w in words)
            else:
                items.append(Item("pasted text", "paste", text))
        return items, refusals

    @commands.hybrid_command(name="remove", description="Remove an article from every answer.")
    @app_commands.describe(article="Article id from !sources, e.g. 17")
    @moderators_only()
    async def remove(self, ctx: commands.Context, article: str = "") -> None:
        await answer_command(ctx, service_of(ctx), self.settings, Invocation("remove", article))

    @remove.autocomplete("article")
    async def remove_article(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        """Articles by id or title, newest first."""
        service = await service_for_interaction(interaction)
        if service is None:
            return []
        found = await complete_articles(service, current)
        return [app_commands.Choice(name=label, value=str(number)) for label, number in found]

    @commands.hybrid_command(name="fix", description="Correct a statement's speaker or kind, hide a statement or agent, merge speakers.")
    @app_commands.describe(correction="e.g. speaker 12 Gustavo Petro · kind 12 indirect · hide agent SURABAYA · merge A into B · list")
    @moderators_only()
    async def fix(self, ctx: commands.Context, *, correction: str = "") -> None:
        await answer_command(ctx, service_of(ctx), self.settings, Invocation("fix", correction))

    @commands.hybrid_command(name="feed", description="Follow news feeds: add <url>, list, remove <id>.")
    @app_commands.describe(action="add <url>, list, remove <id> or poll")
    @moderators_only()
    async def feed(self, ctx: commands.Context, *, action: str = "") -> None:
        if ctx.interaction is not None:
            await ctx.defer()
        await answer_command(ctx, service_of(ctx), self.settings, Invocation("feed", action))

    @commands.hybrid_command(name="reindex", description="Recompute statements and actions, rebuild the index.")
    @moderators_only()
    async def reindex(self, ctx: commands.Context) -> None:
        await answer_command(ctx, service_of(ctx), self.settings, Invocation("reindex"))


def _describe(items: list[Item], source: str) -> str:
    labels = [i.label for i in items]
    return ", ".join(labels)[:500] if labels else source[:200]
