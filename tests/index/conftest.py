"""The engine's tests run twice: on a SQLite file and on a throwaway PostgreSQL database."""

from __future__ import annotations

import pytest

from coveragebot.index.service import Service
from coveragebot.index.settings import load_settings


@pytest.fixture(params=["sqlite", "postgres"])
def settings(request, tmp_path):
    """Settings for a new store of each backend; the search index sits in tmp_path either way."""
    if request.param == "sqlite":
        yield load_settings(env={}, storage_db=str(tmp_path / "coverage.db"))
        return
    server = request.getfixturevalue("postgres_server")
    url = server.new_database()
    yield load_settings(env={}, storage_db=str(tmp_path / "coverage.db"), storage_url=url)
    server.drop_database(url)


@pytest.fixture
def sqlite_settings(tmp_path):
    """For what only a SQLite file has: its PRAGMAs, a file opened with sqlite3."""
    return load_settings(env={}, storage_db=str(tmp_path / "coverage.db"))


@pytest.fixture
def postgres_settings(postgres_server, tmp_path):
    """For what only a shared store has: the change sequence, the import job table."""
    url = postgres_server.new_database()
    yield load_settings(env={}, storage_db=str(tmp_path / "coverage.db"), storage_url=url,
                        storage_index=str(tmp_path / "replica.index"), storage_seed_on_first_use=False)
    postgres_server.drop_database(url)


@pytest.fixture
async def postgres_service(postgres_settings):
    opened = await Service.open(postgres_settings)
    yield opened
    await opened.close()
