"""Outgrowing one machine: import throughput, SQLite vs PostgreSQL, replicas.

  python benchmarks/scale.py                  # all 840 PolNeAR train articles, 1M sentences (~40 min on 2 cores)
  python benchmarks/scale.py --articles 120 --sentences 200000 --json
  python benchmarks/scale.py --url postgresql://user@host/db   # a server of yours (its data is replaced)

1. Import: `coveragebot import` words/s with 1 and 2 workers (SQLite), and 2 workers on
   PostgreSQL, beside spaCy's own `nlp.pipe` with n_process 1 and 2 on the same texts.
2. The parsed articles are replicated row for row (articles, sentences, statements,
   actions) up to --sentences in both stores; `!search`, `!who`, `!quotes` run through the
   command layer (logged) on each, p50/p95.
3. A replica of the PostgreSQL store catches up from an empty index.
4. Another process adds articles; this one measures commit-to-searchable.
Without --url the PostgreSQL half runs on a throwaway server (tests/_postgres.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `benchmarks`, `index` and `tests` importable
    sys.path.insert(0, str(ROOT))

from benchmarks._measure import percentile

# The PolNeAR train articles ship with the evaluation sets beside the clone, not in it.
SHARED = Path(os.environ.get("COVERAGEBOT_SHARED", ROOT.parent / "shared"))
POLNEAR = SHARED / "eval" / "polnear" / "data" / "articles-train.json"
QUERIES = 200
TABLES = (  # table, id offset key, columns copied as they are, columns shifted by an offset
    ("articles", "a", "title, outlet, author, published, text, sentence_count, added_at, added_by", {}),
    ("sentences", "s", 'position, paragraph, start, "end", text, heading', {"article_id": "a"}),
    ("statements", "t", 'speaker, role, aliases, text, kind, cue, start, "end", passage_start, passage_end,'
     ' form_id, mention',
     {"article_id": "a", "sentence_id": "s"}),
    ("actions", "c", "agent, agent_key, verb, keys, action, target, passive, passage_start, passage_end, kind,"
     " target_names, mention", {"article_id": "a", "sentence_id": "s"}),
)


def say(message: str) -> None:
    print(f"[scale] {message}", file=sys.stderr, flush=True)


def polnear_articles(count: int) -> list[dict]:
    if not POLNEAR.is_file():
        sys.exit(f"scale.py: {POLNEAR} not found; set COVERAGEBOT_SHARED to the folder holding eval/polnear/")
    return json.loads(POLNEAR.read_text(encoding="utf-8"))[:count]


def write_dump(path: Path, articles: list[dict]) -> int:
    with path.open("w", encoding="utf-8") as out:
        for article in articles:
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
    return sum(len(a["text"].split()) for a in articles)


# -- 1. import throughput ------------------------------------------------------
def pipe_words_per_s(texts: list[str], n_process: int) -> float:
    from coveragebot.index.text.pipeline import load_pipeline

    nlp = load_pipeline()
    started = time.perf_counter()
    for _ in nlp.pipe(texts, n_process=n_process, batch_size=8):
        pass
    return sum(len(t.split()) for t in texts) / (time.perf_counter() - started)


async def import_once(settings, dump: Path, workers: int) -> dict:
    from coveragebot.index.archive.importer import import_dump
    from coveragebot.index.service import Service

    service = await Service.open(settings, seed=False)
    try:
        summary = await import_dump(service, dump, workers)
    finally:
        await service.close()
    return summary.to_json()


# -- 2. replication to scale -----------------------------------------------------
async def replicate(store, sentences: int) -> int:
    """Copy the stored articles until the store holds about `sentences` sentences; return the count."""
    base = await store.scalar("SELECT count(*) FROM sentences /* every workspace */")
    top = {key: await store.scalar(f"SELECT coalesce(max(id), 0) FROM {table} /* every workspace */")
           for table, key, _, _ in TABLES}
    copies = max(0, math.ceil(sentences / max(base, 1)) - 1)
    for k in range(1, copies + 1):
        async with store.transaction():
            await store.execute(
                "INSERT INTO articles (id, key, url, text_hash, title, outlet, author, published, text, sentence_count,"
                " added_at, added_by) SELECT id + ?, key || '~' || ?, '', text_hash || '~' || ?, title, outlet, author,"
                " published, text, sentence_count, added_at, added_by FROM articles WHERE id <= ? /* every workspace */",
                (k * top["a"], str(k), str(k), top["a"]))
            for table, key, columns, shifted in TABLES[1:]:
                moved = ", ".join(shifted)
                values = ", ".join(f"{column} + ?" for column in shifted)
                await store.execute(
                    f"INSERT INTO {table} (id, {moved}, {columns}) SELECT id + ?, {values}, {columns}"
                    f" FROM {table} WHERE id <= ? /* every workspace */",
                    (k * top[key], *(k * top[o] for o in shifted.values()), top[key]))
            await store.execute(
                "INSERT INTO action_keys (key, action_id, article_id, sentence_id, agent, agent_key, kind,"
                " passage_start, mention, words) SELECT key, action_id + ?, article_id + ?, sentence_id + ?, agent,"
                " agent_key, kind, passage_start, mention, words FROM action_keys WHERE action_id <= ? /* every workspace */",
                (k * top["c"], k * top["a"], k * top["s"], top["c"]))
        if k % 20 == 0:
            say(f"  copy {k}/{copies}")
    await _after_bulk_load(store)
    return await store.scalar("SELECT count(*) FROM sentences /* every workspace */")


async def _after_bulk_load(store) -> None:
    from coveragebot.index.storage.postgres import PostgresStore
    from coveragebot.index.storage.registry import RECOUNT_FORMS
    from coveragebot.index.storage.store import EVERY_WORKSPACE

    await store.recount_who()  # !who's counts, for the rows copied around the store
    # The people registry: copies share their originals' forms; count them, relink every block.
    async with store.transaction():
        for recount in RECOUNT_FORMS:  # as the store counts: a repeated paragraph once
            await store.execute(recount + EVERY_WORKSPACE)
        await store.relink([r[0] for r in await store.tuples("SELECT DISTINCT block FROM name_forms /* every workspace */")])

    if isinstance(store, PostgresStore):
        # Rows came with explicit ids: move the identity sequences past them; fresh planner statistics.
        for table in ("articles", "sentences", "statements", "actions"):
            await store.scalar(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                               f" (SELECT max(id) FROM {table} /* every workspace */))")
        await store.execute("ANALYZE")


async def query_lines(store, count: int, seed: int = 5) -> dict[str, list[str]]:
    """The same questions for both stores: frequent words, stored verbs, quoted people."""
    rng = random.Random(seed)
    words = [r[0] for r in await store.rows("SELECT word FROM vocabulary ORDER BY count DESC, word LIMIT 3000 /* every workspace */")]
    verbs = [r[0] for r in await store.rows(
        "SELECT verb, count(*) AS n FROM actions GROUP BY verb ORDER BY n DESC, verb LIMIT 150 /* every workspace */")]
    people = [r[0] for r in await store.rows(
        "SELECT speaker, count(*) AS n FROM statements WHERE speaker != 'unattributed'"
        " GROUP BY speaker ORDER BY n DESC, speaker LIMIT 150 /* every workspace */")]
    return {
        "search": [f"!search {' '.join(rng.sample(words[200:], 2))}" for _ in range(count)],
        "who": [f"!who {rng.choice(verbs)}" for _ in range(count)],
        "quotes": [f"!quotes {rng.choice(people)}" for _ in range(count)],
    }


async def command_latencies(service, lines: dict[str, list[str]]) -> dict:
    from coveragebot.index.commands import Origin, run

    origin = Origin(frontend="bench", actor="bench")
    out = {}
    for command, batch in lines.items():
        for line in batch[:5]:
            await run(service, line, origin)
        timings = []
        for line in batch:
            started = time.perf_counter()
            await run(service, line, origin)
            timings.append((time.perf_counter() - started) * 1000)
        out[command] = {"p50_ms": round(percentile(timings, 50), 2), "p95_ms": round(percentile(timings, 95), 2)}
    return out


async def open_timed(settings) -> tuple[object, float]:
    from coveragebot.index.service import Service

    started = time.perf_counter()
    service = await Service.open(settings, seed=False)
    return service, time.perf_counter() - started


# -- 4. add in one process, searchable in another ------------------------------------
WRITER = """
import asyncio, json, sys, time
from coveragebot.index.ingest.articles import Article
from coveragebot.index.service import Service
from coveragebot.index.settings import load_settings

async def main(url, index, rounds):
    service = await Service.open(load_settings(env={}, storage_url=url, storage_index=index), seed=False)
    try:
        for n in range(int(rounds)):
            word = f"zyqvel{n}x"
            body = f"The {word} barrier held overnight, the county engineer said on day {n}. Crews stayed."
            await service.add_articles([Article(f"probe-{n}", "Probe", body)], actor="bench")
            print(json.dumps({"word": word, "key": f"probe-{n}"}), flush=True)
            await asyncio.sleep(1.0)
    finally:
        await service.close()

asyncio.run(main(*sys.argv[1:]))
"""


async def cross_process_latency(service, writer_index: Path, rounds: int = 5) -> list[float]:
    shutil.copytree(service.settings.index_path, writer_index)  # the writer starts as an up-to-date replica
    writer = await asyncio.create_subprocess_exec(
        sys.executable, "-c", WRITER, service.settings.storage_url, str(writer_index), str(rounds),
        stdout=asyncio.subprocess.PIPE, cwd=str(ROOT))
    latencies = []
    async for line in writer.stdout:
        probe = json.loads(line)
        while not (await service.search(probe["word"])).hits:
            await asyncio.sleep(0.005)
        found = time.time()
        # From the writer's INSERT (its transaction commits just after), not from its print.
        added_at = await service.store.scalar("SELECT added_at FROM articles WHERE key = ? /* every workspace */", (probe["key"],))
        latencies.append(found - datetime.fromisoformat(added_at).timestamp())
    await writer.wait()
    return latencies


# -- the run ----------------------------------------------------------------------
async def run_stores(work: Path, url: str, dump: Path, sentences: int, report: dict) -> None:
    from coveragebot.index.settings import load_settings

    sqlite = load_settings(env={}, storage_db=str(work / "scale.db"))
    postgres = load_settings(env={}, storage_db=str(work / "pg.db"), storage_url=url,
                             storage_index=str(work / "pg-replica.index"))
    say("import into PostgreSQL, 2 workers")
    report["import"]["postgres_2_workers"] = await import_once(postgres, dump, 2)
    for name, settings in (("sqlite", sqlite), ("postgres", postgres)):
        service, _ = await open_timed(settings)
        try:
            say(f"replicating {name} to {sentences:,} sentences")
            report["stores"][name] = {"sentences": await replicate(service.store, sentences)}
        finally:
            await service.close()
        shutil.rmtree(settings.index_path, ignore_errors=True)
        say(f"{name}: catching an empty index up")
        service, seconds = await open_timed(settings)
        report["stores"][name]["catch_up_from_empty_s"] = round(seconds, 1)
        try:
            if name == "sqlite":
                lines = await query_lines(service.store, QUERIES)
            say(f"{name}: commands")
            report["stores"][name]["commands"] = await command_latencies(service, lines)
            if name == "postgres":
                say("add in another process -> searchable here")
                latencies = await cross_process_latency(service, work / "writer.index")
                report["add_to_searchable_other_process_s"] = {
                    "median": round(percentile(latencies, 50), 3), "max": round(max(latencies), 3)}
        finally:
            await service.close()


def run(articles: int, sentences: int, url: str | None, work: Path) -> dict:
    from coveragebot.index.settings import load_settings

    chosen = polnear_articles(articles)
    dump = work / "polnear.jsonl"
    words = write_dump(dump, chosen)
    report = {"articles": len(chosen), "words": words, "import": {}, "stores": {}}
    texts = [a["text"] for a in chosen]
    for n in (1, 2):
        say(f"spaCy nlp.pipe n_process={n}")
        report["import"][f"spacy_pipe_{n}_process"] = {"words_per_second": round(pipe_words_per_s(texts, n), 1)}
    for workers in (1, 2):
        say(f"import into SQLite, {workers} worker(s)")
        folder = work / f"import-{workers}"
        settings = load_settings(env={}, storage_db=str(folder / "i.db"))
        report["import"][f"sqlite_{workers}_workers"] = asyncio.run(import_once(settings, dump, workers))
        if workers == 1:
            shutil.copy(folder / "i.db", work / "scale.db")  # the parsed corpus both stores grow from
    one, two = (report["import"][f"sqlite_{w}_workers"]["words_per_second"] for w in (1, 2))
    report["import"]["speed_up_2_vs_1"] = round(two / one, 2) if one else None
    server = None
    if url is None:
        from tests._postgres import ThrowawayPostgres

        server = ThrowawayPostgres().start()
        url = server.new_database()
    try:
        asyncio.run(run_stores(work, url, dump, sentences, report))
    finally:
        if server is not None:
            server.stop()
    search = {name: report["stores"][name]["commands"]["search"]["p95_ms"] for name in ("sqlite", "postgres")}
    report["search_p95_postgres_vs_sqlite"] = round(search["postgres"] / search["sqlite"], 2)
    return report


def print_tables(report: dict) -> None:
    print(f"\nImport: {report['articles']} PolNeAR train articles, {report['words']:,} words")
    print(f"{'run':<28}{'words/s':>10}")
    for name, figures in report["import"].items():
        if isinstance(figures, dict):
            print(f"{name:<28}{figures['words_per_second']:>10,.0f}")
    print(f"import, 2 workers vs 1: {report['import']['speed_up_2_vs_1']}x (target >= 1.7x)")
    print("\nCommands through the command layer (logged), ms")
    print(f"{'store':<10}{'sentences':>11}{'catch-up s':>12}" + "".join(f"{c + ' p50':>13}{c + ' p95':>13}"
                                                                     for c in ("search", "who", "quotes")))
    for name, store in report["stores"].items():
        cells = "".join(f"{store['commands'][c]['p50_ms']:>13.2f}{store['commands'][c]['p95_ms']:>13.2f}"
                        for c in ("search", "who", "quotes"))
        print(f"{name:<10}{store['sentences']:>11,}{store['catch_up_from_empty_s']:>12.1f}{cells}")
    print(f"PostgreSQL !search p95 / SQLite's: {report['search_p95_postgres_vs_sqlite']}x (target <= 2x)")
    latency = report.get("add_to_searchable_other_process_s", {})
    print(f"add in one process -> searchable in another: median {latency.get('median')} s, max {latency.get('max')} s")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=840, help="PolNeAR train articles to import (max 840)")
    parser.add_argument("--sentences", type=int, default=1_000_000, help="sentences per store for the commands")
    parser.add_argument("--url", help="a PostgreSQL database to use (default: a throwaway server)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="coveragebot-scale-") as folder:
        report = run(args.articles, args.sentences, args.url, Path(folder))
    print(json.dumps(report, indent=2) if args.json else "", end="")
    if not args.json:
        print_tables(report)


if __name__ == "__main__":
    main()
