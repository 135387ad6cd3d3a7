"""Cold start of every read command: a fresh `coveragebot ask` process each time, on the bundled corpus.

    python benchmarks/cold.py                      # this checkout, 5 runs per command
    python benchmarks/cold.py --before 2c213e1     # beside a git revision of the same clone
    python benchmarks/cold.py --runs 3 --json

Each run is a new Python process (`python -m coveragebot.bot.terminal.cli ask …`) against a store already
seeded with the two bundled articles, timed from start to exit; the table shows the median
and the slowest run per command. Bytecode caches are allowed (as `pip install` leaves them):
one untimed run per command writes them first. `--before REV` extracts that revision of this
clone (`git archive`) into a temporary folder and times it the same way in the same run,
with its own store, interleaved with this checkout's runs so both see the same machine load.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Every read command a member can ask, with an argument the bundled corpus answers.
COMMANDS = ("!help", "!sources", "!search sanctions against Petro", "!context 5",
            "!who sanctioned", "!quotes Petro", "!people")
TARGET_S = 1.0


def _env(tree: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("COVERAGEBOT_") and k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(tree)
    return env


def _ask(tree: Path, db: Path, command: str) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "coveragebot.bot.terminal.cli", "--db", str(db), "ask", command],
                          cwd=tree, env=_env(tree), capture_output=True, text=True, timeout=600)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{command!r} failed in {tree}: {done.stdout}{done.stderr}")
    return elapsed


def _checkout(revision: str, into: Path) -> Path:
    """The given revision of this clone's tree, extracted (not a worktree: nothing to clean in git)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision], capture_output=True, check=True)
    into.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def measure(runs: int, before: str | None = None) -> dict:
    """Median and slowest cold time per command, for this checkout and optionally a revision."""
    with tempfile.TemporaryDirectory(prefix="coveragebot-cold-") as folder:
        trees = {"now": ROOT}
        if before:
            trees["before"] = _checkout(before, Path(folder) / "before")
        stores = {name: Path(folder) / f"{name}.db" for name in trees}
        for name, tree in trees.items():
            _ask(tree, stores[name], "!sources")  # seeds the store (spaCy parses the two articles)
            for command in COMMANDS:
                _ask(tree, stores[name], command)  # writes the bytecode caches
        times: dict[str, dict[str, list[float]]] = {name: {c: [] for c in COMMANDS} for name in trees}
        for _ in range(runs):
            for command in COMMANDS:
                for name, tree in trees.items():
                    times[name][command].append(_ask(tree, stores[name], command))
    return {
        "runs": runs, "before": before or "", "target_s": TARGET_S,
        "commands": {
            command: {name: {"median_s": round(statistics.median(times[name][command]), 3),
                             "max_s": round(max(times[name][command]), 3)} for name in trees}
            for command in COMMANDS
        },
    }


def print_table(report: dict) -> None:
    before = report["before"]
    header = f"{'command':<34}{'median s':>10}{'max s':>8}"
    if before:
        header += f"{'before ' + before[:10] + ' median':>28}{'max s':>8}{'ratio':>8}"
    print(f"Cold `coveragebot ask`, {report['runs']} fresh processes per command (target <= {report['target_s']} s)")
    print(header)
    for command, figures in report["commands"].items():
        now = figures["now"]
        line = f"{command:<34}{now['median_s']:>10.2f}{now['max_s']:>8.2f}"
        if before:
            old = figures["before"]
            line += f"{old['median_s']:>28.2f}{old['max_s']:>8.2f}{old['median_s'] / now['median_s']:>7.1f}x"
        print(line + ("" if now["median_s"] <= report["target_s"] else "  (over target)"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed processes per command (default 5)")
    parser.add_argument("--before", help="a git revision of this clone to time beside this checkout")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.before and not shutil.which("git"):
        parser.error("--before needs git")
    report = measure(args.runs, args.before)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_table(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
