"""A synthetic, news-like corpus of analysed sentences and the queries run against it.

Terms are pseudo-words that `index.text.analyzer.analyze` leaves unchanged (not stopwords,
their own Snowball stem), so a sentence stored as text re-analyses to exactly the
terms every engine indexed, and a query typed as text reaches the same terms.
Term frequencies follow Zipf-Mandelbrot, p(rank) ~ 1 / (rank + 10): with stopwords
already gone, the commonest term sits in about one sentence in six, like `said`
in wire copy, so frequent query words walk posting lists of ~15% of the corpus.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from coveragebot.index.text.analyzer import STOPWORDS, analyze

VOCABULARY = 300_000
ZIPF_S = 1.0
ZIPF_Q = 10.0
LENGTH_MEAN, LENGTH_SD, LENGTH_MIN, LENGTH_MAX = 16, 5, 8, 30
SENTENCES_PER_ARTICLE = 40
# Query words come from three bands of the corpus's own document frequencies.
FREQUENT_BAND = 50  # the top 50 terms: posting lists of 5-15% of all sentences
MIDDLE_BAND = 5_000
BAND_WEIGHTS = (0.35, 0.40, 0.25)  # frequent, middle, rare
_CONSONANTS = "bcdfghjklmnprstvwz"
_VOWELS = "aeiou"


@dataclass(frozen=True)
class Query:
    """One benchmark query: analysed terms, and whether it holds a frequent term."""

    terms: tuple[str, ...]
    heavy: bool

    @property
    def text(self) -> str:
        return " ".join(self.terms)


@functools.lru_cache(maxsize=2)
def vocabulary(size: int = VOCABULARY, seed: int = 7) -> tuple[str, ...]:
    """`size` distinct pseudo-words, each its own index term, in a seeded order."""
    # Analysing 300,000 candidates takes seconds; a process writing several corpora does it once.
    syllables = [c + v for c in _CONSONANTS for v in _VOWELS]
    rng = np.random.default_rng(seed)
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < size:
        count = rng.integers(2, 5, size=size)
        picks = rng.integers(0, len(syllables), size=(size, 4))
        tails = rng.integers(0, len(_CONSONANTS) + 1, size=size)
        for n, row, tail in zip(count, picks, tails):
            word = "".join(syllables[i] for i in row[:n]) + (_CONSONANTS + " ")[tail].strip()
            if word in seen or word in STOPWORDS or analyze(word) != [word]:
                continue
            seen.add(word)
            words.append(word)
            if len(words) == size:
                break
    return tuple(words)


def sentence_term_ids(sentences: int, seed: int = 11, vocab_size: int = VOCABULARY) -> list[np.ndarray]:
    """Term ranks (0 = commonest) of each sentence, Zipfian, 8-30 terms long."""
    rng = np.random.default_rng(seed)
    ranks = np.arange(1, vocab_size + 1, dtype=np.float64)
    weights = 1.0 / (ranks + ZIPF_Q) ** ZIPF_S
    cumulative = np.cumsum(weights / weights.sum())
    lengths = np.clip(np.rint(rng.normal(LENGTH_MEAN, LENGTH_SD, sentences)), LENGTH_MIN, LENGTH_MAX)
    lengths = lengths.astype(np.int64)
    draws = np.searchsorted(cumulative, rng.random(int(lengths.sum())), side="right")
    draws = np.minimum(draws, vocab_size - 1).astype(np.int32)
    return np.split(draws, np.cumsum(lengths)[:-1])


def write_corpus(path: Path, sentences: int, seed: int = 11) -> dict:
    """Write one sentence of analysed terms per line; sentence id = line number (1-based).

    Returns the words and, per word, its document frequency (for drawing queries).
    """
    words = np.array(vocabulary(), dtype=object)
    rows = sentence_term_ids(sentences, seed)
    df = np.zeros(len(words), dtype=np.int64)
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(" ".join(words[row]))
            out.write("\n")
            df[np.unique(row)] += 1
    return {"words": words, "df": df, "sentences": sentences, "tokens": int(sum(len(r) for r in rows))}


def read_corpus(path: Path) -> Iterator[list[str]]:
    """Each sentence's terms, in sentence-id order."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            yield line.split()


def article_of(sentence_id: int) -> int:
    """The synthetic article (1-based) a sentence belongs to: 40 sentences each."""
    return (sentence_id - 1) // SENTENCES_PER_ARTICLE + 1


def make_queries(corpus: dict, count: int, seed: int = 13) -> list[Query]:
    """1-4 word queries drawn from frequent, middle and rare bands of the corpus."""
    rng = np.random.default_rng(seed)
    present = np.flatnonzero(corpus["df"])
    by_df = present[np.argsort(-corpus["df"][present], kind="stable")]
    bands = [by_df[:FREQUENT_BAND], by_df[FREQUENT_BAND:MIDDLE_BAND], by_df[MIDDLE_BAND:]]
    bands = [b if len(b) else by_df for b in bands]
    queries = []
    for _ in range(count):
        length = int(rng.integers(1, 5))
        chosen = rng.choice(3, size=length, p=BAND_WEIGHTS)
        ids = [int(rng.choice(bands[band])) for band in chosen]
        terms = tuple(dict.fromkeys(corpus["words"][i] for i in ids))
        queries.append(Query(terms, heavy=bool((chosen == 0).any())))
    return queries


def save_queries(path: Path, queries: list[Query]) -> None:
    path.write_text(json.dumps([{"terms": q.terms, "heavy": q.heavy} for q in queries]))


def load_queries(path: Path) -> list[Query]:
    return [Query(tuple(q["terms"]), q["heavy"]) for q in json.loads(path.read_text())]


def sentence_text(terms: list[str]) -> str:
    """The stored text of a synthetic sentence; `analyze` gives back `terms`."""
    return (" ".join(terms)).capitalize() + "."
