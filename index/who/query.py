"""`!who` at query time: a verb phrase reduced to stems, matched against stored
actions, and their agents ranked, with spellings of one agent merged across articles.

Nothing here parses article text: `parse_who_query` and `action_matches` compare
stems and strings only (see `index.who.extract` for how the actions were extracted).
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from coveragebot.index.text import names as speakers
from coveragebot.index.text.analyzer import STOPWORDS, stem, stem_start, words
from coveragebot.index.who.verbs import DOING_VERBS, event_stem, verb_lemma
from coveragebot.index.who.extract import NOT_IDENTIFIED, NOT_STATED, Action, name_key
from coveragebot.index.who.factuality import ASSERTED

_DOING_STEMS = frozenset(stem(v) for v in DOING_VERBS)
_MAX_BLOCK = 50  # keys sharing a word beyond this are too common a word to compare on
_UPPER_WORD = re.compile(r"\b(?:[A-Z]\.){2,}|\b[A-Z]{2,}\b")
# Particles that make a phrasal verb its own sense ("dropped out" is not "dropped"): kept
# as words to rank on when the question puts one right after its verb.
PARTICLES = frozenset("out up down off back away over".split())
# Words a user may put before the verb: "is appealing", "who has sanctioned".
_QUERY_SKIP = frozenset(
    """who whom is are was were be been being has have had will would shall should can
    could may might must did does do also just currently reportedly allegedly""".split()
)


# Skipped words that are main verbs when nothing verb-like follows ("who has a plan").
_MAIN_VERBS = frozenset("has have had did does do".split())


def _verb_like(piece: str) -> bool:
    # A following verb form takes the role of the main verb ("has sanctioned").
    found = words(piece)
    return bool(found) and (found[0].endswith(("ed", "ing", "en")) or verb_lemma(found[0]) != found[0])


@dataclass(frozen=True)
class WhoQuery:
    """`!who <verb phrase>` reduced to stems."""

    verb_stem: str
    object_terms: tuple[str, ...]
    text: str
    event_stem: str = ""  # "placed sanctions": the event noun a doing verb stands for


@dataclass(frozen=True)
class AgentAnswer:
    """One agent with the actions that show it, best first."""

    agent: str
    support: int
    articles: int
    evidence: list


def parse_who_query(query: str) -> WhoQuery:
    """`is appealing a ruling` -> verb stem `appeal`, object terms (`rule`,)."""
    pieces = query.split()
    skipped = ""
    while pieces and (not words(pieces[0]) or all(
        w in _QUERY_SKIP or w.endswith("ly") for w in words(pieces[0])
    )):
        skipped = next((w for w in words(pieces[0]) if w in _MAIN_VERBS), skipped)
        pieces = pieces[1:]
    if skipped and (not pieces or not _verb_like(pieces[0])):
        # "!who has", "!who did the damage": have/do as the main verb.
        pieces = [skipped] + pieces
    if not pieces:
        return WhoQuery("", (), query)
    verb = words(pieces[0])[0]
    rest = " ".join(pieces[1:])
    following = words(rest)[:1]
    # "dropped out": the particle is part of the asked sense, so it ranks like an object word.
    particle = [following[0]] if following and following[0] in PARTICLES else []
    objects = tuple(dict.fromkeys(particle + _ordered_terms(rest)))
    event = ""
    if stem(verb_lemma(verb)) in _DOING_STEMS and objects:
        first = next((w for w in words(rest) if w not in STOPWORDS), "")
        if first and event_stem(first):
            event = event_stem(first)
    return WhoQuery(event_stem(verb) or stem(verb_lemma(verb)), objects, query, event)


def action_matches(query: WhoQuery, action: Action) -> bool:
    """The action is the query's event; object words rank the agents, never filter them."""
    if not query.verb_stem:
        return False
    # "placed sanctions" also finds "imposed sanctions" and "the Treasury's sanctions".
    return query.verb_stem in action.keys or (bool(query.event_stem) and query.event_stem in action.keys)


def rank_in_parts(hits: Iterable[tuple[int, Action]], query: WhoQuery | None = None
                  ) -> tuple[list[AgentAnswer], list[AgentAnswer]]:
    """`!who`'s two parts from every hit: agents of what happened (asserted), then agents
    of the same action only refused, planned, demanded, tried, supposed or asked about."""
    hits = list(hits)
    done = [hit for hit in hits if hit[1].factuality == ASSERTED]
    told = [hit for hit in hits if hit[1].factuality != ASSERTED]
    return rank_agents(done, query), rank_agents(told, query)


def rank_agents(hits: Iterable[tuple[int, Action]], query: WhoQuery | None = None) -> list[AgentAnswer]:
    """Agents of matching actions, spellings merged; those doing it to the query's object first.

    An action is anything with Action's fields (`agents.StoredAction` rows too); `hits`
    come in the order the actions were stored. This reads every hit: the definition
    `agents.who_did` answers from stored counts when a key holds many actions.
    """
    hits = list(hits)
    fit = object_fit(hits, query)
    order = {id(action): n for n, (_, action) in enumerate(hits)}
    by_key: dict[object, list[tuple[int, Action]]] = defaultdict(list)
    for hit in hits:
        by_key[agent_of(hit[0], hit[1])].append(hit)
    spellings = {key: {action.agent for _, action in items} for key, items in by_key.items()
                 if isinstance(key, str) and key not in (NOT_STATED, NOT_IDENTIFIED)}
    group_of = merge_keys(spellings)
    groups: dict[object, list[tuple[int, Action]]] = defaultdict(list)
    for key, items in by_key.items():
        groups[group_of.get(key, key) if isinstance(key, str) else key].extend(items)
    ranked = []
    for key, items in groups.items():
        # Best evidence first: the asked object, then a clause over a noun phrase; the
        # sorts are stable, so text order within each.
        items.sort(key=lambda h: (h[0], h[1].passage_start, order[id(h[1])]))
        weak = sum(not is_clause(action) for _, action in items)
        if fit:
            items.sort(key=lambda h: (-fit.get(id(h[1]), 0.0), -strength(h[1])))
        elif weak:
            items.sort(key=lambda h: -strength(h[1]))
        evidence, seen, articles, clause_passages, clause_articles = [], set(), set(), set(), set()
        for hit in items:
            article_id, action = hit
            where = (article_id, action.passage_start)
            articles.add(article_id)
            if is_clause(action):
                clause_passages.add(where)
                clause_articles.add(article_id)
            if where not in seen:
                seen.add(where)
                evidence.append(hit)
        counts = Counter(action.agent for _, action in items)
        firsts: dict[str, int] = {}  # where each spelling first shows, in evidence order
        for n, (_, action) in enumerate(items):
            firsts.setdefault(action.agent, n)
        tally = Tally(len(items), len(evidence), len(articles), len(clause_passages), len(clause_articles),
                      weak, min(order[id(action)] for _, action in items))
        display = display_name(key, counts, firsts)
        best_fit = fit.get(id(items[0][1]), 0.0) if fit else 0.0
        ranked.append((rank_of(display, isinstance(key, tuple), best_fit, tally),
                       AgentAnswer(display, tally.passages, tally.articles, evidence)))
    ranked.sort(key=lambda pair: pair[0])
    return [answer for _, answer in ranked]


class Tally(NamedTuple):
    """One agent's counts under the asked key(s): what ranks it and what the answer says."""

    rows: int
    passages: int  # distinct sentences: the support an answer shows
    articles: int
    clause_passages: int  # sentences where a clause shows it ("X announced sanctions")
    clause_articles: int
    weak: int  # rows weaker than a clause: a bare noun modifier, or no stated agent
    first: int  # its first action in storage order, the last tie-break


def agent_of(article_id: int, action) -> object:
    """The key an action's agent is counted under: an unresolved "he" is one agent within
    its article, not across the archive."""
    if action.mention and action.agent == action.mention:
        return (action.agent_key, article_id)
    return action.agent_key


def is_clause(action) -> bool:
    return action.kind != "nominal" and action.agent != NOT_STATED


def rank_of(display: str, unresolved: bool, fit: float, tally: Tally) -> tuple:
    """Sort key of an agent, best first.

    Agents doing it to the asked object first; support from clauses ("X announced
    sanctions") counts before support from bare noun modifiers ("U.S. sanctions"); then
    all support; then first appearance. Pronouns nobody resolved come last, then the
    agentless.
    """
    return (display == NOT_STATED, display == NOT_IDENTIFIED, unresolved, -fit, -tally.clause_articles, -tally.clause_passages,
            -tally.articles, -tally.passages, tally.first)


def display_name(key: object, counts: Counter[str], firsts: dict[str, object]) -> str:
    """The spelling an agent is shown by: its key's own, then the commonest, then the one
    its evidence shows first."""
    if len(counts) == 1:
        return next(iter(counts))
    return min(counts, key=lambda a: (name_key(a) != key, -counts[a], firsts[a]))


def object_fit(hits: list[tuple[int, Action]], query: WhoQuery | None,
                total: int | None = None) -> dict[int, float]:
    """id(action) -> object score, words weighted by their rarity among the hits (idf).

    `total` is the number of actions matched when `hits` holds only those whose words
    may contain an object term (see `object_patterns`).
    """
    if query is None or not query.object_terms or not hits:
        return {}
    wanted = frozenset(query.object_terms)
    df: Counter[str] = Counter()
    covered = {}
    for _, action in hits:
        found = terms(action.action) & wanted
        if action.target:
            found |= terms(action.target) & wanted
        for name in action.target_names:
            found |= terms(name) & wanted
        # An agent never matches by being the object: "sought Trump's endorsement" holds
        # Trump's name in its phrase, and is no endorsing of Trump.
        found -= terms(action.agent)
        if found:
            covered[id(action)] = found
            df.update(found)
    n = len(hits) if total is None else total
    weights = {t: math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5)) for t in wanted}
    return {key: sum(weights[t] for t in found) for key, found in covered.items()}


def object_patterns(query: WhoQuery) -> list[str]:
    """LIKE patterns that every stored spelling of the query's object terms contains:
    the rows they find are then checked term by term. A short all-letter term may be an
    acronym typed with dots (`us` <- U.S.)."""
    patterns = []
    for term in query.object_terms:
        patterns.append(f"%{stem_start(term)}%")
        if len(term) <= 4 and term.isalpha():
            patterns.append("%" + ".".join(term) + ".%")
    return list(dict.fromkeys(patterns))


def strength(action: Action) -> int:
    """How well an action shows its agent: a clause 2, a bare noun modifier 1, no stated agent 0."""
    # A clause with its subject shows the agent best; "U.S. sanctions" shows less.
    if action.agent == NOT_STATED:
        return 0
    return 1 if action.kind == "nominal" else 2


def merge_keys(spellings: dict[str, set[str]]) -> dict[str, str]:
    """Agent key -> group key, merging spellings of one agent across articles."""
    # Only keys sharing a word can name one agent: compare within those blocks.
    sharing: dict[str, set[str]] = defaultdict(set)
    for key, names in spellings.items():
        for word in {w for name in names for w in _name_words(name)} - {"the", "a", "an", "of", "and"}:
            sharing[word].add(key)
    parent = {key: key for key in spellings}

    def root(key: str) -> str:
        while parent[key] != key:
            key = parent[key]
        return key

    # Longest first: "Donald Trump" joins "Donald J. Trump" before "Trump" is placed, so
    # the short name sees one identity, not two.
    for key in sorted(spellings, key=lambda k: (-len(k), k)):
        rivals = {k for word in _name_words(key) if len(sharing[word]) <= _MAX_BLOCK for k in sharing[word]}
        roots = {
            root(other) for other in rivals - {key}
            # Every spelling of both, and two full names as keys: "Jane Hallorann" does not
            # join the key of John Hallorann because his article also calls him "Hallorann".
            if len(other) >= len(key) and _compatible_keys(key, other) and all(
                _same_entity(a, b) for a in spellings[key] for b in spellings[other]
            )
        }
        # "Smith" beside both "John Smith" and "Jane Smith" joins neither.
        if len(roots) == 1 and root(key) not in roots:
            parent[root(key)] = roots.pop()
    return {key: root(key) for key in spellings}


def _compatible_keys(key: str, other: str) -> bool:
    # A one-word key ("us", "trump") is compared through its spellings only: keys are
    # folded, and an acronym's key does not look like its full name's.
    return " " not in key or " " not in other or _same_entity(key, other)


@functools.lru_cache(maxsize=262144)
def _same_entity(a: str, b: str) -> bool:
    # The same popular names meet in query after query: decide each pair once.
    return speakers.same_entity(a, b)


@functools.lru_cache(maxsize=65536)
def _name_words(name: str) -> tuple[str, ...]:
    # Agent names recur across queries: fold each spelling once.
    return tuple(words(name))


@functools.lru_cache(maxsize=65536)
def terms(text: str) -> frozenset[str]:
    """Stems of the content words of `text`; upper-case acronyms (`US`) are kept."""
    keep = {w for m in _UPPER_WORD.findall(text) for w in words(m)} | PARTICLES
    return frozenset(stem(w) for w in words(text) if w not in STOPWORDS or w in keep)


def _ordered_terms(text: str) -> list[str]:
    keep = {w for m in _UPPER_WORD.findall(text) for w in words(m)}
    return [stem(w) for w in words(text) if w not in STOPWORDS or w in keep]

