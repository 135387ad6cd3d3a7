"""Workspaces in the search index: one tantivy index per workspace, or one shared index
with a `workspace` field filtered inside the engine. Which answers faster, measured here.

    python benchmarks/workspace_index.py --sentences 200000 --workspaces 100

Synthetic sentences (a Zipf vocabulary, 12 terms each) are split over the workspaces, one
of them holding half; the same queries (2-3 common and rarer terms) run against the big
workspace and a small one, in the shared filtered index and in that workspace's own index.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import tantivy

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def schema(with_workspace: bool) -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("terms", stored=False, tokenizer_name="whitespace", index_option="position")
    builder.add_unsigned_field("sentence_id", stored=False, indexed=False, fast=True)
    if with_workspace:
        builder.add_text_field("workspace", stored=False, tokenizer_name="raw", index_option="basic")
    return builder.build()


def corpus(sentences: int, workspaces: int, seed: int = 7) -> list[tuple[str, str]]:
    """(workspace, terms) pairs; workspace w0 holds half, the rest share the other half."""
    rng = random.Random(seed)
    vocabulary = [f"t{n}" for n in range(30_000)]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    words = rng.choices(vocabulary, weights, k=sentences * 12)
    out = []
    for n in range(sentences):
        workspace = "w0" if n % 2 == 0 else f"w{1 + (n // 2) % (workspaces - 1)}"
        out.append((workspace, " ".join(words[n * 12:(n + 1) * 12])))
    return out


def build(folder: Path, rows: list[tuple[str, str]], with_workspace: bool) -> tantivy.Index:
    folder.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(schema(with_workspace), path=str(folder))
    writer = index.writer(64_000_000, num_threads=1)
    for number, (workspace, terms) in enumerate(rows):
        doc = tantivy.Document()
        doc.add_text("terms", terms)
        doc.add_unsigned("sentence_id", number)
        if with_workspace:
            doc.add_text("workspace", workspace)
        writer.add_document(doc)
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index


def query(index: tantivy.Index, terms: list[str], workspace: str | None) -> tantivy.Query:
    sch = index.schema
    should = tantivy.Query.boolean_query(
        [(tantivy.Occur.Should, tantivy.Query.term_query(sch, "terms", t)) for t in terms])
    if workspace is None:
        return should
    return tantivy.Query.boolean_query([
        (tantivy.Occur.Must, should),
        (tantivy.Occur.Must, tantivy.Query.const_score_query(tantivy.Query.term_query(sch, "workspace", workspace), 0.0)),
    ])


def timed(index: tantivy.Index, queries: list[list[str]], workspace: str | None) -> list[float]:
    searcher = index.searcher()
    out = []
    for terms in queries:
        started = time.perf_counter()
        searcher.search(query(index, terms, workspace), limit=50, count=False)
        out.append((time.perf_counter() - started) * 1000)
    return out


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=200_000)
    parser.add_argument("--workspaces", type=int, default=100)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args(argv)
    rows = corpus(args.sentences, args.workspaces)
    rng = random.Random(11)
    queries = [[f"t{rng.randint(0, 60)}", f"t{rng.randint(60, 3000)}", f"t{rng.randint(3000, 20000)}"]
               for _ in range(args.queries)]
    print(f"{args.sentences:,} sentences over {args.workspaces} workspaces; {args.queries} queries, top 50, ms")
    print(f"{'workspace':<12} {'sentences':>10} {'shared+filter p50/p95':>24} {'own index p50/p95':>20}")
    with tempfile.TemporaryDirectory() as tmp:
        shared = build(Path(tmp) / "shared", rows, True)
        for workspace in ("w0", "w1"):
            own_rows = [r for r in rows if r[0] == workspace]
            folder = Path(tmp) / workspace
            folder.mkdir()
            own = build(folder, own_rows, False)
            timed(shared, queries[:20], workspace), timed(own, queries[:20], None)  # warm up
            filtered, alone = timed(shared, queries, workspace), timed(own, queries, None)
            print(f"{workspace:<12} {len(own_rows):>10,} {p(filtered, 50):>11.2f} / {p(filtered, 95):<10.2f}"
                  f" {p(alone, 50):>8.2f} / {p(alone, 95):<8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
