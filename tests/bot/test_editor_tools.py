"""Issue 14 through Discord: every !who sentence shown, compact pages, !fix, the Flag button, autocomplete."""

from __future__ import annotations

import itertools

import discord
import discord.ext.test as dpytest
import pytest

from coveragebot.bot.chat.cogs._reply import NotModerator

from coveragebot.bot.chat.views import FLAG_ID, Paginator
from tests.bot._interactions import button_click, record_responses

_ids = itertools.count(800_000_000_000_000_000)


def autocomplete_interaction(bot, member, channel, command: str, option: str, typed: str) -> discord.Interaction:
    """An autocomplete interaction (type 4) as the gateway would deliver it."""
    payload = {
        "id": str(next(_ids)), "application_id": str(next(_ids)), "type": 4, "token": "token", "version": 1,
        "data": {"id": str(next(_ids)), "name": command, "type": 1,
                 "options": [{"name": option, "type": 3, "value": typed, "focused": True}]},
        "channel_id": str(channel.id), "guild_id": str(channel.guild.id),
        "member": {"user": {"id": str(member.id), "username": member.name, "discriminator": "0001", "avatar": None},
                   "roles": [], "joined_at": "2024-01-01T00:00:00+00:00", "deaf": False, "mute": False,
                   "permissions": "0", "flags": 0},
        "locale": "en-US", "guild_locale": "en-US", "app_permissions": "0", "entitlements": [],
        "authorizing_integration_owners": {}, "attachment_size_limit": 8_000_000,
    }
    return discord.Interaction(data=payload, state=bot._connection)


async def test_who_shows_every_sentence_it_counts(bot):
    await dpytest.message("!who sanctioned")
    description = dpytest.get_embed().description
    assert "**the US** (2 sentences, 2 articles)" in description
    assert "> The US has placed sanctions on Colombia" in description
    assert "> Colombian President Gustavo Petro has strongly rejected U.S. sanctions" in description


async def test_a_search_page_names_each_article_once(bot):
    await dpytest.message("!search Petro")
    description = dpytest.get_embed().description
    assert description.count("article #2 (`004_c9b221dd130e149a`)") == 1
    assert description.count("article #1 (`000_17be2d3fc3a7a9ed`)") <= 1


async def test_quotes_show_statement_ids_that_fix_takes(bot, moderator):
    await dpytest.message("!quotes Bessent")
    description = dpytest.get_embed().description
    statement_id = int(description.split("statement `#", 1)[1].split("`", 1)[0])
    await dpytest.message(f"!fix speaker {statement_id} Treasury Secretary Scott Bessent Jr")
    assert "is now" in dpytest.get_message().content
    rows = await bot.service.store.rows("SELECT kind, actor FROM corrections /* every workspace */")
    assert [(r["kind"], r["actor"]) for r in rows] == [("speaker", f"discord:{moderator.id}")]


async def test_fix_is_for_moderators_only(bot):
    with pytest.raises(NotModerator):
        await dpytest.message("!fix hide agent the US")
    assert dpytest.get_message().content.startswith("Sorry, only moderators")
    assert await bot.service.store.scalar("SELECT count(*) FROM corrections /* every workspace */") == 0


async def test_any_member_can_flag_an_answer_and_editors_see_it_in_gaps(bot, moderator, monkeypatch):
    sent = record_responses(monkeypatch)
    await dpytest.message("!quotes Petro")
    message = dpytest.get_message()
    view = bot._connection._view_store._synced_message_views.get(message.id)
    assert isinstance(view, Paginator) and view.flag.custom_id == FLAG_ID
    channel = dpytest.get_config().channels[0]
    other = await dpytest.member_join(name="Reporter")
    click = button_click(bot, other, channel)
    click.data["custom_id"] = FLAG_ID
    assert await view.interaction_check(click)
    await view.flag.callback(click)
    assert "flagged" in sent[-1]["data"]["content"] and sent[-1]["data"]["flags"] & 64
    assert sent[-1]["data"]["allowed_mentions"]["parse"] == []
    assert await bot.service.store.scalar("SELECT count(*) FROM flags /* every workspace */") == 1
    await dpytest.message("!stats gaps")
    embed = dpytest.get_embed()
    assert "Petro" in (embed.description or "") + "".join(f.value for f in embed.fields)


async def test_slash_autocomplete_offers_speakers_and_articles(bot):
    config = dpytest.get_config()
    member, channel = config.members[0], config.channels[0]
    query = bot.get_cog("Query")
    choices = await query.quotes_person(autocomplete_interaction(bot, member, channel, "quotes", "person", "pet"), "pet")
    assert choices[0].value == "Gustavo Petro"
    assert bot.get_command("quotes").app_command._params["person"].autocomplete is not None
    articles = await query.context_passage(autocomplete_interaction(bot, member, channel, "context", "passage", ""), "")
    assert len(articles) == 2 and all(c.name.startswith("#") and c.value.isdigit() for c in articles)
    admin = bot.get_cog("Admin")
    removable = await admin.remove_article(autocomplete_interaction(bot, member, channel, "remove", "article", "#2"), "#2")
    assert removable[0].value == "2"
