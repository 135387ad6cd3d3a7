"""coveragebot itself at benchmark scale: a bulk-loaded store, the command layer, adds,
restart and RSS, and bulk ingest against spaCy's own pipe; the tables that print them.

`benchmarks/engines.py` runs these in child processes at its largest size;
`benchmarks/commands.py` reuses the store, the settings and the real articles.
"""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import statistics
import time
from pathlib import Path

from benchmarks import _corpus
from benchmarks._measure import WARMUP, latency_figures, peak_rss_mb, percentile, print_head, verdict

ROOT = Path(__file__).resolve().parents[1]
# The eight real articles the tests carry (public fixtures; see tests/data/corpus/README.md).
CORPUS = ROOT / "tests" / "data" / "corpus"
SEEDS = ROOT / "config" / "seeds"
PACED_QUERIES_PER_S = 20  # a busy newsroom server, far above what a Discord channel types
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[\"“A-Z])")


def service_settings(directory: Path):
    from coveragebot.index.settings import load_settings

    return load_settings(env={}, storage_db=str(directory / "coverage.db"))


def build_service_store(corpus: Path, directory: Path, batch: int = 100_000) -> dict:
    """A store of synthetic 40-sentence articles, bulk-inserted, then indexed in batches."""
    from coveragebot.index.search.bm25 import IndexedSentence, SentenceIndex
    from coveragebot.index.service import Service

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
    db.executemany("INSERT INTO vocabulary (word, count) VALUES (?, ?) /* every workspace */", vocabulary.items())
    db.execute("INSERT INTO audit (actor, action, detail) VALUES ('bench', 'bulk-load', ?) /* every workspace */",
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
        " VALUES (?,?,?,?,?,?,?,?) /* every workspace */",
        (article_id, f"synthetic-{article_id:07d}", " ".join(sentences[0][:6]).title(), "Synthetic Wire",
         body, hashlib.sha1(body.encode()).hexdigest(), len(texts), "bench"),
    )
    db.executemany(
        "INSERT INTO sentences (id, article_id, position, paragraph, start, end, text, heading)"
        " VALUES (?,?,?,?,?,?,?,0) /* every workspace */", rows,
    )
    for terms in sentences:
        for word in terms:
            vocabulary[word] = vocabulary.get(word, 0) + 1
    return last_sid


def real_texts() -> list[str]:
    """Bodies of the bundled seed articles and of the test corpus, in a fixed order."""
    from coveragebot.index.ingest.loaders import load_article_file

    texts = [a.text for p in sorted(SEEDS.glob("*.txt")) for a in load_article_file(p)]
    return texts + [json.loads(p.read_text())["text"] for p in sorted(CORPUS.glob("*.json"))]


def english_article(number: int, words: int = 1_000):
    """A ~`words`-word article of real paragraphs, a different run of them per `number`.

    The first paragraph carries a made-up marker word, so a search can tell when it is in.
    """
    from coveragebot.index.ingest.articles import Article

    marker = f"benchmarker{number}x"
    pool = [p.strip() for text in real_texts() for p in re.split(r"\n\s*\n", text) if len(p.split()) >= 15]
    paragraphs, count = [f"This is dispatch {marker} from the benchmark desk."], 0
    for offset in range(len(pool)):
        paragraph = pool[(number * 7 + offset) % len(pool)]
        paragraphs.append(paragraph)
        count += len(paragraph.split())
        if count >= words:
            break
    return Article(key=f"bench-{number}", title=f"Benchmark article {number}", text="\n\n".join(paragraphs),
                   outlet="Bench"), marker


def real_article(number: int, nlp=None, sentences: int = 40):
    """A 40-sentence English article from the seed and test-corpus paragraphs.

    Its first paragraph carries a made-up word, so the benchmark can tell when it is
    searchable. With `nlp`, the text is cut at spaCy's 40th sentence; without it (the
    first, cold add) whole paragraphs are counted roughly and the count may differ.
    """
    from coveragebot.index.ingest.articles import Article
    from coveragebot.index.text.sentences import segment

    sources = real_texts()
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
    from coveragebot.index.commands import Origin, run
    from coveragebot.index.text.pipeline import load_pipeline
    from coveragebot.index.service import Service

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
    """Words/s of Service.add_items over the test corpus vs nlp.pipe on the same texts."""
    from coveragebot.index.ingest.items import Item
    from coveragebot.index.text.pipeline import load_pipeline
    from coveragebot.index.service import Service

    paths = sorted(CORPUS.glob("*.json"))
    texts = [json.loads(p.read_text())["text"] for p in paths]
    words = sum(len(t.split()) for t in texts)
    nlp = load_pipeline()
    list(nlp.pipe(texts[:1]))  # warm both sides alike

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

    # In turn, so each pair of timings shares the machine's load of its moment.
    pipe_s, add_s = [], []
    for n in range(repeats):
        started = time.perf_counter()
        list(nlp.pipe(texts))
        pipe_s.append(time.perf_counter() - started)
        add_s.append(asyncio.run(add_all(directory / f"ingest-{n}")))
    return {"articles": len(paths), "words": words,
            "add_items_words_per_s": words / statistics.median(add_s),
            "nlp_pipe_words_per_s": words / statistics.median(pipe_s),
            "add_items_s": add_s, "nlp_pipe_s": pipe_s}


def print_service_tables(report: dict) -> None:
    """The coveragebot table (largest size) and the bulk-ingest table, where present."""
    if "service" in report:
        s, b = report["service"], report["service_build"]
        print(f"\ncoveragebot at {int(s['size']):,} sentences ({b['articles']:,} articles of 40; bulk SQL load "
              f"{b['sql_s']:.0f} s, index build in 100k batches {b['index_s']:.0f} s)")
        head = f"{'measure':<84}{'measured':>12}  {'target':<14}"
        print_head(head)
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
        print(f"\nBulk ingest, {i['articles']} test-corpus articles, {i['words']:,} words (median of "
              f"{len(i['add_items_s'])})")
        ingest_rows = [
            ("Service.add_items (parse, statements, actions, store, index)", i["add_items_words_per_s"]),
            ("spaCy nlp.pipe on the same texts", i["nlp_pipe_words_per_s"]),
        ]
        print(f"{'path':<84}{'words/s':>12}")
        for name, value in ingest_rows:
            print(f"{name:<84}{value:>12,.0f}")
        print(f"{'ratio add_items / nlp.pipe':<84}{i['add_items_words_per_s'] / i['nlp_pipe_words_per_s']:>12.2f}")
