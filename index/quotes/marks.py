"""Quotation marks in an article body: which stretches are quoted, paragraph by paragraph.

Curly marks pair as written; a straight mark opens after a space or bracket and closes
after a non-space. An unclosed quotation runs to the end of its paragraph.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import bisect
import re

if TYPE_CHECKING:  # spaCy loads only when a text is parsed, so a question starts fast
    from spacy.tokens import Doc, Span, Token

from coveragebot.index.text.parse_memo import doc_text, memo_of
from coveragebot.index.text.sentences import Passage

_STRAIGHT_OPEN_BEFORE = " \t\n([{—–-/"


class QuoteMarks:
    """Quoted stretches of the body (inside the marks), found per paragraph."""

    def __init__(self, doc: Doc, passages: list[Passage]) -> None:
        self.doc = doc
        # Doc.text is rebuilt from the tokens on every access: keep one copy.
        self.text = doc_text(doc)
        paragraphs: dict[int, tuple[int, int]] = {}
        for p in passages:
            start, end = paragraphs.get(p.paragraph, (p.start, p.end))
            paragraphs[p.paragraph] = (min(start, p.start), max(end, p.end))
        self.marks = [m for start, end in sorted(paragraphs.values()) for m in _scan(self.text, start, end)]
        self._opens = [open_ for open_, _ in self.marks]
        # Paragraphs are scanned in order, so the marks come sorted by their opening and
        # `within` can cut its range by bisection (checked, not assumed).
        self._sorted = all(a <= b for a, b in zip(self._opens, self._opens[1:]))

    def covering(self, char: int) -> tuple[int, int] | None:
        """The (open, close) mark pair around a character offset, if any."""
        i = bisect.bisect_right(self._opens, char) - 1
        if i >= 0 and self.marks[i][0] <= char <= self.marks[i][1]:
            return self.marks[i]
        return None

    def holds(self, token: Token) -> bool:
        """Whether `token` stands inside a quotation."""
        return self.covering(token.idx) is not None

    def tokens(self, mark: tuple[int, int]) -> Span:
        """The tokens from the opening mark up to the closing one."""
        return self.doc.char_span(mark[0], mark[1] + 1, alignment_mode="expand")

    def within(self, start: int, end: int) -> list[tuple[int, int]]:
        """Mark pairs opening between two character offsets."""
        if self._sorted:
            return self.marks[bisect.bisect_left(self._opens, start):bisect.bisect_left(self._opens, end)]
        return [m for m in self.marks if start <= m[0] < end]


def quote_marks(doc: Doc, passages: list[Passage]) -> QuoteMarks:
    """The QuoteMarks of a parse and its passages, found once while its records are extracted."""
    memo = memo_of(doc)
    if memo is None:
        return QuoteMarks(doc, passages)
    # Keyed by the passages' identity; the memo keeps them, so the id is not reused.
    found = memo.get(("quote_marks", id(passages)))
    if found is None:
        found = memo[("quote_marks", id(passages))] = (passages, QuoteMarks(doc, passages))
    return found[1]


# Marks that say which way they face, each with the marks that close it.
_PAIRS = {"“": "”", "«": "»", "„": "“”"}
# The only characters `_scan` acts on; the text between them is skipped in one search.
_MARK_CHARACTERS = re.compile("[\"'“”«»„]")


def _scan(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Pairs of mark offsets in one paragraph; an unclosed quote runs to its end.

    Curly (“ ”), guillemet (« ») and German („ “) marks pair as written; straight
    marks, and the NYT's doubled apostrophes (''), pair by the spaces around them.
    An opening pair is recorded at its second character so the words start after it.
    """
    marks: list[tuple[int, int]] = []
    opened: int | None = None
    closers = ""
    i = start
    while i < end:
        found = _MARK_CHARACTERS.search(text, i, end)
        if found is None:
            break
        i = found.start()
        c = text[i]
        doubled = c == "'" and text[i + 1:i + 2] == "'" and i + 1 < end
        if opened is not None and (c in closers or (c == "”" and not closers)):
            marks.append((opened, i))
            opened = None
        elif opened is None and c in _PAIRS:
            opened, closers = i, _PAIRS[c]
        elif c == '"' or doubled:
            width = 2 if doubled else 1
            if opened is None and (i == start or text[i - 1] in _STRAIGHT_OPEN_BEFORE):
                opened, closers = i + width - 1, ""
            elif opened is not None and (not closers or closers == "”") and (
                not text[i - 1].isspace() or text[i - 2:i - 1] in ("'", "’")
            ):
                marks.append((opened, i))
                opened = None
            i += width
            continue
        i += 1
    if opened is not None:
        # A quotation running on into the next paragraph is closed there, not here.
        marks.append((opened, end))
    return [(o, c) for o, c in marks if text[o + 1:c].strip()]


def inner_span(text: str, mark: tuple[int, int]) -> tuple[int, int]:
    """Character range of the quoted words inside a mark pair, spaces trimmed."""
    start, end = mark[0] + 1, mark[1]
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
