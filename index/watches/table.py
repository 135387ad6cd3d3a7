"""The watches and watch_alerts tables (both backends); every row carries its workspace."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_WORKSPACE = "default"
PERSON, PHRASE = "person", "phrase"


@dataclass(frozen=True)
class Watch:
    id: int
    guild_id: str
    channel_id: str
    kind: str  # person | phrase
    target: str
    created_by: str
    checked_through: int  # articles up to this id have been looked at
    workspace: str = DEFAULT_WORKSPACE

    @classmethod
    def of(cls, row) -> "Watch":
        return cls(row["id"], row["guild_id"], row["channel_id"], row["kind"], row["target"], row["created_by"],
                   row["checked_through"], row["workspace"])

    @property
    def label(self) -> str:
        return f"“{self.target}”" if self.kind == PHRASE else self.target


_COLUMNS = "id, guild_id, channel_id, kind, target, created_by, checked_through, workspace"


async def add_watch(store, guild_id: str, channel_id: str, kind: str, target: str, actor: str,
                    workspace: str | None = None) -> Watch:
    """A new watch; coverage already stored does not fire it."""
    workspace = workspace or store.workspace  # the scoped store's own
    newest = await store.scalar("SELECT coalesce(max(id), 0) FROM articles WHERE workspace = ?", (workspace,)) or 0
    watch_id = await store.insert(
        "INSERT INTO watches (workspace, guild_id, channel_id, kind, target, created_by, checked_through)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)", (workspace, guild_id, channel_id, kind, target, actor, newest))
    await store.audit(actor, "watch-add", None, f"watch #{watch_id} {kind} {target[:200]}")
    return (await watches_in(store, [guild_id], workspace, watch_id))[0]


async def watches_in(store, guild_ids: list[str], workspace: str | None = None,
                     watch_id: int | None = None) -> list[Watch]:
    workspace = workspace or store.workspace  # the scoped store's own
    if not guild_ids:
        return []
    marks = ",".join("?" * len(guild_ids))
    sql = f"SELECT {_COLUMNS} FROM watches WHERE workspace = ? AND guild_id IN ({marks})"
    params: list = [workspace, *guild_ids]
    if watch_id is not None:
        sql += " AND id = ?"
        params.append(watch_id)
    return [Watch.of(r) for r in await store.rows(sql + " ORDER BY id", params)]


async def remove_watch(store, guild_id: str, watch_id: int, actor: str,
                       workspace: str | None = None) -> Watch | None:
    workspace = workspace or store.workspace  # the scoped store's own
    found = await watches_in(store, [guild_id], workspace, watch_id)
    if not found:
        return None
    await store.execute("DELETE FROM watch_alerts WHERE watch_id = ? AND workspace = ?", (watch_id, workspace))
    await store.execute("DELETE FROM watches WHERE id = ? AND workspace = ?", (watch_id, workspace))
    await store.audit(actor, "watch-remove", None, f"watch #{watch_id}")
    return found[0]


async def advance(store, watch: Watch, through: int) -> None:
    await store.execute("UPDATE watches SET checked_through = ? WHERE id = ? AND workspace = ? AND checked_through < ?",
                        (through, watch.id, watch.workspace, through))


async def claim_alert(store, watch: Watch, article_id: int, sentence_id: int, statement_id: int | None) -> bool:
    """Record the alert; False when it was recorded before (one alert per watch and article)."""
    changed = await store.execute(
        "INSERT INTO watch_alerts (watch_id, article_id, workspace, sentence_id, statement_id) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (watch_id, article_id) DO NOTHING",
        (watch.id, article_id, watch.workspace, sentence_id, statement_id))
    return changed == 1


async def unposted(store, watches: list[Watch]) -> list[tuple[Watch, int, int, int | None]]:
    """Alerts recorded but not posted yet: (watch, article id, sentence id, statement id)."""
    if not watches:
        return []
    by_id = {w.id: w for w in watches}
    marks = ",".join("?" * len(by_id))
    rows = await store.rows(f"SELECT watch_id, article_id, sentence_id, statement_id FROM watch_alerts"
                            f" WHERE workspace = ? AND posted = 0 AND watch_id IN ({marks}) ORDER BY watch_id, article_id",
                            [store.workspace, *by_id])
    return [(by_id[r["watch_id"]], r["article_id"], r["sentence_id"], r["statement_id"]) for r in rows]


async def mark_posted(store, watch: Watch, article_ids: list[int]) -> None:
    if article_ids:
        marks = ",".join("?" * len(article_ids))
        await store.execute(f"UPDATE watch_alerts SET posted = 1 WHERE workspace = ? AND watch_id = ?"
                            f" AND article_id IN ({marks})", (watch.workspace, watch.id, *article_ids))
