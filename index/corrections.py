"""`!fix`: moderators correct what extraction got wrong, and the fix outlives re-extraction.

A fix names a statement by the id `!quotes` shows, and is stored against the article's
key and the statement's words, so `!reindex` and a new version of the story keep it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import json

from coveragebot.index.people.kinds import UNATTRIBUTED
from coveragebot.index.quotes.statements import identities_named

KINDS = ("direct", "partial", "indirect")
USAGE = (
    "`!fix speaker <statement id> <name>` · `!fix kind <statement id> direct|partial|indirect` · "
    "`!fix hide statement <statement id>` · `!fix hide agent <name>` · `!fix merge <name> into <name>` · "
    "`!fix split <name> <statement ids…> [as <name>]` · `!fix list`"
)


class FixError(ValueError):
    """A fix that cannot be made; the message says why, in one line."""


@dataclass(frozen=True)
class Fix:
    """What a fix did, for the reply."""

    summary: str


async def apply_fix(service, argument: str, actor: str) -> Fix:
    """Parse `argument` (the words after `!fix`) and make the fix."""
    words = argument.split()
    verb = words[0].lower() if words else ""
    if verb == "speaker" and len(words) >= 3:
        return await fix_speaker(service, _statement_id(words[1]), " ".join(words[2:]), actor)
    if verb == "kind" and len(words) == 3:
        return await fix_kind(service, _statement_id(words[1]), words[2].lower(), actor)
    if verb == "hide" and len(words) == 3 and words[1].lower() == "statement":
        return await hide_statement(service, _statement_id(words[2]), actor)
    if verb == "hide" and len(words) >= 3 and words[1].lower() == "agent":
        return await hide_agent(service, " ".join(words[2:]), actor)
    if verb == "merge":
        source, _, target = re.sub(r"^merge\s+", "", argument.strip(), flags=re.I).partition(" into ")
        if source.strip() and target.strip():
            return await merge_speakers(service, source.strip(), target.strip(), actor)
    if verb == "split" and len(words) >= 3:
        return await split_speaker(service, argument, actor)
    if verb == "list" and len(words) == 1:
        return await list_fixes(service)
    raise FixError("Usage: " + USAGE)


async def fix_speaker(service, statement_id: int, name: str, actor: str) -> Fix:
    """Give a statement to another speaker."""
    key, text, old = await _statement(service, statement_id)
    name = " ".join(name.split())
    if not any(c.isalpha() for c in name) or name.lower() == UNATTRIBUTED:
        raise FixError("Name the speaker, e.g. `!fix speaker 12 Gustavo Petro`.")
    await service.store.add_correction("speaker", key, text, name, actor)
    return Fix(f"Statement #{statement_id} is now {name}'s (was {old}).")


async def fix_kind(service, statement_id: int, kind: str, actor: str) -> Fix:
    """Mark a statement direct, partial or indirect."""
    if kind not in KINDS:
        raise FixError("A statement is `direct`, `partial` or `indirect`.")
    key, text, _ = await _statement(service, statement_id)
    await service.store.add_correction("kind", key, text, kind, actor)
    return Fix(f"Statement #{statement_id} is now {kind}.")


async def hide_statement(service, statement_id: int, actor: str) -> Fix:
    """Take a wrongly extracted statement out of every answer."""
    key, text, speaker = await _statement(service, statement_id)
    await service.store.add_correction("hide_statement", key, text, "", actor)
    return Fix(f"Statement #{statement_id} ({speaker}) is hidden from every answer.")


async def hide_agent(service, name: str, actor: str) -> Fix:
    """Take a wrong doer (a dateline, a date) out of every `!who` answer."""
    name = " ".join(name.split())
    found = await service.store.scalar("SELECT count(*) FROM actions WHERE workspace = ? AND lower(agent) = lower(?)",
                                       (service.store.workspace, name))
    if not found:
        raise FixError(f"No `!who` answer names “{name}”; write the agent as `!who` shows it.")
    await service.store.add_correction("hide_agent", "", name, "", actor)
    return Fix(f"“{name}” is hidden from `!who` ({found} action{'s' if found != 1 else ''}).")


async def merge_speakers(service, source: str, target: str, actor: str) -> Fix:
    """Count two identities as one from now on: `!fix merge Hillary Rodham Clinton into Hillary Clinton`."""
    old, into = await _one_identity(service, source), await _one_identity(service, target)
    if old == into:
        raise FixError(f"“{source}” and “{target}” are already one person: {into}.")
    await service.store.add_correction("merge", "", old, into, actor)
    return Fix(f"{old} is now counted as {into}.")


async def split_speaker(service, argument: str, actor: str) -> Fix:
    """Take statements out of an identity they were wrongly joined to:
    `!fix split Hillary Clinton 12 40 [as Bill Clinton]`. Without a name the statements
    form an identity of their own, under the name their article gave the speaker."""
    body = argument.strip()[len("split"):].strip()
    body, _, new_name = body.partition(" as ")
    words = body.split()
    ids = []
    while words and words[-1].lstrip("#").isdigit():
        ids.insert(0, int(words.pop().lstrip("#")))
    name, new_name = " ".join(words), " ".join(new_name.split())
    if not name or not ids:
        raise FixError("Usage: `!fix split <name> <statement ids…> [as <name>]`, e.g. `!fix split Hillary Clinton 12 40`.")
    person = await _one_identity(service, name)
    statements = [await _statement(service, i) for i in ids]
    strangers = [i for i, (_, _, speaker) in zip(ids, statements) if speaker != person]
    if strangers:
        raise FixError(f"Statement{'s' if len(strangers) > 1 else ''} {', '.join(f'#{i}' for i in strangers)}"
                       f" {'are' if len(strangers) > 1 else 'is'} not {person}'s; `!quotes {person}` shows the ids.")
    pin = f"{actor}:{ids[0]}:{len(await service.store.corrections('split'))}"
    for key, text, _ in statements:
        await service.store.add_correction("split", key, text, json.dumps({"pin": pin, "name": new_name, "from": person}), actor)
    where = f" as {new_name}" if new_name else ""
    return Fix(f"{len(ids)} statement{'s' if len(ids) != 1 else ''} taken out of {person}{where}.")


async def list_fixes(service) -> Fix:
    """The fixes made so far, newest first."""
    rows = await service.store.corrections()
    if not rows:
        return Fix("No fixes yet. " + USAGE)
    lines = [f"{len(rows)} fix{'es' if len(rows) != 1 else ''}, newest first:"]
    for row in reversed(rows[-20:]):
        where = f" in {row['article_key']}" if row["article_key"] else ""
        value = f" → {row['value']}" if row["value"] else ""
        if row["kind"] == "split":
            split = json.loads(row["value"])
            value = f" out of {split.get('from', '?')}" + (f" → {split['name']}" if split.get("name") else "")
        lines.append(f"#{row['id']} {row['at'][:10]} {row['kind'].replace('_', ' ')}{where}: "
                     f"“{row['anchor'][:80]}”{value}")
    return Fix("\n".join(lines))


def _statement_id(word: str) -> int:
    if not word.lstrip("#").isdigit():
        raise FixError(f"“{word}” is not a statement id: `!quotes` shows them as `#12`.")
    return int(word.lstrip("#"))


async def _statement(service, statement_id: int) -> tuple[str, str, str]:
    rows = await service.store.rows(
        "SELECT a.key, st.text, st.speaker FROM statements st JOIN articles a ON a.id = st.article_id"
        " WHERE st.workspace = ? AND st.id = ?", (service.store.workspace, statement_id))
    if not rows:
        raise FixError(f"There is no statement #{statement_id}; `!quotes <name>` shows the ids.")
    return rows[0]["key"], rows[0]["text"], rows[0]["speaker"]


async def _one_identity(service, name: str) -> str:
    """The display name of the one identity `name` means; a FixError when none or several."""
    matched = await identities_named(service.store, name)
    exact = [i for i in matched if i.called(name)]
    if not matched:
        raise FixError(f"Nobody named “{name}” is quoted; `!people` lists the speakers.")
    chosen = exact or matched
    if len(chosen) > 1:
        raise FixError(f"“{name}” could be {', '.join(i.name for i in chosen[:4])}: write the full name.")
    return chosen[0].name
