"""Agents of actions: who did what, read off the dependency parse at ingest time.

`extract_actions` runs once per article (spaCy already parsed it); the query side
(`parse_who_query`, `action_matches`, `rank_agents`) only compares stems and strings,
so `!who` never parses article text.

Choices worth knowing:
- A pronoun agent is resolved through `speakers.Focus` (most recent compatible named
  subject; "it"/"they" only to a body named in this or the previous sentence). When
  it cannot be resolved the action is skipped: a bare "he" names nobody, and a guess
  would be worse. First and second person ("we", "I") are always skipped.
- Negated actions ("would not certify") are skipped: `!who certified` must not
  answer with someone who refused to.
- A nominal event ("the Treasury's sanctions", "U.S. sanctions") counts only with a
  named possessor, a named-body compound or a by-phrase; it ranks as weaker evidence.
- `agent_key` is the normalised name of the agent's in-article cluster
  (`speakers.cluster_names`), so "the Treasury" keys as "us treasury department" in an
  article that also names the U.S. Treasury Department; `rank_agents` clusters the
  spellings again across articles ("Treasury" joins "U.S. Treasury Department"; "the
  US" stays apart from it; an ambiguous short name joins nothing).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from index import speakers
from index.sentences import Passage
from index.text import STOPWORDS, fold, stem, words

NOT_STATED = "not stated"

# Verbs whose object names the event their subject carries out or makes known
# ("imposed sanctions", "confirmed the deployment"): the object noun's stem becomes
# a key, so `!who sanctioned` finds them. Reversals (lift, reject, deny) are absent.
DOING_VERBS = frozenset(
    """impose place put levy slap carry conduct launch make take give stage mount
    issue apply undertake perform execute implement enforce reach strike sign hold
    begin start complete expand extend tighten deliver file pursue initiate""".split()
)
REPORTING_VERBS = frozenset(
    """announce confirm declare unveil order approve authorize authorise introduce
    finalize finalise""".split()
)
LIGHT_VERBS = DOING_VERBS | REPORTING_VERBS
_DOING_STEMS = frozenset(stem(v) for v in DOING_VERBS)

_SUBJECT = {"nsubj", "csubj"}
_PASSIVE_SUBJECT = {"nsubjpass", "csubjpass"}
_TARGET_PREPS = {"against", "on", "upon", "over", "onto", "at"}
_RELATIVE = {"who", "which", "that", "whom", "whose"}
_NAMED = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT", "EVENT", "LAW", "WORK_OF_ART"}
_AGENT_ENTS = {"PERSON", "ORG", "GPE"}
# Prepositions after which a gerund shares the subject of the main clause
# ("contracted the disease after working ..."); "of" does not ("accused him of failing").
_SUBJECT_CONTROL_PREPS = {"after", "before", "while", "since", "by", "despite", "without", "upon", "when", "in"}
_FIRST_SECOND = {"i", "me", "my", "we", "us", "our", "you", "your"}
_MAX_TARGET_TOKENS = 40
_MAX_BLOCK = 50  # keys sharing a word beyond this are too common a word to compare on
_ACRONYM = re.compile(r"^(?:[A-Z]\.){2,}$|^[A-Z]{2,5}$")
_UPPER_WORD = re.compile(r"\b(?:[A-Z]\.){2,}|\b[A-Z]{2,}\b")

# Noun endings that derive from a verb, with the verb endings to try
# ("suspension" -> "suspend", "defiance" -> "defy", "seizure" -> "seize").
_DERIVATIONS = (
    ("ication", ("y",)), ("uction", ("uce",)), ("mption", ("me",)), ("ution", ("ute", "ve")),
    ("ssion", ("ss", "t", "de")), ("sion", ("d", "de", "se", "t")), ("ction", ("ct",)),
    ("ption", ("pt",)), ("ation", ("e", "", "ate")), ("ition", ("ite", "e", "")),
    ("tion", ("te", "e", "")), ("iance", ("y",)), ("ance", ("", "e")), ("ence", ("", "e")),
    ("ment", ("",)), ("ial", ("y",)), ("al", ("", "e")), ("ure", ("e", "")),
    ("ery", ("", "e")), ("age", ("", "e")), ("ing", ("", "e")),
)


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


# ---------------------------------------------------------------- lexicon


@functools.lru_cache(maxsize=1)
def _lemma_tables() -> tuple[frozenset[str], dict[str, list[str]]]:
    # The pipeline's own lemmatizer tables: WordNet's verb list and irregular forms.
    from index.nlp import load_pipeline

    lookups = load_pipeline().get_pipe("lemmatizer").lookups
    verbs = frozenset(lookups.get_table("lemma_index")["verb"])
    irregular = dict(lookups.get_table("lemma_exc")["verb"])
    return verbs, irregular


@functools.lru_cache(maxsize=8192)
def verbs_of_noun(noun: str) -> tuple[str, ...]:
    """Verbs a noun lemma names the event of: `suspension` -> (`suspend`,)."""
    verbs, _ = _lemma_tables()
    noun = noun.lower()
    found = [noun] if noun in verbs else []
    for ending, replacements in _DERIVATIONS:
        if noun.endswith(ending) and len(noun) > len(ending) + 2:
            base = noun[: -len(ending)]
            found += [base + r for r in replacements if base + r in verbs]
            break
    return tuple(dict.fromkeys(found))


def verb_lemma(word: str) -> str:
    """Base form of a folded verb form, irregulars included (`fought` -> `fight`)."""
    _, irregular = _lemma_tables()
    forms = irregular.get(word)
    return forms[0] if forms else word


@functools.lru_cache(maxsize=65536)
def terms(text: str) -> frozenset[str]:
    """Stems of the content words of `text`; upper-case acronyms (`US`) are kept."""
    keep = {w for m in _UPPER_WORD.findall(text) for w in words(m)}
    return frozenset(stem(w) for w in words(text) if w not in STOPWORDS or w in keep)


# ---------------------------------------------------------------- names


def name_key(name: str) -> str:
    """Normalised spelling: `the U.S.`, `U.S.` and `US` all give `us`."""
    tokens = words(name)
    while tokens and tokens[0] in {"the", "a", "an"}:
        tokens = tokens[1:]
    return " ".join(tokens)


def _clean_name(text: str) -> str:
    text = re.sub(r"['’]s?$", "", text.strip(" ,;:\"“”'’"))
    parts = text.split()
    if parts and parts[0].lower() in {"the", "a", "an"}:
        # "the US" reads naturally; "the U.S. Treasury Department" needs no article.
        if not (parts[0].lower() == "the" and len(parts) == 2 and _ACRONYM.match(parts[1])):
            parts = parts[1:]
    return " ".join(parts)


# ---------------------------------------------------------------- extraction


@dataclass
class _Event:
    """What the parse says about one event word, before names are settled."""

    word: Token
    agents: list[Token | None]  # None: an agentless passive
    passive: bool
    kind: str
    action: list[Token]
    target: list[Token]
    event_nouns: list[Token]


def extract_actions(doc: Doc, passages: list[Passage]) -> list[Action]:
    """Every event in `doc` with a stated or resolvable agent, one Action per agent."""
    starts = [p.start for p in passages]
    entities = {t.i: ent for ent in doc.ents if ent.label_ in _NAMED for t in ent}
    focus = _Antecedents()
    kinds = _NameKinds(doc)
    found: list[tuple[_Event, str, Passage, tuple[str, ...]]] = []
    mentions: list[str] = []
    current = -1
    for token in doc:
        where = bisect.bisect_right(starts, token.idx) - 1
        if where < 0 or token.idx >= passages[where].end or passages[where].heading:
            continue
        if where != current:
            current = where
            focus.new_sentence()
        if token.pos_ == "VERB" and token.lemma_ != "be":
            event = _verbal(token)
        elif token.pos_ == "NOUN":
            event = _nominal(token)
        else:
            event = None
        if event is None:
            continue
        targets = _target_names(event.target, entities, focus)
        for agent_token in event.agents:
            if agent_token is None:
                found.append((event, NOT_STATED, passages[where], targets))
                continue
            agent = _agent_name(agent_token, entities, focus)
            if not agent:
                continue
            if agent_token.pos_ == "PRON" or agent_token.i in entities or speakers.is_name(agent_token):
                mentions.append(agent)
            if event.kind != "nominal":
                focus.note(agent, kinds.of(agent, agent_token))
            found.append((event, agent, passages[where], targets))
    canonical = speakers.cluster_names(mentions + _entity_names(doc))
    actions = []
    for event, agent, passage, targets in found:
        actions.append(Action(
            agent=agent,
            agent_key=NOT_STATED if agent == NOT_STATED else name_key(canonical.get(agent, agent)),
            verb=event.word.lemma_.lower(),
            keys=_keys(event.word, event.event_nouns),
            action=_printed(event.action),
            target=_printed(event.target),
            passive=event.passive,
            passage_start=passage.start,
            passage_end=passage.end,
            kind=event.kind,
            target_names=tuple(dict.fromkeys(canonical.get(n, n) for n in targets)),
        ))
    return actions


def _verbal(verb: Token) -> _Event | None:
    if any(c.dep_ == "neg" for c in verb.children):
        return None
    subject, passive = _clause_subject(verb)
    if verb.dep_ == "acl":
        # A participle on a noun: "the ruling issued by the court" (passive) or
        # "Petro, seeking re-election" (active, only when the noun is a name).
        if verb.tag_ == "VBN":
            subject, passive = verb.head, True
        elif subject is None and verb.head.pos_ == "PROPN":
            subject = verb.head
    if subject is not None and subject.lower_ in _RELATIVE and verb.dep_ == "relcl":
        subject = verb.head
    if passive:
        by = _by_agent(verb)
        agents: list[Token | None] = [by] if by is not None else [None]
        patient = subject
    else:
        if subject is None or subject.pos_ in ("VERB", "AUX") or subject.dep_ == "csubj":
            return None  # a gerund subject ("Imposing sanctions ... has occurred") is generic
        agents, patient = [subject], None
    obj = patient if passive else _child(verb, "dobj")
    event_nouns = []
    if verb.lemma_.lower() in LIGHT_VERBS and obj is not None and obj.pos_ == "NOUN" and verbs_of_noun(obj.lemma_):
        event_nouns = [obj] + [c for c in obj.children if c.dep_ == "conj" and c.pos_ == "NOUN"]
    action = [verb] + [c for c in verb.children if c.dep_ == "prt"]
    if event_nouns:
        noun = event_nouns[0]
        prep, target = _event_target(noun, verb)
        if not passive:
            action += [c for c in noun.lefts if c.dep_ in ("det", "amod", "compound", "nummod")] + [noun]
        return _Event(verb, agents, passive, "light", action + prep, target, event_nouns)
    if obj is not None:
        target = _subtree(obj)
    else:
        prep = _prep_child(verb, _TARGET_PREPS)
        target = _subtree(_child(prep, "pobj")) if prep is not None else []
        if target:
            action.append(prep)
    return _Event(verb, agents, passive, "verb", action, target, [])


def _nominal(noun: Token) -> _Event | None:
    if not verbs_of_noun(noun.lemma_):
        return None
    agent = None
    by = _prep_child(noun, {"by"})
    if by is not None:
        agent = _child(by, "pobj")
        if agent is not None and agent.ent_type_ in ("DATE", "TIME"):
            agent = None
    if agent is None:
        # Only a named possessor: "her mother", "the killer's house" are no events.
        agent = _child(noun, "poss")
        if agent is not None and agent.pos_ != "PROPN" and not agent.ent_type_:
            agent = None
    if agent is None:
        # "U.S. sanctions": a named body or person as a compound is the agent.
        agent = next((c for c in noun.lefts if c.dep_ == "compound" and c.ent_type_ in _AGENT_ENTS), None)
    if agent is None or noun.ent_type_:
        return None  # "the state department" names a body, not an event
    prep, target = _event_target(noun, None)
    left = [c for c in noun.lefts if c.dep_ in ("det", "amod", "compound", "poss") and c.i < noun.i]
    action = [t for c in left for t in c.subtree] + [noun] + prep
    return _Event(noun, [agent], False, "nominal", action, target, [noun])


def _clause_subject(verb: Token, depth: int = 0) -> tuple[Token | None, bool]:
    """(subject, is it the patient) of a verb, borrowed from the clause it hangs on."""
    own_passive = any(c.dep_ == "auxpass" for c in verb.children)
    for child in verb.children:
        if child.dep_ in _SUBJECT:
            return child, own_passive
        if child.dep_ in _PASSIVE_SUBJECT:
            return child, True
    head = verb.head
    if depth > 5 or head is verb:
        return None, own_passive
    if verb.dep_ == "conj" and head.pos_ in ("VERB", "AUX"):
        # "Apple fought on and is appealing": conjoined verbs share the subject;
        # a bare participle also shares a passive ("was arrested and charged").
        subject, passive = _clause_subject(head, depth + 1)
        shares_passive = passive and verb.tag_ == "VBN" and not _child(verb, "aux")
        return subject, own_passive or shares_passive
    if verb.dep_ == "xcomp" or (verb.dep_ == "advcl" and verb.tag_ == "VBG" and not _child(verb, "mark")):
        # "decided to impose", ", accusing them of": the main clause's subject acts.
        subject, _ = _clause_subject(head, depth + 1)
        return subject, own_passive
    if verb.dep_ == "pcomp" and head.lower_ in _SUBJECT_CONTROL_PREPS and head.head.pos_ == "VERB":
        subject, _ = _clause_subject(head.head, depth + 1)
        return subject, own_passive
    return None, own_passive


def _event_target(noun: Token, verb: Token | None) -> tuple[list[Token], list[Token]]:
    """(introducing words, target) of an event noun: against/on X, targeting X, of X."""
    for owner in (noun, verb):
        prep = _prep_child(owner, _TARGET_PREPS) if owner is not None else None
        if prep is not None and _child(prep, "pobj") is not None:
            return [prep], _subtree(_child(prep, "pobj"))
    for child in noun.children:
        if child.dep_ == "acl" and child.tag_ == "VBG" and _child(child, "dobj") is not None:
            return [child], _subtree(_child(child, "dobj"))
    prep = _prep_child(noun, {"of"})
    if prep is not None and _child(prep, "pobj") is not None:
        return [prep], _subtree(_child(prep, "pobj"))
    return [], []


def _by_agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            return _child(child, "pobj")
    return None


def _child(token: Token | None, dep: str) -> Token | None:
    if token is None:
        return None
    return next((c for c in token.children if c.dep_ == dep), None)


def _prep_child(token: Token, lemmas: set[str] | frozenset[str]) -> Token | None:
    return next((c for c in token.rights if c.dep_ in ("prep", "agent") and c.lower_ in lemmas), None)


def _subtree(token: Token | None) -> list[Token]:
    """A phrase without its relative clauses, capped: targets stay readable."""
    if token is None:
        return []
    cut = {t.i for c in token.subtree if c.dep_ == "relcl" and c is not token for t in c.subtree}
    out = [t for t in token.subtree if t.i not in cut][:_MAX_TARGET_TOKENS]
    while out and (out[-1].is_punct or out[-1].dep_ in ("cc", "prep")):
        out.pop()
    while out and out[0].is_punct:
        out.pop(0)
    return out


def _printed(tokens: list[Token]) -> str:
    """Tokens as printed: original spacing inside runs, one space across gaps."""
    out: list[str] = []
    previous = None
    for token in sorted({t.i: t for t in tokens}.values(), key=lambda t: t.i):
        if previous is not None:
            out.append(previous.whitespace_ if token.i == previous.i + 1 else " ")
        out.append(token.text)
        previous = token
    return "".join(out).strip()


def _conjuncts(token: Token) -> list[Token]:
    out = [token]
    for child in token.children:
        if child.dep_ == "conj" and child.pos_ in ("NOUN", "PROPN", "PRON"):
            out += _conjuncts(child)
    return out


def _agent_name(token: Token, entities: dict, focus: _Antecedents) -> str:
    """The agent as a name: pronouns resolved, titles and leading articles dropped."""
    if token.pos_ == "PRON":
        if token.lower_ in _FIRST_SECOND or token.lower_ in _RELATIVE:
            return ""
        return focus.resolve(token.lower_) or ""
    if token.pos_ != "PROPN" and token.i not in entities:
        # "another British aid worker, William Pooley, contracted": the name wins.
        for child in token.children:
            if child.dep_ == "appos" and (child.pos_ == "PROPN" or child.i in entities):
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
            for t in c.subtree]
    tail: list[Token] = []
    prep = _prep_child(token, {"of", "for"})
    obj = _child(prep, "pobj") if prep is not None else None
    if obj is not None:
        # "head of the agency", not the clauses hanging on "agency".
        tail = [prep, obj] + [t for c in obj.lefts for t in c.subtree]
    return _clean_name(_printed(left + [token] + tail))


def _target_names(target: list[Token], entities: dict, focus: _Antecedents) -> tuple[str, ...]:
    """Names a target refers to, pronouns included ("targeting him" -> Gustavo Petro)."""
    names = []
    for token in target:
        if token.pos_ == "PRON" and token.lower_ in ("him", "her", "it", "them", "his", "its", "their"):
            resolved = focus.resolve(token.lower_)
            if resolved:
                names.append(resolved)
        elif token.i in entities and entities[token.i].label_ in _AGENT_ENTS and token == entities[token.i].root:
            names.append(_clean_name(entities[token.i].text))
    return tuple(dict.fromkeys(names))


def _entity_names(doc: Doc) -> list[str]:
    return [_clean_name(e.text) for e in doc.ents if e.label_ in _AGENT_ENTS]


def _keys(word: Token, event_nouns: list[Token]) -> tuple[str, ...]:
    """Stems an event is found under: the word itself, and any event noun it carries."""
    keys = [stem(fold(word.text)), stem(fold(word.lemma_))]
    for noun in event_nouns:
        keys += [stem(fold(noun.text)), stem(fold(noun.lemma_))]
        keys += [stem(v) for v in verbs_of_noun(fold(noun.lemma_))]
    if word.pos_ == "NOUN":
        keys += [stem(v) for v in verbs_of_noun(fold(word.lemma_))]
    return tuple(dict.fromkeys(k for k in keys if k))


class _NameKinds:
    """Person or body, decided by all mentions of a name, not by one tagging."""

    def __init__(self, doc: Doc) -> None:
        names, labels = [], []
        for ent in doc.ents:
            if ent.label_ in _AGENT_ENTS:
                names.append(_clean_name(ent.text))
                labels.append(ent.label_)
        self._clusters = speakers.cluster_names(names)
        self._votes: dict[str, Counter[str]] = defaultdict(Counter)
        for name, label, ent in zip(names, labels, [e for e in doc.ents if e.label_ in _AGENT_ENTS]):
            votes = self._votes[self._clusters[name]]
            # The small model often tags a surname as a place or body; it seldom
            # tags a body as a person, and a title ("President Petro") settles it.
            if any(t.lower_ in speakers.TITLE_WORDS for t in speakers.name_span(ent.root)):
                votes["PERSON"] += 100
            votes[label] += 2 if label == "PERSON" else 1

    def of(self, name: str, token: Token) -> str:
        canonical = self._clusters.get(name) or next(
            (c for c in self._votes if speakers.same_entity(name, c)), None
        )
        own = speakers.kind_of(token) if token.pos_ != "PRON" else ""
        if canonical is None:
            return own
        votes = self._votes[canonical].copy()
        if own:
            votes[own] += 1
        best = max(votes.values())
        return "PERSON" if votes["PERSON"] == best else votes.most_common(1)[0][0]


# ---------------------------------------------------------------- query side

# Words a user may put before the verb: "is appealing", "who has sanctioned".
_QUERY_SKIP = frozenset(
    """who whom is are was were be been being has have had will would shall should can
    could may might must did does do also just currently reportedly allegedly""".split()
)


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
        if first and _event_stem(first):
            event = _event_stem(first)
    return WhoQuery(_event_stem(verb) or stem(verb_lemma(verb)), objects, query, event)


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
        for word in {w for name in names for w in words(name)} - {"the", "a", "an", "of", "and"}:
            sharing[word].add(key)
    parent = {key: key for key in spellings}

    def root(key: str) -> str:
        while parent[key] != key:
            key = parent[key]
        return key

    for key in sorted(spellings, key=lambda k: (len(k), k)):
        rivals = {k for word in words(key) if len(sharing[word]) <= _MAX_BLOCK for k in sharing[word]}
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


def _mentions(action: Action, object_terms: tuple[str, ...]) -> bool:
    if not object_terms:
        return True
    found = terms(action.target) | terms(action.action)
    for name in action.target_names:
        found = found | terms(name)
    return all(term in found for term in object_terms)


def _ordered_terms(text: str) -> list[str]:
    keep = {w for m in _UPPER_WORD.findall(text) for w in words(m)}
    return [stem(w) for w in words(text) if w not in STOPWORDS or w in keep]


def _event_stem(word: str) -> str:
    """Stem of the verb a noun form names (`suspension` -> `suspend`), else ''."""
    verbs, _ = _lemma_tables()
    if word in verbs or verb_lemma(word) != word:
        return ""
    for form in (word, word[:-1] if word.endswith("s") else ""):
        derived = verbs_of_noun(form) if form else ()
        if derived:
            return stem(derived[0])
    return ""


class _Antecedents:
    """speakers.Focus, with `it`/`they` kept to bodies named in this or the last sentence."""

    _NEAR_ONLY = frozenset(["it", "its", "they", "them", "their"])

    def __init__(self) -> None:
        self._focus = speakers.Focus()
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
