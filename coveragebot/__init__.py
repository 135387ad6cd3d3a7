"""coveragebot, the one top-level package the wheel installs.

The repository keeps the design's folders at its root (bot/, index/, config/); the wheel installs
them as coveragebot.bot, coveragebot.index and coveragebot.config (setup.py maps them), so no other
distribution's `bot`, `index` or `config` package can replace ours or be replaced by it.
`from coveragebot import create_bot` builds the Discord bot.

May import: coveragebot.bot (for create_bot, on first use only, so the terminal starts without discord.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["create_bot"]

_FOLDERS = ("bot", "index", "config")


def _checkout_root() -> Path | None:
    """The repository root when this package is the checkout's coveragebot/ folder, else None."""
    here = Path(__file__).resolve().parent
    if any((here / folder).is_dir() for folder in _FOLDERS):
        return None  # an installed wheel: the subpackages sit inside this folder
    root = here.parent
    if (root / "pyproject.toml").is_file() and all((root / f / "__init__.py").is_file() for f in _FOLDERS):
        return root
    return None


# From a checkout (PYTHONPATH=<repo>, or an editable install), coveragebot.index is <repo>/index:
# the root's folders are this package's subpackages, as the wheel lays them out.
if (_root := _checkout_root()) is not None:
    __path__.append(str(_root))


def __getattr__(name: str) -> Any:
    if name == "create_bot":
        from coveragebot.bot import create_bot

        return create_bot
    raise AttributeError(name)
