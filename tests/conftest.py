"""Shared fixtures: the real spaCy model, real SQLite files in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from coveragebot.index.text.pipeline import load_pipeline
from coveragebot.index.service import Service
from coveragebot.index.settings import load_settings

# The dpytest bot and its members, for tests/bot and tests/stress alike; a throwaway PostgreSQL.
pytest_plugins = ["tests.bot.fixtures", "tests._postgres"]

# Everything the tests read is in the repository: a clone carries its own fixtures.
DATA = Path(__file__).resolve().parent / "data"
CORPUS = DATA / "corpus"  # eight published articles, four with their HTML pages
GOLD = DATA / "eval" / "dev-gold.json"  # hand annotations of four articles
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
