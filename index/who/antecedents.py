"""The antecedent of a pronoun read off the sentence's own parse: the subject of the
clause the pronoun's clause hangs on ("Both teams were cheered as they left": the teams,
not a team named a sentence before; "an official of the navy said they had sent": the navy).

Common nouns for people and bodies, and names of bodies for "it" and "they", in agreement
with the pronoun's number; a person's name is left to the article's mention chains
(`index.text.focus.Focus`), which `index.who.extract` asks when this finds nothing.

May import: spacy (tokens only), index.who.doers, index.who.phrases, index.quotes.marks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coveragebot.index.who.doers import is_body_noun, is_doer_noun
from coveragebot.index.who.phrases import child_of

if TYPE_CHECKING:
    from spacy.tokens import Token

    from coveragebot.index.quotes.marks import QuoteMarks

_SINGULAR_PERSON = frozenset(["he", "she", "him", "her"])
_PLURAL = frozenset(["they", "them"])
_BODY = frozenset(["it"])
_PRONOUNS = _SINGULAR_PERSON | _PLURAL | _BODY  # asked of every pronoun: joined once
_SUBJECTS = ("nsubj", "nsubjpass")
# "an official of the navy", "a spokesman for the airline": the body speaks through them.
_FOR_A_BODY = frozenset(["of", "for", "at", "from"])
_NAMED_BODIES = frozenset(["ORG", "GPE", "NORP"])


def clause_antecedent(pronoun: Token, quoted: QuoteMarks) -> Token | None:
    """The common-noun subject of a governing clause that `pronoun` stands for, if any."""
    word = pronoun.lower_
    if word not in _PRONOUNS:
        return None
    clause = pronoun.head
    while clause.head.i != clause.i:
        if clause.dep_ not in ("advcl", "relcl", "ccomp", "conj", "xcomp", "pcomp", "pobj", "prep", "acl"):
            return None  # only a clause that hangs on another: not a new sentence's subject
        clause = clause.head
        subject = next((c for c in clause.children if c.dep_ in _SUBJECTS), None)
        if subject is None or subject.i >= pronoun.i or subject.pos_ == "PRON":
            continue
        if quoted.holds(pronoun) != quoted.holds(subject):
            return None  # a quoted voice's pronoun is not the narrator's subject
        return _agreeing(subject, word)
    return None


def _agreeing(subject: Token, word: str) -> Token | None:
    if subject.pos_ == "PROPN" and subject.ent_type_ in _NAMED_BODIES and word in _PLURAL | _BODY:
        # "The United States remains committed, as it has been": a named body is an "it"
        # or a "they" in any voice, quoted or not; a person's he or she is the chains' to find.
        return subject
    if subject.pos_ != "NOUN" or not is_doer_noun(subject):
        return None  # names of people are the mention chains' to resolve
    plural = subject.tag_ == "NNS" or child_of(subject, "conj") is not None
    if word in _PLURAL:
        if plural or is_body_noun(subject):
            return subject
        prep = next((c for c in subject.children if c.dep_ == "prep" and c.lower_ in _FOR_A_BODY), None)
        body = child_of(prep, "pobj") if prep is not None else None
        if body is not None and (body.tag_ in ("NNS", "NNPS") or is_body_noun(body)):
            return body
        return None
    if word in _BODY:
        return subject if is_body_noun(subject) and not plural else None
    return subject if not plural and not is_body_noun(subject) else None
