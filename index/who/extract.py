"""Agents of actions: who did what, read off the dependency parse at ingest time.

`extract_actions` runs once per article (spaCy already parsed it): `index.who.events`
reads each event off the parse, and this module settles who its agents are. The query
side (`parse_who_query`, `action_matches`, `rank_agents`) lives in `index.who.query`
and only compares stems and strings, so `!who` never parses article text.

Choices worth knowing:
- A pronoun agent is resolved through `index.text.focus.Focus` (most recent compatible named
  subject; "it"/"they" only to a body named in this or the previous sentence) and keeps
  its mention as written (`Action.mention`, shown as "Barack Obama (he)"). When it cannot
  be resolved, or is first or second person, or stands inside a quotation (the quoted
  voice's "they", not the outlet quoting it), the agent is the pronoun as written.
- Every action carries its factuality (`index.who.factuality`): "would not certify"
  is stored as negated, so `!who certified` answers with those who did and can say
  apart who refused to. Reported speech keeps its teller (`Action.source`).
- A nominal event ("the Treasury's sanctions", "U.S. sanctions") counts only with a
  named possessor, a named-body compound or a by-phrase; it ranks as weaker evidence.
- `agent_key` is the normalised name of the agent's in-article cluster
  (`speakers.cluster_names`), so "the Treasury" keys as "us treasury department" in an
  article that also names the U.S. Treasury Department; `rank_agents` clusters the
  spellings again across articles ("Treasury" joins "U.S. Treasury Department"; "the
  US" stays apart from it; an ambiguous short name joins nothing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import functools

import bisect
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

if TYPE_CHECKING:  # spaCy loads only when a text is parsed, so a question starts fast
    from spacy.tokens import Doc, Token

from coveragebot.index.text import names as speakers
from coveragebot.index.text.focus import Focus
from coveragebot.index.who.doers import doer_class, is_doer_noun
from coveragebot.index.who.antecedents import clause_antecedent
from coveragebot.index.who.factuality import ASSERTED, factuality_of, source_of
from coveragebot.index.who.events import AGENT_ENTS, RELATIVE, Event, event_at, event_keys
from coveragebot.index.who.phrases import child_of, prep_child, printed
from coveragebot.index.quotes.marks import QuoteMarks, quote_marks
from coveragebot.index.text.sentences import Passage
from coveragebot.index.text.analyzer import fold, words
from coveragebot.index.text.parse_memo import doc_ents

NOT_STATED = "not stated"
# The one agent every pronoun or role nobody could resolve goes under: never a row of its own.
NOT_IDENTIFIED = "not identified"

_NAMED = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT", "EVENT", "LAW", "WORK_OF_ART"}
# Pronouns that stand for someone named elsewhere; "some of the prisoners", "others"
# and "both" are read as noun phrases.
_PERSONAL = {"i", "me", "we", "us", "you", "he", "him", "she", "her", "it", "they", "them",
             "who", "which", "that", "whom", "whose", "one"}
_FIRST_SECOND = {"i", "me", "my", "we", "us", "our", "you", "your"}
_SPEAKING = {"i", "we"}  # first-person subjects: the teller of the quotation they stand in
_ACRONYM = re.compile(r"^(?:[A-Z]\.){2,}$|^[A-Z]{2,5}$")
_POSSESSIVE_END = re.compile(r"['’]s?$")


@dataclass(frozen=True)
class Action:
    """One event with its agent, as printed in one passage of an article."""

    agent: str
    agent_key: str
    verb: str
    keys: tuple[str, ...]
    action: str
    target: str
    passive: bool
    passage_start: int
    passage_end: int
    kind: str = "verb"  # verb | light (light verb + event noun) | nominal ("the Treasury's sanctions")
    target_names: tuple[str, ...] = ()  # full names the target refers to (pronouns resolved)
    mention: str = ""  # the agent as written ("he", "they"); equal to `agent` when unresolved
    factuality: str = ASSERTED  # asserted | negated | hypothetical | future | requested | attempted | question
    source: str = ""  # who tells it, for reported speech ("X said Y resigned": X)
    agent_class: str = ""  # "" a person or body; "thing" an inanimate doer ("the storm killed")

    def to_dict(self) -> dict[str, object]:
        """The fields by name, as `dataclasses.asdict` gives them."""
        # Strings, numbers, a flag and tuples of strings: nothing to copy deeply, as asdict would.
        return dict(vars(self))


# ---------------------------------------------------------------- names


@functools.lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Normalised spelling: `the U.S.`, `U.S.` and `US` all give `us`."""
    tokens = words(name)
    while tokens and tokens[0] in {"the", "a", "an"}:
        tokens = tokens[1:]
    return " ".join(tokens)


@functools.lru_cache(maxsize=65536)
def _clean_name(text: str) -> str:
    text = _POSSESSIVE_END.sub("", text.strip(" ,;:\"“”'’"))
    parts = text.split()
    if parts and parts[0].lower() in {"the", "a", "an"}:
        # "the US" reads naturally; "the U.S. Treasury Department" needs no article.
        if not (parts[0].lower() == "the" and len(parts) == 2 and _ACRONYM.match(parts[1])):
            parts = parts[1:]
    return " ".join(parts)


# ---------------------------------------------------------------- extraction


def extract_actions(doc: Doc, passages: list[Passage]) -> list[Action]:
    """Every event in `doc` with a stated or resolvable agent, one Action per agent."""
    starts = [p.start for p in passages]
    entities = {t.i: ent for ent in doc_ents(doc) if ent.label_ in _NAMED for t in ent}
    focus = _Antecedents()
    kinds = _NameKinds(doc)
    quoted = quote_marks(doc, passages)
    found: list[tuple[Event, str, str, Passage, tuple[str, ...], str, str, str]] = []
    mentions: list[str] = []
    current = -1
    for token in doc:
        where = bisect.bisect_right(starts, token.idx) - 1
        if where < 0 or token.idx >= passages[where].end or passages[where].heading:
            continue
        if where != current:
            current = where
            focus.new_sentence()
        event = event_at(token)
        if event is None:
            continue
        if event.passive:
            _note_patient(token, entities, focus, kinds)
        targets = _target_names(event.target, entities, focus)
        factuality = factuality_of(event.word)
        teller = source_of(event.word)
        source = _source_name(teller, entities, focus, quoted) if teller is not None else ""
        transitive = _acts_on_something(event)
        for agent_token in event.agents:
            if agent_token is None:
                found.append((event, NOT_STATED, "", passages[where], targets, factuality, source, ""))
                continue
            if agent_token.pos_ == "PRON" and agent_token.lower_ in _SPEAKING and source and quoted.holds(agent_token) \
                    and is_doer_noun(teller):
                # "I" or "we" in a quotation is its teller: `X said: "We will fight it"`.
                agent, mention = source, agent_token.text
            elif agent_token.pos_ == "PRON" and agent_token.lower_ in _PERSONAL:
                # The subject of the clause this one hangs on comes before any name further
                # back: "both teams were cheered as they left", "the teacher said she would".
                nearer = clause_antecedent(agent_token, quoted)
                agent = _agent_name(nearer, entities, focus) if nearer is not None else ""
                if agent:
                    mention = agent_token.text
                else:
                    agent, mention = _pronoun_agent(agent_token, focus, quoted)
            else:
                agent, mention = _agent_name(agent_token, entities, focus), ""
            if not agent:
                continue
            # "Dorries" tagged as a common noun is still the Nadine Dorries named elsewhere.
            named = agent_token.text[:1].isupper() and kinds.names(agent)
            agent_class = doer_class(agent_token, agent, transitive, named)
            if agent_class is None:
                continue  # "home values dropped", "which campaign", markup: no doer
            if mention and agent == mention:
                # A pronoun nobody resolved is one "not identified", not an agent "he".
                found.append((event, NOT_IDENTIFIED, mention, passages[where], targets, factuality, source, ""))
                continue
            if agent != mention and (agent_token.pos_ == "PRON" or agent_token.i in entities
                                     or speakers.is_name(agent_token)):
                mentions.append(agent)
            if event.kind != "nominal" and agent != mention:
                focus.note(agent, kinds.of(agent, agent_token))
            found.append((event, agent, mention, passages[where], targets, factuality, source, agent_class))
    canonical = speakers.cluster_names(mentions + _entity_names(doc))
    actions = []
    for event, agent, mention, passage, targets, factuality, source, agent_class in found:
        actions.append(Action(
            agent=agent,
            agent_key=agent if agent in (NOT_STATED, NOT_IDENTIFIED) else name_key(canonical.get(agent, agent)) or fold(agent),
            verb=event.word.lemma_.lower(),
            keys=event_keys(event.word, event.event_nouns),
            action=printed(event.action),
            target=printed(event.target),
            passive=event.passive,
            passage_start=passage.start,
            passage_end=passage.end,
            kind=event.kind,
            target_names=tuple(dict.fromkeys(canonical.get(n, n) for n in targets)),
            mention=mention,
            factuality=factuality,
            source=canonical.get(source, source),
            agent_class=agent_class,
        ))
    return actions


def _acts_on_something(event: Event) -> bool:
    """The event has an object or a clause: a thing as its subject causes it. A verb's
    prepositional phrase does not make it so ("the river rose on Tuesday")."""
    if event.passive or (event.target and event.kind != "verb"):
        return True
    return any(c.dep_ in ("dobj", "ccomp", "xcomp", "dative", "attr") for c in event.word.children)


# ---------------------------------------------------------------- resolving agents


def _note_patient(verb: Token, entities: dict, focus: _Antecedents, kinds: _NameKinds) -> None:
    """A named subject of a passive is in focus too: "Mvoko was mugged moments before he
    was due to start" -> he is Mvoko."""
    patient = child_of(verb, "nsubjpass")
    if patient is not None and (patient.i in entities or patient.pos_ == "PROPN"):
        name = _agent_name(patient, entities, focus)
        if name:
            focus.note(name, kinds.of(name, patient))


def _pronoun_agent(token: Token, focus: _Antecedents, quoted: QuoteMarks) -> tuple[str, str]:
    """(agent, mention) of a pronoun subject: the name it points back to, else itself.

    Inside a quotation a pronoun belongs to the quoted voice: "They stabbed him" in an
    eyewitness's words names neither the outlet quoting it nor its last subject.
    """
    mention = token.text
    if token.lower_ in RELATIVE:
        return "", ""
    if token.lower_ in _FIRST_SECOND or quoted.holds(token):
        return mention, mention
    resolved = focus.resolve(token.lower_)
    return (resolved, mention) if resolved else (mention, mention)


def _source_name(token: Token, entities: dict, focus: _Antecedents, quoted: QuoteMarks) -> str:
    """The teller of reported speech as a name, or as written when it cannot be resolved."""
    if token.pos_ == "PRON" and token.lower_ in _PERSONAL:
        return _pronoun_agent(token, focus, quoted)[0]
    return _agent_name(token, entities, focus)


def _agent_name(token: Token, entities: dict, focus: _Antecedents) -> str:
    """The agent as a name: titles and leading articles dropped."""
    if token.pos_ == "PRON" and token.lower_ in _PERSONAL:
        return focus.resolve(token.lower_) or ""
    if (token.pos_ != "PROPN" and token.i not in entities) or token.lower_ in speakers.TITLE_WORDS:
        # "another British aid worker, William Pooley, contracted": the name wins; so
        # it does after a title ("the current Afghan President, Hamid Karzai").
        for child in token.children:
            # Only a true apposition, set off by punctuation; "the boyfriend of star
            # Natalie Guercio" misparsed as an apposition names the star, not him.
            set_off = child.left_edge.i > 0 and token.doc[child.left_edge.i - 1].text in {",", "(", "—", "–"}
            if child.dep_ == "appos" and set_off and (child.pos_ == "PROPN" or child.i in entities):
                return _agent_name(child, entities, focus)
    ent = entities.get(token.i)
    if ent is not None:
        start = ent.start
        det = token.doc[start - 1] if start > 0 else None
        text = ent.text
        if det is not None and det.lower_ == "the" and det.head.i in range(ent.start, ent.end):
            text = "the " + text
        return _clean_name(speakers.split_role(text)[0] if ent.label_ == "PERSON" else text)
    if token.pos_ == "PROPN":
        return _clean_name(speakers.split_role(speakers.name_span(token).text)[0])
    left = [t for c in token.lefts if c.dep_ in ("det", "compound", "amod", "nmod", "poss", "nummod")
            and c.lower_ not in RELATIVE for t in c.subtree]  # "whose leadership" is "leadership"
    doc, start = token.doc, token.i
    while start > 0 and not doc[start - 1].whitespace_ and doc[start - 1].head.i in range(start - 1, token.i + 1):
        start -= 1  # a hyphenated word is one word: "24-year-old", "non-churchgoers"
    left += [doc[i] for i in range(start, token.i)]
    tail: list[Token] = []
    prep = prep_child(token, {"of", "for"})
    obj = child_of(prep, "pobj") if prep is not None else None
    if obj is not None:
        # "head of the agency", not the clauses hanging on "agency".
        tail = [prep, obj] + [t for c in obj.lefts for t in c.subtree]
    return _clean_name(printed(left + [token] + tail))


def _target_names(target: list[Token], entities: dict, focus: _Antecedents) -> tuple[str, ...]:
    """Names a target refers to, pronouns included ("targeting him" -> Gustavo Petro)."""
    names = []
    for token in target:
        if token.pos_ == "PRON" and token.lower_ in ("him", "her", "it", "them", "his", "its", "their"):
            resolved = focus.resolve(token.lower_)
            if resolved:
                names.append(resolved)
        elif token.i in entities and entities[token.i].label_ in AGENT_ENTS and token == entities[token.i].root:
            names.append(_clean_name(entities[token.i].text))
    return tuple(dict.fromkeys(names))


def _entity_names(doc: Doc) -> list[str]:
    return [_clean_name(e.text) for e in doc_ents(doc) if e.label_ in AGENT_ENTS]


class _NameKinds:
    """Person or body, decided by all mentions of a name, not by one tagging."""

    def __init__(self, doc: Doc) -> None:
        # An entity that cleans to nothing ("'s" tagged alone) names no one.
        named = [(name, ent) for ent in doc_ents(doc)
                 if ent.label_ in AGENT_ENTS and (name := _clean_name(ent.text)).strip()]
        self._clusters = speakers.cluster_names(name for name, _ in named)
        self._votes: dict[str, Counter[str]] = defaultdict(Counter)
        # The same agents come back all through an article: each name is matched once.
        self._matched: dict[str, str | None] = {}
        for name, ent in named:
            label = ent.label_
            votes = self._votes[self._clusters[name]]
            # The small model often tags a surname as a place or body; it seldom
            # tags a body as a person, and a title ("President Petro") settles it.
            if any(t.lower_ in speakers.TITLE_WORDS for t in speakers.name_span(ent.root)):
                votes["PERSON"] += 100
            votes[label] += 2 if label == "PERSON" else 1
        self._blocks = speakers.NameBlocks(self._votes)

    def _first_match(self, name: str) -> str | None:
        """The first of the article's names (in the order first tagged) `name` can be."""
        if name not in self._matched:
            self._matched[name] = self._blocks.first_matching(name)
        return self._matched[name]

    def names(self, name: str) -> bool:
        """`name` is a spelling of a person or body the article names as such."""
        return name in self._clusters or self._first_match(name) is not None

    def of(self, name: str, token: Token) -> str:
        canonical = self._clusters.get(name) or self._first_match(name)
        own = speakers.kind_of(token) if token.pos_ != "PRON" else ""
        if canonical is None:
            return own
        votes = self._votes[canonical].copy()
        if own:
            votes[own] += 1
        best = max(votes.values())
        return "PERSON" if votes["PERSON"] == best else votes.most_common(1)[0][0]


class _Antecedents:
    """Focus, with `it`/`they` kept to bodies named in this or the last sentence."""

    _NEAR_ONLY = frozenset(["it", "its", "they", "them", "their"])

    def __init__(self) -> None:
        self._focus = Focus()
        self._sentence = 0
        self._last_seen: dict[str, int] = {}

    def new_sentence(self) -> None:
        self._sentence += 1
        self._focus.new_sentence()

    def note(self, name: str, kind: str) -> None:
        self._focus.note(name, kind)
        self._last_seen[name] = self._sentence

    def resolve(self, pronoun: str) -> str | None:
        name = self._focus.resolve(pronoun)
        if name and fold(pronoun) in self._NEAR_ONLY:
            # "It stopped raining" three paragraphs after AAA is weather, not AAA.
            last = max((s for n, s in self._last_seen.items() if speakers.same_entity(n, name)), default=-9)
            if self._sentence - last > 1:
                return None
        return name
