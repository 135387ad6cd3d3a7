"""Story versions: a re-added story replaces its earlier text, which stays in the history."""

from __future__ import annotations

from coveragebot.index.ingest.articles import Article
from coveragebot.index.commands import Origin, run
from coveragebot.index.ingest.versions import is_update, unchanged_share

CLI = Origin(frontend="cli", actor="test")

BODY = (
    "The port of Valparaíso reopened on Friday after a strike that lasted ten days, officials said.\n\n"
    "“We are back at work and the ships are moving,” said union leader Carla Saavedra.\n\n"
    "Exporters said the stoppage had delayed cherries and copper bound for Asia, and that the backlog "
    "would take weeks to clear. Customs officers worked through the night to inspect waiting containers.\n\n"
    "The government said it would meet the union again next month to discuss pay and safety rules."
)
REVISED = BODY.replace("ten days", "two weeks")


def story(text: str = BODY, **fields) -> Article:
    base = {"key": "strike", "title": "Port workers end strike in Valparaíso", "text": text,
            "outlet": "Andes Wire", "published": "2025-10-24"}
    return Article(**{**base, **fields})


def test_one_changed_phrase_keeps_the_story_but_a_new_story_is_not_an_update():
    assert unchanged_share(BODY, REVISED) > 0.95 and is_update(BODY, REVISED)
    other = "A new bridge opened in Santiago on Monday, the city said, with cyclists first across it."
    assert not is_update(BODY, other)


async def test_a_revised_story_replaces_the_earlier_version(empty_service):
    [first] = await empty_service.add_articles([story()], actor="test")
    [second] = await empty_service.add_articles([story(REVISED, key="strike-updated")], actor="test")
    assert first.status == "added" and second.status == "updated"
    assert second.article.id == first.article.id and second.article.key == "strike"
    assert "version 2" in second.message

    found = await run(empty_service, "!search strike lasted", CLI)
    assert [h.text for h in found.hits][:1] == [
        "The port of Valparaíso reopened on Friday after a strike that lasted two weeks, officials said."]
    assert not any("ten days" in h.text for h in found.hits)
    quotes = await run(empty_service, "!quotes Saavedra", CLI)
    assert [s.text for s in quotes.statements] == ["We are back at work and the ships are moving,"]

    [row] = (await run(empty_service, "!sources", CLI)).sources
    assert row.version == 2
    context = await run(empty_service, f"!context {found.hits[0].passage_id}", CLI)
    assert context.version == 2 and context.to_json()["version"] == 2
    assert await empty_service.store.scalar("SELECT count(*) FROM article_versions /* every workspace */") == 1


async def test_the_same_url_with_new_text_is_a_new_version(empty_service):
    url = "https://news.example/strike"
    await empty_service.add_articles([story(url=url)], actor="test")
    other_words = "Dockworkers returned to the piers on Saturday. " * 3
    [update] = await empty_service.add_articles([story(other_words, url=url, title="Dockworkers return")],
                                                actor="test")
    assert update.status == "updated"
    assert (await run(empty_service, "!search Valparaíso", CLI)).hits == ()


async def test_unchanged_text_is_a_duplicate_and_a_different_story_is_added(empty_service):
    await empty_service.add_articles([story()], actor="test")
    [again] = await empty_service.add_articles([story(key="copy")], actor="test")
    assert again.status == "duplicate"
    other = story("A new bridge opened in Santiago on Monday, the city said. Cyclists crossed first.",
                  key="bridge")
    [added] = await empty_service.add_articles([other], actor="test")
    assert added.status == "added" and len((await run(empty_service, "!sources", CLI)).sources) == 2


async def test_removing_a_story_removes_its_history_and_reindex_keeps_current_text(empty_service):
    [first] = await empty_service.add_articles([story()], actor="test")
    await empty_service.add_articles([story(REVISED)], actor="test")
    await empty_service.reindex(actor="test")
    assert (await run(empty_service, "!search ten days", CLI)).hits == ()
    await empty_service.remove_article(first.article.id, actor="test")
    assert await empty_service.store.scalar("SELECT count(*) FROM article_versions /* every workspace */") == 0
    assert (await run(empty_service, "!sources", CLI)).sources == ()


async def test_a_paragraph_repeated_inside_a_story_is_one_statement(empty_service):
    quote = "“We are back at work and the ships are moving,” said union leader Carla Saavedra."
    await empty_service.add_articles([story(BODY + "\n\n" + quote)], actor="test")
    quotes = await run(empty_service, "!quotes Saavedra", CLI)
    assert [s.text for s in quotes.statements] == ["We are back at work and the ships are moving,"]
