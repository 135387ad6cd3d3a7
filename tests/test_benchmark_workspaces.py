"""`benchmarks/commands.py --workspaces`: a store split over workspaces against one of its big workspace's size."""

from __future__ import annotations

from benchmarks.commands import print_workspaces_table, run_workspaces_benchmark


def test_the_tenancy_benchmark_compares_the_big_workspace_with_a_store_of_its_size(tmp_path, capsys):
    report = run_workspaces_benchmark(8_000, 4, query_count=20, quotes_count=10, speakers=500, workdir=tmp_path)
    alone, big = report["tenancy"]["alone"], report["tenancy"]["split"]
    assert big["sentences"] == alone["sentences"] == 4_000
    assert report["split"]["big_articles"] * 2 == report["split"]["articles"]
    for name in ("search", "who", "quotes"):
        assert alone[name]["queries"] == big[name]["queries"] > 0 and big[name]["p95_ms"] > 0
    print_workspaces_table(report)
    table = capsys.readouterr().out
    assert "over 4 workspaces" in table and table.count("<= 1.2x") == 3
