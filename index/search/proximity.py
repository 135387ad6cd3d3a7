"""Proximity on top of BM25: a passage holding the query's words close together, in
the query's order, outranks one holding some of them, or all of them scattered.

BM25 sees a passage as a bag of terms; a reader sees "announced sanctions against
President Gustavo Petro" answer `sanctions against Petro` better than a sentence
naming sanctions in one clause and Petro in another. In the spirit of the
sequential dependence model (Metzler and Croft, 2005), the index returns candidates
by BM25 and each gets a bonus from the query's neighbouring word pairs:

- each pair of consecutive content words (`sanctions`, `Petro`) scores 1 when the
  passage has them in order within a few words of the gap the query leaves between
  them, 1/2 when they stand within a window in either order;
- each pair of adjacent query words with one content word (`sanctions against`)
  scores 1 when the passage has them side by side, so function words that carry
  the relation count here although BM25 skips them.

The bonus is `weight * best * coverage * proximity`, `best` being the top BM25 score
among the candidates (the bonus is on the scores' own scale), coverage the share of
distinct query terms present, proximity the mean of the two pair scores. Queries of
one content word keep their BM25 order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coveragebot.index.text.analyzer import STOPWORDS, stem, words

PROXIMITY_WEIGHT = 1.0
ORDERED_SLACK = 3  # extra words allowed between an ordered pair (a name, a title)
UNORDERED_WINDOW = 8  # words within which a pair in either order still counts


@dataclass(frozen=True)
class QueryShape:
    """The query as proximity needs it: content terms, their pairs, adjacent word pairs."""

    terms: tuple[str, ...]
    pairs: tuple[tuple[str, str, int], ...]  # (term, next term, words between them in the query)
    bigrams: tuple[tuple[str, str], ...]
    vocabulary: frozenset[str] = frozenset()  # every stem the terms and bigrams look for
    initials: frozenset[str] = frozenset()  # their first letters


def query_shape(query: str) -> QueryShape:
    """Content terms and word pairs of a query text, in its order."""
    tokens = [(stem(w), w in STOPWORDS) for w in words(query)]
    content = [(i, t) for i, (t, common) in enumerate(tokens) if not common]
    pairs = tuple((a, b, j - i - 1) for (i, a), (j, b) in zip(content, content[1:]) if a != b)
    bigrams = tuple((a, b) for (a, ca), (b, cb) in zip(tokens, tokens[1:]) if not (ca and cb) and a != b)
    terms = tuple(dict.fromkeys(t for _, t in content))
    vocabulary = frozenset(terms) | {w for pair in bigrams for w in pair}
    return QueryShape(terms, pairs, bigrams, vocabulary, frozenset(v[:1] for v in vocabulary))


def proximity(shape: QueryShape, passage_words: Sequence[str]) -> tuple[float, float]:
    """(coverage, proximity) of a passage's folded words for a query shape, each between 0 and 1."""
    if not shape.terms:
        return 0.0, 0.0
    # Only the query's own words matter: one pass records where each stands. Snowball
    # rewrites endings (even `dying` -> `die` keeps its first letter), so a word whose
    # first letter starts no query stem need not be stemmed at all.
    positions: dict[str, list[int]] = {}
    for position, word in enumerate(passage_words):
        if word[:1] in shape.initials and (term := stem(word)) in shape.vocabulary:
            positions.setdefault(term, []).append(position)
    coverage = sum(t in positions for t in shape.terms) / len(shape.terms)
    if coverage * len(shape.terms) < 2 or not shape.pairs:
        return coverage, 0.0
    pair_score = sum(_pair(positions.get(a, ()), positions.get(b, ()), gap) for a, b, gap in shape.pairs)
    bigram_score = sum(
        any(p + 1 in positions.get(b, ()) for p in positions.get(a, ())) for a, b in shape.bigrams
    )
    parts = [pair_score / len(shape.pairs)] + ([bigram_score / len(shape.bigrams)] if shape.bigrams else [])
    return coverage, sum(parts) / len(parts)


def _pair(first: Sequence[int], second: Sequence[int], gap: int) -> float:
    best = 0.0
    for i in first:
        for j in second:
            if 0 < j - i <= gap + 1 + ORDERED_SLACK:
                return 1.0
            if abs(j - i) <= UNORDERED_WINDOW:
                best = 0.5
    return best


def rerank(
    scored: Sequence[tuple[int, float]],
    passage_words: dict[int, Sequence[str]],
    query: str,
    weight: float = PROXIMITY_WEIGHT,
) -> list[tuple[int, float]]:
    """BM25 candidates re-scored with the proximity bonus, best first (ties keep order).

    `passage_words` maps each candidate to its folded words (`index.text.analyzer.words`).
    """
    shape = query_shape(query)
    if not shape.pairs or not scored:
        return list(scored)
    best = max(score for _, score in scored)
    out = []
    for sid, score in scored:
        coverage, near = proximity(shape, passage_words.get(sid, ()))
        out.append((sid, score + weight * best * coverage * near))
    return sorted(out, key=lambda pair: -pair[1])
