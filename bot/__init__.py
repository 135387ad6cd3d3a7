"""The Discord adapter and the terminal front end of coveragebot."""

from __future__ import annotations

from typing import Any

__all__ = ["create_bot"]


def __getattr__(name: str) -> Any:
    # Import discord.py only when the bot is wanted, so terminal commands start fast.
    if name == "create_bot":
        from bot.app import create_bot

        return create_bot
    raise AttributeError(name)
