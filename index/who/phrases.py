"""Phrases of the dependency parse that `!who` reads: a child by its relation, a
preposition on the right, a phrase without its relative clauses, tokens as printed.

May import: spacy (tokens only).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

_MAX_TARGET_TOKENS = 40


def child_of(token: Token | None, dep: str) -> Token | None:
    """The first child of `token` attached as `dep`, if any."""
    if token is None:
        return None
    return next((c for c in token.children if c.dep_ == dep), None)


def prep_child(token: Token, lemmas: set[str] | frozenset[str]) -> Token | None:
    """The preposition (or by-agent) on the right of `token` that is one of `lemmas`."""
    return next((c for c in token.rights if c.dep_ in ("prep", "agent") and c.lower_ in lemmas), None)


def subtree(token: Token | None) -> list[Token]:
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


def printed(tokens: list[Token]) -> str:
    """Tokens as printed: original spacing inside runs, one space across gaps."""
    out: list[str] = []
    previous = None
    for token in sorted({t.i: t for t in tokens}.values(), key=lambda t: t.i):
        if previous is not None:
            out.append(previous.whitespace_ if token.i == previous.i + 1 else " ")
        out.append(token.text)
        previous = token
    return "".join(out).strip()
