"""Statements in an article: direct and partial quotations, reported speech, speakers.

Quotation marks are found by `index.quotes.marks`, the words that report speech and
their content by `index.quotes.cues`, who speaks by `index.quotes.speakers`; this module
puts each passage's statements together, with the speakers' roles, aliases and genders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import bisect
import re
from collections import Counter
from dataclasses import dataclass, replace

if TYPE_CHECKING:  # spaCy loads only when a text is parsed, so a question starts fast
    from spacy.tokens import Doc, Span

from coveragebot.index.people import kinds as K
from coveragebot.index.quotes.cast import Cast
from coveragebot.index.quotes.marks import QuoteMarks, inner_span, quote_marks
from coveragebot.index.text.sentences import Passage
from coveragebot.index.text.focus import Focus
from coveragebot.index.text.names import SPEECH_NOUNS, gender_of
from coveragebot.index.quotes.transcripts import transcript_lines
from coveragebot.index.quotes.cues import LABEL_VERBS, Cue, cue_of, cue_phrase, cue_positions
from coveragebot.index.quotes.speakers import introduced_next, resolve_speakers, speaker_outside

UNATTRIBUTED = K.UNATTRIBUTED
# What a quotation with no attribution of its own may continue: "He said he
# would win.\n\n“We will win big.”" continues him.
_VOICE_KINDS = ("direct", "partial", "indirect")
_OPENING_MARKS = "“\"«„'"
# A capitalized abbreviation or initial: "Ms.", "Sen.", "Lt.", "J.".
_ABBREVIATION = re.compile(r"\b[A-Z][a-z]{0,3}\.")
# Speakers the text refers to only by a pronoun that names no one in focus: the article
# named them, the extractor could not tell who (never "an unnamed source").
NOT_IDENTIFIED = K.NOT_IDENTIFIED


@dataclass(frozen=True)
class Statement:
    """Something said in an article, by whom, and where it stands."""

    speaker: str
    role: str
    aliases: tuple[str, ...]
    text: str
    kind: str
    cue: str
    start: int
    end: int
    passage_start: int
    passage_end: int
    mention: str = ""  # the speaker as written when not a name: "he", "the mayor"
    speaker_kind: str = K.PERSON  # person, group, organization, outlet, document, anonymous, unidentified
    gender: str = ""  # male, female or '': what the article shows of the speaker

    def to_dict(self) -> dict[str, object]:
        """The fields by name, as `dataclasses.asdict` gives them."""
        # Strings, numbers and a tuple of strings: nothing to copy deeply, as asdict would.
        return dict(vars(self))


def extract_statements(doc: Doc, passages: list[Passage]) -> list[Statement]:
    """All direct, partial and indirect statements of a parsed article."""
    quotes = quote_marks(doc, passages)
    names = Cast(doc)
    focus = Focus()
    statements: list[Statement] = []
    previous: list[Statement] = []  # the quotations of the paragraph so far
    previous_paragraph = -1
    transcript = _transcript_lines(passages, quotes.text, names)
    cue_at = cue_positions(doc)
    for passage in passages:
        focus.new_sentence()
        if passage.paragraph in transcript:
            line = transcript[passage.paragraph]
            if line.start < passage.end and line not in statements:
                statements.append(line)
                focus.note(line.speaker, "PERSON")
            continue
        if passage.heading:
            continue
        span = doc.char_span(passage.start, passage.end, alignment_mode="expand")
        if span is None:
            continue
        same_paragraph = passage.paragraph == previous_paragraph
        if not same_paragraph and not quotes.text[passage.start] in _OPENING_MARKS:
            previous = []
        found, resumed = _passage_statements(span, passage, quotes, names, focus, previous, same_paragraph, cue_at)
        if resumed is not None and same_paragraph and statements and statements[-1] is previous[-1] and _resumes(statements[-1], resumed, quotes.text):
            # '"A," he said. "B."' is one statement: the cue only interrupts it.
            statements[-1] = _joined(statements[-1], resumed, quotes.text)
            found = [statements[-1] if x is resumed else x for x in found]
            statements.extend(x for x in found if x is not statements[-1])
            previous = previous[:-1] + found
            previous_paragraph = passage.paragraph
            continue
        statements.extend(found)
        previous = (previous if same_paragraph else []) + found
        previous_paragraph = passage.paragraph
    # A quotation nobody can be named for (a title, a slogan, scare quotes) is not a
    # statement anyone could look up: it is not kept.
    kept = [s for s in statements if s.speaker.strip() and s.speaker != UNATTRIBUTED]
    return _with_genders(introduced_next(_without_nested(kept), doc, passages, names), names, focus)


def _without_nested(statements: list[Statement]) -> list[Statement]:
    """Without what a speaker reports someone else said: in "Merrill says Machado promised
    to support Clinton" the sentence credits Merrill, whose statement holds the words;
    Machado's promise is not hers to be quoted on."""
    def nested(inner: Statement) -> bool:
        # Only a person's: "the senators said", "the S.E.C. said" inside a report are
        # often sources of their own.
        return inner.kind != "direct" and inner.speaker_kind == K.PERSON and any(
            outer is not inner and outer.speaker not in (inner.speaker, NOT_IDENTIFIED)
            and outer.start <= inner.start and inner.end <= outer.end and outer.end - outer.start > inner.end - inner.start
            for outer in statements
        )
    return [s for s in statements if not nested(s)]


def _with_genders(statements: list[Statement], names: Cast, focus: Focus) -> list[Statement]:
    """One gender per speaker of the article: its honorific or first name, else the
    pronouns the article used for it (he, she) where they agree."""
    said: dict[str, Counter[str]] = {}
    for s in statements:
        pronoun = gender_of(s.mention) if s.mention else None
        if pronoun:
            said.setdefault(s.speaker, Counter())[pronoun] += 1
    out = []
    for s in statements:
        if s.speaker_kind != K.PERSON:
            out.append(s)
            continue
        gender = names.gender(s.speaker) or focus.gender(s.speaker) or ""
        votes = said.get(s.speaker)
        if not gender and votes and len(votes) == 1:
            gender = next(iter(votes))
        out.append(replace(s, gender=gender) if gender != s.gender else s)
    return out


def _transcript_lines(passages: list[Passage], text: str, names: Cast) -> dict[int, Statement]:
    """Transcript paragraphs as direct statements by the people their labels name."""
    lines: dict[int, Statement] = {}
    for line in transcript_lines(passages, text):
        speaker = names.person(line.label.title() if line.label.isupper() else line.label)
        if speaker is not None:
            lines[line.paragraph] = Statement(
                speaker, names.role(speaker), names.aliases(speaker), text[line.start:line.end], "direct",
                f"{line.label}:", line.start, line.end, line.passage_start, line.passage_end, line.label,
            )
    return lines


# ---- one passage ------------------------------------------------------------------

def _passage_statements(
    span: Span,
    passage: Passage,
    quotes: QuoteMarks,
    names: Cast,
    focus: Focus,
    previous: list[Statement],
    same_paragraph: bool,
    cue_at: list[int],
) -> tuple[list[Statement], Statement | None]:
    """The passage's statements, and the one (if any) that carries on the last
    quotation of the sentence before without an attribution of its own; `cue_at` holds
    the article's `cue_positions`."""
    doc = span.doc
    text = quotes.text
    # Only the tokens a cue may stand at are asked (cue_of finds none at the others).
    candidates = (doc[i] for i in cue_at[bisect.bisect_left(cue_at, span.start):bisect.bisect_left(cue_at, span.end)])
    cues = [c for c in (cue_of(t) for t in candidates if not quotes.holds(t)) if c is not None]
    for cue in cues:
        if cue.speaker is not None and quotes.holds(cue.speaker):
            # Quoted words never name their own speaker: «Nous sommes contents», said Marie Curie.
            cue.speaker = speaker_outside(cue.token, quotes)
    reported = {i for c in cues if c.content for i in range(*c.content)}
    resolve_speakers(span, cues, reported, quotes, names, focus)

    marks = quotes.within(passage.start, passage.end)
    out: list[Statement] = []
    resumed: Statement | None = None
    last_direct: Cue | None = None
    for number, mark in enumerate(marks):
        start, end = inner_span(text, mark)
        words = quotes.tokens((start - 1, end))
        if words is None or start >= end:
            continue
        cue = _attribution(cues, mark, quotes)
        split = last_direct is not None and number > 0 and _between_is_attribution(text, marks[number - 1], mark, cues)
        if split:
            cue = last_direct
        direct = split or _is_direct(text, passage, mark, words)
        if split and out and out[-1].kind == "direct":
            out[-1] = _joined(out[-1], _statement(cue, names, "direct", text, start, end, passage), text)
            continue
        if direct:
            voice = _running_voice(out, previous, same_paragraph or text[passage.start] in _OPENING_MARKS)
            if cue is None and voice is not None:
                # An unattributed quotation after a quotation continues the same voice.
                out.append(_continued(voice, text, start, end, passage))
                if not out[:-1] and previous and voice is previous[-1]:
                    resumed = out[-1]
                continue
            last_direct = cue
            out.append(_statement(cue, names, "direct", text, start, end, passage))
        else:
            governing = _governing_cue(words, cues, quotes)
            if governing is not None and governing.name:
                if _ends_clause_before_cue(text, passage, mark, governing, cues):
                    # 'However laudable the goal, using the tax "is a misguided approach,"
                    # said Mr. Burman': the sentence up to the quotation is what he said.
                    start = passage.start + len(text[passage.start:start]) - len(text[passage.start:start].lstrip())
                out.append(_statement(governing, names, "partial", text, start, end, passage))

    for cue in cues:
        if cue.content is None or cue.name is None:
            continue
        start, end = doc[cue.content[0]].idx, doc[cue.content[1] - 1].idx + len(doc[cue.content[1] - 1])
        inside = [(o, c) for o, c in marks if o <= end and start <= c]
        if any(o < start and end <= c + 1 for o, c in inside):
            continue  # the clause lies within a quotation: the quotation reports it
        if inside:
            # A clause that quotes some of its words is one mixed statement:
            # 'Obama said the museum would tell a story of "suffering and delight."'
            end = max([end] + [min(c + 1, passage.end) for o, c in inside if o >= start])
            out = [x for x in out if not (x.kind == "partial" and start <= x.start and x.end <= end)]
        kind = "partial" if inside else cue.kind
        out.append(_statement(cue, names, kind, text, start, end, passage))
    out.sort(key=lambda s: (s.start, s.end))
    return out, resumed


def _attribution(cues: list[Cue], mark: tuple[int, int], quotes: QuoteMarks) -> Cue | None:
    """The nearest speech cue after the closing mark, else before the opening one."""
    best, best_distance = None, None
    for cue in cues:
        if cue.token.lower_ in SPEECH_NOUNS or cue.token.lemma_.lower() in LABEL_VERBS:
            continue
        idx = cue.token.idx
        if idx > mark[1]:
            gap = (mark[1], idx)
            distance = idx - mark[1]
        elif idx < mark[0]:
            gap = (idx, mark[0])
            distance = (mark[0] - idx) * 1.5  # the attribution more often follows
        else:
            continue
        if quotes.within(gap[0] + 1, gap[1]) or _ends_sentence(quotes, gap[0] + 1, gap[1]):
            continue
        if best_distance is None or distance < best_distance:
            best, best_distance = cue, distance
    return best


def _ends_sentence(quotes: QuoteMarks, start: int, end: int) -> bool:
    """Whether a sentence ends between two offsets; `Mr.`, `Sen.` and `E.` are one
    token with their period, so only a free-standing stop counts."""
    span = quotes.doc.char_span(start, end, alignment_mode="contract")
    return span is not None and any(t.text in (".", "!", "?", "...", "…") for t in span)


def _between_is_attribution(text: str, before: tuple[int, int], after: tuple[int, int], cues: list[Cue]) -> bool:
    # “We will not kneel,” Petro said, “and we will not back down.”
    if text[before[1] - 1] != "," or text[before[1] + 1:after[0]].rstrip()[-1:] not in (",", ":", "."):
        return False
    return any(before[1] < c.token.idx < after[0] for c in cues) and after[0] - before[1] < 120


def _is_direct(text: str, passage: Passage, mark: tuple[int, int], words: Span) -> bool:
    """A quotation standing as its own clause, not a phrase worked into a sentence."""
    before = text[passage.start:mark[0]].rstrip().rstrip("'")  # the first of a doubled mark
    inner = text[mark[0] + 1:mark[1]].lstrip()
    if not before:
        return True
    opens_clause = before[-1] in ",:;—–" or before.endswith(("”", '"'))
    capital = inner[:1].isupper() or inner[:1].isdigit() or inner.startswith(("…", "..."))
    return opens_clause and capital and any(t.pos_ in ("VERB", "AUX") for t in words)


_FINITE = frozenset(["VBZ", "VBD", "VBP", "MD"])


def _ends_clause_before_cue(text: str, passage: Passage, mark: tuple[int, int], cue: Cue, cues: list[Cue]) -> bool:
    """A quoted phrase that ends the reported clause, its cue just after ("…," said X;
    "…," X said), with no other cue before it in the sentence."""
    after = text[mark[1] + 1:cue.token.idx]
    closes = text[mark[1] - 1:mark[1] + 2].count(",") > 0
    if not (mark[1] < cue.token.idx and closes and len(after) < 40 and "\n" not in after
            and not any(passage.start <= c.token.idx < mark[0] for c in cues)):
        return False
    # A clause has a finite verb ("is a misguided approach"; 'Oz is "smart as hell"'); a
    # title or a phrase ('In an interview on "Face the Nation,"') is no clause.
    clause = cue.token.doc.char_span(passage.start, mark[1], alignment_mode="expand")
    return clause is not None and any(t.tag_ in _FINITE for t in clause)


def _governing_cue(words: Span, cues: list[Cue], quotes: QuoteMarks) -> Cue | None:
    """The speech verb a quoted phrase depends on: calling the move “an assault …”."""
    by_token = {c.token.i: c for c in cues}
    roots = [t for t in words if not (words.start <= t.head.i < words.end) or t.head == t]
    # A quoted subject of the cue is no content: 'said on “Fox and Friends.”' parsed with
    # the show as the one who said.
    phrase = [t for t in roots if not t.is_punct]
    if phrase and all(t.dep_ == "nsubj" and t.head.i in by_token for t in phrase):
        return None
    for root in phrase + [t for t in roots if t.is_punct]:
        current = root
        for _ in range(8):
            cue = by_token.get(current.i)
            # "That mobility remains low suggests “…”, Burtless said": a cue with
            # no subject at all passes the quotation up to the verb above it.
            if cue is not None and cue.speaker is not None and not (words.start <= current.i < words.end):
                return cue
            if current.head == current:
                break
            current = current.head
    return None


def _statement(cue, names, kind, text, start, end, passage) -> Statement:
    if cue is None or cue.name is None:
        speaker, role, aliases, cue_text = UNATTRIBUTED, "", (), cue and cue_phrase(cue) or ""
        source = K.UNIDENTIFIED
    else:
        speaker, role, aliases, cue_text = cue.name, names.role(cue.name), names.aliases(cue.name), cue_phrase(cue)
        source = cue.source
    return Statement(
        speaker, role, aliases, text[start:end], kind, cue_text, start, end,
        min(passage.start, start), max(passage.end, end), cue.mention if cue is not None else "", source,
    )


def _resumes(last: Statement, first: Statement, text: str) -> bool:
    """Whether a quotation opening a sentence resumes the one before it across the
    attribution between them ('"A," he said. "B."'), not after a sentence of prose."""
    between = text[last.end:first.start]
    # "Ms." or "Lt. Gen." in the attribution ends no sentence.
    stops = sum(_ABBREVIATION.sub("", between).count(c) for c in ".!?")
    ends_sentence = between.rstrip(" \u00a0\"“‘'").endswith((".", "!", "?", ":"))
    return last.kind == "direct" and len(between) < 160 and any(c.isalpha() for c in between) and stops <= 1 and ends_sentence


def _joined(first: Statement, second: Statement, text: str) -> Statement:
    """One statement from two pieces of a quotation split by its attribution."""
    return replace(first, text=text[first.start:second.end], end=second.end,
                   passage_start=min(first.passage_start, second.passage_start),
                   passage_end=max(first.passage_end, second.passage_end))


def _running_voice(current: list[Statement], previous: list[Statement], follows: bool) -> Statement | None:
    """The quoted speaker an unattributed quotation continues, if any: the last
    quotation of this sentence, or of the sentence before when this one follows
    on in the same paragraph or opens a paragraph with a quotation mark."""
    candidates = current or (previous if follows else [])
    if candidates:
        last = candidates[-1]
        if last.kind in _VOICE_KINDS and last.speaker != UNATTRIBUTED:
            return last
    return None


def _continued(last: Statement, text: str, start: int, end: int, passage: Passage) -> Statement:
    return replace(last, text=text[start:end], kind="direct", start=start, end=end,
                   passage_start=passage.start, passage_end=max(passage.end, end), mention="")
