"""`!quotes` and `!people` at query time: stored statements looked up by speaker."""

from __future__ import annotations

import difflib
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from index.answers import Hit, Person, PeopleAnswer, QuotesAnswer, StatementHit
from index.search.bm25 import B, K1
from index.text.names import cluster_names, name_matches, name_words, same_entity, spelt_as_acronym
from index.text.analyzer import STOPWORDS, analyze, fold, stem, stem_start, words

UNATTRIBUTED = "unattributed"
_KIND_ORDER = {"direct": 0, "partial": 1, "indirect": 2}
# Only "about" splits a topic off: "on" and "re" occur inside names (Commission on
# Presidential Debates).
_ABOUT = re.compile(r"\s+about\s+", re.I)
# An ambiguous name answers with this many speakers' statements; the rest are named.
GROUPS_SHOWN = 3
# A bare surname joins the best-attested full name it fits when that name has at least
# this many times the statements of the next one ("Trump" -> Donald Trump, not Ivanka).
_DOMINANCE = 3
# by_word's bucket for names spelt as an acronym, which any query may match.
_ACRONYM_KEY = "\0acronym"
# How alike a misspelt name and a stored one must be (difflib ratio) to be suggested.
_CLOSE = 0.75


def split_query(argument: str) -> tuple[str, str]:
    """`Bessent about cocaine` -> ("Bessent", "cocaine")."""
    parts = _ABOUT.split(argument.strip(), maxsplit=1)
    return parts[0].strip(), (parts[1].strip() if len(parts) > 1 else "")


@dataclass(frozen=True)
class Clusters:
    """Stored speakers grouped into people: canonical name, aliases, statement counts."""

    canonical: dict[str, str]
    names: dict[str, set[str]]
    counts: Counter[str]

    by_word: dict[str, set[str]] = field(default_factory=dict, compare=False)

    def matching(self, person: str) -> list[str]:
        """Canonical names a user's query can mean, best-attested first."""
        found = [c for c in self._sharing_a_word(person) if name_matches(person, c, self.names[c])]
        return sorted(found, key=lambda c: (-self.counts[c], c))

    def _sharing_a_word(self, person: str) -> Iterable[str]:
        # A name query matches a person whose names share one of its words, or through
        # an acronym (`WHO` ~ World Health Organization): only those are compared.
        if spelt_as_acronym(person):
            return self.names
        if not self.by_word:
            for canonical, names in self.names.items():
                for name in (canonical, *names):
                    key = _ACRONYM_KEY if spelt_as_acronym(name) else None
                    for word in (key,) if key else name_words(name):
                        self.by_word.setdefault(word, set()).add(canonical)
        found = set(self.by_word.get(_ACRONYM_KEY, ()))
        for word in name_words(person):
            found |= self.by_word.get(word, set())
        return found

    def close_to(self, person: str, limit: int = 3) -> tuple[str, ...]:
        """People whose name is spelt close to a query that matched nobody (`Petr` -> Petro)."""
        wanted = [w for w in fold(person).split() if len(w) > 2]
        scored = []
        for name in self.names:
            have = fold(name).split()
            best = max((difflib.SequenceMatcher(None, w, h).ratio() for w in wanted for h in have), default=0)
            if best >= _CLOSE:
                scored.append((-best, -self.counts[name], name))
        return tuple(name for *_, name in sorted(scored)[:limit])

    def speakers_of(self, canonical: str) -> list[str]:
        """The stored speaker strings of one person."""
        return [s for s, c in self.canonical.items() if c == canonical]


async def speaker_clusters(store) -> Clusters:
    """Every stored speaker mapped to one canonical name across articles, with aliases.

    Clustering compares every pair of names, so the result is kept until the
    statements change (any process's add or remove changes their count or last id).
    """
    [counted] = await store.rows(
        "SELECT count(*), max(id), (SELECT count(*) FROM corrections WHERE kind = 'merge') FROM statements")
    version = tuple(counted)
    cached = _CLUSTERS.get(store.path)
    if cached is not None and cached[0] == version:
        return cached[1]
    rows = await store.rows(
        "SELECT speaker, aliases, count(*) AS n FROM statements WHERE speaker NOT IN (?, '')"
        " GROUP BY speaker, aliases",
        (UNATTRIBUTED,))
    aliases: dict[str, set[str]] = defaultdict(set)
    stored: Counter[str] = Counter()
    for row in rows:
        aliases[row["speaker"]].update(json.loads(row["aliases"] or "[]"))
        stored[row["speaker"]] += row["n"]
    canonical = _merge_as_fixed(_join_dominated_surnames(cluster_names(aliases), stored),
                                [(r["anchor"], r["value"]) for r in await store.corrections("merge")])
    merged: dict[str, set[str]] = defaultdict(set)
    counts: Counter[str] = Counter()
    for speaker, names in aliases.items():
        person = canonical.get(speaker, speaker)
        merged[person].update(names | {speaker})
        counts[person] += stored[speaker]
    clusters = Clusters(canonical, dict(merged), counts)
    _CLUSTERS[store.path] = (version, clusters)
    return clusters


_CLUSTERS: dict[object, tuple[tuple, Clusters]] = {}


def _merge_as_fixed(canonical: dict[str, str], merges: list[tuple[str, str]]) -> dict[str, str]:
    """Apply moderators' `!fix merge A into B`, in the order they were made."""
    for source, target in merges:
        into = canonical.get(target, target)
        merged = {canonical.get(source, source)}
        canonical = {s: (into if c in merged or s == source else c) for s, c in canonical.items()}
    return canonical


async def _mentions(service, person: str) -> int:
    """Passages that name the person though no statement of theirs is stored (up to the result cap)."""
    terms = analyze(person)
    if not terms:
        return 0
    scored = service.index.search(terms, service.settings.search_max_results)
    rows = await service.store.sentences_by_id([sid for sid, _ in scored])
    wanted = " ".join(fold(person).split())
    return sum(1 for row in rows.values() if wanted in " ".join(fold(row.text).split()))


def _join_dominated_surnames(canonical: dict[str, str], stored: Counter[str]) -> dict[str, str]:
    """Map a one-word name that fits several people to the one who dominates it."""
    counts: Counter[str] = Counter()
    for speaker, name in canonical.items():
        counts[name] += stored[speaker]
    people = set(canonical.values())
    moved: dict[str, str] = {}
    for name in people:
        if " " in name:
            continue
        fits = sorted((p for p in people if p != name and same_entity(name, p)), key=lambda p: -counts[p])
        if not fits:
            continue
        runner_up = counts[fits[1]] if len(fits) > 1 else 0
        if counts[fits[0]] >= _DOMINANCE * max(runner_up, 1):
            moved[name] = fits[0]
    return {speaker: moved.get(name, name) for speaker, name in canonical.items()}


async def find_statements(service, argument: str) -> QuotesAnswer:
    """Statements by the person named in `argument`, optionally about a topic.

    A name that fits several people answers with each one's statements, grouped by
    speaker, best-attested first; an exact name or alias picks that person alone.
    """
    person, topic = split_query(argument)
    clusters = await speaker_clusters(service.store)
    matched = clusters.matching(person)
    if not matched:
        return QuotesAnswer("quotes", person=person, topic=topic, suggestions=clusters.close_to(person),
                            mentions=await _mentions(service, person))
    wanted = person.casefold()
    # A person's own name first, then a name they are also called: every name `!people`
    # lists reaches that person, even when another person was once called the same.
    exact = [c for c in matched if c.casefold() == wanted]
    exact = exact or [c for c in matched if any(n.casefold() == wanted for n in clusters.names[c])]
    shown = exact[:1] or matched[:GROUPS_SHOWN]
    others = tuple(c for c in matched if c not in shown)
    groups = []
    for name in shown:
        hits = await _statements_of(service, name, clusters.speakers_of(name))
        if topic:
            hits = await _by_topic(service, hits, topic)
        else:
            hits.sort(key=lambda h: (_newest_first(h.passage.article), _KIND_ORDER.get(h.kind, 3), h.passage.position))
        groups.append(hits)
    return QuotesAnswer("quotes", person=person, topic=topic, speaker=shown[0], candidates=tuple(matched),
                        statements=tuple(h for hits in groups for h in hits), others=others)


async def _statements_of(service, name: str, speakers: list[str]) -> list[StatementHit]:
    """Every stored statement of one person, with its passage and article."""
    marks = ",".join("?" * len(speakers))
    # The passage is cut from the body in SQL (substr counts characters, as Python does).
    rows = await service.store.rows(
        f"SELECT st.*, s.position AS position,"
        f" substr(a.text, st.passage_start + 1, st.passage_end - st.passage_start) AS passage"
        f" FROM statements st JOIN sentences s ON s.id = st.sentence_id JOIN articles a ON a.id = st.article_id"
        f" WHERE st.speaker IN ({marks})", speakers)
    refs = await service.article_refs({r["article_id"] for r in rows})
    hits, seen = [], set()
    for row in rows:
        ref = refs.get(row["article_id"])
        if ref is None:  # the article was removed between the two reads
            continue
        # A paragraph a story repeats is one statement.
        said = (row["article_id"], row["text"], row["kind"])
        if said in seen:
            continue
        seen.add(said)
        passage = Hit(row["sentence_id"], row["passage"].strip(), ref, row["position"])
        hits.append(StatementHit(name, row["role"], row["text"], row["kind"], row["cue"], passage,
                                 statement_id=row["id"]))
    return hits


async def people(service) -> PeopleAnswer:
    """Who is quoted, how often, in how many articles."""
    clusters = await speaker_clusters(service.store)
    canonical, merged = clusters.canonical, clusters.names
    rows = await service.store.rows(
        "SELECT speaker, article_id, count(*) AS n FROM statements WHERE speaker NOT IN (?, '')"
        " GROUP BY speaker, article_id",
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
    # Every statement's length counts toward the average, but only one whose words could
    # hold a topic term (its stem's beginning is in the text) is stemmed and scored.
    starts = [stem_start(t) for t in terms]
    lengths, candidates = [], []
    for hit in hits:
        found = [w for w in words(hit.text + " " + hit.passage.text) if w not in STOPWORDS]
        lengths.append(len(found))
        joined = " ".join(found)
        if any(start in joined for start in starts):
            candidates.append((hit, len(lengths) - 1, [stem(w) for w in found]))
    average = sum(lengths) / max(len(lengths), 1)
    scored = []
    for hit, n, doc in candidates:
        tf = Counter(doc)
        score = sum(
            idf[t] * tf[t] * (K1 + 1) / (tf[t] + K1 * (1 - B + B * lengths[n] / max(average, 1)))
            for t in terms if tf[t]
        )
        if score > 0:
            scored.append((score, n, hit))
    scored.sort(key=lambda p: (-p[0], p[1]))
    return [replace(h, score=round(s, 4)) for s, _, h in scored]


def _newest_first(article) -> tuple:
    # Undated articles after dated ones; among equals, the latest added first.
    return (article.published == "", _negate(article.published), -article.id)


def _negate(date: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in date)
