"""Watch alerts in Discord (dpytest): fired by `!add` and by a feed poll, no pings, one post
per article, the per-channel rate limit with its digest line, and only this shard's guilds."""

from __future__ import annotations

import discord.ext.test as dpytest
import pytest_asyncio

from coveragebot.index.watches.table import add_watch
from tests.bot.fixtures import driven_bot, make_role, recorded_payloads
from tests.index._feed_server import running_feeds


@pytest_asyncio.fixture
async def watch_bot(tmp_path):
    async with driven_bot(tmp_path / "bot.db", bot_cooldown_rate=100, bot_cooldown_seconds=1,
                          fetch_allow_private_urls=True, watches_posts_per_minute=3,
                          watches_check_seconds=3600) as built:  # the test turns the loop's crank itself
        member = dpytest.get_config().members[0]
        await dpytest.add_role(member, make_role("Editor", member.guild))
        yield built


def story(n: int) -> str:
    return (f"!add Harbour story {n}\nDockworkers met on day {n} of the talks in Valparaíso. "
            f"“We will keep talking until day {n + 1},” said Ana Rojas, the union leader. @everyone")


async def test_a_watch_fires_on_an_add_once_pinging_nobody(watch_bot, monkeypatch):
    await dpytest.message("!watch Ana Rojas")
    assert dpytest.get_message().content.startswith("Watch #1: new coverage with a statement by Ana Rojas")
    await dpytest.message(story(1))
    dpytest.get_message()
    sent = recorded_payloads(monkeypatch)
    cog = watch_bot.get_cog("Watches")
    assert await cog.post_alerts() == 1
    alert = dpytest.get_message().content
    assert alert.startswith("🔔 Watch #1 · **Ana Rojas** (direct)\n> We will keep talking until day 2")
    assert "Harbour story 1" in alert
    assert sent[-1]["allowed_mentions"]["parse"] == []
    assert await cog.post_alerts() == 0  # once per article


async def test_a_watch_fires_on_a_feed_poll(watch_bot):
    async with running_feeds() as site:
        await dpytest.message('!watch "cuts our pensions"')
        dpytest.get_message()
        await dpytest.message(f"!feed add {site.url('/rss.xml')}")
        dpytest.get_message()
        await watch_bot.get_cog("Feeds").poll()
        assert await watch_bot.get_cog("Watches").post_alerts() == 1
        alert = dpytest.get_message().content
        assert alert.startswith("🔔 Watch #1 · “cuts our pensions”\n> “We will not accept a contract that cuts")
        assert "Port workers end three-week strike" in alert


async def test_many_alerts_at_once_keep_to_the_rate_limit_with_one_digest_line(watch_bot):
    await dpytest.message("!watch Ana Rojas")
    dpytest.get_message()
    for n in range(1, 6):
        await dpytest.message(story(n))
        dpytest.get_message()
    cog = watch_bot.get_cog("Watches")
    assert await cog.post_alerts() == 3  # the limit: 2 alerts and the digest
    first, second, digest = (dpytest.get_message().content for _ in range(3))
    assert first.startswith("🔔 Watch #1") and second.startswith("🔔 Watch #1")
    assert digest.startswith("🔔 …and 3 more new articles for this channel's watches:")
    assert await cog.post_alerts() == 0
    await dpytest.message(story(6))
    dpytest.get_message()
    assert await cog.post_alerts() == 0  # still within the minute: it waits


async def test_a_watch_of_a_guild_another_shard_serves_is_not_posted_here(watch_bot):
    await add_watch(watch_bot.service.store, "999", "998", "person", "Ana Rojas", "test")
    await dpytest.message(story(1))
    dpytest.get_message()
    assert await watch_bot.get_cog("Watches").post_alerts() == 0
    assert await watch_bot.service.store.scalar("SELECT count(*) FROM watch_alerts /* every workspace */") == 0


async def test_members_cannot_watch_unless_the_setting_opens_it(tmp_path):
    from discord.ext import commands
    import pytest

    async with driven_bot(tmp_path / "a.db", bot_cooldown_rate=100) as built:
        with pytest.raises(commands.CheckFailure):
            await dpytest.message("!watch Ana Rojas")
        assert dpytest.get_message().content.startswith("Sorry, only moderators can do that")
    async with driven_bot(tmp_path / "b.db", bot_cooldown_rate=100, watches_members_can_watch=True) as built:
        await dpytest.message("!watch Ana Rojas")
        assert dpytest.get_message().content.startswith("Watch #1:")
        assert built.settings.watches_members_can_watch
