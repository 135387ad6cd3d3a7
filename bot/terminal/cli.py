"""The terminal front end: `coveragebot ask | console | add | feed | import | run | eval | stats`."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
import time
from collections.abc import Sequence

from coveragebot.bot.exits import EXIT_CONFIG, EXIT_FAILED, EXIT_OK, EXIT_USAGE
from coveragebot.index.answers import Notice
from coveragebot.index.commands import Invocation, Origin, add_answer, log_command, run
from coveragebot.index.ingest.items import items_from_arguments
from coveragebot.index.service import Service
from coveragebot.index.workspace_names import DEFAULT_WORKSPACE, WorkspaceError, check_workspace_settings, checked_name
from coveragebot.index.settings import Settings, check_db_folder, load_settings
from coveragebot.index.storage.store import StoreError

log = logging.getLogger("coveragebot")

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
    _workspace_option(ask)

    _workspace_option(sub.add_parser("console", help="interactive prompt: words are searched; !who …, !sources, !help"))

    add = sub.add_parser("add", help="add articles from files (.txt .md .json .html) or URLs")
    add.add_argument("inputs", nargs="+", help="files or http(s) URLs")
    add.add_argument("--json", action="store_true", help="print the outcomes as JSON")
    _workspace_option(add)

    feed = sub.add_parser("feed", help="follow news feeds: add URL | list | remove ID | poll (one poll, for cron)")
    feed.add_argument("action", choices=["add", "list", "remove", "poll"])
    feed.add_argument("target", nargs="?", default="", help="the feed's URL (add) or id (remove)")
    feed.add_argument("--json", action="store_true")
    _workspace_option(feed)

    sub.add_parser("run", help="run the Discord bot (token from DISCORD_TOKEN or .env)")

    dump = sub.add_parser("import", help="import an archive dump: one JSON article per line (resumable)")
    dump.add_argument("dump", help="the .jsonl file")
    dump.add_argument("--workers", type=int, default=None, help="parse processes (default: the core count)")
    dump.add_argument("--json", action="store_true", help="print the summary as JSON")
    _workspace_option(dump)

    evaluate = sub.add_parser("eval", help="measure extraction against hand annotations")
    evaluate.add_argument("task", choices=["quotes", "who", "search", "verify"])
    evaluate.add_argument("--gold", required=True, help="gold JSON, e.g. ../shared/eval/dev-gold.json")
    evaluate.add_argument("--articles", nargs="+", required=True, help="folders holding the articles")
    evaluate.add_argument("--json", action="store_true")
    evaluate.add_argument("--unrelated", help="verify: a PolNeAR gold file of other articles, for the unrelated "
                          "sentences (default: gold-train.json beside --gold)")
    evaluate.add_argument("--count", type=int, default=200, help="verify: quotes drawn (default 200)")

    stats = sub.add_parser("stats", help="what the team asks: figures from the query log")
    stats.add_argument("--since", default="7d", help="period, e.g. 7d, 30d")
    stats.add_argument("--png", help="write the queries-per-day chart to this PNG file")
    stats.add_argument("--csv", help="write the period's query log to this CSV file")
    stats.add_argument("--json", action="store_true")
    _workspace_option(stats)
    return parser


def _workspace_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workspace", default=DEFAULT_WORKSPACE, metavar="NAME",
                        help="the newsroom's workspace to read and write (default: default; a server's own is"
                             " server-<id>)")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `coveragebot` console script."""
    try:
        code = _main(argv)
        sys.stdout.flush()  # inside the try: a reader that left shows here, not at exit
        return code
    except BrokenPipeError:
        # The reader (`| head`) left early: that is the reader's choice, not a failure, so
        # stop quietly with 0 as `set -o pipefail` scripts expect. Python would flush stdout
        # again at exit and fail once more, so point it at /dev/null first.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    # `run` is a service: its progress (login, reconnects) belongs in the log it prints.
    logging.basicConfig(
        level=logging.INFO if args.verbose or args.verb == "run" else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        settings = load_settings(args.config, storage_db=args.db)
        check_db_folder(settings)
        check_workspace_settings(settings)
    except ValueError as exc:
        print(f"coveragebot: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    try:
        checked_name(getattr(args, "workspace", DEFAULT_WORKSPACE))
    except WorkspaceError as exc:
        print(f"coveragebot: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.verb == "run":
            from coveragebot.bot.chat.runner import run_bot

            return run_bot(settings)
        if args.verb == "console":
            return _console(settings, args.workspace)
        return asyncio.run(_dispatch(args, settings))
    except StoreError as exc:
        print(f"coveragebot: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130


async def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.verb == "eval":
        from coveragebot.bot.terminal.eval import run_eval

        return await run_eval(args, settings)
    service = await Service.open(settings, workspace=args.workspace)
    try:
        if args.verb == "ask":
            return await _ask(service, args.text, args.json)
        if args.verb == "add":
            return await _add(service, args.inputs, args.json)
        if args.verb == "feed":
            # The same `!feed` command the bot's moderators run, logged like any other.
            return await _ask(service, f"{service.settings.bot_prefix}feed {args.action} {args.target}".strip(),
                              args.json)
        if args.verb == "import":
            from coveragebot.bot.terminal.archive import run_import

            return await run_import(service, args)
        if args.verb == "stats":
            from coveragebot.bot.terminal.stats import run_stats

            return await run_stats(service, args)
    finally:
        await service.close()
    return EXIT_USAGE


def _origin(export: bool = False) -> Origin:
    user = os.environ.get("USER") or "terminal"
    return Origin(frontend="cli", actor=f"terminal:{user}", export=export)


async def _ask(service: Service, text: str, as_json: bool) -> int:
    from coveragebot.bot.terminal.render import render

    # --json is for scripts: the whole answer, not the first part a reader pages through.
    answer = await run(service, text, _origin(export=as_json), service.settings.bot_prefix)
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


def console_line(line: str, prefix: str) -> str | None:
    """The command a console line asks for: `sanctions` is `!search sanctions`; None if blank."""
    text = line.strip()
    if not text:
        return None
    if text.startswith((prefix, "/")):
        return text
    if text.lower() in {"help", "?"}:
        return prefix + "help"
    return f"{prefix}search {text}"


def _console(settings: Settings, workspace: str = DEFAULT_WORKSPACE) -> int:
    """A prompt with line editing and history; Ctrl-C drops the line or the running command."""
    from coveragebot.bot.terminal.render import render

    remember = _enable_line_editing()
    # A shell that starts a job in the background makes it ignore Ctrl-C, and Python then
    # keeps ignoring it; the console is interactive, so Ctrl-C is always ours to handle.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    prefix = settings.bot_prefix
    origin = _origin()
    # One loop for the whole session, driven from the main thread, so that input() gets
    # readline and Ctrl-C lands in input() or cancels the command being run.
    with asyncio.Runner() as runner:
        service = runner.run(Service.open(settings, workspace=workspace))
        try:
            print(f"coveragebot console — type words to search them, {prefix}help for the commands, "
                  "Ctrl-C to drop a line, Ctrl-D or 'quit' to leave.")
            while True:
                try:
                    line = input("coveragebot> ")
                except EOFError:
                    print()
                    return EXIT_OK
                except KeyboardInterrupt:
                    print()
                    continue
                remember(line)
                if line.strip().lower() in {"quit", "exit"}:
                    return EXIT_OK
                command = console_line(line, prefix)
                if command is None:
                    continue
                try:
                    answer = runner.run(run(service, command, origin, prefix))
                except KeyboardInterrupt:
                    print("(cancelled)")
                    continue
                print(render(answer, color=sys.stdout.isatty()))
        finally:
            runner.run(service.close())


def _enable_line_editing():
    """Arrow keys, editing and history for input(), where the platform has readline.

    Returns the function that puts a typed line in the history.
    """
    if not sys.stdin.isatty():
        return _forget
    try:
        import readline
    except ImportError:  # Windows has no readline; input() still works, without history
        return _forget
    readline.set_history_length(1000)
    # readline would keep every line, blank ones too, and Up would recall them.
    readline.set_auto_history(False)

    def remember(line: str) -> None:
        text = line.strip()
        last = readline.get_current_history_length()
        if text and (not last or readline.get_history_item(last) != text):
            readline.add_history(text)

    return remember


def _forget(line: str) -> None:
    """History where there is none: nothing to keep."""


async def _add(service: Service, inputs: list[str], as_json: bool) -> int:
    from coveragebot.bot.terminal.progress import Progress
    from coveragebot.bot.terminal.render import render

    items = items_from_arguments(inputs)
    # One item needs no progress: its outcome is the answer.
    progress = Progress("add", len(items), "items") if len(items) > 1 else None
    started = time.perf_counter()
    outcomes = await service.add_items(items, _origin().actor,
                                       (lambda done, total, note: progress.update(done, note)) if progress else None)
    if progress:
        progress.close()
    answer = add_answer(outcomes)
    # Logged like Discord's !add, so a refused file counts as refused in `coveragebot stats`.
    await log_command(service, Invocation("add", " ".join(inputs)[:500]), _origin(), answer,
                      (time.perf_counter() - started) * 1000, "")
    if as_json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
    else:
        print(render(answer))
    return EXIT_OK if all(o.status != "failed" for o in outcomes) else EXIT_FAILED


if __name__ == "__main__":
    raise SystemExit(main())
