"""A bot on a PostgreSQL store shared with other bot processes."""

from __future__ import annotations

import discord.ext.test as dpytest
import pytest
from discord.ext import commands

from coveragebot.index.storage.postgres import PostgresStore
from tests.bot.fixtures import driven_bot


@pytest.fixture
async def shared_bot(postgres_server, tmp_path):
    url = postgres_server.new_database()
    async with driven_bot(tmp_path / "unused.db", storage_url=url, storage_index=str(tmp_path / "replica"),
                          bot_cooldown_rate=2, bot_cooldown_seconds=60) as built:
        yield built
    postgres_server.drop_database(url)


async def test_commands_answered_by_another_process_count_toward_the_cooldown(shared_bot):
    member = dpytest.get_config().members[0]
    other = await PostgresStore.open(shared_bot.settings.storage_url)
    try:
        # Another shard answered this user twice in the last minute.
        for _ in range(2):
            assert await other.take_cooldown(f"user:{member.id}", 2, 60) == 0
    finally:
        await other.close()
    with pytest.raises(commands.CommandOnCooldown):
        await dpytest.message("!sources")
    assert dpytest.get_message().content.startswith("Easy there — try again in ")


async def test_a_bot_on_postgresql_answers_and_logs(shared_bot):
    await dpytest.message("!search sanctions")
    assert dpytest.get_embed().description
    [row] = await shared_bot.service.store.rows("SELECT command, query FROM query_log /* every workspace */")
    assert (row["command"], row["query"]) == ("search", "sanctions")
