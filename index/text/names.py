"""Speaker names: roles, aliases, clustering, and names read from parsed tokens."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy loads only when a text is parsed, so a restart stays fast
    from spacy.tokens import Span, Token

from coveragebot.index.text.analyzer import fold, words
from coveragebot.index.text.parse_memo import per_token
from coveragebot.index.text.person_names import first_name_gender, looks_personal, parse_name

# Words that make a preceding run of words a title or job, not part of the name.
TITLE_WORDS = frozenset(
    """
    president vice secretary minister prime chancellor premier ceo cfo coo cto chairman
    chairwoman chairperson chair chief executive director spokesman spokeswoman
    spokesperson governor senator sen sen. rep rep. representative congressman
    congresswoman mayor judge general gen gen. colonel col col. captain capt capt.
    admiral adm adm. commissioner ambassador envoy king queen prince princess lady lord
    sir dame mr mr. mrs mrs. ms ms. dr dr. prof prof. professor pope bishop archbishop
    rabbi imam sheikh justice officer inspector detective sergeant sgt sgt. attorney lawyer
    leader founder co-founder head manager deputy treasurer adviser advisor aide
    official economist analyst strategist researcher scientist coach editor
    president-elect superintendent commander sheriff marshal gov gov. lt lt. lieut
    speaker sens sens. reps reps. del. delegate candidate nominee rival billionaire businessman mogul
    frontrunner front-runner hopeful incumbent challenger host anchor columnist
    """.split()
) | frozenset(
    # Party labels name a side, not a person: "Republican Donald Trump".
    "republican republicans democrat democrats democratic gop libertarian independent".split()
)
# Portfolios that follow "Secretary of" / "Minister for" inside a title.
_PORTFOLIOS = frozenset(
    """
    state defense defence war justice health education commerce energy labor labour
    agriculture transportation transport interior treasury homeland security foreign
    affairs finance staff trade industry culture environment
    """.split()
)
# Head words of organisations: a name containing one is a body, not a person.
ORG_WORDS = frozenset(
    """
    department ministry agency office administration government council committee
    commission court party bank university institute foundation association
    organization organisation company corporation corp corp. inc inc. ltd group board
    fund service services house senate congress parliament police army navy force
    forces treasury embassy union federation authority bureau network times post news
    assembly
    """.split()
)
# Words that may be left off a body's name: "Treasury" for "Treasury Department".
GENERIC_WORDS = frozenset(
    "department ministry agency office administration government inc corp ltd co "
    "company corporation group plc llc".split()
)
_PARTICLES = frozenset("de da del della der di du la le van von bin al el dos das".split())
_DETERMINERS = frozenset(["the", "a", "an"])
_CONNECTORS = frozenset(["of", "for", "and", "&", "the", "on", "in"])
_MALE = frozenset("mr mr. sir king prince lord spokesman chairman congressman he him his".split())
_FEMALE = frozenset(
    "mrs mrs. ms ms. lady dame queen princess spokeswoman chairwoman congresswoman "
    "she her hers".split()
)
PRONOUN_KINDS = {
    "he": "male", "him": "male", "his": "male", "she": "female", "her": "female",
    "hers": "female", "it": "thing", "its": "thing", "they": "plural", "them": "plural",
    "their": "plural",
}
PERSON_KINDS = frozenset(["PERSON"])
BODY_KINDS = frozenset(["ORG", "GPE", "NORP", "FAC"])


# The functions of a name's string below are asked of the same few names over and over
# while an article is read (every mention, every pair compared): each is cached.
@functools.lru_cache(maxsize=16384)
def split_role(name: str) -> tuple[str, str]:
    """Split a leading title off a name: `Treasury Secretary Scott Bessent`."""
    text = " ".join(name.split())
    # A party and state in brackets follow a lawmaker's name: "Marcia Price (D-Newport News)".
    text = re.sub(r"\s*\([DRI]-[^)]*\)?$", "", text)
    text = re.sub(r"['’]s?$", "", text).strip()
    if ", " in text:
        # "John Sargent, Macmillan CEO": the apposition after the comma is the role.
        head, _, tail = text.partition(", ")
        if _looks_like_name(head.split()):
            return head, tail
    tokens = text.split()
    while tokens and tokens[0].lower() in _DETERMINERS:
        tokens = tokens[1:]
    last_title = -1
    i = 0
    # The last word is the name's own, even when it is a title too ("Mr. King", "Pete King").
    while i < len(tokens) - 1:
        if tokens[i].lower() in TITLE_WORDS:
            last_title = i
            # "Secretary of State", "Minister for Foreign Affairs" stay in the role.
            j = i + 1
            if j < len(tokens) and tokens[j].lower() in ("of", "for"):
                k = j + 1
                while k < len(tokens) and tokens[k].lower() in _PORTFOLIOS | {"and"}:
                    k += 1
                if k > j + 1:
                    last_title = k - 1
                    i = k
                    continue
        i += 1
    # A lowercase word before capitalised ones is a job too: "airline boss Tony
    # Fernandes"; so is a body's name: "Macmillan CEO", "New York Daily News".
    for i, token in enumerate(tokens[:-1]):
        lower = token.lower()
        if i > last_title and token[:1].islower() and lower not in _PARTICLES | _CONNECTORS:
            last_title = i
        elif i > last_title and lower in ORG_WORDS and len(tokens) - i > 2:
            last_title = i
    rest = tokens[last_title + 1:]
    # "Gov. Terry E. Branstad of Iowa": where a person comes from is not their name.
    if ("of" in rest[2:] and not _looks_like_name(rest) and _looks_like_name(rest[:rest.index("of")])
            and looks_personal(" ".join(rest[:rest.index("of")]))):
        rest = rest[:rest.index("of")]
        if last_title < 0:
            return " ".join(rest), ""
    if last_title < 0 or not _looks_like_name(rest):
        return " ".join(tokens), ""
    return " ".join(rest), " ".join(tokens[: last_title + 1])


def _looks_like_name(tokens: list[str]) -> bool:
    if not tokens or not tokens[0][:1].isupper():
        return False
    for i, token in enumerate(tokens):
        lower = token.lower()
        # A title word that ends a name is the surname ("Pete King", "Mr. Bishop").
        if lower in ORG_WORDS or (lower in TITLE_WORDS and i < len(tokens) - 1):
            return False
        if not token[:1].isupper() and lower not in _PARTICLES:
            return False
    return True


@functools.lru_cache(maxsize=16384)
def _name_words(name: str) -> tuple[str, ...]:
    out = words(split_role(name)[0])
    while out and out[0] in _DETERMINERS:
        out = out[1:]
    return tuple(out)


def name_words(name: str) -> tuple[str, ...]:
    """The folded words of a name without its title or leading article (`the Treasury`)."""
    return _name_words(name)


def spelt_as_acronym(name: str) -> bool:
    """One upper-case word (`WHO`, `U.N.`): `same_entity` may match it to a name sharing no word."""
    return len(_name_words(name)) == 1 and name.strip().replace(".", "").isupper()


@functools.lru_cache(maxsize=16384)
def _initials(name: str) -> str:
    return "".join(
        w[0] for w in re.findall(r"[^\W\d_][\w.'’-]*", name)
        if w.lower() not in ("of", "the", "and", "for")
    ).upper()


@functools.lru_cache(maxsize=16384)
def _entity_key(name: str) -> tuple[frozenset[str], bool]:
    """A name's words as a set, and whether it is written as an acronym (`WHO`, `U.S.`)."""
    folded = _name_words(name)
    acronym = len(folded) == 1 and len(folded[0]) > 1 and name.strip().replace(".", "").isupper()
    return frozenset(folded), acronym


def same_entity(a: str, b: str) -> bool:
    """True when two surface names can name the same person or body."""
    # Every match below shares a word, except an acronym's: most pairs of an article's
    # names share none, and are told apart by the sets alone.
    set_a, acronym_a = _entity_key(a)
    set_b, acronym_b = _entity_key(b)
    if not (acronym_a or acronym_b) and set_a.isdisjoint(set_b):
        return False
    wa, wb = _name_words(a), _name_words(b)
    if not wa or not wb:
        return False
    if wa == wb:
        return True
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    short_raw, long_raw = (a, b) if len(wa) <= len(wb) else (b, a)
    if len(short) == 1 and short_raw.strip().replace(".", "").isupper() and len(short[0]) > 1:
        # An acronym names the body whose initials it spells: WHO, UN, US.
        if short_raw.strip().replace(".", "") == _initials(split_role(long_raw)[0]):
            return True
    if all(w in GENERIC_WORDS for w in short):
        return False
    for i in range(len(long_) - len(short) + 1):
        if long_[i:i + len(short)] != short:
            continue
        extra = long_[i + len(short):]
        # "Petro" ends "Gustavo Petro"; "Treasury" + generic "Department".
        if not extra or all(w in GENERIC_WORDS for w in extra):
            return True
    # "Gustavo Petro" within "Gustavo Francisco Petro": same first and last word.
    if len(short) > 1 and short[0] == long_[0] and short[-1] == long_[-1]:
        it = iter(long_)
        return all(w in it for w in short)
    return False


class NameBlocks:
    """Names in the order added, blocked by their words: `matching` finds the ones
    `same_entity` matches a name with, comparing it only with those sharing a word or
    written as an acronym (no other pair can match)."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        self.names: list[str] = []
        self._by_word: dict[str, list[int]] = {}
        self._acronyms: list[int] = []
        for name in names:
            self.add(name)

    def add(self, name: str) -> None:
        position = len(self.names)
        self.names.append(name)
        folded, acronym = _entity_key(name)
        for word in folded:
            self._by_word.setdefault(word, []).append(position)
        if acronym:
            self._acronyms.append(position)

    def matching(self, name: str) -> list[str]:
        """The names added that `same_entity(name, added)` holds for, in the order added."""
        return [added for added in self._candidates(name) if same_entity(name, added)]

    def first_matching(self, name: str) -> str | None:
        """The first name added that `same_entity(name, added)` holds for, if any."""
        return next((added for added in self._candidates(name) if same_entity(name, added)), None)

    def _candidates(self, name: str) -> list[str]:
        folded, acronym = _entity_key(name)
        if acronym:
            return list(self.names)
        found = set(self._acronyms)
        for word in folded:
            found.update(self._by_word.get(word, ()))
        return [self.names[i] for i in sorted(found)]


@functools.lru_cache(maxsize=16384)
def _fullness(name: str) -> tuple[int, int, int]:
    core = split_role(name)[0]
    accents = sum(1 for c in core if ord(c) > 127)
    return len(_name_words(core)), accents, len(core)


def cluster_names(names: Iterable[str]) -> dict[str, str]:
    """Map each surface name to the longest full name it shares an entity with."""
    unique = list(dict.fromkeys(n for n in names if n and n.strip()))
    ordered = sorted(unique, key=_fullness, reverse=True)
    canonicals = NameBlocks()
    mapping: dict[str, str] = {}
    for name in ordered:
        core = split_role(name)[0]
        matches = canonicals.matching(core)
        if len(matches) == 1:
            mapping[name] = matches[0]
        elif not matches:
            canonicals.add(core)
            mapping[name] = core
        else:
            # "Petro" beside two full names ending in Petro: leave it alone.
            mapping[name] = core
    return {name: mapping[name] for name in unique}


def name_matches(query: str, speaker: str, aliases: Iterable[str]) -> bool:
    """Does a user's name query find this speaker (surname, full name, alias)?"""
    wanted = _name_words(query)
    if not wanted:
        return False
    for candidate in (speaker, *aliases):
        if same_entity(query, candidate):
            return True
        have = _name_words(candidate)
        for i in range(len(have) - len(wanted) + 1):
            if have[i:i + len(wanted)] == wanted:
                return True
    return False


@functools.lru_cache(maxsize=16384)
def title_gender(text: str) -> str | None:
    """`male`/`female` when an honorific or gendered title in a name says so (Mr., Mrs.,
    spokeswoman), never from a pronoun ("his wife" says nothing of the wife's name)."""
    for token in text.lower().split():
        if token in _MALE and token not in PRONOUN_KINDS:
            return "male"
        if token in _FEMALE and token not in PRONOUN_KINDS:
            return "female"
    return None


@functools.lru_cache(maxsize=16384)
def gender_of(name: str) -> str | None:
    """`male`/`female` when a title in the name says so (Mr., Lady, ...)."""
    for token in name.lower().split():
        if token in _MALE:
            return "male"
        if token in _FEMALE:
            return "female"
    return None


# ---- names from parsed tokens -------------------------------------------------

# Bodies that speak without a proper name: "the state department", "police".
INSTITUTIONS = frozenset(
    """
    government department ministry agency office administration council committee
    commission court police army military navy embassy authority authorities bureau
    cabinet parliament senate congress presidency tribunal prosecutor prosecutors
    treasury pentagon kremlin
    """.split()
)
# Nouns for something said; their owner is the speaker ("Petro's claim that ...").
SPEECH_NOUNS = frozenset(
    """
    statement statements remark remarks comment comments claim claims assertion
    announcement warning denial argument allegation allegations admission suggestion
    testimony promise pledge vow insistence message letter post posting tweet report
    speech address interview filing complaint lawsuit suit
    """.split()
) | frozenset("data figures survey study analysis poll estimate estimates".split())
# Findings speak only through whoever made them: "Labor Department data".
DATA_NOUNS = frozenset("data figures survey study analysis poll estimate estimates".split())
# People who speak for a body: "a ministry spokesman" speaks for the ministry.
REPRESENTATIVES = frozenset(
    "spokesman spokeswoman spokesperson representative official officials".split()
)
_NAME_DEPS = frozenset(["compound", "amod", "nmod", "poss", "case", "det", "punct", "flat"])
# Unions asked of many tokens, joined once.
_NAMED_KINDS = PERSON_KINDS | BODY_KINDS
_BODY_WORDS = INSTITUTIONS | ORG_WORDS


@per_token
def entity_of(token: Token) -> Span | None:
    """The named entity a token belongs to, found from its IOB tags (no scan)."""
    if not token.ent_type_:
        return None
    doc = token.doc
    start = token.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    from spacy.tokens import Span  # loaded already: a parsed token exists

    # The span carries its label: callers ask whether it is a PERSON.
    return Span(doc, start, end, label=token.ent_type)


@per_token
def name_span(token: Token) -> Span:
    """The whole name (with titles) around a noun: `Colombian President Gustavo Petro`."""
    doc = token.doc
    start, end = token.i, token.i + 1
    ent = entity_of(token)
    # An entity that holds a verb is a tagging slip ("Trump accused Holt of being a"):
    # the name is then read off the parse alone.
    if ent is not None and not any(t.pos_ in ("VERB", "AUX") for t in ent):
        start, end = ent.start, ent.end
    # Left modifiers that belong to the name: compounds, proper adjectives, titles.
    for child in sorted(token.lefts, key=lambda t: -t.i):
        if start <= child.i:
            start = min(start, child.left_edge.i) if child.dep_ == "compound" else start
            continue
        if child.i != start - 1 or child.dep_ not in _NAME_DEPS:
            break
        # Adjectives belong to a name when capitalised ("Scottish government") or
        # when they name an institution ("foreign ministry").
        proper = child.text[:1].isupper() or token.lower_ in INSTITUTIONS or child.lower_ in ("former", "acting")
        if child.dep_ == "amod" and not proper:
            break
        if child.dep_ == "poss" and child.pos_ != "PROPN":
            break
        start = child.left_edge.i if child.dep_ in ("compound", "poss") else child.i
    # "Department of War", "Bank of England": a proper noun after "of" (a person's "of
    # Maryland" is where they come from, not their name).
    person = ent is not None and ent.label_ == "PERSON"
    for child in token.rights:
        if not person and child.i == end and child.dep_ == "prep" and child.lower_ == "of":
            objects = [c for c in child.children if c.dep_ == "pobj" and c.pos_ == "PROPN"]
            if objects and objects[0].i == child.i + 1:
                end = max(end, objects[0].right_edge.i + 1)
    # "Certainly Donald Trump", "Between [Donald Trump": the tagger may start a name
    # early; words that are no part of any name are left out.
    while start < end and (doc[start].lower_ in _DETERMINERS or doc[start].is_punct):
        start += 1
    # ... but never past the word itself ("Certainly" alone stays a word, not "").
    while start < min(end - 1, token.i) and doc[start].pos_ in ("ADV", "ADP", "SCONJ", "CCONJ", "PART", "PRON", "NUM", "SYM", "X", "DET"):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
        end -= 1
    return doc[start:end]


@per_token
def name_parts(token: Token) -> tuple[str, str, str]:
    """(surface, name, role) of the name around a token; NER bounds a person's name."""
    span = name_span(token)
    doc = token.doc
    ent = entity_of(token)
    if ent is not None and ent.label_ == "PERSON" and ent.start > span.start and not _name_word(doc[ent.start - 1]):
        name, inner_role = split_role(ent.text)
        role = " ".join(filter(None, [doc[span.start:ent.start].text, inner_role]))
        return span.text, name, role
    name, role = split_role(span.text)
    return span.text, name, role


def _name_word(token: Token) -> bool:
    """A capitalised proper noun the tagger left out of a person's name: the `Amelize`
    of `Amelize Joseph` (a title, a place or a body's word is no part of it)."""
    return (token.pos_ == "PROPN" and token.text[:1].isupper() and token.ent_type_ in ("", "PERSON")
            and fold(token.text).rstrip(".") not in TITLE_WORDS)


@per_token
def is_name(token: Token) -> bool:
    """A proper name, a named body, or a definite institution ('the state department')."""
    if token.pos_ == "PROPN" or token.ent_type_ in _NAMED_KINDS:
        return token.pos_ in ("PROPN", "NOUN") or token.ent_type_ != ""
    if token.lower_ in INSTITUTIONS:
        span = name_span(token)  # only an institution's name is asked for its length
        det = [c for c in token.children if c.dep_ == "det"]
        return token.lower_ in ("police", "pentagon", "kremlin") or bool(
            (det and det[0].lower_ == "the") or len(span) > 1
        )
    return False


@per_token
def kind_of(token: Token) -> str:
    """PERSON for people, ORG/GPE/... for bodies, judged from the parse and titles."""
    span = name_span(token)
    if any(t.lower_ in TITLE_WORDS for t in span) and token.lower_ not in ORG_WORDS:
        return "PERSON"
    if token.ent_type_:
        return token.ent_type_
    return "ORG" if token.lower_ in _BODY_WORDS else ""
