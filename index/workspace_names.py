"""Workspace names: what may name one, the workspace a server uses, where its index lives.

Plain functions of the settings; the store, the service and the bot all use them.
May import: index.settings only.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from coveragebot.index.settings import SettingError, Settings

DEFAULT_WORKSPACE = "default"
# Lower-case letters, digits, '-' and '_': a name that is also a safe folder name.
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
EVERY_SERVER = "*"


class WorkspaceError(ValueError):
    """A workspace name that cannot be used; the message says what is allowed."""


def checked_name(name: str) -> str:
    """`name` if it can name a workspace, else a WorkspaceError saying what can."""
    if not _NAME.fullmatch(name or ""):
        raise WorkspaceError(f"workspace name {name!r} must be 1-64 lower-case letters, digits, '-' or '_',"
                             " starting with a letter or digit")
    return name


def server_workspace_name(server_id: int | str) -> str:
    """The workspace a server has of its own when no setting names another."""
    return f"server-{server_id}"


@functools.lru_cache(maxsize=64)
def _server_map(entries: tuple[str, ...]) -> dict[str, str]:
    mapped: dict[str, str] = {}
    for entry in entries:
        server, sep, name = str(entry).partition("=")
        server, name = server.strip(), name.strip()
        if not sep or not server.isdigit():
            raise SettingError(f"setting workspaces.servers: {entry!r} must be SERVER_ID=WORKSPACE,"
                               " e.g. 123456789012345678=harbour-times")
        try:
            mapped[server] = checked_name(name)
        except WorkspaceError as exc:
            raise SettingError(f"setting workspaces.servers: {exc}") from None
    return mapped


def check_workspace_settings(settings: Settings) -> None:
    """Raise SettingError for a workspace or server setting that cannot be used."""
    _server_map(tuple(settings.workspaces_servers))
    for server in (*settings.workspaces_default_servers, *settings.bot_allowed_servers):
        if str(server) != EVERY_SERVER and not str(server).isdigit():
            raise SettingError(f"server ids must be numbers (Discord's ids), got {server!r}")


def workspace_of_server(settings: Settings, server_id: int | str) -> str:
    """The workspace a server reads and writes: named in workspaces.servers, `default` for
    the servers in workspaces.default_servers, else one of its own."""
    server = str(server_id)
    named = _server_map(tuple(settings.workspaces_servers)).get(server)
    if named is not None:
        return named
    defaults = {str(s) for s in settings.workspaces_default_servers}
    if server in defaults or EVERY_SERVER in defaults:
        return DEFAULT_WORKSPACE
    return server_workspace_name(server)


def index_path_for(settings: Settings, workspace: str) -> Path:
    """This process's search index of `workspace`: the default one where it always was,
    the others in a folder beside it, one sub-folder each."""
    if workspace == DEFAULT_WORKSPACE:
        return settings.index_path
    base = settings.index_path
    return base.with_name(base.name + ".workspaces") / checked_name(workspace)
