"""Transcript lines: paragraphs that open with who speaks, `PENCE: We will…`, `Warren: "You…"`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from coveragebot.index.text.sentences import Passage

# One to three capitalised words and a colon at the start of a paragraph.
_LABEL = re.compile(r"([A-Z][A-Za-z.'’-]+(?: [A-Z][A-Za-z.'’-]+){0,2}):[ \u00a0]+[\"“']?")


@dataclass(frozen=True)
class TranscriptLine:
    """A labelled paragraph: the label as printed and the span of what follows it."""

    paragraph: int
    label: str
    start: int
    end: int
    passage_start: int
    passage_end: int


def transcript_lines(passages: list[Passage], text: str) -> list[TranscriptLine]:
    """Paragraphs opening with a label and a colon; whether the label names a person
    of the article is for the caller to decide ("Iowa:" and "UPDATE:" do not)."""
    ends: dict[int, int] = {}
    for p in passages:
        ends[p.paragraph] = max(ends.get(p.paragraph, 0), p.end)
    lines: list[TranscriptLine] = []
    seen: set[int] = set()
    for p in passages:
        if p.paragraph in seen:
            continue
        seen.add(p.paragraph)
        match = _LABEL.match(p.text)
        if match is None:
            continue
        start, end = p.start + match.end(), ends[p.paragraph]
        while end > start and text[end - 1] in "\"”' ":
            end -= 1
        if end - start >= 10:
            lines.append(TranscriptLine(p.paragraph, match.group(1), start, end, p.start, ends[p.paragraph]))
    return lines
