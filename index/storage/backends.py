"""Which store a process opens: PostgreSQL when `storage.url` is set, else the SQLite file."""

from __future__ import annotations

from coveragebot.index.storage.store import Store


async def open_store(settings) -> Store:
    """The store the settings name: PostgreSQL for storage.url, else the SQLite file."""
    if settings.storage_url:
        from coveragebot.index.storage.postgres import PostgresStore

        return await PostgresStore.open(settings.storage_url)
    return await Store.open(settings.db_path)
