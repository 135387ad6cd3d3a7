"""`!add` with an article pasted as it was copied from a page, or attached in an old encoding."""

from __future__ import annotations

import discord.ext.test as dpytest

STRIKE = "Port workers end three-week strike in Valparaíso"
BODY = ("Dockworkers in Valparaíso voted on Friday to end a three-week strike, the union said.\n"
        "Cranes were moving again by noon, the port authority said.")


async def _stored(bot, article_id: int) -> dict:
    [row] = await bot.service.store.rows(
        "SELECT key, title, author, published, sentence_count FROM articles WHERE id = ? /* every workspace */", (article_id,))
    return dict(row)


async def test_pasted_title_byline_and_date_glued_in_one_line(bot, moderator):
    await dpytest.message(f"!add {STRIKE} By María José Fernández October 24, 2025\n{BODY}")
    reply = dpytest.get_message().content
    assert reply.startswith(f"✅ Added #3 ‘{STRIKE}’ (María José Fernández, 2025-10-24): 2 sentences")
    assert await _stored(bot, 3) == {
        "key": "pasted-port-workers-end-three-week-strike-in-va", "title": STRIKE,
        "author": "María José Fernández", "published": "2025-10-24", "sentence_count": 2,
    }
    await dpytest.message("!search Valparaiso strike")
    embed = dpytest.get_embed()
    assert "**Valparaíso**" in embed.description and "By María" not in embed.description
    # Result pages carry the short source line; the byline is in !sources and !context.
    assert f"*{STRIKE}* · 2025-10-24" in embed.description
    await dpytest.message("!sources")
    assert "María José Fernández, 2025-10-24" in dpytest.get_embed().description


async def test_pasted_title_byline_and_date_on_their_own_lines(bot, moderator):
    await dpytest.message(f"!add {STRIKE}\nBy María José Fernández, Reuters\nOct. 24, 2025 10:32 AM ET\n\n{BODY}")
    assert dpytest.get_message().content.startswith(f"✅ Added #3 ‘{STRIKE}’ (Reuters, 2025-10-24): 2 sentences")
    [row] = await bot.service.store.rows("SELECT author, outlet FROM articles WHERE id = 3 /* every workspace */")
    assert (row["author"], row["outlet"]) == ("María José Fernández", "Reuters")


async def test_an_outlet_closing_a_byline_is_searchable_as_the_outlet(bot, moderator, tmp_path):
    note = tmp_path / "cranes.txt"
    note.write_text(f"{STRIKE}\nBy Anna Keller and Tom Reyes, Reuters\n\n{BODY}", encoding="utf-8")
    await dpytest.message("!add", attachments=[str(note)])
    assert dpytest.get_message().content.startswith(f"✅ Added #3 ‘{STRIKE}’ (Reuters): 2 sentences")
    await dpytest.message("!search cranes outlet:Reuters")
    assert "were moving again by noon" in dpytest.get_embed().description
    await dpytest.message("!sources")
    assert "Reuters, Anna Keller and Tom Reyes" in dpytest.get_embed().description


async def test_a_title_line_then_a_blank_line_is_the_title_only(bot, moderator, tmp_path):
    note = tmp_path / "strike.txt"
    note.write_text(f"{STRIKE}\n\n{BODY}", encoding="utf-8")
    await dpytest.message("!add", attachments=[str(note)])
    assert dpytest.get_message().content.startswith(f"✅ Added #3 ‘{STRIKE}’: 2 sentences")
    first = min(r.id for r in await bot.service.store.sentences_of(3))
    await dpytest.message(f"!context {first}")
    description = dpytest.get_embed().description
    assert "Dockworkers in Valparaíso voted" in description and f"> **▶** {STRIKE}" not in description


async def test_windows_1252_attachment_is_added_and_the_encoding_named(bot, moderator, tmp_path):
    note = tmp_path / "valparaiso.txt"
    note.write_bytes(f"{STRIKE}\nBy María José Fernández\n\n{BODY}".encode("cp1252"))
    await dpytest.message("!add", attachments=[str(note)])
    reply = dpytest.get_message().content
    assert reply.startswith(f"✅ Added #3 ‘{STRIKE}’ (María José Fernández): 2 sentences")
    assert reply.endswith("Decoded as Windows-1252 (the file was not UTF-8).")
    await dpytest.message("!search Valparaiso")
    assert "**Valparaíso**" in dpytest.get_embed().description


async def test_seed_sources_name_the_bundled_sample(bot):
    await dpytest.message("!sources")
    description = dpytest.get_embed().description
    assert "source unknown" not in description
    assert description.count("bundled sample (outlet not recorded)") == 2
    assert "*The US has placed sanctions on Colombia's left-wing president, Gustavo Petro*" in description
