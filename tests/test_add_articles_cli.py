"""`coveragebot add` with articles as people save them: copied from a page, old encodings, the seeds."""

from __future__ import annotations

import json
import os
import subprocess
import sys

STRIKE = "Port workers end three-week strike in Valparaíso"
BODY = ("Dockworkers in Valparaíso voted on Friday to end a three-week strike, the union said.\n\n"
        "Cranes were moving again by noon, the port authority said.")


def cli(*args: str, db) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGEBOT_")}
    return subprocess.run([sys.executable, "-m", "coveragebot.bot.terminal.cli", "--db", str(db), *args],
                          capture_output=True, text=True, env=env, timeout=180)


def test_add_copied_page_top_becomes_title_author_and_date(tmp_path):
    copied = tmp_path / "strike.txt"
    copied.write_text(f"{STRIKE}\nBy María José Fernández\nOctober 24, 2025\n\n{BODY}\n", encoding="utf-8")
    glued = tmp_path / "glued.txt"
    glued.write_text("Cranes idle in Callao By Ana Ruiz Oct. 24, 2025 10:32 AM ET\n\n"
                     "Cranes in Callao stood idle for a second day on Friday.\n", encoding="utf-8")
    db = tmp_path / "c.db"
    result = cli("add", str(copied), str(glued), db=db)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith(f"✓ Added #3 ‘{STRIKE}’ (María José Fernández, 2025-10-24): ")
    assert lines[1].startswith("✓ Added #4 ‘Cranes idle in Callao’ (Ana Ruiz, 2025-10-24): ")
    search = json.loads(cli("ask", "!search Valparaiso strike", "--json", db=db).stdout)
    passages = [r["text"] for r in search["results"]]
    assert passages and not any(STRIKE in p or "Fernández" in p for p in passages)
    article = search["results"][0]["article"]
    assert (article["title"], article["author"], article["published"]) == (STRIKE, "María José Fernández", "2025-10-24")


def test_add_header_form_file_keeps_every_field(tmp_path):
    note = tmp_path / "note.md"
    note.write_text("title: Harbour cranes idle\nAUTHOR: Ana Ruiz\nPublished: 24 October 2025\n"
                    "URL: https://example.org/cranes\nOutlet: Port Gazette\n\n"
                    "Cranes in Callao stood idle for a second day on Friday.\n", encoding="utf-8")
    result = cli("add", "--json", str(note), db=tmp_path / "c.db")
    assert result.returncode == 0, result.stderr
    [outcome] = json.loads(result.stdout)["outcomes"]
    assert outcome["article"] | {"id": 0} == {
        "id": 0, "key": "note", "title": "Harbour cranes idle", "outlet": "Port Gazette", "author": "Ana Ruiz",
        "url": "https://example.org/cranes", "published": "2025-10-24",
    }


def test_add_windows_1252_file_is_decoded_and_says_so_binary_is_refused(tmp_path):
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes(f"{STRIKE}\nBy María José Fernández\n\n{BODY}\n“We won,” a docker said.".encode("cp1252"))
    photo = tmp_path / "photo.txt"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    db = tmp_path / "c.db"
    result = cli("add", str(legacy), str(photo), db=db)
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith(f"✓ Added #3 ‘{STRIKE}’ (María José Fernández)")
    assert lines[0].endswith("Decoded as Windows-1252 (the file was not UTF-8).")
    assert lines[1] == "✗ photo.txt: not a text file (binary content)"
    search = json.loads(cli("ask", "!search docker won", "--json", db=db).stdout)
    assert "“We won,” a docker said." in [r["text"] for r in search["results"]]


def test_bundled_seeds_show_a_title_and_what_they_are(tmp_path):
    db = tmp_path / "c.db"
    sources = cli("ask", "!sources", db=db)
    assert sources.returncode == 0, sources.stderr
    assert "source unknown" not in sources.stdout
    assert ("#1 [000_17be2d3fc3a7a9ed] Colombian President Gustavo Petro has strongly rejected U.S. sanctions "
            "targeting him, his family, and key allies — bundled sample (outlet not recorded)") in sources.stdout
    assert ("#2 [004_c9b221dd130e149a] The US has placed sanctions on Colombia's left-wing president, "
            "Gustavo Petro — bundled sample (outlet not recorded)") in sources.stdout
    search = cli("ask", "!search cocaine production", db=db).stdout
    assert ("— The US has placed sanctions on Colombia's left-wing president, Gustavo Petro · "
            "bundled sample (outlet not recorded) · article #2 (004_c9b221dd130e149a)") in search
