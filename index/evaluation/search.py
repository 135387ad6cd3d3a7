"""Scoring `!search` against the hand-annotated `search` items: hit@1 and hit@3.

A gold item is a query a journalist would type and the sentences that answer it;
the query counts as answered at rank k when one of its first k passages is,
or contains, one of those sentences.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from coveragebot.index.evaluation.who import contains_sentence

TOP_K = 3


@dataclass(frozen=True)
class SearchScore:
    """Hit rates over a set of gold queries (fractions of `items`)."""

    items: int
    hit1: float
    hit3: float
    misses: tuple[str, ...] = ()


def search_items(gold: Mapping[str, Mapping]) -> list[dict]:
    """Every gold search item, tagged with its article key."""
    return [{**item, "article": key} for key, annotation in gold.items()
            for item in annotation.get("search", [])]


def answer_rank(passages: Sequence[str], gold_sentences: Sequence[str]) -> int | None:
    """1-based rank of the first passage holding a gold sentence, or None."""
    for rank, passage in enumerate(passages, start=1):
        if any(contains_sentence(passage, sentence) for sentence in gold_sentences):
            return rank
    return None


def score_search(items: Sequence[Mapping], passages_by_query: Mapping[str, Sequence[str]]) -> SearchScore:
    """hit@1 and hit@3 of ranked passage texts against the gold items."""
    hit1 = hit3 = 0
    misses = []
    for item in items:
        rank = answer_rank(passages_by_query.get(item["query"], ()), item["gold_sentences"])
        hit1 += rank == 1
        hit3 += rank is not None and rank <= TOP_K
        if rank != 1:
            misses.append(f"{item['article']}: {item['query']!r} -> gold at rank {rank or 'none'}")
    n = len(items)
    return SearchScore(n, hit1 / n if n else 0.0, hit3 / n if n else 0.0, tuple(misses))


def format_search_table(score: SearchScore, articles: int, ms_per_query: float) -> str:
    """One line of figures, then the misses."""
    lines = [f"{'queries':>8}{'hit@1':>8}{'hit@3':>8}{'articles':>10}{'ms/query':>10}",
             f"{score.items:>8}{score.hit1:>8.2f}{score.hit3:>8.2f}{articles:>10}{ms_per_query:>10.2f}"]
    if score.misses:
        lines += ["misses (rank of the first gold sentence):", *(f"  {m}" for m in score.misses)]
    return "\n".join(lines)
