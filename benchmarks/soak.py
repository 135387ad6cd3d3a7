"""Soak: many simulated users on the command layer while a moderator adds and removes articles.

    python benchmarks/soak.py --users 50 --seconds 60 [--db PATH] [--corpus DIR] [--json]

N concurrent users issue a mix of `!search` / `!who` / `!quotes` (queries drawn from the
corpus vocabulary, the quoted speakers and the stored action verbs) through
`index.commands.run`, the one command layer both front ends call, for a fixed time. A
moderator task meanwhile removes a corpus article with `!remove` and adds it back
(real spaCy), over and over. The corpus is the bundled seeds plus tests/data/corpus/*.json
(or the *.json articles of --corpus DIR).

Printed: commands/s, p50/p95/p99 latency per command and overall, errors, and the
query-log check: exactly one row per command issued (frontend 'soak'; the moderator's
commands are 'soak-moderator'). Last, the index must hold exactly what the store holds.
Exit status 1 if any command errored, a log row is missing or extra, or the index
disagrees with the store.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `index` importable
    sys.path.insert(0, str(ROOT))

from coveragebot.index.answers import Notice
from coveragebot.index.ingest.articles import Article
from coveragebot.index.ingest.loaders import load_article_file
from coveragebot.index.commands import Origin, run
from coveragebot.index.service import Service
from coveragebot.index.settings import load_settings

MIX = (("search", 0.6), ("who", 0.2), ("quotes", 0.2))


# The eight real articles the tests carry (public fixtures; see tests/data/corpus/README.md).
CORPUS = ROOT / "tests" / "data" / "corpus"


@dataclass
class SoakResult:
    """What one soak run measured."""

    users: int
    seconds: float
    elapsed: float = 0.0
    commands: int = 0
    errors: int = 0
    refusals: int = 0
    log_rows: int = 0
    moderator_commands: int = 0
    moderator_log_rows: int = 0
    adds: int = 0
    removes: int = 0
    add_failures: int = 0
    index_consistent: bool = False
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    error_samples: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.commands / self.elapsed if self.elapsed else 0.0

    @property
    def ok(self) -> bool:
        return (self.errors == 0 and self.add_failures == 0 and self.log_rows == self.commands
                and self.moderator_log_rows == self.moderator_commands and self.index_consistent)

    def summary(self) -> dict:
        data = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "latencies"}
        data["commands_per_s"] = round(self.rate, 1)
        data["latency_ms"] = {name: percentiles(values) for name, values in self._by_command().items()}
        data["ok"] = self.ok
        return data

    def _by_command(self) -> dict[str, list[float]]:
        out = dict(self.latencies)
        out["all"] = [v for values in self.latencies.values() for v in values]
        return out


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0, "p50": 0.0, "p95": 0.0, "p99": 0.0, "max": 0.0}
    ordered = sorted(values)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)

    return {"n": len(ordered), "p50": at(0.50), "p95": at(0.95), "p99": at(0.99), "max": round(ordered[-1], 1)}


async def vocabulary(service: Service) -> dict[str, list[str]]:
    """Words, speakers and verbs the corpus holds, to draw queries from."""
    store = service.store
    words = [r[0] for r in await store.rows(
        "SELECT word FROM vocabulary WHERE length(word) > 3 ORDER BY count DESC LIMIT 2000 /* every workspace */")]
    speakers = [r[0] for r in await store.rows(
        "SELECT DISTINCT speaker FROM statements WHERE speaker != 'unattributed' /* every workspace */")]
    verbs = [r[0] for r in await store.rows("SELECT DISTINCT verb FROM actions /* every workspace */")]
    return {"words": words or ["sanctions"], "speakers": speakers or ["Petro"], "verbs": verbs or ["said"]}


def query_line(rng: random.Random, vocab: dict[str, list[str]]) -> tuple[str, str]:
    """One user command line, as typed."""
    name = rng.choices([n for n, _ in MIX], [w for _, w in MIX])[0]
    if name == "search":
        return name, "!search " + " ".join(rng.sample(vocab["words"], k=min(len(vocab["words"]), rng.randint(1, 3))))
    if name == "who":
        return name, "!who " + rng.choice(vocab["verbs"])
    speaker = rng.choice(vocab["speakers"])
    if rng.random() < 0.3:
        return name, f"!quotes {speaker} about {rng.choice(vocab['words'])}"
    return name, f"!quotes {speaker}"


async def user(number: int, service: Service, vocab, deadline: float, result: SoakResult, seed: int) -> None:
    rng = random.Random(seed * 1000 + number)
    origin = Origin(frontend="soak", guild_id="1", channel_id="2", user_id=str(1000 + number),
                    actor=f"soak:{number}")
    while time.monotonic() < deadline:
        name, line = query_line(rng, vocab)
        started = time.perf_counter()
        try:
            answer = await run(service, line, origin)
        except Exception as exc:  # run() answers every failure; anything here is a bug
            answer = Notice(name, "error", f"{type(exc).__name__}: {exc}", ok=False)
        result.latencies[name].append((time.perf_counter() - started) * 1000)
        result.commands += 1
        if isinstance(answer, Notice) and answer.level == "error":
            result.errors += 1
            if len(result.error_samples) < 5:
                result.error_samples.append(f"{line!r}: {answer.text}")
        elif isinstance(answer, Notice) and not answer.ok:
            result.refusals += 1
        await asyncio.sleep(0)  # a real user waits for the answer before typing again


async def moderator(service: Service, articles: list[Article], deadline: float, result: SoakResult,
                    seed: int) -> None:
    """Remove a corpus article with !remove, add it back, repeat until the deadline."""
    rng = random.Random(seed)
    origin = Origin(frontend="soak-moderator", user_id="1", actor="soak:moderator")
    by_key = {a.key: a for a in articles}
    while time.monotonic() < deadline and by_key:
        rows = await service.store.rows("SELECT id, key FROM articles /* every workspace */")
        present = [(r["id"], r["key"]) for r in rows if r["key"] in by_key]
        if not present:
            break
        article_id, key = rng.choice(present)
        answer = await run(service, f"!remove {article_id}", origin)
        result.moderator_commands += 1
        if isinstance(answer, Notice):
            result.add_failures += 1
            result.error_samples.append(f"!remove {article_id}: {answer.text}")
            continue
        result.removes += 1
        [outcome] = await service.add_articles([by_key[key]], actor="soak:moderator")
        if outcome.status == "added":
            result.adds += 1
        else:
            result.add_failures += 1
            result.error_samples.append(f"re-add {key}: {outcome.message}")
        await asyncio.sleep(0.05)


async def index_matches_store(service: Service) -> bool:
    stored = {r[0]: r[1] for r in await service.store.rows(
        "SELECT article_id, count(*) FROM sentences WHERE heading = 0 GROUP BY article_id /* every workspace */")}
    indexed = await asyncio.to_thread(service.index.article_counts)
    return stored == indexed and service.index.doc_count() == sum(stored.values())


async def soak(users: int, seconds: float, db_path: Path, corpus: Path = CORPUS,
               corpus_limit: int | None = None, seed: int = 7) -> SoakResult:
    """Run the soak against the database at `db_path` (created and seeded if new)."""
    settings = load_settings(env={}, storage_db=str(db_path))
    service = await Service.open(settings)
    result = SoakResult(users=users, seconds=seconds)
    try:
        files = sorted(corpus.glob("*.json"))[:corpus_limit]
        articles = [a for path in files for a in load_article_file(path)]
        await service.add_articles(articles, actor="soak:setup")  # duplicates are skipped
        vocab = await vocabulary(service)
        before = await service.store.scalar("SELECT count(*) FROM query_log WHERE frontend = 'soak' /* every workspace */")
        before_mod = await service.store.scalar(
            "SELECT count(*) FROM query_log WHERE frontend = 'soak-moderator' /* every workspace */")
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(
            moderator(service, articles, deadline, result, seed),
            *(user(n, service, vocab, deadline, result, seed) for n in range(users)),
        )
        result.elapsed = time.monotonic() - started
        result.log_rows = await service.store.scalar(
            "SELECT count(*) FROM query_log WHERE frontend = 'soak' /* every workspace */") - before
        result.moderator_log_rows = await service.store.scalar(
            "SELECT count(*) FROM query_log WHERE frontend = 'soak-moderator' /* every workspace */") - before_mod
        result.index_consistent = await index_matches_store(service)
    finally:
        await service.close()
    return result


def print_table(result: SoakResult) -> None:
    s = result.summary()
    print(f"soak: {result.users} users for {result.seconds:g} s (ran {result.elapsed:.1f} s), "
          f"moderator: {result.removes} removes, {result.adds} re-adds")
    print()
    print(f"{'command':<10}{'n':>8}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'max ms':>10}")
    for name, p in s["latency_ms"].items():
        print(f"{name:<10}{p['n']:>8}{p['p50']:>10.1f}{p['p95']:>10.1f}{p['p99']:>10.1f}{p['max']:>10.1f}")
    print()
    print(f"commands        {result.commands}")
    print(f"commands/s      {result.rate:.1f}")
    print(f"errors          {result.errors}")
    print(f"refusals        {result.refusals}")
    print(f"log rows        {result.log_rows} (soak) / {result.commands} issued"
          f" -> {'OK' if result.log_rows == result.commands else 'MISMATCH'}")
    print(f"moderator rows  {result.moderator_log_rows} / {result.moderator_commands} issued"
          f" -> {'OK' if result.moderator_log_rows == result.moderator_commands else 'MISMATCH'}")
    print(f"add failures    {result.add_failures}")
    print(f"index = store   {'yes' if result.index_consistent else 'NO'}")
    for sample in result.error_samples:
        print(f"  ! {sample}")
    print(f"result          {'PASS' if result.ok else 'FAIL'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--db", help="database to soak (default: a new one under /tmp, removed after)")
    parser.add_argument("--corpus", type=Path, default=CORPUS,
                        help="a folder of *.json articles (default tests/data/corpus)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="coveragebot-soak-") as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "soak.db"
        result = asyncio.run(soak(args.users, args.seconds, db, args.corpus,
                                  seed=args.seed))
    if args.json:
        print(json.dumps(result.summary(), indent=2))
    else:
        print_table(result)
    return 0 if result.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
