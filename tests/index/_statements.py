"""Who the extractor credits with a statement, for the tables of made-up articles."""

from __future__ import annotations

from coveragebot.index.quotes.extract import extract_statements
from coveragebot.index.text.sentences import segment


def speaker_of(nlp, body: str, words: str) -> str:
    """The speaker of the last statement of `body` whose text holds `words`."""
    doc, passages = segment(nlp, body)
    found = [s for s in extract_statements(doc, passages) if words in s.text]
    assert found, f"no statement holds {words!r}"
    return found[-1].speaker
