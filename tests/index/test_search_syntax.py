"""`!search` as an editor types it: "phrases", -exclusions, filters, names and dates,
proximity, repeated paragraphs, and a next step for every empty answer.

The articles under tests/data/search are short texts written for these tests; the
seed articles (config/seeds) come with every new store.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import discord.ext.test as dpytest
import pytest

from coveragebot.index.search.proximity import query_shape, rerank
from coveragebot.index.search.query import date_bound, date_in_range, name_matches, parse_query
from coveragebot.index.service import Service
from coveragebot.index.settings import load_settings
from coveragebot.index.text.analyzer import words

DATA = Path(__file__).resolve().parents[1] / "data" / "search"


def cli(*args: str, db: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGEBOT_")}
    return subprocess.run([sys.executable, "-m", "coveragebot.bot.terminal.cli", "--db", str(db), *args],
                          capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    """A store holding the seeds and the three test articles, built by `coveragebot add`."""
    db = tmp_path_factory.mktemp("search") / "coverage.db"
    added = cli("add", *sorted(str(p) for p in DATA.glob("*.json")), db=db)
    assert added.returncode == 0, added.stdout + added.stderr
    return db


def ask(line: str, db: Path) -> dict:
    result = cli("ask", line, "--json", db=db)
    assert "Traceback" not in result.stderr, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
async def service(store_path):
    opened = await Service.open(load_settings(env={}, storage_db=str(store_path)), seed=False)
    yield opened
    await opened.close()


def texts(answer) -> list[str]:
    return [h.text for h in answer.hits]


# -- the query language --------------------------------------------------------

def test_query_parts_are_told_apart():
    query = parse_query('sanctions "New York" -Thanksgiving outlet:Reuters author:"Fergus Jensen" '
                        "since:2014 until:2014-12 in:12")
    assert query.words == ("sanctions",)
    assert query.phrases == ("New York",)
    assert query.excluded == ("Thanksgiving",)
    assert (query.outlet, query.author, query.since, query.until, query.within) == (
        "Reuters", "Fergus Jensen", "2014", "2014-12", "12")
    assert query.problems == ()


@pytest.mark.parametrize("text,words_,phrases,excluded", [
    ("“New York” storm", ("storm",), ("New York",), ()),
    ('-"New York" storm', ("storm",), (), ("New York",)),
    ("meeting at 9:30 http://x.example", ("meeting", "at", "9:30", "http://x.example"), (), ()),
    ("Cold War-style interventionism", ("Cold", "War-style", "interventionism"), (), ()),
    ('"unclosed phrase', (), ("unclosed phrase",), ()),
])
def test_quotes_hyphens_and_colons(text, words_, phrases, excluded):
    query = parse_query(text)
    assert (query.words, query.phrases, query.excluded) == (words_, phrases, excluded)


@pytest.mark.parametrize("text,problem", [
    ("storm since:yesterday", "`since:yesterday` is not a date"),
    ("storm until:2014-13", "`until:2014-13` is not a date"),
    ("storm outlet:", "`outlet:` needs a value"),
])
def test_bad_filters_are_named(text, problem):
    assert any(p.startswith(problem) for p in parse_query(text).problems)


@pytest.mark.parametrize("value,bound", [("2014", "2014"), ("2014-2", "2014-02"), ("2014-12-30", "2014-12-30"),
                                         ("2014-02-30", None), ("14", None), ("2014/12", None)])
def test_dates_are_year_month_or_day(value, bound):
    assert date_bound(value, "since") == bound


@pytest.mark.parametrize("published,since,until,inside", [
    ("2014-12-30", "2014", "", True),
    ("2014-12-30", "2014-12", "2014-12", True),
    ("2014-12-30T08:00:00Z", "", "2014-12-29", False),
    ("2013-11-27", "2014", "", False),
    ("2014-12", "", "2014-12-01", True),  # a month-precise date overlaps the day
    ("", "2014", "", False),
])
def test_date_range_is_inclusive_at_any_precision(published, since, until, inside):
    assert date_in_range(published, since, until) is inside


def test_names_match_whole_words_in_order():
    assert name_matches("jensen", "Fergus Jensen")
    assert name_matches("Fergus Jensen", "By FERGUS JENSEN, Reuters")
    assert not name_matches("Jens", "Fergus Jensen")
    assert not name_matches("Jensen Fergus", "Fergus Jensen")


def test_render_writes_a_query_back_without_a_part():
    query = parse_query('storm "New York" -snow outlet:"Metro Daily"')
    assert query.render() == 'storm "New York" -snow outlet:"Metro Daily"'
    assert query.render(filters=False, excluded=False) == 'storm "New York"'


# -- proximity -------------------------------------------------------------------

def test_all_terms_close_in_order_rank_above_terms_scattered():
    passages = {
        1: "Sanctions have also been imposed on the interior minister, as well as Petro's wife.",
        2: "The Treasury announced sanctions against President Gustavo Petro on Friday.",
        3: "The sanctions freeze their assets.",
    }
    said = {sid: words(text) for sid, text in passages.items()}
    ranked = rerank([(1, 6.8), (3, 4.4), (2, 4.4)], said, "sanctions against Petro")
    assert [sid for sid, _ in ranked] == [2, 1, 3]


def test_one_content_word_keeps_the_bm25_order():
    scored = [(1, 3.0), (2, 2.0)]
    assert rerank(scored, {1: ["a", "storm"], 2: ["the", "storm", "came"]}, "the storm") == scored
    assert query_shape("the storm").pairs == ()


# -- through the terminal ---------------------------------------------------------

def test_quoted_phrase_matches_only_the_phrase(store_path):
    quoted = ask('!search "New York"', store_path)
    loose = ask("!search New York", store_path)
    assert quoted["result_count"] == 3 < loose["result_count"]
    for result in quoted["results"]:
        said = " ".join(words(result["text"]))
        assert "new york" in said


def test_exclusion_reduces_the_results(store_path):
    loose = ask("!search New York", store_path)
    without = ask("!search New York -Thanksgiving", store_path)
    assert 0 < without["result_count"] < loose["result_count"]
    assert not any("thanksgiving" in r["text"].lower() for r in without["results"])
    assert without["terms"] == loose["terms"]  # the excluded word is not searched for


def test_an_author_name_answers_with_that_authors_articles_not_passages(store_path):
    answer = ask("!search Mara Lindqvist", store_path)
    # No passage says the name: the count says so, and the articles are named apart.
    assert answer["result_count"] == 0 and answer["results"] == []
    [named] = answer["named_articles"]
    assert (named["field"], named["name"], named["filter"]) == ("author", "Mara Lindqvist", 'author:"Mara Lindqvist"')
    assert [a["key"] for a in named["articles"]] == ["harbour-strike"]
    text = cli("ask", "!search Mara Lindqvist", db=store_path).stdout
    assert text.startswith("No passages match “Mara Lindqvist”.\n1 article by Mara Lindqvist: ‘")
    assert text.rstrip().endswith('`!search author:"Mara Lindqvist"` lists their passages.')
    listed = ask('!search author:"Mara Lindqvist"', store_path)
    assert listed["result_count"] == 4 and {r["article"]["author"] for r in listed["results"]} == {"Mara Lindqvist"}


def test_every_passage_found_holds_a_searched_word(store_path):
    # The seeds' titles hold "sanctions" and "Petro"; passages that say neither are no results.
    answer = ask("!search sanctions against Petro", store_path)
    assert answer["result_count"] == len(answer["results"]) > 0 and not answer["more"]
    for result in answer["results"]:
        assert {"sanctions", "petro"} & set(words(result["text"])), result["text"]
    text = cli("ask", "!search sanctions against Petro", db=store_path).stdout
    assert text.startswith(f"{answer['result_count']} passages for “sanctions against Petro”:")


def test_title_words_rank_a_passage_but_do_not_make_one(store_path):
    # "holiday" is in one article's title, "holidays" in another article's passage.
    answer = ask("!search holiday", store_path)
    assert answer["results"][0]["text"].endswith("ahead of the holidays.")
    assert all("holiday" in r["text"].lower() for r in answer["results"])


def test_a_count_over_the_limit_says_these_are_the_best(store_path):
    env_limit = {"COVERAGEBOT_SEARCH_MAX_RESULTS": "2"}
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGEBOT_")} | env_limit
    done = subprocess.run([sys.executable, "-m", "coveragebot.bot.terminal.cli", "--db", str(store_path), "ask", "!search sanctions"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.stdout.startswith("The best 2 passages for “sanctions” (more match; add words to narrow it):")


def test_repeated_paragraph_is_one_result_and_the_whole_sentence(store_path):
    answer = ask("!search Nevada Arizona Florida peak employment", store_path)
    assert [r["text"] for r in answer["results"]] == [
        "Nevada, Arizona and Florida remain the furthest from their peak employment before the downturn."]


def test_stopwords_alone_get_a_next_step_not_themselves(store_path):
    result = cli("ask", "!search the", db=store_path)
    assert "Closest indexed words" not in result.stdout
    assert "only common words" in result.stdout and '`!search "the"`' in result.stdout


def test_quoted_common_words_are_found_as_printed(store_path):
    answer = ask('!search "in the"', store_path)
    assert answer["result_count"] >= 2
    assert all("in the" in " ".join(words(r["text"])) for r in answer["results"])


def test_proximity_puts_the_sentence_with_the_phrase_first(store_path):
    answer = ask("!search sanctions against Petro", store_path)
    assert "announced sanctions against President Gustavo Petro" in answer["results"][0]["text"]


# -- filters and next steps, through the service ------------------------------------

async def test_outlet_author_and_dates_filter_articles(service):
    assert {h.article.key for h in (await service.search("new outlet:Metro")).hits} == {"holiday-travel"}
    assert {h.article.key for h in (await service.search("new author:lindqvist")).hits} == {"harbour-strike"}
    dated = await service.search("new since:2014-12 until:2014-12-31")
    assert {h.article.key for h in dated.hits} == {"harbour-strike"}
    older = await service.search("New York until:2013")
    assert {h.article.key for h in older.hits} == {"holiday-travel"}


async def test_in_takes_an_article_key_or_id(service):
    by_key = await service.search("new in:harbour-strike")
    article_id = by_key.hits[0].article.id
    by_id = await service.search(f"new in:#{article_id}")
    assert texts(by_key) == texts(by_id) and {h.article.key for h in by_id.hits} == {"harbour-strike"}


async def test_filters_alone_list_the_articles_passages(service):
    answer = await service.search("outlet:Plains")
    assert {h.article.key for h in answer.hits} == {"job-woes"} and len(answer.hits) == 3


async def test_a_filter_that_empties_the_answer_is_offered_dropped(service):
    answer = await service.search("strike outlet:Reuters")
    assert answer.hits == ()
    assert answer.next_step == "Try `!search strike` (without outlet:Reuters)."


async def test_an_exclusion_that_empties_the_answer_is_offered_dropped(service):
    answer = await service.search("Thanksgiving -snow -forecasters")
    assert answer.hits == ()
    assert answer.next_step == "Try `!search Thanksgiving` (without -snow, -forecasters)."


async def test_a_phrase_not_printed_is_offered_unquoted(service):
    answer = await service.search('"York New"')
    assert answer.hits == ()
    assert answer.next_step == "Try `!search York New` (the words without quotes)."


async def test_a_misspelt_word_is_offered_swapped_for_the_closest(service):
    answer = await service.search("dockwrkers strike")
    assert answer.hits  # "strike" alone still finds passages
    empty = await service.search("dockwrkers")
    assert "dockworkers" in empty.suggestions and "dockwrkers" not in empty.suggestions
    assert empty.next_step == "Try `!search dockworkers` (“dockworkers” for “dockwrkers”)."


async def test_a_bad_date_says_how_to_write_one(service):
    answer = await service.search("strike since:2014-13")
    assert answer.hits == ()
    assert answer.next_step.startswith("`since:2014-13` is not a date; write YYYY, YYYY-MM or YYYY-MM-DD.")


async def test_no_article_matching_the_filters_says_so(service):
    answer = await service.search("outlet:Nowhere")
    assert answer.next_step == "No article matches outlet:Nowhere; `!sources` lists outlets, authors and dates."


async def test_an_index_of_the_old_format_is_rebuilt_with_names_searchable(store_path):
    settings = load_settings(env={}, storage_db=str(store_path))
    (settings.index_path / "coveragebot.json").write_text('{"format": 1}')
    reopened = await Service.open(settings, seed=False)
    try:
        answer = await reopened.search("Mara Lindqvist")
        assert [a.key for named in answer.named for a in named.articles] == ["harbour-strike"]
    finally:
        await reopened.close()


# -- through Discord -------------------------------------------------------------------

async def test_discord_phrase_search_quotes_only_the_phrase(bot):
    await dpytest.message('!search "Gustavo Petro"')
    description = dpytest.get_embed().description
    quoted = [line for line in description.splitlines() if line.startswith(">")]
    # Every passage shown holds the two words side by side, both highlighted.
    assert quoted and all("**Gustavo** **Petro**" in line for line in quoted)


async def test_discord_stopword_search_offers_a_next_step(bot):
    await dpytest.message("!search the")
    content = dpytest.get_message().content
    assert content.startswith("No passages match “the”.")
    assert "Closest indexed words" not in content and "only common words" in content


async def test_discord_help_shows_the_search_syntax(bot):
    await dpytest.message("!help")
    description = dpytest.get_embed().description
    for part in ('"exact phrase"', "-word", "outlet:", "author:", "since:/until:", "in:<article id or key>"):
        assert part in description


async def test_discord_search_quotes_only_passages_that_say_the_words(bot):
    await dpytest.message("!search sanctions against Petro")
    embed = dpytest.get_embed()
    quoted = [line for line in embed.description.splitlines() if line.startswith(">")]
    assert quoted and all("**" in line for line in quoted)
    # Each result's own text holds a searched word; the footer counts those and no others.
    found = (await bot.service.search("sanctions against Petro")).hits
    assert all({"sanctions", "petro"} & set(words(h.text)) for h in found)
    assert embed.footer.text.split(" · ")[-2] == f"{len(found)} passages"


async def test_discord_search_names_an_outlets_articles_apart(bot):
    await dpytest.message("!search bundled sample")
    content = dpytest.get_message().content
    assert content.startswith("No passages match “bundled sample”.\n2 articles from bundled sample (outlet not recorded): ")
    assert content.endswith('`!search outlet:"bundled sample"` lists their passages.')


def test_title_words_no_passage_says_name_the_article(store_path):
    text = cli("ask", "!search desert hiring", db=store_path).stdout
    assert text.startswith("No passages match “desert hiring”.")
    assert "1 article with “desert hiring” in the title: ‘Hiring lags in the desert states’ (#" in text
