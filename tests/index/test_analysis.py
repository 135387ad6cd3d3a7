"""Ingest analysis: one parse, every extractor, and no extractor able to cost an article."""

from __future__ import annotations

import logging
from pathlib import Path

from coveragebot.index.ingest.loaders import load_article_file
from coveragebot.index.commands import Origin, run

CLI = Origin(frontend="cli", actor="test")
# One PolNeAR train article (Washington Post, 2016) that once broke the `!who` extractor.
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "polnear_sample.json"


async def test_real_article_is_stored_searchable_and_quotable_whatever_an_extractor_does(empty_service, caplog):
    articles = load_article_file(SAMPLE)
    with caplog.at_level(logging.ERROR, logger="coveragebot.index.analysis"):
        [outcome] = await empty_service.add_articles(articles, actor="test")
    assert outcome.status == "added", outcome.message
    search = await run(empty_service, "!search Cruz", CLI)
    assert search.hits and all(hit.article.key == articles[0].key for hit in search.hits)
    quotes = await run(empty_service, "!quotes Cruz", CLI)
    assert quotes.statements
    # A failing extractor is logged with its traceback, never raised; this one no longer fails
    # (an entity that cleaned to an empty name), so its doers are found too, the dateline not.
    assert all(record.exc_info for record in caplog.records)
    assert not caplog.records
    told = await run(empty_service, "!who told reporters", CLI)
    assert "Cruz" in told.agents[0].agent
    assert not any("MYRTLE" in a.agent for a in (await run(empty_service, "!who continued", CLI)).agents)
