"""Previous/Next: long answers page in place, for the asking user only."""

from __future__ import annotations

import discord.ext.test as dpytest

from coveragebot.bot.chat.render import Page, pages
from coveragebot.bot.chat.views import Paginator
from coveragebot.index.answers import ArticleRef, Hit, SearchAnswer
from tests.bot._interactions import button_click, record_responses


def _many_hits(n: int) -> SearchAnswer:
    ref = ArticleRef(1, "k", "A title", "Outlet", "", "https://example.org/a", "2025-01-01")
    hits = tuple(Hit(i, f"Sentence number {i} about the port strike. " * 8, ref, i, 1.0, ((0, 8),)) for i in range(1, n + 1))
    return SearchAnswer("search", "port strike", ("port",), hits)


def test_long_answers_split_within_discord_limits():
    answer_pages = pages(_many_hits(23), 5)
    assert len(answer_pages) == 5
    for page in answer_pages:
        assert len(page.embed.description) <= 4096 and len(page.embed) <= 6000
    assert answer_pages[0].embed.footer.text.startswith("Page 1/5")


async def test_search_with_many_results_sends_a_paginator(bot):
    await dpytest.message("!search Petro sanctions Colombia US drug")
    message = dpytest.get_message()
    assert message.embeds[0].footer.text.startswith("Page 1/")
    view = bot._connection._view_store._synced_message_views.get(message.id)
    assert isinstance(view, Paginator) and len(view.pages) > 1
    assert view.owner_id == dpytest.get_config().members[0].id


async def test_next_shows_the_next_page_to_the_asker(bot, monkeypatch):
    sent = record_responses(monkeypatch)
    member = dpytest.get_config().members[0]
    channel = dpytest.get_config().channels[0]
    view = Paginator([Page(content="first"), Page(content="second")], member.id, timeout=30)
    interaction = button_click(bot, member, channel)
    assert await view.interaction_check(interaction)
    await view.next.callback(interaction)
    assert sent[-1]["data"]["content"] == "second"
    assert view.next.disabled and not view.previous.disabled
    assert sent[-1]["data"]["allowed_mentions"]["parse"] == []


async def test_other_users_cannot_turn_the_pages(bot, monkeypatch):
    sent = record_responses(monkeypatch)
    config = dpytest.get_config()
    member, channel = config.members[0], config.channels[0]
    view = Paginator([Page(content="first"), Page(content="second")], owner_id=member.id + 1, timeout=30)
    assert not await view.interaction_check(button_click(bot, member, channel))
    assert sent[-1]["data"]["flags"] & 64  # ephemeral
    assert "belong to whoever asked" in sent[-1]["data"]["content"]
    assert view.index == 0


async def test_timeout_disables_the_buttons(bot):
    view = Paginator([Page(content="a"), Page(content="b")], owner_id=1, timeout=30)
    await view.on_timeout()
    assert all(item.disabled for item in view.children)
    assert view.is_finished()
