"""Sentence search engines side by side on the same analysed terms, plus coveragebot itself.

    python benchmarks/engines.py [--sizes 10000 100000 1000000] [--queries 200] [--json] [--quick]
                                 [--engines serving tantivy ...] [--no-ingest]

For each corpus size every engine is built and queried in its own subprocess (so its
peak RSS is its own), then reopened from disk in a fresh one (restart = open + first
answer). At the largest size the whole bot path is measured: `!search` through the
command layer, adding a real article while queries run, restart, peak RSS. Last,
bulk ingest words/s of `Service.add_items` against spaCy's own `nlp.pipe`.
Figures are medians and percentiles from one run on whatever machine runs it; quote
ratios rather than absolute numbers. Temporary data lives under /tmp and is removed.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `benchmarks` and `index` importable
    sys.path.insert(0, str(ROOT))

import numpy as np

from benchmarks import _corpus
from benchmarks._measure import (
    current_rss_mb,
    emit,
    latency_figures,
    peak_rss_mb,
    percentile,
    print_head,
    timed_queries,
    verdict,
)
from benchmarks._service import (
    build_service_store,
    print_service_tables,
    run_ingest,
    run_service,
)

TOP_K = 10
RANK_BM25_MAX = 100_000


# -- the engines -------------------------------------------------------------------
# Each takes the corpus file (one sentence of analysed terms per line, id = line number),
# builds in `directory`, reopens from it, and answers `search(terms) -> [sentence ids]`.

class ServingIndex:
    """coveragebot's own index.bm25.SentenceIndex, exactly as the service uses it."""

    label = "coveragebot SentenceIndex"

    def __init__(self, index) -> None:
        self.index = index

    @classmethod
    def build(cls, corpus: Path, directory: Path) -> "ServingIndex":
        from coveragebot.index.search.bm25 import IndexedSentence, SentenceIndex

        index = SentenceIndex(directory)
        index.replace_articles((), (
            IndexedSentence(sid, _corpus.article_of(sid), terms)
            for sid, terms in enumerate(_corpus.read_corpus(corpus), start=1)
        ))
        return cls(index)

    @classmethod
    def open(cls, directory: Path) -> "ServingIndex":
        from coveragebot.index.search.bm25 import SentenceIndex

        return cls(SentenceIndex(directory))

    def search(self, terms, k: int = TOP_K) -> list[int]:
        return [sid for sid, _ in self.index.search(terms, k)]


class RawTantivy:
    """tantivy-py as its README shows it: default tokenizer, parse_query, stored id."""

    label = "tantivy-py (default usage)"

    def __init__(self, index) -> None:
        self.index = index

    @staticmethod
    def _schema():
        import tantivy

        builder = tantivy.SchemaBuilder()
        builder.add_text_field("body")
        builder.add_unsigned_field("id", stored=True)
        return builder.build()

    @classmethod
    def build(cls, corpus: Path, directory: Path) -> "RawTantivy":
        import tantivy

        directory.mkdir(parents=True, exist_ok=True)
        index = tantivy.Index(cls._schema(), path=str(directory))
        writer = index.writer()
        for sid, terms in enumerate(_corpus.read_corpus(corpus), start=1):
            writer.add_document(tantivy.Document(body=" ".join(terms), id=sid))
        writer.commit()
        writer.wait_merging_threads()
        index.reload()
        return cls(index)

    @classmethod
    def open(cls, directory: Path) -> "RawTantivy":
        import tantivy

        return cls(tantivy.Index(cls._schema(), path=str(directory), reuse=True))

    def search(self, terms, k: int = TOP_K) -> list[int]:
        query = self.index.parse_query(" ".join(terms), ["body"])
        searcher = self.index.searcher()
        return [searcher.doc(address)["id"][0] for _, address in searcher.search(query, k).hits]


class Bm25s:
    """bm25s (numpy backend) with Lucene idf, k1 = 1.2, b = 0.75, fed the term lists."""

    label = "bm25s (numpy)"

    def __init__(self, retriever) -> None:
        self.retriever = retriever

    @classmethod
    def build(cls, corpus: Path, directory: Path) -> "Bm25s":
        import bm25s

        retriever = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
        retriever.index(list(_corpus.read_corpus(corpus)), show_progress=False)
        retriever.save(str(directory), show_progress=False)
        return cls(retriever)

    @classmethod
    def open(cls, directory: Path) -> "Bm25s":
        import bm25s

        return cls(bm25s.BM25.load(str(directory), show_progress=False))

    def search(self, terms, k: int = TOP_K) -> list[int]:
        docs, _ = self.retriever.retrieve([list(terms)], k=k, show_progress=False, n_threads=1)
        return [int(d) + 1 for d in docs[0]]


class Fts5:
    """SQLite FTS5: terms inserted pre-analysed, OR query, ORDER BY rank (bm25())."""

    label = "SQLite FTS5 bm25()"

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    @classmethod
    def build(cls, corpus: Path, directory: Path) -> "Fts5":
        directory.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(directory / "fts.db", isolation_level=None)
        db.execute("CREATE VIRTUAL TABLE sentences USING fts5(terms)")
        db.execute("BEGIN")
        db.executemany("INSERT INTO sentences (rowid, terms) VALUES (?, ?)", (
            (sid, " ".join(terms)) for sid, terms in enumerate(_corpus.read_corpus(corpus), start=1)
        ))
        db.execute("COMMIT")
        db.execute("INSERT INTO sentences (sentences) VALUES ('optimize')")
        return cls(db)

    @classmethod
    def open(cls, directory: Path) -> "Fts5":
        return cls(sqlite3.connect(directory / "fts.db", isolation_level=None))

    def search(self, terms, k: int = TOP_K) -> list[int]:
        match = " OR ".join(f'"{t}"' for t in dict.fromkeys(terms))
        rows = self.db.execute(
            "SELECT rowid FROM sentences WHERE sentences MATCH ? ORDER BY rank LIMIT ?", (match, k)
        ).fetchall()
        return [r[0] for r in rows]


class RankBm25:
    """rank-bm25's BM25Okapi, with tantivy's idf (as tests/index/test_bm25.py): the reference."""

    label = "rank-bm25 BM25Okapi"

    def __init__(self, model) -> None:
        self.model = model

    @classmethod
    def build(cls, corpus: Path, directory: Path) -> "RankBm25":
        model = _lucene_idf_okapi()(list(_corpus.read_corpus(corpus)), k1=1.2, b=0.75)
        directory.mkdir(parents=True, exist_ok=True)
        with (directory / "model.pickle").open("wb") as out:
            pickle.dump(model, out, protocol=pickle.HIGHEST_PROTOCOL)
        return cls(model)

    @classmethod
    def open(cls, directory: Path) -> "RankBm25":
        _lucene_idf_okapi()  # the class must exist before unpickling
        with (directory / "model.pickle").open("rb") as data:
            return cls(pickle.load(data))

    def search(self, terms, k: int = TOP_K) -> list[int]:
        scores = self.model.get_scores(list(terms))
        top = np.argpartition(-scores, min(k, len(scores) - 1))[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [int(i) + 1 for i in top if scores[i] > 0]


def _lucene_idf_okapi():
    import math

    from rank_bm25 import BM25Okapi

    global LuceneIdfOkapi
    if "LuceneIdfOkapi" not in globals():
        class LuceneIdfOkapi(BM25Okapi):
            # BM25Okapi's idf goes negative for terms in over half the sentences; tantivy's never does.
            def _calc_idf(self, nd):
                for word, freq in nd.items():
                    self.idf[word] = math.log(1 + (self.corpus_size - freq + 0.5) / (freq + 0.5))

        LuceneIdfOkapi.__module__ = __name__
        globals()["LuceneIdfOkapi"] = LuceneIdfOkapi
    return globals()["LuceneIdfOkapi"]


ENGINES = {"serving": ServingIndex, "tantivy": RawTantivy, "bm25s": Bm25s, "fts5": Fts5,
           "rank-bm25": RankBm25}
_MODULES = {"serving": "coveragebot.index.search.bm25", "tantivy": "tantivy", "bm25s": "bm25s", "fts5": "sqlite3",
            "rank-bm25": "rank_bm25"}


# -- measuring one engine (runs inside a child process) ----------------------------------

def measure_build(engine: str, corpus: Path, queries: list[_corpus.Query], directory: Path) -> dict:
    """Build, then time every query; RSS is this process's own."""
    cls = ENGINES[engine]
    __import__(_MODULES[engine])  # import cost stays out of the build time
    base = current_rss_mb()
    started = time.perf_counter()
    built = cls.build(corpus, directory)
    build_s = time.perf_counter() - started
    latencies, tops = timed_queries(built.search, queries)
    return {"build_s": build_s, **latency_figures(latencies, queries), "base_rss_mb": base,
            "peak_rss_mb": peak_rss_mb(), "tops": tops,
            "disk_mb": sum(p.stat().st_size for p in directory.rglob("*") if p.is_file()) / 2**20}


def measure_restart(engine: str, queries: list[_corpus.Query], directory: Path) -> dict:
    """Reopen a persisted index in a fresh process and answer the first query."""
    cls = ENGINES[engine]
    __import__(_MODULES[engine])
    started = time.perf_counter()
    reopened = cls.open(directory)
    first = reopened.search(queries[0].terms)
    restart_s = time.perf_counter() - started
    latencies, _ = timed_queries(reopened.search, queries)
    return {"restart_s": restart_s, "first_hits": len(first), "reopened_p50_ms": percentile(latencies, 50),
            "reopened_peak_rss_mb": peak_rss_mb()}


# -- the parent: corpora, children, tables ---------------------------------------------

def child(task: str, **spec) -> dict:
    """Run one measurement in a fresh interpreter; its stdout is one JSON object."""
    spec = {k: str(v) if isinstance(v, Path) else v for k, v in spec.items()}
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", task, json.dumps(spec)],
                          stdout=subprocess.PIPE, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark child {task} {spec.get('engine', '')} failed ({done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def child_main(task: str, spec: dict) -> None:
    queries = _corpus.load_queries(Path(spec["queries"])) if "queries" in spec else []
    directory = Path(spec["directory"])
    if task == "build":
        out = measure_build(spec["engine"], Path(spec["corpus"]), queries, directory)
    elif task == "restart":
        out = measure_restart(spec["engine"], queries, directory)
    elif task == "service-build":
        out = build_service_store(Path(spec["corpus"]), directory)
    elif task == "service-run":
        out = run_service(directory, queries, spec.get("add_rounds", 3))
    elif task == "ingest":
        out = run_ingest(directory, spec.get("repeats", 3))
    else:
        raise SystemExit(f"unknown task {task}")
    print(json.dumps(out))


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run_benchmark(sizes: list[int], query_count: int, workdir: Path | None = None,
                  engines: tuple[str, ...] = tuple(ENGINES), service: bool = True, ingest: bool = True,
                  add_rounds: int = 3) -> dict:
    """Every measurement, as one JSON-ready dict; `add_rounds` adds of each kind (idle, paced, loaded)."""
    own_dir = workdir is None
    workdir = workdir or Path(tempfile.mkdtemp(prefix="coveragebot-bench-", dir="/tmp"))
    report: dict = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
                    "top_k": TOP_K, "sizes": {}}
    try:
        corpus_path = queries_path = None
        for size in sorted(sizes):
            say(f"corpus of {size:,} sentences")
            corpus_path = workdir / f"corpus-{size}.txt"
            meta = _corpus.write_corpus(corpus_path, size)
            queries = _corpus.make_queries(meta, query_count)
            queries_path = workdir / f"queries-{size}.json"
            _corpus.save_queries(queries_path, queries)
            row: dict = {"tokens": meta["tokens"], "queries": len(queries),
                         "heavy_queries": sum(q.heavy for q in queries),
                         "top_df": int(meta["df"].max()), "engines": {}}
            for engine in engines:
                if engine == "rank-bm25" and size > RANK_BM25_MAX:
                    row["engines"][engine] = {"skipped": f"skipped above {RANK_BM25_MAX:,}"}
                    continue
                say(f"{engine} at {size:,}: build and query")
                directory = workdir / f"{engine}-{size}"
                spec = {"engine": engine, "corpus": corpus_path, "queries": queries_path, "directory": directory}
                figures = child("build", **spec)
                say(f"{engine} at {size:,}: restart")
                figures.update(child("restart", **spec))
                row["engines"][engine] = figures
                shutil.rmtree(directory, ignore_errors=True)
            _agreement(row["engines"])
            report["sizes"][str(size)] = row
            if size != max(sizes):
                corpus_path.unlink()
        if service:
            size = max(sizes)
            directory = workdir / "service"
            say(f"coveragebot store of {size:,} sentences: bulk load and index")
            report["service_build"] = child("service-build", corpus=corpus_path, directory=directory)
            say("coveragebot: restart, !search, add while searching")
            report["service"] = child("service-run", queries=queries_path, directory=directory,
                                      add_rounds=add_rounds)
            report["service"]["size"] = size
            shutil.rmtree(directory, ignore_errors=True)
        if ingest:
            say("bulk ingest: add_items vs nlp.pipe")
            report["ingest"] = child("ingest", directory=workdir / "ingest")
    finally:
        if own_dir:
            shutil.rmtree(workdir, ignore_errors=True)
    return report


def _agreement(engines: dict) -> None:
    """Mean share of each engine's top-k that the serving index also returned (ties break differently)."""
    reference = engines.get("serving", {}).get("tops")
    for figures in engines.values():
        tops = figures.pop("tops", None)
        if reference is None or tops is None:
            continue
        shares = [len(set(a) & set(b)) / max(1, len(b)) for a, b in zip(tops, reference)]
        figures["overlap_at_10"] = float(np.mean(shares))
        figures["top1_agree"] = float(np.mean([bool(a) and bool(b) and a[0] == b[0] for a, b in zip(tops, reference)]))


def print_tables(report: dict) -> None:
    sizes = sorted(report["sizes"], key=int)
    for size in sizes:
        row = report["sizes"][size]
        print(f"\nEngines on the same analysed terms, top-{report['top_k']}: {int(size):,} sentences, "
              f"{row['tokens'] / 1e6:.1f}M terms, {row['queries']} queries "
              f"({row['heavy_queries']} hold a top-50 term; commonest term in {row['top_df']:,} sentences)")
        head = (f"{'engine':<28}{'build s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p95 heavy':>11}{'restart s':>11}"
                f"{'RSS MB':>9}{'reopen MB':>11}{'disk MB':>9}{'overlap@10':>12}  target (1M)")
        print_head(head)
        for engine, f in row["engines"].items():
            label = ENGINES[engine].label
            if "skipped" in f:
                smaller = report["sizes"].get(str(RANK_BM25_MAX), {}).get("engines", {}).get(engine)
                guess = (f"; ~10x the {RANK_BM25_MAX // 1000}k figure, p50 ~{10 * smaller['p50_ms']:.0f} ms"
                         if smaller and "p50_ms" in smaller else "")
                print(f"{label:<28}  skipped at {int(size):,}: a full scan of every sentence per query{guess}")
                continue
            target = ""
            if engine == "serving" and int(size) >= 1_000_000:
                target = (f"p50 {verdict(f['p50_ms'], 'engine_p50_ms')}, "
                          f"p95 {verdict(f['p95_ms'], 'engine_p95_ms')}")
            print(f"{label:<28}{f['build_s']:>9.1f}{f['p50_ms']:>9.3f}{f['p95_ms']:>9.3f}{f['p95_heavy_ms']:>11.3f}"
                  f"{f['restart_s']:>11.3f}{f['peak_rss_mb']:>9.0f}{f['reopened_peak_rss_mb']:>11.0f}"
                  f"{f['disk_mb']:>9.0f}{f.get('overlap_at_10', float('nan')):>12.2f}  {target}")
    print("\nRSS MB: peak of the build-and-query process (python + numpy alone is ~"
          f"{statistics.median(f['base_rss_mb'] for r in report['sizes'].values() for f in r['engines'].values() if 'base_rss_mb' in f):.0f} MB); "
          "reopen MB: peak of the restart process after all queries.")
    print("overlap@10: share of each top-10 the serving index also returned; ties in BM25 break "
          "differently per engine, and FTS5's idf goes to ~0 for terms in half the sentences.")
    print_service_tables(report)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        child_main(argv[1], json.loads(argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--json", action="store_true", help="print every figure as JSON")
    parser.add_argument("--quick", action="store_true", help="sizes 10k and 100k only")
    parser.add_argument("--engines", nargs="+", choices=list(ENGINES), default=list(ENGINES),
                        help="engines to compare (default: all)")
    parser.add_argument("--no-ingest", action="store_true", help="skip the bulk-ingest measurement")
    args = parser.parse_args(argv)
    sizes = [10_000, 100_000] if args.quick else args.sizes
    report = run_benchmark(sizes, args.queries, engines=tuple(args.engines), ingest=not args.no_ingest)
    emit(report, args.json, print_tables)


if __name__ == "__main__":
    main()
