"""Query commands through the real discord.py command framework (dpytest)."""

from __future__ import annotations

import discord.ext.test as dpytest
import pytest
from discord.ext import commands

from tests.bot.fixtures import log_rows, recorded_payloads


async def test_search_answers_with_quoted_passage_and_source(bot):
    await dpytest.message("!search cocaine production")
    embed = dpytest.get_embed()
    assert embed.title == "Search: cocaine production"
    assert "> Bessent remarked that under Petro's leadership, **cocaine** **production** in Colombia" in embed.description
    assert "article #2 (`004_c9b221dd130e149a`)" in embed.description


async def test_find_is_an_alias_of_search(bot):
    await dpytest.message("!find Bogota")
    assert "Bogotá" in dpytest.get_embed().description


async def test_sources_lists_the_seed_articles(bot):
    await dpytest.message("!sources")
    description = dpytest.get_embed().description
    assert "`000_17be2d3fc3a7a9ed`" in description and "`004_c9b221dd130e149a`" in description


async def test_help_lists_commands_with_examples(bot):
    await dpytest.message("!help")
    description = dpytest.get_embed().description
    for usage in ("!search <words>", "!sources", "!context <passage id>", "!remove <article id>"):
        assert usage in description
    assert "Example: `!search cocaine production`" in description


async def test_help_lists_every_moderator_command_under_one_heading(bot):
    await dpytest.message("!help")
    description = dpytest.get_embed().description
    everyone, heading, moderators = description.partition(
        "__**Moderator commands (Manage Server permission or a moderator role)**__")
    assert heading, description
    assert "`!search <words>`" in everyone and "!add" not in everyone
    for usage in ("`!add <url>", "`!remove <article id>`", "`!reindex`", "`!stats [gaps|export]"):
        assert usage in moderators
    assert description.count("oderator") == 2  # the heading's two words, not one per entry


async def test_counts_are_english_for_one(bot, moderator):
    await dpytest.message("!add Harbour strike ends\nDockworkers walked out in Valparaíso on Monday. "
                          "“We will stay out until the port pays us,” said Ana Rojas, a union leader.")
    assert dpytest.get_message().content.endswith(": 2 sentences, 1 statement by 1 person.")
    await dpytest.message("!search Valparaíso")
    assert dpytest.get_embed().footer.text == "1 passage · !context <id> for more"
    await dpytest.message("!people")
    assert "**Ana Rojas** — 1 statement in 1 article" in dpytest.get_embed().description
    await dpytest.message("!quotes Ana Rojas")
    assert dpytest.get_embed().footer.text == "1 statement"
    await dpytest.message("!who walked out")
    assert "**Dockworkers** (1 sentence, 1 article)" in dpytest.get_embed().description


async def test_unknown_command_gets_a_hint(bot):
    with pytest.raises(commands.CommandNotFound):
        await dpytest.message("!serch sanctions")
    assert dpytest.get_message().content == "Unknown command `serch`. Did you mean `!search`?"
    rows = await log_rows(bot)
    assert rows[-1]["command"] == "unknown" and rows[-1]["ok"] == 0


async def test_empty_search_gets_usage(bot):
    await dpytest.message("!search")
    assert dpytest.get_message().content.startswith("Usage: `!search <words>`")


async def test_no_result_suggests_indexed_words(bot):
    await dpytest.message("!search sanctons")
    content = dpytest.get_message().content
    assert content.startswith("No passages match “sanctons”.")
    assert "`sanctions`" in content


async def test_context_shows_neighbours(bot):
    await dpytest.message("!context 7")
    embed = dpytest.get_embed()
    assert embed.title == "Context of passage #7"
    assert embed.description.count("\n> ") + embed.description.startswith("> ") >= 3
    assert "**▶**" in embed.description


async def test_everyone_in_a_query_pings_nobody(bot, monkeypatch):
    sent = recorded_payloads(monkeypatch)
    await dpytest.message("!search @everyone @here <@&123> sanctions")
    await dpytest.message("!sources")
    assert len(sent) == 2
    assert all(p["allowed_mentions"]["parse"] == [] for p in sent)
    assert all("users" not in p["allowed_mentions"] and "roles" not in p["allowed_mentions"] for p in sent)
    assert "@everyone" in sent[0]["embeds"][0]["title"]


def test_bot_default_allows_no_mentions(tmp_path):
    from coveragebot import create_bot

    built = create_bot(db_path=tmp_path / "x.db")
    assert built.allowed_mentions.to_dict() == {"parse": []}


async def test_every_command_writes_one_log_row(bot):
    before = len(await log_rows(bot))
    await dpytest.message("!search sanctions")
    await dpytest.message("!sources")
    await dpytest.message("!help")
    rows = (await log_rows(bot))[before:]
    assert [r["command"] for r in rows] == ["search", "sources", "help"]
    first = rows[0]
    config = dpytest.get_config()
    assert first["frontend"] == "discord"
    assert first["guild_id"] == str(config.guilds[0].id)
    assert first["channel_id"] == str(config.channels[0].id)
    assert first["user_id"] == str(config.members[0].id)
    assert first["query"] == "sanctions" and first["result_count"] > 0 and first["latency_ms"] > 0


async def test_cooldown_says_when_to_try_again(bot):
    bot.settings = bot.settings.__class__(**{**bot.settings.__dict__, "bot_cooldown_rate": 1, "bot_cooldown_seconds": 60})
    await dpytest.message("!sources")
    dpytest.get_message()
    with pytest.raises(commands.CommandOnCooldown):
        await dpytest.message("!sources")
    assert dpytest.get_message().content.startswith("Easy there — try again in ")


async def test_who_pages_by_its_own_setting(bot):
    settings = bot.settings.__class__(**{**bot.settings.__dict__, "who_agents_per_page": 1})
    for cog in bot.cogs.values():
        if hasattr(cog, "settings"):
            cog.settings = settings
    await dpytest.message("!who sanctioned")
    embed = dpytest.get_embed()
    assert embed.footer.text.startswith("Page 1/3")
    assert embed.description.startswith("**the US**") and "Treasury" not in embed.description


async def test_quotes_asks_which_person_a_shared_surname_means_and_people_lists_sources_apart(bot, moderator):
    await dpytest.message("!add Two Clintons in Iowa\nBill Clinton and Hillary Clinton campaigned in Iowa on Tuesday. "
                          "“The economy is strong,” Mr. Clinton said. “We need a raise for workers,” Mrs. Clinton said. "
                          "Officials said the crowd was the largest of the year.")
    dpytest.get_message()
    await dpytest.message("!quotes Clinton")
    asked = dpytest.get_message()
    assert "could be 2 speakers" in asked.content and "Which one?" in asked.content
    assert "Bill Clinton (1 in 1 article)" in asked.content and "Hillary Clinton (1 in 1 article)" in asked.content
    await dpytest.message("!quotes Bill Clinton")
    assert "The economy is strong" in dpytest.get_embed().description
    await dpytest.message("!people")
    listed = dpytest.get_embed().description
    assert listed.index("__Who is quoted__") < listed.index("**Bill Clinton**") < listed.index("__Other sources__")
    assert "**officials** (group of people)" in listed
    await dpytest.message("!people kind:group")
    only = dpytest.get_embed().description
    assert "**officials**" in only and "Clinton" not in only


async def test_who_answers_what_happened_then_labels_what_was_only_demanded(bot, moderator):
    await dpytest.message("!add Quarry closes\nThe quarry owner closed the north pit on Monday. "
                          "Neighbours urged the council to close the south pit as well.")
    dpytest.get_message()
    await dpytest.message("!who closed")
    description = dpytest.get_embed().description
    assert description.startswith("**quarry owner** (1 sentence, 1 article)")
    assert "__Also reported as demanded, not as done__" in description
    assert "**council** (1 sentence, 1 article) — *demanded or called for*" in description
    assert description.index("quarry owner") < description.index("Also reported") < description.index("council")


async def test_a_speaker_quoted_more_than_a_listing_holds_says_how_many_in_all(tmp_path):
    from tests.bot.fixtures import driven_bot

    async with driven_bot(tmp_path / "bot.db", quotes_max_listed=2):
        await dpytest.message("!quotes Petro")
        embed = dpytest.get_embed()
        assert embed.footer.text.endswith("newest 2 of 7 statements")
        assert embed.description.count("statement `#") == 2
        await dpytest.message("!people")
        assert "__Other sources (the 2 most quoted of 3)__" in dpytest.get_embed().description
