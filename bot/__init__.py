"""The front ends: bot.chat (Discord: app, cogs, views, renderers) and bot.terminal (the
`coveragebot` command and its renderers). `from coveragebot import create_bot` builds the Discord bot.

May import: index.commands and what its answers carry (index.answers, index.settings, index.service);
never SQL, spaCy or scoring. bot.chat never imports bot.terminal.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_bot"]


def __getattr__(name: str) -> Any:
    # Import discord.py only when the bot is wanted, so terminal commands start fast.
    if name == "create_bot":
        from coveragebot.bot.chat.app import create_bot

        return create_bot
    raise AttributeError(name)
