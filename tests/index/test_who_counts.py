"""`!who` from stored counts: the same answers as reading every row, kept right as articles change."""

from __future__ import annotations

from pathlib import Path

import pytest

from coveragebot.index.commands import Origin, run
from coveragebot.index.ingest.articles import Article
from coveragebot.index.ingest.loaders import load_article_file
from coveragebot.index.who import agents
from coveragebot.index.text.analyzer import stem, stem_start, words

CLI = Origin(frontend="cli", actor="test")
DATA = Path(__file__).resolve().parents[1] / "data"
# Questions whose verb is a doing verb with an event noun read two keys ("imposed sanctions").
TWO_KEYS = ("imposed sanctions", "placed sanctions on Petro", "announced sanctions", "took action")


async def _archive(service) -> None:
    """The seeds, the test corpus and a PolNeAR article: names merged across spellings."""
    articles = [a for path in sorted((DATA / "corpus").glob("*.json")) for a in load_article_file(path)]
    articles += load_article_file(DATA / "polnear_sample.json")
    outcomes = await service.add_articles(articles, actor="test")
    assert {o.status for o in outcomes} == {"added"}


def _digest(answer) -> list[tuple]:
    return [(a.agent, a.support, a.articles, a.action, a.target,
             tuple(h.passage_id for h in a.evidence), a.mentions) for a in answer.agents]


async def _questions(service) -> list[str]:
    """Each stored verb as printed, alone and with a word of one of its targets."""
    rows = await service.store.rows("SELECT DISTINCT verb, target FROM actions ORDER BY verb, target /* every workspace */")
    lines, seen = [], set()
    for row in rows:
        verb = row["verb"].split()[0] if row["verb"] else ""
        if not verb.isalpha():
            continue
        if verb not in seen:
            seen.add(verb)
            lines.append(verb)
        target = [w for w in words(row["target"]) if len(w) > 3 and w.isalpha()]
        if target and len(lines) % 3 == 0:
            lines.append(f"{verb} {target[0]}")
    return lines + ["said", "said sanctions", "told reporters"] + list(TWO_KEYS)


async def test_counted_answers_equal_reading_every_row(service, monkeypatch):
    await _archive(service)
    questions = await _questions(service)
    assert len(questions) > 150
    read_all = {q: _digest(await service.who(q)) for q in questions}
    monkeypatch.setattr(agents, "FULL_READ_ROWS", 0)  # every key answered from who_agents
    counted = {q: _digest(await service.who(q)) for q in questions}
    assert counted == read_all
    # The comparison covered the hard cases: spellings merged into one agent, unresolved
    # pronouns, agents ranked by an object word, and several-agent answers.
    said = read_all["said"]
    assert len(said) > 10 and any(" " in agent for agent, *_ in said)
    assert any(mentions and any(mentions) for *_, mentions in said)
    assert sum(bool(d) for d in read_all.values()) > 100


async def test_who_counts_follow_every_change(service):
    async def recounted() -> tuple[list, list]:
        kept = sorted(map(tuple, await service.store.tuples("SELECT * FROM who_agents /* every workspace */")))
        await service.store.recount_who()
        fresh = sorted(map(tuple, await service.store.tuples("SELECT * FROM who_agents /* every workspace */")))
        return kept, fresh

    kept, fresh = await recounted()
    assert kept == fresh and len(kept) > 50  # the seeds, counted as they were added
    await _archive(service)
    kept, fresh = await recounted()
    assert kept == fresh

    body = ("The ministry sanctioned three banks on Monday, officials said.\n\n"
            "“We will not back down,” said Finance Minister Ana Ruiz, who sanctioned them.")
    [added] = await service.add_articles([Article("banks", "Ministry sanctions banks", body, outlet="Wire")],
                                         actor="test")
    [updated] = await service.add_articles(
        [Article("banks-2", "Ministry sanctions banks", body.replace("three", "four"), outlet="Wire")], actor="test")
    assert updated.status == "updated"
    kept, fresh = await recounted()
    assert kept == fresh

    assert (await run(service, "!fix hide agent Ana Ruiz", CLI)).level == "ok"
    kept, fresh = await recounted()
    assert kept == fresh
    assert "Ana Ruiz" not in {a.agent for a in (await service.who("sanctioned")).agents}

    await service.remove_article(added.article.id, actor="test")
    await service.reindex(actor="test")
    kept, fresh = await recounted()
    assert kept == fresh and len(kept) > 50


@pytest.mark.parametrize("word", ["ruling", "happy", "possibility", "skies", "sanctions", "imposed", "agreed",
                                  "generously", "operational", "relational", "dying", "activity", "stability"])
def test_a_stems_beginning_is_in_every_word_with_that_stem(word):
    # What lets !who and !quotes pass over rows and statements before stemming them.
    assert stem_start(stem(word)) in word
