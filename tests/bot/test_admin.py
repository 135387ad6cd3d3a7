"""Moderator commands: refused politely to members, done for moderators."""

from __future__ import annotations

import logging

import discord
import discord.ext.test as dpytest
import pytest
from discord.ext import commands

from coveragebot.bot.chat.cogs._reply import NotModerator, is_moderator
from tests.bot.fixtures import log_rows, make_role


async def test_member_without_role_is_refused_and_logged(bot, caplog):
    caplog.set_level(logging.INFO, logger="coveragebot.bot.chat.cogs.errors")
    with pytest.raises(NotModerator):
        await dpytest.message("!remove 1")
    assert dpytest.get_message().content == "Sorry, only moderators can do that (Manage Server or a moderator role)."
    assert await bot.service.store.scalar("SELECT count(*) FROM articles WHERE id = 1 /* every workspace */") == 1
    assert any("refused remove" in r.getMessage() for r in caplog.records)
    rows = await log_rows(bot)
    assert rows[-1]["command"] == "remove" and rows[-1]["ok"] == 0


async def test_moderator_role_may_remove(bot, moderator):
    await dpytest.message("!remove 1")
    assert dpytest.get_message().content.startswith("Removed #1 ‘Colombian President Gustavo Petro")
    await dpytest.message("!search Bogota")
    assert "No passages match" in dpytest.get_message().content
    audit = await bot.service.store.rows("SELECT actor, action FROM audit WHERE action = 'remove' /* every workspace */")
    assert audit[0]["actor"] == f"discord:{moderator.id}"


async def test_manage_server_permission_is_enough(bot, member):
    role = make_role("Staff", member.guild, permissions=discord.Permissions(manage_guild=True).value)
    await dpytest.add_role(member, role)
    assert is_moderator(member, bot.settings)


async def test_role_id_in_config_counts(bot, member):
    role = make_role("Desk", member.guild)
    await dpytest.add_role(member, role)
    assert not is_moderator(member, bot.settings)
    settings = bot.settings.__class__(**{**bot.settings.__dict__, "bot_moderator_roles": (str(role.id),)})
    assert is_moderator(member, settings)


async def test_reindex_by_moderator(bot, moderator):
    await dpytest.message("!reindex")
    assert dpytest.get_message().content == "Re-indexed 2 articles (36 passages)."


async def test_remove_unknown_id_is_a_short_refusal(bot, moderator):
    await dpytest.message("!remove 999")
    assert dpytest.get_message().content == "There is no article #999; `sources` lists them."


async def test_failing_command_shows_short_error_and_logs_traceback(bot, caplog, monkeypatch):
    async def explode(query, limit=None):
        raise RuntimeError("index exploded")

    monkeypatch.setattr(bot.service, "search", explode)
    caplog.set_level(logging.ERROR)
    with pytest.raises(commands.CommandInvokeError):
        await dpytest.message("!search anything")
    reply = dpytest.get_message().content
    assert reply.startswith("Something went wrong running `search` (incident ")
    assert "index exploded" not in reply and "Traceback" not in reply
    record = next(r for r in caplog.records if "incident" in r.getMessage())
    assert record.exc_info and "index exploded" in str(record.exc_info[1])
    rows = await log_rows(bot)
    assert rows[-1]["command"] == "search" and rows[-1]["ok"] == 0 and "index exploded" in rows[-1]["error"]


async def test_slash_commands_are_registered_with_described_parameters(bot):
    tree = {c.name: c for c in bot.tree.get_commands()}
    assert {"search", "sources", "context", "who", "quotes", "people", "help", "add", "remove", "reindex"} <= set(tree)
    search = tree["search"]
    [query] = search.parameters
    assert query.name == "query" and "cocaine production" in query.description
    add = tree["add"]
    params = {p.name: p for p in add.parameters}
    assert params["file"].type == discord.AppCommandOptionType.attachment and not params["file"].required
    assert all(c.description for c in tree.values())


async def test_hashed_ids_reach_the_audit_and_the_log(bot, moderator):
    hashed = bot.settings.__class__(**{**bot.settings.__dict__, "privacy_hash_user_ids": True})
    bot.settings = hashed
    bot.service.settings = hashed
    for cog in bot.cogs.values():
        if hasattr(cog, "settings"):
            cog.settings = hashed
    await dpytest.message("!remove 1")
    dpytest.get_message()
    [audit] = await bot.service.store.rows("SELECT actor FROM audit WHERE action = 'remove' /* every workspace */")
    assert audit["actor"].startswith("discord:h:") and str(moderator.id) not in audit["actor"]
    rows = await log_rows(bot)
    assert rows[-1]["user_id"].startswith("h:") and str(moderator.id) not in rows[-1]["user_id"]
