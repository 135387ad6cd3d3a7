"""New coverage for each watch: statements by the watched person, or passages holding the
watched phrase, in the articles stored since the watch last looked; one alert per article."""

from __future__ import annotations

import re
from dataclasses import dataclass

from coveragebot.index.answers import Hit
from coveragebot.index.quotes.statements import identities_named
from coveragebot.index.search.passages import passage_words
from coveragebot.index.text.analyzer import words
from coveragebot.index.watches.table import PERSON, Watch, advance, claim_alert, unposted


@dataclass(frozen=True)
class Alert:
    """One article a watch fires on, with what to quote from it."""

    watch: Watch
    passage: Hit
    said: str = ""  # the statement, for a person watch
    speaker: str = ""
    kind: str = ""


async def collect_alerts(service, watches: list[Watch]) -> list[Alert]:
    """Record the matches in articles newer than each watch's mark, then every alert not posted yet."""
    store = service.store
    newest = await store.scalar("SELECT coalesce(max(id), 0) FROM articles WHERE workspace = ?",
                                (store.workspace,)) or 0
    for watch in watches:
        if watch.checked_through >= newest:
            continue
        finder = _person_matches if watch.kind == PERSON else _phrase_matches
        for article_id, sentence_id, statement_id in await finder(service, watch, newest):
            await claim_alert(store, watch, article_id, sentence_id, statement_id)
        await advance(store, watch, newest)
    return await _alerts(service, await unposted(store, watches))


async def _person_matches(service, watch: Watch, newest: int) -> list[tuple[int, int, int]]:
    found = await identities_named(service.store, watch.target)
    called = [i for i in found if i.called(watch.target)] or found
    if not called:
        return []
    marks = ",".join("?" * len(called))
    rows = await service.store.rows(
        "SELECT st.article_id, min(st.id) AS statement_id FROM statements st JOIN name_forms f ON f.id = st.form_id"
        f" WHERE st.workspace = ? AND f.person_id IN ({marks}) AND st.article_id > ? AND st.article_id <= ?"
        " GROUP BY st.article_id",
        (service.store.workspace, *(i.id for i in called), watch.checked_through, newest))
    if not rows:
        return []
    ids = [r["statement_id"] for r in rows]
    sentences = await service.store.rows(
        f"SELECT id, sentence_id FROM statements WHERE workspace = ? AND id IN ({','.join('?' * len(ids))})",
        [service.store.workspace, *ids])
    by_statement = {r["id"]: r["sentence_id"] for r in sentences}
    return [(r["article_id"], by_statement.get(r["statement_id"]) or 0, r["statement_id"]) for r in rows]


async def _phrase_matches(service, watch: Watch, newest: int) -> list[tuple[int, int, None]]:
    # The store, not this process's index: an article another process just added is in the
    # store before this replica has indexed it.
    wanted = tuple(words(watch.target))
    if not wanted:
        return []
    pattern = "%" + re.sub(r"([\\%_])", r"\\\1", " ".join(watch.target.split())) + "%"
    rows = await service.store.rows(
        "SELECT id, article_id, text FROM sentences WHERE workspace = ? AND article_id > ? AND article_id <= ?"
        f" AND heading = 0 AND text {service.store.LIKE_ANY_CASE} ? ESCAPE '\\' ORDER BY article_id, position",
        (service.store.workspace, watch.checked_through, newest, pattern))
    first: dict[int, int] = {}
    for row in rows:
        have = passage_words(row["text"])
        if row["article_id"] not in first and any(have[i:i + len(wanted)] == wanted for i in range(len(have))):
            first[row["article_id"]] = row["id"]
    return [(article_id, sentence_id, None) for article_id, sentence_id in first.items()]


async def _alerts(service, pending) -> list[Alert]:
    if not pending:
        return []
    rows = await service.store.sentences_by_id([sid for _, _, sid, _ in pending if sid])
    refs = await service.article_refs({a for _, a, _, _ in pending})
    statement_ids = [st for *_, st in pending if st]
    said = {}
    if statement_ids:
        for r in await service.store.rows(
                "SELECT st.id, st.text, st.kind, coalesce(p.name, st.speaker) AS speaker FROM statements st"
                " LEFT JOIN name_forms f ON f.id = st.form_id LEFT JOIN people p ON p.id = f.person_id"
                f" WHERE st.workspace = ? AND st.id IN ({','.join('?' * len(statement_ids))})",
                [service.store.workspace, *statement_ids]):
            said[r["id"]] = r
    out = []
    for watch, article_id, sentence_id, statement_id in pending:
        row, ref = rows.get(sentence_id), refs.get(article_id)
        if ref is None:  # removed since
            continue
        passage = Hit(sentence_id, row.text if row else "", ref, row.position if row else 0)
        statement = said.get(statement_id)
        out.append(Alert(watch, passage, statement["text"] if statement else "",
                         statement["speaker"] if statement else "", statement["kind"] if statement else ""))
    return out
