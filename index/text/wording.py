"""English for numbers and sentence ends in answers: `1 passage`, `3 people`, no `Inc..`."""

from __future__ import annotations

# Plurals that are not the noun plus -s.
_IRREGULAR = {"person": "people", "query": "queries", "entry": "entries", "this": "these"}

# A sentence that already ends in one of these takes no added full stop.
_ENDINGS = (".", "!", "?", "…")
_CLOSERS = "\"'”’)]»"


def plural(noun: str, number: int) -> str:
    """`noun` as it goes with `number`: passage/passages, person/people."""
    if number == 1:
        return noun
    return _IRREGULAR.get(noun, noun + "s")


def counted(number: int, noun: str) -> str:
    """`1 passage`, `2 passages`, `1,204 people`."""
    return f"{number:,} {plural(noun, number)}"


def sentence(text: str) -> str:
    """`text` ended with one full stop: `… Amazon.com Inc.` stays, never `Inc..`."""
    text = text.rstrip()
    if text.rstrip(_CLOSERS).endswith(_ENDINGS):
        return text
    return text + "."
