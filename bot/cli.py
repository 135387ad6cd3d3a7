"""The `coveragebot` console script's module (`bot.terminal.cli:main`); the terminal front end lives in bot.terminal."""

from bot.terminal.cli import main

__all__ = ["main"]
