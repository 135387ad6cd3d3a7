"""Sentence search engines side by side on the same analysed terms, plus coveragebot itself.

    python benchmarks/engines.py [--sizes 10000 100000 1000000] [--queries 200] [--json] [--quick]

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
import asyncio
import json
import os
import pickle
import re
import resource
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

import numpy as np  # noqa: E402

from benchmarks import _corpus  # noqa: E402

TOP_K = 10
RANK_BM25_MAX = 100_000
SHARED = Path(os.environ.get("COVERAGEBOT_SHARED", ROOT.parent / "shared"))
SEEDS = ROOT / "config" / "seeds"
WARMUP = 5
PACED_QUERIES_PER_S = 20  # a busy newsroom server, far above what a Discord channel types
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[\"“A-Z])")
TARGETS = {  # name -> (limit, unit); the targets at 1M sentences
    "engine_p50_ms": (0.5, "ms"), "engine_p95_ms": (2.0, "ms"),
    "search_p95_ms": (10.0, "ms"), "add_searchable_s": (1.0, "s"),
    "concurrent_p95_ms": (50.0, "ms"), "restart_s": (3.0, "s"), "peak_rss_mb": (1024.0, "MB"),
}


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
        from index.bm25 import IndexedSentence, SentenceIndex

        index = SentenceIndex(directory)
        index.replace_articles((), (
            IndexedSentence(sid, _corpus.article_of(sid), terms)
            for sid, terms in enumerate(_corpus.read_corpus(corpus), start=1)
        ))
        return cls(index)

    @classmethod
    def open(cls, directory: Path) -> "ServingIndex":
        from index.bm25 import SentenceIndex

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
_MODULES = {"serving": "index.bm25", "tantivy": "tantivy", "bm25s": "bm25s", "fts5": "sqlite3",
            "rank-bm25": "rank_bm25"}


# -- measuring one engine (runs inside a child process) ----------------------------------

def peak_rss_mb() -> float:
    """Peak resident set of this process so far.

    Linux carries getrusage's ru_maxrss across fork and exec, so a child would report
    its parent's peak if that were higher; VmHWM belongs to this process's own memory.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


def timed_queries(search, queries: list[_corpus.Query]) -> tuple[list[float], list[list[int]]]:
    """Milliseconds per query and each query's top-k ids, after a short warm-up."""
    for query in queries[:WARMUP]:
        search(query.terms)
    latencies, tops = [], []
    for query in queries:
        started = time.perf_counter()
        ids = search(query.terms)
        latencies.append((time.perf_counter() - started) * 1000)
        tops.append(ids)
    return latencies, tops


def latency_figures(latencies: list[float], queries: list[_corpus.Query]) -> dict:
    heavy = [ms for ms, q in zip(latencies, queries) if q.heavy]
    return {"p50_ms": percentile(latencies, 50), "p95_ms": percentile(latencies, 95),
            "p95_heavy_ms": percentile(heavy, 95), "queries": len(latencies), "heavy": len(heavy)}


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


# -- coveragebot itself: store, command layer, adds, restart ---------------------------------

def service_settings(directory: Path):
    from index.settings import load_settings

    return load_settings(env={}, storage_db=str(directory / "coverage.db"))


def build_service_store(corpus: Path, directory: Path, batch: int = 100_000) -> dict:
    """A store of synthetic 40-sentence articles, bulk-inserted, then indexed in batches."""
    from index.bm25 import IndexedSentence, SentenceIndex
    from index.service import Service

    settings = service_settings(directory)

    async def create_schema():
        service = await Service.open(settings, seed=False)
        await service.close()

    asyncio.run(create_schema())
    started = time.perf_counter()
    db = sqlite3.connect(settings.db_path, isolation_level=None)
    db.execute("PRAGMA synchronous=OFF")
    db.execute("BEGIN")
    vocabulary: dict[str, int] = {}
    article: list[list[str]] = []
    sid = 0
    for terms in _corpus.read_corpus(corpus):
        article.append(terms)
        if len(article) == _corpus.SENTENCES_PER_ARTICLE:
            sid = _insert_article(db, sid, article, vocabulary)
            article = []
    if article:
        sid = _insert_article(db, sid, article, vocabulary)
    db.executemany("INSERT INTO vocabulary (word, count) VALUES (?, ?)", vocabulary.items())
    db.execute("INSERT INTO audit (actor, action, detail) VALUES ('bench', 'bulk-load', ?)",
               (f"{sid} synthetic sentences",))
    db.execute("COMMIT")
    db.close()
    sql_s = time.perf_counter() - started

    started = time.perf_counter()
    index = SentenceIndex(settings.index_path)
    pending: list = []
    for number, terms in enumerate(_corpus.read_corpus(corpus), start=1):
        pending.append(IndexedSentence(number, _corpus.article_of(number), terms))
        if len(pending) == batch:
            index.replace_articles((), pending)
            pending = []
    if pending:
        index.replace_articles((), pending)
    index_s = time.perf_counter() - started
    return {"sentences": sid, "articles": _corpus.article_of(sid), "sql_s": sql_s, "index_s": index_s,
            "peak_rss_mb": peak_rss_mb()}


def _insert_article(db: sqlite3.Connection, last_sid: int, sentences: list[list[str]],
                    vocabulary: dict[str, int]) -> int:
    import hashlib

    texts = [_corpus.sentence_text(terms) for terms in sentences]
    article_id = _corpus.article_of(last_sid + 1)
    rows, offset = [], 0
    for position, text in enumerate(texts):
        last_sid += 1
        rows.append((last_sid, article_id, position, position // 4, offset, offset + len(text), text))
        offset += len(text) + (2 if position % 4 == 3 else 1)
    body = "".join(t + ("\n\n" if i % 4 == 3 else " ") for i, t in enumerate(texts)).rstrip()
    db.execute(
        "INSERT INTO articles (id, key, title, outlet, text, text_hash, sentence_count, added_by)"
        " VALUES (?,?,?,?,?,?,?,?)",
        (article_id, f"synthetic-{article_id:07d}", " ".join(sentences[0][:6]).title(), "Synthetic Wire",
         body, hashlib.sha1(body.encode()).hexdigest(), len(texts), "bench"),
    )
    db.executemany(
        "INSERT INTO sentences (id, article_id, position, paragraph, start, end, text, heading)"
        " VALUES (?,?,?,?,?,?,?,0)", rows,
    )
    for terms in sentences:
        for word in terms:
            vocabulary[word] = vocabulary.get(word, 0) + 1
    return last_sid


def real_article(number: int, nlp=None, sentences: int = 40):
    """A 40-sentence English article from the seed and shared-corpus paragraphs.

    Its first paragraph carries a made-up word, so the benchmark can tell when it is
    searchable. With `nlp`, the text is cut at spaCy's 40th sentence; without it (the
    first, cold add) whole paragraphs are counted roughly and the count may differ.
    """
    from index.articles import Article, load_article_file
    from index.sentences import segment

    sources = [a.text for p in sorted(SEEDS.glob("*.txt")) for a in load_article_file(p)]
    sources += [json.loads(p.read_text())["text"] for p in sorted((SHARED / "corpus").glob("*.json"))]
    marker = f"benchmarker{number}x"
    paragraphs = [f"This is dispatch {marker} from the benchmark desk."]
    rough = [p.strip() for text in sources for p in re.split(r"\n\s*\n", text) if len(p.strip()) > 40]
    count = 1
    for paragraph in rough:
        paragraphs.append(paragraph)
        count += len(_SENTENCE_END.split(paragraph))
        if count >= sentences + 5:
            break
    text = "\n\n".join(paragraphs)
    if nlp is not None:
        _, passages = segment(nlp, text)
        text = text[: passages[min(sentences, len(passages)) - 1].end]
    return Article(key=f"bench-{number}", title=f"Benchmark article {number}", text=text, outlet="Bench"), marker


def run_service(directory: Path, queries: list[_corpus.Query], add_rounds: int = 3) -> dict:
    """Restart on the existing store, `!search` latency, adds with queries alongside, RSS."""
    from index.commands import Origin, run
    from index.nlp import load_pipeline
    from index.service import Service

    origin = Origin(frontend="bench", actor="bench")
    settings = service_settings(directory)

    async def search(query: _corpus.Query) -> tuple[float, object]:
        started = time.perf_counter()
        answer = await run(service, "!search " + query.text, origin)
        return (time.perf_counter() - started) * 1000, answer

    async def searchable(article, marker) -> tuple[float, object]:
        started = time.perf_counter()
        added = await service.add_article(article, actor="bench")
        assert added.status == "added", added.message
        answer = await service.search(marker)
        assert any(h.article.id == added.article.id for h in answer.hits), "added article not found"
        return time.perf_counter() - started, added

    async def main() -> dict:
        nonlocal service
        out: dict = {}
        started = time.perf_counter()
        service = await Service.open(settings, seed=False)
        _, answer = await search(queries[0])
        out["restart_s"] = time.perf_counter() - started
        assert answer.command == "search" and answer.hits, f"no answer after restart: {answer}"

        for query in queries[:WARMUP]:
            await search(query)
        latencies = [(await search(q))[0] for q in queries]
        out["search"] = latency_figures(latencies, queries)
        index_only = []
        for q in queries:
            t = time.perf_counter()
            service.index.search(list(q.terms), settings.search_max_results)
            index_only.append((time.perf_counter() - t) * 1000)
        out["index_search_p50_ms"] = percentile(index_only, 50)
        out["index_search_p95_ms"] = percentile(index_only, 95)
        out["search_limit"] = settings.search_max_results

        # The first add also loads spaCy's model: a once-per-process cost, reported apart.
        article, marker = real_article(0)
        out["add_cold_s"], added = await searchable(article, marker)
        out["add_cold_sentences"] = added.sentences
        nlp = load_pipeline()
        idle = []
        for number in range(1, add_rounds + 1):
            article, marker = real_article(number, nlp)
            seconds, added = await searchable(article, marker)
            idle.append(seconds)
        out["add_idle_s"] = idle
        out["add_sentences"] = added.sentences

        async def add_while_searching(number: int, per_second: float | None) -> tuple[float, list[float]]:
            # Queries go back to back (per_second None) or paced, on the loop, while the add's
            # spaCy work and index commit run in threads.
            article, marker = real_article(number, nlp)
            task = asyncio.create_task(searchable(article, marker))
            latencies: list[float] = []
            started = time.perf_counter()
            while not task.done():
                latencies.append((await search(queries[len(latencies) % len(queries)]))[0])
                if per_second:
                    await asyncio.sleep(max(0.0, started + len(latencies) / per_second - time.perf_counter()))
            return (await task)[0], latencies

        number, concurrent, under_load = add_rounds, [], []
        while number < add_rounds + 10 and (len(concurrent) < len(queries) or len(under_load) < add_rounds):
            number += 1
            seconds, latencies = await add_while_searching(number, None)
            under_load.append(seconds)
            concurrent.extend(latencies)
        out["concurrent"] = {"p50_ms": percentile(concurrent, 50), "p95_ms": percentile(concurrent, 95),
                             "max_ms": max(concurrent), "queries": len(concurrent), "adds": len(under_load),
                             "queries_per_s": len(concurrent) / sum(under_load)}
        out["add_under_load_s"] = under_load
        paced, paced_latencies = [], []
        for _ in range(add_rounds):
            number += 1
            seconds, latencies = await add_while_searching(number, PACED_QUERIES_PER_S)
            paced.append(seconds)
            paced_latencies.extend(latencies)
        out["add_paced_s"] = paced
        out["paced"] = {"queries_per_s": PACED_QUERIES_PER_S, "queries": len(paced_latencies),
                        "p95_ms": percentile(paced_latencies, 95)}
        await service.close()
        out["peak_rss_mb"] = peak_rss_mb()
        return out

    service = None
    return asyncio.run(main())


def run_ingest(directory: Path, repeats: int = 3) -> dict:
    """Words/s of Service.add_items over the shared corpus vs nlp.pipe on the same texts."""
    from index.ingest import Item
    from index.nlp import load_pipeline
    from index.service import Service

    paths = sorted((SHARED / "corpus").glob("*.json"))
    texts = [json.loads(p.read_text())["text"] for p in paths]
    words = sum(len(t.split()) for t in texts)
    nlp = load_pipeline()
    list(nlp.pipe(texts[:1]))  # warm both sides alike

    pipe_s = []
    for _ in range(repeats):
        started = time.perf_counter()
        list(nlp.pipe(texts))
        pipe_s.append(time.perf_counter() - started)

    async def add_all(run_dir: Path) -> float:
        service = await Service.open(service_settings(run_dir), seed=False)
        try:
            started = time.perf_counter()
            outcomes = await service.add_items([Item(p.name, "path", str(p)) for p in paths], actor="bench")
            elapsed = time.perf_counter() - started
        finally:
            await service.close()
        assert all(o.status == "added" for o in outcomes), [o.message for o in outcomes]
        return elapsed

    add_s = [asyncio.run(add_all(directory / f"ingest-{n}")) for n in range(repeats)]
    return {"articles": len(paths), "words": words,
            "add_items_words_per_s": words / statistics.median(add_s),
            "nlp_pipe_words_per_s": words / statistics.median(pipe_s),
            "add_items_s": add_s, "nlp_pipe_s": pipe_s}


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
        out = run_service(directory, queries)
    elif task == "ingest":
        out = run_ingest(directory, spec.get("repeats", 3))
    else:
        raise SystemExit(f"unknown task {task}")
    print(json.dumps(out))


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run_benchmark(sizes: list[int], query_count: int, workdir: Path | None = None,
                  engines: tuple[str, ...] = tuple(ENGINES), service: bool = True, ingest: bool = True) -> dict:
    """Every measurement, as one JSON-ready dict."""
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
            report["service"] = child("service-run", queries=queries_path, directory=directory)
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


def verdict(value: float, target: str) -> str:
    limit, _ = TARGETS[target]
    return f"<= {limit:g} {'PASS' if value <= limit else 'FAIL'}"


def print_tables(report: dict) -> None:
    sizes = sorted(report["sizes"], key=int)
    largest = sizes[-1]
    for size in sizes:
        row = report["sizes"][size]
        print(f"\nEngines on the same analysed terms, top-{report['top_k']}: {int(size):,} sentences, "
              f"{row['tokens'] / 1e6:.1f}M terms, {row['queries']} queries "
              f"({row['heavy_queries']} hold a top-50 term; commonest term in {row['top_df']:,} sentences)")
        head = (f"{'engine':<28}{'build s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p95 heavy':>11}{'restart s':>11}"
                f"{'RSS MB':>9}{'reopen MB':>11}{'disk MB':>9}{'overlap@10':>12}  target (1M)")
        print(head)
        print("-" * len(head))
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

    if "service" in report:
        s, b = report["service"], report["service_build"]
        print(f"\ncoveragebot at {int(s['size']):,} sentences ({b['articles']:,} articles of 40; bulk SQL load "
              f"{b['sql_s']:.0f} s, index build in 100k batches {b['index_s']:.0f} s)")
        head = f"{'measure':<84}{'measured':>12}  {'target':<14}"
        print(head)
        print("-" * len(head))
        rows = [
            (f"!search via commands.run, p50 (top {s['search_limit']}, passages read back, logged)",
             f"{s['search']['p50_ms']:.2f} ms", ""),
            ("!search via commands.run, p95", f"{s['search']['p95_ms']:.2f} ms",
             verdict(s["search"]["p95_ms"], "search_p95_ms")),
            ("  of which SentenceIndex.search alone, p50 / p95",
             f"{s['index_search_p50_ms']:.2f}/{s['index_search_p95_ms']:.2f}", ""),
            (f"add {s['add_sentences']}-sentence article -> searchable, spaCy loaded (median of "
             f"{len(s['add_idle_s'])})", f"{statistics.median(s['add_idle_s']):.2f} s",
             verdict(statistics.median(s["add_idle_s"]), "add_searchable_s")),
            ("first add of the process, incl. loading spaCy's model", f"{s['add_cold_s']:.2f} s", "info"),
            (f"add -> searchable with !search at {s['paced']['queries_per_s']}/s alongside (median of "
             f"{len(s['add_paced_s'])})", f"{statistics.median(s['add_paced_s']):.2f} s",
             verdict(statistics.median(s["add_paced_s"]), "add_searchable_s")),
            (f"add -> searchable with !search back to back (~{s['concurrent']['queries_per_s']:.0f}/s, "
             f"median of {len(s['add_under_load_s'])})",
             f"{statistics.median(s['add_under_load_s']):.2f} s",
             verdict(statistics.median(s["add_under_load_s"]), "add_searchable_s") + " (stress)"),
            (f"!search back to back during an add, p50 ({s['concurrent']['queries']} queries)",
             f"{s['concurrent']['p50_ms']:.2f} ms", ""),
            ("!search back to back during an add, p95", f"{s['concurrent']['p95_ms']:.2f} ms",
             verdict(s["concurrent"]["p95_ms"], "concurrent_p95_ms")),
            ("restart: Service.open + first !search answer", f"{s['restart_s']:.2f} s",
             verdict(s["restart_s"], "restart_s")),
            ("peak RSS of the serving process (incl. spaCy model)", f"{s['peak_rss_mb']:.0f} MB",
             verdict(s["peak_rss_mb"], "peak_rss_mb")),
        ]
        for name, value, target in rows:
            print(f"{name:<84}{value:>12}  {target:<14}")
        if int(s["size"]) < 1_000_000:
            print(f"(targets are for 1,000,000 sentences; this run's largest size is {int(s['size']):,})")

    if "ingest" in report:
        i = report["ingest"]
        print(f"\nBulk ingest, {i['articles']} shared-corpus articles, {i['words']:,} words (median of "
              f"{len(i['add_items_s'])})")
        ingest_rows = [
            ("Service.add_items (parse, statements, actions, store, index)", i["add_items_words_per_s"]),
            ("spaCy nlp.pipe on the same texts", i["nlp_pipe_words_per_s"]),
        ]
        print(f"{'path':<84}{'words/s':>12}")
        for name, value in ingest_rows:
            print(f"{name:<84}{value:>12,.0f}")
        print(f"{'ratio add_items / nlp.pipe':<84}{i['add_items_words_per_s'] / i['nlp_pipe_words_per_s']:>12.2f}")


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
    args = parser.parse_args(argv)
    sizes = [10_000, 100_000] if args.quick else args.sizes
    report = run_benchmark(sizes, args.queries)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_tables(report)


if __name__ == "__main__":
    main()
