"""The terminal front end: `coveragebot ask | console | add | import | run | eval | stats`."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections.abc import Sequence

from index.answers import Notice
from index.commands import Origin, add_answer, run
from index.ingest import items_from_arguments
from index.service import Service
from index.settings import Settings, load_settings
from index.store import StoreError

log = logging.getLogger("coveragebot")

# Exit codes follow sysexits-style CLI conventions.
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_CONFIG = 0, 1, 2, 78


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coveragebot",
        description="Ask your newsroom's coverage questions; get quoted sentences with sources.",
    )
    parser.add_argument("--db", help="SQLite database file (env COVERAGEBOT_DB)")
    parser.add_argument("--config", help="TOML file overriding config/default.toml (env COVERAGEBOT_CONFIG)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="verb", required=True, metavar="COMMAND")

    ask = sub.add_parser("ask", help='run one chat command, e.g. ask "!search sanctions"')
    ask.add_argument("text", help="the command line, e.g. \"!who sanctioned\"")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")

    sub.add_parser("console", help="interactive prompt: type !search …, !sources, !help")

    add = sub.add_parser("add", help="add articles from files (.txt .md .json .html) or URLs")
    add.add_argument("inputs", nargs="+", help="files or http(s) URLs")
    add.add_argument("--json", action="store_true", help="print the outcomes as JSON")

    sub.add_parser("run", help="run the Discord bot (token from DISCORD_TOKEN or .env)")

    dump = sub.add_parser("import", help="import an archive dump: one JSON article per line (resumable)")
    dump.add_argument("dump", help="the .jsonl file")
    dump.add_argument("--workers", type=int, default=None, help="parse processes (default: the core count)")
    dump.add_argument("--json", action="store_true", help="print the summary as JSON")

    evaluate = sub.add_parser("eval", help="measure extraction against hand annotations")
    evaluate.add_argument("task", choices=["quotes", "who"])
    evaluate.add_argument("--gold", required=True, help="gold JSON, e.g. ../shared/eval/dev-gold.json")
    evaluate.add_argument("--articles", nargs="+", required=True, help="folders holding the articles")
    evaluate.add_argument("--json", action="store_true")

    stats = sub.add_parser("stats", help="what the team asks: figures from the query log")
    stats.add_argument("--since", default="7d", help="period, e.g. 7d, 30d")
    stats.add_argument("--png", help="write the queries-per-day chart to this PNG file")
    stats.add_argument("--csv", help="write the period's query log to this CSV file")
    stats.add_argument("--json", action="store_true")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `coveragebot` console script."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        settings = load_settings(args.config, storage_db=args.db)
    except ValueError as exc:
        print(f"coveragebot: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    if args.verb == "run":
        from bot.runner import run_bot

        return run_bot(settings)
    try:
        return asyncio.run(_dispatch(args, settings))
    except StoreError as exc:
        print(f"coveragebot: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130


async def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.verb == "eval":
        from bot.cli_eval import run_eval

        return await run_eval(args, settings)
    service = await Service.open(settings)
    try:
        if args.verb == "ask":
            return await _ask(service, args.text, args.json)
        if args.verb == "console":
            return await _console(service)
        if args.verb == "add":
            return await _add(service, args.inputs, args.json)
        if args.verb == "import":
            from bot.cli_import import run_import

            return await run_import(service, args)
        if args.verb == "stats":
            from bot.cli_stats import run_stats

            return await run_stats(service, args)
    finally:
        await service.close()
    return EXIT_USAGE


def _origin() -> Origin:
    user = os.environ.get("USER") or "terminal"
    return Origin(frontend="cli", actor=f"terminal:{user}")


async def _ask(service: Service, text: str, as_json: bool) -> int:
    from bot.render_text import render

    answer = await run(service, text, _origin(), service.settings.bot_prefix)
    if as_json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
    else:
        print(render(answer, color=sys.stdout.isatty()))
    return _exit_code(answer)


def _exit_code(answer) -> int:
    if isinstance(answer, Notice):
        if answer.level == "usage":
            return EXIT_USAGE
        if answer.level in {"refusal", "error"}:
            return EXIT_FAILED
    return EXIT_OK


async def _console(service: Service) -> int:
    from bot.render_text import render

    prefix = service.settings.bot_prefix
    print(f"coveragebot console — {prefix}help lists commands, Ctrl-D or 'quit' leaves.")
    origin = _origin()
    while True:
        try:
            line = await asyncio.to_thread(input, "coveragebot> ")
        except EOFError:
            print()
            return EXIT_OK
        if line.strip() in {"quit", "exit"}:
            return EXIT_OK
        if not line.strip():
            continue
        if not line.lstrip().startswith((prefix, "/")):
            line = prefix + line.lstrip()
        answer = await run(service, line, origin, prefix)
        print(render(answer, color=sys.stdout.isatty()))


async def _add(service: Service, inputs: list[str], as_json: bool) -> int:
    from bot.render_text import render

    items = items_from_arguments(inputs)
    bar = _ProgressBar(len(items), enabled=sys.stderr.isatty() and not as_json)
    outcomes = await service.add_items(items, _origin().actor, bar.update)
    bar.close()
    answer = add_answer(outcomes)
    if as_json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
    else:
        print(render(answer))
    return EXIT_OK if all(o.status != "failed" for o in outcomes) else EXIT_FAILED


class _ProgressBar:
    """A one-line progress bar on stderr for batches."""

    def __init__(self, total: int, enabled: bool, width: int = 30) -> None:
        self.total, self.enabled, self.width = total, enabled and total > 1, width

    def update(self, done: int, total: int, message: str) -> None:
        if not self.enabled:
            return
        filled = int(self.width * done / max(total, 1))
        line = f"\r[{'#' * filled}{'.' * (self.width - filled)}] {done}/{total} {message[:50]}"
        sys.stderr.write(line.ljust(self.width + 70))
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


if __name__ == "__main__":
    raise SystemExit(main())
