"""`coveragebot import DUMP.jsonl`: progress on stderr, the summary on stdout."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from coveragebot.bot.exits import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from coveragebot.index.archive.importer import ImportSummary, import_dump


async def run_import(service, args) -> int:
    """Import the dump named in `args`; exit 1 if any article failed, 2 if the file is missing."""
    path = Path(args.dump)
    if not path.is_file():
        print(f"coveragebot: no such dump file: {path}", file=sys.stderr)
        return EXIT_USAGE
    if args.workers is not None and args.workers < 1:
        print("coveragebot: --workers must be at least 1", file=sys.stderr)
        return EXIT_USAGE

    from coveragebot.bot.terminal.progress import Progress

    progress = Progress("import", count_lines(path), "lines")

    def report(summary: ImportSummary) -> None:
        progress.update(summary.added + summary.skipped + summary.failed,
                        f"{summary.added:,} added, {summary.skipped:,} already indexed, {summary.failed:,} failed")

    summary = await import_dump(service, path, args.workers, report, actor="import")
    progress.close()
    print(json.dumps(summary.to_json()) if args.json else f"Imported {path.name}: {summary.line()}")
    if not args.json:
        for why in summary.failures:
            print(f"  failed: {why}", file=sys.stderr)
        if summary.failed > len(summary.failures):
            print(f"  … and {summary.failed - len(summary.failures):,} more", file=sys.stderr)
    return EXIT_FAILED if summary.failed else EXIT_OK


def count_lines(path: Path) -> int:
    """The dump's articles (non-blank lines), for the bar's total; read as a stream, like the import."""
    with path.open("rb") as dump:
        return sum(1 for line in dump if line.strip())
