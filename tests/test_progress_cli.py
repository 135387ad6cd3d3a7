"""`coveragebot add` and `import` progress: a bar on a terminal, plain lines into a pipe or a log."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios

import pytest

from tests.index.test_import import write_dump


def _articles(folder) -> list[str]:
    paths = []
    for n, place in enumerate(["Callao", "Oruro", "Ostend"]):
        path = folder / f"story-{n}.txt"
        path.write_text(f"Title: Port of {place} reopens\n\nThe port of {place} reopened on Monday, officials said.",
                        encoding="utf-8")
        paths.append(str(path))
    return paths


def _command(tmp_path, verb: str) -> list[str]:
    base = [sys.executable, "-m", "coveragebot.bot.terminal.cli", "--db", str(tmp_path / "c.db")]
    if verb == "add":
        return base + ["add", *_articles(tmp_path)]
    dump = tmp_path / "archive.jsonl"
    write_dump(dump, 4)
    return base + ["import", str(dump), "--workers", "1"]


def _env() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith("COVERAGEBOT_")} | {"TERM": "xterm"}


def _stderr_on_a_terminal(command: list[str], columns: int) -> tuple[int, str]:
    main, side = pty.openpty()
    if columns:
        fcntl.ioctl(side, termios.TIOCSWINSZ, struct.pack("HHHH", 30, columns, 0, 0))
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=side,
                               env=_env(), close_fds=True)
    os.close(side)
    seen = b""
    try:
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the terminal closes with the process
                break
            if not chunk:
                break
            seen += chunk
        return process.wait(timeout=120), seen.decode(errors="replace")
    finally:
        process.kill()
        process.wait()
        os.close(main)


# A pseudo-terminal that reports no size (0 columns) still gets a whole bar.
@pytest.mark.parametrize("verb,total,columns", [("add", 3, 100), ("import", 4, 100), ("add", 3, 0)])
def test_progress_is_a_bar_on_a_terminal(tmp_path, verb, total, columns):
    code, screen = _stderr_on_a_terminal(_command(tmp_path, verb), columns)
    assert code == 0, screen
    # tqdm redraws one line: a carriage return, the share done and a bar between pipes.
    assert "\r" in screen and f"{verb}: 100%|" in screen and f"| {total}/{total}" in screen
    assert "Traceback" not in screen


@pytest.mark.parametrize("verb,unit,total", [("add", "items", 3), ("import", "lines", 4)])
def test_progress_into_a_pipe_is_plain_lines(tmp_path, verb, unit, total):
    done = subprocess.run(_command(tmp_path, verb), capture_output=True, text=True, env=_env(), timeout=300)
    assert done.returncode == 0, done.stderr
    assert "\r" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith(f"{verb}: ")]
    # The first item is reported at once and the last at the end; a log gets no bar.
    assert lines and lines[-1].startswith(f"{verb}: {total}/{total} {unit} (100%)")
    assert all("|" not in line and "█" not in line for line in lines)
