"""`!fix`: moderators' corrections, audited, applied at once and kept through !reindex and new versions."""

from __future__ import annotations

from coveragebot.index.ingest.articles import Article
from coveragebot.index.commands import Origin, execute_logged, flag_answer, parse, run
from coveragebot.index.stats import stats_answer

CLI = Origin(frontend="cli", actor="editor")

STORY = Article(
    "harbour", "Harbour reopens",
    "The mayor, Ana Ruiz, spoke on Monday. “The bridge is safe,” said Carlos Vega.\n\n"
    "“We will rebuild the pier,” Ruiz told reporters.\n\n"
    "Forecasters said the storm would pass by Tuesday.",
    outlet="Coast Post")


async def statement_of(service, person: str, words: str):
    answer = await run(service, f"!quotes {person}", CLI)
    return next(s for s in answer.statements if words in s.text)


async def test_fix_speaker_moves_a_statement_and_survives_reindex_and_a_new_version(empty_service):
    await empty_service.add_articles([STORY], actor="test")
    wrong = await statement_of(empty_service, "Carlos Vega", "bridge")
    fixed = await run(empty_service, f"!fix speaker {wrong.statement_id} Ana Ruiz", CLI)
    assert fixed.level == "ok" and "Ana Ruiz" in fixed.text
    assert "The bridge is safe," in [s.text for s in (await run(empty_service, "!quotes Ana Ruiz", CLI)).statements]
    assert (await run(empty_service, "!quotes Carlos Vega", CLI)).statements == ()

    await empty_service.reindex(actor="test")
    revised = Article(STORY.key, STORY.title, STORY.text.replace("by Tuesday", "by Wednesday"), outlet="Coast Post")
    [outcome] = await empty_service.add_articles([revised], actor="test")
    assert outcome.status == "updated"
    assert "The bridge is safe," in [s.text for s in (await run(empty_service, "!quotes Ana Ruiz", CLI)).statements]
    audit = await empty_service.store.rows("SELECT actor, action FROM audit WHERE action = 'fix' /* every workspace */")
    assert [(r["actor"], r["action"]) for r in audit] == [("editor", "fix")]


async def test_fix_kind_and_hide_statement(empty_service):
    await empty_service.add_articles([STORY], actor="test")
    pier = await statement_of(empty_service, "Ruiz", "pier")
    assert (await run(empty_service, f"!fix kind {pier.statement_id} partial", CLI)).level == "ok"
    assert (await statement_of(empty_service, "Ruiz", "pier")).kind == "partial"
    pier = await statement_of(empty_service, "Ruiz", "pier")
    assert (await run(empty_service, f"!fix hide statement #{pier.statement_id}", CLI)).level == "ok"
    await empty_service.reindex(actor="test")
    assert not any("pier" in s.text for s in (await run(empty_service, "!quotes Ruiz", CLI)).statements)


async def test_fix_merge_counts_two_names_as_one_person(empty_service):
    await empty_service.add_articles([STORY], actor="test")
    merged = await run(empty_service, "!fix merge Carlos Vega into Ana Ruiz", CLI)
    assert merged.level == "ok"
    people = {p.name: p.statements for p in (await run(empty_service, "!people", CLI)).people}
    assert "Carlos Vega" not in people and people["Ana Ruiz"] == 2


async def test_fix_hide_agent_takes_a_doer_out_of_who(service):
    assert "the US" in [a.agent for a in (await run(service, "!who sanctioned", CLI)).agents]
    assert (await run(service, "!fix hide agent the US", CLI)).level == "ok"
    assert "the US" not in [a.agent for a in (await run(service, "!who sanctioned", CLI)).agents]
    await service.reindex(actor="test")
    assert "the US" not in [a.agent for a in (await run(service, "!who sanctioned", CLI)).agents]


async def test_bad_fixes_get_one_line_and_change_nothing(empty_service):
    await empty_service.add_articles([STORY], actor="test")
    for line, level in [("!fix", "usage"), ("!fix speaker abc Ana", "refusal"), ("!fix speaker 999 Ana", "refusal"),
                        ("!fix kind 1 shouted", "refusal"), ("!fix hide agent Nobody Here", "refusal"),
                        ("!fix merge Zelensky into Ana Ruiz", "refusal"), ("!fix dance", "usage")]:
        answer = await run(empty_service, line, CLI)
        assert answer.level == level, line
    assert await empty_service.store.scalar("SELECT count(*) FROM corrections /* every workspace */") == 0
    listed = await run(empty_service, "!fix list", CLI)
    assert listed.text.startswith("No fixes yet")


async def test_a_flagged_answer_is_listed_in_stats_gaps(empty_service):
    origin = Origin(frontend="discord", guild_id="1", channel_id="2", user_id="3", actor="discord:3")
    await empty_service.add_articles([STORY], actor="test")
    answer, query_id = await execute_logged(empty_service, parse("!quotes Carlos Vega"), origin)
    assert (await flag_answer(empty_service, query_id, origin, "wrong speaker")).level == "ok"
    assert (await flag_answer(empty_service, 10**9, origin)).ok is False
    gaps = await stats_answer(empty_service, "gaps", "7d", guild_id="1", chart=False)
    [flagged] = gaps.figures["flagged"]
    assert flagged["query"] == "Carlos Vega" and flagged["notes"] == ["wrong speaker"]


async def test_autocomplete_offers_speakers_and_articles(service):
    from coveragebot.index.commands import complete_articles, complete_speakers

    assert (await complete_speakers(service, "pet"))[0] == "Gustavo Petro"
    assert "Scott Bessent" in await complete_speakers(service, "bess")
    assert await complete_speakers(service, "zzz") == []
    choices = await complete_articles(service, "")
    assert len(choices) == 2 and all(label.startswith(f"#{number} ") for label, number in choices)
    assert (await complete_articles(service, "#1"))[0][1] == 1
    assert [n for _, n in await complete_articles(service, "sanctions")] != []
