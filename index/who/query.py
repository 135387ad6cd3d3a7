"""`!who` at query time: a verb phrase reduced to stems, matched against stored
actions, and their agents ranked, with spellings of one agent merged across articles.

Nothing here parses article text: `parse_who_query` and `action_matches` compare
stems and strings only (see `index.who.extract` for how the actions were extracted).
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from index.text import names as speakers
from index.text.analyzer import STOPWORDS, stem, words
from index.who.verbs import DOING_VERBS, event_stem, verb_lemma
from index.who.extract import NOT_STATED, Action, name_key

_DOING_STEMS = frozenset(stem(v) for v in DOING_VERBS)
_MAX_BLOCK = 50  # keys sharing a word beyond this are too common a word to compare on
_UPPER_WORD = re.compile(r"\b(?:[A-Z]\.){2,}|\b[A-Z]{2,}\b")
# Words a user may put before the verb: "is appealing", "who has sanctioned".
_QUERY_SKIP = frozenset(
    """who whom is are was were be been being has have had will would shall should can
    could may might must did does do also just currently reportedly allegedly""".split()
)


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
    while pieces and (not words(pieces[0]) or all(
        w in _QUERY_SKIP or w.endswith("ly") for w in words(pieces[0])
    )):
        pieces = pieces[1:]
    if not pieces:
        return WhoQuery("", (), query)
    verb = words(pieces[0])[0]
    rest = " ".join(pieces[1:])
    objects = tuple(dict.fromkeys(_ordered_terms(rest)))
    event = ""
    if stem(verb_lemma(verb)) in _DOING_STEMS and objects:
        first = next((w for w in words(rest) if w not in STOPWORDS), "")
        if first and event_stem(first):
            event = event_stem(first)
    return WhoQuery(event_stem(verb) or stem(verb_lemma(verb)), objects, query, event)


def action_matches(query: WhoQuery, action: Action) -> bool:
    """The action is the query's event and names every object term."""
    if not query.verb_stem:
        return False
    if query.verb_stem in action.keys and _mentions(action, query.object_terms):
        return True
    # "placed sanctions" also finds "imposed sanctions" and "the Treasury's sanctions".
    return bool(query.event_stem) and query.event_stem in action.keys and _mentions(
        action, query.object_terms[1:]
    )


def rank_agents(hits: Iterable[tuple[int, Action]]) -> list[AgentAnswer]:
    """Agents of matching actions, spellings merged, best supported first."""
    hits = list(hits)
    group_of = _merge_keys(hits)
    groups: dict[str, list[tuple[int, Action]]] = defaultdict(list)
    for article_id, action in hits:
        groups[group_of.get(action.agent_key, action.agent_key)].append((article_id, action))
    answers = []
    for key, items in groups.items():
        items.sort(key=lambda h: -_strength(h[1]))  # stable: text order within a strength
        evidence, seen = [], set()
        for article_id, action in items:
            if (article_id, action.passage_start) not in seen:
                seen.add((article_id, action.passage_start))
                evidence.append((article_id, action))
        articles = len({article_id for article_id, _ in evidence})
        answers.append(AgentAnswer(_display(key, items), len(evidence), articles, evidence))
    answers.sort(key=_rank_key)
    return answers


def _rank_key(answer: AgentAnswer) -> tuple:
    # Support from clauses ("X announced sanctions") counts before support from bare
    # noun modifiers ("U.S. sanctions"); then all support; then first appearance.
    strong = [(a, act) for a, act in answer.evidence if _strength(act) == 2]
    return (
        answer.agent == NOT_STATED,
        -len({a for a, _ in strong}), -len(strong),
        -answer.articles, -answer.support,
        min((a, act.passage_start) for a, act in answer.evidence),
    )


def _strength(action: Action) -> int:
    # A clause with its subject shows the agent best; "U.S. sanctions" shows less.
    if action.agent == NOT_STATED:
        return 0
    return 1 if action.kind == "nominal" else 2


def _display(key: str, items: list[tuple[int, Action]]) -> str:
    counts = Counter(action.agent for _, action in items)
    order = {}
    for _, action in items:
        order.setdefault(action.agent, len(order))
    return min(counts, key=lambda a: (name_key(a) != key, -counts[a], order[a]))


def _merge_keys(hits: list[tuple[int, Action]]) -> dict[str, str]:
    """Agent key -> group key, merging spellings of one agent across articles."""
    spellings: dict[str, set[str]] = defaultdict(set)
    for _, action in hits:
        if action.agent != NOT_STATED:
            spellings[action.agent_key].add(action.agent)
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

    for key in sorted(spellings, key=lambda k: (len(k), k)):
        rivals = {k for word in _name_words(key) if len(sharing[word]) <= _MAX_BLOCK for k in sharing[word]}
        roots = {
            root(other) for other in rivals - {key}
            if len(other) >= len(key) and any(
                speakers.same_entity(a, b) for a in spellings[key] for b in spellings[other]
            )
        }
        # "Smith" beside both "John Smith" and "Jane Smith" joins neither.
        if len(roots) == 1 and root(key) not in roots:
            parent[root(key)] = roots.pop()
    return {key: root(key) for key in spellings}


@functools.lru_cache(maxsize=65536)
def _name_words(name: str) -> tuple[str, ...]:
    # Agent names recur across queries: fold each spelling once.
    return tuple(words(name))


def _mentions(action: Action, object_terms: tuple[str, ...]) -> bool:
    if not object_terms:
        return True
    found = terms(action.target) | terms(action.action)
    for name in action.target_names:
        found = found | terms(name)
    return all(term in found for term in object_terms)


@functools.lru_cache(maxsize=65536)
def terms(text: str) -> frozenset[str]:
    """Stems of the content words of `text`; upper-case acronyms (`US`) are kept."""
    keep = {w for m in _UPPER_WORD.findall(text) for w in words(m)}
    return frozenset(stem(w) for w in words(text) if w not in STOPWORDS or w in keep)


def _ordered_terms(text: str) -> list[str]:
    keep = {w for m in _UPPER_WORD.findall(text) for w in words(m)}
    return [stem(w) for w in words(text) if w not in STOPWORDS or w in keep]

