"""Who a speech cue's speaker is: a name settled by the article's cast, a he or she the
focus resolves, a description (`the mayor`, `the Republican`) or a handle.

The passage is walked in order: named subjects and resolved pronouns are noted in the focus
(the main clause's person apart from names inside what was reported or in a clause of
their own), and each cue gets its speaker's name and kind.
May import: index.people, index.text, and index.quotes' cast, cues and marks.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy loads only when a text is parsed, so a question starts fast
    from spacy.tokens import Token

from coveragebot.index.people import kinds as K
from coveragebot.index.quotes.cast import Cast
from coveragebot.index.quotes.cues import Cue, name_before, owner_of
from coveragebot.index.quotes.marks import QuoteMarks
from coveragebot.index.text.descriptions import (
    author_of, described_person, descriptor, is_person_noun, noun_gender, source_kind_of,
)
from coveragebot.index.text.names import TITLE_WORDS, gender_of, is_name, split_role
from coveragebot.index.text.parse_memo import doc_text
from coveragebot.index.text.person_names import handle_name, looks_personal

_NOT_SPEAKERS = frozenset(["DATE", "TIME"])
# Speakers the text refers to only by a pronoun that names no one in focus: the article
# named them, the extractor could not tell who (never "an unnamed source").
NOT_IDENTIFIED = K.NOT_IDENTIFIED
_PRONOUNS = frozenset("he him his she her hers it its they them their".split())
_PERSONAL = frozenset(["he", "she"])


def resolve_speakers(span, cues, reported, quotes, names, focus) -> None:
    """Walk the passage in order, noting named subjects and resolving pronouns."""
    events: list[tuple[int, int, object]] = []
    for token in span:
        subject = token.dep_ in ("nsubj", "nsubjpass") or (token.dep_ == "conj" and token.head.dep_ in ("nsubj", "nsubjpass"))
        if subject and token.i not in reported and not quotes.holds(token):
            named = owner_of(token)
            if is_name(named):
                events.append((token.i, 0, named))
            elif token.lower_ in _PERSONAL and token.pos_ == "PRON":
                events.append((token.i, 0, token))
        elif token.ent_type_ == "PERSON" and token.pos_ == "PROPN" and token.dep_ not in ("compound", "flat"):
            events.append((token.i, 2, token))  # a person named outside a subject
    for cue in cues:
        if cue.speaker is not None and cue.speaker.ent_type_ in _NOT_SPEAKERS:
            cue.speaker = None  # "said Monday": a date never speaks
        if cue.speaker is not None:
            events.append((cue.speaker.i, 1, cue))
    speakers = {e[0] for e in events if e[1] == 1}
    for position, order, item in sorted(events, key=lambda e: (e[0], e[1])):
        if order == 2:
            if position not in speakers:
                name = names.canonical(item, focus)
                focus.note_other(name, names.kind(name))
            continue
        if order == 0 and item.pos_ == "PRON":
            # "He doesn't think so. 'I don't judge,' he said.": a he or she the text
            # carries on with keeps its person in focus, as a name would.
            # Only a main clause's subject, and it teaches no gender: "X described Y
            # as a disgrace after she attacked" may mean Y, whom no subject named.
            if position not in speakers and _main_clause(item, reported) and (
                    name := focus.resolve(item.lower_, salient=True, learn=False)
            ) and focus.gender(name) == gender_of(item.lower_):
                focus.note(name, names.kind(name) or "PERSON", None, True)
            continue
        if order == 0:
            main = _main_clause(span.doc[position], reported)
            if _party_member(item):
                # "The Republican is also encouraging …": the person in focus, described.
                if (name := described_person(focus, item, _roles(names), names.people())) is not None:
                    focus.note(name, names.kind(name), names.gender(name) or None, main)
                continue
            name = names.canonical(item, focus)
            focus.note(name, names.kind(name), names.gender(name) or None, main)
            continue
        speaker = item.speaker
        main = speaker.i not in reported and _main_clause(item.token, reported)
        if _party_member(speaker):
            item.mention = descriptor(speaker)
            item.name = described_person(focus, speaker, _roles(names), names.people()) or NOT_IDENTIFIED
            item.source = names.source_kind(item.name) if item.name != NOT_IDENTIFIED else K.UNIDENTIFIED
            continue
        if speaker.lower_ in _PRONOUNS and speaker.pos_ == "PRON":
            item.name = focus.resolve(speaker.lower_, salient=True)
            item.mention = speaker.text
            item.source = names.source_kind(item.name) if item.name else K.UNIDENTIFIED
            if item.name:
                focus.note(item.name, names.kind(item.name) or "PERSON", None, main)
            if item.name is None:
                item.name = NOT_IDENTIFIED
        elif (handle := handle_name(speaker.text)) is not None:
            # "@realDonaldTrump tweeted": the account's words, as a name ("Donald Trump").
            name, role = split_role(handle)
            item.name, item.mention = names.refer(name or handle, role, focus), speaker.text
            item.source = K.PERSON if role or looks_personal(item.name) else K.ORGANIZATION
            focus.note(item.name, "PERSON" if item.source == K.PERSON else "ORG")
        elif is_name(speaker):
            item.name = names.canonical(speaker, focus, _content_gender(item))
            item.source = names.source_kind(item.name)
            focus.note(item.name, names.kind(item.name), names.gender(item.name) or None, main)
        elif speaker.pos_ in ("NOUN", "PROPN", "ADJ") and (author := author_of(speaker)) is not None:
            item.name = names.canonical(author, focus)
            item.source = names.source_kind(item.name)
            focus.note(item.name, names.kind(item.name))
        elif speaker.pos_ in ("NOUN", "PROPN", "ADJ"):
            # "the mayor", "the New York businessman": the person of that role in focus;
            # else the description as the source it names ("officials", "a senior
            # official", "the report"), or a speaker not identified ("the senator").
            item.mention = descriptor(speaker)
            item.name = described_person(focus, speaker, _roles(names), names.people())
            if item.name is not None:
                item.source = names.source_kind(item.name)
                focus.note(item.name, names.kind(item.name))
            else:
                item.source = source_kind_of(speaker)
                item.name = NOT_IDENTIFIED if item.source == K.UNIDENTIFIED else item.mention
                if item.source in (K.UNIDENTIFIED, K.DOCUMENT) and item.token.i in reported and not is_person_noun(speaker):
                    # "…, adding that the phrase suggests a campaign has to …", "said the ad
                    # suggests …": a thing inside what someone reported is no speaker; the
                    # report holds the words.
                    item.name = None


def _roles(names: Cast):
    """Every word of the titles and the role the article gave a name."""
    return lambda name: f"{names.roles(name)} {names.role(name)}"


def _party_member(token: Token) -> bool:
    """`the Republican`, `the Democrat`: one member of a party, a description of someone."""
    return (token.ent_type_ == "NORP" and token.tag_ in ("NNP", "NN") and not token.lower_.endswith("s")
            and [c.lower_ for c in token.children if c.dep_ in ("det", "poss")] == ["the"]
            and not any(c.dep_ in ("compound", "amod") and c.pos_ == "PROPN" for c in token.children))


def _main_clause(token: Token, reported: set[int]) -> bool:
    """Whether a subject or a cue stands in its sentence's main clause: not inside
    reported words, not in a relative or subordinate clause ("Ali, who died ...")."""
    if token.i in reported:
        return False
    if token.pos_ not in ("VERB", "AUX"):
        while token.dep_ == "conj" and token.head is not token:
            token = token.head  # "Brooks and Lang met": both stand as the subject
    verb = token if token.pos_ in ("VERB", "AUX") else token.head
    while verb.dep_ == "conj" and verb.head is not verb:
        verb = verb.head
    # '"…," Mr. Obama said, not even needing …': an attribution the parser hangs
    # beside the main verb (parataxis) is a main clause of its own.
    return verb.dep_ in ("ROOT", "parataxis")


def _content_gender(cue: Cue) -> str:
    """The gender of the pronoun that opens what a cue reports: "Trump said he would …"."""
    if cue.content is None:
        return ""
    doc = cue.token.doc
    for token in doc[cue.content[0]:min(cue.content[1], cue.content[0] + 4)]:
        if token.dep_ in ("nsubj", "nsubjpass") and token.pos_ == "PRON":
            return gender_of(token.lower_) or ""
    return ""


def speaker_outside(verb: Token, quotes: QuoteMarks) -> Token | None:
    """A name next to the cue and outside the quotation: 'said Marie Curie'."""
    for token in list(verb.rights) + list(verb.lefts):
        if token.dep_ in ("nsubj", "dobj", "attr", "dep") and is_name(token) and not quotes.holds(token):
            return owner_of(token)
    # '”, Flynn, a top Trump surrogate, said on “Fox and Friends.”': the parser took the
    # show's name for the subject and hung Flynn on the quotation before.
    before = name_before(verb)
    return owner_of(before) if before is not None and not quotes.holds(before) else None


# Who a news story leaves unnamed on purpose, and how it says so.
_KEPT_UNNAMED = frozenset("official officials source sources insider insiders person someone".split())
_UNNAMED_ON_PURPOSE = ("anonymity", "not authorized", "unauthorized", "declined to be named", "asked not to be")


def introduced_next(statements: list, doc, passages: list, names: Cast) -> list:
    """Statements whose speaker a paragraph's first sentence only describes, given the
    person the next sentence introduces by full name as its subject: "A former party
    chairman says … / Don Fowler told …", "Connecticut's tax commissioner says … /
    Kevin Sullivan says …" (a lede names the person one sentence later)."""
    starts = {p.start: i for i, p in enumerate(passages)}
    out = []
    for s in statements:
        i = starts.get(s.passage_start)
        described = s.mention and s.mention.lower() not in _PRONOUNS and s.speaker in (NOT_IDENTIFIED, s.mention)
        # "Senator from Texas says …": a title alone is a description too.
        bare_title = bool(s.speaker.split()) and all(w.lower() in TITLE_WORDS for w in s.speaker.split())
        if (described and s.speaker_kind in (K.ANONYMOUS, K.UNIDENTIFIED) or bare_title) and i is not None and (
                name := _introduced_after(i, s, doc, passages, names)) is not None:
            s = replace(s, speaker=name, role=names.role(name), aliases=names.aliases(name), speaker_kind=K.PERSON)
        out.append(s)
    return out


def _introduced_after(i: int, s, doc, passages: list, names: Cast) -> str | None:
    """The person a paragraph-opening sentence's next sentence introduces as its main
    subject by a full name not written before, when the description's gender fits."""
    if i > 0 and passages[i - 1].paragraph == passages[i].paragraph and not passages[i - 1].heading:
        return None  # not a paragraph's first sentence
    sentence = doc_text(doc)[passages[i].start:passages[i].end].lower()
    described = (s.mention or s.speaker).split()[-1]
    if described.lower() in _KEPT_UNNAMED or any(w in sentence for w in _UNNAMED_ON_PURPOSE):
        return None  # "a senior official", "who spoke on condition of anonymity": unnamed on purpose
    following = next((p for p in passages[i + 1:i + 3] if not p.heading), None)
    if following is None:
        return None
    span = doc.char_span(following.start, following.end, alignment_mode="expand")
    if span is None:
        return None
    subjects = [t for t in span if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT"]
    if not subjects or not is_name(named := owner_of(subjects[0])):
        return None
    name = names.canonical(named)
    words = name.split()
    if len(words) < 2 or names.source_kind(name) != K.PERSON or words[-1] in doc_text(doc)[:following.start]:
        return None  # a short name, a body, or someone already in the story
    gender = noun_gender(described)
    if gender and names.gender(name) not in ("", gender):
        return None
    return name
