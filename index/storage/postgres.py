"""The store on PostgreSQL (asyncpg): the primitives, migrations, errors.

Every query of `Store` runs unchanged: placeholders `?` become `$1, $2, …` here, and
the schema (`index.storage.schema_postgres`) keeps SQLite's column types and timestamp text.
A pool gives each task its own connection, so several tasks and several processes
write at once; a transaction holds one connection for the task that opened it.
"""

from __future__ import annotations

import contextlib
import functools
import re
import secrets
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from coveragebot.index.storage.schema_postgres import CHANGES_CHANNEL, MIGRATIONS
from coveragebot.index.storage.store import _TRANSACTION, Store, StoreError, _checked
from coveragebot.index.workspace_names import DEFAULT_WORKSPACE

SCHEMA_VERSION = len(MIGRATIONS)
# Held while migrating, so two processes starting at once do not both migrate.
_MIGRATION_LOCK = 771500114
_QUOTED_OR_MARK = re.compile(r"'[^']*'|\"[^\"]*\"|\?")


class PostgresStore(Store):
    """A PostgreSQL database shared by every process of one newsroom."""

    shared = True
    LIKE_ANY_CASE = "ILIKE"
    DATED_ARTICLES = "articles AS d"  # the planner's own statistics choose the index

    def __init__(self, pool: asyncpg.Pool, url: str) -> None:
        self.pool = pool
        self.url = url
        self.path = redacted(url)
        self.workspace = DEFAULT_WORKSPACE
        self.owns_connection = True
        # One LISTEN connection for every workspace's replica in this process.
        self._listening: dict = {"conn": None, "wakes": set()}

    @classmethod
    async def open(cls, url: str, max_connections: int = 8) -> "PostgresStore":
        """Connect a pool and migrate to the current schema."""
        try:
            pool = await asyncpg.create_pool(url, min_size=1, max_size=max_connections, command_timeout=120,
                                             reset=_keep_session)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            raise StoreError(f"cannot open database {redacted(url)}: {explain(exc)}") from exc
        store = cls(pool, url)
        try:
            await store.migrate()
            await store.fill_statement_terms()
        except (OSError, asyncpg.PostgresError) as exc:
            await pool.close()
            raise StoreError(f"cannot use database {store.path}: {explain(exc)}") from exc
        except BaseException:
            await pool.close()
            raise
        return store

    async def close(self) -> None:
        if self.owns_connection:
            await self.pool.close()

    async def schema_version(self) -> int:
        if await self.scalar("SELECT to_regclass('schema_version')") is None:
            return 0
        return await self.scalar("SELECT version FROM schema_version")

    async def migrate(self) -> int:
        """Apply the migrations this database has not seen; return the schema version."""
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATION_LOCK)
            await conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            version = await conn.fetchval("SELECT version FROM schema_version")
            if version is None:
                version = 0
                await conn.execute("INSERT INTO schema_version (version) VALUES (0)")
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"database {self.path} has schema {version}, newer than this coveragebot ({SCHEMA_VERSION})"
                )
            for number in range(version, SCHEMA_VERSION):
                await conn.execute(MIGRATIONS[number])
                await conn.execute("UPDATE schema_version SET version = $1", number + 1)
        return SCHEMA_VERSION

    # -- the change sequence (filled by a trigger on articles) -----------------
    async def last_change(self) -> int:
        return await self.scalar("SELECT coalesce(max(seq), 0) FROM changes WHERE workspace = ?", (self.workspace,))

    async def changes_since(self, seq: int, limit: int = 5000) -> list[tuple[int, int, str]]:
        rows = await self.rows("SELECT seq, article_id, kind FROM changes WHERE workspace = ? AND seq > ?"
                               " ORDER BY seq LIMIT ?", (self.workspace, seq, limit))
        return [(r["seq"], r["article_id"], r["kind"]) for r in rows]

    async def listen(self, wake: Callable[[], None]) -> Callable[[], Awaitable[None]]:
        # A connection of its own: a pooled one would carry the LISTEN to other tasks. One
        # for the process: every workspace's replica is woken by it and reads its own changes.
        state = self._listening
        if state["conn"] is None:
            conn = await asyncpg.connect(self.url)
            await conn.add_listener(CHANGES_CHANNEL, lambda *_: [w() for w in list(state["wakes"])])
            state["conn"] = conn
        state["wakes"].add(wake)

        async def stop() -> None:
            state["wakes"].discard(wake)
            if not state["wakes"] and state["conn"] is not None:
                conn, state["conn"] = state["conn"], None
                await conn.close()

        return stop

    async def shared_salt(self) -> bytes:
        await self.execute("INSERT INTO secrets (name, value) VALUES ('privacy_salt', ?) ON CONFLICT DO NOTHING",
                           (secrets.token_bytes(32),))
        return await self.scalar("SELECT value FROM secrets WHERE name = 'privacy_salt'")

    async def take_cooldown(self, user_key: str, rate: int, per: float) -> float:
        """Count one command in the store, so every bot process sees the user's earlier ones."""
        now = time.time()
        async with self.transaction():
            # One user's commands are counted one at a time, whichever process answers them.
            await self.execute("SELECT pg_advisory_xact_lock(hashtext(?))", (f"{self.workspace}:{user_key}",))
            await self.execute("DELETE FROM cooldown_hits WHERE workspace = ? AND user_key = ? AND at <= ?",
                               (self.workspace, user_key, now - per))
            hits = [r[0] for r in await self.rows(
                "SELECT at FROM cooldown_hits WHERE workspace = ? AND user_key = ? ORDER BY at",
                (self.workspace, user_key))]
            if len(hits) >= rate:
                return hits[-rate] + per - now
            await self.execute("INSERT INTO cooldown_hits (workspace, user_key, at) VALUES (?, ?, ?)",
                               (self.workspace, user_key, now))
        return 0.0

    async def _lock_blocks(self, blocks) -> None:
        """Writers relinking the same registry blocks take turns (in one order: no deadlock)."""
        for block in blocks:
            await self.execute("SELECT pg_advisory_xact_lock(hashtext(?))", (f"people:{self.workspace}:{block}",))

    # -- the primitives ------------------------------------------------------
    @contextlib.asynccontextmanager
    async def _connection(self):
        current = _TRANSACTION.get()
        if current is not None and current[0] is self:
            yield current[1]
            return
        try:
            async with self.pool.acquire() as conn:
                yield conn
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            raise StoreError(f"cannot use database {self.path}: {explain(exc)}") from exc

    async def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        async with self._connection() as conn:
            return await conn.fetchval(numbered(sql), *_clean(params))

    async def rows(self, sql: str, params: Sequence[Any] = ()) -> list[asyncpg.Record]:
        async with self._connection() as conn:
            return await conn.fetch(numbered(sql), *_clean(params))

    async def tuples(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        async with self._connection() as conn:
            return [tuple(r) for r in await conn.fetch(numbered(sql), *_clean(params))]

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        async with self._connection() as conn:
            status = await conn.execute(numbered(sql), *_clean(params))
        # The status reads "DELETE 3", "UPDATE 1", "INSERT 0 1": the count comes last.
        tail = status.rsplit(" ", 1)[-1]
        return int(tail) if tail.isdigit() else 0

    async def executemany(self, sql: str, params: Iterable[Sequence[Any]]) -> None:
        batch = [_clean(p) for p in params]
        if batch:
            async with self._connection() as conn:
                await conn.executemany(numbered(sql), batch)

    async def insert_many(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[int]:
        """Rows into a table with an identity `id`: their ids drawn from its sequence in one
        round trip, then the rows in one batch; the ids, in order."""
        if not rows:
            return []
        async with self._connection() as conn:
            ids = sorted(r[0] for r in await conn.fetch(
                "SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)", table, len(rows)))
            marks = ", ".join(f"${n}" for n in range(1, len(columns) + 2))
            await conn.executemany(f"INSERT INTO {table} (id, {', '.join(columns)}) VALUES ({marks})",
                                   [_clean((row_id, *row)) for row_id, row in zip(ids, rows)])
        return ids

    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        async with self._connection() as conn:
            return await conn.fetchval(numbered(sql) + " RETURNING id", *_clean(params))

    @contextlib.asynccontextmanager
    async def transaction(self):
        """One connection, BEGIN … COMMIT; every primitive of this task uses it meanwhile."""
        try:
            async with self.pool.acquire() as conn, conn.transaction():
                token = _TRANSACTION.set((self, conn))
                try:
                    yield conn
                finally:
                    _TRANSACTION.reset(token)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            raise StoreError(f"cannot write to database {self.path}: {explain(exc)}") from exc


async def _keep_session(conn: asyncpg.Connection) -> None:
    # asyncpg resets a connection on release with one more round trip; ours keep no
    # session state (advisory locks are per transaction, LISTEN has its own connection).
    return None


@functools.lru_cache(maxsize=1024)
def numbered(sql: str) -> str:
    """SQLite's `?` placeholders as PostgreSQL's `$1, $2, …` (quoted text left alone)."""
    _checked(sql)
    count = 0

    def number(match: re.Match) -> str:
        nonlocal count
        if match.group(0) != "?":
            return match.group(0)
        count += 1
        return f"${count}"

    return _QUOTED_OR_MARK.sub(number, sql)


def _clean(params: Sequence[Any]) -> list[Any]:
    # PostgreSQL text cannot hold NUL, which SQLite stores; it carries no meaning in news text.
    return [p.replace("\x00", "") if isinstance(p, str) and "\x00" in p else p for p in params]


def redacted(url: str) -> str:
    """The URL without its password, fit for logs and messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def explain(exc: BaseException) -> str:
    """A PostgreSQL or connection error in words an operator can act on."""
    if isinstance(exc, (ConnectionRefusedError, OSError)) and not isinstance(exc, asyncpg.PostgresError):
        return f"cannot reach the server ({exc.strerror or exc}); is PostgreSQL running at that host and port?"
    if isinstance(exc, asyncpg.InvalidPasswordError | asyncpg.InvalidAuthorizationSpecificationError):
        return "the server refused the user name or password; check the URL or PGPASSWORD"
    if isinstance(exc, asyncpg.InvalidCatalogNameError):
        return "no such database; create it first (createdb) or fix the URL"
    if isinstance(exc, asyncpg.DiskFullError):
        return "the database server's disk is full; free space and retry"
    if isinstance(exc, asyncpg.ReadOnlySQLTransactionError):
        return "the database is read-only (a standby?); point storage.url at the primary"
    return str(exc).split("\n", 1)[0]
