"""`!feed` in Discord (dpytest) against feeds served on 127.0.0.1, and the background poll."""

from __future__ import annotations

import discord.ext.test as dpytest
import pytest
import pytest_asyncio
from discord.ext import commands

from tests.bot.fixtures import driven_bot, make_role
from tests.index._feed_server import running_feeds


@pytest_asyncio.fixture
async def feed_bot(tmp_path):
    async with driven_bot(tmp_path / "bot.db", bot_cooldown_rate=100, bot_cooldown_seconds=1,
                          fetch_allow_private_urls=True) as built:
        yield built


@pytest_asyncio.fixture
async def site():
    async with running_feeds() as served:
        yield served


async def test_members_cannot_manage_feeds(feed_bot):
    with pytest.raises(commands.CheckFailure):
        await dpytest.message("!feed list")
    assert dpytest.get_message().content.startswith("Sorry, only moderators can do that")


async def test_a_moderator_follows_a_feed_and_the_bot_polls_it_in_the_background(feed_bot, site):
    member = dpytest.get_config().members[0]
    await dpytest.add_role(member, make_role("Editor", member.guild))
    await dpytest.message(f"!feed add {site.url('/rss.xml')}")
    assert dpytest.get_message().content.startswith("Following feed #1 ‘Harbour Times’ (rss, 3 entries now)")
    # One turn of the bot's polling loop, as it runs every minute.
    await feed_bot.get_cog("Feeds").poll()
    await dpytest.message("!feed list")
    embed = dpytest.get_embed()
    assert embed.title == "Feeds" and "**#1** *Harbour Times*" in embed.description
    assert ": 3 new, 0 updated, 0 unchanged, 0 failed" in embed.description
    await dpytest.message('!verify "We will not accept a contract that cuts our pensions"')
    assert dpytest.get_embed().description.startswith("**Verbatim** — Ana Rojas's words")
    await dpytest.message("!feed remove 1")
    assert dpytest.get_message().content.startswith("Stopped following feed #1")
