"""Moderators add coverage from chat: URL, attachments, pasted text."""

from __future__ import annotations

import discord.ext.test as dpytest
import pytest

from coveragebot.bot.chat.cogs._reply import NotModerator
from tests.bot.fixtures import log_rows
from tests.index._http_server import running_site


async def _articles(bot) -> int:
    return await bot.service.store.scalar("SELECT count(*) FROM articles /* every workspace */")


async def test_attachment_is_added_and_instantly_searchable(bot, moderator, tmp_path):
    note = tmp_path / "harbour.txt"
    note.write_text("Title: Harbour strike ends\nOutlet: Port Gazette\nPublished: 2025-10-24\n\n"
                    "Dockworkers in Valparaíso ended their strike on Friday. The union said wages rise 6%.",
                    encoding="utf-8")
    await dpytest.message("!add", attachments=[str(note)])
    reply = dpytest.get_message().content
    assert reply.startswith("✅ Added #3 ‘Harbour strike ends’ (Port Gazette, 2025-10-24): 2 sentences")
    await dpytest.message("!search Valparaiso dockworkers")
    assert "Valparaíso" in dpytest.get_embed().description


async def test_pasted_text_takes_its_first_line_as_title(bot, moderator):
    await dpytest.message("!add Flood barrier holds\nThe river barrier in Ostend held overnight, officials said.")
    assert dpytest.get_message().content.startswith("✅ Added #3 ‘Flood barrier holds’")
    await dpytest.message("!sources")
    assert "Flood barrier holds" in dpytest.get_embed().description


async def test_url_is_fetched_extracted_and_added(bot, moderator):
    bot.service.settings = bot.service.settings.__class__(
        **{**bot.service.settings.__dict__, "fetch_allow_private_urls": True})
    async with running_site() as site:
        await dpytest.message(f"!add {site.url('/article/04_reuters-ebola-glasgow')}")
    reply = dpytest.get_message().content
    assert reply.startswith("✅ Added #3 ‘Healthcare worker in Scotland diagnosed with Ebola’")
    await dpytest.message("!search Gartnavel isolation")
    assert "Glasgow's **Gartnavel** Hospital" in dpytest.get_embed().description


async def test_private_url_is_refused_and_nothing_stored(bot, moderator):
    async with running_site() as site:
        await dpytest.message(f"!add {site.url('/article/04_reuters-ebola-glasgow')}")
    reply = dpytest.get_message().content
    assert reply.startswith("❌ ") and "private addresses are not fetched" in reply
    assert "fetch.allow_private_urls" in reply and "COVERAGEBOT_ALLOW_PRIVATE_URLS=1" in reply
    assert await _articles(bot) == 2
    logged = (await log_rows(bot))[-1]
    assert (logged["command"], logged["ok"]) == ("add", 0) and "private addresses" in logged["error"]


async def test_several_attachments_report_each_and_one_failure_stops_nothing(bot, moderator, tmp_path):
    good = tmp_path / "good.md"
    good.write_text("# Port reopens\n\nThe port of Callao reopened on Monday after a two-day closure.", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00binary")
    story = tmp_path / "story.json"
    story.write_text('{"id": "mine-1", "title": "Mine vote", "text": "Miners in Oruro voted to strike."}',
                     encoding="utf-8")
    await dpytest.message("!add", attachments=[str(good), str(bad), str(story)])
    progress = dpytest.get_message()
    assert progress.content.startswith("Adding")  # edited in place as items finish
    final = dpytest.get_message().content.splitlines()
    assert final[0].startswith("✅ Added #3") and "Port reopens" in final[0]
    assert final[1] == "❌ bad.txt: not a text file (binary content)"
    assert final[2].startswith("✅ Added #4 ‘Mine vote’")
    assert await _articles(bot) == 4


async def test_duplicate_is_reported_not_stored(bot, moderator):
    text = "!add Same story\nThe council approved the harbour budget on Tuesday."
    await dpytest.message(text)
    dpytest.get_message()
    await dpytest.message(text)
    assert dpytest.get_message().content.startswith("♻️ already indexed as #3")
    assert await _articles(bot) == 3


async def test_non_moderator_cannot_add(bot, tmp_path):
    with pytest.raises(NotModerator):
        await dpytest.message("!add Title\nSome body text that should not be stored.")
    assert "only moderators" in dpytest.get_message().content
    assert await _articles(bot) == 2


async def test_add_without_anything_shows_usage(bot, moderator):
    await dpytest.message("!add")
    assert dpytest.get_message().content.startswith("Usage: `!add <url>`")
    rows = await log_rows(bot)
    assert rows[-1]["command"] == "add" and rows[-1]["ok"] == 0


async def test_oversized_attachment_is_refused(bot, moderator, tmp_path):
    bot.service.settings = bot.service.settings.__class__(
        **{**bot.service.settings.__dict__, "ingest_max_file_bytes": 100})
    big = tmp_path / "big.txt"
    big.write_text("Long text. " * 50, encoding="utf-8")
    await dpytest.message("!add", attachments=[str(big)])
    assert "over the 100 limit" in dpytest.get_message().content
    assert await _articles(bot) == 2
