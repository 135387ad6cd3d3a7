"""Pseudonymous user ids for the query log (privacy.hash_user_ids)."""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from coveragebot.index.settings import Settings


# Salts kept in a shared store, by its URL: every process hashes one user alike.
_SHARED: dict[str, bytes] = {}


def share_salt(settings: Settings, salt: bytes) -> None:
    """Use the shared store's salt instead of a file beside this machine's database."""
    _SHARED[settings.storage_url] = salt


def _salt(settings: Settings) -> bytes:
    if settings.storage_url in _SHARED:
        return _SHARED[settings.storage_url]
    return _salt_at(settings.db_path.with_name(settings.db_path.name + ".salt"))


@functools.lru_cache(maxsize=8)
def _salt_at(path: Path) -> bytes:
    # A random salt kept beside the database: hashes are stable for one
    # newsroom's log but cannot be reversed by hashing candidate ids elsewhere.
    try:
        return path.read_bytes()
    except FileNotFoundError:
        salt = secrets.token_bytes(32)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process wrote it first: use theirs
            return path.read_bytes()
        with os.fdopen(fd, "wb") as handle:
            handle.write(salt)
        return salt


def hash_id(user_id: str, settings: Settings) -> str:
    """A salted, truncated HMAC of a user id; the same id hashes alike."""
    digest = hmac.new(_salt(settings), str(user_id).encode(), hashlib.sha256).hexdigest()
    return "h:" + digest[:16]
