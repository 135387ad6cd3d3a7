"""`!verify` arguments: the words in quotation marks, then optionally a person."""

from __future__ import annotations

from coveragebot.index.verify.align import tokens

# Fewer words than this match too much to say anything about where they were printed.
MIN_WORDS = 3
# Opening mark -> closing mark. A straight apostrophe opens nothing: it is in names (O'Brien).
_PAIRS = {'"': '"', "“": "”", "„": "“", "«": "»", "‘": "’"}


class VerifyRequestError(ValueError):
    """Arguments that get a usage line instead of a verdict."""


def parse_verify(argument: str) -> tuple[str, str]:
    """`"we will win" Petro` -> ("we will win", "Petro"); unquoted text is all words, no person."""
    text = argument.strip()
    words, person = text, ""
    closing = _PAIRS.get(text[:1])
    if closing:
        # The last closing mark ends the words: a quote may hold quotation marks of its own.
        end = text.rfind(closing, 1)
        if end <= 0:
            raise VerifyRequestError('Close the quotation marks: `!verify "<words>" [person]`.')
        words, person = text[1:end].strip(), text[end + 1:].strip()
    if len(tokens(words)) < MIN_WORDS:
        raise VerifyRequestError(f'Give at least {MIN_WORDS} words as printed, in quotation marks: '
                                 '`!verify "<words>" [person]`.')
    return words, person
