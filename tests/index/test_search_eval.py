"""Scoring `!search` against gold queries: hit@1 and hit@3."""

from __future__ import annotations

from coveragebot.index.evaluation.search import answer_rank, score_search, search_items

GOLD = {
    "a": {"search": [{"query": "storm travel", "gold_sentences": ["Snow eased before the holiday."]}]},
    "b": {"search": [{"query": "jobs", "gold_sentences": ["Payrolls grew.", "Hiring rose in May."]}],
          "quotes": []},
}


def test_rank_is_the_first_passage_holding_a_gold_sentence():
    passages = ["Nothing here.", "He said: “Hiring rose in May.” Then he left.", "Payrolls grew."]
    assert answer_rank(passages, ["Payrolls grew.", "Hiring  rose in May."]) == 2
    assert answer_rank(passages, ["Snow eased."]) is None


def test_hit_at_1_and_3_over_every_gold_query():
    items = search_items(GOLD)
    assert [i["article"] for i in items] == ["a", "b"]
    score = score_search(items, {
        "storm travel": ["Snow eased before the holiday."],
        "jobs": ["Other.", "Still other.", "Payrolls grew.", "Hiring rose in May."],
    })
    assert (score.items, score.hit1, score.hit3) == (2, 0.5, 1.0)
    assert score.misses == ("b: 'jobs' -> gold at rank 3",)


def test_a_query_with_no_answer_is_a_miss_at_every_rank():
    score = score_search(search_items(GOLD), {})
    assert (score.hit1, score.hit3) == (0.0, 0.0) and len(score.misses) == 2
