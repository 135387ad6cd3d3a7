"""Run by tests/test_installed.py in a child process, from a folder outside the checkout.

    python _installed_probe.py WORKDIR

Imports every module of the installed coveragebot package (coveragebot.bot, .index, .config), finds the bundled
settings and seeds, builds the Discord bot, runs its setup_hook and one `!search` through
dpytest, and prints what it saw as one JSON object. The parent checks that all of it came
from the installed copy.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import pkgutil
import sys
from pathlib import Path

PACKAGES = ("coveragebot",)


def import_everything() -> dict[str, str]:
    """Every module of the installed packages: dotted name -> file."""
    found = {}
    for name in PACKAGES:
        package = importlib.import_module(name)
        found[name] = package.__file__
        for info in pkgutil.walk_packages(package.__path__, name + "."):
            found[info.name] = importlib.import_module(info.name).__file__
    return found


async def search_through_discord(workdir: Path) -> dict:
    """create_bot + setup_hook, then `!search sanctions` as a member types it."""
    import discord
    import discord.ext.test as dpytest

    from coveragebot import create_bot

    # One newsroom's bot: its server answers from `default`, where the seed articles are.
    bot = create_bot(db_path=workdir / "bot.db", intents=discord.Intents.all(), workspaces_default_servers=("*",))
    await bot._async_setup_hook()  # dpytest drives the bot without logging in
    await bot.setup_hook()
    dpytest.configure(bot)
    try:
        await dpytest.message("!search sanctions")
        embed = dpytest.get_embed()
        return {"cogs": sorted(bot.cogs), "title": embed.title, "description": embed.description}
    finally:
        await dpytest.empty_queue()
        await bot.workspaces.close()


def loaded_from() -> dict[str, str]:
    """Every module of our packages that this process holds, whoever imported it: name -> file."""
    return {name: getattr(module, "__file__", None) or "" for name, module in sys.modules.items()
            if name.split(".")[0] in PACKAGES}


def main(workdir: Path) -> None:
    # A developer's editable install of the checkout answers for modules the installed copy
    # lacks; without it, a module missing from the wheel fails here as it would for a user.
    sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in getattr(f, "__module__", "")]
    from coveragebot.index.settings import config_dir, load_settings, seed_files

    report = {
        "sys_path": sys.path,
        "modules": import_everything(),
        "config_dir": str(config_dir()),
        "seeds": [str(p) for p in seed_files()],
        "default_prefix": load_settings(env={}).bot_prefix,
        "discord": asyncio.run(search_through_discord(workdir)),
    }
    report["loaded"] = loaded_from()
    print(json.dumps(report))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
