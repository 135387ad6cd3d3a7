"""Figures shared by the benchmarks: peak RSS, percentiles, timed queries, targets.

The targets are the issue's, for 1,000,000 sentences; `verdict` prints one beside a figure.
"""

from __future__ import annotations

import json
import resource
import time
from pathlib import Path

import numpy as np

from benchmarks import _corpus

WARMUP = 5
TARGETS = {  # name -> (limit, unit); the targets at 1M sentences
    "engine_p50_ms": (0.5, "ms"), "engine_p95_ms": (2.0, "ms"),
    "search_p95_ms": (10.0, "ms"), "add_searchable_s": (1.0, "s"),
    "concurrent_p95_ms": (50.0, "ms"), "restart_s": (3.0, "s"), "peak_rss_mb": (1024.0, "MB"),
}


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


def verdict(value: float, target: str) -> str:
    limit, _ = TARGETS[target]
    return f"<= {limit:g} {'PASS' if value <= limit else 'FAIL'}"


def print_head(head: str) -> None:
    """A table's header line with its rule."""
    print(head)
    print("-" * len(head))


def emit(report: dict, as_json: bool, print_tables) -> None:
    """The report as JSON, or as the script's tables."""
    if as_json:
        print(json.dumps(report, indent=2))
    else:
        print_tables(report)
