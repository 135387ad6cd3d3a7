"""Speakers described rather than named: "the mayor", "his aides", "an analysis by Pew".

A description either points back to someone named earlier (the mayor -> the person who
carried the title Mayor; the businessman -> the person in focus) or stands as a labelled
unnamed source (`officials`) that `!quotes officials` can list.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Token

from index.text.names import (
    BODY_KINDS,
    INSTITUTIONS,
    ORG_WORDS,
    PERSON_KINDS,
    REPRESENTATIVES,
    TITLE_WORDS,
    Focus,
    is_name,
)

_DETERMINERS = frozenset(["the", "a", "an"])

def descriptor(token: Token) -> str:
    """A speaker described, not named: `officials`, `his aides`, `GOP front-runner`."""
    doc = token.doc
    start = token.i
    for child in sorted(token.lefts, key=lambda t: -t.i):
        hyphen = child.dep_ == "punct" and child.text == "-"
        if not (hyphen or child.dep_ in _DESCRIBING_DEPS) or child.right_edge.i != start - 1:
            break
        start = child.left_edge.i
    while start < token.i and doc[start].lower_ in _DETERMINERS:
        start += 1
    first = doc[start]
    text = doc[start:token.i + 1].text
    # A capital that only opens the sentence: "His aides", "Experts" (not "New York").
    if first.is_sent_start and (first.pos_ in ("DET", "PRON", "NUM") or first == token) and first.text[1:].islower():
        text = text[:1].lower() + text[1:]
    return text


# Nouns for people that the suffix rule below does not catch.
_PERSON_NOUNS = frozenset(
    """
    candidate nominee incumbent legend mogul billionaire businessman businesswoman tycoon
    pontiff pope frontrunner front-runner hopeful veteran star host anchor rival challenger
    contender heir widow wife husband mother father son daughter brother sister friend
    colleague ally critic expert source insider activist artist architect physician doctor
    surgeon nurse student graduate resident native candidate pundit
    """.split()
)


def is_person_noun(token: Token) -> bool:
    """A common noun for a person: a title, a job (-er, -or, -ist, -ian), a relation."""
    lower = token.lower_
    return lower in TITLE_WORDS or lower in REPRESENTATIVES or lower in _PERSON_NOUNS or (
        lower.endswith(("er", "or", "ist", "man", "woman", "ian", "ant", "ent"))
        and not lower.endswith(("ment", "ter", "ver"))
    )


def author_of(token: Token) -> Token | None:
    """The name behind a described source: "an analysis by the Pew Research Center"."""
    for t in token.subtree:
        if t.i > token.i and t.text == ",":
            break
        if t.dep_ in ("agent", "prep") and t.lower_ == "by":
            objects = [c for c in t.children if c.dep_ == "pobj" and is_name(c)]
            if objects:
                return objects[0]
    return None


_DESCRIBING_DEPS = frozenset(["det", "poss", "amod", "compound", "nmod", "nummod", "quantmod"])


def described_person(focus: Focus, token: Token, role_of: Callable[[str], str]) -> str | None:
    """The person or body a definite description points back to: "the mayor" -> the
    name that carried the title Mayor; "the businessman" -> the person in focus.
    None for plurals, possessed nouns ("his aides") and indefinites."""
    determiners = [c.lower_ for c in token.children if c.dep_ in ("det", "poss")]
    if token.tag_ in ("NNS", "NNPS") or determiners != ["the"]:
        return None
    head = token.lower_
    mentions = focus.mentions()
    for name, kind, _ in reversed(mentions):
        if kind in PERSON_KINDS and head in role_of(name).lower().split():
            return name
    if head in INSTITUTIONS | ORG_WORDS:
        wanted = BODY_KINDS
    elif is_person_noun(token) and not any(
        c.dep_ in ("compound", "nmod", "poss") and c.ent_type_ == "PERSON" for c in token.subtree
    ):
        # "the senior Cruz adviser" is someone beside Cruz, not Cruz.
        wanted = PERSON_KINDS
    else:
        return None
    fits = [name for name, kind, ago in mentions if ago < Focus.WINDOW and kind in wanted]
    return fits[-1] if fits else None
