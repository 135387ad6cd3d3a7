"""SQLite's plans for the reads every answer and every add make: by key, never a walk
through a whole workspace (index/storage/planner.py)."""

from __future__ import annotations

import sqlite3

import pytest

from coveragebot.index.storage.store import Store

PLANNED = [
    # sentences and actions by id, as !search and !who read them
    ("SELECT * FROM sentences WHERE workspace = 'default' AND id IN (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)",
     "USING INTEGER PRIMARY KEY"),
    ("SELECT id, action FROM actions WHERE workspace = 'default' AND id IN (1, 2, 3, 4, 5, 6, 7, 8)",
     "USING INTEGER PRIMARY KEY"),
    # the registry's count of one person's articles, and renaming a form's statements
    ("SELECT count(DISTINCT st.article_id) FROM statements st JOIN name_forms f ON f.id = st.form_id"
     " WHERE st.workspace = 'default' AND f.person_id = 7", "statements_form"),
    ("UPDATE statements SET speaker = 'A' WHERE workspace = 'default' AND form_id IN (1, 2) AND speaker <> 'A'",
     "statements_form"),
    # a person's identity rows by block
    ("SELECT id FROM people WHERE workspace = 'default' AND block IN ('a', 'b')", "people_block"),
    # !who's rows of one verb with an object word: the newsroom's own rows of that verb only
    ("SELECT k.action_id, k.words FROM action_keys k WHERE k.workspace = 'default' AND k.key IN ('say')"
     " AND k.sentence_id IS NOT NULL AND k.factuality = 'asserted' AND (k.words LIKE '%storm%')",
     "(workspace=? AND key=?)"),
    # !quotes' newest articles of a speaker, by date, from an index
    (f"SELECT d.id FROM {Store.DATED_ARTICLES} WHERE d.workspace = 'default' AND d.id IN (SELECT sf.article_id FROM statements sf"
     " WHERE sf.form_id = 3) ORDER BY d.published = '', d.published DESC, d.id DESC LIMIT 220", "articles_dated"),
]


@pytest.mark.parametrize("sql, expected", PLANNED)
async def test_reads_by_key_use_the_key_not_the_workspace_index(tmp_path, sql, expected):
    store = await Store.open(tmp_path / "coverage.db")
    await store.close()
    db = sqlite3.connect(tmp_path / "coverage.db")
    plan = " | ".join(row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql))
    db.close()
    assert expected in plan and "_workspace" not in plan, plan


async def test_statistics_analyze_wrote_are_kept(tmp_path):
    store = await Store.open(tmp_path / "coverage.db")
    await store.close()
    db = sqlite3.connect(tmp_path / "coverage.db")
    db.execute("UPDATE sqlite_stat1 SET stat = '500 5 1' WHERE idx = 'sentences_workspace'")
    db.commit()
    db.close()
    store = await Store.open(tmp_path / "coverage.db")
    await store.close()
    db = sqlite3.connect(tmp_path / "coverage.db")
    assert db.execute("SELECT stat FROM sqlite_stat1 WHERE idx = 'sentences_workspace'").fetchone() == ("500 5 1",)
