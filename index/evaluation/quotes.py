"""Scoring extracted statements against hand annotations, beside textacy's baseline.

    python -m coveragebot.index.evaluation quotes --gold GOLD.json FOLDER [FOLDER ...]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc

from coveragebot.index.quotes.extract import Statement, extract_statements
from coveragebot.index.text.names import name_span
from coveragebot.index.text.analyzer import words

MATCH_F1 = 0.8
# Rows of the report: a kind, or a group of kinds scored together.
KIND_GROUPS: dict[str, frozenset[str]] = {
    "direct": frozenset(["direct"]),
    "partial": frozenset(["partial"]),
    "direct+partial": frozenset(["direct", "partial"]),
    "indirect": frozenset(["indirect"]),
    "all": frozenset(["direct", "partial", "indirect"]),
}


@dataclass(frozen=True)
class Score:
    """Precision, recall and F1 of one kind (or group of kinds)."""

    gold: int
    predicted: int
    matched_gold: int
    matched_predicted: int

    @property
    def precision(self) -> float:
        return self.matched_predicted / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched_gold / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_gold(path: str | Path) -> dict[str, dict]:
    """The annotation file: article key -> {"quotes": [...], "who": [...], ...}."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def find_article_files(keys: Iterable[str], folders: Iterable[str | Path]) -> dict[str, Path]:
    """Files holding the keyed articles: JSON by their "id", other files by stem."""
    wanted = set(keys)
    found: dict[str, Path] = {}
    for folder in folders:
        for path in sorted(Path(folder).iterdir()):
            if not path.is_file():
                continue
            if path.suffix.lower() == ".json":
                try:
                    data = json.loads(path.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    continue
                items = data if isinstance(data, list) else [data]
                for item in items:
                    if isinstance(item, dict) and str(item.get("id", "")) in wanted:
                        found.setdefault(str(item["id"]), path)
            elif path.stem in wanted:
                found.setdefault(path.stem, path)
    return found


def token_f1(a: str, b: str) -> float:
    """Bag-of-words F1 between two texts (folded words, punctuation ignored)."""
    wa, wb = Counter(words(a)), Counter(words(b))
    overlap = sum((wa & wb).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(wa.values()), overlap / sum(wb.values())
    return 2 * precision * recall / (precision + recall)


def speaker_matches(predicted: str, gold: Mapping) -> bool:
    """Case-, accent- and punctuation-insensitive match to the speaker or an alias."""
    said = _name_words(predicted)
    return bool(said) and any(said == _name_words(n) for n in [gold["speaker"], *gold.get("aliases", [])])


def _name_words(name: str) -> list[str]:
    out = words(name)
    return out[1:] if out[:1] == ["the"] else out


def _matches(gold: Sequence[Mapping], predicted: Sequence[Statement]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index), best text overlap first."""
    pairs = []
    for g, item in enumerate(gold):
        for p, statement in enumerate(predicted):
            if speaker_matches(statement.speaker, item):
                f1 = token_f1(statement.text, item["text"])
                if f1 >= MATCH_F1:
                    pairs.append((f1, g, p))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, g, p in sorted(pairs, reverse=True):
        if g not in used_g and p not in used_p:
            used_g.add(g)
            used_p.add(p)
            out.append((g, p))
    return out


def score_statements(
    gold_by_key: Mapping[str, Mapping], predicted_by_key: Mapping[str, Sequence[Statement]]
) -> dict[str, Score]:
    """Per kind (and direct+partial, all) precision/recall over every gold article."""
    totals = {name: [0, 0, 0, 0] for name in KIND_GROUPS}
    for key, annotation in gold_by_key.items():
        quotes = annotation.get("quotes", []) if isinstance(annotation, Mapping) else annotation
        predicted = predicted_by_key.get(key, [])
        for name, kinds in KIND_GROUPS.items():
            gold = [q for q in quotes if q["kind"] in kinds]
            mine = [s for s in predicted if s.kind in kinds]
            pairs = _matches(gold, mine)
            row = totals[name]
            row[0] += len(gold)
            row[1] += len(mine)
            row[2] += len({g for g, _ in pairs})
            row[3] += len({p for _, p in pairs})
    return {name: Score(*row) for name, row in totals.items()}


def textacy_statements(doc: Doc) -> list[Statement]:
    """textacy's direct_quotations as statements (the baseline to beat)."""
    from textacy.extract.triples import direct_quotations

    out = []
    try:
        triples = list(direct_quotations(doc))
    except ValueError:
        # textacy refuses a document with an odd number of quotation marks.
        return out
    for speaker, cue, content in triples:
        inner = content[1:-1] if len(content) > 2 and content[0].is_quote else content
        # textacy gives the head word ("government"); widen it to the whole name
        # ("Scottish government") so the baseline is not failed on spelling alone.
        heads = [t for t in speaker if t.head not in speaker or t.head == t] or list(speaker)
        name = name_span(heads[0]).text or " ".join(t.text for t in speaker)
        sent = content.sent
        out.append(
            Statement(
                speaker=name, role="", aliases=(), text=inner.text, kind="direct",
                cue=" ".join(t.text for t in cue), start=inner.start_char, end=inner.end_char,
                passage_start=sent.start_char, passage_end=sent.end_char,
            )
        )
    return out


def format_report(
    ours: Mapping[str, Score], baseline: Mapping[str, Score], timing: Mapping[str, float] | None = None
) -> str:
    """A side-by-side table: precision/recall/F1 per kind, ours vs textacy."""
    head = f"{'kind':<15}{'gold':>5} | {'ours: pred':>10}{'P':>7}{'R':>7}{'F1':>7} | {'textacy: pred':>13}{'P':>7}{'R':>7}{'F1':>7}"
    lines = [head, "-" * len(head)]
    for name in KIND_GROUPS:
        a, b = ours[name], baseline[name]
        lines.append(
            f"{name:<15}{a.gold:>5} | {a.predicted:>10}{a.precision:>7.2f}{a.recall:>7.2f}{a.f1:>7.2f}"
            f" | {b.predicted:>13}{b.precision:>7.2f}{b.recall:>7.2f}{b.f1:>7.2f}"
        )
    if timing:
        lines.append("")
        lines.extend(f"{label}: {value}" for label, value in timing.items())
    return "\n".join(lines)


def format_differences(gold_by_key: Mapping[str, Mapping], predicted_by_key: Mapping[str, Sequence[Statement]]) -> str:
    """Missed gold statements and unmatched predictions, per article (for the dev loop)."""
    lines = []
    for key, annotation in gold_by_key.items():
        gold = annotation.get("quotes", [])
        predicted = list(predicted_by_key.get(key, []))
        pairs = _matches(gold, predicted)
        hit_g, hit_p = {g for g, _ in pairs}, {p for _, p in pairs}
        for g, item in enumerate(gold):
            if g not in hit_g:
                lines.append(f"{key} MISS {item['kind']:<8} {item['speaker']!r}: {item['text'][:90]!r}")
        for p, s in enumerate(predicted):
            if p not in hit_p:
                lines.append(f"{key} EXTRA {s.kind:<8} {s.speaker!r} [{s.cue}]: {s.text[:90]!r}")
    return "\n".join(lines)


def _load_bodies(paths: Mapping[str, Path]) -> dict[str, str]:
    from coveragebot.index.ingest.loaders import load_article_file

    bodies = {}
    for key, path in paths.items():
        for article in load_article_file(path):
            if article.key == key or path.stem == key:
                bodies[key] = article.text
    return bodies


def run_quotes(gold_path: str | Path, folders: Sequence[str | Path], show_differences: bool = False) -> str:
    """Parse the gold articles, extract with ours and textacy, and format the report."""
    from coveragebot.index.text.pipeline import load_pipeline
    from coveragebot.index.text.sentences import segment

    gold = load_gold(gold_path)
    paths = find_article_files(gold, folders)
    missing = sorted(set(gold) - set(paths))
    bodies = _load_bodies(paths)
    nlp = load_pipeline()
    ours: dict[str, list[Statement]] = {}
    theirs: dict[str, list[Statement]] = {}
    parse_time = extract_time = 0.0
    for key, body in bodies.items():
        t0 = time.perf_counter()
        doc, passages = segment(nlp, body)
        t1 = time.perf_counter()
        ours[key] = extract_statements(doc, passages)
        t2 = time.perf_counter()
        theirs[key] = textacy_statements(doc)
        parse_time += t1 - t0
        extract_time += t2 - t1
    scored = {k: v for k, v in gold.items() if k in bodies}
    timing = {
        "articles": f"{len(bodies)} scored" + (f", missing {', '.join(missing)}" if missing else ""),
        "parse (segment)": f"{parse_time * 1000:.0f} ms",
        "extract_statements": f"{extract_time * 1000:.0f} ms ({extract_time / parse_time:.0%} of parse)" if parse_time else "0 ms",
    }
    report = format_report(score_statements(scored, ours), score_statements(scored, theirs), timing)
    if show_differences:
        report += "\n\n" + format_differences(scored, ours)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coveragebot.index.evaluation")
    commands = parser.add_subparsers(dest="command", required=True)
    quotes = commands.add_parser("quotes", help="score statement extraction against gold")
    quotes.add_argument("--gold", required=True, help="annotation JSON (dev-gold.json)")
    quotes.add_argument("folders", nargs="+", help="folders holding the annotated articles")
    quotes.add_argument("--diff", action="store_true", help="list misses and extras")
    args = parser.parse_args(argv)
    print(run_quotes(args.gold, args.folders, args.diff))
    return 0


if __name__ == "__main__":
    sys.exit(main())
