"""Servers and workspaces, through the real bot: two and three servers, direct messages, moderators.

Each server reads and writes its own workspace unless a setting maps several to one;
nothing one server's members can see draws on another's coverage, and no moderator
reaches past their own server's workspace.
"""

from __future__ import annotations

import discord
import discord.ext.test as dpytest
import pytest
from discord.ext import commands

from coveragebot.bot.chat.servers import NO_DIRECT_MESSAGES, NOT_SET_UP, NotServed
from coveragebot.bot.chat.cogs._reply import NotModerator
from coveragebot.index.settings import with_overrides
from tests.bot.test_editor_tools import autocomplete_interaction
from tests.bot.fixtures import driven_bot, make_role

HARBOUR = ("Harbour strike ends\nThe union sanctioned the harbour board on Friday, said Maria Alvarez.\n\n"
           "\u201cWe will not go back to the docks,\u201d Alvarez said.")
MINE = ("Mine closure ordered\nThe ministry sanctioned the mining company on Monday, said Jonas Berg.\n\n"
        "\u201cThe mine stays closed until the inspectors return,\u201d Berg said.")
HARBOUR_ONLY = ("Harbour strike ends", "Maria", "Alvarez", "docks", "union")
MINE_ONLY = ("Mine closure ordered", "Jonas", "Berg", "inspectors", "ministry")
QUESTIONS = ("!search sanctioned", "!sources", "!who sanctioned", "!quotes Berg", "!quotes Alvarez", "!people",
             "!search docks", "!search inspectors", "!help")


@pytest.fixture(autouse=True)
def attachments_in_tmp(tmp_path, monkeypatch):
    # dpytest writes every sent attachment to ./dpytest_<n>.dat in the working folder.
    monkeypatch.chdir(tmp_path)


@pytest.fixture(params=["sqlite", "postgres"])
async def servers(request, tmp_path):
    """A bot in two servers, A and B, each with two members, every server its own workspace."""
    options = {}
    url = None
    if request.param == "postgres":
        server = request.getfixturevalue("postgres_server")
        url = server.new_database()
        options = {"storage_url": url, "storage_index": str(tmp_path / "replica")}
    async with driven_bot(tmp_path / "bot.db", workspaces_default_servers=(), guilds=["A", "B"],
                          members=["alice", "bob"], bot_cooldown_rate=100, **options) as built:
        yield built
    if url:
        request.getfixturevalue("postgres_server").drop_database(url)


def said() -> str:
    """The bot's next message, content and embed, as one text."""
    message = dpytest.get_message()
    parts = [message.content or ""]
    for embed in message.embeds:
        parts += [embed.title or "", embed.description or "", embed.footer.text or ""]
        parts += [f"{f.name} {f.value}" for f in embed.fields]
    return "\n".join(parts)


def layout():
    """(guild A, guild B, [A's members], [B's members], A's text channel, B's text channel)."""
    config = dpytest.get_config()
    a, b = config.guilds[:2]
    members = config.members
    text = [c for c in config.channels if isinstance(c, discord.TextChannel)]
    return a, b, [m for m in members if m.guild == a], [m for m in members if m.guild == b], text[0], text[1]


async def moderate(member) -> None:
    await dpytest.add_role(member, make_role("Moderator", member.guild, permissions=8))


async def ask(text: str, channel, member) -> str:
    await dpytest.message(text, channel=channel, member=member)
    return said()


async def test_no_answer_in_one_server_draws_on_anothers_coverage(servers):
    a, b, (alice_a, bob_a), (alice_b, bob_b), chan_a, chan_b = layout()
    await moderate(alice_a)
    await moderate(alice_b)
    assert "Added #" in await ask("!add " + HARBOUR, chan_a, alice_a)
    assert "Added #" in await ask("!add " + MINE, chan_b, alice_b)
    for question in QUESTIONS:
        for channel, member, foreign in ((chan_a, bob_a, MINE_ONLY), (chan_b, bob_b, HARBOUR_ONLY)):
            shown = await ask(question, channel, member)
            leaked = [w for w in foreign if w in shown and w.lower() not in question.lower()]
            assert not leaked, (question, channel.guild.name, leaked)
    assert "Alvarez" in await ask("!quotes Alvarez", chan_a, bob_a)
    assert "ministry" in await ask("!who sanctioned", chan_b, bob_b)
    # Passage ids of the other server's articles are "not found", exactly as a missing one.
    theirs = await servers.workspaces.service(f"server-{b.id}")
    [passage] = [s.id for s in await theirs.store.all_sentences()][:1]
    assert await ask(f"!context {passage}", chan_a, bob_a) == f"There is no passage #{passage}."
    # Autocomplete offers only the asker's own speakers and articles.
    query = servers.get_cog("Query")
    speakers = await query.quotes_person(autocomplete_interaction(servers, bob_a, chan_a, "quotes", "person", ""), "")
    assert [c.value for c in speakers] == ["Maria Alvarez"]
    articles = await query.context_passage(autocomplete_interaction(servers, bob_b, chan_b, "context", "passage", ""), "")
    assert [c.name.split(" ", 1)[1] for c in articles] == ["Mine closure ordered"]
    # Each server's stats and export hold its own questions only.
    await ask("!search lighthouse", chan_a, bob_a)
    await ask("!search quarry", chan_b, bob_b)
    for channel, moderator, mine, theirs in ((chan_a, alice_a, "lighthouse", "quarry"),
                                             (chan_b, alice_b, "quarry", "lighthouse")):
        gaps = await ask("!stats gaps 24h", channel, moderator)
        assert mine in gaps and theirs not in gaps
        await dpytest.message("!stats export 24h", channel=channel, member=moderator)
        [attachment] = dpytest.get_message().attachments
        exported = (await attachment.read()).decode("utf-8")
        assert mine in exported and theirs not in exported
    logs = {w: await (await servers.workspaces.service(w)).store.scalar(
        "SELECT count(*) FROM query_log WHERE workspace = ? AND guild_id <> ?", (w, str(g.id)))
        for w, g in ((f"server-{a.id}", a), (f"server-{b.id}", b))}
    assert logs == {f"server-{a.id}": 0, f"server-{b.id}": 0}
    # Nothing went into `default`, which holds the seed articles alone.
    assert len(await servers.service.store.article_ids()) == 2


async def test_a_moderator_of_one_server_cannot_change_anothers_coverage(servers):
    a, b, (alice_a, bob_a), (alice_b, bob_b), chan_a, chan_b = layout()
    await moderate(alice_a)
    await moderate(alice_b)
    await ask("!add " + HARBOUR, chan_a, alice_a)
    harbour = await servers.workspaces.service(f"server-{a.id}")
    [article] = await harbour.store.article_ids()
    [statement] = [r[0] for r in await harbour.store.tuples(
        "SELECT id FROM statements WHERE workspace = ? ORDER BY id LIMIT 1", (harbour.store.workspace,))]
    assert await ask(f"!remove {article}", chan_b, alice_b) == f"There is no article #{article}; `sources` lists them."
    assert "no statement" in await ask(f"!fix speaker {statement} Someone Else", chan_b, alice_b)
    assert "Re-indexed 0 articles" in await ask("!reindex", chan_b, alice_b)
    assert await harbour.store.article_ids() == [article]
    assert await harbour.store.corrections() == []
    assert [r[0] for r in await harbour.store.tuples(
        "SELECT action FROM audit WHERE workspace = ?", (harbour.store.workspace,))] == ["add"]
    # A's moderator, joining B, is a plain member there.
    visitor = await dpytest.member_join(b, alice_a._user)
    with pytest.raises(NotModerator):
        await dpytest.message("!remove 1", channel=chan_b, member=visitor)
    assert said().startswith("Sorry, only moderators")


async def test_servers_mapped_to_one_workspace_share_it_and_a_third_does_not(tmp_path):
    async with driven_bot(tmp_path / "bot.db", workspaces_default_servers=(), guilds=["Main", "Desk", "Other"],
                          members=["editor", "reporter"], bot_cooldown_rate=100) as built:
        config = dpytest.get_config()
        main, desk, other = config.guilds
        built.settings = with_overrides(built.settings, workspaces_servers=(f"{main.id}=harbour-times",
                                                                           f"{desk.id}=harbour-times"))
        text = {c.guild: c for c in config.channels if isinstance(c, discord.TextChannel)}
        people = {m.guild: m for m in config.members if m.name == "editor"}
        await moderate(people[main])
        assert "Added #" in await ask("!add " + HARBOUR, text[main], people[main])
        assert "Alvarez" in await ask("!quotes Alvarez", text[desk], people[desk])
        assert "Harbour strike ends" in await ask("!sources", text[desk], people[desk])
        assert "No passages match" in await ask("!search docks", text[other], people[other])
        assert built.workspaces.opened() == ["default", "harbour-times", f"server-{other.id}"]


async def test_direct_messages_are_refused_by_default_and_nothing_is_logged(servers):
    a, b, (alice_a, _), _, chan_a, _ = layout()
    before = await servers.service.store.scalar("SELECT count(*) FROM query_log /* every workspace */")
    dm = await alice_a.create_dm()
    with pytest.raises(NotServed):
        await dpytest.message("!search sanctions", channel=dm, member=alice_a)
    assert said() == NO_DIRECT_MESSAGES
    with pytest.raises(commands.CommandNotFound):
        await dpytest.message("!nosuchcommand", channel=dm, member=alice_a)
    assert said() == NO_DIRECT_MESSAGES
    assert servers.refused_direct_messages == 2
    assert await servers.service.store.scalar("SELECT count(*) FROM query_log /* every workspace */") == before
    assert servers.workspaces.opened() == ["default"]


def unknown_members_are_not_found(monkeypatch) -> None:
    """dpytest's fake HTTP fails on a user who is not a member; Discord answers 404 Unknown Member."""
    from discord.ext.test.backend import FakeHttp

    original = FakeHttp.get_member

    async def get_member(self, guild_id, member_id):
        guild = self.state._get_guild(int(guild_id))
        if guild is None or guild.get_member(int(member_id)) is None:
            raise discord.NotFound(type("Response", (), {"status": 404, "reason": "Not Found"})(),
                                   {"code": 10007, "message": "Unknown Member"})
        return await original(self, guild_id, member_id)

    monkeypatch.setattr(FakeHttp, "get_member", get_member)


async def test_direct_messages_answer_members_of_the_one_server_configured(servers, monkeypatch):
    unknown_members_are_not_found(monkeypatch)
    a, b, (alice_a, _), (alice_b, _), chan_a, _ = layout()
    await moderate(alice_a)
    await ask("!add " + HARBOUR, chan_a, alice_a)
    servers.settings = with_overrides(servers.settings, bot_direct_messages_server=a.id)
    dm = await alice_a.create_dm()
    await dpytest.message("!quotes Alvarez", channel=dm, member=alice_a)
    assert "Alvarez" in said()
    # A moderator's commands stay in the server: a DM has no roles.
    with pytest.raises(NotModerator):
        await dpytest.message("!remove 1", channel=dm, member=alice_a)
    said()
    stranger = await alice_b.create_dm()
    with pytest.raises(NotServed):
        await dpytest.message("!quotes Alvarez", channel=stranger, member=alice_b)
    assert said() == NO_DIRECT_MESSAGES


async def test_a_server_off_the_allow_list_gets_one_line_and_stores_nothing(servers, monkeypatch):
    a, b, _, (alice_b, _), _, chan_b = layout()
    servers.settings = with_overrides(servers.settings, bot_allowed_servers=(str(a.id),))
    before = await servers.service.store.scalar("SELECT count(*) FROM query_log /* every workspace */")
    with pytest.raises(NotServed):
        await dpytest.message("!search sanctions", channel=chan_b, member=alice_b)
    assert said() == NOT_SET_UP
    assert await servers.service.store.scalar("SELECT count(*) FROM query_log /* every workspace */") == before
    assert f"server-{b.id}" not in servers.workspaces.opened()
    # Told to leave such servers, the bot leaves instead of answering.
    left = []

    async def leave_guild(self, guild_id, *args, **kwargs):
        left.append(int(guild_id))

    from discord.ext.test.backend import FakeHttp

    monkeypatch.setattr(FakeHttp, "leave_guild", leave_guild, raising=False)
    servers.settings = with_overrides(servers.settings, bot_other_servers="leave")
    with pytest.raises(NotServed):
        await dpytest.message("!search sanctions", channel=chan_b, member=alice_b)
    assert left == [b.id]
    assert dpytest.verify().message().nothing()
    # And a server that invites it is left at once; an allowed one is not.
    await servers.on_guild_join(b)
    await servers.on_guild_join(a)
    assert left == [b.id, b.id]


async def test_a_moderator_role_given_by_id_matches_that_role_only(servers):
    a, _, (alice_a, bob_a), _, _, _ = layout()
    from coveragebot.bot.chat.cogs._reply import is_moderator

    desk = make_role("Desk", a)
    impostor = make_role("7777", a)  # a role *named* like the id in the setting
    await dpytest.add_role(alice_a, desk)
    await dpytest.add_role(bob_a, impostor)
    settings = with_overrides(servers.settings, bot_moderator_roles=(str(desk.id), "7777"))
    assert is_moderator(alice_a, settings)
    assert not is_moderator(bob_a, settings)


async def test_watches_and_verify_draw_only_on_their_own_servers_coverage(servers):
    a, b, (alice_a, bob_a), (alice_b, bob_b), chan_a, chan_b = layout()
    await moderate(alice_a)
    await moderate(alice_b)
    assert (await ask("!watch Maria Alvarez", chan_a, alice_a)).startswith("Watch #")
    assert "no watches" in (await ask("!watch list", chan_b, alice_b)).lower()
    # The same story added in B neither fires A's watch nor is verifiable from A.
    assert "Added #" in await ask("!add " + HARBOUR, chan_b, alice_b)
    watches = servers.get_cog("Watches")
    assert await watches.post_alerts() == 0
    assert "not found" in (await ask('!verify "We will not go back to the docks"', chan_a, bob_a)).lower()
    assert "verbatim" in (await ask('!verify "We will not go back to the docks"', chan_b, bob_b)).lower()
    # Added in A, it fires in A's channel, once.
    assert "Added #" in await ask("!add " + HARBOUR, chan_a, alice_a)
    assert await watches.post_alerts() == 1
    alert = dpytest.get_message()
    assert alert.channel == chan_a and "Maria Alvarez" in alert.content
    assert await watches.post_alerts() == 0
