"""`!stats` in Discord (dpytest) and `coveragebot stats` in a terminal, on known log rows."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import discord
import discord.ext.test as dpytest
import pytest

from tests.bot.fixtures import driven_bot
from coveragebot.bot.chat.cogs._reply import NotModerator
from coveragebot.bot.chat.render_stats import CHART_FILENAME, stats_pages, stats_text
from coveragebot.index.service import Service
from coveragebot.index.settings import load_settings
from coveragebot.index.stats import stats_answer, utc_text

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SECRET_USER = "u-secret-417"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def attachments_in_tmp(tmp_path, monkeypatch):
    # dpytest writes every sent attachment to ./dpytest_<n>.dat in the working folder.
    monkeypatch.chdir(tmp_path)


@pytest.fixture(autouse=True)
def files_keep_their_message(monkeypatch):
    """dpytest 0.7.0 drops content and embeds of a message sent with files: keep them.

    discord.py moves the message into a multipart `payload_json` part when files are
    attached; dpytest reads only the plain payload. This restores it, nothing else.
    """
    from discord.ext.test.backend import FakeHttp

    original = FakeHttp.send_message

    async def send_message(self, channel_id, *, params):
        # dpytest looks up `channel` in its caller's frame: this wrapper must hold it too.
        channel = sys._getframe(1).f_locals.get("channel")
        assert channel is not None
        if params.payload is None and params.multipart:
            params = params._replace(payload=json.loads(params.multipart[0]["value"]))
        return await original(self, channel_id, params=params)

    monkeypatch.setattr(FakeHttp, "send_message", send_message)


async def fill_log(store, guild_id: str, channel_id: str) -> list[int]:
    """Five of this server's questions in the last day, plus one from another server."""
    now = datetime.now(timezone.utc)
    rows = [
        ("search", "Petro sanctions", 7, channel_id, guild_id),
        ("search", "petro  SANCTIONS", 3, channel_id, guild_id),
        ("search", "Bogotá protests", 0, channel_id, guild_id),
        ("quotes", "Bessent about cocaine", 2, channel_id, guild_id),
        ("quotes", "Bessent", 0, "555", guild_id),
        ("search", "another newsroom's secret", 0, "777", "999"),
    ]
    ids = []
    for minutes, (command, query, found, channel, guild) in enumerate(rows, start=1):
        cursor = await store.db.execute(
            "INSERT INTO query_log (at, frontend, guild_id, channel_id, user_id, command, query, result_count)"
            " VALUES (?, 'discord', ?, ?, ?, ?, ?, ?) /* every workspace */",
            (utc_text(now - timedelta(minutes=90 - minutes)), guild, channel, SECRET_USER, command, query, found))
        ids.append(cursor.lastrowid)
    return ids


def where():
    config = dpytest.get_config()
    return str(config.guilds[0].id), str(config.channels[0].id)


def embed_text(embed: discord.Embed) -> str:
    return " ".join([embed.title or "", embed.description or "", embed.footer.text or ""]
                    + [f"{f.name} {f.value}" for f in embed.fields])


async def test_moderator_gets_the_chart_and_this_servers_counts(bot, moderator):
    guild_id, channel_id = where()
    await fill_log(bot.service.store, guild_id, channel_id)
    await dpytest.message("!stats")
    message = dpytest.get_message()
    [attachment] = message.attachments
    assert attachment.filename == CHART_FILENAME
    assert (await attachment.read()).startswith(PNG_MAGIC)
    embed = message.embeds[0]
    assert embed.image.url == f"attachment://{CHART_FILENAME}"
    assert embed.description.startswith("**5** queries · 2 found nothing (`!stats gaps`)")
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Top queries"].splitlines()[0] == "**2×** petro SANCTIONS · *search*"
    assert fields["People asked about (!quotes)"] == "**2×** Bessent"
    assert fields["Busiest channels"] == f"**4** in <#{channel_id}>\n**1** in <#555>"
    text = embed_text(embed)
    assert "another newsroom" not in text and "777" not in text
    assert SECRET_USER not in text and str(moderator.id) not in text


async def test_member_is_refused_while_stats_are_for_moderators(bot, member):
    with pytest.raises(NotModerator):
        await dpytest.message("!stats")
    assert dpytest.get_message().content == "Sorry, only moderators can do that (Manage Server or a moderator role)."
    row = (await bot.service.store.rows("SELECT command, ok FROM query_log ORDER BY id DESC LIMIT 1 /* every workspace */"))[0]
    assert (row["command"], row["ok"]) == ("stats", 0)


@pytest.fixture
async def open_stats_bot(tmp_path):
    async with driven_bot(tmp_path / "open.db", bot_stats_moderators_only=False,
                          storage_seed_on_first_use=False) as built:
        yield built


async def test_stats_open_to_everyone_when_configured(open_stats_bot):
    guild_id, channel_id = where()
    await fill_log(open_stats_bot.service.store, guild_id, channel_id)
    await dpytest.message("!stats gaps")
    embed = dpytest.get_message().embeds[0]
    assert embed.title.startswith("Coverage gaps: last 7d")
    lines = embed.description.splitlines()
    assert lines[0] == "**Asked, found nothing** — 2 of 5 queries"
    assert lines[1].startswith("**1×** Bessent — quotes · last ")
    assert lines[2].startswith("**1×** Bogotá protests — search · last ")
    assert "**Long answers nobody paged** — more than 5 results, never a click on Next: 1 of 1 such answers" in embed.description
    assert "**1×** Petro sanctions — search" in embed.description


async def test_export_attaches_this_servers_rows_as_csv(bot, moderator):
    guild_id, channel_id = where()
    ids = await fill_log(bot.service.store, guild_id, channel_id)
    await dpytest.message("!stats export")
    message = dpytest.get_message()
    assert message.content.startswith("CSV of 5 log rows, last 7d")
    [attachment] = message.attachments
    assert attachment.filename.startswith("coveragebot-log-") and attachment.filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO((await attachment.read()).decode("utf-8"))))
    stored = await bot.service.store.rows(
        "SELECT id, command, query, channel_id FROM query_log WHERE id IN (?, ?, ?, ?, ?) ORDER BY at /* every workspace */", ids[:5])
    assert [(r["id"], r["command"], r["query"], r["channel_id"]) for r in rows] == [
        (str(s["id"]), s["command"], s["query"], s["channel_id"]) for s in stored]
    assert "user_id" not in rows[0] and all(SECRET_USER not in v for r in rows for v in r.values())


async def test_a_bad_period_gets_usage(bot, moderator):
    await dpytest.message("!stats 7w")
    assert dpytest.get_message().content.startswith("Usage: `!stats [gaps|export] [24h|7d|30d]`")


async def test_stats_is_a_slash_command_too(bot):
    tree = {c.name: c for c in bot.tree.get_commands()}
    [options] = tree["stats"].parameters
    assert options.name == "options" and "30d" in options.description


async def test_text_rendering_has_the_table_and_no_user_ids(empty_service):
    store = empty_service.store
    await fill_log(store, "1", "10")
    overview = await stats_answer(empty_service, "overview", "7d", chart=False)
    text = stats_text(overview)
    assert "Query log, last 7d" in text and "6 queries, 3 found nothing, 0 refused or failed." in text
    assert "day" in text.splitlines()[2] and "search" in text.splitlines()[2]
    gaps = await stats_answer(empty_service, "gaps", "7d")
    for rendered in (text, stats_text(gaps), str(stats_pages(overview)[0].embed.to_dict()),
                     str(stats_pages(gaps)[0].embed.to_dict())):
        assert SECRET_USER not in rendered


# -- the terminal ------------------------------------------------------------------

def cli(*args: str) -> subprocess.CompletedProcess:
    """`coveragebot …` as a user runs it, on a database that is not seeded (no spaCy needed)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGEBOT_")}
    env["COVERAGEBOT_STORAGE_SEED_ON_FIRST_USE"] = "false"
    return subprocess.run([sys.executable, "-m", "coveragebot.bot.terminal.cli", *args], capture_output=True, text=True, env=env,
                          timeout=120, cwd=ROOT)


def test_cli_writes_a_png_chart_and_the_csv(tmp_path):
    db = tmp_path / "cli.db"

    async def prepare():
        service = await Service.open(load_settings(env={}, storage_db=str(db)), seed=False)
        try:
            await fill_log(service.store, "1", "10")
        finally:
            await service.close()

    asyncio.run(prepare())
    result = cli("--db", str(db), "stats", "--since", "30d", "--png", str(tmp_path / "x.png"),
                 "--csv", str(tmp_path / "y.csv"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "x.png").read_bytes().startswith(PNG_MAGIC)
    rows = list(csv.DictReader((tmp_path / "y.csv").open(encoding="utf-8")))
    assert len(rows) == 6 and {r["guild_id"] for r in rows} == {"1", "999"}  # the terminal sees every server
    assert "Query log, last 30d" in result.stdout and "6 queries" in result.stdout
    assert "Asked, found nothing (3 of 6 queries" in result.stdout
    assert f"6 log rows written to {tmp_path / 'y.csv'}" in result.stdout
    assert SECRET_USER not in result.stdout + (tmp_path / "y.csv").read_text(encoding="utf-8")


def test_cli_refuses_a_bad_period_with_usage_exit_code(tmp_path):
    result = cli("--db", str(tmp_path / "c.db"), "stats", "--since", "2w")
    assert result.returncode == 2 and "A period is a number of days or hours" in result.stderr
