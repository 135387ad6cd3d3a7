"""`!verify` through the real store, index and spaCy: each kind of quotation a user may bring,
on both backends, with the verdict, speaker and differences the editor should see."""

from __future__ import annotations

import pytest
import pytest_asyncio

from coveragebot.index.commands import Origin, run
from coveragebot.index.ingest.articles import Article
from coveragebot.index.service import Service
from coveragebot.index.settings import load_settings
from coveragebot.index.verify.align import align, tokens

CLI = Origin(frontend="cli", actor="test")

STRIKE = Article(
    "strike-ends", "Port workers end strike",
    "Dockworkers in Valparaíso voted on Friday to end a three-week strike.\n\n"
    "“We will not accept a contract that cuts our pensions,” said Ana Rojas, the union leader.\n\n"
    "The port authority said 1,200 containers were waiting to be unloaded at the terminal.\n\n"
    "Rojas said the union would meet again in March.",
    outlet="Harbour Times", published="2024-03-02")
WIRE = Article(
    "strike-wire", "Valparaíso strike over",
    "The three-week strike at Chile's busiest port is over.\n\n"
    "“We will not accept a contract that cuts our pensions,” Ana Rojas told reporters on Friday.",
    outlet="Wire Service", published="2024-03-01")
HARBOUR = Article(
    "harbour-master", "Harbour to reopen",
    "“The port will reopen on Monday morning,” said Carlos Mena, the harbour master.\n\n"
    "Shipping lines had diverted cargo to San Antonio during the dispute.",
    outlet="Coast News", published="2024-03-03")


@pytest_asyncio.fixture(scope="module", params=["sqlite", "postgres"])
async def coverage(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("verify")
    url = ""
    if request.param == "postgres":
        server = request.getfixturevalue("postgres_server")
        url = server.new_database()
    settings = load_settings(env={}, storage_db=str(folder / "coverage.db"), storage_url=url,
                             storage_index=str(folder / "index"))
    service = await Service.open(settings, seed=False)
    outcomes = await service.add_articles([STRIKE, WIRE, HARBOUR], actor="test")
    assert [o.status for o in outcomes] == ["added"] * 3
    yield service
    await service.close()
    if url:
        server.drop_database(url)


CASES = [
    # (case, command, verdict, speaker, partial, someone else, kinds of difference)
    ("verbatim", '!verify "We will not accept a contract that cuts our pensions"',
     "verbatim", "Ana Rojas", False, False, []),
    ("partial", '!verify "accept a contract that cuts our pensions"',
     "verbatim", "Ana Rojas", True, False, []),
    ("misquoted", '!verify "We will not accept a deal that cuts our pensions"',
     "close", "Ana Rojas", False, False, ["wording"]),
    ("negation flipped", '!verify "We will accept a contract that cuts our pensions"',
     "close", "Ana Rojas", False, False, ["negation"]),
    ("number changed", '!verify "1,500 containers were waiting to be unloaded at the terminal"',
     "close", "port authority", False, False, ["number"]),
    ("paraphrased", "!verify “We won't accept any contract which cuts our pensions”",
     "close", "Ana Rojas", False, False, ["negation", "wording", "wording"]),
    ("another speaker's words", '!verify "The port will reopen on Monday morning" Ana Rojas',
     "verbatim", "Carlos Mena", False, True, []),
    ("the speaker named", '!verify "The port will reopen on Monday morning" Carlos Mena',
     "verbatim", "Carlos Mena", False, False, []),
    ("not found", '!verify "The minister promised free bread for every family in the port"',
     "not found", "", False, False, []),
]


@pytest.mark.parametrize("case,command,verdict,speaker,partial,someone_else,differences", CASES,
                         ids=[c[0] for c in CASES])
async def test_verify_verdicts(coverage, case, command, verdict, speaker, partial, someone_else, differences):
    answer = await run(coverage, command, CLI)
    assert answer.verdict == verdict, answer
    if speaker is not None:
        assert answer.speaker == speaker
    assert answer.partial == partial
    assert answer.someone_else == someone_else
    assert sorted(d.what for d in answer.differences) == sorted(differences)
    if answer.found:
        # The printed words are the article's own characters, and every difference points into them.
        assert answer.text and answer.text in answer.passage.text
        assert all(answer.text[d.start:d.end] == d.printed for d in answer.differences if d.printed)


async def test_verbatim_lists_every_article_that_printed_it_oldest_first_with_context(coverage):
    answer = await run(coverage, '!verify "We will not accept a contract that cuts our pensions"', CLI)
    assert [h.article.key for h in answer.articles] == ["strike-wire", "strike-ends"]
    assert answer.kind == "direct" and not answer.reported
    assert any("Dockworkers" in h.text for h in answer.context) or any("strike" in h.text for h in answer.context)


async def test_a_partial_quote_shows_the_whole_statement(coverage):
    answer = await run(coverage, '!verify "accept a contract that cuts our pensions"', CLI)
    assert answer.statement.startswith("We will not accept a contract that cuts our pensions")


async def test_reported_speech_is_marked_as_such(coverage):
    answer = await run(coverage, '!verify "the union would meet again in March"', CLI)
    assert answer.verdict == "verbatim" and answer.reported and answer.kind == "indirect"
    assert answer.speaker == "Ana Rojas"


async def test_a_changed_number_names_both_numbers(coverage):
    answer = await run(coverage, '!verify "1,500 containers were waiting to be unloaded at the terminal"', CLI)
    [difference] = answer.differences
    assert (difference.printed, difference.given, difference.what) == ("1,200", "1,500", "number")


async def test_not_found_offers_the_nearest_passages_as_no_match(coverage):
    answer = await run(coverage, '!verify "The navy escorted container ships into San Antonio overnight"', CLI)
    assert answer.verdict == "not found" and answer.result_count == 0
    assert any("San Antonio" in h.text for h in answer.nearest)


async def test_json_carries_the_verdict_fields(coverage):
    data = (await run(coverage, '!verify "We will accept a contract that cuts our pensions"', CLI)).to_json()
    assert set(data) >= {"verdict", "speaker", "statement_id", "text", "differences", "article", "passage_id"}
    assert data["verdict"] == "close" and data["speaker"] == "Ana Rojas" and data["statement_id"]
    assert data["differences"] == [{"printed": "not", "given": "", "what": "negation"}]
    assert data["article"]["key"] in {"strike-wire", "strike-ends"} and data["passage_id"]


@pytest.mark.parametrize("argument,message", [
    ('!verify "two words"', "at least 3 words"),
    ('!verify "We will not accept', "Close the quotation marks"),
    ("!verify", "Usage"),
])
async def test_bad_verify_input_is_one_usage_line(coverage, argument, message):
    answer = await run(coverage, argument, CLI)
    assert answer.level == "usage" and message in answer.text and "\n" not in answer.text


@pytest.mark.parametrize("given,printed,expected", [
    ("we do agree", "“We don’t agree,” she said.", [("don’t", "do", "negation")]),
    ("three ships sank", "Two ships sank off the coast.", [("Two", "three", "number")]),
    ("the middle class", "the middle-class families", []),
])
def test_word_level_differences(given, printed, expected):
    found = align(tokens(given), tokens(printed))
    assert [(d.printed, d.given, d.what) for d in found.differences] == expected
