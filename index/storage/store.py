"""The store: reads and writes, one transaction per article; SQLite (aiosqlite) here.

Every query is written once, in the SQL that SQLite and PostgreSQL share, over a few
primitives (`rows`, `tuples`, `scalar`, `execute`, `executemany`, `insert`,
`transaction`) that a backend supplies; `index.storage.postgres` is the other one, and
`index.storage.backends.open_store` picks one from the settings. The schema and its
migrations are in `index.storage.schema`; `Store.migrate` applies them.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import copy
import functools
import json
import re
import time
from datetime import datetime, timedelta, timezone
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiosqlite

from coveragebot.index.records import Article
from coveragebot.index.storage.planner import steer
from coveragebot.index.storage.registry import RegistryStore, form_block, speaker_form
from coveragebot.index.storage.schema import MIGRATIONS, SCHEMA_VERSION, sql_statements
from coveragebot.index.text.analyzer import statement_terms
from coveragebot.index.workspace_names import DEFAULT_WORKSPACE

ARTICLE_COLUMNS = "id, key, title, outlet, author, url, published, sentence_count, added_at, version"
# The (store, connection) whose transaction the running task is inside, if any.
_TRANSACTION: contextvars.ContextVar[tuple[Any, Any] | None] = contextvars.ContextVar(
    "store_transaction", default=None)


# An agent known only as a pronoun nobody resolved ("he") is one agent per article.
_ALONE = "CASE WHEN k.mention <> '' AND k.mention = k.agent THEN k.article_id ELSE 0 END"
# Clause evidence: an action with its stated agent, not a bare noun ("U.S. sanctions").
_CLAUSE = "k.kind <> 'nominal' AND k.agent <> 'not stated'"
# How well an action shows its agent: a clause, a bare noun modifier, no stated agent.
_STRENGTH = "CASE WHEN k.agent = 'not stated' THEN 0 WHEN k.kind = 'nominal' THEN 1 ELSE 2 END"
# !who answers from asserted actions; the others (refused, planned, demanded...) are
# read apart, for an answer's second part (index.who.factuality).
_ASSERTED = "k.factuality = 'asserted'"
# A passage, as one number both dialects count distinct: article id and start offset.
_PASSAGE = "k.article_id * 100000000 + k.passage_start"
# One article's (or every article's) share of who_agents, added or taken away. Rows go
# in key order, so two writers upserting the same agents take their locks in one order.
WHO_COUNT = (
    "INSERT INTO who_agents (workspace, key, agent_key, agent, alone, n_rows, passages, articles, clause_passages,"
    " clause_articles, weak, first_action)"
    f" SELECT k.workspace, k.key, k.agent_key, k.agent, {_ALONE}, {{sign}} * count(*), {{sign}} * count(DISTINCT {_PASSAGE}),"
    f" {{sign}} * count(DISTINCT k.article_id), {{sign}} * count(DISTINCT CASE WHEN {_CLAUSE} THEN {_PASSAGE} END),"
    f" {{sign}} * count(DISTINCT CASE WHEN {_CLAUSE} THEN k.article_id END),"
    f" {{sign}} * sum(CASE WHEN {_CLAUSE} THEN 0 ELSE 1 END), min(k.action_id)"
    f" FROM action_keys k WHERE {{rows}} AND k.sentence_id IS NOT NULL AND {_ASSERTED}"
    f" GROUP BY k.workspace, k.key, k.agent_key, k.agent, {_ALONE} ORDER BY k.key, k.agent_key, k.agent, {_ALONE}"
    " ON CONFLICT (workspace, key, agent_key, agent, alone) DO UPDATE SET"
    " n_rows = who_agents.n_rows + excluded.n_rows, passages = who_agents.passages + excluded.passages,"
    " articles = who_agents.articles + excluded.articles,"
    " clause_passages = who_agents.clause_passages + excluded.clause_passages,"
    " clause_articles = who_agents.clause_articles + excluded.clause_articles,"
    " weak = who_agents.weak + excluded.weak, first_action = CASE WHEN excluded.first_action"
    " < who_agents.first_action THEN excluded.first_action ELSE who_agents.first_action END"
)


# The tables that hold a workspace's coverage: a statement that reads or writes one of
# them must say which workspace (`Store._checked`), so no query can forget the boundary.
SCOPED_TABLES = ("articles", "sentences", "statements", "actions", "action_keys", "who_agents", "vocabulary",
                 "article_versions", "corrections", "flags", "query_log", "page_turns", "audit", "people",
                 "person_words", "name_forms", "changes", "import_jobs", "cooldown_hits",
                 "feeds", "feed_entries", "feed_polls", "watches", "watch_alerts")
_TOUCHES_SCOPED = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE)\s+(?:" + "|".join(SCOPED_TABLES) + r")\b", re.IGNORECASE)
# Appended to a statement that reads or writes across every workspace on purpose (a
# maintenance script, a benchmark building a store, a test inspecting the whole file).
EVERY_WORKSPACE = " /* every workspace */"


class StoreError(RuntimeError):
    """The database cannot be opened or written; the message says why."""


class UnscopedQuery(AssertionError):
    """A statement on a workspace's tables that does not name the workspace (a bug, never input)."""


@functools.lru_cache(maxsize=4096)
def _checked(sql: str) -> str:
    if _TOUCHES_SCOPED.search(sql) and "workspace" not in sql:
        raise UnscopedQuery(f"query on workspace data without a workspace: {sql[:200]}")
    return sql


@dataclass(frozen=True)
class SentenceRow:
    """A stored passage, ready for the index and for rendering."""

    id: int
    article_id: int
    position: int
    paragraph: int
    start: int
    end: int
    text: str
    heading: bool


@dataclass(frozen=True)
class NewSentence:
    position: int
    paragraph: int
    start: int
    end: int
    text: str
    heading: bool


class Store(RegistryStore):
    """The database file: articles, sentences, statements, actions, people, logs.

    A store is opened for one workspace (`workspace`, `default` unless `scoped` says
    otherwise) and every query it runs filters on it: an id of another workspace's row is
    not found, exactly like an id that never existed.
    """

    # Whether other processes write here too (their changes are then followed).
    shared = False
    # The dialect's case-insensitive LIKE (SQLite's LIKE ignores ASCII case).
    LIKE_ANY_CASE = "LIKE"
    # Articles read for their dates alone, from the index that holds them: SQLite's planner
    # would look each article up by its key instead and read its row, body and all. Aliased `d`.
    DATED_ARTICLES = "articles AS d INDEXED BY articles_dated"

    def __init__(self, db: aiosqlite.Connection, path: Path) -> None:
        self.db = db
        self.path = path
        self.workspace = DEFAULT_WORKSPACE
        self.owns_connection = True
        # One connection serves every task: a write must not land inside another
        # task's open transaction, or it commits, rolls back or dies with it.
        self._writing = asyncio.Lock()
        self._cooldowns: dict[str, list[float]] = {}

    def scoped(self, workspace: str) -> "Store":
        """The same database, opened for `workspace`: shares the connection, owns none of it."""
        view = copy.copy(self)
        view.workspace = workspace
        view.owns_connection = False
        return view

    @classmethod
    async def open(cls, path: Path) -> "Store":
        """Open (creating folder and file) and migrate to the current schema."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = await aiosqlite.connect(path, isolation_level=None, timeout=10)
        except (OSError, aiosqlite.Error) as exc:
            raise StoreError(f"cannot open database {path}: {explain(exc)}") from exc
        db.row_factory = aiosqlite.Row
        store = cls(db, path)
        try:
            await db.execute("PRAGMA journal_mode=WAL")
            await db.execute("PRAGMA foreign_keys=ON")
            await db.execute("PRAGMA synchronous=NORMAL")
            await store.migrate()
            await store.fill_statement_terms()
            await steer(db)
        except aiosqlite.Error as exc:
            await db.close()
            raise StoreError(f"cannot use database {path}: {explain(exc)}") from exc
        return store

    async def close(self) -> None:
        if self.owns_connection:
            await self.db.close()

    async def schema_version(self) -> int:
        """The migration count this database has seen."""
        return await self.scalar("PRAGMA user_version")

    async def migrate(self) -> int:
        """Apply the migrations this file has not seen; return the schema version."""
        version = await self.schema_version()
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"database {self.path} has schema {version}, newer than this coveragebot ({SCHEMA_VERSION})"
            )
        if version < SCHEMA_VERSION:
            # A migration may rebuild a table others point at; SQLite ignores this inside a transaction.
            await self.db.execute("PRAGMA foreign_keys=OFF")
        for number in range(version, SCHEMA_VERSION):
            await self.db.execute("BEGIN IMMEDIATE")
            try:
                for statement in sql_statements(MIGRATIONS[number]):
                    await self.db.execute(statement)
                await self.db.execute(f"PRAGMA user_version = {number + 1}")
                await self.db.execute("COMMIT")
            except BaseException:
                await self.db.execute("ROLLBACK")
                await self.db.execute("PRAGMA foreign_keys=ON")
                raise
        await self.db.execute("PRAGMA foreign_keys=ON")
        return SCHEMA_VERSION

    async def fill_statement_terms(self, chunk: int = 2000) -> int:
        """Store the index terms of statements written before they were kept; return how
        many. Runs at every open: a file (or database) migrated from an older release is
        filled once, in chunks, and later opens find no such row through a partial index."""
        filled = 0
        while rows := await self.tuples(
            "SELECT st.id, st.text, (SELECT substr(a.text, st.passage_start + 1, st.passage_end - st.passage_start)"
            " FROM articles a WHERE a.id = st.article_id) FROM statements st WHERE st.terms IS NULL"
            " ORDER BY st.workspace, st.id LIMIT ?" + EVERY_WORKSPACE, (chunk,)):
            # Stemming thousands of passages is CPU work: off the event loop.
            terms = await asyncio.to_thread(
                lambda: [(statement_terms(text, passage or ""), sid) for sid, text, passage in rows])
            async with self.transaction():
                await self.executemany("UPDATE statements SET terms = ? WHERE id = ?" + EVERY_WORKSPACE, terms)
            filled += len(rows)
        return filled

    # -- small helpers -----------------------------------------------------
    async def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        async with self.db.execute(_checked(sql), params) as cursor:
            row = await cursor.fetchone()
        return row[0] if row else None

    async def rows(self, sql: str, params: Sequence[Any] = ()) -> list[aiosqlite.Row]:
        async with self.db.execute(_checked(sql), params) as cursor:
            return list(await cursor.fetchall())

    async def tuples(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        """`rows` as plain tuples: for reads of thousands of rows, each read once."""
        async with self.db.execute(_checked(sql), params) as cursor:
            cursor._cursor.row_factory = None
            return list(await cursor.fetchall())

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """One write statement (its own transaction outside `transaction`); rows changed."""
        async with self._statement():
            cursor = await self.db.execute(_checked(sql), params)
            return cursor.rowcount

    async def executemany(self, sql: str, params: Iterable[Sequence[Any]]) -> None:
        async with self._statement():
            await self.db.executemany(_checked(sql), params)

    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """One INSERT into a table with an `id` column; the new row's id."""
        async with self._statement():
            cursor = await self.db.execute(_checked(sql), params)
            return cursor.lastrowid

    async def insert_many(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[int]:
        """Rows into a table with an integer `id`, in one statement batch of this task's
        transaction (one thread hop, not one per row); their ids, in order.

        Inside a transaction no other writer can insert, and SQLite gives each new row
        the largest id plus one, so a batch's ids are the last id's predecessors.
        """
        if not rows:
            return []
        current = _TRANSACTION.get()
        if current is None or current[0] is not self:
            raise RuntimeError("insert_many needs this store's transaction")
        marks = ",".join("?" * len(columns))
        await self.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
        last = await self.scalar("SELECT last_insert_rowid()")
        return list(range(last - len(rows) + 1, last + 1))

    @contextlib.asynccontextmanager
    async def _statement(self):
        # Inside this task's transaction the lock is already held; outside, a lone
        # write must not land inside another task's open transaction.
        current = _TRANSACTION.get()
        if current is not None and current[0] is self:
            yield
            return
        async with self._writing:
            yield

    @contextlib.asynccontextmanager
    async def transaction(self):
        """BEGIN IMMEDIATE … COMMIT, with no other write of this connection in between.

        A database that is full, locked or read-only raises StoreError saying so.
        """
        async with self._writing:
            token = _TRANSACTION.set((self, self.db))
            try:
                await self.db.execute("BEGIN IMMEDIATE")
                try:
                    yield self.db
                    await self.db.execute("COMMIT")
                except BaseException:
                    # SQLite has already rolled back after some errors (a full disk).
                    if self.db.in_transaction:
                        await self.db.execute("ROLLBACK")
                    raise
            except aiosqlite.Error as exc:
                raise StoreError(f"cannot write to database {self.path}: {explain(exc)}") from exc
            finally:
                _TRANSACTION.reset(token)

    # -- articles ----------------------------------------------------------
    async def insert_article(
        self,
        article: Article,
        text_hash: str,
        sentences: Sequence[NewSentence],
        statements: Sequence[dict[str, Any]],
        actions: Sequence[dict[str, Any]],
        vocabulary: dict[str, int],
        actor: str,
        replaces: int | None = None,
        replaced_vocabulary: dict[str, int] | None = None,
    ) -> tuple[int, list[int]]:
        """Store an article whole in one transaction; return its id and sentence ids.

        With `replaces`, the article is a new version of that story: the old text goes to
        the version history, and the new one takes over its id and key.
        """
        async with self.transaction():
            columns = ("workspace, key, title, outlet, author, url, published, text, text_hash, sentence_count,"
                       " added_by, version")
            values = [self.workspace, None, article.title, article.outlet, article.author, article.url,
                      article.published, article.text, text_hash, len(sentences), actor, 1]
            if replaces is not None:
                key, version = await self._archive(replaces, replaced_vocabulary or {}, actor)
                values[1], values[-1] = key, version
                article_id, action = replaces, "update"
                await self.execute(f"INSERT INTO articles (id, {columns}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                                   [article_id, *values])
            else:
                key, version, action = await self._free_key(article.key), 1, "add"
                values[1] = key
                article_id = await self.insert(f"INSERT INTO articles ({columns}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                                               values)
            sentence_ids = await self.insert_many(
                "sentences", ("workspace", "article_id", "position", "paragraph", "start", '"end"', "text", "heading"),
                [(self.workspace, article_id, s.position, s.paragraph, s.start, s.end, s.text, int(s.heading))
                 for s in sentences])
            starts = [(s.start, s.end, sid) for s, sid in zip(sentences, sentence_ids)]
            await self._insert_derived(article_id, article.text, starts, statements, actions)
            # Sorted, so two processes adding at once lock vocabulary rows in one order.
            await self.executemany(
                "INSERT INTO vocabulary (workspace, word, count) VALUES (?, ?, ?)"
                " ON CONFLICT(workspace, word) DO UPDATE SET count = vocabulary.count + excluded.count",
                [(self.workspace, w, c) for w, c in sorted(vocabulary.items())],
            )
            detail = {"key": key, "title": article.title, "url": article.url}
            if version > 1:
                detail["version"] = version
            await self.execute(
                "INSERT INTO audit (workspace, actor, action, article_id, detail) VALUES (?, ?, ?, ?, ?)",
                (self.workspace, actor, action, article_id, json.dumps(detail, ensure_ascii=False)),
            )
        return article_id, sentence_ids

    async def _archive(self, article_id: int, vocabulary: dict[str, int], actor: str) -> tuple[str, int]:
        """Move an article's current text to its history (inside a transaction); return key, next version."""
        [old] = await self.rows("SELECT * FROM articles WHERE workspace = ? AND id = ?", (self.workspace, article_id))
        await self._count_who(article_id, -1)
        spoken = await self._count_forms("st.article_id = ?", (article_id,), -1)
        await self.execute(
            "INSERT INTO article_versions (workspace, article_id, version, key, title, outlet, author, url, published,"
            " text, text_hash, added_at, added_by, replaced_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (self.workspace, article_id, old["version"], old["key"], old["title"], old["outlet"], old["author"], old["url"],
             old["published"], old["text"], old["text_hash"], old["added_at"], old["added_by"], actor),
        )
        await self.execute("DELETE FROM articles WHERE workspace = ? AND id = ?", (self.workspace, article_id))
        await self.relink(spoken)
        await self._forget_words(vocabulary)
        return old["key"], old["version"] + 1

    async def _forget_words(self, vocabulary: dict[str, int]) -> None:
        # Sorted, so two processes writing at once lock vocabulary rows in one order.
        await self.executemany(
            "UPDATE vocabulary SET count = count - ? WHERE workspace = ? AND word = ?",
            [(c, self.workspace, w) for w, c in sorted(vocabulary.items())],
        )
        await self.execute("DELETE FROM vocabulary WHERE workspace = ? AND count <= 0", (self.workspace,))

    async def same_story_candidates(self, title: str, outlet: str) -> list[tuple[int, str]]:
        """(id, text) of current articles with this title and outlet, any case."""
        rows = await self.rows(
            "SELECT id, text FROM articles WHERE workspace = ? AND lower(title) = lower(?) AND lower(outlet) = lower(?)",
            (self.workspace, title, outlet))
        return [(r["id"], r["text"]) for r in rows]

    async def article_by_url(self, url: str) -> int | None:
        if not url:
            return None
        return await self.scalar("SELECT id FROM articles WHERE workspace = ? AND url = ?", (self.workspace, url))

    async def _free_key(self, key: str) -> str:
        candidate, n = key or "article", 1
        while await self.scalar("SELECT 1 FROM articles WHERE workspace = ? AND key = ?", (self.workspace, candidate)):
            n += 1
            candidate = f"{key}-{n}"
        return candidate

    async def delete_article(self, article_id: int, vocabulary: dict[str, int], actor: str) -> None:
        """Remove an article and everything derived from it, in one transaction."""
        async with self.transaction():
            row = await self.rows("SELECT key, title FROM articles WHERE workspace = ? AND id = ?",
                                  (self.workspace, article_id))
            if not row:
                return  # another workspace's id, or none: nothing of this workspace to remove
            await self._count_who(article_id, -1)
            spoken = await self._count_forms("st.article_id = ?", (article_id,), -1)
            await self.execute("DELETE FROM articles WHERE workspace = ? AND id = ?", (self.workspace, article_id))
            await self.relink(spoken)
            # Removing a story removes its history too.
            await self.execute("DELETE FROM article_versions WHERE workspace = ? AND article_id = ?",
                               (self.workspace, article_id))
            await self._forget_words(vocabulary)
            await self.execute(
                "INSERT INTO audit (workspace, actor, action, article_id, detail) VALUES (?, ?, 'remove', ?, ?)",
                (self.workspace, actor, article_id, json.dumps(dict(row[0]) if row else {}, ensure_ascii=False)),
            )

    async def replace_derived(
        self, article_id: int, statements: Sequence[dict[str, Any]], actions: Sequence[dict[str, Any]]
    ) -> None:
        """Recompute-and-replace statements and actions of one article (re-indexing)."""
        sentences = await self.sentences_of(article_id)
        starts = [(s.start, s.end, s.id) for s in sentences]
        text = await self.article_text(article_id)
        async with self.transaction():
            spoken = await self._count_forms("st.article_id = ?", (article_id,), -1)
            await self.execute("DELETE FROM statements WHERE workspace = ? AND article_id = ?",
                               (self.workspace, article_id))
            await self._count_who(article_id, -1)
            await self.execute("DELETE FROM actions WHERE workspace = ? AND article_id = ?", (self.workspace, article_id))
            await self._insert_derived(article_id, text, starts, statements, actions, spoken)

    async def _insert_derived(
        self, article_id: int, text: str, starts: list[tuple[int, int, int]],
        statements: Sequence[dict[str, Any]], actions: Sequence[dict[str, Any]], spoken: set[str] = frozenset(),
    ) -> None:
        blocks = set(spoken) | await self._write_derived(article_id, text, starts, statements, actions)
        # Moderators' fixes outlive the extraction they correct.
        key = await self.scalar("SELECT key FROM articles WHERE workspace = ? AND id = ?", (self.workspace, article_id))
        for row in await self.rows(
            "SELECT kind, anchor, value FROM corrections WHERE workspace = ? AND article_key IN (?, '')"
            " AND kind <> 'merge' ORDER BY id", (self.workspace, key)
        ):
            blocks |= await self._apply_correction(row["kind"], row["anchor"], row["value"], article_id)
        await self.relink(blocks)
        await self.name_new_statements(article_id)

    # -- corrections -----------------------------------------------------------
    async def add_correction(self, kind: str, article_key: str, anchor: str, value: str, actor: str) -> int:
        """Record a moderator's fix, apply it to what is stored now, and audit it."""
        async with self.transaction():
            correction_id = await self.insert(
                "INSERT INTO corrections (workspace, actor, kind, article_key, anchor, value) VALUES (?,?,?,?,?,?)",
                (self.workspace, actor, kind, article_key, anchor, value))
            article_id = None
            if article_key:
                article_id = await self.scalar("SELECT id FROM articles WHERE workspace = ? AND key = ?",
                                               (self.workspace, article_key))
            if kind == "merge":
                await self.relink(await self._blocks_named(anchor) | await self._blocks_named(value))
            else:
                await self.relink(await self._apply_correction(kind, anchor, value, article_id))
                if article_id is not None:
                    await self.name_new_statements(article_id)
            await self.execute(
                "INSERT INTO audit (workspace, actor, action, article_id, detail) VALUES (?, ?, 'fix', ?, ?)",
                (self.workspace, actor, article_id, json.dumps({"kind": kind, "anchor": anchor, "value": value}, ensure_ascii=False)))
            return correction_id

    async def _apply_correction(self, kind: str, anchor: str, value: str, article_id: int | None) -> set[str]:
        """Make one fix on what is stored now; return the registry blocks it touched."""
        # article_id None: every article (a fix recorded for the whole corpus).
        if article_id is not None:
            where, params = "workspace = ? AND article_id = ? AND ", [self.workspace, article_id]
            these = "st.workspace = ? AND st.article_id = ? AND st.text = ?"  # the statements, for the registry
        else:
            where, params = "workspace = ? AND ", [self.workspace]
            these = "st.workspace = ? AND st.text = ?"
        touched: set[str] = set()
        if kind in ("speaker", "split"):
            touched = await self._count_forms(these, [*params, anchor], -1)
            if kind == "speaker":
                form, role = (value, "person", "", ""), ", role = '', aliases = '[]'"
            else:
                split = json.loads(value)
                form, role = await self._split_form(these, params, anchor, split), ""
            [form_id] = (await self._form_ids([form])).values()
            await self.execute(f"UPDATE statements SET form_id = ?, speaker = ?{role} WHERE {where}text = ?",
                               [form_id, form[0], *params, anchor])
            touched |= await self._count_forms(these, [*params, anchor], 1)
            touched.add(form_block(form[0], form[1], form[3]))
        elif kind == "kind":
            # Rows of one text that differed only in kind may now be one statement: recount them.
            touched = await self._count_forms(these, [*params, anchor], -1)
            await self.execute(f"UPDATE statements SET kind = ? WHERE {where}text = ?", [value, *params, anchor])
            touched |= await self._count_forms(these, [*params, anchor], 1)
        elif kind == "hide_statement":
            touched = await self._count_forms(these, [*params, anchor], -1)
            await self.execute(f"DELETE FROM statements WHERE {where}text = ?", [*params, anchor])
        elif kind == "hide_agent":
            touched = [r[0] for r in await self.tuples(
                f"SELECT DISTINCT article_id FROM actions WHERE {where}lower(agent) = lower(?)", [*params, anchor])]
            for touched_id in touched:
                await self._count_who(touched_id, -1)
            await self.execute(f"DELETE FROM actions WHERE {where}lower(agent) = lower(?)", [*params, anchor])
            for touched_id in touched:
                await self._count_who(touched_id, 1)
            touched = set()
        return touched

    async def _split_form(self, these: str, params: list, anchor: str, split: dict) -> tuple[str, str, str, str]:
        """The form a `!fix split` gives a statement: its own name (or the one given), pinned."""
        rows = await self.tuples(
            f"SELECT f.name, f.kind, f.gender FROM statements st JOIN name_forms f ON f.id = st.form_id"
            f" WHERE {these} LIMIT 1", [*params, anchor])
        if split.get("name"):
            return split["name"], "person", "", ""  # given to the person named, like a speaker fix
        name, kind, gender = rows[0] if rows else (split.get("from") or anchor[:40], "person", "")
        if name == split.get("from"):
            name = f"{name} (2)"  # the article's name is the other person's: told apart
        return name, kind, gender, str(split["pin"])

    async def corrections(self, kind: str | None = None) -> list[aiosqlite.Row]:
        """Recorded fixes, oldest first; only one kind when given."""
        if kind is None:
            return await self.rows("SELECT * FROM corrections WHERE workspace = ? ORDER BY id", (self.workspace,))
        return await self.rows("SELECT * FROM corrections WHERE workspace = ? AND kind = ? ORDER BY id",
                               (self.workspace, kind))

    async def flag(self, query_id: int, actor: str, note: str = "") -> bool:
        """Mark a logged answer as wrong; False when that query id is not in the log."""
        if not await self.scalar("SELECT 1 FROM query_log WHERE workspace = ? AND id = ?", (self.workspace, query_id)):
            return False
        async with self.transaction():
            await self.execute(
                "INSERT INTO flags (workspace, query_id, actor, note) VALUES (?,?,?,?)"
                " ON CONFLICT(query_id, actor) DO UPDATE SET note = excluded.note, at = excluded.at",
                (self.workspace, query_id, actor, note))
        return True

    async def _write_derived(
        self, article_id: int, text: str, starts: list[tuple[int, int, int]],
        statements: Sequence[dict[str, Any]], actions: Sequence[dict[str, Any]],
    ) -> set[str]:
        forms = await self._form_ids(speaker_form(st) for st in statements)
        await self.executemany(
            "INSERT INTO statements (workspace, article_id, sentence_id, speaker, role, aliases, text,"
            ' kind, cue, start, "end", passage_start, passage_end, form_id, mention, terms)'
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(self.workspace, article_id, _sentence_at(starts, st["passage_start"]), speaker_form(st)[0], st["role"],
              json.dumps(list(st["aliases"]), ensure_ascii=False), st["text"], st["kind"],
              st["cue"], st["start"], st["end"], st["passage_start"], st["passage_end"],
              forms[speaker_form(st)], st.get("mention", ""),
              statement_terms(st["text"], text[st["passage_start"]:st["passage_end"]])) for st in statements],
        )
        spoken = await self._count_forms("st.article_id = ?", (article_id,), 1)
        action_ids = await self.insert_many(
            "actions", ("workspace", "article_id", "sentence_id", "agent", "agent_key", "verb", "keys", "action",
                        "target", "passive", "passage_start", "passage_end", "kind", "target_names", "mention",
                        "factuality", "source", "agent_class"),
            [(self.workspace, article_id, _sentence_at(starts, act["passage_start"]), act["agent"],
              act["agent_key"], act["verb"], " ".join(act["keys"]), act["action"],
              act["target"], int(act["passive"]), act["passage_start"], act["passage_end"],
              act.get("kind", "verb"), _target_names(act), act.get("mention", ""), act.get("factuality", "asserted"),
              act.get("source", ""), act.get("agent_class", "")) for act in actions])
        await self.executemany(
            "INSERT INTO action_keys (workspace, key, action_id, article_id, sentence_id, agent, agent_key,"
            " kind, passage_start, mention, words, factuality) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
            [(self.workspace, k, action_id, article_id, _sentence_at(starts, act["passage_start"]), act["agent"],
              act["agent_key"], act.get("kind", "verb"), act["passage_start"], act.get("mention", ""),
              f"{act['action']} {act['target']} {_target_names(act)}", act.get("factuality", "asserted"))
             for act, action_id in zip(actions, action_ids) for k in dict.fromkeys(act["keys"])],
        )
        await self._count_who(article_id, 1)
        return spoken

    async def _count_who(self, article_id: int, sign: int) -> None:
        """Add (sign 1) or take away (-1) one article's share of `who_agents`, !who's counts.

        Called after an article's actions are written and before they are deleted, in the
        same transaction. Counts of distinct articles and passages add up over articles;
        the first action of an agent is looked up again when its article goes.
        """
        await self.execute(WHO_COUNT.format(sign=int(sign), rows="k.workspace = ? AND k.article_id = ?"),
                           (self.workspace, article_id))
        if sign < 0:
            await self.execute("DELETE FROM who_agents WHERE workspace = ? AND n_rows <= 0", (self.workspace,))
            # Agents left with rows elsewhere whose first action was in this article.
            await self.execute(
                "UPDATE who_agents SET first_action = (SELECT min(k.action_id) FROM action_keys k"
                " WHERE k.workspace = who_agents.workspace AND k.key = who_agents.key"
                " AND k.agent_key = who_agents.agent_key AND k.agent = who_agents.agent"
                f" AND {_ALONE} = who_agents.alone AND k.article_id <> ? AND k.sentence_id IS NOT NULL"
                f" AND {_ASSERTED})"
                " WHERE workspace = ? AND first_action IN"
                " (SELECT action_id FROM action_keys WHERE workspace = ? AND article_id = ?)",
                (article_id, self.workspace, self.workspace, article_id))

    async def recount_who(self) -> None:
        """Rebuild `who_agents` from every stored action (after rows were bulk-loaded around the store)."""
        async with self.transaction():
            await self.execute("DELETE FROM who_agents WHERE workspace = ?", (self.workspace,))
            await self.execute(WHO_COUNT.format(sign=1, rows="k.workspace = ?"), (self.workspace,))

    async def audit(self, actor: str, action: str, article_id: int | None, detail: str) -> None:
        await self.execute(
            "INSERT INTO audit (workspace, actor, action, article_id, detail) VALUES (?,?,?,?,?)",
            (self.workspace, actor, action, article_id, detail),
        )

    async def article_ids(self) -> list[int]:
        return [r[0] for r in await self.rows("SELECT id FROM articles WHERE workspace = ? ORDER BY id",
                                              (self.workspace,))]

    async def articles(self, ids: Iterable[int] | None = None) -> dict[int, aiosqlite.Row]:
        """Article rows (without the body) by id."""
        if ids is None:
            rows = await self.rows(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE workspace = ? ORDER BY id",
                                   (self.workspace,))
        else:
            wanted = sorted(set(ids))
            if not wanted:
                return {}
            marks = ",".join("?" * len(wanted))
            rows = await self.rows(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE workspace = ? AND id IN ({marks})",
                                   [self.workspace, *wanted])
        return {r["id"]: r for r in rows}

    async def article_text(self, article_id: int) -> str | None:
        return await self.scalar("SELECT text FROM articles WHERE workspace = ? AND id = ?", (self.workspace, article_id))

    async def find_duplicate(self, text_hash: str, url: str = "") -> int | None:
        """Id of a current article with the same normalised text (or, when given, the same URL)."""
        found = await self.scalar("SELECT id FROM articles WHERE workspace = ? AND text_hash = ?",
                                  (self.workspace, text_hash))
        if found is None and url:
            found = await self.scalar("SELECT id FROM articles WHERE workspace = ? AND url = ?", (self.workspace, url))
        return found

    async def first_passages(self, article_ids: Sequence[int]) -> dict[int, int]:
        """Each article's first passage id (headings left out)."""
        if not article_ids:
            return {}
        marks = ",".join("?" * len(article_ids))
        rows = await self.rows(f"SELECT article_id, min(id) FROM sentences WHERE workspace = ? AND heading = 0"
                               f" AND article_id IN ({marks}) GROUP BY article_id", [self.workspace, *article_ids])
        return {r[0]: r[1] for r in rows}

    async def earlier_versions(self, article_id: int) -> int:
        """How many earlier versions of this story are kept."""
        return await self.scalar("SELECT count(*) FROM article_versions WHERE workspace = ? AND article_id = ?",
                                 (self.workspace, article_id))

    async def sentences_by_id(self, ids: Sequence[int]) -> dict[int, SentenceRow]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = await self.rows(f"SELECT * FROM sentences WHERE workspace = ? AND id IN ({marks})",
                               [self.workspace, *ids])
        return {r["id"]: _sentence(r) for r in rows}

    async def sentences_of(self, article_id: int) -> list[SentenceRow]:
        rows = await self.rows(
            "SELECT * FROM sentences WHERE workspace = ? AND article_id = ? ORDER BY position",
            (self.workspace, article_id)
        )
        return [_sentence(r) for r in rows]

    async def sentence_window(self, sentence_id: int, window: int) -> list[SentenceRow]:
        """The passage and up to `window` neighbours each side, same article."""
        rows = await self.rows(
            "SELECT s.* FROM sentences s JOIN sentences c ON c.article_id = s.article_id"
            " WHERE c.workspace = ? AND c.id = ? AND s.position BETWEEN c.position - ? AND c.position + ?"
            " ORDER BY s.position",
            (self.workspace, sentence_id, window, window),
        )
        return [_sentence(r) for r in rows]

    async def all_sentences(self, article_ids: Iterable[int] | None = None):
        """Every stored passage, article by article (for rebuilding the index)."""
        sql = "SELECT * FROM sentences WHERE workspace = ?"
        params: list[Any] = [self.workspace]
        if article_ids is not None:
            ids = sorted(set(article_ids))
            if not ids:
                return []
            sql += f" AND article_id IN ({','.join('?' * len(ids))})"
            params += ids
        return [_sentence(r) for r in await self.rows(sql + " ORDER BY article_id, position", params)]

    async def sentence_counts(self) -> dict[int, int]:
        rows = await self.rows("SELECT id, sentence_count FROM articles WHERE workspace = ?", (self.workspace,))
        return {r[0]: r[1] for r in rows}

    async def words_near(self, word: str, limit: int = 200) -> list[str]:
        """Indexed words sharing the first two letters with `word`, most used first."""
        prefix = word[:2]
        rows = await self.rows(
            "SELECT word FROM vocabulary WHERE workspace = ? AND word >= ? AND word < ? ORDER BY count DESC LIMIT ?",
            (self.workspace, prefix, prefix + "\uffff", limit),
        )
        return [r[0] for r in rows]

    # -- the change sequence (only a shared store has one) ----------------------
    async def last_change(self) -> int:
        """The sequence number of the latest add or remove; 0 for a store nobody else writes."""
        return 0

    async def changes_since(self, seq: int, limit: int = 5000) -> list[tuple[int, int, str]]:
        """(seq, article id, 'add' | 'remove') after `seq`, oldest first."""
        return []

    async def listen(self, wake: Callable[[], None]) -> Callable[[], Awaitable[None]] | None:
        """Call `wake` whenever another process commits a change; returns how to stop listening."""
        return None

    async def shared_salt(self) -> bytes | None:
        """The privacy salt every process of a shared store uses; None: a file beside the database."""
        return None

    # -- per-user cooldown ---------------------------------------------------------
    async def take_cooldown(self, user_key: str, rate: int, per: float) -> float:
        """Count one command of `user_key`; seconds to wait if `rate` were already used in `per`, else 0.

        Kept in memory here: only this process answers a store nobody else writes.
        """
        now = time.monotonic()
        user_key = f"{self.workspace}\x00{user_key}"  # one server's limit is not another's
        hits = [t for t in self._cooldowns.get(user_key, ()) if t > now - per]
        if len(hits) >= rate:
            self._cooldowns[user_key] = hits
            return hits[-rate] + per - now
        self._cooldowns[user_key] = [*hits, now]
        return 0.0

    # -- query log -----------------------------------------------------------
    async def log_query(self, entry: dict[str, Any]) -> int:
        return await self.insert(
            "INSERT INTO query_log (workspace, frontend, guild_id, channel_id, user_id, command, query,"
            " result_count, latency_ms, result_ids, ok, error) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (self.workspace, entry["frontend"], _text_or_none(entry.get("guild_id")), _text_or_none(entry.get("channel_id")),
             _text_or_none(entry.get("user_id")), entry["command"], entry.get("query", ""),
             entry.get("result_count", 0), float(entry.get("latency_ms", 0.0)),
             json.dumps(entry.get("result_ids", [])), int(entry.get("ok", True)), entry.get("error", "")),
        )

    async def who_rows(self, keys: Sequence[str], with_words: bool = True) -> list[tuple]:
        """(action_id, article_id, sentence_id, agent, agent_key, kind, passage_start, mention,
        words) of the actions found under any of `keys`, each once, in text order; `words`
        is left empty unless asked for."""
        keys = [k for k in dict.fromkeys(keys) if k]
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        words = "k.words" if with_words else "''"
        rows = await self.tuples(
            "SELECT k.action_id, k.article_id, k.sentence_id, k.agent, k.agent_key, k.kind, k.passage_start,"
            f" k.mention, {words} FROM action_keys k WHERE k.workspace = ? AND k.key IN ({marks})"
            f" AND k.sentence_id IS NOT NULL AND {_ASSERTED}",
            [self.workspace, *keys],
        )
        if len(keys) > 1:
            rows = list({row[0]: row for row in rows}.values())
        rows.sort(key=lambda row: row[0])  # ids follow the text within an article
        return rows

    async def who_tallies(self, keys: Sequence[str], unresolved: bool = False) -> list[tuple]:
        """(key, agent_key, agent, alone, n_rows, passages, articles, clause_passages,
        clause_articles, weak, first_action) of the agents stored under `keys`: those named,
        or (`unresolved`) each article's pronouns nobody resolved."""
        keys = [k for k in dict.fromkeys(keys) if k]
        if not keys:
            return []
        return await self.tuples(
            "SELECT key, agent_key, agent, alone, n_rows, passages, articles, clause_passages, clause_articles,"
            f" weak, first_action FROM who_agents WHERE workspace = ? AND key IN ({','.join('?' * len(keys))})"
            f" AND alone {'<>' if unresolved else '='} 0", [self.workspace, *keys])

    async def who_group_tally(self, keys: Sequence[str], agent_keys: Sequence[str],
                              alone: int) -> tuple[tuple, list[tuple]]:
        """(rows, passages, articles, clause_passages, clause_articles, weak, first_action) of one
        agent group counted afresh (its spellings may share articles, and an action may be
        under two keys, so counts don't add up), and (spelling, rows, first_action) of each."""
        where, params = self._who_group(keys, agent_keys, alone)
        spellings = await self.tuples(
            f"SELECT k.agent, count(DISTINCT k.action_id), min(k.action_id) FROM action_keys k WHERE {where}"
            " GROUP BY k.agent", params)
        rows = await self.tuples(
            f"SELECT count(DISTINCT k.action_id), count(DISTINCT {_PASSAGE}), count(DISTINCT k.article_id),"
            f" count(DISTINCT CASE WHEN {_CLAUSE} THEN {_PASSAGE} END),"
            f" count(DISTINCT CASE WHEN {_CLAUSE} THEN k.article_id END),"
            f" count(DISTINCT CASE WHEN {_CLAUSE} THEN NULL ELSE k.action_id END), min(k.action_id)"
            f" FROM action_keys k WHERE {where}", params)
        return tuple(rows[0]), [tuple(row) for row in spellings]

    async def who_evidence(self, keys: Sequence[str], groups: Sequence[tuple[Sequence[str], int, bool]],
                           limit: int) -> list[list[tuple]]:
        """who_rows' rows of each agent group (agent keys, alone, strongest first), up to
        `limit` each, in text order with clauses first when asked; one read for them all."""
        if not groups:
            return []
        found: list[list[tuple]] = [[] for _ in groups]
        # Clauses in text order read straight off the agent index; an agent seldom needs
        # its weaker rows (bare nouns, then no stated agent) to fill the page.
        await self._who_evidence_pass(keys, groups, limit, found, weaker=False)
        short = [n for n, (_, _, strongest) in enumerate(groups) if strongest and len(found[n]) < limit]
        if short:
            await self._who_evidence_pass(keys, groups, limit, found, weaker=True, only=short)
        return [list({row[0]: row for row in rows}.values()) for rows in found]  # an action under both keys once

    async def _who_evidence_pass(self, keys, groups, limit, found, weaker: bool, only=None) -> None:
        parts, params = [], []
        for n in (range(len(groups)) if only is None else only):
            agent_keys, alone, strongest = groups[n]
            where, values = self._who_group(keys, agent_keys, alone)
            if weaker:
                where, order = f"{where} AND NOT ({_CLAUSE})", f"{_STRENGTH} DESC, "
            elif strongest:
                where, order = f"{where} AND {_CLAUSE}", ""
            else:
                order = ""
            parts.append(
                f"SELECT * FROM (SELECT {int(n)} AS grp, k.action_id, k.article_id, k.sentence_id, k.agent,"
                f" k.agent_key, k.kind, k.passage_start, k.mention, '' AS words FROM action_keys k WHERE {where}"
                f" ORDER BY {order}k.article_id, k.passage_start, k.action_id LIMIT ?) AS g{int(n)}")
            params += [*values, limit - len(found[n])]
        # One statement: each part still reads only its own agent's first rows.
        for row in await self.tuples(" UNION ALL ".join(parts), params):
            found[row[0]].append(tuple(row[1:]))

    async def who_matching(self, keys: Sequence[str], patterns: Sequence[str]) -> list[tuple]:
        """who_rows' rows (words included) whose words contain any of `patterns` (LIKE, any case)."""
        keys = [k for k in dict.fromkeys(keys) if k]
        if not keys or not patterns:
            return []
        likes = " OR ".join(f"k.words {self.LIKE_ANY_CASE} ?" for _ in patterns)
        rows = await self.tuples(
            "SELECT k.action_id, k.article_id, k.sentence_id, k.agent, k.agent_key, k.kind, k.passage_start,"
            f" k.mention, k.words FROM action_keys k WHERE k.workspace = ? AND k.key IN ({','.join('?' * len(keys))})"
            f" AND k.sentence_id IS NOT NULL AND {_ASSERTED} AND ({likes})", [self.workspace, *keys, *patterns])
        return sorted({row[0]: row for row in rows}.values(), key=lambda row: row[0])

    async def who_action_count(self, keys: Sequence[str]) -> int:
        """Distinct actions under any of `keys`."""
        keys = [k for k in dict.fromkeys(keys) if k]
        if len(keys) == 1:
            return int(await self.scalar("SELECT sum(n_rows) FROM who_agents WHERE workspace = ? AND key = ?",
                                         [self.workspace, *keys]) or 0)
        return await self.scalar(
            "SELECT count(DISTINCT k.action_id) FROM action_keys k"
            f" WHERE k.workspace = ? AND k.key IN ({','.join('?' * len(keys))}) AND k.sentence_id IS NOT NULL"
            f" AND {_ASSERTED}",
            [self.workspace, *keys]) or 0

    def _who_group(self, keys: Sequence[str], agent_keys: Sequence[str], alone: int) -> tuple[str, list]:
        keys = [k for k in dict.fromkeys(keys) if k]
        agent_keys = list(dict.fromkeys(agent_keys))
        where = (f"k.workspace = ? AND k.key IN ({','.join('?' * len(keys))})"
                 f" AND k.agent_key IN ({','.join('?' * len(agent_keys))}) AND {_ALONE} = ? AND k.sentence_id IS NOT NULL"
                 f" AND {_ASSERTED}")
        return where, [self.workspace, *keys, *agent_keys, alone]

    async def who_reported(self, keys: Sequence[str], limit: int) -> list[tuple]:
        """who_rows' rows (words included) of the actions under `keys` that are not
        asserted (refused, planned, demanded...), each with its factuality last; the
        first `limit` in text order."""
        keys = [k for k in dict.fromkeys(keys) if k]
        if not keys:
            return []
        rows = await self.tuples(
            "SELECT k.action_id, k.article_id, k.sentence_id, k.agent, k.agent_key, k.kind, k.passage_start,"
            f" k.mention, k.words, k.factuality FROM action_keys k WHERE k.workspace = ?"
            f" AND k.key IN ({','.join('?' * len(keys))})"
            f" AND k.factuality <> 'asserted' AND k.sentence_id IS NOT NULL ORDER BY k.action_id LIMIT ?",
            [self.workspace, *keys, int(limit) * len(keys)])
        return sorted({row[0]: row for row in rows}.values(), key=lambda row: row[0])[:limit]

    async def action_phrases(self, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        """id -> (action, target) as printed, for the actions an answer shows."""
        return {i: (row[0], row[1]) for i, row in (await self.action_details(ids)).items()}

    async def action_details(self, ids: Sequence[int]) -> dict[int, tuple[str, str, str, str, str]]:
        """id -> (action, target, factuality, source, agent_class) of the actions an answer shows."""
        ids = list(dict.fromkeys(ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = await self.rows(
            f"SELECT id, action, target, factuality, source, agent_class FROM actions WHERE workspace = ? AND id IN ({marks})",
            [self.workspace, *ids])
        return {row[0]: tuple(row[1:]) for row in rows}

    async def record_page_turn(self, log_id: int, page: int) -> None:
        """A click on Previous/Next under a logged answer (a sign the answer was useful)."""
        await self.execute("INSERT INTO page_turns (workspace, query_id, page) SELECT workspace, id, ? FROM query_log"
                           " WHERE workspace = ? AND id = ?", (page, self.workspace, log_id))

    async def mark_failed(self, log_id: int, error: str) -> None:
        """Record that a logged command's answer could not be delivered."""
        await self.execute("UPDATE query_log SET ok = 0, error = ? WHERE workspace = ? AND id = ?",
                           (error[:500], self.workspace, log_id))

    async def prune_log(self, days: int) -> int:
        """Delete query-log rows older than `days` days, in every workspace; return how many."""
        if days <= 0:
            return 0
        # `at` is ISO-8601 UTC text in both backends, so text order is time order.
        cutoff = datetime.now(timezone.utc) - timedelta(days=int(days))
        # Every workspace's: retention is the operator's rule for the whole file, and a
        # workspace nobody asks in any more must not keep its log past it.
        return await self.execute("DELETE FROM query_log WHERE at < ?" + EVERY_WORKSPACE, (_utc_text(cutoff),))


def explain(exc: Exception) -> str:
    """A SQLite error in words a moderator can act on."""
    text = str(exc)
    if "full" in text:
        return "the database is full (disk space or size limit); free space and retry"
    if "locked" in text or "busy" in text:
        return "the database is locked by another program; retry when it is done"
    if "readonly" in text or "read-only" in text:
        return "the database is read-only; check the permissions of the file and its folder"
    if "unable to open" in text:
        return "cannot create or open the file; check that its folder is writable"
    return text.split("\n", 1)[0]


def _utc_text(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%S.") + f"{instant.microsecond // 1000:03d}Z"


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _sentence(row: aiosqlite.Row) -> SentenceRow:
    return SentenceRow(row["id"], row["article_id"], row["position"], row["paragraph"],
                       row["start"], row["end"], row["text"], bool(row["heading"]))


def _target_names(action: dict[str, Any]) -> str:
    return json.dumps(list(action.get("target_names", ())), ensure_ascii=False)


def _sentence_at(spans: list[tuple[int, int, int]], offset: int) -> int | None:
    for start, end, sentence_id in spans:
        if start <= offset < end or (offset == start):
            return sentence_id
    # A statement may start in leading whitespace or a quote mark before the span.
    for start, end, sentence_id in spans:
        if offset < end:
            return sentence_id
    return spans[-1][2] if spans else None

