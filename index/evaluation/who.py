"""Scoring `!who` against the hand-annotated `who` items, and a dev-loop table.

    python -m coveragebot.index.evaluation.who [--gold PATH] [--seeds DIR] [--corpus DIR] [--pooled] [-v]

Each gold question is asked of its own article (the evidence sentence is that
article's); `--pooled` asks every question of all the gold articles at once.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from coveragebot.index.text.analyzer import fold, words

# The dev loop runs in a checkout, on the repository's own test data; COVERAGEBOT_SHARED
# names a larger folder of the same layout (eval/dev-gold.json, corpus/*.json) instead.
# index/evaluation/who.py: two folders up is the repository (or, installed, the package, which
# holds config/seeds too).
_CHECKOUT = Path(__file__).resolve().parents[2]
_DATA = Path(os.environ.get("COVERAGEBOT_SHARED") or _CHECKOUT / "tests" / "data")
DEFAULT_GOLD = _DATA / "eval" / "dev-gold.json"
DEFAULT_SEEDS = _CHECKOUT / "config" / "seeds"
DEFAULT_CORPUS = _DATA / "corpus"
TOP_K = 3


@dataclass(frozen=True)
class WhoScore:
    """Accuracies over a set of gold items (fractions of `items`)."""

    items: int
    top1: float
    top3: float
    evidence: float
    misses: tuple[str, ...] = ()


def same_agent(answer: str, acceptable: Iterable[str]) -> bool:
    """Case-, accent- and dot-insensitive name equality, a leading `the` ignored."""
    return _agent_words(answer) in {_agent_words(a) for a in acceptable}


def contains_sentence(passage: str, sentence: str) -> bool:
    """The passage is, or contains, the gold sentence (spacing and quotes ignored)."""
    return bool(_flat(sentence)) and _flat(sentence) in _flat(passage)


def score_who(
    gold_items: Sequence[Mapping], answers_by_question: Mapping[object, Sequence[tuple[str, str]]]
) -> WhoScore:
    """Score ranked (agent, best evidence passage) lists against gold items.

    A gold item is a mapping with `question`, `answers`, `evidence` and optionally
    `article`; its answers are looked up under `(article, question)`, then `question`.
    """
    top1 = top3 = evidence = 0
    misses = []
    for item in gold_items:
        key = (item.get("article"), item["question"])
        ranked = answers_by_question.get(key, answers_by_question.get(item["question"], ()))
        agents = [agent for agent, _ in ranked]
        first = bool(agents) and same_agent(agents[0], item["answers"])
        top1 += first
        top3 += any(same_agent(a, item["answers"]) for a in agents[:TOP_K])
        shown = bool(ranked) and contains_sentence(ranked[0][1], item["evidence"])
        evidence += shown
        if not (first and shown):
            misses.append(f"{item.get('article', '')}: {item['question']!r} -> {agents[:TOP_K]}"
                          f"{'' if shown else ' (evidence missed)'}")
    n = len(gold_items)
    return WhoScore(n, top1 / n if n else 0.0, top3 / n if n else 0.0,
                    evidence / n if n else 0.0, tuple(misses))


def _agent_words(name: str) -> tuple[str, ...]:
    tokens = words(name)
    while tokens and tokens[0] == "the":
        tokens = tokens[1:]
    return tuple(tokens)


def _flat(text: str) -> str:
    return re.sub(r"[\W_]+", " ", fold(text)).strip()


# ---------------------------------------------------------------- dev loop


def load_gold_articles(gold: Mapping, seeds: Path, corpus: Path) -> dict[str, str]:
    """Body text of each gold article: seeds by file stem, corpus JSON by `id`."""
    bodies = {p.stem: p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))}
    for path in sorted(corpus.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        bodies[record["id"]] = record["text"]
    missing = [key for key in gold if key not in bodies]
    if missing:
        raise SystemExit(f"gold articles not found: {', '.join(missing)}")
    return {key: bodies[key] for key in gold}


def run(gold_path: Path, seeds: Path, corpus: Path, pooled: bool = False) -> tuple[dict, float]:
    """Answer every gold `who` item: per article (items, ranked answers), ms per query."""
    from coveragebot.index.text.pipeline import load_pipeline
    from coveragebot.index.text.sentences import segment
    from coveragebot.index.who.extract import extract_actions
    from coveragebot.index.who.query import action_matches, parse_who_query, rank_in_parts

    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    bodies = load_gold_articles(gold, seeds, corpus)
    nlp = load_pipeline()
    actions, texts = {}, {}
    for number, (key, body) in enumerate(bodies.items()):
        doc, passages = segment(nlp, body)
        actions[number] = extract_actions(doc, passages)
        texts[number] = body
    numbers = {key: number for number, key in enumerate(bodies)}
    scores, elapsed, asked = {}, 0.0, 0
    for key, article in gold.items():
        items = [dict(item, article=key) for item in article.get("who", [])]
        answers = {}
        for item in items:
            began = time.perf_counter()
            query = parse_who_query(item["question"])
            scope = actions if pooled else {numbers[key]: actions[numbers[key]]}
            hits = [(n, a) for n, acts in scope.items() for a in acts if action_matches(query, a)]
            # As `!who` answers: what happened first, then what was only reported otherwise.
            done, told = rank_in_parts(hits)
            ranked = done + told
            elapsed += time.perf_counter() - began
            asked += 1
            answers[(key, item["question"])] = [
                (r.agent, texts[r.evidence[0][0]][r.evidence[0][1].passage_start:r.evidence[0][1].passage_end])
                for r in ranked
            ]
        scores[key] = (items, answers)
    return scores, 1000 * elapsed / max(asked, 1)


def format_table(rows: list[tuple[str, WhoScore]]) -> str:
    """A fixed-width table: one row per article, then the total."""
    lines = [f"{'article':28} {'items':>5} {'top-1':>6} {'top-3':>6} {'evid.':>6}"]
    for name, s in rows:
        lines.append(f"{name[:28]:28} {s.items:5d} {s.top1:6.2f} {s.top3:6.2f} {s.evidence:6.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coveragebot.index.evaluation.who", description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--pooled", action="store_true", help="ask each question of all gold articles")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the misses")
    args = parser.parse_args(argv)
    if not args.gold.is_file():
        parser.error(f"no gold file at {args.gold}; pass --gold PATH (a checkout has tests/data/eval/dev-gold.json)")
    scores, ms = run(args.gold, args.seeds, args.corpus, args.pooled)
    rows, all_items, all_answers = [], [], {}
    for key, (items, answers) in scores.items():
        rows.append((key, score_who(items, answers)))
        all_items += items
        all_answers.update(answers)
    total = score_who(all_items, all_answers)
    rows.append(("TOTAL" + (" (pooled)" if args.pooled else ""), total))
    print(format_table(rows))
    print(f"query time: {ms:.2f} ms per question (match + rank, extraction excluded)")
    if args.verbose and total.misses:
        print("misses:")
        for miss in total.misses:
            print("  " + miss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
