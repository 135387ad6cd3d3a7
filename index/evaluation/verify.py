"""Scoring `!verify` on PolNeAR attributions: true quotes must be found verbatim, the same quotes
with one word changed must be flagged close, and unrelated sentences must be reported not found.

Items are drawn, with a fixed seed, from a PolNeAR gold file of the ingested articles (the
quotes) and from a gold file of other articles (the unrelated sentences).
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from coveragebot.index.text.analyzer import fold
from coveragebot.index.verify.align import is_negation, is_number, tokens

TRUE, CHANGED, UNRELATED = "true quotes", "one word changed", "unrelated sentences"
EXPECTED = {TRUE: "verbatim", CHANGED: "close", UNRELATED: "not found"}
MIN_WORDS, MAX_WORDS = 6, 40
# Auxiliaries after which inserting `not` flips a sentence's meaning.
_AUXILIARIES = {"is", "was", "are", "were", "will", "would", "can", "could", "should", "has", "have", "had", "does", "did"}
_MARKS = "\"'“”‘’«» \u00a0"


@dataclass(frozen=True)
class VerifyItem:
    """One check: the words, the verdict they should get, and where they came from."""

    words: str
    origin: str  # TRUE | CHANGED | UNRELATED
    source: str  # the PolNeAR article id

    @property
    def expected(self) -> str:
        return EXPECTED[self.origin]


@dataclass(frozen=True)
class ClassScore:
    origin: str
    items: int
    recall: float  # share of these items given their expected verdict
    precision: float  # share of the answers with that verdict that were expected to get it

    @property
    def expected_verdict(self) -> str:
        return EXPECTED[self.origin]


def quote_texts(gold: Mapping[str, Mapping]) -> list[tuple[str, str]]:
    """(article id, content) of every spoken attribution printed as one stretch of text."""
    out = []
    for key, annotation in gold.items():
        for attribution in annotation.get("attributions", []):
            if not attribution.get("speech") or len(attribution.get("content_spans", [])) != 1:
                continue
            text = " ".join(attribution["content"].split()).strip(_MARKS + ",.;:")
            text = re.sub(r"^(?:that|whether)\s+", "", text)
            if MIN_WORDS <= len(tokens(text)) <= MAX_WORDS:
                out.append((key, text))
    return list(dict.fromkeys(out))


def build_items(gold: Mapping[str, Mapping], unrelated_gold: Mapping[str, Mapping], coverage: Sequence[str],
                count: int = 200, seed: int = 23) -> list[VerifyItem]:
    """`count` true quotes, each also with one word changed, and `count` unrelated sentences.

    An unrelated sentence whose words the coverage printed anyway (a quote two outlets
    both carried) is left out: it is not unrelated.
    """
    rng = random.Random(seed)
    quotes = quote_texts(gold)
    rng.shuffle(quotes)
    quotes = quotes[:count]
    vocabulary = sorted({t.text for _, q in quotes for t in tokens(q) if t.text.isalpha() and len(t.text) > 4})
    items = [VerifyItem(q, TRUE, key) for key, q in quotes]
    items += [VerifyItem(one_word_changed(q, rng, vocabulary), CHANGED, key) for key, q in quotes]
    printed = " ".join(" ".join(t.key for t in tokens(text)) for text in coverage)
    others = [(key, q) for key, q in quote_texts(unrelated_gold) if key not in gold]
    rng.shuffle(others)
    unrelated = []
    for key, q in others:
        if " ".join(t.key for t in tokens(q)) not in printed:
            unrelated.append(VerifyItem(q, UNRELATED, key))
        if len(unrelated) == count:
            break
    return items + unrelated


def one_word_changed(text: str, rng: random.Random, vocabulary: Sequence[str]) -> str:
    """The text with one word changed: a number, a negation, or a word swapped for another."""
    words = tokens(text)
    numbers = [t for t in words if is_number(t.key) and t.key[:1].isdigit()]
    negations = [t for t in words if is_negation(t.key) and t.key in {"not", "never", "no"}]
    auxiliaries = [t for t in words[1:] if t.key in _AUXILIARIES]
    roll = rng.random()
    if numbers and roll < 0.5:
        t = rng.choice(numbers)
        digits = [i for i, c in enumerate(t.text) if c.isdigit()]
        at = rng.choice(digits)
        changed = t.text[:at] + str((int(t.text[at]) + rng.randint(1, 8)) % 10) + t.text[at + 1:]
        return text[:t.start] + changed + text[t.end:]
    if negations and roll < 0.7:
        t = rng.choice(negations)
        # Dropping the negation and the space before it.
        return (text[:t.start].rstrip() + text[t.end:]).strip()
    if auxiliaries and roll < 0.7:
        t = rng.choice(auxiliaries)
        return text[:t.end] + " not" + text[t.end:]
    content = [t for t in words if t.text.isalpha() and len(t.text) > 3] or words
    t = rng.choice(content)
    choices = [w for w in vocabulary if fold(w) != t.key] or ["elsewhere"]
    return text[:t.start] + rng.choice(choices) + text[t.end:]


def score_verify(items: Sequence[VerifyItem], verdicts: Sequence[str]) -> list[ClassScore]:
    """Recall and precision of each expected verdict."""
    out = []
    for origin, expected in EXPECTED.items():
        mine = [v for item, v in zip(items, verdicts) if item.origin == origin]
        given = [item for item, v in zip(items, verdicts) if v == expected]
        right = sum(v == expected for v in mine)
        out.append(ClassScore(origin, len(mine), right / max(len(mine), 1),
                              sum(i.origin == origin for i in given) / max(len(given), 1)))
    return out


def format_verify_table(scores: Sequence[ClassScore], articles: int, timing: Mapping[str, float]) -> str:
    lines = [f"!verify on PolNeAR quotes ({articles} articles ingested)",
             f"{'items':<22}{'n':>5}  {'expected':<10}{'recall':>8}{'precision':>11}"]
    for s in scores:
        lines.append(f"{s.origin:<22}{s.items:>5}  {EXPECTED[s.origin]:<10}{s.recall:>8.3f}{s.precision:>11.3f}")
    lines.append(f"latency: p50 {timing['p50_ms']:.1f} ms, p95 {timing['p95_ms']:.1f} ms per check (through the service)")
    return "\n".join(lines)
