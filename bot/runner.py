"""`coveragebot run`: the token from the environment or .env, one clear line on failure."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path

import discord

from index.settings import Settings, config_dir

log = logging.getLogger("coveragebot")


def discord_token() -> str | None:
    """DISCORD_TOKEN from the environment, else from a .env in the working or config folder."""
    from dotenv import dotenv_values

    token = os.environ.get("DISCORD_TOKEN")
    if token:
        return token.strip()
    for folder in (Path.cwd(), config_dir()):
        values = dotenv_values(folder / ".env")
        if values.get("DISCORD_TOKEN"):
            return str(values["DISCORD_TOKEN"]).strip()
    return None


def run_bot(settings: Settings) -> int:
    """Connect, sync slash commands, serve until stopped; return an exit code."""
    from bot.app import create_bot

    token = discord_token()
    if not token:
        print("coveragebot: no Discord token; set DISCORD_TOKEN or put DISCORD_TOKEN=… in a .env file.",
              file=sys.stderr)
        return 78
    discord.utils.setup_logging(level=logging.INFO)
    bot = create_bot(settings=settings, sync_commands=True)

    async def serve() -> None:
        async with bot:
            await bot.start(token)

    try:
        asyncio.run(serve())
    except discord.LoginFailure:
        print("coveragebot: Discord refused the token (invalid or revoked); check DISCORD_TOKEN.", file=sys.stderr)
        return 77
    except discord.PrivilegedIntentsRequired:
        print("coveragebot: enable the Message Content intent for this bot in the Discord developer portal.",
              file=sys.stderr)
        return 77
    except KeyboardInterrupt:
        return 0
    return 0
