"""The wheel installed beside another distribution that ships top-level `config` and `index` packages.

Both wheels are built here (offline, with this environment's setuptools) and installed together
into one fresh folder, as pip would lay them down in a user's environment. Our wheel holds only
`coveragebot` (its bot/, index/ and config/ folders install as coveragebot.bot, coveragebot.index,
coveragebot.config), so neither distribution replaces the other's files: the other one's
`import config` and `import index` give its own modules, and `coveragebot ask` answers from ours.
"""

from __future__ import annotations

import configparser
import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOT_BUILT_FROM = shutil.ignore_patterns(".git", ".venv", "venv", "build", "dist", "*.egg-info", "__pycache__",
                                        ".pytest_cache", "tests")
# The other distribution: top-level packages named like our folders, each with a settings module.
THEIRS = ("config", "index")
OTHER_PYPROJECT = """\
[build-system]
requires = ["setuptools"]
build-backend = "setuptools.build_meta"

[project]
name = "other-config"
version = "1.0"

[tool.setuptools]
packages = ["config", "index"]
"""
# Run in the fresh environment: the other distribution's packages, then ours, then theirs again.
CHILD = textwrap.dedent("""\
    import importlib, json, sys

    def theirs():
        return {name: {"file": importlib.import_module(name).__file__,
                       "owner": importlib.import_module(name).OWNER,
                       "settings": importlib.import_module(name + ".settings").OWNER} for name in sys.argv[1:]}

    before = theirs()
    from coveragebot import create_bot
    from coveragebot.index.settings import config_dir, load_settings, seed_files

    print(json.dumps({
        "before": before,
        "create_bot": sys.modules[create_bot.__module__].__file__,
        "config_dir": str(config_dir()),
        "seeds": len(seed_files()),
        "prefix": load_settings(env={}).bot_prefix,
        "after": theirs(),
        "top_level_bot_loaded": "bot" in sys.modules,
    }))
""")


def run(command: list[str], **options) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=300, **options)


def build_wheel(source: Path, dist: Path) -> Path:
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
                 "-w", str(dist), str(source)])
    assert built.returncode == 0, built.stdout + built.stderr
    [wheel] = dist.glob("*.whl")
    return wheel


def inside(path: str | Path, folder: Path) -> bool:
    return Path(path).resolve().is_relative_to(folder.resolve())


@pytest.fixture(scope="module")
def together(tmp_path_factory):
    """Our wheel and the other distribution's, installed into one fresh folder; the child's environment."""
    base = tmp_path_factory.mktemp("together")
    shutil.copytree(ROOT, base / "ours", ignore=NOT_BUILT_FROM)
    other = base / "theirs"
    other.mkdir()
    (other / "pyproject.toml").write_text(OTHER_PYPROJECT)
    for name in THEIRS:
        (other / name).mkdir()
        (other / name / "__init__.py").write_text(f'OWNER = "other-config {name}"\n')
        (other / name / "settings.py").write_text(f'OWNER = "other-config {name} settings"\n')
    ours = build_wheel(base / "ours", base / "dist-ours")
    theirs = build_wheel(other, base / "dist-theirs")
    site = base / "site"
    laid = run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target", str(site),
                str(ours), str(theirs)])
    assert laid.returncode == 0, laid.stdout + laid.stderr
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGEBOT_")}
    env.update(PYTHONPATH=str(site), HOME=str(elsewhere), XDG_DATA_HOME=str(elsewhere / "data"))
    return {"wheel": ours, "site": site, "cwd": elsewhere, "env": env}


def test_the_wheel_holds_one_top_level_package(together):
    with zipfile.ZipFile(together["wheel"]) as wheel:
        tops = {name.split("/")[0] for name in wheel.namelist()}
        entry_points = configparser.ConfigParser()
        entry_points.read_string(wheel.read(next(n for n in wheel.namelist() if n.endswith("/entry_points.txt"))).decode())
    assert {top for top in tops if not top.endswith(".dist-info")} == {"coveragebot"}
    # External scorers start the product by this name in this group.
    assert entry_points["console_scripts"]["coveragebot"] == "coveragebot.bot.cli:main"


def test_the_other_distributions_config_and_index_stay_its_own(together):
    child = together["cwd"] / "child.py"
    child.write_text(CHILD)
    result = run([sys.executable, str(child), *THEIRS], cwd=together["cwd"], env=together["env"])
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.splitlines()[-1])
    for name in THEIRS:
        for moment in ("before", "after"):
            module = seen[moment][name]
            assert module["owner"] == f"other-config {name}" and module["settings"] == f"other-config {name} settings"
            assert Path(module["file"]).resolve() == (together["site"] / name / "__init__.py").resolve()
    # ...while ours imports, finds its settings and seeds, all from coveragebot/ in the same folder.
    ours = together["site"] / "coveragebot"
    assert inside(seen["create_bot"], ours) and inside(seen["config_dir"], ours)
    assert seen["seeds"] == len(list((ROOT / "config" / "seeds").glob("*.txt")))
    assert seen["prefix"] == "!" and not seen["top_level_bot_loaded"]


def test_coveragebot_ask_answers_beside_the_other_distribution(together):
    exe = together["site"] / "bin" / "coveragebot"
    result = run([str(exe), "ask", "!search sanctions against Petro", "--json"], cwd=together["cwd"],
                 env=together["env"])
    assert result.returncode == 0, result.stderr[-3000:]
    answer = json.loads(result.stdout)
    assert answer["command"] == "search" and answer["result_count"] >= 1
    assert any("sanction" in r["text"].lower() for r in answer["results"]), answer["results"][:2]
