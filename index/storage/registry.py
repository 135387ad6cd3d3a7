"""The people registry in the store: forms, identities and their words, kept at every write.

Each statement points at a *form* (the speaker as its article settled it: name, kind,
gender, and a moderator's pin), counted in `name_forms`. Forms are linked into identities
(`people`) block by block (`index.people.linking`), in the transaction of the write that
touched the block: an add, an update, a removal, a re-extraction or a fix. `statements.speaker`
always holds its identity's display name, and `person_words` the words each identity can be
asked for by, so `!quotes` and `!people` read rows and never compare names.

The block of a form never changes, so relinking the blocks a write touched, and the blocks
moderators' merges join to them, gives what a rebuild from scratch gives.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from coveragebot.index.people import kinds as K
from coveragebot.index.people.linking import Form, Identity, block_of, link_block
from coveragebot.index.text.names import name_words, spelt_as_acronym
from coveragebot.index.text.person_names import looks_personal

# person_words' key for names spelt as an acronym, which any query may match.
ACRONYM_WORD = "\x00acronym"
# A statement as `!quotes` lists it: a paragraph a story repeats counts once.
_SAID = "st.article_id, st.kind, st.text"
SAID = f"SELECT DISTINCT st.form_id, {_SAID} FROM statements st"
# Every form's count and every identity's sum, from the statements (a bulk load).
RECOUNT_FORMS = (
    f"UPDATE name_forms SET statements = (SELECT count(*) FROM (SELECT DISTINCT {_SAID}"
    " FROM statements st WHERE st.workspace = name_forms.workspace AND st.form_id = name_forms.id) AS said)",
    "UPDATE people SET statements = (SELECT coalesce(sum(f.statements), 0) FROM name_forms f"
    " WHERE f.workspace = people.workspace AND f.person_id = people.id)",
)


def speaker_form(statement: dict[str, Any]) -> tuple[str, str, str, str]:
    """(name, kind, gender, pin) of a statement as extracted: the form it belongs to."""
    kind = statement.get("speaker_kind") or K.PERSON
    name = " ".join(str(statement["speaker"]).split())
    if kind == K.PERSON:
        name = name.replace("’", "'")  # one spelling of O'Neill
    if kind == K.UNIDENTIFIED:
        name = K.NOT_IDENTIFIED
    return name, kind, statement.get("gender") or "", statement.get("pin") or ""


def legacy_form(speaker: str) -> tuple[str, str, str, str]:
    """The form of a statement stored before the registry, from its speaker name alone."""
    if speaker in ("unnamed source", "unnamed sources", ""):
        return K.NOT_IDENTIFIED, K.UNIDENTIFIED, "", ""
    if speaker[:1].islower():
        return speaker_form({"speaker": speaker, "speaker_kind": K.GROUP if speaker.endswith("s") else K.UNIDENTIFIED})
    return speaker_form({"speaker": speaker, "speaker_kind": K.PERSON if looks_personal(speaker) else K.ORGANIZATION})


def form_block(name: str, kind: str, pin: str) -> str:
    return "pin:" + pin if pin else block_of(name, kind)


def identity_words(identity: Identity) -> set[str]:
    """The words a query can find an identity by: every word of every name it was seen as."""
    found: set[str] = set()
    for name in {identity.display, *identity.names}:
        found.update(ACRONYM_WORD if spelt_as_acronym(name) else w for w in name_words(name) or ())
    return found


class RegistryStore:
    """The registry's reads and writes, over the store's primitives (a mixin of `Store`),
    each within the store's workspace."""

    workspace: str

    async def _form_ids(self, forms: Iterable[tuple[str, str, str, str]]) -> dict[tuple, int]:
        """Ids of these forms, creating the missing ones (with no statements yet)."""
        ids: dict[tuple, int] = {}
        for form in sorted(set(forms)):
            name, kind, gender, pin = form
            await self.execute(
                "INSERT INTO name_forms (workspace, block, name, kind, gender, pin, statements) VALUES (?,?,?,?,?,?,0)"
                " ON CONFLICT (workspace, name, kind, gender, pin) DO NOTHING",
                (self.workspace, form_block(name, kind, pin), name, kind, gender, pin))
            ids[form] = await self.scalar(
                "SELECT id FROM name_forms WHERE workspace = ? AND name = ? AND kind = ? AND gender = ? AND pin = ?",
                (self.workspace, *form))
        return ids

    async def _count_forms(self, where: str, params: Sequence[Any], sign: int) -> set[str]:
        """Add (1) or take away (-1) the statements matching `where` from their forms'
        counts; return the blocks of those forms.

        `where` selects whole articles or whole texts, so a paragraph a story repeats is
        counted once on the way in and taken away once on the way out."""
        counted = await self.tuples(
            f"SELECT said.form_id, count(*), f.block FROM ({SAID} WHERE st.workspace = ? AND {where}) AS said"
            f" JOIN name_forms f ON f.id = said.form_id GROUP BY said.form_id, f.block ORDER BY said.form_id",
            [self.workspace, *params])
        await self.executemany("UPDATE name_forms SET statements = statements + ? WHERE workspace = ? AND id = ?",
                               [(sign * n, self.workspace, form_id) for form_id, n, _ in counted])
        return {block for _, _, block in counted}

    async def _lock_blocks(self, blocks: Sequence[str]) -> None:
        """Serialise writers relinking the same blocks (one writer at a time here already)."""

    async def relink(self, blocks: Iterable[str]) -> None:
        """Link the forms of `blocks` (and of the blocks merges join to them) into identities."""
        blocks = await self._joined_blocks(set(blocks))
        if not blocks:
            return
        ordered = sorted(blocks)
        await self._lock_blocks(ordered)
        marks = ",".join("?" * len(ordered))
        await self.execute(f"DELETE FROM name_forms WHERE workspace = ? AND block IN ({marks}) AND statements <= 0",
                           [self.workspace, *ordered])
        rows = await self.tuples(
            "SELECT id, name, kind, gender, pin, statements, person_id FROM name_forms"
            f" WHERE workspace = ? AND block IN ({marks})", [self.workspace, *ordered])
        forms = [Form(r[0], r[1], r[2], r[3], r[5], r[4]) for r in rows]
        person_of_form = {r[0]: r[6] for r in rows}
        identities = link_block(forms, await self.merges())
        stored = {r[1]: r for r in await self.tuples(
            f"SELECT id, key, name, kind, gender, names, statements FROM people WHERE workspace = ? AND block IN ({marks})",
            [self.workspace, *ordered])}
        # First every form goes to its identity, then each changed identity is counted,
        # so no count reads a form that is about to move.
        placed = [(identity, *await self._place_identity(identity, stored.get(identity.key), person_of_form))
                  for identity in identities]
        gone = [r[0] for r in stored.values() if r[0] not in {person_id for _, person_id, _ in placed}]
        if gone:
            await self.executemany("DELETE FROM people WHERE workspace = ? AND id = ?",
                                   [(self.workspace, i) for i in gone])
        for identity, person_id, changes in placed:
            await self._refresh_identity(identity, person_id, stored.get(identity.key), changes)

    async def _place_identity(self, identity: Identity, row, person_of_form: dict[int, int | None]
                              ) -> tuple[int, list[int]]:
        """Write an identity's row and point its forms at it; (its id, the forms moved to it)."""
        display = identity.display
        names = json.dumps([n for n in identity.names if n != display][:50], ensure_ascii=False)
        statements = identity.statements
        if row is None:
            person_id = await self.insert(
                "INSERT INTO people (workspace, key, block, name, kind, gender, names, statements, articles)"
                " VALUES (?,?,?,?,?,?,?,?,0)",
                (self.workspace, identity.key, identity.block, display, identity.kind, identity.gender, names, statements))
        else:
            person_id = row[0]
            if (row[2], row[3], row[4], row[5], row[6]) != (display, identity.kind, identity.gender, names, statements):
                await self.execute(
                    "UPDATE people SET name = ?, kind = ?, gender = ?, names = ?, statements = ?"
                    " WHERE workspace = ? AND id = ?",
                    (display, identity.kind, identity.gender, names, statements, self.workspace, person_id))
        moved = [f.id for f in identity.forms if person_of_form.get(f.id) != person_id]
        if moved:
            await self.executemany("UPDATE name_forms SET person_id = ? WHERE workspace = ? AND id = ?",
                                   [(person_id, self.workspace, form_id) for form_id in moved])
        return person_id, moved

    async def _refresh_identity(self, identity: Identity, person_id: int, row, moved: list[int]) -> None:
        """An identity's statements' names, article count and words, where they changed."""
        display = identity.display
        renamed = row is None or row[2] != display
        # Statements of forms that came to this identity, or all of them under a new name.
        await self._name_statements([f.id for f in identity.forms] if renamed else moved, display)
        if renamed or moved or row[6] != identity.statements:
            articles = await self.scalar(
                "SELECT count(DISTINCT st.article_id) FROM statements st JOIN name_forms f ON f.id = st.form_id"
                " WHERE st.workspace = ? AND f.person_id = ?", (self.workspace, person_id))
            await self.execute("UPDATE people SET articles = ? WHERE workspace = ? AND id = ?",
                               (articles or 0, self.workspace, person_id))
        names = json.dumps([n for n in identity.names if n != display][:50], ensure_ascii=False)
        if row is None or row[5] != names or renamed:
            await self.execute("DELETE FROM person_words WHERE workspace = ? AND person_id = ?",
                               (self.workspace, person_id))
            await self.executemany("INSERT INTO person_words (workspace, word, person_id) VALUES (?, ?, ?)",
                                   [(self.workspace, word, person_id) for word in sorted(identity_words(identity))])

    async def _name_statements(self, forms: list[int], display: str) -> None:
        for start in range(0, len(forms), 500):
            chunk = forms[start:start + 500]
            await self.execute(
                f"UPDATE statements SET speaker = ? WHERE workspace = ? AND form_id IN ({','.join('?' * len(chunk))})"
                " AND speaker <> ?", [display, self.workspace, *chunk, display])

    async def name_new_statements(self, article_id: int) -> None:
        """Give an article's statements their identities' names (after `relink`)."""
        await self.execute(
            "UPDATE statements SET speaker = (SELECT p.name FROM name_forms f JOIN people p ON p.id = f.person_id"
            " WHERE f.id = statements.form_id) WHERE workspace = ? AND article_id = ? AND form_id IS NOT NULL"
            " AND EXISTS (SELECT 1 FROM name_forms f JOIN people p ON p.id = f.person_id"
            " WHERE f.id = statements.form_id)", (self.workspace, article_id))

    async def merges(self) -> list[tuple[str, str]]:
        """Moderators' `!fix merge A into B`, oldest first."""
        return [(r[0], r[1]) for r in await self.tuples(
            "SELECT anchor, value FROM corrections WHERE workspace = ? AND kind = 'merge' ORDER BY id",
            (self.workspace,))]

    async def _joined_blocks(self, blocks: set[str]) -> set[str]:
        """`blocks` and every block a merge joins to them, however many merges away."""
        merges = await self.merges()
        if not merges:
            return blocks
        sides = []
        for source, target in merges:
            sides.append((await self._blocks_named(source), await self._blocks_named(target)))
        grown = True
        while grown:
            grown = False
            for a, b in sides:
                if (a | b) and (blocks & (a | b)) and not (a | b) <= blocks:
                    blocks |= a | b
                    grown = True
        return blocks

    async def _blocks_named(self, name: str) -> set[str]:
        """The blocks holding an identity or a form called `name` (display or name seen)."""
        rows = await self.tuples(
            "SELECT block FROM people WHERE workspace = ? AND (lower(name) = lower(?) OR key = ?)"
            " UNION SELECT block FROM name_forms WHERE workspace = ? AND lower(name) = lower(?)",
            (self.workspace, name, name, self.workspace, name))
        return {r[0] for r in rows}

    async def register_unlinked(self, chunk: int = 200) -> int:
        """Give statements stored before the registry (no form) their forms and identities,
        their kind guessed from the stored name; return how many. `!reindex` does better."""
        article_ids = [r[0] for r in await self.tuples(
            "SELECT DISTINCT article_id FROM statements WHERE workspace = ? AND form_id IS NULL ORDER BY article_id",
            (self.workspace,))]
        done = 0
        for start in range(0, len(article_ids), chunk):
            ids = article_ids[start:start + chunk]
            async with self.transaction():
                marks = ",".join("?" * len(ids))
                rows = await self.tuples(
                    f"SELECT id, speaker FROM statements WHERE workspace = ? AND form_id IS NULL AND article_id IN ({marks})",
                    [self.workspace, *ids])
                forms = {row[0]: legacy_form(row[1]) for row in rows}
                form_ids = await self._form_ids(forms.values())
                await self.executemany("UPDATE statements SET form_id = ?, speaker = ? WHERE workspace = ? AND id = ?",
                                       [(form_ids[form], form[0], self.workspace, sid) for sid, form in forms.items()])
                blocks = await self._count_forms(f"st.article_id IN ({marks})", ids, 1)
                await self.relink(blocks)
                for article_id in ids:
                    await self.name_new_statements(article_id)
            done += len(rows)
        return done

    # -- reads ----------------------------------------------------------------------
    async def people_rows(self, kind: str = "", limit: int | None = None, persons: bool | None = None) -> list[tuple]:
        """(id, name, kind, names, statements, articles) of the identities that have statements:
        people first, then the other sources, each most quoted first. Only those of `kind`, or
        only people (`persons=True`) or only the others (`False`), when given; the first `limit`."""
        where, values = ["workspace = ?", "statements > 0"], [self.workspace]
        if kind:
            where.append("kind = ?")
            values.append(kind)
        if persons is not None:
            where.append("kind = 'person'" if persons else "kind <> 'person'")
        # Ordered and cut here, in the database's sort: 20,000 identities are common.
        cut = ""
        if limit is not None:
            cut = " LIMIT ?"
            values.append(limit)
        return await self.tuples(
            f"SELECT id, name, kind, names, statements, articles FROM people WHERE {' AND '.join(where)}"
            f" ORDER BY kind <> 'person', statements DESC, articles DESC, name{cut}", values)

    async def people_counts(self) -> dict[str, int]:
        """kind -> how many identities of that kind have statements."""
        return dict(await self.tuples(
            "SELECT kind, count(*) FROM people WHERE workspace = ? AND statements > 0 GROUP BY kind", (self.workspace,)))

    async def people_with_words(self, words: Sequence[str]) -> list[tuple]:
        """people_rows' rows of the identities seen with any of `words` (or spelt as an acronym)."""
        wanted = sorted(set(words) | {ACRONYM_WORD})
        return await self.tuples(
            "SELECT p.id, p.name, p.kind, p.names, p.statements, p.articles FROM people p"
            " WHERE p.workspace = ? AND p.statements > 0 AND p.id IN (SELECT person_id FROM person_words"
            f" WHERE workspace = ? AND word IN ({','.join('?' * len(wanted))}))",
            [self.workspace, self.workspace, *wanted])

    async def people_starting(self, prefix: str, limit: int) -> list[tuple]:
        """(name, kind, statements) of identities seen with a word starting `prefix` (any
        identity when empty: the most quoted `limit`)."""
        if not prefix:
            return await self.tuples(
                "SELECT name, kind, statements FROM people WHERE workspace = ? AND statements > 0"
                " ORDER BY statements DESC LIMIT ?", (self.workspace, limit))
        return await self.tuples(
            "SELECT DISTINCT p.name, p.kind, p.statements FROM person_words w JOIN people p ON p.id = w.person_id"
            " WHERE w.workspace = ? AND w.word >= ? AND w.word < ? AND p.statements > 0",
            (self.workspace, prefix, prefix + "\uffff"))

    async def people_named(self, names: Sequence[str]) -> dict[str, tuple[int, str]]:
        """lower(name) -> (person id, display name) of the names that spell exactly one person
        in the registry (as a form or as an identity's name); an ambiguous name is left out."""
        lowered = sorted({name.lower() for name in names if name})
        if not lowered:
            return {}
        marks = ",".join("?" * len(lowered))
        rows = await self.tuples(
            "SELECT lower(f.name), p.id, p.name FROM name_forms f JOIN people p ON p.id = f.person_id"
            f" WHERE p.workspace = ? AND lower(f.name) IN ({marks}) AND p.kind = 'person'"
            " UNION SELECT lower(p.name), p.id, p.name FROM people p"
            f" WHERE p.workspace = ? AND lower(p.name) IN ({marks}) AND p.kind = 'person'",
            [self.workspace, *lowered, self.workspace, *lowered])
        found: dict[str, set[tuple[int, str]]] = defaultdict(set)
        for name, person_id, display in rows:
            found[name].add((person_id, display))
        return {name: next(iter(people)) for name, people in found.items() if len(people) == 1}

    async def person_rows(self, ids: Sequence[int]) -> dict[int, tuple]:
        if not ids:
            return {}
        rows = await self.tuples(
            "SELECT id, name, kind, names, statements, articles FROM people"
            f" WHERE workspace = ? AND id IN ({','.join('?' * len(ids))})", [self.workspace, *ids])
        return {r[0]: r for r in rows}

    async def registry_snapshot(self) -> dict[str, Any]:
        """The registry as plain data, ids left out: for comparing a store with a rebuild."""
        people = await self.tuples("SELECT key, name, kind, gender, statements, articles FROM people"
                                   " WHERE workspace = ? ORDER BY key", (self.workspace,))
        speakers = await self.tuples(
            "SELECT a.key, st.text, st.speaker, p.key FROM statements st JOIN articles a ON a.id = st.article_id"
            " JOIN name_forms f ON f.id = st.form_id JOIN people p ON p.id = f.person_id"
            " WHERE st.workspace = ? ORDER BY a.key, st.start, st.text, st.speaker", (self.workspace,))
        words = defaultdict(set)
        for word, key in await self.tuples(
                "SELECT w.word, p.key FROM person_words w JOIN people p ON p.id = w.person_id WHERE w.workspace = ?",
                (self.workspace,)):
            words[key].add(word)
        return {"people": [tuple(r) for r in people], "statements": [tuple(r) for r in speakers],
                "words": {k: sorted(v) for k, v in sorted(words.items())}}
