"""Query commands: search, sources, context, who, quotes, people, verify, help."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from coveragebot.bot.chat.cogs._reply import answer_command, query_cooldown, shared_cooldown
from coveragebot.bot.chat.servers import service_for_interaction, service_of
from coveragebot.index.commands import Invocation, complete_articles, complete_speakers
from coveragebot.index.people.kinds import KINDS as SOURCE_KINDS
from coveragebot.index.settings import Settings
from coveragebot.index.workspaces import Workspaces


class QueryCog(commands.Cog, name="Query"):
    """Everyone's commands: each one is `!name` in chat and `/name` as a slash command,
    answered from the asker's workspace."""

    def __init__(self, workspaces: Workspaces, settings: Settings) -> None:
        self.workspaces = workspaces
        self.settings = settings

    async def _answer(self, ctx: commands.Context, name: str, argument: str = "") -> None:
        await answer_command(ctx, service_of(ctx), self.settings, Invocation(name, argument.strip()))

    @commands.hybrid_command(name="search", aliases=["find"], description="Passages that match your words, quoted with sources.")
    @app_commands.describe(query="Words to look for, e.g. cocaine production")
    @commands.dynamic_cooldown(query_cooldown, commands.BucketType.user)
    @shared_cooldown()
    async def search(self, ctx: commands.Context, *, query: str = "") -> None:
        await self._answer(ctx, "search", query)

    @commands.hybrid_command(name="sources", aliases=["articles"], description="The articles in the index.")
    @commands.dynamic_cooldown(query_cooldown, commands.BucketType.user)
    @shared_cooldown()
    async def sources(self, ctx: commands.Context) -> None:
        await self._answer(ctx, "sources")

    @commands.hybrid_command(name="context", description="A passage with the sentences around it.")
    @app_commands.describe(passage="Passage id shown with a result, e.g. 12")
    @commands.dynamic_cooldown(query_cooldown, commands.BucketType.user)
    @shared_cooldown()
    async def context(self, ctx: commands.Context, passage: str = "") -> None:
        await self._answer(ctx, "context", passage)

    @commands.hybrid_command(name="who", description="Who did an action, with the sentence that shows it.")
    @app_commands.describe(action="A verb phrase, optionally with its target, e.g. sanctioned Benedetti")
    @commands.dynamic_cooldown(query_cooldown, commands.BucketType.user)
    @shared_cooldown()
    async def who(self, ctx: commands.Context, *, action: str = "") -> None:
        await self._answer(ctx, "who", action)

    @commands.hybrid_command(name="quotes", description="What a person said, direct and reported, with sources.")
    @app_commands.describe(person="A name, optionally followed by 'about <topic>', e.g. Petro about cocaine")
    @commands.dynamic_cooldown(query_cooldown, commands.BucketType.user)
    @shared_cooldown()
    async def quotes(self, ctx: commands.Context, *, person: str = "") -> None:
        await self._answer(ctx, "quotes", person)

    @commands.hybrid_command(name="verify", description="Were these words printed in the coverage, by whom, where?")
    @app_commands.describe(words='The words in quotation marks, optionally followed by a person: "we will win" Petro')
    @commands.dynamic_cooldown(query_cooldown, commands.BucketType.user)
    @shared_cooldown()
    async def verify(self, ctx: commands.Context, *, words: str = "") -> None:
        await self._answer(ctx, "verify", words)

    @quotes.autocomplete("person")
    async def quotes_person(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        """Speaker names as the user types, most quoted first."""
        service = await service_for_interaction(interaction)
        names = await complete_speakers(service, current) if service is not None else []
        return [app_commands.Choice(name=name[:100], value=name[:100]) for name in names]

    @context.autocomplete("passage")
    async def context_passage(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        """Articles by id or title; choosing one opens its first passage."""
        service = await service_for_interaction(interaction)
        found = await complete_articles(service, current, first_passage=True) if service is not None else []
        return [app_commands.Choice(name=label, value=str(number)) for label, number in found]

    @commands.hybrid_command(name="people", description="Who is quoted, how often, in how many articles.")
    @commands.dynamic_cooldown(query_cooldown, commands.BucketType.user)
    @shared_cooldown()
    @app_commands.describe(kind="Only one kind of source: outlet, group, organization, document, anonymous")
    @app_commands.choices(kind=[app_commands.Choice(name=k, value=k) for k in SOURCE_KINDS])
    async def people(self, ctx: commands.Context, kind: str = "") -> None:
        await self._answer(ctx, "people", f"kind:{kind}" if kind and not kind.startswith("kind:") else kind)

    @commands.hybrid_command(name="help", aliases=["commands"], description="The commands, with examples.")
    async def help(self, ctx: commands.Context) -> None:
        await self._answer(ctx, "help")
