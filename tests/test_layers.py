"""The import graph: one direction from front ends down to text, no circles, no Discord in index/."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOP = "coveragebot"  # the folders bot/ and index/ install as coveragebot.bot, coveragebot.index

# Higher layers may import lower ones, never the reverse. The first matching prefix wins.
LAYERS = [
    ("coveragebot.bot.terminal", 9),
    ("coveragebot.bot.chat", 8),
    ("coveragebot.bot.exits", 7),  # exit codes both front ends use
    ("coveragebot.bot", 9),  # bot/__init__.py and the bot.cli entry shim
    ("coveragebot.index.evaluation", 6),  # scoring, apart from the serving path
    ("coveragebot.index.archive", 5),  # archive import: drives the service, parses in worker processes
    ("coveragebot.index.feeds", 5),  # followed feeds: polls them and adds their entries through the service
    ("coveragebot.index.commands", 5),
    ("coveragebot.index.workspaces", 5),  # the store opened once, a service per workspace
    ("coveragebot.index.service", 4),
    ("coveragebot.index.replica", 3),  # follows the store's changes into a service's index
    ("coveragebot.index.analysis", 3),
    ("coveragebot.index.corrections", 3),
    ("coveragebot.index.watches", 3),  # watches: new coverage matched to a channel's person or phrase
    ("coveragebot.index.verify", 3),  # !verify: were these words printed, by whom, where
    ("coveragebot.index.quotes", 2),
    ("coveragebot.index.who", 2),
    ("coveragebot.index.ingest", 2),
    ("coveragebot.index.stats", 2),
    ("coveragebot.index.privacy", 2),
    ("coveragebot.index.search", 1),
    ("coveragebot.index.people", 1),  # the people registry: kinds, linking (the store runs it)
    ("coveragebot.index.storage", 1),
    ("coveragebot.index.text", 0),
    ("coveragebot.index.answers", 0),
    ("coveragebot.index.records", 0),
    ("coveragebot.index.settings", 0),
    ("coveragebot.index.workspace_names", 0),  # names, the server -> workspace setting, index folders
    ("coveragebot.index", 0),
]


def layer_of(module: str) -> int:
    return next(rank for prefix, rank in LAYERS if module == prefix or module.startswith(prefix + "."))


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join([TOP, *(parts[:-1] if parts[-1] == "__init__" else parts)])


def imports_of(path: Path) -> set[str]:
    """Every module this file imports, at the top or inside a function."""
    found = set()
    package = module_name(path).rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + [base]).strip(".")
            found.add(base)
            # `from coveragebot.index.who import query` imports the submodule index.who.query.
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


GRAPH = {
    module_name(path): imports_of(path)
    for top in ("index", "bot")
    for path in sorted((ROOT / top).rglob("*.py"))
}
OURS = set(GRAPH)


def our_imports(module: str) -> set[str]:
    return {name for name in GRAPH[module] if name in OURS and name != module}


@pytest.mark.parametrize("module", sorted(m for m in OURS if m.startswith("coveragebot.index")))
def test_the_engine_never_imports_discord_or_the_front_ends(module):
    outside = {name for name in GRAPH[module] if name.split(".")[0] == "discord" or name.split(".")[:2] == [TOP, "bot"]}
    assert not outside, f"{module} imports {sorted(outside)}"


@pytest.mark.parametrize("module", sorted(OURS))
def test_imports_point_down_the_layers(module):
    upward = {
        name for name in our_imports(module)
        if layer_of(name) > layer_of(module) and not module.startswith(name + ".")
    }
    assert not upward, f"{module} (layer {layer_of(module)}) imports higher layers: {sorted(upward)}"


def test_the_serving_path_never_imports_the_scoring_code():
    serving = [m for m in OURS if m.startswith("coveragebot.index") and not m.startswith("coveragebot.index.evaluation")]
    offenders = {m: sorted(n for n in our_imports(m) if n.startswith("coveragebot.index.evaluation")) for m in serving}
    assert not {m: n for m, n in offenders.items() if n}


def test_no_import_circles():
    # Package __init__ edges are left out: a package importing its own submodule is no circle.
    edges = {m: {n for n in our_imports(m) if not m.startswith(n + ".") and not n.startswith(m + ".")} for m in OURS}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(edges):
        if start not in state and (cycle := visit(start)):
            pytest.fail("import circle: " + " -> ".join(cycle))


def test_every_package_opens_with_a_docstring_of_what_it_holds_and_may_import():
    for init in sorted((ROOT / "index").rglob("__init__.py")) + sorted((ROOT / "bot").rglob("__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and "import" in doc, f"{init.relative_to(ROOT)} needs a docstring saying what it holds and may import"


def test_our_packages_are_imported_by_their_installed_names():
    # The wheel installs coveragebot.bot, coveragebot.index, coveragebot.config: a bare `index`
    # import works from a checkout only, and would be another distribution's package once installed.
    folders = ("bot", "index", "config", "tests", "benchmarks")
    bare = {}
    for path in sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py")):
        names = {name for name in imports_of(path) if name.split(".")[0] in ("bot", "index", "config")}
        if names:
            bare[str(path.relative_to(ROOT))] = sorted(names)
    assert not bare, f"import these as coveragebot.<name>: {bare}"
