"""Workspaces: each newsroom's coverage, kept apart in one store, and which one a server uses.

A workspace holds one newsroom's articles and everything derived from them, its
corrections, query log, stats and audit. The store is opened once per process and
scoped to a workspace for each `Service` (`Store.scoped`), so every query carries the
workspace; each workspace has a search index of its own beside the default one.

May import: index.service, index.settings, index.storage, index.workspace_names (nothing of Discord).
"""

from __future__ import annotations

import asyncio

from coveragebot.index.service import Service
from coveragebot.index.settings import Settings
from coveragebot.index.storage.backends import open_store
from coveragebot.index.storage.store import Store
from coveragebot.index.workspace_names import (  # noqa: F401  (the names callers reach through here)
    DEFAULT_WORKSPACE,
    EVERY_SERVER,
    WorkspaceError,
    check_workspace_settings,
    checked_name,
    index_path_for,
    server_workspace_name,
    workspace_of_server,
)


class Workspaces:
    """The store, opened once, and a service for each workspace asked for (opened on first use)."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self._services: dict[str, Service] = {}
        self._opening: dict[str, asyncio.Lock] = {}

    @classmethod
    async def open(cls, settings: Settings, seed: bool | None = None) -> "Workspaces":
        """Open the store and the default workspace (seeded on first use, as settings say)."""
        check_workspace_settings(settings)
        store = await open_store(settings)
        workspaces = cls(settings, store)
        try:
            workspaces._services[DEFAULT_WORKSPACE] = await Service.open(
                settings, seed, store=store, workspace=DEFAULT_WORKSPACE)
        except BaseException:
            await store.close()
            raise
        return workspaces

    async def service(self, name: str) -> Service:
        """The service of workspace `name`, opened (and its index built) on first use."""
        name = checked_name(name)
        found = self._services.get(name)
        if found is not None:
            return found
        async with self._opening.setdefault(name, asyncio.Lock()):
            if name not in self._services:
                # Only `default` gets the bundled seed articles: a server's workspace starts empty.
                self._services[name] = await Service.open(self.settings, seed=False, store=self.store,
                                                          workspace=name)
        return self._services[name]

    @property
    def default(self) -> Service:
        return self._services[DEFAULT_WORKSPACE]

    def opened(self) -> list[str]:
        """The workspaces this process has opened so far."""
        return sorted(self._services)

    async def close(self) -> None:
        for service in list(self._services.values()):
            await service.close()
        self._services.clear()
        await self.store.close()
