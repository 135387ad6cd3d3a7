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
    return Path(str(resources.files("coveragebot.config")))


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
    who_show_also_reported: bool = True
    quotes_max_listed: int = 200
    bot_prefix: str = "!"
    bot_moderator_roles: tuple[str, ...] = ("Moderator", "Editor")
    bot_cooldown_rate: int = 5
    bot_cooldown_seconds: float = 10
    bot_pagination_timeout: float = 120
    bot_stats_moderators_only: bool = True
    bot_shard_count: int = 0
    bot_shard_ids: tuple[int, ...] = ()
    bot_allowed_servers: tuple[str, ...] = ()
    bot_other_servers: str = "answer"
    bot_direct_messages_server: int = 0
    workspaces_servers: tuple[str, ...] = ()
    workspaces_default_servers: tuple[str, ...] = ()
    ingest_max_file_bytes: int = 5_000_000
    fetch_timeout_seconds: float = 10
    fetch_max_bytes: int = 5_000_000
    fetch_max_redirects: int = 5
    fetch_allow_private_urls: bool = False
    fetch_allowed_hosts: tuple[str, ...] = ()
    privacy_hash_user_ids: bool = False
    privacy_log_retention_days: int = 90
    stats_timezone: str = "UTC"
    replica_poll_seconds: float = 1.0
    import_batch_size: int = 20
    import_lease_seconds: float = 300
    feeds_poll_minutes: float = 30
    feeds_lease_seconds: float = 300
    watches_check_seconds: float = 15
    watches_posts_per_minute: int = 5
    watches_members_can_watch: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @property
    def db_path(self) -> Path:
        """The SQLite file; the default one is created with its folder on first use."""
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


class SettingError(ValueError):
    """A setting that cannot be used; the message names its key, where it came from and what it wants."""


_ENV_ALIASES = {
    "COVERAGEBOT_DB": "storage_db",
    "COVERAGEBOT_DATABASE_URL": "storage_url",
    "COVERAGEBOT_ALLOW_PRIVATE_URLS": "fetch_allow_private_urls",
}

_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


def load_settings(
    config_file: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Defaults, then `config_file` (or COVERAGEBOT_CONFIG), then env, then overrides."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    _merge_toml(values, origins, config_dir() / "default.toml")
    user_file = config_file or env.get("COVERAGEBOT_CONFIG")
    if user_file:
        _merge_toml(values, origins, Path(user_file))
    known = {f.name: f for f in fields(Settings) if f.name != "extra"}
    unknown = set(values) - set(known)
    if unknown:
        raise SettingError("unknown settings: " + ", ".join(
            f"{dotted(name)} (in {origins[name]})" for name in sorted(unknown)))
    for name, value in values.items():
        values[name] = _checked(name, value, str(known[name].type), f"in {origins[name]}")
    for variable, value in env.items():
        target = _ENV_ALIASES.get(variable)
        if target is None and variable.startswith("COVERAGEBOT_"):
            candidate = variable.removeprefix("COVERAGEBOT_").lower()
            target = candidate if candidate in known else None
        if target:
            values[target] = _from_env(value, str(known[target].type), f"{dotted(target)} ({variable})")
    values.update({k: v for k, v in overrides.items() if v is not None})
    unknown = set(values) - set(known)
    if unknown:
        raise SettingError(f"unknown settings: {', '.join(sorted(unknown))}")
    if "bot_moderator_roles" in values:
        values["bot_moderator_roles"] = tuple(str(r) for r in values["bot_moderator_roles"])
    if "fetch_allowed_hosts" in values:
        values["fetch_allowed_hosts"] = tuple(str(h) for h in values["fetch_allowed_hosts"])
    for name in ("bot_allowed_servers", "workspaces_servers", "workspaces_default_servers"):
        if name in values:
            values[name] = tuple(str(v) for v in values[name])
    if values.get("bot_other_servers", "answer") not in ("answer", "leave"):
        raise SettingError(f"setting bot.other_servers must be answer or leave, got {values['bot_other_servers']!r}")
    if "bot_shard_ids" in values:
        values["bot_shard_ids"] = tuple(int(i) for i in values["bot_shard_ids"])
    return Settings(**values)


def dotted(name: str) -> str:
    """`search_results_per_page` -> `search.results_per_page`, as config/default.toml spells it."""
    section, _, key = name.partition("_")
    return f"{section}.{key}"


def with_overrides(settings: Settings, **changes: Any) -> Settings:
    """A copy with some settings changed."""
    return replace(settings, **changes)


def _merge_toml(values: dict[str, Any], origins: dict[str, str], path: Path) -> None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SettingError(f"cannot read settings file {path}: {exc}") from exc
    for section, table in data.items():
        if not isinstance(table, dict):
            raise SettingError(f"{path}: [{section}] must be a table")
        for key, value in table.items():
            values[f"{section}_{key}"] = value
            origins[f"{section}_{key}"] = str(path)


def _checked(name: str, value: Any, kind: str, origin: str) -> Any:
    """A TOML value of the type the setting wants, or a SettingError saying which."""
    wanted = _wanted(kind)
    if kind == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind == "float":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif kind == "bool":
        ok = isinstance(value, bool)
    elif kind.startswith("tuple[int"):
        ok = isinstance(value, list) and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    elif kind.startswith("tuple"):
        # Moderator roles are names or ids; TOML writes an id as an integer.
        ok = isinstance(value, list) and all(isinstance(v, str | int) and not isinstance(v, bool) for v in value)
    else:
        ok = isinstance(value, str)
    if not ok:
        raise SettingError(f"setting {dotted(name)} ({origin}) must be {wanted}, got {value!r}")
    return value


def _from_env(value: str, kind: str, label: str) -> Any:
    text = value.strip()
    try:
        if kind == "bool":
            if text.lower() not in _TRUE | _FALSE:
                raise ValueError(text)
            return text.lower() in _TRUE
        if kind.startswith("tuple[int"):
            return tuple(int(v) for v in value.split(",") if v.strip())
        if kind.startswith("tuple"):
            return tuple(v.strip() for v in value.split(",") if v.strip())
        if kind == "int":
            return int(text)
        if kind == "float":
            return float(text)
    except ValueError:
        raise SettingError(f"setting {label} must be {_wanted(kind)}, got {value!r}") from None
    return value


def _wanted(kind: str) -> str:
    if kind == "int":
        return "an integer"
    if kind == "float":
        return "a number"
    if kind == "bool":
        return "true or false (1/0, yes/no, on/off)"
    if kind.startswith("tuple[int"):
        return "a list of integers (comma-separated in an environment variable, e.g. 0,1)"
    if kind.startswith("tuple"):
        return "a list of names or ids (comma-separated in an environment variable)"
    return "text"


def check_db_folder(settings: Settings) -> None:
    """Refuse a chosen database whose folder does not exist (only the default one is created)."""
    # A --db path into a folder that is not there is more often a typo than a wish for new folders.
    if not settings.storage_db:
        return
    folder = settings.db_path.parent
    if not folder.is_dir():
        raise SettingError(f"cannot use database {settings.storage_db}: folder {folder} does not exist "
                           "(create it first, or leave storage.db empty for the default location)")
