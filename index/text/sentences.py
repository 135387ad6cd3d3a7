"""Article body -> paragraphs -> spaCy sentences -> passages with offsets."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

from coveragebot.index.text import pipeline as nlp_mod
from coveragebot.index.text.datelines import blank_dateline

_BLANK_LINE = re.compile(r"\n[ \t\u00a0\u200b]*\n")
# A line that ends like a sentence (or a heading) ends its paragraph even without
# a blank line after it; any other single newline is a soft wrap.
_LINE_END = re.compile(r"[.!?:;\"”’)\]]\s*$")
_HEADING = re.compile(r"^[^.!?\n]{1,60}:$")
_OPENERS = "“«"
_CLOSERS = "”»"


@dataclass(frozen=True)
class Passage:
    """A sentence (or a quotation spanning sentences) of an article body."""

    position: int
    paragraph: int
    start: int
    end: int
    text: str
    heading: bool = False


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the non-empty paragraphs of `text`."""
    spans: list[tuple[int, int]] = []
    for block in _split_keep(text, _BLANK_LINE):
        start, end = block
        line_start = start
        para_start = None
        for line in re.finditer(r"[^\n]*(?:\n|$)", text[start:end]):
            ls, le = start + line.start(), start + line.end()
            if ls >= end:
                break
            content = text[ls:le].strip()
            if not content.strip("\u00a0\u200b "):
                continue
            if para_start is None:
                para_start = ls
            line_start = le
            if _LINE_END.search(content) or _HEADING.match(content):
                spans.append(_trim(text, para_start, le))
                para_start = None
        if para_start is not None:
            spans.append(_trim(text, para_start, max(line_start, para_start)))
    return [s for s in spans if s[1] > s[0]]


def is_heading(text: str) -> bool:
    """Section labels like `Why it matters:` are headings, not sentences."""
    return bool(_HEADING.match(text.strip()))


def segment(nlp: Language, body: str) -> tuple[Doc, list[Passage]]:
    """Parse `body` and cut it into passages, keeping quotations whole.

    A dateline (`WASHINGTON (AP) —`) is parsed as blank space: it names where the
    story was filed, so no extractor may take it for a speaker or an agent.
    """
    body = blank_dateline(body)
    paragraphs = paragraph_spans(body)
    doc = nlp_mod.parse(nlp, body, [start for start, _ in paragraphs])
    return doc, passages_of(doc, paragraphs)


def segment_many(nlp: Language, bodies: Sequence[str], batch_size: int = 8) -> list[tuple[Doc, list[Passage]]]:
    """`segment` for several bodies, parsed as one stream (`nlp.pipe` batches the network's
    work, a few percent faster than one text at a time)."""
    prepared = [blank_dateline(body) for body in bodies]
    paragraphs = [paragraph_spans(body) for body in prepared]
    docs = nlp_mod.parse_many(nlp, ((body, [start for start, _ in spans]) for body, spans in zip(prepared, paragraphs)),
                              batch_size=batch_size)
    return [(doc, passages_of(doc, spans)) for doc, spans in zip(docs, paragraphs)]


def passages_of(doc: Doc, paragraphs: list[tuple[int, int]]) -> list[Passage]:
    """Sentence passages of a parsed doc, merged where a quotation runs on."""
    body = doc.text
    pieces: list[tuple[int, int, int]] = []  # paragraph, start, end
    for number, (p_start, p_end) in enumerate(paragraphs):
        for sent in doc.char_span(p_start, p_end, alignment_mode="expand").sents:
            start, end = _trim(body, max(sent.start_char, p_start), min(sent.end_char, p_end))
            if end > start:
                pieces.append((number, start, end))
    merged: list[tuple[int, int, int]] = []
    for number, start, end in pieces:
        if merged and merged[-1][0] == number and (
            _runs_on(body[merged[-1][1]:merged[-1][2]], body[start:end])
            or _attributes_question(body[merged[-1][1]:merged[-1][2]], doc.char_span(start, end, alignment_mode="expand"))
        ):
            merged[-1] = (number, merged[-1][1], end)
        else:
            merged.append((number, start, end))
    return [
        Passage(position, number, start, end, body[start:end], _is_heading_sentence(doc, body, start, end))
        for position, (number, start, end) in enumerate(merged)
    ]


def _runs_on(before: str, after: str) -> bool:
    """Whether the parser's sentence break between two pieces is no sentence end:
    inside a quotation, before a stray closing mark (`."` split as `.` | `"`), after
    an abbreviation such as `a.m.` when the next word is lowercase, or where
    nothing ends the first piece at all (`a UNESCO | World Heritage Site`, `on the
    game | [against the Netherlands] and`)."""
    if _quote_open(before) or not after.strip(_TRAILERS):
        return True
    if before.endswith(_ABBREVIATIONS) and after[:1].islower():
        return True
    # A bracket opened mid-sentence is an insertion: the sentence goes on around it.
    return not before.rstrip(_TRAILERS).endswith((".", "!", "?", ":", ";", "…")) and (
        after[:1].islower() or after[:1] in "[(")


# Verbs that attribute a quotation: '“You winning?” she asked.'
_ATTRIBUTING = frozenset(
    """say ask tell add reply write shout yell continue explain answer respond wonder joke demand
    insist exclaim retort quip note argue observe declare counter scream cry""".split()
)


def _attributes_question(before: str, after: Span | None) -> bool:
    """Whether a quotation ending in "?" or "!" is continued by its attribution: the
    parser ends the sentence at '?”' but '“Who would have believed it?” Trump said,
    looking out' is one sentence."""
    if after is None or not re.search(r"[?!]\s*[\"”]$", before):
        return False
    for token in after[:5]:
        if token.lemma_.lower() in _ATTRIBUTING and token.pos_ in ("VERB", "AUX"):
            return True
        if not (token.pos_ in ("PROPN", "PRON", "DET", "ADJ", "NOUN") or token.text in (",", ".")):
            return False
    return False


# Closing marks and brackets that may trail a sentence's stop.
_TRAILERS = "\"'”’)]» \u00a0"
_ABBREVIATIONS = ("a.m.", "p.m.", "U.S.", "Jr.", "Sr.", "St.", "No.", "vs.", "e.g.", "i.e.", "Inc.", "Co.")


def _is_heading_sentence(doc: Doc, body: str, start: int, end: int) -> bool:
    """A section label (`Why it matters:`, `Driving the news:`), not a sentence that
    introduces what follows (`This occurs for two reasons:`, `He said:`)."""
    if not is_heading(body[start:end]):
        return False
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or span[0].lower_ in ("why", "what", "how", "where", "who", "when", "what's"):
        return True
    return not any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in span)


def _quote_open(text: str) -> bool:
    # Curly quotes say which way they face; straight ones only pair up. German
    # quotations open low („) and close with the English opener (“).
    openers, closers = (_OPENERS, _CLOSERS) if "„" not in text else ("„«", "“”»")
    curly = sum(text.count(c) for c in openers) - sum(text.count(c) for c in closers)
    straight = text.count('"') + text.count("''")
    return curly > 0 or straight % 2 == 1


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _split_keep(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    spans, last = [], 0
    for match in pattern.finditer(text):
        spans.append((last, match.start()))
        last = match.end()
    spans.append((last, len(text)))
    return spans
