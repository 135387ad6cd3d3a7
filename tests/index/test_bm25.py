"""The serving index ranks like the rank-bm25 reference on the same tokens.

A plain bag of terms is scored by BM25 alone, even when passages carry their article's
title, author and outlet terms; phrases, exclusions, article filters and the metadata
weight are additions tested below, and the service's proximity rerank is a bonus on
top of these scores (tests/index/test_search_syntax.py).
"""

from __future__ import annotations

import math

import pytest
from rank_bm25 import BM25Okapi

from coveragebot.index.ingest.loaders import load_article_file
from coveragebot.index.search.bm25 import B, K1, IndexedSentence, SentenceIndex
from coveragebot.index.text.sentences import segment
from coveragebot.index.text.analyzer import analyze
from tests.conftest import CORPUS, SEEDS

QUERIES = [
    "sanctions against Petro", "cocaine production", "search for the missing plane",
    "Ebola healthcare worker Glasgow", "book pricing Amazon", "storm travel Thanksgiving",
    "jobs recovery states", "bodies debris sea", "drug trafficking", "president said",
    "weather forecast", "warship sent by the United States",
]


class LuceneIdfBM25(BM25Okapi):
    """rank-bm25's Okapi scorer with the idf tantivy (and Lucene) use.

    BM25Okapi's own idf, ln((N - n + 0.5) / (n + 0.5)), is 0 for a term in half the
    sentences and negative above; tantivy adds 1 inside the log so it never is.
    Everything else (tf saturation, length normalisation) is rank-bm25's code.
    """

    def _calc_idf(self, nd):
        for word, freq in nd.items():
            self.idf[word] = math.log(1 + (self.corpus_size - freq + 0.5) / (freq + 0.5))


@pytest.fixture(scope="module")
def corpus(nlp):
    files = sorted(SEEDS.glob("*.txt")) + sorted(CORPUS.glob("*.json"))
    sentences = []
    for number, path in enumerate(files, start=1):
        for article in load_article_file(path):
            _, passages = segment(nlp, article.text)
            sentences += [(number, analyze(p.text)) for p in passages if not p.heading]
    return [(i, a, terms) for i, (a, terms) in enumerate(sentences, start=1) if terms]


@pytest.fixture(scope="module")
def serving(corpus, tmp_path_factory):
    index = SentenceIndex(tmp_path_factory.mktemp("bm25") / "index")
    # Each passage carries metadata terms, as in the service: a plain query must not see them.
    index.replace_articles(add=[IndexedSentence(i, a, t, ["petro", "storm", f"outlet{a}"]) for i, a, t in corpus])
    return index


def _top(scores, ids, k=10):
    ranked = sorted(zip(scores, ids), key=lambda p: (-p[0], p[1]))
    return [(i, s) for s, i in ranked[:k] if s > 0]


@pytest.mark.parametrize("query", QUERIES)
def test_top10_matches_reference_on_same_tokens(corpus, serving, query):
    reference = LuceneIdfBM25([t for _, _, t in corpus], k1=K1, b=B)
    terms = list(dict.fromkeys(analyze(query)))
    expected = _top(reference.get_scores(terms), [i for i, _, _ in corpus])
    got = serving.search(terms, 10)
    assert len(got) == len(expected) > 0
    by_id = dict(zip([i for i, _, _ in corpus], reference.get_scores(terms)))
    for (gid, gscore), (_, escore) in zip(got, expected):
        # Rank by rank the scores agree, and each returned passage has exactly the
        # reference's score for that passage: the same top-10 up to exact ties.
        assert gscore == pytest.approx(escore, rel=1e-4)
        assert by_id[gid] == pytest.approx(gscore, rel=1e-4)


@pytest.mark.parametrize("term", ["sanction", "ebola", "amazon", "storm", "plane"])
def test_single_term_ranking_equals_plain_bm25okapi(corpus, serving, term):
    # With one term idf is a positive constant, so BM25Okapi itself orders the same.
    reference = BM25Okapi([t for _, _, t in corpus], k1=K1, b=B)
    ids = [i for i, _, _ in corpus]
    expected = [i for i, s in _top(reference.get_scores([term]), ids, 10)]
    got = [i for i, _ in serving.search([term], 10)]
    assert len(got) == len(expected) > 0
    assert got[: len(expected)] == expected or sorted(got) == sorted(expected)


def test_index_persists_and_drops_whole_articles(tmp_path):
    path = tmp_path / "index"
    index = SentenceIndex(path)
    index.replace_articles(add=[
        IndexedSentence(1, 7, ["sanction", "petro"]), IndexedSentence(2, 7, ["petro"]),
        IndexedSentence(3, 8, ["cocain"]),
    ])
    reopened = SentenceIndex(path)
    assert [i for i, _ in reopened.search(["petro"])] == [2, 1]
    assert reopened.article_counts() == {7: 2, 8: 1}
    reopened.replace_articles(remove=[7])
    assert reopened.search(["petro"]) == []
    assert reopened.doc_count() == 1


def test_stale_format_is_wiped(tmp_path):
    path = tmp_path / "index"
    SentenceIndex(path).replace_articles(add=[IndexedSentence(1, 1, ["x"])])
    (path / "coveragebot.json").write_text('{"format": -1}')
    assert SentenceIndex(path).doc_count() == 0


def _small_index() -> SentenceIndex:
    index = SentenceIndex(None)
    index.replace_articles(add=[
        IndexedSentence(1, 1, ["new", "york", "citi"], ["reuter"]),
        IndexedSentence(2, 2, ["york", "new"]),
        IndexedSentence(3, 3, ["new", "jersey", "york"], ["new", "jersey", "post"]),
        IndexedSentence(4, 3, ["ship", "york"], ["new", "jersey", "post"]),
    ])
    return index


def test_phrase_needs_its_terms_adjacent_and_in_order():
    index = _small_index()
    assert [i for i, _ in index.search(["new", "york"], phrases=[["new", "york"]])] == [1]


def test_excluded_term_drops_passages_and_articles_whose_title_holds_it():
    index = _small_index()
    assert sorted(i for i, _ in index.search(["york"])) == [1, 2, 3, 4]
    # Passage 4 lacks "jersey" but its article's title has it.
    assert sorted(i for i, _ in index.search(["york"], excluded=["jersey"])) == [1, 2]


def test_article_filter_selects_without_changing_scores():
    index = _small_index()
    plain = dict(index.search(["york"]))
    filtered = index.search(["york"], articles={2, 3})
    assert sorted(i for i, _ in filtered) == [2, 3, 4]
    assert all(score == pytest.approx(plain[i]) for i, score in filtered)
    assert index.search(["york"], articles=set()) == []


def test_metadata_alone_makes_no_result():
    index = _small_index()
    assert index.search(["reuter"]) == [] and index.search(["reuter"], meta_weight=0.3) == []
    assert index.search(["post", "reuter"], meta_weight=0.3) == []


def test_metadata_boosts_a_passage_whose_text_matches_at_its_weight():
    index = _small_index()
    plain = dict(index.search(["jersey", "ship"]))
    boosted = dict(index.search(["jersey", "ship"], meta_weight=0.3))
    doubled = dict(index.search(["jersey", "ship"], meta_weight=0.6))
    assert set(boosted) == set(plain) == {3, 4}
    for sid in plain:
        extra = boosted[sid] - plain[sid]
        assert extra > 0 and doubled[sid] - plain[sid] == pytest.approx(2 * extra)


def test_articles_named_need_every_term_in_their_metadata():
    index = _small_index()
    assert index.articles_named(["jersey", "post"]) == [3]
    assert index.articles_named(["new"]) == [3]
    assert index.articles_named(["reuter", "post"]) == [] and index.articles_named([]) == []


def test_filter_alone_returns_the_articles_passages():
    index = _small_index()
    assert sorted(i for i, _ in index.search([], articles={3})) == [3, 4]
