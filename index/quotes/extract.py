"""Statements in an article: direct and partial quotations, reported speech, speakers.

Quotation marks are found by `index.quotes.marks`, the words that report speech and
their content by `index.quotes.cues`; this module names the speakers (clusters,
kinds, roles, aliases, pronouns) and puts each passage's statements together.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from index.quotes.marks import QuoteMarks, inner_span
from index.text.sentences import Passage
from index.text.names import (
    BODY_KINDS,
    PERSON_KINDS,
    SPEECH_NOUNS,
    TITLE_WORDS,
    Focus,
    cluster_names,
    entity_of,
    is_name,
    kind_of,
    name_parts,
    same_entity,
)
from index.text.descriptions import author_of, described_person, descriptor
from index.quotes.transcripts import transcript_lines
from index.quotes.cues import LABEL_VERBS, Cue, cue_of, cue_phrase, owner_of

UNATTRIBUTED = "unattributed"
# What a quotation with no attribution of its own may continue: "He said he
# would win.\n\n“We will win big.”" continues him.
_VOICE_KINDS = ("direct", "partial", "indirect")
_NOT_SPEAKERS = frozenset(["DATE", "TIME"])
_OPENING_MARKS = "“\"«„'"
# Speakers the text refers to only by a pronoun that names no one in focus.
UNNAMED = "unnamed source"
UNNAMED_PLURAL = "unnamed sources"

_PRONOUNS = frozenset("he him his she her hers it its they them their".split())


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


def extract_statements(doc: Doc, passages: list[Passage]) -> list[Statement]:
    """All direct, partial and indirect statements of a parsed article."""
    quotes = QuoteMarks(doc, passages)
    names = _Names(doc)
    focus = Focus()
    statements: list[Statement] = []
    previous: list[Statement] = []  # the quotations of the paragraph so far
    previous_paragraph = -1
    transcript = _transcript_lines(passages, quotes.text, names)
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
        found, resumed = _passage_statements(span, passage, quotes, names, focus, previous, same_paragraph)
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
    return [s for s in statements if s.speaker.strip() and s.speaker != UNATTRIBUTED]


def _transcript_lines(passages: list[Passage], text: str, names: "_Names") -> dict[int, Statement]:
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


# ---- names of the article --------------------------------------------------------

class _Names:
    """Every name in the article, clustered, with a kind, a role and aliases."""

    def __init__(self, doc: Doc) -> None:
        mentions: list[tuple[str, str, str, str]] = []  # surface, name, role, kind
        for token in doc:
            head = token.dep_ not in ("compound", "amod") and (
                token.ent_type_ in PERSON_KINDS | BODY_KINDS or token.pos_ == "PROPN"
            )
            if head and is_name(token):
                mentions.append((*name_parts(token), kind_of(token)))
                if _looks_like_person(token):
                    mentions.append((*name_parts(token), "PERSON"))
        self._canonical = cluster_names(name for _, name, _, _ in mentions)
        self._by_surface: dict[str, str] = {}
        self._votes: dict[str, dict[str, int]] = {}
        self._surfaces: dict[str, list[str]] = {}
        self._roles: dict[str, str] = {}
        for mention in mentions:
            self._record(*mention)

    def _record(self, surface: str, name: str, role: str, kind: str) -> str:
        canonical = self._canonical.get(name) or self._match(name)
        self._by_surface[surface] = canonical
        votes = self._votes.setdefault(canonical, {})
        if kind:
            votes[kind] = votes.get(kind, 0) + 1
        if role and any(w.lower() in TITLE_WORDS or w[:1].islower() for w in role.split()):
            votes["PERSON"] = votes.get("PERSON", 0) + 3
        if role:
            self._roles.setdefault(canonical, role)
        for seen_name in (surface, name):
            seen = self._surfaces.setdefault(canonical, [])
            if seen_name not in seen:
                seen.append(seen_name)
        return canonical

    def _match(self, name: str) -> str:
        hits = {c for c in set(self._canonical.values()) if same_entity(name, c)}
        return hits.pop() if len(hits) == 1 else name

    def canonical(self, token: Token) -> str:
        surface, name, role = name_parts(token)
        if surface in self._by_surface:
            return self._by_surface[surface]
        return self._record(surface, name, role, kind_of(token))

    def person(self, label: str) -> str | None:
        """The one person of the article a bare label names (`Pence`, `Tapper`)."""
        hits = {c for c in self._votes if self.kind(c) == "PERSON" and same_entity(label, c)}
        return hits.pop() if len(hits) == 1 else None

    def kind(self, canonical: str) -> str:
        votes = self._votes.get(canonical, {})
        return max(votes, key=lambda k: (votes[k], k == "PERSON")) if votes else ""

    def role(self, canonical: str) -> str:
        return self._roles.get(canonical, "")

    def aliases(self, canonical: str) -> tuple[str, ...]:
        return tuple(s for s in self._surfaces.get(canonical, []) if s != canonical)


def _looks_like_person(token: Token) -> bool:
    """Grammar that marks a person: "Yearout, 51,", "Petro, who ...", a full PERSON name."""
    for child in token.children:
        if child.dep_ == "relcl" and any(c.lower_ in ("who", "whom", "whose") for c in child.children):
            return True
        if child.dep_ == "appos" and (child.like_num or child.lower_ in TITLE_WORDS):
            return True
    if token.dep_ == "appos" and token.head.lower_ in TITLE_WORDS:
        return True
    ent = entity_of(token)
    return ent is not None and ent.label_ == "PERSON" and len(ent) > 1


# ---- one passage ------------------------------------------------------------------

def _passage_statements(
    span: Span,
    passage: Passage,
    quotes: QuoteMarks,
    names: _Names,
    focus: Focus,
    previous: list[Statement],
    same_paragraph: bool,
) -> tuple[list[Statement], Statement | None]:
    """The passage's statements, and the one (if any) that carries on the last
    quotation of the sentence before without an attribution of its own."""
    doc = span.doc
    text = quotes.text
    cues = [c for c in (cue_of(t) for t in span if not quotes.holds(t)) if c is not None]
    for cue in cues:
        if cue.speaker is not None and quotes.holds(cue.speaker):
            # Quoted words never name their own speaker: «Nous sommes contents», said Marie Curie.
            cue.speaker = _speaker_outside(cue.token, quotes)
    reported = {i for c in cues if c.content for i in range(*c.content)}
    _resolve_speakers(span, cues, reported, quotes, names, focus)

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


def _resolve_speakers(span, cues, reported, quotes, names, focus) -> None:
    """Walk the passage in order, noting named subjects and resolving pronouns."""
    events: list[tuple[int, int, object]] = []
    for token in span:
        subject = token.dep_ in ("nsubj", "nsubjpass") or (token.dep_ == "conj" and token.head.dep_ in ("nsubj", "nsubjpass"))
        if subject and token.i not in reported and not quotes.holds(token):
            named = owner_of(token)
            if is_name(named):
                events.append((token.i, 0, named))
    for cue in cues:
        if cue.speaker is not None and cue.speaker.ent_type_ in _NOT_SPEAKERS:
            cue.speaker = None  # "said Monday": a date never speaks
        if cue.speaker is not None:
            events.append((cue.speaker.i, 1, cue))
    for _, order, item in sorted(events, key=lambda e: (e[0], e[1])):
        if order == 0:
            name = names.canonical(item)
            focus.note(name, names.kind(name))
            continue
        speaker = item.speaker
        if speaker.lower_ in _PRONOUNS and speaker.pos_ == "PRON":
            item.name = focus.resolve(speaker.lower_)
            item.mention = speaker.text
            if item.name is None:
                item.name = UNNAMED_PLURAL if speaker.lower_ in ("they", "them", "their") else UNNAMED
        elif is_name(speaker):
            item.name = names.canonical(speaker)
            focus.note(item.name, names.kind(item.name))
        elif speaker.pos_ in ("NOUN", "PROPN", "ADJ") and (author := author_of(speaker)) is not None:
            item.name = names.canonical(author)
            focus.note(item.name, names.kind(item.name))
        elif speaker.pos_ in ("NOUN", "PROPN", "ADJ"):
            # "the mayor", "the New York businessman": the person of that role in
            # focus, else the description itself as an unnamed source ("officials").
            item.mention = descriptor(speaker)
            item.name = described_person(focus, speaker, names.role) or item.mention
            if item.name != item.mention:
                focus.note(item.name, names.kind(item.name))


def _speaker_outside(verb: Token, quotes: QuoteMarks) -> Token | None:
    """A name next to the cue and outside the quotation: 'said Marie Curie'."""
    for token in list(verb.rights) + list(verb.lefts):
        if token.dep_ in ("nsubj", "dobj", "attr", "dep") and is_name(token) and not quotes.holds(token):
            return owner_of(token)
    return None


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


def _governing_cue(words: Span, cues: list[Cue], quotes: QuoteMarks) -> Cue | None:
    """The speech verb a quoted phrase depends on: calling the move “an assault …”."""
    by_token = {c.token.i: c for c in cues}
    roots = [t for t in words if not (words.start <= t.head.i < words.end) or t.head == t]
    for root in roots:
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
    else:
        speaker, role, aliases, cue_text = cue.name, names.role(cue.name), names.aliases(cue.name), cue_phrase(cue)
    return Statement(
        speaker, role, aliases, text[start:end], kind, cue_text, start, end,
        min(passage.start, start), max(passage.end, end), cue.mention if cue is not None else "",
    )


def _resumes(last: Statement, first: Statement, text: str) -> bool:
    """Whether a quotation opening a sentence resumes the one before it across the
    attribution between them ('"A," he said. "B."'), not after a sentence of prose."""
    between = text[last.end:first.start]
    stops = sum(between.count(c) for c in ".!?")
    ends_sentence = between.rstrip(" \u00a0\"“‘'").endswith((".", "!", "?", ":"))
    return last.kind == "direct" and len(between) < 160 and any(c.isalpha() for c in between) and stops <= 1 and ends_sentence


def _joined(first: Statement, second: Statement, text: str) -> Statement:
    """One statement from two pieces of a quotation split by its attribution."""
    return Statement(
        first.speaker, first.role, first.aliases, text[first.start:second.end], first.kind, first.cue,
        first.start, second.end,
        min(first.passage_start, second.passage_start), max(first.passage_end, second.passage_end), first.mention,
    )


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
    return Statement(
        last.speaker, last.role, last.aliases, text[start:end], "direct", last.cue, start, end,
        passage.start, max(passage.end, end),
    )
