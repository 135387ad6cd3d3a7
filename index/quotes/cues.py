"""Speech cues: the words that report speech ("said", "told", "according to", "his
statement that"), who utters them, and the token range of what they report (found by
`index.quotes.content`).

A cue's speaker is the token that names who spoke; turning it into a name (pronouns,
clusters, aliases) is `index.quotes.extract`' business.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dataclasses import dataclass

if TYPE_CHECKING:  # spaCy loads only when a text is parsed, so a question starts fast
    from spacy.tokens import Doc, Token

from coveragebot.index.quotes.content import (
    LABEL_VERBS,
    SPEECH_VERBS,
    according_content,
    around,
    labelled,
    reported,
    reported_before,
    trim_content,
)
from coveragebot.index.text.descriptions import is_person_noun
from coveragebot.index.text.names import DATA_NOUNS, REPRESENTATIVES, SPEECH_NOUNS, is_name
from coveragebot.index.text.parse_memo import token_mask

_RELATIVES = frozenset("who whom which that".split())
_CUE_VERBS = SPEECH_VERBS | LABEL_VERBS  # asked of every token: joined once


@dataclass
class Cue:
    """A word that reports speech, the token naming its speaker, and what it reports."""

    token: Token
    speaker: Token | None
    content: tuple[int, int] | None = None  # token range of reported words
    kind: str = "indirect"
    name: str | None = None  # resolved canonical speaker
    mention: str = ""  # the speaker as written when not a name: "he", "the mayor"
    source: str = "person"  # what the speaker is (index.people.kinds): person, outlet, document, ...


def _negated(token: Token) -> bool:
    # '"Probably not," Ms. Moore said': the parser may hang a quotation's last word on the
    # verb after it; a "not" cut off from the verb by punctuation negates the quotation.
    doc = token.doc
    return any(
        c.dep_ == "neg" and not any(t.is_punct for t in doc[min(c.i, token.i) + 1:max(c.i, token.i)])
        for c in token.children
    )


def cue_of(token: Token) -> Cue | None:
    """The speech cue `token` is, if any: a speech or label verb, a speech noun, "according to"."""
    lemma = token.lemma_.lower()
    if lemma in _CUE_VERBS and (token.pos_ in ("VERB", "AUX") or _verb_read_as_noun(token)):
        if lemma == "point" and not any(c.dep_ == "prt" and c.lower_ == "out" for c in token.children):
            return None
        if _negated(token) or (token.dep_ == "auxpass" or any(c.dep_ == "auxpass" for c in token.children)):
            return None
        cue = Cue(token, _speaker_token(token) or name_before(token))
        inverted = cue.speaker is not None and cue.speaker.i > token.i and cue.speaker.head == token
        if lemma in LABEL_VERBS:
            cue.content = labelled(token)
        if lemma in SPEECH_VERBS:
            # '..., said Seqret Watson, among the dozens ...': an inverted
            # attribution closes a quotation; what follows is the writer's.
            cue.content = None if inverted else reported(token)
            if cue.content is None and token.dep_ == "parataxis" and not inverted:
                cue.content = around(token)
            if cue.content is None:
                cue.content, cue.kind = reported_before(token, cue.speaker)
        return cue
    if token.lower_ in SPEECH_NOUNS and token.pos_ == "NOUN":
        owner = [c for c in token.children if c.dep_ == "poss"]
        clauses = [
            c for c in token.children
            if c.dep_ in ("acl", "ccomp") and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
        ]
        if owner:
            cue = Cue(token, owner_of(owner[0]))
            if clauses:
                cue.content = trim_content(token.doc, clauses[0].left_edge.i, clauses[0].right_edge.i + 1)
            return cue
        return None
    if token.lower_ == "according":
        to = [c for c in token.children if c.lower_ == "to"]
        objects = [c for c in to[0].children if c.dep_ == "pobj"] if to else []
        if objects:
            return Cue(token, owner_of(objects[0]), according_content(token, objects[0]))
    return None


def cue_positions(doc: Doc) -> list[int]:
    """The tokens, in order, that `cue_of` may find a cue at (a speech or label verb's lemma,
    a speech noun, "according"): read from the parse's arrays, so no other token is asked."""
    import numpy  # spaCy's own dependency, loaded with it

    verbs = token_mask(doc, "LEMMA", lambda lemma: lemma.lower() in _CUE_VERBS)
    nouns = token_mask(doc, "LOWER", lambda lower: lower in SPEECH_NOUNS or lower == "according")
    return numpy.flatnonzero(verbs | nouns).tolist()


def _verb_read_as_noun(token: Token) -> bool:
    """"But Trump claims that he …" tagged as the noun "claims": a sentence's head with a
    subject and a clause of its own is a verb."""
    return token.pos_ == "NOUN" and token.dep_ == "ROOT" and any(c.dep_ == "nsubj" for c in token.children) and any(
        c.dep_ == "ccomp" for c in token.children)


def _speaker_token(verb: Token) -> Token | None:
    """The token naming who uttered `verb`, walking up from participles and conjuncts."""
    current = verb
    gerund = False  # reached through "after saying", "for saying": the main clause's subject did
    for _ in range(4):
        if current.lemma_.lower() == "quote":
            # "papers quote Salinas as saying": the quoted person speaks.
            quoted = [c for c in current.children if c.dep_ in ("dobj", "nsubjpass")]
            return owner_of(quoted[0]) if quoted else None
        subjects = [c for c in current.children if c.dep_ in ("nsubj", "agent")]
        if subjects:
            # The subject nearest the verb: "A paradox ..., he asserted" -> he.
            subject = min(subjects, key=lambda s: abs(s.i - current.i))
            if subject.dep_ == "agent":
                objects = [c for c in subject.children if c.dep_ == "pobj"]
                return owner_of(objects[0]) if objects else None
            return owner_of(subject)
        if any(c.dep_ == "nsubjpass" for c in current.children):
            # "After saying her foot was swollen, she was rushed to hospital": she said it.
            passive = [c for c in current.children if c.dep_ == "nsubjpass"]
            return owner_of(passive[0]) if gerund else None
        if current.dep_ in ("advcl", "xcomp", "conj") and current.head.pos_ in ("VERB", "AUX"):
            if current.dep_ == "xcomp" and current.head.lemma_.lower() in ("decline", "refuse"):
                return None
            if current.dep_ == "xcomp":
                # "The senator forced Stumpf to admit …": the one made to speak speaks.
                objects = [c for c in current.head.children if c.dep_ == "dobj" and c.i < current.i]
                made = [c for c in objects
                        if c.ent_type_ == "PERSON" or c.pos_ == "PROPN" or c.lower_ in ("him", "her", "them")]
                # "The ad uses footage of Hillary Clinton asking, “…”": she is shown speaking.
                made += [p for c in objects for of in c.children if of.dep_ == "prep" and of.lower_ == "of"
                         for p in of.children if p.dep_ == "pobj" and p.ent_type_ == "PERSON"]
                if made:
                    return owner_of(made[0])
            current = _clause_that_speaks(current)
        elif current.dep_ == "pcomp" and current.head.pos_ == "ADP" and current.head.dep_ in ("prep", "conj") and (
                current.head.head.pos_ == "VERB"):
            # "… and for saying that …": a preposition joined to another hangs on the verb too.
            current, gerund = current.head.head, True
        elif current.dep_ == "acl" and current.head.pos_ in ("NOUN", "PROPN"):
            noun = current.head
            owner = [c for c in noun.children if c.dep_ == "poss"]
            if owner:
                return owner_of(owner[0])
            if noun.lower_ not in SPEECH_NOUNS or noun.head.pos_ not in ("VERB", "AUX"):
                return None
            # "Amazon released a statement saying ...": the statement's maker speaks.
            current = noun.head
        else:
            return None
    return None


def _clause_that_speaks(participle: Token) -> Token:
    """The verb whose subject a subjectless participle ("…, claiming that …") takes.

    Its parser head, unless that verb's subject is a thing that cannot speak ("The
    reference refers to the case the Department of Justice leveled, claiming …") and a
    verb in between has a named subject: the participle then belongs to that clause.
    """
    head = participle.head
    if participle.dep_ != "advcl" or participle.tag_ != "VBG" or _can_speak(_subject_of(head)):
        return head
    low, high = sorted((head.i, participle.i))
    between = [t for t in participle.doc[low + 1:high] if t.pos_ in ("VERB", "AUX") and t.dep_ in ("relcl", "ccomp")]
    for verb in reversed(between):
        subject = _subject_of(verb)
        if subject is not None and is_name(subject):
            return verb
    return head


def _subject_of(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ == "nsubj"), None)


def _can_speak(subject: Token | None) -> bool:
    # No subject at all: nothing better to choose. A pronoun, a name or a person noun speaks.
    if subject is None or subject.pos_ == "PRON" or is_name(subject) or subject.ent_type_:
        return True
    return is_person_noun(subject) or subject.lower_ in REPRESENTATIVES


def name_before(verb: Token) -> Token | None:
    """A subjectless cue's speaker from the words just before it: in '”, Flynn, a
    top Trump surrogate, said' the parser may hang Flynn on the quotation."""
    if any(c.dep_ in ("nsubjpass", "csubj") for c in verb.children) or verb.tag_ not in ("VBD", "VBZ", "VBP"):
        return None
    doc = verb.doc
    for i in range(verb.i - 1, max(verb.sent.start, verb.i - 12) - 1, -1):
        token = doc[i]
        if token.is_quote or token.text in ".!?;":
            break
        if token.pos_ == "PROPN" and token.ent_type_ == "PERSON" and token.head.i < token.i or (
            token.pos_ == "PROPN" and token.ent_type_ == "PERSON" and doc[i - 1].is_quote
        ):
            return token
    return None


def owner_of(token: Token) -> Token:
    """Who is behind a subject: the noun a relative pronoun stands for, a
    statement's author, the body a spokesman speaks for, an apposed name."""
    if token.lower_ in _RELATIVES and token.head.dep_ == "relcl":
        relative = token
        token = token.head.head
        # "… Patti LaBelle and Stevie Wonder, who joked": the clause after a list speaks
        # of the name just before it, wherever the parser hung it.
        listed = [t for t in token.subtree if t.dep_ == "conj" and t.i < relative.i and t.pos_ == token.pos_]
        if listed and listed[-1].i > token.i and all(t.is_punct for t in token.doc[listed[-1].i + 1:relative.i]):
            token = listed[-1]
    lower = token.lower_
    if lower in SPEECH_NOUNS:
        for child in token.children:
            if child.dep_ == "relcl":
                # "a speech Mrs. Clinton delivered": the clause names who made it.
                makers = [c for c in child.children if c.dep_ == "nsubj" and is_name(c)]
                if makers:
                    return makers[0]
            if child.dep_ == "poss" or (child.dep_ in ("compound", "nmod") and is_name(child)):
                return owner_of(child)
            if child.dep_ == "prep" and child.lower_ in ("from", "by", "of") and lower not in DATA_NOUNS:
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if objects:
                    return owner_of(objects[0])
    if lower in REPRESENTATIVES:
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in ("for", "of", "from", "at"):
                # A spokesman speaks for a body; a person's spokeswoman is someone else.
                objects = [c for c in child.children if c.dep_ == "pobj" and is_name(c) and c.ent_type_ != "PERSON"]
                if objects:
                    return objects[0]
            if child.dep_ == "compound" and is_name(child):
                return child
    if token.pos_ == "NOUN" or token.lower_ == "one":  # "one of the family's attorneys, Justin Bamberg,"
        apposed = [c for c in token.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
        # "His guest, the actress and activist Kamala Lopez,": the name closes the apposition.
        apposed += [c for a in token.children if a.dep_ == "appos" and a.pos_ == "NOUN"
                    for c in a.children if c.dep_ == "conj" and c.pos_ == "PROPN" and c.ent_type_ == "PERSON"]
        if apposed:
            return apposed[0]
    return token


def cue_phrase(cue: Cue) -> str:
    """The cue word with its short complement: `told cheering crowds in Bogotá`."""
    token = cue.token
    doc = token.doc
    if token.lower_ == "according":
        return doc[token.i:token.right_edge.i + 1].text
    end = token.i + 1
    limit = cue.content[0] if cue.content and cue.content[0] > token.i else None
    for child in token.rights:
        if child.dep_ not in ("prt", "dobj", "dative", "prep", "agent", "npadvmod") or child.left_edge.i != end:
            break
        if limit is not None and child.right_edge.i >= limit:
            break
        if child.dep_ == "dobj" and cue.content and child.i >= cue.content[0]:
            break
        end = child.right_edge.i + 1
    while end > token.i + 1 and doc[end - 1].is_punct:
        end -= 1
    return doc[token.i:end].text
