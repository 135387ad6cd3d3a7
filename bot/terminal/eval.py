"""`coveragebot eval quotes|who|search`: the gold articles ingested through the real path
(loaders, spaCy, extraction, SQLite, index) into a temporary database, then scored."""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from coveragebot.index.ingest.loaders import load_article_file
from coveragebot.index.evaluation.quotes import find_article_files, format_report, load_gold, score_statements, textacy_statements
from coveragebot.index.quotes.extract import Statement, extract_statements
from coveragebot.index.evaluation.search import format_search_table, score_search, search_items
from coveragebot.index.service import Service
from coveragebot.index.settings import Settings
from coveragebot.index.evaluation.who import format_table, score_who


async def run_eval(args: argparse.Namespace, settings: Settings) -> int:
    refusal = why_eval_cannot_run(args)
    if refusal:
        print(f"coveragebot: {refusal}", file=sys.stderr)
        return 1
    gold = load_gold(args.gold)
    if args.task == "verify":
        return await run_verify_eval(args, settings, gold)
    paths = find_article_files(gold, args.articles)
    missing = sorted(set(gold) - set(paths))
    if missing:
        print(f"coveragebot: gold articles not found in {', '.join(args.articles)}: {', '.join(missing)}",
              file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="coveragebot-eval-") as folder:
        service = await Service.open(replace(settings, storage_db=str(Path(folder) / "eval.db")), seed=False)
        try:
            started = time.perf_counter()
            keys = await _ingest(service, paths)
            ingest_seconds = time.perf_counter() - started
            if args.task == "quotes":
                report, figures = await _quotes(service, gold, keys, ingest_seconds)
            elif args.task == "search":
                distractors = await _ingest_others(service, args.articles, set(paths.values()))
                report, figures = await _search(service, gold, len(keys) + distractors)
            else:
                report, figures = await _who(service, gold, keys)
        finally:
            await service.close()
    print(json.dumps(figures, indent=2) if args.json else report)
    return 0


def why_eval_cannot_run(args: argparse.Namespace) -> str | None:
    """What is missing for this evaluation, in one line; None when it can run."""
    gold = Path(args.gold)
    if not gold.is_file():
        return (f"no gold file at {gold}: --gold takes a JSON of hand annotations "
                "(a clone has one at tests/data/eval/dev-gold.json)")
    try:
        json.loads(gold.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return f"the gold file {gold} is not readable JSON ({exc})"
    folders = [folder for folder in args.articles if not Path(folder).is_dir()]
    if folders:
        return f"no article folder at {', '.join(folders)}: --articles takes folders holding the gold articles"
    if args.task == "verify":
        unrelated = Path(args.unrelated) if args.unrelated else gold.parent / "gold-train.json"
        if not unrelated.is_file():
            return f"no gold file of unrelated articles at {unrelated}: --unrelated takes one (PolNeAR gold-train.json)"
    # The quotes report sets textacy's extractor beside ours; textacy is an optional extra.
    if args.task == "quotes" and importlib.util.find_spec("textacy") is None:
        return 'eval quotes needs textacy: pip install "coveragebot[eval]" (in a clone: pip install ".[eval]")'
    return None


async def _ingest(service: Service, paths: dict[str, Path]) -> dict[str, int]:
    """Add each gold article; return gold key -> stored article id."""
    keys = {}
    for key, path in paths.items():
        [article] = [a for a in load_article_file(path) if a.key == key] or load_article_file(path)[:1]
        [outcome] = await service.add_articles([replace(article, key=key)], actor="eval")
        if outcome.status != "added":
            raise RuntimeError(f"{key}: {outcome.message}")
        keys[key] = outcome.article.id
    return keys


async def _ingest_others(service: Service, folders, gold_files: set[Path]) -> int:
    """Add every other article in the folders, so a query must also beat unrelated stories."""
    added = 0
    for folder in folders:
        for path in sorted(Path(folder).iterdir()):
            if path.suffix.lower() in {".json", ".txt"} and path not in gold_files:
                outcomes = await service.add_articles(load_article_file(path), actor="eval")
                added += sum(o.status == "added" for o in outcomes)
    return added


async def _search(service: Service, gold: dict, articles: int):
    items = search_items(gold)
    passages = {}
    started = time.perf_counter()
    for item in items:
        answer = await service.search(item["query"])
        passages[item["query"]] = [hit.text for hit in answer.hits]
    ms_per_query = (time.perf_counter() - started) * 1000 / max(len(items), 1)
    score = score_search(items, passages)
    figures = {"items": score.items, "hit1": score.hit1, "hit3": score.hit3, "articles": articles,
               "ms_per_query": round(ms_per_query, 3), "misses": list(score.misses)}
    return format_search_table(score, articles, ms_per_query), figures


async def _quotes(service: Service, gold: dict, keys: dict[str, int], ingest_seconds: float):
    from coveragebot.index.text.pipeline import load_pipeline
    from coveragebot.index.text.sentences import segment

    ours: dict[str, list[Statement]] = {}
    for key, article_id in keys.items():
        rows = await service.store.rows("SELECT * FROM statements WHERE workspace = ? AND article_id = ?",
                                        (service.store.workspace, article_id))
        ours[key] = [
            Statement(r["speaker"], r["role"], tuple(json.loads(r["aliases"])), r["text"], r["kind"], r["cue"],
                      r["start"], r["end"], r["passage_start"], r["passage_end"])
            for r in rows
        ]
    # The baseline and the cost of extraction, on the very bodies that were stored.
    nlp = load_pipeline()
    baseline, parse_s, extract_s = {}, 0.0, 0.0
    for key, article_id in keys.items():
        text = await service.store.article_text(article_id)
        t0 = time.perf_counter()
        doc, passages = segment(nlp, text)
        t1 = time.perf_counter()
        extract_statements(doc, passages)
        t2 = time.perf_counter()
        parse_s, extract_s = parse_s + (t1 - t0), extract_s + (t2 - t1)
        baseline[key] = textacy_statements(doc)
    mine, theirs = score_statements(gold, ours), score_statements(gold, baseline)
    timing = {
        "articles": len(keys),
        "ingest through the service (s)": round(ingest_seconds, 3),
        "spaCy parse (s)": round(parse_s, 3),
        "quote extraction (s)": round(extract_s, 3),
        "extraction / parse": f"{extract_s / parse_s:.1%}" if parse_s else "n/a",
    }
    figures = {
        "ours": {k: _score_json(v) for k, v in mine.items()},
        "textacy": {k: _score_json(v) for k, v in theirs.items()},
        "timing": timing,
    }
    return format_report(mine, theirs, timing), figures


async def _who(service: Service, gold: dict, keys: dict[str, int]):
    items, answers = [], {}
    started = time.perf_counter()
    for key in keys:
        for item in gold[key].get("who", []):
            items.append({**item, "article": key})
            answer = await service.who(item["question"])
            answers[(key, item["question"])] = [
                (agent.agent, agent.evidence[0].text if agent.evidence else "") for agent in answer.agents
            ]
    per_query_ms = (time.perf_counter() - started) * 1000 / max(len(items), 1)
    score = score_who(items, answers)
    rows = [("all gold articles, pooled", score)]
    report = format_table(rows) + f"\n!who latency: {per_query_ms:.2f} ms per question (through the service)"
    if score.misses:
        report += "\nmisses:\n  " + "\n  ".join(score.misses)
    figures = {"items": score.items, "top1": score.top1, "top3": score.top3, "evidence": score.evidence,
               "ms_per_question": round(per_query_ms, 3), "misses": list(score.misses)}
    return report, figures


def _score_json(score) -> dict:
    return {"gold": score.gold, "predicted": score.predicted, "precision": round(score.precision, 3),
            "recall": round(score.recall, 3), "f1": round(score.f1, 3)}


async def run_verify_eval(args: argparse.Namespace, settings: Settings, gold: dict) -> int:
    """`eval verify`: the gold file's articles ingested, then true, changed and unrelated quotes checked."""
    from coveragebot.index.evaluation.verify import build_items, format_verify_table, score_verify

    if not any(isinstance(v, dict) and "attributions" in v for v in gold.values()):
        print(f"coveragebot: {args.gold} holds no PolNeAR attributions (eval verify takes a PolNeAR gold file)",
              file=sys.stderr)
        return 1
    paths = find_article_files(gold, args.articles)
    unrelated = load_gold(args.unrelated or Path(args.gold).parent / "gold-train.json")
    with tempfile.TemporaryDirectory(prefix="coveragebot-eval-") as folder:
        service = await Service.open(replace(settings, storage_db=str(Path(folder) / "eval.db")), seed=False)
        try:
            articles = [a for path in sorted(set(paths.values())) for a in load_article_file(path) if a.key in gold]
            outcomes = await service.add_articles(articles, actor="eval")
            added = sum(o.status == "added" for o in outcomes)
            items = build_items(gold, unrelated, [a.text for a in articles], args.count)
            verdicts, latencies = [], []
            for item in items:
                started = time.perf_counter()
                answer = await service.verify(item.words)
                latencies.append((time.perf_counter() - started) * 1000)
                verdicts.append(answer.verdict)
        finally:
            await service.close()
    scores = score_verify(items, verdicts)
    latencies.sort()
    timing = {"p50_ms": latencies[len(latencies) // 2] if latencies else 0.0,
              "p95_ms": latencies[int(len(latencies) * 0.95)] if latencies else 0.0}
    misses = [f"{item.origin}: {verdict} for “{item.words}”" for item, verdict in zip(items, verdicts)
              if verdict != item.expected]
    if args.json:
        print(json.dumps({"articles": added, "classes": [
            {"items": s.origin, "n": s.items, "expected": s.expected_verdict, "recall": round(s.recall, 4),
             "precision": round(s.precision, 4)} for s in scores],
            "timing": {k: round(v, 3) for k, v in timing.items()}, "misses": misses}, indent=2))
    else:
        report = format_verify_table(scores, added, timing)
        if misses:
            report += "\nmisses:\n  " + "\n  ".join(misses[:20])
        print(report)
    return 0
