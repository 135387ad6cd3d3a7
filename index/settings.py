"""Settings: config/default.toml, then a user TOML, then COVERAGEBOT_* variables."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any, Mapping


def config_dir() -> Path:
    """The folder holding default.toml and the bundled seed articles."""
    return Path(str(resources.files("config")))


def seed_files() -> list[Path]:
    """The bundled default corpus, in file order."""
    return sorted((config_dir() / "seeds").glob("*.txt"))


def default_db_path() -> Path:
    """Where the database lives when nothing says otherwise."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "coveragebot" / "coveragebot.db"


@dataclass(frozen=True)
class Settings:
    """Every setting of config/default.toml, flattened as section_key."""

    storage_db: str = ""
    storage_url: str = ""
    storage_index: str = ""
    storage_seed_on_first_use: bool = True
    search_results_per_page: int = 5
    search_max_results: int = 50
    search_max_query_chars: int = 500
    search_context_window: int = 2
    who_agents_per_page: int = 5
    bot_prefix: str = "!"
    bot_moderator_roles: tuple[str, ...] = ("Moderator", "Editor")
    bot_cooldown_rate: int = 5
    bot_cooldown_seconds: float = 10
    bot_pagination_timeout: float = 120
    bot_stats_moderators_only: bool = True
    bot_shard_count: int = 0
    bot_shard_ids: tuple[int, ...] = ()
    ingest_max_file_bytes: int = 5_000_000
    fetch_timeout_seconds: float = 10
    fetch_max_bytes: int = 5_000_000
    fetch_max_redirects: int = 5
    fetch_allow_private_urls: bool = False
    privacy_hash_user_ids: bool = False
    privacy_log_retention_days: int = 90
    stats_timezone: str = "UTC"
    replica_poll_seconds: float = 1.0
    import_batch_size: int = 20
    import_lease_seconds: float = 300
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @property
    def db_path(self) -> Path:
        """The SQLite file, created with its folder on first use."""
        return Path(self.storage_db).expanduser() if self.storage_db else default_db_path()

    @property
    def index_path(self) -> Path:
        """This process's search index: storage.index, else beside the database file."""
        if self.storage_index:
            return Path(self.storage_index).expanduser()
        if self.storage_url:
            # A PostgreSQL store has no file to sit beside: one replica per database name.
            name = self.storage_url.rstrip("/").rsplit("/", 1)[-1].split("?")[0] or "postgres"
            return self.db_path.with_name(f"replica-{name}.index")
        return self.db_path.with_name(self.db_path.name + ".index")


_ENV_ALIASES = {
    "COVERAGEBOT_DB": "storage_db",
    "COVERAGEBOT_DATABASE_URL": "storage_url",
    "COVERAGEBOT_ALLOW_PRIVATE_URLS": "fetch_allow_private_urls",
}


def load_settings(
    config_file: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Defaults, then `config_file` (or COVERAGEBOT_CONFIG), then env, then overrides."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    _merge_toml(values, config_dir() / "default.toml")
    user_file = config_file or env.get("COVERAGEBOT_CONFIG")
    if user_file:
        _merge_toml(values, Path(user_file))
    known = {f.name: f for f in fields(Settings) if f.name != "extra"}
    for name, value in env.items():
        target = _ENV_ALIASES.get(name)
        if target is None and name.startswith("COVERAGEBOT_"):
            candidate = name.removeprefix("COVERAGEBOT_").lower()
            target = candidate if candidate in known else None
        if target:
            values[target] = _from_env(value, known[target].type)
    values.update({k: v for k, v in overrides.items() if v is not None})
    unknown = set(values) - set(known)
    if unknown:
        raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
    if "bot_moderator_roles" in values:
        values["bot_moderator_roles"] = tuple(str(r) for r in values["bot_moderator_roles"])
    if "bot_shard_ids" in values:
        values["bot_shard_ids"] = tuple(int(i) for i in values["bot_shard_ids"])
    return Settings(**values)


def with_overrides(settings: Settings, **changes: Any) -> Settings:
    """A copy with some settings changed."""
    return replace(settings, **changes)


def _merge_toml(values: dict[str, Any], path: Path) -> None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"cannot read settings file {path}: {exc}") from exc
    for section, table in data.items():
        if not isinstance(table, dict):
            raise ValueError(f"{path}: [{section}] must be a table")
        for key, value in table.items():
            values[f"{section}_{key}"] = value


def _from_env(value: str, kind: Any) -> Any:
    kind = str(kind)
    if "bool" in kind:
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if "tuple" in kind:
        return tuple(v.strip() for v in value.split(",") if v.strip())
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    return value
