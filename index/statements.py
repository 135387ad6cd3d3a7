"""`!quotes` and `!people` at query time: stored statements looked up by speaker."""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict

from index.answers import Hit, Person, PeopleAnswer, QuotesAnswer, StatementHit
from index.bm25 import B, K1
from index.speakers import cluster_names, name_matches
from index.text import analyze

UNATTRIBUTED = "unattributed"
_KIND_ORDER = {"direct": 0, "partial": 1, "indirect": 2}
_ABOUT = re.compile(r"\s+(?:about|on|re:?)\s+", re.I)


def split_query(argument: str) -> tuple[str, str]:
    """`Bessent about cocaine` -> ("Bessent", "cocaine")."""
    parts = _ABOUT.split(argument.strip(), maxsplit=1)
    return parts[0].strip(), (parts[1].strip() if len(parts) > 1 else "")


async def speaker_clusters(store) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Every stored speaker mapped to one canonical name across articles, with aliases.

    Clustering compares every pair of names, so the result is kept until the
    statements change (any process's add or remove changes their count or last id).
    """
    [counted] = await store.rows("SELECT count(*), max(id) FROM statements")
    version = (counted[0], counted[1])
    cached = _CLUSTERS.get(store.path)
    if cached is not None and cached[0] == version:
        return cached[1], cached[2]
    rows = await store.rows("SELECT DISTINCT speaker, aliases FROM statements WHERE speaker != ?", (UNATTRIBUTED,))
    aliases: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        aliases[row["speaker"]].update(json.loads(row["aliases"] or "[]"))
    canonical = cluster_names(aliases)
    merged: dict[str, set[str]] = defaultdict(set)
    for speaker, names in aliases.items():
        merged[canonical[speaker]].update(names | {speaker})
    _CLUSTERS[store.path] = (version, canonical, merged)
    return canonical, merged


_CLUSTERS: dict[object, tuple[tuple, dict[str, str], dict[str, set[str]]]] = {}


async def find_statements(service, argument: str) -> QuotesAnswer:
    """Statements by the person named in `argument`, optionally about a topic."""
    person, topic = split_query(argument)
    canonical, merged = await speaker_clusters(service.store)
    matched = sorted({c for c, names in merged.items() if name_matches(person, c, names)})
    if len(matched) > 1:
        exact = [c for c in matched if any(n.casefold() == person.casefold() for n in merged[c] | {c})]
        if len(exact) == 1:
            matched = exact
        else:
            return QuotesAnswer("quotes", person=person, topic=topic, candidates=tuple(matched))
    if not matched:
        return QuotesAnswer("quotes", person=person, topic=topic)
    speakers = [s for s, c in canonical.items() if c == matched[0]]
    marks = ",".join("?" * len(speakers))
    # The passage is cut from the body in SQL (substr counts characters, as Python does).
    rows = await service.store.rows(
        f"SELECT st.*, s.position AS position,"
        f" substr(a.text, st.passage_start + 1, st.passage_end - st.passage_start) AS passage"
        f" FROM statements st JOIN sentences s ON s.id = st.sentence_id JOIN articles a ON a.id = st.article_id"
        f" WHERE st.speaker IN ({marks})", speakers)
    refs = await service.article_refs({r["article_id"] for r in rows})
    hits = []
    for row in rows:
        ref = refs.get(row["article_id"])
        if ref is None:  # the article was removed between the two reads
            continue
        passage = Hit(row["sentence_id"], row["passage"].strip(), ref, row["position"])
        hits.append(StatementHit(matched[0], row["role"], row["text"], row["kind"], row["cue"], passage))
    if topic:
        hits = await _by_topic(service, hits, topic)
    else:
        hits.sort(key=lambda h: (_newest_first(h.passage.article), _KIND_ORDER.get(h.kind, 3), h.passage.position))
    return QuotesAnswer("quotes", person=person, topic=topic, speaker=matched[0], statements=tuple(hits))


async def people(service) -> PeopleAnswer:
    """Who is quoted, how often, in how many articles."""
    canonical, merged = await speaker_clusters(service.store)
    rows = await service.store.rows(
        "SELECT speaker, article_id, count(*) AS n FROM statements WHERE speaker != ? GROUP BY speaker, article_id",
        (UNATTRIBUTED,))
    counts: Counter[str] = Counter()
    articles: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        name = canonical.get(row["speaker"], row["speaker"])
        counts[name] += row["n"]
        articles[name].add(row["article_id"])
    found = [Person(name, n, len(articles[name]), tuple(sorted(merged.get(name, ()) - {name})))
             for name, n in counts.items()]
    found.sort(key=lambda p: (-p.statements, -p.articles, p.name))
    return PeopleAnswer("people", people=tuple(found))


async def _by_topic(service, hits: list[StatementHit], topic: str) -> list[StatementHit]:
    """Rank statements by BM25 of the topic over statement + sentence, corpus idf."""
    terms = list(dict.fromkeys(analyze(topic)))
    total = max(service.index.doc_count(), 1)
    idf = {t: math.log(1 + (total - (n := service.index.doc_freq(t)) + 0.5) / (n + 0.5)) for t in terms}
    docs = [analyze(h.text + " " + h.passage.text) for h in hits]
    average = sum(map(len, docs)) / max(len(docs), 1)
    scored = []
    for hit, doc in zip(hits, docs):
        tf = Counter(doc)
        score = sum(
            idf[t] * tf[t] * (K1 + 1) / (tf[t] + K1 * (1 - B + B * len(doc) / max(average, 1)))
            for t in terms if tf[t]
        )
        if score > 0:
            scored.append((score, hit))
    scored.sort(key=lambda p: -p[0])
    return [StatementHit(h.speaker, h.role, h.text, h.kind, h.cue, h.passage, round(s, 4)) for s, h in scored]


def _newest_first(article) -> tuple:
    # Undated articles after dated ones; among equals, the latest added first.
    return (article.published == "", _negate(article.published), -article.id)


def _negate(date: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in date)
