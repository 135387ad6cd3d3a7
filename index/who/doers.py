"""What kind of doer an agent is: a person, group, organization or country answers `!who`;
a thing does only where it is the real doer; a fragment, a question word or markup never.

The person and body nouns are the quote extractor's (`index.text.descriptions`,
`index.text.names`): titles, jobs by their endings, relations, collectives, institutions.
A thing (`the storm`, `the report`, `pipes`) is kept as an agent and labelled THING,
whether it acts on something (`the storm killed six`, `the audit found errors`) or
not (`the island prepared`, `home values dropped`): `!who` shows people and bodies
first and a thing after them, marked as one (index.who.agents), so an answer never
rests on a thing while a person did it. The choice reads the clause, never the verb.

May import: spacy (tokens only), index.text, index.who.verbs.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from coveragebot.index.text.descriptions import is_person_noun, source_kind_of
from coveragebot.index.text.names import INSTITUTIONS, ORG_WORDS
from coveragebot.index.who.verbs import is_verb

if TYPE_CHECKING:
    from spacy.tokens import Token

DOER = ""  # a person, group, organization or country
THING = "thing"
_NAMED = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT", "EVENT", "LAW", "WORK_OF_ART"}
_BODY_SOURCES = {"group", "organization", "outlet", "anonymous"}
# People together, and bodies named by a common noun, when no rule of endings shows it
# ("the staff", "the crew", "the airline"): the kinds of bodies news reports on.
_COLLECTIVE = frozenset(
    """staff crew troops army police public crowd audience community electorate workforce
    youth family people voters team squad side club campaign coalition alliance
    opposition regime rebels militants government administration firm company business
    airline carrier bank museum hospital school college university church charity utility
    landlord lender insurer retailer publisher studio label newspaper paper station channel
    network broadcaster city town village state county province nation country region
    jury panel court tribunal regulator watchdog ministry agency board council parliament
    cartel gang mob family household owner landowner
    master chief head boss captain guard judge pilot personnel leadership management""".split())
_NOBODY = {"nobody", "none", "nothing", "noone"}
_QUESTION_WORDS = {"which", "what", "whose", "who", "whom", "whichever", "whatever"}
# Characters that show a name is a piece of markup or code, not words.
_MARKUP = re.compile(r"[<>=\[\]{}|\\/@#_*]|&\w+;")
_ACRONYM = re.compile(r"^[A-Z]{2,}s?$")
# Quantifiers that stand for a noun phrase ("some of the prisoners", "many of them").
_QUANTIFIERS = {"some", "many", "most", "all", "several", "few", "none", "each", "both", "one", "two",
                "three", "dozens", "hundreds", "thousands", "others", "half", "majority", "number"}


def doer_class(agent: Token, name: str, transitive: bool, named: bool = False) -> str | None:
    """DOER, THING (kept and labelled), or None (no agent) for an agent token and its name.

    `transitive`: the event acts on something (an object, a clause, a by-phrase agent of
    a passive); kept for the callers that tell the two apart, a thing is THING either way.
    `named`: the article names a person or body by this name elsewhere.
    """
    if not any(ch.isalpha() for ch in name) or _MARKUP.search(name) or name.count('"') or name.count("“"):
        return None
    if _asks(agent):
        return None  # "which rival campaign", "what"
    if agent.lower_ in _NOBODY or any(c.dep_ == "det" and c.lower_ == "no" for c in agent.children):
        return None  # "no one released the filings": nobody to name (stored as negated)
    if agent.pos_ == "PRON":
        return DOER  # resolved or not, a pronoun stands for someone (index.who.extract)
    if named or agent.ent_type_ in _NAMED or agent.pos_ == "PROPN" or _ACRONYM.match(agent.text):
        return DOER  # a name, or an acronym for people or a body ("MPs", "NGOs")
    head = _head_noun(agent)
    if _person_or_body(head):
        return DOER
    return THING


def is_doer_noun(token: Token) -> bool:
    """A name, a personal pronoun, or a common noun for a person, group or body."""
    if token.ent_type_ in _NAMED and token.ent_type_ not in ("LAW", "WORK_OF_ART", "PRODUCT"):
        return True
    return _person_or_body(_head_noun(token))


def is_body_noun(token: Token) -> bool:
    """A named group or body, or a common noun for one ("government", "the staff"); no
    endings rule, for the places where a word as a modifier is judged ("government efforts")."""
    lemma = token.lemma_.lower()
    return token.ent_type_ in ("ORG", "GPE", "NORP", "PERSON") or lemma in _COLLECTIVE \
        or lemma in INSTITUTIONS or lemma in ORG_WORDS


def _asks(agent: Token) -> bool:
    if agent.head.dep_ == "relcl" and agent.lower_ not in _QUESTION_WORDS:
        return False  # "an office whose leadership had lost": a relative clause tells, not asks
    return agent.lower_ in _QUESTION_WORDS or any(
        c.lower_ in _QUESTION_WORDS and c.dep_ in ("det", "poss") for c in agent.lefts)


def _head_noun(agent: Token) -> Token:
    """The noun a quantifier stands for: "some of the prisoners" is prisoners."""
    if agent.lower_ in _QUANTIFIERS or agent.pos_ in ("NUM", "DET", "ADJ"):
        for prep in (c for c in agent.children if c.dep_ == "prep" and c.lower_ == "of"):
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    return agent


def _person_or_body(noun: Token) -> bool:
    lemma, lower = noun.lemma_.lower(), noun.lower_
    if lemma in _COLLECTIVE or lower in _COLLECTIVE or lemma in INSTITUTIONS or lemma in ORG_WORDS:
        return True
    if lower == "old" and any("year" in c.lower_ for c in noun.lefts):
        return True  # "the 24-year-old"
    if noun.pos_ == "PRON" or noun.ent_type_ in _NAMED or noun.pos_ == "PROPN":
        return True
    # The endings rule (-er, -ist, -ant ...) reads the singular of a plural ("owners",
    # "tenants"); a short stem is seldom a doer's ("rents", "plants").
    plural_doer = noun.tag_ in ("NNS", "NNPS") and len(lemma) >= 6 and is_person_noun(_Word(lemma))
    return is_person_noun(noun) or plural_doer or _agentive(lemma) or source_kind_of(noun) in _BODY_SOURCES


def _agentive(lemma: str) -> bool:
    """One who does a verb: "supporter", "voter", "protester". The endings rule leaves out
    "-ter" for "letter" and "water"; a verb before the ending tells them apart."""
    return lemma.endswith("ter") and (is_verb(lemma[:-2]) or is_verb(lemma[:-1]))


class _Word(NamedTuple):
    """A lemma where the endings rule expects a token."""

    lower_: str
