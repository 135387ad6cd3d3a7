"""A benchmark store split over many workspaces, as one bot serving many newsrooms holds it.

`split_store` takes a store that `build_service_store` and `_derived.replicate` filled (all
in `default`) and moves its articles, with everything derived from them, into `workspaces`
workspaces: `big` holds the first half of the articles, the other workspaces share the rest
article by article. Each workspace's name forms, people, who-counts and vocabulary are then
what the store would hold had its articles been added there: the forms are split by the
workspace of their statements, and the registry and `!who`'s counts are rebuilt per
workspace by the store's own `relink` and `recount_who`. `keep_only` then copies the store
keeping one workspace: the single-workspace reference of the same size.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

BIG = "big"


def workspace_names(workspaces: int) -> list[str]:
    return [BIG] + [f"newsroom-{n:03d}" for n in range(1, workspaces)]


def split_store(db_path: Path, workspaces: int) -> dict:
    """Move the store's rows into `workspaces` workspaces; the big one holds half the articles."""
    from coveragebot.index.storage.registry import RECOUNT_FORMS
    from coveragebot.index.storage.store import EVERY_WORKSPACE

    started = time.perf_counter()
    names = workspace_names(workspaces)
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA synchronous=OFF")
    db.execute("BEGIN")
    ids = [r[0] for r in db.execute("SELECT id FROM articles ORDER BY id /* every workspace */")]
    half = len(ids) // 2
    db.execute("CREATE TEMP TABLE placed (article_id INTEGER PRIMARY KEY, workspace TEXT NOT NULL)")
    db.executemany("INSERT INTO placed VALUES (?, ?)",
                   [(article_id, BIG if n < half else names[1 + n % (workspaces - 1)])
                    for n, article_id in enumerate(ids)])
    db.execute("UPDATE articles SET workspace = (SELECT workspace FROM placed WHERE article_id = articles.id)"
               " /* every workspace */")
    for table in ("sentences", "statements", "actions", "action_keys"):
        db.execute(f"UPDATE {table} SET workspace = (SELECT workspace FROM placed p"
                   f" WHERE p.article_id = {table}.article_id) /* every workspace */")
    # Name forms belong to a workspace: one per workspace whose statements use the form.
    db.execute("DELETE FROM person_words /* every workspace */")
    db.execute("UPDATE name_forms SET person_id = NULL /* every workspace */")
    db.execute("DELETE FROM people /* every workspace */")
    db.execute("UPDATE name_forms SET workspace = 'moving' /* every workspace */")
    db.execute(
        "INSERT INTO name_forms (workspace, block, name, kind, gender, pin, statements)"
        " SELECT st.workspace, f.block, f.name, f.kind, f.gender, f.pin, count(*)"
        " FROM statements st JOIN name_forms f ON f.id = st.form_id GROUP BY st.workspace, f.id /* every workspace */")
    db.execute(
        "UPDATE statements SET form_id = (SELECT n.id FROM name_forms o JOIN name_forms n ON n.workspace ="
        " statements.workspace AND n.name = o.name AND n.kind = o.kind AND n.gender = o.gender AND n.pin = o.pin"
        " WHERE o.id = statements.form_id) /* every workspace */")
    db.execute("DELETE FROM name_forms WHERE workspace = 'moving' /* every workspace */")
    db.execute(RECOUNT_FORMS[0] + EVERY_WORKSPACE)  # as the store counts: a repeated paragraph once
    # Only the big workspace is asked here: it gets the vocabulary (for suggestions), as its own would.
    db.execute("UPDATE vocabulary SET workspace = ? /* every workspace */", (BIG,))
    db.execute("DELETE FROM who_agents /* every workspace */")
    db.execute("COMMIT")
    # Rewriting every row's workspace left the indexes half-empty and out of order, as no
    # store that grew by adds is; compacted, like the reference copy (`keep_only`).
    db.execute("VACUUM")
    db.close()
    seconds = time.perf_counter() - started
    return {"workspaces": workspaces, "big_articles": half, "articles": len(ids), "move_s": seconds,
            "registry_s": asyncio.run(_rebuild(db_path, names))}


def keep_only(db_path: Path, copy_path: Path, workspace: str = BIG) -> float:
    """Copy the store to `copy_path` holding only `workspace`'s rows, as its `default`.

    The copy is the single-workspace store of the same size: same rows, same ids, compacted,
    so a query that differs between the two differs by tenancy alone.
    """
    from coveragebot.index.storage.store import EVERY_WORKSPACE, SCOPED_TABLES

    started = time.perf_counter()
    copy_path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(db_path)
    target = sqlite3.connect(copy_path, isolation_level=None)
    source.backup(target)
    source.close()
    target.execute("PRAGMA synchronous=OFF")
    target.execute("BEGIN")
    present = {r[0] for r in target.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in (t for t in SCOPED_TABLES if t in present):
        target.execute(f"DELETE FROM {table} WHERE workspace <> ?{EVERY_WORKSPACE}", (workspace,))
        target.execute(f"UPDATE {table} SET workspace = 'default'{EVERY_WORKSPACE}")
    target.execute("COMMIT")
    target.execute("VACUUM")
    target.close()
    return time.perf_counter() - started


async def _rebuild(db_path: Path, names: list[str], chunk: int = 500) -> float:
    """Each workspace's registry and !who counts, built by the store's own code."""
    from coveragebot.index.storage.store import Store

    started = time.perf_counter()
    root = await Store.open(db_path)
    try:
        for name in names:
            store = root.scoped(name)
            await store.recount_who()
            blocks = [r[0] for r in await store.tuples(
                "SELECT DISTINCT block FROM name_forms WHERE workspace = ? ORDER BY block", (name,))]
            async with store.transaction():
                for first in range(0, len(blocks), chunk):
                    await store.relink(blocks[first:first + chunk])
    finally:
        await root.close()
    return time.perf_counter() - started
