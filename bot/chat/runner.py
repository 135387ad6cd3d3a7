"""`coveragebot run`: the token from the environment or .env, one clear line on failure."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path

import aiohttp
import discord

from coveragebot.bot.exits import EXIT_CONFIG, EXIT_FAILED, EXIT_NO_PERMISSION, EXIT_OK
from coveragebot.index.settings import Settings, config_dir


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
    from coveragebot.bot.chat.app import create_bot

    token = discord_token()
    if not token:
        print("coveragebot: no Discord token; set DISCORD_TOKEN or put DISCORD_TOKEN=… in a .env file.",
              file=sys.stderr)
        return EXIT_CONFIG
    # The CLI's root handler prints discord.py's records already (each line once), so no
    # discord.utils.setup_logging here: its second handler would print every line twice.
    logging.getLogger("discord.client").addFilter(_no_voice_warnings)
    bot = create_bot(settings=settings, sync_commands=True)

    async def serve() -> None:
        async with bot:
            await bot.start(token)

    try:
        asyncio.run(serve())
    except discord.LoginFailure:
        print("coveragebot: Discord refused the token (invalid or revoked); check DISCORD_TOKEN.", file=sys.stderr)
        return EXIT_NO_PERMISSION
    except discord.PrivilegedIntentsRequired:
        print("coveragebot: enable the Message Content intent for this bot in the Discord developer portal.",
              file=sys.stderr)
        return EXIT_NO_PERMISSION
    except (aiohttp.ClientConnectionError, asyncio.TimeoutError, discord.GatewayNotFound) as exc:
        print(f"coveragebot: cannot reach Discord ({_reason(exc)}); check the network connection and try again.",
              file=sys.stderr)
        return EXIT_FAILED
    except discord.HTTPException as exc:
        print(f"coveragebot: Discord answered HTTP {exc.status} at login; try again later.", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return EXIT_OK
    return EXIT_OK


def _no_voice_warnings(record: logging.LogRecord) -> bool:
    # coveragebot only writes text: "PyNaCl is not installed, voice will NOT be supported"
    # on every start would send a new user looking for a problem that is not there.
    return "voice will NOT be supported" not in record.getMessage()


def _reason(exc: BaseException) -> str:
    """The innermost cause in a few words: `Name or service not known`, `Connection refused`."""
    while exc.__cause__ is not None:
        exc = exc.__cause__
    reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return reason.strip()[:200]
