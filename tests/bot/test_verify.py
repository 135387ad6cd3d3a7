"""`!verify` in Discord, through the real command framework (dpytest) and the bundled seeds."""

from __future__ import annotations

import discord.ext.test as dpytest

from tests.bot.fixtures import log_rows


async def test_verify_verbatim_names_the_speaker_and_the_source(bot):
    await dpytest.message('!verify "Trump doesn’t even know where Colombia is" Petro')
    embed = dpytest.get_embed()
    assert embed.title == "Verify: “Trump doesn’t even know where Colombia is” (Petro)"
    assert embed.description.startswith("**Verbatim** — Gustavo Petro's words (direct quotation).")
    assert "part of a longer statement" in embed.description
    assert "Printed in 1 article, oldest first:" in embed.description
    assert "passage `#9`" in embed.description and "__Context__" in embed.description


async def test_verify_close_marks_the_changed_negation(bot):
    await dpytest.message('!verify "Trump does even know where Colombia is"')
    description = dpytest.get_embed().description
    assert description.startswith("**Close, not verbatim**")
    assert "> Trump **doesn’t** even know where Colombia is" in description
    assert "• printed “doesn’t”, not “does” (negation)" in description


async def test_verify_someone_elses_words_says_whose(bot):
    await dpytest.message('!verify "cocaine production in Colombia has exploded" Petro')
    description = dpytest.get_embed().description
    assert "reported speech, not a quotation" in description
    assert "⚠️ Printed as **Scott Bessent**'s words, not Petro's." in description


async def test_verify_not_found_labels_the_nearest_passages(bot):
    await dpytest.message('!verify "the moon is made of green cheese and sanctions"')
    description = dpytest.get_embed().description
    assert description.startswith("**Not found** in the coverage")
    assert "__Nearest passages — **not a match**__" in description


async def test_verify_bad_input_is_one_line_and_logged(bot):
    await dpytest.message("!verify two words")
    assert dpytest.get_message().content.startswith("Give at least 3 words")
    assert (await log_rows(bot))[-1]["command"] == "verify"


async def test_verify_feed_and_watch_are_slash_commands_too(bot):
    tree = {c.name: c for c in bot.tree.get_commands()}
    [words] = tree["verify"].parameters
    assert words.name == "words" and "quotation marks" in words.description
    assert [p.name for p in tree["feed"].parameters] == ["action"]
    assert [p.name for p in tree["watch"].parameters] == ["target"]
    assert [p.name for p in tree["unwatch"].parameters] == ["watch"]
