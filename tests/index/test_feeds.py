"""Following feeds against a real HTTP server on 127.0.0.1, on both backends: RSS 2.0, RSS 1.0,
Atom and a Google News sitemap; a 304; a changed entry; a broken, a slow and a redirecting
feed; the lease that lets one poller at a time; the audit of every poll."""

from __future__ import annotations

import json
import time
from dataclasses import replace

import pytest
import pytest_asyncio

from coveragebot.index.commands import Origin, run
from coveragebot.index.feeds import table
from coveragebot.index.feeds.poll import poll_due, poll_feed
from coveragebot.index.service import Service
from tests.index._feed_server import running_feeds

CLI = Origin(frontend="cli", actor="test")


@pytest_asyncio.fixture
async def site():
    async with running_feeds() as served:
        yield served


@pytest_asyncio.fixture
async def feeds_service(settings):
    # The test server is on 127.0.0.1: private addresses are allowed unless a test says otherwise.
    opened = await Service.open(replace(settings, fetch_allow_private_urls=True, fetch_timeout_seconds=5),
                                seed=False)
    yield opened
    await opened.close()


async def titles(service) -> list[str]:
    return sorted(r["title"] for r in (await service.store.articles()).values())


async def polls(service) -> list[dict]:
    return [dict(r) for r in await service.store.rows("SELECT * FROM feed_polls ORDER BY id /* every workspace */")]


async def test_an_rss_feed_adds_each_entry_and_an_entry_without_a_link_from_its_own_text(feeds_service, site):
    added = await run(feeds_service, f"!feed add {site.url('/rss.xml')}", CLI)
    assert added.level == "ok", added.text
    assert added.text.startswith("Following feed #1 ‘Harbour Times’ (rss, 3 entries now); polled every 30 minutes")
    [result] = await poll_due(feeds_service)
    assert (result.status, result.new, result.updated, result.unchanged, result.failed) == ("polled", 3, 0, 0, 0)
    assert await titles(feeds_service) == ["Ferry timetable changes", "Harbour to reopen on Monday",
                                           "Port workers end three-week strike"]
    ferry = (await run(feeds_service, "!quotes Rosa Díaz", CLI)).statements
    assert ferry and ferry[0].text.startswith("Passengers asked for a midweek crossing")
    [audit] = await polls(feeds_service)
    assert (audit["status"], audit["new"], audit["failed"], json.loads(audit["reasons"])) == ("polled", 3, 0, [])
    logged = await feeds_service.store.rows("SELECT detail FROM audit WHERE workspace = 'default' AND action = 'feed-poll'")
    assert "3 new, 0 updated, 0 unchanged, 0 failed" in logged[-1]["detail"]


@pytest.mark.parametrize("path,kind,title", [
    ("/atom.xml", "atom", "Fishing fleet returns to Talcahuano"),
    ("/rdf.xml", "rss", "Harbour to reopen on Monday"),
    ("/news-sitemap.xml", "news sitemap", "City council passes budget"),
])
async def test_atom_rss_1_and_a_news_sitemap_are_followed(feeds_service, site, path, kind, title):
    added = await run(feeds_service, f"!feed add {site.url(path)}", CLI)
    assert f"({kind}, 1 entry now)" in added.text, added.text
    [result] = await poll_due(feeds_service)
    assert result.new == 1 and result.failed == 0, result.reasons
    assert await titles(feeds_service) == [title]


async def test_an_unchanged_feed_is_a_304_and_fetches_no_page(feeds_service, site):
    await run(feeds_service, f"!feed add {site.url('/rss.xml')}", CLI)
    await poll_due(feeds_service)
    pages_before = sum(n for path, n in site.requests.items() if path.startswith("/page/"))
    [again] = await poll_due(feeds_service, force=True)
    assert (again.status, again.new, again.updated, again.unchanged) == ("not modified", 0, 0, 3)
    assert sum(n for path, n in site.requests.items() if path.startswith("/page/")) == pages_before
    assert [p["status"] for p in await polls(feeds_service)] == ["polled", "not modified"]


async def test_a_changed_entry_becomes_a_new_version_of_its_story(feeds_service, site):
    await run(feeds_service, f"!feed add {site.url('/rss.xml')}", CLI)
    [first] = await poll_due(feeds_service)
    title, body = site.pages["strike"]
    site.pages["strike"] = (title, body + " Talks on pensions resume in April, the union said.")
    site.version = 2  # a new ETag, and a new date on the strike entry only
    [second] = await poll_due(feeds_service, force=True)
    assert (second.status, second.new, second.updated, second.unchanged) == ("polled", 0, 1, 2)
    rows = (await feeds_service.store.articles()).values()
    strike = next(r for r in rows if r["title"] == title)
    assert strike["version"] == 2 and "resume in April" in await feeds_service.store.article_text(strike["id"])
    assert len(rows) == 3


async def test_an_entry_whose_page_did_not_change_changes_nothing(feeds_service, site):
    await run(feeds_service, f"!feed add {site.url('/rss.xml')}", CLI)
    await poll_due(feeds_service)
    site.version = 2  # the entry's date moves, the page stays the same
    [second] = await poll_due(feeds_service, force=True)
    assert (second.new, second.updated, second.unchanged, second.failed) == (0, 0, 3, 0)


async def test_a_broken_feed_fails_with_its_reason_and_backs_off(feeds_service, site):
    refused = await run(feeds_service, f"!feed add {site.url('/broken.xml')}", CLI)
    assert refused.level == "refusal" and "not a feed" in refused.text and "\n" not in refused.text
    feed = await table.add_feed(feeds_service.store, site.url("/broken.xml"), "", "test")
    [first] = await poll_due(feeds_service)
    assert first.status == "failed" and "not a feed" in first.reasons[0]
    stored = await table.feed_by_id(feeds_service.store, feed.id)
    interval = feeds_service.settings.feeds_poll_minutes * 60
    assert stored.failures == 1 and stored.next_poll - stored.polled_at == pytest.approx(interval)
    await poll_due(feeds_service, force=True)
    stored = await table.feed_by_id(feeds_service.store, feed.id)
    assert stored.failures == 2 and stored.next_poll - stored.polled_at == pytest.approx(2 * interval)
    assert [json.loads(p["reasons"])[0][:16] for p in await polls(feeds_service)] == ["That is not a fe"] * 2
    listed = await run(feeds_service, "!feed list", CLI)
    assert "failed, 2 in a row: That is not a feed" in listed.feeds[0].summary


async def test_a_feed_that_times_out_fails_and_is_audited(settings, site):
    service = await Service.open(replace(settings, fetch_allow_private_urls=True, fetch_timeout_seconds=0.5),
                                 seed=False)
    try:
        await table.add_feed(service.store, site.url("/slow.xml"), "", "test")
        [result] = await poll_due(service)
        assert result.status == "failed" and result.reasons == ["The server took longer than 0.5 s to answer."]
        assert (await polls(service))[0]["status"] == "failed"
    finally:
        await service.close()


async def test_a_feed_that_redirects_to_a_private_address_is_refused_at_that_hop(settings, site):
    # localhost is allowed by name (as an intranet CMS would be); where it redirects is checked again.
    service = await Service.open(replace(settings, fetch_allowed_hosts=("localhost",)), seed=False)
    try:
        hop = site.url("/redirect?to=" + site.url("/rss.xml"), host="localhost")
        refused = await run(service, f"!feed add {hop}", CLI)
        assert refused.level == "refusal" and "redirects inside the network (127.0.0.1)" in refused.text
        direct = await run(service, f"!feed add {site.url('/rss.xml')}", CLI)
        assert "points inside the network" in direct.text
        await table.add_feed(service.store, hop, "", "test")
        [result] = await poll_due(service)
        assert result.status == "failed" and "redirects inside the network" in result.reasons[0]
        assert site.requests["/rss.xml"] == 0 and await titles(service) == []
    finally:
        await service.close()


async def test_only_one_of_two_pollers_polls_a_feed(settings, site, tmp_path):
    first = await Service.open(replace(settings, fetch_allow_private_urls=True), seed=False)
    second = await Service.open(replace(settings, fetch_allow_private_urls=True,
                                        storage_index=str(tmp_path / "second.index")), seed=False)
    try:
        feed = await table.add_feed(first.store, site.url("/held.xml"), "", "test")
        import asyncio

        polling = asyncio.gather(poll_feed(first, feed, "host-a:1"), poll_feed(second, feed, "host-b:2"))
        await asyncio.sleep(0.5)
        site.hold.set()
        results = await polling
        assert sorted(r.status for r in results) == ["busy", "polled"]
        assert site.requests["/held.xml"] == 1 and len(await polls(first)) == 1
    finally:
        await second.close()
        await first.close()


async def test_feed_list_and_remove(feeds_service, site):
    await run(feeds_service, f"!feed add {site.url('/atom.xml')}", CLI)
    again = await run(feeds_service, f"!feed add {site.url('/atom.xml')}", CLI)
    assert again.level == "refusal" and "already followed" in again.text
    listed = await run(feeds_service, "!feed list", CLI)
    assert [(r.feed.id, r.feed.title, r.summary) for r in listed.feeds] == [(1, "Coast News", "not polled yet")]
    assert listed.to_json()["results"][0]["workspace"] == "default"
    removed = await run(feeds_service, "!feed remove 1", CLI)
    assert removed.text == "Stopped following feed #1 ‘Coast News’; the articles it brought stay."
    assert (await run(feeds_service, "!feed remove 1", CLI)).level == "refusal"
    assert (await run(feeds_service, "!feed frobnicate", CLI)).level == "usage"


async def test_fifty_unchanged_feeds_poll_in_under_a_second_of_cpu(feeds_service, site):
    for n in range(50):
        feed = await table.add_feed(feeds_service.store, site.url(f"/rss.xml?copy={n}"), "Harbour Times", "test")
        # Each copy was read before, at this version: the server answers 304.
        await feeds_service.store.execute("UPDATE feeds SET etag = ? WHERE id = ? /* every workspace */", ('"v1"', feed.id))
    started = time.process_time()
    results = await poll_due(feeds_service)
    cpu = time.process_time() - started
    assert [r.status for r in results] == ["not modified"] * 50
    assert cpu < 1.0, f"{cpu:.2f} s of CPU (this process also served the 50 requests)"


async def test_two_processes_on_postgres_poll_a_feed_exactly_once(postgres_service, site, tmp_path):
    import asyncio
    import os
    import sys

    from tests.conftest import DATA

    feed = await table.add_feed(postgres_service.store, site.url("/held.xml"), "", "test")
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGEBOT_")}
    env.update(COVERAGEBOT_DATABASE_URL=postgres_service.settings.storage_url, COVERAGEBOT_ALLOW_PRIVATE_URLS="1",
               COVERAGEBOT_DB=str(tmp_path / "unused.db"), PYTHONPATH=str(DATA.parents[1]))
    code = "import sys; from coveragebot.bot.cli import main; sys.exit(main(sys.argv[1:]))"
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-c", code, "feed", "poll", env={**env, "COVERAGEBOT_STORAGE_INDEX": str(tmp_path / f"{n}")},
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        for n in range(2)]
    # The first to claim the feed waits on the server; the other must give up and exit meanwhile.
    done, _ = await asyncio.wait([asyncio.ensure_future(p.wait()) for p in processes], timeout=60,
                                 return_when=asyncio.FIRST_COMPLETED)
    assert done, "neither process finished"
    site.hold.set()
    outputs = [(await p.communicate())[0].decode() for p in processes]
    assert all(p.returncode == 0 for p in processes), outputs
    assert sorted("another process" in out for out in outputs) == [False, True], outputs
    assert any(f"feed #{feed.id}" in out and "1 new" in out for out in outputs), outputs
    assert site.requests["/held.xml"] == 1
    assert await postgres_service.store.scalar("SELECT count(*) FROM feed_polls /* every workspace */") == 1
