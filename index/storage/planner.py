"""What SQLite's query planner is told about the workspace indexes (its sqlite_stat1 table).

Every table that holds a newsroom's rows has an index led by `workspace`. Without
statistics SQLite guesses that an equality on the first column of an index picks about ten
rows, so `WHERE workspace = ? AND id IN (...)` walked the whole workspace instead of looking
the ids up by key, and the registry's per-person counts read every statement of the
workspace: at a million sentences an add took minutes. A workspace is most of its table;
one statistics row per workspace index says so, and SQLite's documentation allows an
application to write that table to steer its plans. A row ANALYZE wrote is left as it is.

Imports: nothing of the project (the store calls it with its open connection).
"""

from __future__ import annotations

# Rows a table is taken to hold, and rows each workspace holds of it: all of them. Each
# further column of an index narrows to about ten rows, SQLite's own guess for an equality.
TABLE_ROWS = 1_000_000
NARROWED = 10


async def steer(db) -> int:
    """Write the missing statistics rows of the workspace indexes; how many were written."""
    # One writer at a time: import workers open the same file together.
    await db.execute("BEGIN IMMEDIATE")
    try:
        await db.execute("ANALYZE sqlite_master")  # makes sqlite_stat1 if the file has none; analyzes nothing
        rows = await _missing(db)
        if rows:
            await db.executemany("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", rows)
        await db.execute("COMMIT")
    except BaseException:
        await db.execute("ROLLBACK")
        raise
    if rows:
        await db.execute("ANALYZE sqlite_master")  # the planner reads the rows now, not at the next open
    return len(rows)


async def _missing(db) -> list[tuple[str, str, str]]:
    """(table, index, statistics) of each workspace index without a statistics row."""
    async with db.execute("SELECT idx FROM sqlite_stat1") as cursor:
        known = {row[0] for row in await cursor.fetchall()}
    async with db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") as cursor:
        tables = [row[0] for row in await cursor.fetchall()]
    rows = []
    for table in tables:
        async with db.execute(f'PRAGMA index_list("{table}")') as cursor:
            indexes = [row[1] for row in await cursor.fetchall()]
        for index in indexes:
            if index in known:
                continue
            async with db.execute(f'PRAGMA index_info("{index}")') as cursor:
                columns = [row[2] for row in await cursor.fetchall()]
            if columns and columns[0] == "workspace":
                rows.append((table, index, " ".join([str(TABLE_ROWS)] * 2 + [str(NARROWED)] * (len(columns) - 1))))
    return rows
