"""A real discord.py bot around a temporary database, driven by dpytest."""

from __future__ import annotations

import contextlib

import discord
import discord.ext.test as dpytest
import pytest

from coveragebot import create_bot


@contextlib.asynccontextmanager
async def driven_bot(db_path, **overrides):
    """A bot with its workspaces open, configured for dpytest; closed afterwards.

    Unless told otherwise (`workspaces_default_servers=()`, `guilds=[...]`), its one server
    uses the `default` workspace, with the seed articles, as one newsroom's bot would.
    """
    guilds = overrides.pop("guilds", None)
    members = overrides.pop("members", None)
    overrides.setdefault("workspaces_default_servers", ("*",))
    built = create_bot(db_path=db_path, intents=discord.Intents.all(), **overrides)
    await built._async_setup_hook()
    await built.setup_hook()
    options = {k: v for k, v in (("guilds", guilds), ("members", members)) if v is not None}
    dpytest.configure(built, **options)
    try:
        yield built
    finally:
        await dpytest.empty_queue()
        # Answers' buttons time out after bot.pagination_timeout: stopped now, so no view of
        # this bot wakes in a later test to edit a message its fake backend has forgotten.
        for view in set(built._connection._view_store._synced_message_views.values()):
            view.stop()
        await built.workspaces.close()
        built.workspaces = built.service = None


@pytest.fixture
async def bot(tmp_path):
    async with driven_bot(tmp_path / "bot.db", bot_cooldown_rate=100, bot_cooldown_seconds=1) as built:
        yield built


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
    return [dict(r) for r in await bot.service.store.rows("SELECT * FROM query_log ORDER BY id /* every workspace */")]


def recorded_payloads(monkeypatch) -> list[dict]:
    sent = []
    build = discord.abc.handle_message_parameters

    def recording(*args, **kwargs):
        params = build(*args, **kwargs)
        sent.append(params.payload)
        return params

    # What discord.py hands the HTTP layer, allowed_mentions included.
    monkeypatch.setattr(discord.abc, "handle_message_parameters", recording)
    return sent
