"""`--workspace NAME` on the terminal verbs: ask, console, add, import and stats read and write that workspace."""

from __future__ import annotations

import json

from tests.test_cli import cli

STORY = {"id": "harbour", "title": "Harbour strike ends", "outlet": "Harbour Times",
         "text": "The union sanctioned the harbour board on Friday, said Maria Alvarez. Dockworkers cheered."}


def titles(result) -> set[str]:
    assert result.returncode == 0, result.stderr
    return {row["title"] for row in json.loads(result.stdout)["results"]}


def test_each_terminal_verb_reads_and_writes_the_workspace_named(tmp_path):
    db = tmp_path / "c.db"
    story = tmp_path / "story.txt"
    story.write_text("Title: Mine closure ordered\n\nThe ministry closed the valley mine on Monday, said Jonas Berg.\n")
    assert cli("add", str(story), "--workspace", "valley", db=db).returncode == 0
    dump = tmp_path / "dump.jsonl"
    dump.write_text(json.dumps(STORY) + "\n")
    imported = cli("import", str(dump), "--workers", "1", "--workspace", "harbour", db=db)
    assert imported.returncode == 0, imported.stderr
    assert titles(cli("ask", "!sources", "--json", "--workspace", "valley", db=db)) == {"Mine closure ordered"}
    assert titles(cli("ask", "!sources", "--json", "--workspace", "harbour", db=db)) == {"Harbour strike ends"}
    # `default` (the seeds) holds neither.
    assert not {"Mine closure ordered", "Harbour strike ends"} & titles(cli("ask", "!sources", "--json", db=db))
    console = cli("console", "--workspace", "valley", db=db, stdin="ministry\n")
    assert "Jonas Berg" in console.stdout and "Harbour" not in console.stdout
    stats = json.loads(cli("stats", "--json", "--workspace", "valley", db=db).stdout)
    assert "ministry" in json.dumps(stats) and "sources" in json.dumps(stats)
    assert "ministry" not in cli("stats", "--json", "--workspace", "harbour", db=db).stdout


def test_a_workspace_name_that_cannot_be_one_is_a_usage_error(tmp_path):
    result = cli("ask", "!sources", "--workspace", "../etc", db=tmp_path / "c.db")
    assert result.returncode == 2
    assert result.stderr.strip().startswith("coveragebot: workspace name '../etc' must be")
    assert not (tmp_path / "c.db").exists()


def test_a_server_mapping_that_cannot_be_used_stops_the_program_in_one_line(tmp_path):
    result = cli("ask", "!sources", db=tmp_path / "c.db",
                 extra_env={"COVERAGEBOT_WORKSPACES_SERVERS": "123=Harbour Times"})
    assert result.returncode == 78
    assert result.stderr.strip().startswith("coveragebot: setting workspaces.servers: workspace name 'Harbour Times'")
