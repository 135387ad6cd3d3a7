"""Buttons under an answer: Previous/Next for the asker, Flag as wrong for any member."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import discord

from coveragebot.bot.chat.pages import NO_MENTIONS, Page

log = logging.getLogger(__name__)


FLAG_ID = "coveragebot:flag"


class Paginator(discord.ui.View):
    """Pages an answer in place; other users are told the paging buttons are not theirs.

    With `on_flag`, a Flag button lets any member mark the answer as wrong; a one-page
    answer then shows only that button.
    """

    def __init__(
        self,
        pages: list[Page],
        owner_id: int,
        timeout: float = 120,
        on_turn: Callable[[int], Awaitable[None]] | None = None,
        on_flag: Callable[[discord.Interaction], Awaitable[str]] | None = None,
    ) -> None:
        super().__init__(timeout=timeout)
        self.pages = pages
        self.owner_id = owner_id
        self.index = 0
        self.message: discord.Message | None = None
        self.on_turn = on_turn
        self.on_flag = on_flag
        if len(pages) < 2:
            self.remove_item(self.previous)
            self.remove_item(self.next)
        if on_flag is not None:
            self.flag = discord.ui.Button(label="Flag as wrong", style=discord.ButtonStyle.danger, custom_id=FLAG_ID)
            self.flag.callback = self.flag_answer
            self.add_item(self.flag)
        self._sync_buttons()

    async def flag_answer(self, interaction: discord.Interaction) -> None:
        """Any member may flag; the reply is for them alone."""
        text = await self.on_flag(interaction)
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= len(self.pages) - 1

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id or (interaction.data or {}).get("custom_id") == FLAG_ID:
            return True
        await interaction.response.send_message(
            "These buttons belong to whoever asked; run the command yourself to page.",
            ephemeral=True, allowed_mentions=NO_MENTIONS,
        )
        return False

    async def turn(self, interaction: discord.Interaction, step: int) -> None:
        """Show the page `step` away from the current one."""
        self.index = max(0, min(len(self.pages) - 1, self.index + step))
        self._sync_buttons()
        page = self.pages[self.index]
        await interaction.response.edit_message(content=page.content, embed=page.embed, view=self,
                                                allowed_mentions=NO_MENTIONS)
        if self.on_turn is not None:
            await self.on_turn(self.index)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self.turn(interaction, -1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.primary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self.turn(interaction, +1)

    async def on_timeout(self) -> None:
        # Grey the buttons out so nobody clicks a dead control.
        for item in self.children:
            item.disabled = True
        if self.message is not None:
            try:
                await self.message.edit(view=self)
            except discord.HTTPException:
                log.info("could not disable buttons on an old answer", exc_info=True)
        self.stop()
