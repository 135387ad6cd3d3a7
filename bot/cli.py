"""The `coveragebot` console script's module (`coveragebot.bot.terminal.cli:main`); the terminal front end lives in bot.terminal."""

from coveragebot.bot.terminal.cli import main

__all__ = ["main"]
