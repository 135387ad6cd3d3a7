"""A property: whatever articles are added to and removed from whichever workspaces, every
answer draws on its own workspace only (hypothesis drives the adds and removes)."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from coveragebot.index.commands import Origin, run
from coveragebot.index.ingest.articles import Article
from coveragebot.index.service import NotFound
from coveragebot.index.settings import load_settings
from coveragebot.index.workspaces import Workspaces

# One made-up word per article, so a hit names the article it came from.
WORDS = ("zorvane", "quilbet", "marfiso", "tendrak", "pollivex", "brunask")
WORKSPACES = ("harbour", "valley", "server-42")
OPERATIONS = st.lists(st.tuples(st.sampled_from(["add", "remove"]), st.sampled_from(WORKSPACES),
                                st.integers(0, len(WORDS) - 1)), min_size=1, max_size=8)


def article(number: int) -> Article:
    word = WORDS[number]
    return Article(word, f"The {word} report", f"The council approved the {word} plan on Tuesday.\n\n"
                   f"Officials said the {word} plan would start in spring.")


async def check(settings, operations) -> None:
    workspaces = await Workspaces.open(settings, seed=False)
    live: dict[str, dict[int, int]] = {name: {} for name in WORKSPACES}  # workspace -> article number -> id
    try:
        services = {name: await workspaces.service(name) for name in WORKSPACES}
        for op, name, number in operations:
            service = services[name]
            if op == "add":
                [outcome] = await service.add_articles([article(number)], actor="test")
                if number not in live[name]:
                    assert outcome.status == "added"  # the same text in another workspace is no duplicate
                    live[name][number] = outcome.article.id
            elif number in live[name]:
                await service.remove_article(live[name].pop(number), actor="test")
            else:
                # Another workspace's id of the same story is as unknown here as one never made.
                for other in WORKSPACES:
                    if number in live[other] and other != name:
                        with pytest.raises(NotFound):
                            await service.remove_article(live[other][number], actor="test")
        for name, service in services.items():
            mine = {WORDS[n] for n in live[name]}
            hits = (await service.search("approved plan")).hits
            assert {h.article.key for h in hits} == mine
            assert {row.article.title.split()[1] for row in (await service.sources()).sources} == mine
            for word in WORDS:
                found = (await service.search(word)).hits
                assert bool(found) == (word in mine), (name, word)
            for other, ids in live.items():
                for number, article_id in ids.items():
                    passage = (await services[other].store.sentences_of(article_id))[0].id
                    answer = await run(service, f"!context {passage}", Origin())
                    assert (other == name) == (getattr(answer, "level", "ok") != "refusal"), (name, other)
    finally:
        await workspaces.close()


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request, tmp_path):
    """A function making fresh settings per example: a new file, or a new PostgreSQL database."""
    made: list[str] = []

    def fresh():
        folder = tmp_path / uuid.uuid4().hex[:8]
        folder.mkdir()
        if request.param == "sqlite":
            return load_settings(env={}, storage_db=str(folder / "coverage.db"))
        url = request.getfixturevalue("postgres_server").new_database()
        made.append(url)
        return load_settings(env={}, storage_db=str(folder / "coverage.db"), storage_url=url,
                             storage_index=str(folder / "replica.index"))

    yield fresh
    for url in made:
        request.getfixturevalue("postgres_server").drop_database(url)


@hypothesis_settings(max_examples=12, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(operations=OPERATIONS)
def test_every_answer_draws_only_on_its_own_workspace(backend, nlp, operations):
    # A loop of its own per example: hypothesis calls this synchronously.
    asyncio.run(check(backend(), operations))
