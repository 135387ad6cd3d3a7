"""The package as `pip install .` lays it down, used with the checkout out of sight.

The repository is built into a wheel (the venv's own setuptools, no network) and installed
into a folder of its own (no dependencies: they come from this environment). A child process
started outside the checkout, with only that folder added to its path, then imports every
module, finds the bundled settings and seeds, runs the Discord bot's setup_hook and a
`!search` through dpytest, and the `coveragebot` console script answers a question.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "index", "config")  # folders; installed as coveragebot.<folder>
# What a build leaves in a source tree, and what it does not need: the wheel is built
# from a copy so that the checkout stays clean and no stale build/ folder leaks in.
NOT_BUILT_FROM = shutil.ignore_patterns(".git", ".venv", "venv", "build", "dist", "*.egg-info", "__pycache__",
                                        ".pytest_cache", "tests")


def run(command: list[str], **options) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=300, **options)


def source_modules() -> set[str]:
    """Dotted names of every module in the checkout's packages."""
    names = {"coveragebot"}  # coveragebot/__init__.py
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            names.add(".".join(["coveragebot", *(parts[:-1] if parts[-1] == "__init__" else parts)]))
    return names


def inside(path: str | Path, folder: Path) -> bool:
    return Path(path).resolve().is_relative_to(folder.resolve())


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The wheel installed into its own folder; the environment a child process needs to use it."""
    base = tmp_path_factory.mktemp("installed")
    shutil.copytree(ROOT, base / "source", ignore=NOT_BUILT_FROM)
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
                 "-w", str(base / "dist"), str(base / "source")])
    assert built.returncode == 0, built.stdout + built.stderr
    [wheel] = (base / "dist").glob("coveragebot-*.whl")
    site = base / "site"
    laid = run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target", str(site),
                str(wheel)])
    assert laid.returncode == 0, laid.stdout + laid.stderr
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGEBOT_")}
    env.update(PYTHONPATH=str(site), HOME=str(elsewhere), XDG_DATA_HOME=str(elsewhere / "data"))
    return {"site": site, "cwd": elsewhere, "env": env}


@pytest.fixture(scope="module")
def probe(installed):
    """What the child process saw: modules, data files, the bot's answer."""
    script = installed["cwd"] / "probe.py"  # run from a copy, so the script's folder is not the checkout
    shutil.copy(ROOT / "tests" / "_installed_probe.py", script)
    result = run([sys.executable, str(script), str(installed["cwd"])], cwd=installed["cwd"], env=installed["env"])
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


def test_the_child_cannot_see_the_checkout(probe):
    # The folder from which the checkout's packages would import is not on the path (a venv
    # inside the clone, as .ci/run makes, may be: its site-packages holds no source tree).
    assert ROOT.resolve() not in {Path(p).resolve() for p in probe["sys_path"] if p}


def test_every_module_of_the_checkout_is_installed_and_imports(probe, installed):
    assert set(probe["modules"]) == source_modules()
    assert "coveragebot.bot.chat.cogs.admin" in probe["modules"]
    everything = {**probe["modules"], **probe["loaded"]}
    outside = {name: path for name, path in everything.items() if not inside(path, installed["site"])}
    assert not outside, f"imported from outside the installed copy: {outside}"


def test_settings_and_seed_articles_come_with_the_package(probe, installed):
    assert inside(probe["config_dir"], installed["site"])
    assert Path(probe["config_dir"], "default.toml").is_file()
    seeds = [Path(p) for p in probe["seeds"]]
    assert [p.name for p in seeds] == sorted(p.name for p in (ROOT / "config" / "seeds").iterdir())
    assert all(inside(p, installed["site"]) for p in seeds)
    assert probe["default_prefix"] == "!"


def test_the_installed_bot_sets_up_its_cogs_and_answers_a_search(probe):
    answer = probe["discord"]
    assert set(answer["cogs"]) >= {"Query", "Admin", "Stats", "Errors"}
    assert answer["title"] == "Search: sanctions"
    assert "**sanction" in answer["description"].lower()


def test_the_installed_console_script_answers_from_outside_the_checkout(installed):
    exe = installed["site"] / "bin" / "coveragebot"
    result = run([str(exe), "ask", "!search sanctions", "--json"], cwd=installed["cwd"], env=installed["env"])
    assert result.returncode == 0, result.stderr[-3000:]
    answer = json.loads(result.stdout)
    assert answer["command"] == "search" and answer["result_count"] >= 2
    # A new database, seeded from the installed package's seeds, in the user's data folder.
    assert (installed["cwd"] / "data" / "coveragebot" / "coveragebot.db").is_file()
