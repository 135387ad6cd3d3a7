"""A real discord.py bot around a temporary database, driven by dpytest."""

from __future__ import annotations

import discord
import discord.ext.test as dpytest
import pytest

from bot import create_bot


@pytest.fixture
async def bot(tmp_path):
    built = create_bot(db_path=tmp_path / "bot.db", intents=discord.Intents.all(),
                       bot_cooldown_rate=100, bot_cooldown_seconds=1)
    await built._async_setup_hook()
    await built.setup_hook()
    dpytest.configure(built)
    yield built
    await dpytest.empty_queue()
    await built.service.close()
    built.service = None


@pytest.fixture
def member():
    return dpytest.get_config().members[0]


@pytest.fixture
async def moderator(bot, member):
    await dpytest.add_role(member, make_role("Editor", member.guild))
    return member


def make_role(name: str, guild, permissions: int = 0):
    """A guild role in dpytest's backend (discord.py 2.7's create_role payload is newer than dpytest's)."""
    from discord.ext.test import backend

    return backend.make_role(name, guild, permissions=permissions)


async def log_rows(bot):
    return [dict(r) for r in await bot.service.store.rows("SELECT * FROM query_log ORDER BY id")]
