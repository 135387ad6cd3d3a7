"""compose.yaml: PostgreSQL, two bot shards and an import worker, using only settings that exist."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from coveragebot.bot.terminal.cli import build_parser
from coveragebot.index.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def services() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))["services"]


def environment_of(service: dict) -> dict[str, str]:
    # Compose interpolates ${VAR:?message} from .env; a placeholder stands in for it here.
    return {name: str(value).replace("${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}", "pw")
            for name, value in service.get("environment", {}).items()}


def coveragebot_services(services: dict) -> dict[str, dict]:
    return {name: s for name, s in services.items() if name != "postgres"}


def test_postgres_keeps_its_data_in_a_volume_and_reports_health(services):
    postgres = services["postgres"]
    assert postgres["image"].startswith("postgres:")
    assert any(v.endswith(":/var/lib/postgresql/data") for v in postgres["volumes"])
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])


def test_every_setting_it_sets_exists_and_loads(services):
    for name, service in coveragebot_services(services).items():
        env = {k: v for k, v in environment_of(service).items() if k.startswith("COVERAGEBOT_")}
        settings = load_settings(env=env)  # an unknown or malformed setting raises here
        for variable in env:
            known = variable in {"COVERAGEBOT_DATABASE_URL", "COVERAGEBOT_DB"} or hasattr(
                settings, variable.removeprefix("COVERAGEBOT_").lower())
            assert known, f"{name}: {variable} is no setting"
        assert settings.storage_url.startswith("postgresql://coveragebot:pw@postgres:5432/"), name
        assert settings.storage_index, f"{name}: each container keeps its own replica"


def test_two_bot_shards_split_the_guilds_between_them(services):
    shards = {}
    for name, service in coveragebot_services(services).items():
        if service["command"][0] == "run":
            settings = load_settings(env={k: v for k, v in environment_of(service).items()
                                          if k.startswith("COVERAGEBOT_")})
            assert "DISCORD_TOKEN" in service["environment"]
            shards[name] = settings
    assert len(shards) == 2
    counts = {s.bot_shard_count for s in shards.values()}
    assert counts == {2}
    assert sorted(i for s in shards.values() for i in s.bot_shard_ids) == [0, 1]


def test_the_import_worker_runs_a_real_import_command(services):
    [importer] = [s for s in coveragebot_services(services).values() if s["command"][0] == "import"]
    args = build_parser().parse_args(importer["command"])
    assert args.verb == "import" and args.dump.endswith(".jsonl") and args.workers >= 1
    assert any(v.endswith(":ro") for v in importer["volumes"])


def test_every_coveragebot_container_waits_for_a_healthy_database(services):
    for name, service in coveragebot_services(services).items():
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy", name
        assert service["build"] == "." and (ROOT / "Dockerfile").is_file()
