"""Child process for test_crash: log some queries, then add one article while queries keep coming.

    python -m tests.stress._crash_worker DB ARTICLE_JSON PAUSE_AT

Reports on stdout, one line each, flushed: `logged <query-log id>` once a command has
returned, `adding` before the add, `sql <statement>#<n>` as SQLite starts each statement
(sqlite3's own trace hook, counted per statement head), and `added <id>` at the end. If a
statement's label equals PAUSE_AT, it prints `paused <label>` and waits on stdin, so the
parent can SIGKILL it at exactly that point. Nothing in coveragebot is replaced.
"""

from __future__ import annotations

import asyncio
import sys
from collections import Counter

from coveragebot.index.ingest.loaders import load_article_file
from coveragebot.index.commands import Origin, execute_logged, parse
from coveragebot.index.service import Service
from coveragebot.index.settings import load_settings


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


async def main(db: str, article_path: str, pause_at: str) -> None:
    service = await Service.open(load_settings(env={}, storage_db=db), seed=False)
    [article] = load_article_file(article_path)
    origin = Origin(frontend="crash", user_id="7", actor="crash")
    seen: Counter[str] = Counter()

    def trace(sql: str) -> None:
        head = " ".join(sql.split()[:3]) if sql.startswith("INSERT") else " ".join(sql.split()[:2])
        seen[head] += 1
        label = f"{head}#{seen[head]}"
        say(f"sql {label}")
        if label == pause_at:
            say(f"paused {label}")
            sys.stdin.readline()  # the parent kills this process while it waits here

    async def ask(line: str) -> None:
        _, log_id = await execute_logged(service, parse(line), origin)
        say(f"logged {log_id}")

    for line in ("!search sanctions", "!who sanctioned", "!quotes Petro"):
        await ask(line)
    stop = asyncio.Event()

    async def asker() -> None:
        # The bot keeps answering while a moderator adds an article.
        while not stop.is_set():
            await ask("!search cocaine production")
            await asyncio.sleep(0.005)

    await service.store.db.set_trace_callback(trace)
    say("adding")
    task = asyncio.create_task(asker())
    outcome = await service.add_article(article, "crash")
    stop.set()
    await task
    say(f"added {outcome.article.id if outcome.article else outcome.status}")
    await service.close()
    # Stay alive until the parent kills us or closes stdin: a timed kill that lands
    # after the add is still a kill, never a clean exit that races it.
    sys.stdin.readline()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
