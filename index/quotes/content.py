"""What a speech cue reports: the token range of the clause, object, wish or words
before it that a cue's verb, noun or "according to" reports ("said the bridge would
reopen", "vowed to impose a tariff", "called for a ban", "<clause>, he said").

May import: index.text. `index.quotes.cues` finds the cues and their speakers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy loads only when a text is parsed, so a question starts fast
    from spacy.tokens import Doc, Span, Token

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


def reported(verb: Token) -> tuple[int, int] | None:
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
        content = trim_content(doc, start, end)
        if content and _has_clause(doc[content[0]:content[1]]):
            return content
        return None
    wish = wished(verb, rights)
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
        return trim_content(doc, obj.left_edge.i, end)
    if objects and lemma == "accuse" and verb.tag_ != "VBG":
        charges = [c for c in rights if c.dep_ == "prep" and c.lower_ == "of"]
        if charges:
            return trim_content(doc, objects[0].left_edge.i, charges[0].right_edge.i + 1)
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


def wished(verb: Token, rights: list[Token]) -> tuple[int, int] | None:
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
        return trim_content(doc, start, max(g.right_edge.i for g in goals) + 1)
    wants = [c for c in rights if c.dep_ == "prep" and c.lower_ == "for"]
    if wants and lemma in ("call", "ask", "push", "press"):
        end = wants[0].right_edge.i + 1
        if end == wants[0].i + 1:
            # "called for compensation to be “clawed back”": the parser hangs the clause
            # after "for" on the verb; what was called for runs to its end.
            clause = [c for c in rights if c.dep_ in ("ccomp", "xcomp") and c.left_edge.i == end]
            end = clause[0].right_edge.i + 1 if clause else end
        return trim_content(doc, wants[0].i + 1, end)
    return None


def labelled(verb: Token) -> tuple[int, int] | None:
    """`called the senator "a nasty guy"`: the object with what it is called."""
    rights = list(verb.rights)
    wish = wished(verb, rights)
    if wish is not None:
        return wish
    objects = [c for c in rights if c.dep_ == "dobj"]
    labels = [c for c in rights if c.dep_ in ("oprd", "xcomp", "ccomp") or (c.dep_ == "prep" and c.lower_ == "as")]
    if objects and labels and objects[0].i < labels[0].i:
        # "calling it “a gift to polluters”": a pronoun object adds nothing to read.
        first = labels[0] if objects[0].pos_ == "PRON" else objects[0]
        return trim_content(verb.doc, first.left_edge.i, max(x.right_edge.i for x in labels) + 1)
    return None


def around(verb: Token) -> tuple[int, int] | None:
    """`Within marriages, they said, women now have more say`: the clause the
    parenthetical attribution interrupts, attribution included."""
    doc = verb.doc
    head = verb.head
    left, right = verb.left_edge.i, verb.right_edge.i
    commas = (doc[left].text == "," or (left > head.left_edge.i and doc[left - 1].text == ",")) and (
        doc[right].text == "," or (right + 1 < len(doc) and doc[right + 1].text == ","))
    if not commas or left <= head.left_edge.i:
        return None
    return trim_content(doc, head.left_edge.i, head.right_edge.i + 1)


def reported_before(verb: Token, speaker: Token | None) -> tuple[tuple[int, int] | None, str]:
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
    content = trim_content(doc, sent.start, first - 1)
    own_voice = any(t.lower_ in _OWN_VOICE and t.tag_ in ("PRP", "PRP$") for t in before)
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in before)
    return content, "direct" if own_voice or not has_verb else "indirect"


def according_content(token: Token, source: Token) -> tuple[int, int] | None:
    doc = token.doc
    sent = token.sent
    end_of_phrase = source.right_edge.i + 1
    if token.i - 1 > sent.start and doc[token.i - 1].text == ",":
        return trim_content(doc, sent.start, token.i - 1)
    if token.i == sent.start and end_of_phrase < sent.end and doc[end_of_phrase].text == ",":
        return trim_content(doc, end_of_phrase + 1, sent.end)
    return None


def trim_content(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    while start < end and (doc[start].is_punct or doc[start].lower_ == "that" and start + 1 < end):
        start += 1
    while end > start and doc[end - 1].is_punct and doc[end - 1].text not in ")]":
        end -= 1
    return (start, end) if end - start >= 3 else None
