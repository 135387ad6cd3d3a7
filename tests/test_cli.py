"""The terminal front end as a user runs it: the installed `coveragebot` command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import CORPUS

# The console script installed beside this interpreter by `pip install .`.
EXE = shutil.which("coveragebot", path=os.path.dirname(sys.executable)) or ""


def cli(*args: str, db, stdin: str | None = None, env_db: bool = False):
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGEBOT_")}
    command = [sys.executable, "-m", "bot.cli"]
    if env_db:
        env["COVERAGEBOT_DB"] = str(db)
    else:
        command += ["--db", str(db)]
    return subprocess.run(command + list(args), capture_output=True, text=True, env=env, input=stdin, timeout=120)


def test_console_script_is_installed():
    assert EXE, "pip install . must put `coveragebot` on PATH"
    out = subprocess.run([EXE, "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "ask" in out.stdout and "console" in out.stdout


def test_ask_search_json_returns_both_seeds_with_sources(tmp_path):
    result = cli("ask", "!search sanctions", "--json", db=tmp_path / "c.db", env_db=True)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["command"] == "search" and answer["result_count"] >= 2
    keys = {r["article"]["key"] for r in answer["results"]}
    assert keys == {"000_17be2d3fc3a7a9ed", "004_c9b221dd130e149a"}
    first = answer["results"][0]
    assert set(first["article"]) == {"id", "key", "title", "outlet", "author", "url", "published"}
    assert "sanction" in first["text"].lower()
    assert (tmp_path / "c.db").exists()


def test_ask_sources_json(tmp_path):
    result = cli("ask", "!sources", "--json", db=tmp_path / "c.db")
    rows = json.loads(result.stdout)["results"]
    assert [r["key"] for r in rows] == ["000_17be2d3fc3a7a9ed", "004_c9b221dd130e149a"]
    assert all(r["sentences"] > 10 for r in rows)


@pytest.mark.parametrize("line,code", [("!search", 2), ("!bogus", 2), ("!context 99999", 1), ("!help", 0)])
def test_exit_codes_follow_conventions(tmp_path, line, code):
    result = cli("ask", line, db=tmp_path / "c.db")
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_add_reports_each_file_and_stores_only_good_ones(tmp_path):
    good = tmp_path / "note.txt"
    good.write_text("Title: Harbour strike\n\nDockworkers walked out in Valparaíso on Monday.", encoding="utf-8")
    bad = tmp_path / "photo.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    db = tmp_path / "c.db"
    result = cli("add", str(good), str(bad), str(CORPUS / "04_reuters-ebola-glasgow.json"), db=db)
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("✓ Added #3 ‘Harbour strike’")
    assert lines[1] == "✗ photo.txt: not a text file (binary content)"
    assert lines[2].startswith("✓ Added #4 ‘Healthcare worker in Scotland diagnosed with Ebola’ (Reuters, 2014-12-29)")
    sources = json.loads(cli("ask", "!sources", "--json", db=db).stdout)["results"]
    assert [s["key"] for s in sources][-2:] == ["note", "reuters-ebola-glasgow"]


def test_console_runs_commands_until_eof(tmp_path):
    result = cli("console", db=tmp_path / "c.db", stdin="!search cocaine\nsources\n!nope\n")
    assert result.returncode == 0
    assert "cocaine" in result.stdout and "2 articles:" in result.stdout
    assert "Unknown command `nope`" in result.stdout


def test_missing_token_is_one_clear_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    result = subprocess.run([sys.executable, "-m", "bot.cli", "--db", str(tmp_path / "c.db"), "run"],
                            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert result.returncode == 78
    assert result.stderr.strip() == "coveragebot: no Discord token; set DISCORD_TOKEN or put DISCORD_TOKEN=… in a .env file."


async def test_add_url_from_the_terminal(tmp_path):
    import asyncio

    from tests.index._http_server import running_site

    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGEBOT_")}
    env["COVERAGEBOT_ALLOW_PRIVATE_URLS"] = "1"
    db = tmp_path / "c.db"
    async with running_site() as site:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "--db", str(db), "add", "--json",
            site.url("/article/05_nypost-amazon-macmillan"), site.url("/nav"),
            env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 1, err.decode()
    outcomes = json.loads(out)["outcomes"]
    assert outcomes[0]["status"] == "added"
    assert outcomes[0]["article"]["title"] == "Amazon, Macmillan make peace over book pricing"
    assert outcomes[1]["status"] == "failed" and "no article text" in outcomes[1]["message"]
