"""Several processes, one PostgreSQL corpus: each index follows the store's change sequence."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time

from coveragebot.index.service import Service
from coveragebot.index.settings import with_overrides

# Another process: opens its own replica, adds or removes, prints when its commit landed.
WRITER = """
import asyncio, json, sys, time
from coveragebot.index.ingest.articles import Article
from coveragebot.index.service import Service
from coveragebot.index.settings import load_settings

async def main(url, index, verb, value):
    service = await Service.open(load_settings(env={}, storage_url=url, storage_index=index), seed=False)
    try:
        if verb == "add":
            [outcome] = await service.add_articles([Article("flood-77", "Flood", value)], actor="other")
            print(json.dumps({"id": outcome.article.id, "at": time.time()}))
        else:
            await service.remove_article(int(value), actor="other")
            print(json.dumps({"at": time.time()}))
    finally:
        await service.close()

asyncio.run(main(*sys.argv[1:]))
"""

READER = """
import asyncio, sys
from coveragebot.index.service import Service
from coveragebot.index.settings import load_settings

async def main(url, index):
    service = await Service.open(load_settings(env={}, storage_url=url, storage_index=index), seed=False)
    try:
        hits = (await service.search("levee breached")).hits
        print(len(hits), service.index.doc_count(), "spacy" in sys.modules)
    finally:
        await service.close()

asyncio.run(main(*sys.argv[1:]))
"""


def other_process(script: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


async def seconds_until(check, limit: float = 10.0) -> float:
    started = time.monotonic()
    while not await check():
        assert time.monotonic() - started < limit
        await asyncio.sleep(0.02)
    return time.monotonic() - started


async def test_another_processs_add_and_remove_reach_this_index_within_two_seconds(postgres_service, tmp_path):
    url = postgres_service.settings.storage_url
    body = "The levee breached at dawn, the county engineer said. Crews worked through the night."
    added = json.loads(other_process(WRITER, url, str(tmp_path / "other.index"), "add", body))

    async def found() -> bool:
        return bool((await postgres_service.search("levee breached")).hits)

    await seconds_until(found)
    assert time.time() - added["at"] < 2.0
    removed = json.loads(other_process(WRITER, url, str(tmp_path / "other.index"), "remove", str(added["id"])))

    async def gone() -> bool:
        return not (await postgres_service.search("levee breached")).hits

    await seconds_until(gone)
    assert time.time() - removed["at"] < 2.0


async def test_an_empty_replica_catches_up_from_the_store_without_spacy(postgres_service, tmp_path):
    from coveragebot.index.ingest.articles import Article

    await postgres_service.add_articles(
        [Article("levee", "Levee", "The levee breached at dawn, officials said.")], actor="test")
    out = other_process(READER, postgres_service.settings.storage_url, str(tmp_path / "fresh.index"))
    hits, docs, spacy_loaded = out.split()
    assert int(hits) == 1 and int(docs) == postgres_service.index.doc_count() and spacy_loaded == "False"


async def test_a_stale_replica_applies_only_the_changes_it_missed(postgres_settings, tmp_path):
    from coveragebot.index.ingest.articles import Article

    first = await Service.open(postgres_settings)
    second = await Service.open(with_overrides(postgres_settings, storage_index=str(tmp_path / "second.index")))
    try:
        await second.replica.stop()  # as if that process were down
        [kept, dropped] = await first.add_articles(
            [Article("a", "A", "The levee breached at dawn."), Article("b", "B", "The dam held at noon.")], "t")
        await first.remove_article(dropped.article.id, "t")
        assert await second.catch_up() == 2
        assert second.index.article_counts() == first.index.article_counts() == {kept.article.id: 1}
    finally:
        await second.close()
        await first.close()


async def test_a_processs_own_add_is_not_indexed_twice(postgres_service):
    from coveragebot.index.ingest.articles import Article

    [added] = await postgres_service.add_articles([Article("own", "Own", "The levee breached at dawn.")], "t")
    await postgres_service.remove_article(added.article.id, "t")
    last = await postgres_service.store.last_change()

    async def followed() -> bool:
        return postgres_service.replica.seq == last

    await seconds_until(followed)  # the NOTIFYs came back and were recognised as this process's own
    assert postgres_service.replica.applied == 0


async def test_the_same_text_from_two_processes_at_once_is_stored_once(postgres_settings, tmp_path):
    from coveragebot.index.ingest.articles import Article

    first = await Service.open(postgres_settings)
    second = await Service.open(with_overrides(postgres_settings, storage_index=str(tmp_path / "second.index")))
    try:
        body = "The levee breached at dawn, the county engineer said."
        outcomes = await asyncio.gather(first.add_articles([Article("x", "X", body)], "t"),
                                        second.add_articles([Article("y", "Y", body)], "t"))
        assert sorted(o[0].status for o in outcomes)[0] == "added"
        assert await first.store.scalar("SELECT count(*) FROM articles /* every workspace */") == 1
    finally:
        await second.close()
        await first.close()


async def test_a_story_updated_in_one_process_is_the_new_text_in_every_other(postgres_settings, tmp_path):
    from coveragebot.index.ingest.articles import Article

    first = await Service.open(postgres_settings)
    second = await Service.open(with_overrides(postgres_settings, storage_index=str(tmp_path / "second.index")))
    try:
        url = "https://news.example/levee"
        [added] = await first.add_articles([Article("levee", "Levee", "The levee breached at dawn.", url=url)], "t")
        [updated] = await first.add_articles(
            [Article("levee", "Levee", "The levee breached at dawn. Crews sandbagged the dike.", url=url)], "t")
        assert updated.status == "updated" and updated.article.id == added.article.id

        async def new_text_here() -> bool:
            return bool((await second.search("sandbagged")).hits)

        await seconds_until(new_text_here, limit=2.0)
        # One story, one version in the index: the earlier text's passage is gone from both.
        assert second.index.article_counts() == first.index.article_counts() == {added.article.id: 2}
    finally:
        await second.close()
        await first.close()
