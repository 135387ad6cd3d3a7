"""`coveragebot stats --since 30d [--png chart.png] [--csv log.csv] [--json]`."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

from coveragebot.bot.exits import EXIT_CONFIG, EXIT_FAILED, EXIT_OK, EXIT_USAGE
from coveragebot.bot.chat.render_stats import stats_text
from coveragebot.index.service import Service
from coveragebot.index.stats import StatsError, stats_answer


async def run_stats(service: Service, args: argparse.Namespace) -> int:
    """Print the overview and the gaps for every server; write the chart and CSV if asked."""
    now = datetime.now(timezone.utc)  # one instant, so the three views cover the same rows
    try:
        overview = await stats_answer(service, "overview", args.since, chart=bool(args.png), now=now)
        gaps = await stats_answer(service, "gaps", args.since, now=now)
        export = await stats_answer(service, "export", args.since, now=now) if args.csv else None
    except StatsError as exc:
        print(f"coveragebot: {exc}", file=sys.stderr)
        return EXIT_USAGE if exc.level == "usage" else EXIT_CONFIG
    written = []
    try:
        if args.png:
            Path(args.png).write_bytes(overview.chart_png or b"")
            written.append(f"Chart written to {args.png}.")
        if export is not None:
            Path(args.csv).write_text(export.csv or "", encoding="utf-8")
            written.append(f"{export.figures['queries']} log rows written to {args.csv} (no user ids).")
    except OSError as exc:
        print(f"coveragebot: cannot write {exc.filename}: {exc.strerror}", file=sys.stderr)
        return EXIT_FAILED
    if args.json:
        print(json.dumps({
            "command": "stats", "since": args.since, "result_count": overview.result_count,
            "overview": overview.figures, "gaps": gaps.figures,
            "png": args.png or None, "csv": args.csv or None,
        }, ensure_ascii=False, indent=2))
    else:
        print("\n\n".join([stats_text(overview), stats_text(gaps), *written]))
    return EXIT_OK
