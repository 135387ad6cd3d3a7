"""Shared fixtures: the real spaCy model, real SQLite files in tmp_path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from index.nlp import load_pipeline
from index.service import Service
from index.settings import load_settings

# The dpytest bot and its members, for tests/bot and tests/stress alike; a throwaway PostgreSQL.
pytest_plugins = ["tests.bot.fixtures", "tests._postgres"]

# The team's shared material sits beside the checkout (CI lays a copy there too).
SHARED = Path(os.environ.get("COVERAGEBOT_SHARED", Path(__file__).resolve().parents[2] / "shared"))
CORPUS = SHARED / "corpus"
GOLD = SHARED / "eval" / "dev-gold.json"
SEEDS = Path(__file__).resolve().parents[1] / "config" / "seeds"


@pytest.fixture(scope="session")
def nlp():
    return load_pipeline()


@pytest.fixture
def settings(tmp_path):
    return load_settings(env={}, storage_db=str(tmp_path / "coverage.db"))


@pytest.fixture
async def service(settings):
    opened = await Service.open(settings)
    yield opened
    await opened.close()


@pytest.fixture
async def empty_service(settings):
    opened = await Service.open(settings, seed=False)
    yield opened
    await opened.close()
