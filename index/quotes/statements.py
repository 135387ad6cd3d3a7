"""`!quotes` and `!people` at query time: the people registry's identities and their stored statements."""

from __future__ import annotations

import difflib
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, replace

from coveragebot.index.answers import Hit, Person, PeopleAnswer, QuotesAnswer, StatementHit
from coveragebot.index.people import kinds as K
from coveragebot.index.search.bm25 import B, K1
from coveragebot.index.text.names import name_matches, name_words, split_role
from coveragebot.index.text.person_names import NameParts, parse_name, same_first_name
from coveragebot.index.text.analyzer import analyze, fold

_KIND_ORDER = {"direct": 0, "partial": 1, "indirect": 2}
# Only "about" splits a topic off: "on" and "re" occur inside names (Commission on
# Presidential Debates).
_ABOUT = re.compile(r"\s+about\s+", re.I)
# How alike a misspelt name and a stored one must be (difflib ratio) to be suggested.
_CLOSE = 0.75


def split_query(argument: str) -> tuple[str, str]:
    """`Bessent about cocaine` -> ("Bessent", "cocaine")."""
    parts = _ABOUT.split(argument.strip(), maxsplit=1)
    return parts[0].strip(), (parts[1].strip() if len(parts) > 1 else "")


@dataclass(frozen=True)
class Identity:
    """A person or source of the registry, as the answers show it."""

    id: int
    name: str
    kind: str
    names: tuple[str, ...]
    statements: int
    articles: int

    @classmethod
    def of(cls, row: tuple) -> "Identity":
        return cls(row[0], row[1], row[2], tuple(json.loads(row[3] or "[]")), row[4], row[5])

    def called(self, name: str) -> bool:
        """Whether `name` is this identity's display name or a name it was seen as."""
        wanted = fold(" ".join(name.split()))
        return fold(self.name) == wanted or any(fold(n) == wanted for n in self.names)


async def identities_named(store, person: str) -> list[Identity]:
    """The identities a user's name query can mean, best-attested first.

    The registry's words narrow the candidates (an identity seen with a word of the
    query, or spelt as an acronym); the name rules decide among those few.
    """
    wanted = name_words(person)
    if not wanted:
        return []
    rows = await store.people_with_words(list(wanted))
    found = [Identity.of(r) for r in rows]
    # A person asked for by first name and surname is a person seen with a full name that
    # agrees (`Ivana Trump` is not Donald Trump, though he too is called `Trump`).
    asked = parse_name(split_role(person)[0])
    if asked.first and len(asked.first) > 1:
        people = [i for i in found if i.kind == K.PERSON and _full_name_fits(asked, i)]
        if people:
            return sorted(people, key=lambda i: (-i.statements, i.name))
        found = [i for i in found if i.kind != K.PERSON]
    found = [i for i in found if name_matches(person, i.name, i.names)]
    return sorted(found, key=lambda i: (-i.statements, i.name))


def _full_name_fits(asked: NameParts, identity: Identity) -> bool:
    for name in (identity.name, *identity.names):
        have = parse_name(name)
        if (have.first and have.surname == asked.surname and have.suffix == asked.suffix
                and same_first_name(have.first, asked.first)):
            return True
    return False


async def close_to(store, person: str, limit: int = 3) -> tuple[str, ...]:
    """People whose name is spelt close to a query that matched nobody (`Petr` -> Petro)."""
    wanted = [w for w in fold(person).split() if len(w) > 2]
    if not wanted:
        return ()
    rows = [row for w in wanted for row in await store.people_starting(w[:2], 0)]
    scored = []
    for name, _, count in dict.fromkeys(rows):
        have = fold(name).split()
        best = max((difflib.SequenceMatcher(None, w, h).ratio() for w in wanted for h in have), default=0)
        if best >= _CLOSE:
            scored.append((-best, -count, name))
    return tuple(name for *_, name in sorted(scored)[:limit])


async def _mentions(service, person: str) -> int:
    """Passages that name the person though no statement of theirs is stored (up to the result cap)."""
    terms = analyze(person)
    if not terms:
        return 0
    scored = service.index.search(terms, service.settings.search_max_results)
    rows = await service.store.sentences_by_id([sid for sid, _ in scored])
    wanted = " ".join(fold(person).split())
    return sum(1 for row in rows.values() if wanted in " ".join(fold(row.text).split()))


async def find_statements(service, argument: str, limit: int | None = None) -> QuotesAnswer:
    """Statements by the person named in `argument`, optionally about a topic.

    A name that is one identity's (its display name, or a name only it was seen as)
    answers with that identity's statements (every one, or the first `limit` and how many
    there are); a name several identities share (`Clinton`) asks which one is meant, with
    their counts.
    """
    person, topic = split_query(argument)
    matched = await identities_named(service.store, person)
    if not matched:
        return QuotesAnswer("quotes", person=person, topic=topic, suggestions=await close_to(service.store, person),
                            mentions=await _mentions(service, person))
    wanted = fold(" ".join(person.split()))
    # A display name is one identity's (the best-attested, should two print alike); a name
    # several identities were seen as asks which.
    exact = [i for i in matched if fold(i.name) == wanted][:1] or [i for i in matched if i.called(person)]
    persons = [i for i in matched if i.kind == K.PERSON]
    if not exact and len(persons) == 1:
        exact = persons  # `Cruz` is Ted Cruz, not "Cruz's campaign"
    if len(exact) != 1 and len(matched) > 1:
        choices = tuple(Person(i.name, i.statements, i.articles, i.names, i.kind) for i in (exact or matched))
        return QuotesAnswer("quotes", person=person, topic=topic, candidates=tuple(c.name for c in choices),
                            choices=choices)
    chosen = exact[0] if exact else matched[0]
    if topic:  # every statement is scored on the topic; the best are listed
        hits, total = await _by_topic(service, chosen, topic, limit)
    else:
        hits = await _statements_of(service, chosen, limit)
        # The registry counts statements as they are listed (a repeated paragraph once).
        total = max(chosen.statements, len(hits)) if limit is not None and len(hits) >= limit else len(hits)
        hits.sort(key=lambda h: (_newest_first(h.passage.article), _KIND_ORDER.get(h.kind, 3), h.passage.position))
    others = tuple(i.name for i in matched if i is not chosen)
    return QuotesAnswer("quotes", person=person, topic=topic, speaker=chosen.name, speaker_kind=chosen.kind,
                        candidates=tuple(i.name for i in matched), statements=tuple(hits[:limit]), others=others,
                        total=total)


# A statement's passage. Most passages are their sentence, read from the sentence's row;
# only a passage over several sentences is cut from the article's body (substr counts
# characters, as Python does), so few article rows are read at all.
_PASSAGE = (
    "CASE WHEN st.passage_start = s.start AND st.passage_end = s.end THEN s.text ELSE"
    " (SELECT substr(a.text, st.passage_start + 1, st.passage_end - st.passage_start)"
    " FROM articles a WHERE a.id = st.article_id) END AS passage")
_OF_IDENTITY = (" FROM name_forms f JOIN statements st ON st.form_id = f.id JOIN sentences s ON s.id = st.sentence_id"
                " WHERE f.workspace = ? AND f.person_id = ?")
# A statement's whole row, and what the topic's scoring reads of every statement of a speaker.
_SELECT = f"SELECT st.*, s.position AS position, {_PASSAGE}{_OF_IDENTITY}"
_SCORED = ("SELECT st.id, st.article_id, st.text, st.kind, st.terms FROM name_forms f"
           " JOIN statements st ON st.form_id = f.id WHERE f.workspace = ? AND f.person_id = ?")


async def _statements_of(service, identity: Identity, limit: int | None = None) -> list[StatementHit]:
    """The stored statements of one identity, with their passages and articles: every one,
    or the newest `limit` (newest story first, direct quotes before indirect, in story order)."""
    values: tuple = (service.store.workspace, identity.id)
    if limit is None:
        return await _hits(service, identity, await service.store.rows(_SELECT, values))
    # The first page of a speaker quoted 10,000 times: the newest articles they speak in come
    # from two indexes (their articles, and those articles' dates), never from article rows;
    # each has at least one statement, so the newest `spare` articles hold the page. Then
    # only those articles' statements are sorted, and only the rows kept are read whole. A
    # few rows spare cover the paragraphs a story repeats (they count once).
    spare = limit + 20
    ids = [r[0] for r in await service.store.tuples(
        "SELECT st.id FROM name_forms f JOIN statements st ON st.form_id = f.id"
        " JOIN sentences s ON s.id = st.sentence_id JOIN articles a ON a.id = st.article_id"
        " WHERE f.workspace = ? AND f.person_id = ? AND st.article_id IN ("
        f"  SELECT d.id FROM {service.store.DATED_ARTICLES} WHERE d.workspace = ? AND d.id IN ("
        "   SELECT sf.article_id FROM name_forms nf JOIN statements sf ON sf.form_id = nf.id"
        "   WHERE nf.workspace = ? AND nf.person_id = ?)"
        "  ORDER BY d.published = '', d.published DESC, d.id DESC LIMIT ?)"
        " ORDER BY a.published = '', a.published DESC, a.id DESC,"
        " CASE st.kind WHEN 'direct' THEN 0 WHEN 'partial' THEN 1 WHEN 'indirect' THEN 2 ELSE 3 END,"
        " s.position, st.id LIMIT ?", (*values, values[0], *values, spare, spare))]
    if not ids:
        return []
    rows = await service.store.rows(_SELECT + f" AND st.id IN ({','.join('?' * len(ids))})", (*values, *ids))
    hits = await _hits(service, identity, rows)
    if len(hits) < limit and len(ids) == spare:  # more repeats than spare rows: read them all
        return await _statements_of(service, identity)
    return hits


def _first_of_each(rows) -> list:
    """The rows in stored order, a paragraph a story repeats once (its first row)."""
    kept, seen = [], set()
    for row in sorted(rows, key=lambda r: r["id"]):
        said = (row["article_id"], row["text"], row["kind"])
        if said not in seen:
            seen.add(said)
            kept.append(row)
    return kept


async def _hits(service, identity: Identity, rows) -> list[StatementHit]:
    """Statement rows as answers' hits in stored order, a paragraph a story repeats once."""
    rows = _first_of_each(rows)
    refs = await service.article_refs({r["article_id"] for r in rows})
    hits = []
    for row in rows:
        ref = refs.get(row["article_id"])
        if ref is None:  # the article was removed between the two reads
            continue
        passage = Hit(row["sentence_id"], row["passage"].strip(), ref, row["position"])
        hits.append(StatementHit(identity.name, row["role"], row["text"], row["kind"], row["cue"], passage,
                                 statement_id=row["id"], mention=row["mention"]))
    return hits


async def people(service, kind: str = "", limit: int | None = None) -> PeopleAnswer:
    """Who is quoted, how often, in how many articles: people first, then other sources;
    everyone, or each section's `limit` most quoted and how many it has in all."""
    store = service.store
    if limit is None:
        rows = await store.people_rows(kind)
    elif kind:
        rows = await store.people_rows(kind, limit)
    else:
        rows = await store.people_rows(limit=limit, persons=True) + await store.people_rows(limit=limit, persons=False)
    # Every identity's names in one JSON parse: per-row parsing was most of the answer's time.
    names = json.loads("[" + ",".join(r[3] or "[]" for r in rows) + "]")
    listed = tuple(Person(r[1], r[4], r[5], tuple(seen), r[2]) for r, seen in zip(rows, names))
    persons = sum(p.kind == K.PERSON for p in listed)
    persons_total, others_total = persons, len(listed) - persons
    if limit is not None and max(persons, len(listed) - persons) >= limit:
        counts = await store.people_counts()
        persons_total = counts.get(K.PERSON, 0) if kind in ("", K.PERSON) else 0
        others_total = sum(n for k, n in counts.items() if k != K.PERSON and kind in ("", k))
    return PeopleAnswer("people", people=listed, kind=kind, persons_total=persons_total, others_total=others_total)


async def _by_topic(service, identity: Identity, topic: str,
                    limit: int | None = None) -> tuple[list[StatementHit], int]:
    """The identity's statements ranked by BM25 of the topic over statement + passage, corpus
    idf: the best `limit` (or all) as answers' hits, and how many statements score."""
    values = (service.store.workspace, identity.id)
    # As `_first_of_each`, on plain rows (id first): a repeated paragraph counts once.
    stored, seen = [], set()
    for statement_id, article_id, text, kind, said in sorted(await service.store.tuples(_SCORED, values)):
        if (article_id, text, kind) not in seen:
            seen.add((article_id, text, kind))
            stored.append((statement_id, said or ""))
    terms = list(dict.fromkeys(analyze(topic)))
    total = max(service.index.doc_count(), 1)
    idf = {t: math.log(1 + (total - (n := service.index.doc_freq(t)) + 0.5) / (n + 0.5)) for t in terms}
    # Each statement's terms were stored with it (`statement_terms`): its length is its
    # count of spaces plus one, and only a statement whose terms hold a topic term as a
    # substring (a superset test, made exact by the counting below) is split and scored.
    average = sum(said.count(" ") + 1 for _, said in stored if said) / max(len(stored), 1)
    scores = {}
    for statement_id, said in stored:
        if not any(t in said for t in terms):
            continue
        found = said.split(" ")
        tf = Counter(found)
        score = sum(
            idf[t] * tf[t] * (K1 + 1) / (tf[t] + K1 * (1 - B + B * len(found) / max(average, 1)))
            for t in terms if tf[t]
        )
        if score > 0:
            scores[statement_id] = score
    # Best first, equals in stored order; only the rows listed are read whole.
    best = sorted(scores, key=lambda sid: (-scores[sid], sid))[:limit]
    rows = [] if not best else await service.store.rows(
        _SELECT + f" AND st.id IN ({','.join('?' * len(best))})", (*values, *best))
    hits = await _hits(service, identity, rows)
    hits.sort(key=lambda h: (-scores[h.statement_id], h.statement_id))
    return [replace(h, score=round(scores[h.statement_id], 4)) for h in hits], len(scores)


def _newest_first(article) -> tuple:
    # Undated articles after dated ones; among equals, the latest added first.
    return (article.published == "", _negate(article.published), -article.id)


def _negate(date: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in date)
