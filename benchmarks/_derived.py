"""Statements and actions at benchmark scale: the rows the real extractors produce on
real articles, replicated onto a store of synthetic articles.

The real rows come from ingesting the bundled seeds and the test corpus through a
real `Service` once. Their verbs, keys, cues, roles, texts and targets are kept; the
agents are redrawn from made-up names with Zipfian popularity (a few people are in every
story, most in one), and each row lands on a random synthetic sentence.

Speakers are people as an archive holds them (`speakers`): 20,000 of them by default, with
real first names (gender-guesser's list, themselves Zipf-popular, so many people are a
`John`) and made-up surnames each shared by about four people, written as the extractor
settles them in an article (mostly the full name, some with a middle initial, some a
surname alone with the gender an honorific gave). Sources that are not people keep the
real row's speaker and kind. The registry is then built over those forms by the store's
own `relink`, as a rebuild from scratch would.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks._service import CORPUS, SEEDS, service_settings

NAMES = 2_000
SPEAKERS = 20_000
PEOPLE_PER_SURNAME = 4
FIRST_NAMES = 3_000
# Measured with this branch's extractors on 60 PolNeAR train articles (2.55 actions a
# sentence; the issue measured 1.8 with the earlier extractor on all 840).
ACTIONS_PER_SENTENCE = 2.5
STATEMENTS_PER_SENTENCE = 1 / 5
UNATTRIBUTED = "unattributed"
NOT_STATED = "not stated"
NOT_IDENTIFIED = "not identified"
_SYLLABLES = [c + v for c in "bcdfghjklmnprstvz" for v in "aeiou"]


@dataclass(frozen=True)
class RealRows:
    """Statements and actions (as stored rows) from real articles, and where they came from."""

    statements: list[dict]
    actions: list[dict]
    articles: int
    sentences: int
    seconds: float


def made_up_names(count: int = NAMES, seed: int = 17) -> list[str]:
    """`count` distinct "First Surname" names, no surname shared, most popular first."""
    rng = np.random.default_rng(seed)
    names, surnames = [], set()
    while len(names) < count:
        first = "".join(rng.choice(_SYLLABLES, size=int(rng.integers(2, 4)))).capitalize()
        last = "".join(rng.choice(_SYLLABLES, size=int(rng.integers(2, 4)))) + str(rng.choice(list("nrsk")))
        if last not in surnames:
            surnames.add(last)
            names.append(f"{first} {last.capitalize()}")
    return names


@dataclass(frozen=True)
class Speaker:
    """One made-up person: first name, middle initial, surname, gender of the first name."""

    first: str
    middle: str
    surname: str
    gender: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.surname}"

    def written(self, draw: float) -> tuple[str, str]:
        """(name, gender) as an article settles this person, for a uniform `draw`."""
        if draw < 0.82:
            return self.name, self.gender
        if draw < 0.90:
            return f"{self.first} {self.middle}. {self.surname}", self.gender
        if draw < 0.97:  # "Mr. Surname" throughout: the honorific's gender, no first name
            return self.surname, self.gender
        return self.surname, ""


def real_first_names(count: int = FIRST_NAMES) -> list[tuple[str, str]]:
    """`count` (first name, gender) pairs from gender-guesser's list, male and female alike."""
    from coveragebot.index.text.person_names import _gender_detector

    chosen = []
    for name in sorted(_gender_detector().names):
        if name.isalpha() and 4 <= len(name) <= 9:
            gender = _gender_detector().get_gender(name.capitalize())
            if gender in ("male", "female"):
                chosen.append((name.capitalize(), gender))
    rng = np.random.default_rng(5)
    return [chosen[i] for i in sorted(rng.choice(len(chosen), size=min(count, len(chosen)), replace=False))]


def speakers(count: int = SPEAKERS, seed: int = 17) -> list[Speaker]:
    """`count` distinct people, most quoted first, sharing first names and surnames."""
    rng = np.random.default_rng(seed)
    firsts = real_first_names()
    first_weights = zipf_weights(len(firsts))
    surnames: list[str] = []
    seen: set[str] = set()
    while len(surnames) < max(1, count // PEOPLE_PER_SURNAME):
        last = "".join(rng.choice(_SYLLABLES, size=int(rng.integers(2, 4)))) + str(rng.choice(list("nrsk")))
        if last not in seen:
            seen.add(last)
            surnames.append(last.capitalize())
    people: list[Speaker] = []
    taken: set[tuple[str, str]] = set()
    while len(people) < count:
        first, gender = firsts[int(rng.choice(len(firsts), p=first_weights))]
        surname = surnames[int(rng.integers(len(surnames)))]
        if (first, surname) not in taken:
            taken.add((first, surname))
            people.append(Speaker(first, "ABCDEFGHJKLMNPRSTW"[int(rng.integers(18))], surname, gender))
    return people


def zipf_weights(count: int) -> np.ndarray:
    """p(rank) ~ 1 / rank: the top name is in ~12% of rows out of 2,000."""
    weights = 1.0 / np.arange(1, count + 1)
    return weights / weights.sum()


def harvest_real_rows(directory: Path) -> RealRows:
    """Ingest the seeds and the test corpus through a real Service; read back its rows."""
    import asyncio

    from coveragebot.index.ingest.items import Item
    from coveragebot.index.service import Service

    paths = sorted(SEEDS.glob("*.txt")) + sorted(CORPUS.glob("*.json"))

    async def ingest() -> RealRows:
        service = await Service.open(service_settings(directory), seed=False)
        try:
            started = time.perf_counter()
            outcomes = await service.add_items([Item(p.name, "path", str(p)) for p in paths], actor="bench")
            seconds = time.perf_counter() - started
            assert all(o.status == "added" for o in outcomes), [o.message for o in outcomes]
            statements = [dict(r) for r in await service.store.rows(
                "SELECT st.*, f.kind AS form_kind, f.gender AS form_gender FROM statements st"
                " LEFT JOIN name_forms f ON f.id = st.form_id ORDER BY st.id /* every workspace */")]
            actions = [dict(r) for r in await service.store.rows("SELECT * FROM actions ORDER BY id /* every workspace */")]
            sentences = await service.store.scalar("SELECT count(*) FROM sentences /* every workspace */")
        finally:
            await service.close()
        return RealRows(statements, actions, len(paths), sentences, seconds)

    return asyncio.run(ingest())


def replicate(db_path: Path, real: RealRows, seed: int = 19, names: list[str] | None = None,
              people: list[Speaker] | None = None,
              actions_per_sentence: float = ACTIONS_PER_SENTENCE,
              statements_per_sentence: float = STATEMENTS_PER_SENTENCE) -> dict:
    """Copy real statement and action rows onto random synthetic sentences, in one
    transaction, then build the people registry over the statements' forms."""
    from coveragebot.index.storage.store import WHO_COUNT
    from coveragebot.index.who.extract import name_key

    names = names or made_up_names()
    weights = zipf_weights(len(names))
    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA synchronous=OFF")
    spans = np.array(db.execute("SELECT id, article_id, start, end FROM sentences ORDER BY id /* every workspace */").fetchall(),
                     dtype=np.int64)
    count = len(spans)
    n_actions, n_statements = round(count * actions_per_sentence), round(count * statements_per_sentence)
    db.execute("BEGIN")

    def draw_names(n: int) -> list[str]:
        return [names[i] for i in rng.choice(len(names), size=n, p=weights)]

    action_rows, key_rows = [], []
    where = spans[rng.integers(0, count, n_actions)]
    sources = rng.integers(0, len(real.actions), n_actions)
    agents = draw_names(n_actions)
    next_id = (db.execute("SELECT max(id) FROM actions /* every workspace */").fetchone()[0] or 0) + 1
    for number, ((sid, aid, start, end), source, agent) in enumerate(zip(where.tolist(), sources, agents)):
        row = real.actions[source]
        mention = row.get("mention", "")
        if row["agent"] in (NOT_STATED, NOT_IDENTIFIED):  # "was sanctioned", an unresolved "he": kept
            agent = row["agent"]
        elif mention and row["agent"] == mention:  # an unresolved "he" stays as written
            agent = mention
        action_id = next_id + number
        key_of = row["agent_key"] if agent == mention or agent in (NOT_STATED, NOT_IDENTIFIED) else name_key(agent)
        factuality = row.get("factuality", "asserted")
        action_rows.append((action_id, aid, sid, agent, key_of,
                            row["verb"], row["keys"], row["action"], row["target"], row["passive"],
                            start, end, row["kind"], row["target_names"], mention, factuality))
        words = f"{row['action']} {row['target']} {row['target_names']}"
        key_rows.extend((key, action_id, aid, sid, agent, key_of, row["kind"], start, mention, words, factuality)
                        for key in dict.fromkeys(row["keys"].split()))
    db.executemany(
        "INSERT INTO actions (id, article_id, sentence_id, agent, agent_key, verb, keys, action, target,"
        " passive, passage_start, passage_end, kind, target_names, mention, factuality)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) /* every workspace */",
        action_rows)
    db.executemany("INSERT INTO action_keys (key, action_id, article_id, sentence_id, agent, agent_key, kind,"
                   " passage_start, mention, words, factuality) VALUES (?,?,?,?,?,?,?,?,?,?,?) /* every workspace */",
                   key_rows)

    # Statements: each a form (a person as one article wrote them, or the real row's
    # non-person source), counted per form as the store counts them.
    from coveragebot.index.people import kinds as K
    from coveragebot.index.storage.registry import RECOUNT_FORMS, form_block, speaker_form
    from coveragebot.index.storage.store import EVERY_WORKSPACE

    people = people or speakers()
    forms: dict[tuple[str, str, str, str], list[int]] = {}
    first_form = (db.execute("SELECT max(id) FROM name_forms /* every workspace */").fetchone()[0] or 0) + 1
    statement_rows = []
    where = spans[rng.integers(0, count, n_statements)]
    sources = rng.integers(0, len(real.statements), n_statements)
    # Everyone is quoted at least once (when there are statements enough); the rest by Zipf.
    drawn = rng.choice(len(people), size=n_statements, p=zipf_weights(len(people)))
    drawn[:min(len(people), n_statements)] = rng.permutation(len(people))[:n_statements]
    for (sid, aid, start, end), source, who, draw in zip(where.tolist(), sources, drawn.tolist(),
                                                         rng.random(n_statements).tolist()):
        row = real.statements[source]
        kind = row.get("form_kind") or K.PERSON
        name, gender = people[who].written(draw) if kind == K.PERSON else (row["speaker"], row.get("form_gender"))
        form = speaker_form({"speaker": name, "speaker_kind": kind, "gender": gender})
        counted = forms.setdefault(form, [first_form + len(forms), 0])
        counted[1] += 1
        statement_rows.append((aid, sid, form[0], row["role"], "[]", row["text"], row["kind"], row["cue"],
                               start, end, start, end, counted[0], row.get("mention") or ""))
    db.executemany("INSERT INTO name_forms (id, block, name, kind, gender, pin, statements) VALUES (?,?,?,?,?,?,?) /* every workspace */",
                   [(form_id, form_block(name, kind, pin), name, kind, gender, pin, n)
                    for (name, kind, gender, pin), (form_id, n) in forms.items()])
    db.executemany(
        "INSERT INTO statements (article_id, sentence_id, speaker, role, aliases, text, kind, cue, start, end,"
        " passage_start, passage_end, form_id, mention) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) /* every workspace */", statement_rows)
    # Each form counts its statements as the store does (a paragraph repeated in a story once).
    for recount in RECOUNT_FORMS:
        db.execute(recount + EVERY_WORKSPACE)
    # !who's counts, as the store keeps them for rows it writes itself.
    db.execute("DELETE FROM who_agents /* every workspace */")
    db.execute(WHO_COUNT.format(sign=1, rows="1 = 1"))
    db.execute("COMMIT")
    db.close()
    seconds = time.perf_counter() - started
    registry = build_registry(db_path)
    return {"actions": n_actions, "action_keys": len(key_rows), "statements": n_statements,
            "names": len(names), "speakers": len(people), "forms": len(forms), "seconds": seconds,
            "registry": registry}


def build_registry(db_path: Path, chunk: int = 500) -> dict:
    """Link every form into identities with the store's own `relink`, as a rebuild does."""
    import asyncio

    from coveragebot.index.storage.store import Store

    async def build() -> dict:
        store = await Store.open(db_path)
        try:
            started = time.perf_counter()
            blocks = [r[0] for r in await store.tuples("SELECT DISTINCT block FROM name_forms ORDER BY block /* every workspace */")]
            async with store.transaction():
                for first in range(0, len(blocks), chunk):
                    await store.relink(blocks[first:first + chunk])
            seconds = time.perf_counter() - started
            people = await store.scalar("SELECT count(*) FROM people WHERE statements > 0 /* every workspace */")
            persons = await store.scalar("SELECT count(*) FROM people WHERE statements > 0 AND kind = 'person' /* every workspace */")
            unnamed = await store.scalar(
                "SELECT count(*) FROM statements st JOIN name_forms f ON f.id = st.form_id"
                " JOIN people p ON p.id = f.person_id WHERE st.speaker <> p.name /* every workspace */")
        finally:
            await store.close()
        return {"blocks": len(blocks), "identities": people, "persons": persons, "seconds": seconds,
                "misnamed_statements": unnamed}

    return asyncio.run(build())
