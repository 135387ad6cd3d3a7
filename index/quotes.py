"""Statements in an article: direct and partial quotations, reported speech, speakers."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from index.sentences import Passage
from index.speakers import (
    BODY_KINDS,
    DATA_NOUNS,
    entity_of,
    PERSON_KINDS,
    REPRESENTATIVES,
    SPEECH_NOUNS,
    TITLE_WORDS,
    Focus,
    cluster_names,
    is_name,
    kind_of,
    name_parts,
    same_entity,
)

UNATTRIBUTED = "unattributed"

# Verbs that report speech; their clausal complement is what was said.
SPEECH_VERBS = frozenset(
    """
    say tell state remark assert claim deny emphasize emphasise indicate add note explain
    argue insist warn announce report write tweet post counter complain suggest
    acknowledge admit confirm reveal declare stress maintain contend predict reply respond
    answer recall testify concede observe reiterate repeat comment conclude allege charge
    disclose boast lament quip joke proclaim mention inform assure vow promise pledge
    threaten caution point accuse retort affirm urge
    """.split()
)
# Verbs that put a quoted phrase in someone's mouth without reporting a clause.
LABEL_VERBS = frozenset("call describe dub label brand term characterize characterise".split())
# Verbs whose noun object is itself the content ("pointed out Colombia's status ...").
OBJECT_VERBS = frozenset("point note cite stress emphasize emphasise mention reiterate".split())
# Verbs whose object is the listener, not the content ("told BBC News that ...").
ADDRESSEE_VERBS = frozenset("tell inform assure remind warn advise notify urge".split())
_FINITE_TAGS = frozenset(["VBD", "VBZ", "VBP", "MD"])
# First- and second-person words mark the speaker's own voice (free direct speech).
_OWN_VOICE = frozenset("i me my mine we us our ours you your yours".split())
_PRONOUNS = frozenset("he him his she her hers it its they them their".split())
_RELATIVES = frozenset("who whom which that".split())
_STRAIGHT_OPEN_BEFORE = " \t\n([{—–-/"


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


@dataclass
class _Cue:
    token: Token
    speaker: Token | None
    content: tuple[int, int] | None = None  # token range of reported words
    kind: str = "indirect"
    name: str | None = None  # resolved canonical speaker


def extract_statements(doc: Doc, passages: list[Passage]) -> list[Statement]:
    """All direct, partial and indirect statements of a parsed article."""
    quotes = _Quotes(doc, passages)
    names = _Names(doc)
    focus = Focus()
    statements: list[Statement] = []
    previous: list[Statement] = []  # the quotations of the paragraph so far
    previous_paragraph = -1
    for passage in passages:
        focus.new_sentence()
        if passage.heading:
            continue
        span = doc.char_span(passage.start, passage.end, alignment_mode="expand")
        if span is None:
            continue
        same_paragraph = passage.paragraph == previous_paragraph
        if not same_paragraph and not (previous and previous[-1].passage_end >= passage.start - 4):
            previous = []
        found = _passage_statements(span, passage, quotes, names, focus, previous, same_paragraph)
        statements.extend(found)
        previous = (previous if same_paragraph else []) + found
        previous_paragraph = passage.paragraph
    return statements


# ---- quotation marks ------------------------------------------------------------

class _Quotes:
    """Quoted stretches of the body (inside the marks), found per paragraph."""

    def __init__(self, doc: Doc, passages: list[Passage]) -> None:
        self.doc = doc
        # Doc.text is rebuilt from the tokens on every access: keep one copy.
        self.text = doc.text
        paragraphs: dict[int, tuple[int, int]] = {}
        for p in passages:
            start, end = paragraphs.get(p.paragraph, (p.start, p.end))
            paragraphs[p.paragraph] = (min(start, p.start), max(end, p.end))
        self.marks = [m for start, end in sorted(paragraphs.values()) for m in _scan(self.text, start, end)]
        self._opens = [open_ for open_, _ in self.marks]
        self._token_starts = [t.idx for t in doc]

    def covering(self, char: int) -> tuple[int, int] | None:
        """The (open, close) mark pair around a character offset, if any."""
        i = bisect.bisect_right(self._opens, char) - 1
        if i >= 0 and self.marks[i][0] <= char <= self.marks[i][1]:
            return self.marks[i]
        return None

    def holds(self, token: Token) -> bool:
        return self.covering(token.idx) is not None

    def tokens(self, mark: tuple[int, int]) -> Span:
        return self.doc.char_span(mark[0], mark[1] + 1, alignment_mode="expand")

    def within(self, start: int, end: int) -> list[tuple[int, int]]:
        return [m for m in self.marks if start <= m[0] < end]


def _scan(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Pairs of mark offsets in one paragraph; an unclosed quote runs to its end."""
    marks: list[tuple[int, int]] = []
    opened: int | None = None
    straight = False
    for i in range(start, end):
        c = text[i]
        if c == "“" and opened is None:
            opened, straight = i, False
        elif c == "”" and opened is not None and not straight:
            marks.append((opened, i))
            opened = None
        elif c == '"':
            if opened is None and (i == start or text[i - 1] in _STRAIGHT_OPEN_BEFORE):
                opened, straight = i, True
            elif opened is not None and straight and not text[i - 1].isspace():
                marks.append((opened, i))
                opened = None
    if opened is not None:
        # A quotation running on into the next paragraph is closed there, not here.
        marks.append((opened, end))
    return [(o, c) for o, c in marks if text[o + 1:c].strip()]


def _inner(text: str, mark: tuple[int, int]) -> tuple[int, int]:
    start, end = mark[0] + 1, mark[1]
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


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


# ---- cues: who speaks, and what they report ---------------------------------------

def _negated(token: Token) -> bool:
    return any(c.dep_ == "neg" for c in token.children)


def _cue_of(token: Token) -> _Cue | None:
    lemma = token.lemma_.lower()
    if token.pos_ in ("VERB", "AUX") and lemma in SPEECH_VERBS | LABEL_VERBS:
        if lemma == "point" and not any(c.dep_ == "prt" and c.lower_ == "out" for c in token.children):
            return None
        if _negated(token) or (token.dep_ == "auxpass" or any(c.dep_ == "auxpass" for c in token.children)):
            return None
        cue = _Cue(token, _speaker_token(token))
        inverted = cue.speaker is not None and cue.speaker.i > token.i and cue.speaker.head == token
        if lemma in SPEECH_VERBS:
            # '..., said Seqret Watson, among the dozens ...': an inverted
            # attribution closes a quotation; what follows is the writer's.
            cue.content = None if inverted else _reported(token)
            if cue.content is None:
                cue.content, cue.kind = _reported_before(token, cue.speaker)
        return cue
    if token.lower_ in SPEECH_NOUNS and token.pos_ == "NOUN":
        owner = [c for c in token.children if c.dep_ == "poss"]
        clauses = [
            c for c in token.children
            if c.dep_ in ("acl", "ccomp") and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
        ]
        if owner:
            cue = _Cue(token, _owner(owner[0]))
            if clauses:
                cue.content = _trim_content(token.doc, clauses[0].left_edge.i, clauses[0].right_edge.i + 1)
            return cue
        return None
    if token.lower_ == "according":
        to = [c for c in token.children if c.lower_ == "to"]
        objects = [c for c in to[0].children if c.dep_ == "pobj"] if to else []
        if objects:
            return _Cue(token, _owner(objects[0]), _according_content(token, objects[0]))
    return None


def _speaker_token(verb: Token) -> Token | None:
    """The token naming who uttered `verb`, walking up from participles and conjuncts."""
    current = verb
    for _ in range(4):
        if current.lemma_.lower() == "quote":
            # "papers quote Salinas as saying": the quoted person speaks.
            quoted = [c for c in current.children if c.dep_ in ("dobj", "nsubjpass")]
            return _owner(quoted[0]) if quoted else None
        subjects = [c for c in current.children if c.dep_ in ("nsubj", "agent")]
        if subjects:
            # The subject nearest the verb: "A paradox ..., he asserted" -> he.
            subject = min(subjects, key=lambda s: abs(s.i - current.i))
            if subject.dep_ == "agent":
                objects = [c for c in subject.children if c.dep_ == "pobj"]
                return _owner(objects[0]) if objects else None
            return _owner(subject)
        if any(c.dep_ == "nsubjpass" for c in current.children):
            return None
        if current.dep_ in ("advcl", "xcomp", "conj") and current.head.pos_ in ("VERB", "AUX"):
            if current.dep_ == "xcomp" and current.head.lemma_.lower() in ("decline", "refuse"):
                return None
            current = current.head
        elif current.dep_ == "pcomp" and current.head.dep_ == "prep" and current.head.head.pos_ == "VERB":
            current = current.head.head
        elif current.dep_ == "acl" and current.head.pos_ in ("NOUN", "PROPN"):
            noun = current.head
            owner = [c for c in noun.children if c.dep_ == "poss"]
            if owner:
                return _owner(owner[0])
            if noun.lower_ not in SPEECH_NOUNS or noun.head.pos_ not in ("VERB", "AUX"):
                return None
            # "Amazon released a statement saying ...": the statement's maker speaks.
            current = noun.head
        else:
            return None
    return None


def _owner(token: Token) -> Token:
    """Who is behind a subject: the noun a relative pronoun stands for, a
    statement's author, the body a spokesman speaks for, an apposed name."""
    if token.lower_ in _RELATIVES and token.head.dep_ == "relcl":
        token = token.head.head
    lower = token.lower_
    if lower in SPEECH_NOUNS:
        for child in token.children:
            if child.dep_ == "poss" or (child.dep_ in ("compound", "nmod") and is_name(child)):
                return _owner(child)
            if child.dep_ == "prep" and child.lower_ in ("from", "by", "of") and lower not in DATA_NOUNS:
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if objects:
                    return _owner(objects[0])
    if lower in REPRESENTATIVES:
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in ("for", "of", "from", "at"):
                objects = [c for c in child.children if c.dep_ == "pobj" and is_name(c)]
                if objects:
                    return objects[0]
            if child.dep_ == "compound" and is_name(child):
                return child
    if token.pos_ == "NOUN":
        apposed = [c for c in token.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
        if apposed:
            return apposed[0]
    return token


def _has_clause(tokens: Span) -> bool:
    return any(
        t.tag_ in _FINITE_TAGS and t.dep_ not in ("relcl", "acl", "aux", "auxpass")
        or (t.pos_ in ("VERB", "AUX") and t.dep_ in ("ccomp", "ROOT"))
        for t in tokens
    )


def _object_clause(obj: Token) -> bool:
    # "said a two-year agreement ... expired": the object heads a clause of its
    # own only when a complement verb hangs inside it (not a relative clause).
    return any(t.dep_ == "ccomp" and t.pos_ in ("VERB", "AUX") for t in obj.subtree)


def _reported(verb: Token) -> tuple[int, int] | None:
    """Token range of the clause a speech verb reports, after the verb."""
    doc = verb.doc
    lemma = verb.lemma_.lower()
    rights = [c for c in verb.rights]
    parts = [c for c in rights if c.dep_ == "ccomp"]
    if lemma not in ADDRESSEE_VERBS:
        objects = [c for c in rights if c.dep_ == "dobj"]
        if objects and (parts or _object_clause(objects[0])):
            parts += objects
    if parts:
        start = min(p.left_edge.i for p in parts)
        end = max(p.right_edge.i for p in parts) + 1
        content = _trim_content(doc, start, end)
        if content and _has_clause(doc[content[0]:content[1]]):
            return content
        return None
    objects = [c for c in rights if c.dep_ == "dobj"]
    if objects and lemma in OBJECT_VERBS:
        obj = objects[0]
        end = obj.right_edge.i + 1
        # A ", which ..." clause after the object is the writer's aside.
        for t in doc[obj.i:end]:
            if t.dep_ == "relcl" and t.i > obj.i and doc[t.left_edge.i - 1].text == ",":
                end = t.left_edge.i - 1
                break
        return _trim_content(doc, obj.left_edge.i, end)
    if objects and lemma == "accuse" and verb.tag_ != "VBG":
        charges = [c for c in rights if c.dep_ == "prep" and c.lower_ == "of"]
        if charges:
            return _trim_content(doc, objects[0].left_edge.i, charges[0].right_edge.i + 1)
    return None


def _reported_before(verb: Token, speaker: Token | None) -> tuple[tuple[int, int] | None, str]:
    """`<clause>, he said.`: the words before the attribution, and their kind."""
    if speaker is None:
        return None, "indirect"
    doc = verb.doc
    sent = verb.sent
    first = min(speaker.left_edge.i, verb.i)
    if first - 1 <= sent.start or doc[first - 1].text != ",":
        return None, "indirect"
    if any(t.i > verb.i and t.dep_ in ("ccomp", "dobj") for t in verb.children):
        return None, "indirect"
    before = doc[sent.start:first - 1]
    tied = [
        t for t in before
        if t.head == verb and t.dep_ in ("ccomp", "parataxis", "dep", "nsubj", "conj")
    ]
    if len(before) < 3 or not tied or any(t.is_quote for t in before):
        return None, "indirect"
    content = _trim_content(doc, sent.start, first - 1)
    own_voice = any(t.lower_ in _OWN_VOICE and t.tag_ in ("PRP", "PRP$") for t in before)
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in before)
    return content, "direct" if own_voice or not has_verb else "indirect"


def _according_content(token: Token, source: Token) -> tuple[int, int] | None:
    doc = token.doc
    sent = token.sent
    end_of_phrase = source.right_edge.i + 1
    if token.i - 1 > sent.start and doc[token.i - 1].text == ",":
        return _trim_content(doc, sent.start, token.i - 1)
    if token.i == sent.start and end_of_phrase < sent.end and doc[end_of_phrase].text == ",":
        return _trim_content(doc, end_of_phrase + 1, sent.end)
    return None


def _trim_content(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    while start < end and (doc[start].is_punct or doc[start].lower_ == "that" and start + 1 < end):
        start += 1
    while end > start and doc[end - 1].is_punct and doc[end - 1].text not in ")]":
        end -= 1
    return (start, end) if end - start >= 3 else None


def _cue_text(cue: _Cue) -> str:
    """The cue word with its short complement: `told cheering crowds in Bogotá`."""
    token = cue.token
    doc = token.doc
    if token.lower_ == "according":
        return doc[token.i:token.right_edge.i + 1].text
    end = token.i + 1
    limit = cue.content[0] if cue.content and cue.content[0] > token.i else None
    for child in token.rights:
        if child.dep_ not in ("prt", "dobj", "dative", "prep", "agent", "npadvmod") or child.i != end:
            break
        if limit is not None and child.right_edge.i >= limit:
            break
        if child.dep_ == "dobj" and cue.content and child.i >= cue.content[0]:
            break
        end = child.right_edge.i + 1
    while end > token.i + 1 and doc[end - 1].is_punct:
        end -= 1
    return doc[token.i:end].text


# ---- one passage ------------------------------------------------------------------

def _passage_statements(
    span: Span,
    passage: Passage,
    quotes: _Quotes,
    names: _Names,
    focus: Focus,
    previous: list[Statement],
    same_paragraph: bool,
) -> list[Statement]:
    doc = span.doc
    text = quotes.text
    cues = [c for c in (_cue_of(t) for t in span if not quotes.holds(t)) if c is not None]
    reported = {i for c in cues if c.content for i in range(*c.content)}
    _resolve_speakers(span, cues, reported, quotes, names, focus)

    marks = quotes.within(passage.start, passage.end)
    out: list[Statement] = []
    last_direct: _Cue | None = None
    for number, mark in enumerate(marks):
        start, end = _inner(text, mark)
        words = quotes.tokens((start - 1, end))
        if words is None or start >= end:
            continue
        cue = _attribution(cues, mark, quotes)
        split = last_direct is not None and number > 0 and _between_is_attribution(text, marks[number - 1], mark, cues)
        if split:
            cue = last_direct
        direct = split or _is_direct(text, passage, mark, words)
        if direct:
            voice = _running_voice(out, previous, same_paragraph or text[passage.start] in "“\"")
            if cue is None and voice is not None:
                # An unattributed quotation after a quotation continues the same voice.
                out.append(_continued(voice, text, start, end, passage))
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
        if any(o <= end and start <= c for o, c in marks):
            # A clause that quotes words is reported as its partial quotations.
            continue
        out.append(_statement(cue, names, cue.kind, text, start, end, passage))
    out.sort(key=lambda s: (s.start, s.end))
    return out


def _resolve_speakers(span, cues, reported, quotes, names, focus) -> None:
    """Walk the passage in order, noting named subjects and resolving pronouns."""
    events: list[tuple[int, int, object]] = []
    for token in span:
        subject = token.dep_ in ("nsubj", "nsubjpass") or (token.dep_ == "conj" and token.head.dep_ in ("nsubj", "nsubjpass"))
        if subject and token.i not in reported and not quotes.holds(token):
            named = _owner(token)
            if is_name(named):
                events.append((token.i, 0, named))
    for cue in cues:
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
        elif is_name(speaker):
            item.name = names.canonical(speaker)
            focus.note(item.name, names.kind(item.name))


def _attribution(cues: list[_Cue], mark: tuple[int, int], quotes: _Quotes) -> _Cue | None:
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
        text = quotes.text[gap[0] + 1:gap[1]]
        if quotes.within(gap[0] + 1, gap[1]) or any(p in text for p in (". ", "! ", "? ")):
            continue
        if best_distance is None or distance < best_distance:
            best, best_distance = cue, distance
    return best


def _between_is_attribution(text: str, before: tuple[int, int], after: tuple[int, int], cues: list[_Cue]) -> bool:
    # “We will not kneel,” Petro said, “and we will not back down.”
    if text[before[1] - 1] != ",":
        return False
    return any(before[1] < c.token.idx < after[0] for c in cues) and after[0] - before[1] < 120


def _is_direct(text: str, passage: Passage, mark: tuple[int, int], words: Span) -> bool:
    """A quotation standing as its own clause, not a phrase worked into a sentence."""
    before = text[passage.start:mark[0]].rstrip()
    inner = text[mark[0] + 1:mark[1]].lstrip()
    if not before:
        return True
    opens_clause = before[-1] in ",:;—–" or before.endswith(("”", '"'))
    capital = inner[:1].isupper() or inner[:1].isdigit() or inner.startswith(("…", "..."))
    return opens_clause and capital and any(t.pos_ in ("VERB", "AUX") for t in words)


def _governing_cue(words: Span, cues: list[_Cue], quotes: _Quotes) -> _Cue | None:
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
        speaker, role, aliases, cue_text = UNATTRIBUTED, "", (), cue and _cue_text(cue) or ""
    else:
        speaker, role, aliases, cue_text = cue.name, names.role(cue.name), names.aliases(cue.name), _cue_text(cue)
    return Statement(
        speaker, role, aliases, text[start:end], kind, cue_text, start, end,
        min(passage.start, start), max(passage.end, end),
    )


def _running_voice(current: list[Statement], previous: list[Statement], follows: bool) -> Statement | None:
    """The quoted speaker an unattributed quotation continues, if any: the last
    quotation of this sentence, or of the sentence before when this one follows
    on in the same paragraph or opens a paragraph with a quotation mark."""
    candidates = current or (previous if follows else [])
    if candidates:
        last = candidates[-1]
        if last.kind in ("direct", "partial") and last.speaker != UNATTRIBUTED:
            return last
    return None


def _continued(last: Statement, text: str, start: int, end: int, passage: Passage) -> Statement:
    return Statement(
        last.speaker, last.role, last.aliases, text[start:end], "direct", last.cue, start, end,
        passage.start, max(passage.end, end),
    )
