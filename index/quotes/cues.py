"""Speech cues: the words that report speech ("said", "told", "according to", "his
statement that"), who utters them, and the token range of what they report.

A cue's speaker is the token that names who spoke; turning it into a name (pronouns,
clusters, aliases) is `index.quotes.extract`' business.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dataclasses import dataclass

if TYPE_CHECKING:  # spaCy loads only when a text is parsed, so a question starts fast
    from spacy.tokens import Doc, Span, Token

from coveragebot.index.text.descriptions import is_person_noun
from coveragebot.index.text.names import DATA_NOUNS, REPRESENTATIVES, SPEECH_NOUNS, is_name

# Verbs that report speech; their clausal complement is what was said.
SPEECH_VERBS = frozenset(
    """
    say tell state remark assert claim deny emphasize emphasise indicate add note explain
    argue insist warn announce report write tweet post counter complain suggest
    acknowledge admit confirm reveal declare stress maintain contend predict reply respond
    answer recall testify concede observe reiterate repeat comment conclude allege charge
    disclose boast lament quip joke proclaim mention inform assure vow promise pledge
    threaten caution point accuse retort affirm urge ask demand tout brag shout yell
    exclaim recount advise muse opine interject whisper continue
    """.split()
)
# Verbs that put a quoted phrase in someone's mouth without reporting a clause.
LABEL_VERBS = frozenset("call describe dub label brand term characterize characterise".split())
# Verbs whose infinitive (or "for ...") is the content: "vowed to impose a tariff".
WISH_VERBS = frozenset("promise vow pledge threaten urge ask demand call press push".split())
# Verbs whose noun object is itself the content ("pointed out Colombia's status ...").
OBJECT_VERBS = frozenset(
    """
    point note cite stress emphasize emphasise mention reiterate reveal deny tweet post
    report recount acknowledge admit disclose
    """.split()
)
# Verbs whose object is the listener, not the content ("told BBC News that ...").
ADDRESSEE_VERBS = frozenset("tell inform assure remind warn advise notify urge".split())
_FINITE_TAGS = frozenset(["VBD", "VBZ", "VBP", "MD"])
# First- and second-person words mark the speaker's own voice (free direct speech).
_OWN_VOICE = frozenset("i me my mine we us our ours you your yours".split())
_RELATIVES = frozenset("who whom which that".split())


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
    if (token.pos_ in ("VERB", "AUX") or _verb_read_as_noun(token)) and lemma in SPEECH_VERBS | LABEL_VERBS:
        if lemma == "point" and not any(c.dep_ == "prt" and c.lower_ == "out" for c in token.children):
            return None
        if _negated(token) or (token.dep_ == "auxpass" or any(c.dep_ == "auxpass" for c in token.children)):
            return None
        cue = Cue(token, _speaker_token(token) or name_before(token))
        inverted = cue.speaker is not None and cue.speaker.i > token.i and cue.speaker.head == token
        if lemma in LABEL_VERBS:
            cue.content = _labelled(token)
        if lemma in SPEECH_VERBS:
            # '..., said Seqret Watson, among the dozens ...': an inverted
            # attribution closes a quotation; what follows is the writer's.
            cue.content = None if inverted else _reported(token)
            if cue.content is None and token.dep_ == "parataxis" and not inverted:
                cue.content = _around(token)
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
            cue = Cue(token, owner_of(owner[0]))
            if clauses:
                cue.content = _trim_content(token.doc, clauses[0].left_edge.i, clauses[0].right_edge.i + 1)
            return cue
        return None
    if token.lower_ == "according":
        to = [c for c in token.children if c.lower_ == "to"]
        objects = [c for c in to[0].children if c.dep_ == "pobj"] if to else []
        if objects:
            return Cue(token, owner_of(objects[0]), _according_content(token, objects[0]))
    return None


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


def _has_clause(tokens: Span) -> bool:
    return any(
        t.tag_ in _FINITE_TAGS and t.dep_ not in ("relcl", "acl", "aux", "auxpass")
        or (t.pos_ in ("VERB", "AUX") and t.dep_ in ("ccomp", "ROOT"))
        # 'the tweets were “unhinged”', 'the words “lump” the good with the bad': a
        # complement with a subject or an object of its own is a clause, whatever the
        # tagger made its head.
        or (t.dep_ == "ccomp" and any(c.dep_ in ("nsubj", "nsubjpass", "dobj") for c in t.children))
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
    # "tweeted in the early hours that Machado was …": the parser may make a that-clause
    # after an adverbial an adverbial clause; its "that" and its subject say what it is.
    parts = [c for c in rights if c.dep_ == "ccomp" or (
        c.dep_ == "advcl" and c.left_edge.lower_ == "that" and any(s.dep_ == "nsubj" for s in c.children))]
    if lemma not in ADDRESSEE_VERBS:
        objects = [c for c in rights if c.dep_ == "dobj"]
        if objects and (parts or _object_clause(objects[0])):
            parts += objects
    if parts:
        start = min(p.left_edge.i for p in parts)
        end = _without_asides(doc, start, max(p.right_edge.i for p in parts) + 1)
        content = _trim_content(doc, start, end)
        if content and _has_clause(doc[content[0]:content[1]]):
            return content
        return None
    wish = _wished(verb, rights)
    if wish is not None:
        return wish
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


# Conjunctions that open the writer's counterpoint: "…, although he again refused …".
_CONCESSIVE = frozenset("although though whereas".split())


def _without_asides(doc: Doc, start: int, end: int) -> int:
    """Where a reported clause ends before what the writer adds to it: a concession
    (", although he refused …") or a second attribution joined on (", and when pressed,
    the mother replied, …")."""
    for token in doc[start:end]:
        if not (start <= token.head.i < end) or token.left_edge.i <= start:
            continue
        concession = token.dep_ == "advcl" and doc[token.left_edge.i - 1].text == "," and any(
            c.dep_ == "mark" and c.lower_ in _CONCESSIVE for c in token.children)
        attribution = token.dep_ == "conj" and token.lemma_.lower() in SPEECH_VERBS and any(
            c.dep_ == "nsubj" for c in token.children)
        if concession or attribution:
            end = token.left_edge.i
            while end > start and (doc[end - 1].is_punct or doc[end - 1].dep_ == "cc"):
                end -= 1
            break
    return end


def _wished(verb: Token, rights: list[Token]) -> tuple[int, int] | None:
    """What a verb of promising or urging reports: "vowed to impose a tariff",
    "urged Clinton to decide", "called on the U.S. to act", "called for a ban"."""
    doc = verb.doc
    lemma = verb.lemma_.lower()
    if lemma not in WISH_VERBS:
        return None
    goals = [c for c in rights if c.dep_ == "xcomp"]
    listeners = [c for c in rights if c.dep_ == "dobj" or (c.dep_ == "prep" and c.lower_ == "on")]
    if goals:
        start = min([g.left_edge.i for g in goals] + [x.left_edge.i for x in listeners])
        start = start + 1 if doc[start].lower_ == "on" else start
        return _trim_content(doc, start, max(g.right_edge.i for g in goals) + 1)
    wants = [c for c in rights if c.dep_ == "prep" and c.lower_ == "for"]
    if wants and lemma in ("call", "ask", "push", "press"):
        end = wants[0].right_edge.i + 1
        if end == wants[0].i + 1:
            # "called for compensation to be “clawed back”": the parser hangs the clause
            # after "for" on the verb; what was called for runs to its end.
            clause = [c for c in rights if c.dep_ in ("ccomp", "xcomp") and c.left_edge.i == end]
            end = clause[0].right_edge.i + 1 if clause else end
        return _trim_content(doc, wants[0].i + 1, end)
    return None


def _labelled(verb: Token) -> tuple[int, int] | None:
    """`called the senator "a nasty guy"`: the object with what it is called."""
    rights = list(verb.rights)
    wish = _wished(verb, rights)
    if wish is not None:
        return wish
    objects = [c for c in rights if c.dep_ == "dobj"]
    labels = [c for c in rights if c.dep_ in ("oprd", "xcomp", "ccomp") or (c.dep_ == "prep" and c.lower_ == "as")]
    if objects and labels and objects[0].i < labels[0].i:
        # "calling it “a gift to polluters”": a pronoun object adds nothing to read.
        first = labels[0] if objects[0].pos_ == "PRON" else objects[0]
        return _trim_content(verb.doc, first.left_edge.i, max(x.right_edge.i for x in labels) + 1)
    return None


def _around(verb: Token) -> tuple[int, int] | None:
    """`Within marriages, they said, women now have more say`: the clause the
    parenthetical attribution interrupts, attribution included."""
    doc = verb.doc
    head = verb.head
    left, right = verb.left_edge.i, verb.right_edge.i
    commas = (doc[left].text == "," or (left > head.left_edge.i and doc[left - 1].text == ",")) and (
        doc[right].text == "," or (right + 1 < len(doc) and doc[right + 1].text == ","))
    if not commas or left <= head.left_edge.i:
        return None
    return _trim_content(doc, head.left_edge.i, head.right_edge.i + 1)


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
