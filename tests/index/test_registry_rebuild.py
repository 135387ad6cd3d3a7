"""The registry a store keeps incrementally equals a rebuild from scratch, whatever the
sequence of adds, new versions, removals and fixes (property-based, on real SQLite files).

Statements are given to the store as extraction hands them over, so hypothesis can try
hundreds of sequences; the linking, counting and naming are the store's own.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from coveragebot.index.records import Article
from coveragebot.index.storage.store import NewSentence, Store

# Speakers as articles settle them: (name, kind, gender). Shared surnames, a suffix, bare
# surnames of either gender, bodies by two names, a group and the unidentified.
SPEAKERS = [
    ("Donald Trump", "person", "male"), ("Donald J. Trump", "person", ""), ("Trump", "person", ""),
    ("Trump", "person", "female"), ("Ivanka Trump", "person", "female"), ("Donald Trump Jr.", "person", "male"),
    ("Hillary Clinton", "person", "female"), ("Bill Clinton", "person", "male"), ("Clinton", "person", "male"),
    ("Clinton", "person", ""), ("Khan", "person", "male"), ("Khizr Khan", "person", "male"),
    ("Ghazala Khan", "person", "female"), ("U.S. Treasury Department", "organization", ""),
    ("Treasury", "organization", ""), ("officials", "group", ""), ("speaker not identified", "unidentified", ""),
]
NAMES = sorted({name for name, kind, _ in SPEAKERS if kind == "person" and " " in name})

article = st.tuples(st.integers(0, 5), st.lists(st.integers(0, len(SPEAKERS) - 1), min_size=1, max_size=4))
operation = st.one_of(
    st.tuples(st.just("add"), article),
    st.tuples(st.just("remove"), st.integers(0, 5)),
    st.tuples(st.just("merge"), st.sampled_from(NAMES), st.sampled_from(NAMES)),
    st.tuples(st.just("speaker"), st.integers(0, 5), st.integers(0, 1), st.sampled_from(NAMES)),
    st.tuples(st.just("kind"), st.integers(0, 5), st.integers(0, 1), st.sampled_from(["direct", "indirect"])),
)


def _parts(key: str, speakers: list[int]) -> tuple[Article, list[NewSentence], list[dict]]:
    lines = [f"Said {n}: point {i} of {key}." for i, n in enumerate(speakers)]
    text = " ".join(lines)
    sentences, statements, at = [], [], 0
    for i, (line, n) in enumerate(zip(lines, speakers)):
        sentences.append(NewSentence(i, 0, at, at + len(line), line, False))
        name, kind, gender = SPEAKERS[n]
        # Two points per article, so a story often repeats a paragraph (counted once) and
        # a kind fix can make two statements one.
        statements.append({"speaker": name, "role": "", "aliases": (), "text": f"point {i % 2} of {key}",
                           "kind": "direct" if i < 2 else "indirect", "cue": "said", "start": at, "end": at + len(line),
                           "passage_start": at, "passage_end": at + len(line), "speaker_kind": kind,
                           "gender": gender, "mention": ""})
        at += len(line) + 1
    return Article(key=key, title=key, text=text), sentences, statements


async def _add(store: Store, key: str, speakers: list[int], replaces: int | None = None) -> int:
    article, sentences, statements = _parts(key, speakers)
    article_id, _ = await store.insert_article(article, f"{key}-{speakers}", sentences, statements, [], {}, "test",
                                               replaces=replaces)
    return article_id


async def _play(folder: Path, operations) -> tuple[dict, dict]:
    store = await Store.open(folder / "live.db")
    current: dict[str, tuple[int, list[int]]] = {}
    fixes: list[tuple[str, str, str, str]] = []
    for op in operations:
        if op[0] == "add":
            number, speakers = op[1]
            key = f"a{number}"
            earlier = current.get(key)
            article_id = await _add(store, key, speakers, replaces=earlier[0] if earlier else None)
            current[key] = (article_id, speakers)
        elif op[0] == "remove" and f"a{op[1]}" in current:
            article_id, _ = current.pop(f"a{op[1]}")
            await store.delete_article(article_id, {}, "test")
        elif op[0] == "merge" and op[1] != op[2]:
            fixes.append(("merge", "", op[1], op[2]))
            await store.add_correction(*fixes[-1], "editor")
        elif op[0] == "speaker" and f"a{op[1]}" in current:
            fixes.append(("speaker", f"a{op[1]}", f"point {op[2]} of a{op[1]}", op[3]))
            await store.add_correction(*fixes[-1], "editor")
        elif op[0] == "kind" and f"a{op[1]}" in current:
            fixes.append(("kind", f"a{op[1]}", f"point {op[2]} of a{op[1]}", op[3]))
            await store.add_correction(*fixes[-1], "editor")
    live = await store.registry_snapshot()
    await store.close()

    rebuilt = await Store.open(folder / "rebuilt.db")
    for kind, key, anchor, value in fixes:  # recorded first, as !reindex finds them
        await rebuilt.execute("INSERT INTO corrections (actor, kind, article_key, anchor, value) VALUES (?,?,?,?,?) /* every workspace */",
                              ("editor", kind, key, anchor, value))
    for key, (_, speakers) in sorted(current.items()):
        await _add(rebuilt, key, speakers)
    fresh = await rebuilt.registry_snapshot()
    await rebuilt.close()
    return live, fresh


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, min_size=1, max_size=12))
def test_the_registry_equals_a_rebuild_after_any_sequence_of_writes(operations):
    with tempfile.TemporaryDirectory() as folder:
        live, fresh = asyncio.run(_play(Path(folder), operations))
    assert live == fresh


def test_a_paragraph_a_story_repeats_counts_once_and_a_kind_fix_recounts():
    # Points 0 and 2 are one text: direct, then indirect (two statements), then one kind (one).
    with tempfile.TemporaryDirectory() as folder:
        before, _ = asyncio.run(_play(Path(folder), [("add", (0, [6, 6, 6]))]))
    with tempfile.TemporaryDirectory() as folder:
        after, fresh = asyncio.run(_play(Path(folder), [("add", (0, [6, 6, 6])), ("kind", 0, 0, "direct")]))
    [hillary] = [p for p in before["people"] if p[1] == "Hillary Clinton"]
    assert hillary[4] == 3 and len(before["statements"]) == 3
    [hillary] = [p for p in after["people"] if p[1] == "Hillary Clinton"]
    assert hillary[4] == 2 and after == fresh


def test_the_rebuild_check_sees_a_difference_when_there_is_one():
    # The comparison is not vacuous: two different archives give different registries.
    with tempfile.TemporaryDirectory() as folder:
        one, _ = asyncio.run(_play(Path(folder), [("add", (0, [0, 1]))]))
    with tempfile.TemporaryDirectory() as folder:
        other, _ = asyncio.run(_play(Path(folder), [("add", (0, [0, 7]))]))
    assert one != other and one["people"] and one["statements"]
