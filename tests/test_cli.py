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


def cli(*args: str, db, stdin: str | None = None, env_db: bool = False, extra_env: dict | None = None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGEBOT_")} | (extra_env or {})
    command = [sys.executable, "-m", "coveragebot.bot.terminal.cli"]
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
    result = cli("console", db=tmp_path / "c.db", stdin="!search cocaine\n!sources\n!nope\n")
    assert result.returncode == 0
    assert "cocaine" in result.stdout and "2 articles:" in result.stdout
    assert "Unknown command `nope`" in result.stdout


def test_missing_token_is_one_clear_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    result = subprocess.run([sys.executable, "-m", "coveragebot.bot.terminal.cli", "--db", str(tmp_path / "c.db"), "run"],
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
            sys.executable, "-m", "coveragebot.bot.terminal.cli", "--db", str(db), "add", "--json",
            site.url("/article/05_nypost-amazon-macmillan"), site.url("/nav"),
            env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 1, err.decode()
    outcomes = json.loads(out)["outcomes"]
    assert outcomes[0]["status"] == "added"
    assert outcomes[0]["article"]["title"] == "Amazon, Macmillan make peace over book pricing"
    assert outcomes[1]["status"] == "failed" and "no article text" in outcomes[1]["message"]


# -- first contact: what a new user meets in the first minutes -----------------------

MODERATOR_HEADING = "Moderator commands (Manage Server permission or a moderator role):"


def test_help_lists_every_moderator_command_under_one_heading(tmp_path):
    result = cli("ask", "!help", db=tmp_path / "c.db")
    assert result.returncode == 0
    everyone, heading, moderators = result.stdout.partition(MODERATOR_HEADING)
    assert heading, result.stdout
    assert "!search <words>" in everyone and "!add" not in everyone
    for usage in ("!add <url>", "!remove <article id>", "!reindex", "!stats [gaps|export]", "!fix speaker"):
        assert usage in moderators
    assert result.stdout.count("oderator") == 2  # the heading's two words, not one per entry


def test_ask_add_points_to_the_add_verb_in_one_line(tmp_path):
    result = cli("ask", "!add x.txt", db=tmp_path / "c.db")
    assert result.returncode == 2
    assert result.stdout == "In the terminal, add articles with `coveragebot add x.txt`.\n"


@pytest.mark.parametrize("line,level", [("!search", "usage"), ("!bogus", "usage"), ("!add x.txt", "usage"),
                                        ("!context 99999", "refusal")])
def test_json_of_a_usage_error_or_refusal_is_not_ok(tmp_path, line, level):
    answer = json.loads(cli("ask", line, "--json", db=tmp_path / "c.db").stdout)
    assert answer["level"] == level and answer["ok"] is False


def test_counts_are_english_for_one(tmp_path):
    note = tmp_path / "strike.txt"
    note.write_text("Title: Harbour strike ends\n\nDockworkers walked out in Valparaíso on Monday. "
                    "“We will stay out until the port pays us,” said Ana Rojas, a union leader.\n",
                    encoding="utf-8")
    db = tmp_path / "c.db"
    empty = {"COVERAGEBOT_STORAGE_SEED_ON_FIRST_USE": "0"}
    assert "1 statement by 1 person." in cli("add", str(note), db=db, extra_env=empty).stdout
    assert cli("ask", "!search Valparaíso", db=db).stdout.startswith("1 passage for “Valparaíso”:")
    assert cli("ask", "!sources", db=db).stdout.startswith("1 article:\n")
    assert "Ana Rojas: 1 statement in 1 article" in cli("ask", "!people", db=db).stdout
    assert "Dockworkers (1 sentence, 1 article)" in cli("ask", "!who walked out", db=db).stdout
    assert cli("ask", "!remove 1", db=db).stdout == "Removed #1 ‘Harbour strike ends’ (2 sentences).\n"


def test_console_searches_a_line_without_the_prefix(tmp_path):
    result = cli("console", db=tmp_path / "c.db", stdin="sanctions\n!search sanctions\n")
    assert result.returncode == 0, result.stderr
    answers = [part for part in result.stdout.split("coveragebot> ")[1:] if part.strip()]
    assert len(answers) == 2 and answers[0] == answers[1]
    assert " passages for “sanctions”:" in answers[0]


def test_console_leaves_on_ctrl_d_with_a_clean_exit(tmp_path):
    result = cli("console", db=tmp_path / "c.db", stdin="")
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.endswith("coveragebot> \n")


def _read_until(stream, marker: bytes, limit: float = 60, seen: bytes = b"", must: bool = True) -> bytes:
    """Bytes from `stream` up to and including `marker` (the console flushes its prompt).

    With must=False, what arrived by the time limit is returned instead of failing.
    """
    import select
    import time

    deadline = time.monotonic() + limit
    while not seen.endswith(marker):
        if time.monotonic() >= deadline and not must:
            return seen
        assert time.monotonic() < deadline, seen.decode(errors="replace")
        ready, _, _ = select.select([stream], [], [], 1)
        if ready:
            chunk = os.read(stream.fileno(), 1)
            assert chunk, "the console ended early: " + seen.decode(errors="replace")
            seen += chunk
    return seen


def test_console_ctrl_c_drops_the_line_and_keeps_the_prompt(tmp_path):
    import signal

    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGEBOT_")}
    console = subprocess.Popen([sys.executable, "-m", "coveragebot.bot.terminal.cli", "--db", str(tmp_path / "c.db"), "console"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        _read_until(console.stdout, b"coveragebot> ")
        # input() flushes its prompt a moment before it starts reading: a Ctrl-C in between
        # is only noticed at the next one (a person never types that fast), so press again.
        seen = b""
        for _ in range(20):
            console.send_signal(signal.SIGINT)
            seen = _read_until(console.stdout, b"coveragebot> ", limit=3, seen=seen, must=False)
            if seen.endswith(b"coveragebot> "):
                break
        assert seen == b"\ncoveragebot> "
        console.stdin.write(b"!sources\n")
        console.stdin.flush()
        assert _read_until(console.stdout, b"coveragebot> ").startswith(b"2 articles:\n")
        console.stdin.close()
        assert console.wait(timeout=60) == 0
        assert b"Traceback" not in console.stderr.read()
    finally:
        console.kill()
        console.wait()


def test_console_up_arrow_recalls_the_previous_line(tmp_path):
    import pty

    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGEBOT_")}
    env["TERM"] = "xterm"
    main, side = pty.openpty()
    console = subprocess.Popen([sys.executable, "-m", "coveragebot.bot.terminal.cli", "--db", str(tmp_path / "c.db"), "console"],
                               stdin=side, stdout=side, stderr=side, env=env, close_fds=True)
    os.close(side)
    screen = os.fdopen(main, "r+b", buffering=0)
    try:
        _read_until(screen, b"coveragebot> ")
        screen.write(b"!sources\r")
        _read_until(screen, b"coveragebot> ")
        screen.write(b"\x1b[A\r")  # the Up arrow, then Enter
        again = _read_until(screen, b"coveragebot> ")
        assert b"!sources" in again and b"2 articles:" in again
        screen.write(b"\x04")  # Ctrl-D
        assert console.wait(timeout=60) == 0
    finally:
        console.kill()
        console.wait()
        screen.close()


def test_output_into_a_closed_pipe_ends_quietly(tmp_path):
    # `coveragebot ask "!search US" | head -1`: head leaves before the answer is written.
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGEBOT_")}
    cli("ask", "!sources", db=tmp_path / "c.db")  # seed first, so the pipe closes before the answer
    reader, writer = os.pipe()
    os.close(reader)
    with os.fdopen(writer, "wb") as closed_pipe:
        result = subprocess.run([sys.executable, "-m", "coveragebot.bot.terminal.cli", "--db", str(tmp_path / "c.db"), "ask", "!search US"],
                                stdout=closed_pipe, stderr=subprocess.PIPE, text=True, env=env, timeout=120)
    assert result.stderr == ""
    assert result.returncode == 0


def test_ask_piped_into_head_exits_0_without_a_message(tmp_path):
    # The README's own shape, through the installed script and a shell pipe that head leaves.
    db = tmp_path / "c.db"
    cli("ask", "!sources", db=db)
    script = f'set -o pipefail; "{EXE}" --db "{db}" ask "!search sanctions" | head -1 >/dev/null'
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGEBOT_")}
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0 and result.stderr == ""


def test_a_bad_setting_names_its_key_and_type(tmp_path):
    result = cli("ask", "!help", db=tmp_path / "c.db", extra_env={"COVERAGEBOT_SEARCH_RESULTS_PER_PAGE": "abc"})
    assert result.returncode == 78
    assert result.stderr == ("coveragebot: setting search.results_per_page (COVERAGEBOT_SEARCH_RESULTS_PER_PAGE)"
                             " must be an integer, got 'abc'\n")


def test_a_bad_shard_list_names_its_key_and_type(tmp_path):
    result = cli("ask", "!help", db=tmp_path / "c.db", extra_env={"COVERAGEBOT_BOT_SHARD_IDS": "0,one"})
    assert result.returncode == 78
    assert result.stderr.startswith("coveragebot: setting bot.shard_ids (COVERAGEBOT_BOT_SHARD_IDS) must be a list of integers")


def test_a_bad_setting_in_a_toml_file_names_the_file(tmp_path):
    user = tmp_path / "mine.toml"
    user.write_text('[bot]\ncooldown_seconds = "ten"\n', encoding="utf-8")
    result = cli("--config", str(user), "ask", "!help", db=tmp_path / "c.db")
    assert result.returncode == 78
    assert result.stderr == f"coveragebot: setting bot.cooldown_seconds (in {user}) must be a number, got 'ten'\n"


def test_db_in_a_missing_folder_is_refused_and_no_folder_is_made(tmp_path):
    result = cli("ask", "!help", db=tmp_path / "missing" / "dir" / "x.db")
    assert result.returncode == 78
    assert result.stderr.startswith(f"coveragebot: cannot use database {tmp_path / 'missing' / 'dir' / 'x.db'}: "
                                    f"folder {tmp_path / 'missing' / 'dir'} does not exist")
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "missing").exists()


async def test_private_address_refusal_says_how_to_allow_it(tmp_path):
    import asyncio

    from tests.index._http_server import running_site

    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGEBOT_")}
    async with running_site() as site:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "coveragebot.bot.terminal.cli", "--db", str(tmp_path / "c.db"), "add", site.url("/nav"),
            env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, _ = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 1
    assert out.decode().startswith("✗ ")
    assert "fetch.allow_private_urls" in out.decode() and "COVERAGEBOT_ALLOW_PRIVATE_URLS=1" in out.decode()


# -- `coveragebot run` against a Discord that is not there or says no ----------------

# discord.py reads its API address from Route.BASE; pointing it at 127.0.0.1 keeps these
# tests off the internet whatever the machine's network.
RUN_WITH_LOCAL_DISCORD = (
    "import sys, discord.http; discord.http.Route.BASE = sys.argv[1]; "
    "from coveragebot.bot.cli import main; raise SystemExit(main(sys.argv[2:]))"
)


async def _run_bot_against(api_base: str, tmp_path):
    import asyncio

    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGEBOT_")}
    env["DISCORD_TOKEN"] = "bogus.token.value"
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", RUN_WITH_LOCAL_DISCORD, api_base, "--db", str(tmp_path / "c.db"), "run",
        env=env, cwd=tmp_path, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 120)
    return process.returncode, out.decode(), err.decode()


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_run_without_network_is_one_line_and_logs_each_line_once(tmp_path):
    code, out, err = await _run_bot_against(f"http://127.0.0.1:{_closed_port()}/api/v10", tmp_path)
    assert code == 1
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert lines[-1].startswith("coveragebot: cannot reach Discord (")
    assert lines[-1].endswith("); check the network connection and try again.")
    assert sum("logging in using static token" in line for line in lines) == 1
    assert len(lines) == 2, err  # the login line, then the reason


async def test_run_with_a_rejected_token_is_one_line_exit_77(tmp_path):
    from aiohttp import web

    async def unauthorized(request: web.Request) -> web.Response:
        return web.json_response({"message": "401: Unauthorized", "code": 0}, status=401)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", unauthorized)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    try:
        code, out, err = await _run_bot_against(f"http://127.0.0.1:{port}/api/v10", tmp_path)
    finally:
        await runner.cleanup()
    assert code == 77
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == (
        "coveragebot: Discord refused the token (invalid or revoked); check DISCORD_TOKEN.")


def _in_a_terminal(args: list[str], tmp_path) -> tuple[subprocess.Popen, object]:
    """The console script's module run with a pseudo-terminal as stdin, stdout and stderr."""
    import pty

    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGEBOT_")}
    env["TERM"] = "xterm"
    main, side = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "coveragebot.bot.terminal.cli", "--db", str(tmp_path / "c.db"), *args],
                               stdin=side, stdout=side, stderr=side, env=env, close_fds=True)
    os.close(side)
    return process, os.fdopen(main, "r+b", buffering=0)


def test_console_history_skips_whitespace_only_lines(tmp_path):
    console, screen = _in_a_terminal(["console"], tmp_path)
    try:
        _read_until(screen, b"coveragebot> ")
        screen.write(b"!sources\r")
        _read_until(screen, b"coveragebot> ")
        screen.write(b"   \r")
        _read_until(screen, b"coveragebot> ")
        screen.write(b"\x1b[A\r")  # Up recalls the last real line, not the blank one
        again = _read_until(screen, b"coveragebot> ")
        assert b"!sources" in again and b"2 articles:" in again
        screen.write(b"\x04")
        assert console.wait(timeout=60) == 0
    finally:
        console.kill()
        console.wait()
        screen.close()


def test_bold_query_words_do_not_make_lines_wrap_early(tmp_path):
    import re

    cli("ask", "!sources", db=tmp_path / "c.db")
    process, screen = _in_a_terminal(["ask", "!search sanctions Petro Colombia"], tmp_path)
    output = b""
    try:
        while True:
            try:
                chunk = os.read(screen.fileno(), 4096)
            except OSError:  # the terminal closes with the process
                break
            if not chunk:
                break
            output += chunk
        assert process.wait(timeout=60) == 0
    finally:
        process.kill()
        process.wait()
        screen.close()
    text = output.decode().replace("\r\n", "\n")
    assert "\033[1m" in text  # a terminal gets bold query words
    visible = [re.sub(r"\033\[[0-9;]*m", "", line) for line in text.splitlines()]
    quote = [line for line in visible if line.startswith("    │ ")]
    assert quote and all(len(line) <= 88 for line in quote)
    # A line ends only where the next word would not fit (or where its passage ends).
    for n, line in enumerate(visible[:-1]):
        after = visible[n + 1]
        if line.startswith("    │ ") and after.startswith("    │ "):
            assert len(line) + 1 + len(after[6:].split()[0]) > 88, (line, after)


def test_query_log_tells_refusals_from_answers(tmp_path):
    import sqlite3

    db = tmp_path / "c.db"
    console = cli("console", db=db, stdin="!add foo.txt\n!search\n!context 99999\n!search sanctions\n")
    assert console.returncode == 0, console.stderr
    added = cli("add", str(tmp_path / "missing.txt"), db=db)
    assert added.returncode == 1
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT command, ok, error FROM query_log ORDER BY id").fetchall()
    assert [(command, ok) for command, ok, _ in rows] == [
        ("add", 0), ("search", 0), ("context", 0), ("search", 1), ("add", 0)]
    assert rows[0][2].startswith("usage: In the terminal, add articles with `coveragebot add foo.txt`")
    assert rows[2][2].startswith("refusal: ") and rows[3][2] == ""
    assert rows[4][2].startswith("refusal: ") and "missing.txt" in rows[4][2]
    stats = cli("stats", "--since", "1d", db=db)
    assert "3 found nothing" not in stats.stdout and "4 refused or failed." in stats.stdout, stats.stdout


def test_read_commands_load_neither_spacy_nor_the_page_reader(tmp_path):
    # A cold `ask` pays for every module it imports: questions need neither spaCy (the verb
    # tables ship as data) nor trafilatura (only `add` reads web pages).
    db = tmp_path / "c.db"
    assert cli("ask", "!sources", db=db).returncode == 0  # seeds the store: that parse is spaCy's
    probe = ("import sys\nfrom coveragebot.bot.terminal.cli import main\n"
             "for line in sys.argv[2:]:\n"
             "    assert main(['--db', sys.argv[1], 'ask', line]) == 0, line\n"
             "heavy = sorted(m for m in ('spacy', 'trafilatura', 'thinc', 'lxml') if m in sys.modules)\n"
             "print('loaded:', heavy)\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGEBOT_")}
    done = subprocess.run([sys.executable, "-c", probe, str(db), "!help", "!sources", "!search sanctions",
                           "!context 5", "!who sanctioned", "!quotes Petro", "!people"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith("loaded: []"), done.stdout[-500:]
    assert "Who sanctioned:" in done.stdout


def test_ask_lists_the_newest_statements_while_json_lists_every_one(tmp_path):
    small = {"COVERAGEBOT_QUOTES_MAX_LISTED": "1"}
    text = cli("ask", "!quotes Petro", db=tmp_path / "c.db", env_db=True, extra_env=small)
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith("newest 1 of 7 statements by Gustavo Petro:"), text.stdout[:200]
    exported = cli("ask", "!quotes Petro", "--json", db=tmp_path / "c.db", env_db=True, extra_env=small)
    answer = json.loads(exported.stdout)
    assert answer["result_count"] == answer["total"] == 7
