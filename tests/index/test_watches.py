"""Watches in the engine, on both backends: what fires, once per article, from any route."""

from __future__ import annotations

from dataclasses import replace

import pytest

from coveragebot.index.commands import Origin, run
from coveragebot.index.ingest.articles import Article
from coveragebot.index.watches.match import collect_alerts
from coveragebot.index.watches.table import mark_posted, watches_in

HERE = Origin(frontend="discord", guild_id="10", channel_id="20", user_id="30", actor="discord:30")

STRIKE = Article("strike", "Port workers end strike",
                 "Dockworkers in Valparaíso voted on Friday to end a three-week strike.\n\n"
                 "“We will not accept a contract that cuts our pensions,” said Ana Rojas, the union leader.",
                 outlet="Harbour Times", published="2024-03-02")
HARBOUR = Article("harbour", "Harbour to reopen",
                  "“The port will reopen on Monday morning,” said Carlos Mena, the harbour master.\n\n"
                  "Union members said their pensions were safe for now.", outlet="Coast News")


async def test_a_person_watch_fires_on_new_coverage_only_once_per_article(empty_service):
    await empty_service.add_articles([STRIKE], actor="test")  # before the watch: never an alert
    made = await run(empty_service, "!watch Ana Rojas", HERE)
    assert made.level == "ok" and made.text.startswith("Watch #1: new coverage with a statement by Ana Rojas")
    watches = await watches_in(empty_service.store, ["10"])
    assert await collect_alerts(empty_service, watches) == []
    later = replace(STRIKE, key="strike-2", title="Rojas speaks again",
                    text="“The strike showed we can stand together,” said Ana Rojas on Sunday.")
    await empty_service.add_articles([later, HARBOUR], actor="test")
    [alert] = await collect_alerts(empty_service, await watches_in(empty_service.store, ["10"]))
    assert (alert.speaker, alert.kind, alert.passage.article.key) == ("Ana Rojas", "direct", "strike-2")
    assert alert.said.startswith("The strike showed we can stand together")
    await mark_posted(empty_service.store, alert.watch, [alert.passage.article.id])
    assert await collect_alerts(empty_service, await watches_in(empty_service.store, ["10"])) == []


async def test_a_phrase_watch_fires_on_the_passage_holding_the_phrase(empty_service):
    await run(empty_service, '!watch "pensions were safe"', HERE)
    await empty_service.add_articles([STRIKE, HARBOUR], actor="test")
    [alert] = await collect_alerts(empty_service, await watches_in(empty_service.store, ["10"]))
    assert alert.passage.article.key == "harbour" and "pensions were safe" in alert.passage.text


async def test_watch_list_and_unwatch_belong_to_the_server(empty_service):
    await run(empty_service, "!watch Carlos Mena", HERE)
    elsewhere = replace(HERE, guild_id="11", channel_id="21")
    assert (await run(empty_service, "!watch list", elsewhere)).watches == ()
    listed = await run(empty_service, "!watch list", HERE)
    assert [(w.id, w.kind, w.target) for w in listed.watches] == [(1, "person", "Carlos Mena")]
    assert (await run(empty_service, "!unwatch 1", elsewhere)).level == "refusal"
    assert (await run(empty_service, "!unwatch 1", HERE)).text == "Watch #1 (Carlos Mena) removed."


@pytest.mark.parametrize("line,level", [("!watch", "usage"), ('!watch "unclosed', "usage"), ("!unwatch x", "usage")])
async def test_bad_watch_input_is_one_line(empty_service, line, level):
    answer = await run(empty_service, line, HERE)
    assert answer.level == level and "\n" not in answer.text


async def test_the_terminal_has_no_channel_to_watch_from(empty_service):
    answer = await run(empty_service, "!watch Ana Rojas", Origin())
    assert answer.level == "refusal" and "server channel" in answer.text
