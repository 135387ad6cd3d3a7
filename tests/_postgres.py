"""A throwaway PostgreSQL server in a temp folder on a free port, for tests and benchmarks.

The system's `initdb`/`pg_ctl` when present (as root, run as the `postgres` user,
since initdb refuses root), else the server bundled in the `pgserver` wheel.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import glob
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import asyncpg
import pytest


def _system_bin() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayPostgres:
    """One server; `new_database()` hands out empty databases on it."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="coveragebot-pg-"))
        self.port = _free_port()
        self._bin = _system_bin()
        self._pgserver = None
        self._as: list[str] = []
        self.user = "postgres"

    def start(self) -> "ThrowawayPostgres":
        if self._bin is None:
            self._start_pgserver()
            return self
        data = self.folder / "data"
        if os.geteuid() == 0:
            # initdb refuses root: the folder goes to the postgres user, who runs the server.
            account = pwd.getpwnam("postgres")
            os.chown(self.folder, account.pw_uid, account.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]
        subprocess.run([*self._as, str(self._bin / "initdb"), "-D", str(data), "-U", self.user, "-A", "trust",
                        "-E", "UTF8", "--locale=C", "--no-sync"], check=True, capture_output=True)
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
                   " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        subprocess.run([*self._as, str(self._bin / "pg_ctl"), "-D", str(data), "-o", options,
                        "-l", str(self.folder / "server.log"), "-w", "start"], check=True, capture_output=True)
        self._watch_for_a_killed_run()
        return self

    def _watch_for_a_killed_run(self) -> None:
        # A run killed outside pytest's control (SIGKILL, a CI timeout) skips `stop`: a
        # detached watcher stops the server and removes its folder once this process is gone.
        stop = " ".join(shlex.quote(part) for part in [
            *self._as, str(self._bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "stop"])
        script = (f"while kill -0 {os.getpid()} 2>/dev/null; do sleep 1; done; "
                  f"{stop} >/dev/null 2>&1; rm -rf {shlex.quote(str(self.folder))}")
        subprocess.Popen(["sh", "-c", script], start_new_session=True, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def _start_pgserver(self) -> None:
        import pgserver  # the test extra's wheel with bundled binaries

        self._pgserver = pgserver.get_server(self.folder / "data", cleanup_mode="stop")
        uri = self._pgserver.get_uri()
        self.port = int(uri.rsplit(":", 1)[1].split("/")[0]) if "@127.0.0.1:" in uri else self.port
        self._admin_url = uri

    def stop(self) -> None:
        if self._pgserver is not None:
            self._pgserver.cleanup()
        elif self._bin is not None:
            subprocess.run([*self._as, str(self._bin / "pg_ctl"), "-D", str(self.folder / "data"),
                            "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        if self._pgserver is not None:
            return self._admin_url.rsplit("/", 1)[0] + f"/{database}"
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """The URL of a new, empty database."""
        name = "t_" + uuid.uuid4().hex[:12]
        self._run(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[-1]
        self._run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _run(self, sql: str) -> None:
        # In a thread of its own: the caller may be inside a running event loop.
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, self._admin(sql)).result()

    async def _admin(self, sql: str) -> None:
        conn = await asyncpg.connect(self.url())
        try:
            await conn.execute(sql)
        finally:
            await conn.close()


@pytest.fixture(scope="session")
def postgres_server():
    """One throwaway server for the whole run (a plugin of tests/conftest.py)."""
    server = ThrowawayPostgres().start()
    yield server
    server.stop()
