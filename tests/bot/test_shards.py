"""bot.shard_count / bot.shard_ids: several processes split the guilds between them."""

from __future__ import annotations

from discord.ext import commands

from coveragebot.bot.chat.app import CoverageBot, create_bot


def test_no_shard_count_is_one_plain_connection(tmp_path):
    bot = create_bot(db_path=tmp_path / "a.db")
    assert type(bot) is CoverageBot and not isinstance(bot, commands.AutoShardedBot)


def test_a_shard_count_makes_an_auto_sharded_bot_serving_its_shards(tmp_path):
    bot = create_bot(db_path=tmp_path / "b.db", bot_shard_count=4, bot_shard_ids=(1, 3))
    assert isinstance(bot, commands.AutoShardedBot) and isinstance(bot, CoverageBot)
    assert (bot.shard_count, bot.shard_ids) == (4, [1, 3])
    assert bot.command_prefix == "!" and bot.get_cog  # the same bot otherwise


def test_shard_ids_come_from_the_environment_as_a_list(tmp_path, monkeypatch):
    monkeypatch.setenv("COVERAGEBOT_BOT_SHARD_COUNT", "2")
    monkeypatch.setenv("COVERAGEBOT_BOT_SHARD_IDS", "0")
    bot = create_bot(db_path=tmp_path / "c.db")
    assert (bot.shard_count, bot.shard_ids) == (2, [0])
