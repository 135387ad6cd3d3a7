"""Factuality of an event: did it happen, as the sentence tells it, or was it refused,
planned, demanded, tried, supposed or asked about?

Read off the dependency parse at ingest by general rules of English: a negation on the
clause; a modal (`will`, `would`, `might`); a conditional marker (`if`, `unless`,
`whether`); an infinitive under a verb, noun or adjective of wanting or planning, of
trying, of calling for or of refusing (`vowed to`, `calls for X to`, `refused to`,
`likely to`); `be going to` and `be to`; a question. The classes of governing words
are the lexical semantics of English complement-taking words, not examples.

Reported speech keeps its attribution: `X said Y resigned` is Y resigning, asserted,
according to X (`source_of`).

May import: spacy (tokens only), index.who.verbs, index.text.parse_memo.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coveragebot.index.text.parse_memo import memo_of, sentence_bounds
from coveragebot.index.who.verbs import verbs_of_noun

if TYPE_CHECKING:
    from spacy.tokens import Token

ASSERTED = "asserted"
NEGATED = "negated"
HYPOTHETICAL = "hypothetical"
FUTURE = "future"
REQUESTED = "requested"
ATTEMPTED = "attempted"
QUESTION = "question"
CLASSES = (ASSERTED, NEGATED, HYPOTHETICAL, FUTURE, REQUESTED, ATTEMPTED, QUESTION)

# How each class is told in an answer's second part ("also reported as refused, ...").
LABELS = {
    NEGATED: "refused or denied", HYPOTHETICAL: "possible or conditional", FUTURE: "planned or expected",
    REQUESTED: "demanded or called for", ATTEMPTED: "attempted", QUESTION: "asked about",
}
_SHORT = {NEGATED: "refused", HYPOTHETICAL: "possible", FUTURE: "planned", REQUESTED: "demanded",
          ATTEMPTED: "attempted", QUESTION: "asked about"}


def also_heading(classes: list[str]) -> str:
    """The second part's heading: `Also reported as refused, planned or demanded, not as done`."""
    words = [_SHORT[c] for c in CLASSES if c in set(classes) and c in _SHORT] or ["not done"]
    listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
    return f"Also reported as {listed}, not as done"

# Words whose complement clause did not (yet) happen, by what they say of it. A verb's
# class also covers its nouns (`refusal`, `demand`) through the lemmatizer's tables.
_GOVERNORS: dict[str, str] = {}
for _class, _lemmas in (
    (REQUESTED, "call urge demand ask request press push pressure implore beg petition appeal lobby "
                "order tell encourage invite advise recommend insist require instruct command plead "
                "summon challenge dare persuade convince"),
    (FUTURE, "want plan intend hope aim expect wish vow pledge promise threaten plot prepare agree "
             "decide propose offer schedule mean consider contemplate aspire resolve undertake "
             "choose elect volunteer"),
    (ATTEMPTED, "try attempt seek strive struggle endeavor endeavour bid"),
    (NEGATED, "refuse decline fail reject resist neglect avoid forget deny omit cease refrain"),
):
    _GOVERNORS.update(dict.fromkeys(_lemmas.split(), _class))
# Nouns of these classes that name no verb of their own ("efforts to", "the goal of").
_NOUN_GOVERNORS = {"effort": ATTEMPTED, "goal": FUTURE, "aim": FUTURE, "objective": FUTURE,
                   "intention": FUTURE, "plan": FUTURE, "ambition": FUTURE, "campaign": ATTEMPTED,
                   "deadline": FUTURE, "ultimatum": REQUESTED, "plea": REQUESTED, "motion": REQUESTED,
                   # what may happen: "a chance of winning", "the prospect of losing"
                   "chance": HYPOTHETICAL, "possibility": HYPOTHETICAL, "prospect": HYPOTHETICAL,
                   "likelihood": HYPOTHETICAL, "odds": HYPOTHETICAL, "risk": HYPOTHETICAL}
# Adjectives before an infinitive: "set to", "due to", "about to" speak of what comes next;
# "likely to", "able to", "ready to" of what may.
_FUTURE_ADJECTIVES = {"set", "due", "about", "poised", "scheduled", "expected", "slated", "bound"}
_NEGATIVE_ADJECTIVES = {"unwilling", "reluctant", "unable", "loath", "loth"}
_MODALS = {"will": FUTURE, "shall": FUTURE, "'ll": FUTURE, "wo": FUTURE, "would": HYPOTHETICAL,
           "'d": HYPOTHETICAL, "could": HYPOTHETICAL, "might": HYPOTHETICAL, "may": HYPOTHETICAL,
           "should": HYPOTHETICAL, "must": HYPOTHETICAL, "can": HYPOTHETICAL, "ca": HYPOTHETICAL,
           "ought": HYPOTHETICAL}
_CONDITIONAL_MARKS = {"if", "unless", "whether", "lest"}
_NEGATIONS = {"not", "n't", "never", "no", "neither", "nor"}
# Verbs of saying, whose complement clause is told, not denied or wished.
_REPORTING = {"say", "tell", "report", "claim", "state", "add", "write", "allege", "confirm", "announce",
              "explain", "note", "argue", "insist", "suggest", "acknowledge", "admit", "reveal", "testify",
              "tweet", "declare", "assert", "disclose", "indicate", "recall", "complain", "warn"}
_DEPTH = 6


def factuality_of(word: Token, depth: int = 0) -> str:
    """The class of the event whose word (verb or event noun) is `word`."""
    if depth == 0 and _is_question(word):
        return QUESTION
    if word.pos_ in ("NOUN", "PROPN"):
        return _nominal(word, depth)
    own = _own_clause(word)
    if own:
        return own
    return _governed(word, depth)


def source_of(word: Token) -> Token | None:
    """Who tells the event, when it is reported speech: the subject of the saying verb
    (`X said Y resigned`) or the object of `according to`."""
    clause = word
    for _ in range(_DEPTH):
        for prep in (c for c in clause.children if c.dep_ == "prep" and c.lower_ == "according"):
            to = next((c for c in prep.children if c.lower_ == "to"), None)
            told_by = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
            if told_by is not None:
                return told_by
        if clause.dep_ in ("conj", "xcomp") and clause.head.i != clause.i:
            clause = clause.head
            continue
        if clause.dep_ == "ccomp" and clause.head.lemma_.lower() in _REPORTING:
            return next((c for c in clause.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        # "Y resigned, X said": the saying verb is parsed as the head's own clause.
        for child in clause.children:
            if child.dep_ in ("parataxis", "ccomp") and child.lemma_.lower() in _REPORTING and child.i > word.i:
                return next((c for c in child.children if c.dep_ == "nsubj"), None)
        return None
    return None


def _is_question(word: Token) -> bool:
    # The sentence the event is in asks rather than tells.
    start, end = sentence_bounds(word)
    # Every event of a sentence asks it again: answered once per sentence of a parse.
    memo = memo_of(word.doc)
    key = ("question", start)
    if memo is not None and key in memo:
        return memo[key]
    last = next((t for t in reversed(word.doc[start:end]) if not (t.is_punct and t.text != "?") and not t.is_quote), None)
    asks = last is not None and last.text == "?"
    if memo is not None:
        memo[key] = asks
    return asks


def _own_clause(verb: Token) -> str:
    """What the verb's own dependents say: not, a modal, an if, an if-clause on it."""
    # spaCy makes each child anew on every walk: the children are listed once.
    children = list(verb.children)
    auxes = [c for c in children if c.dep_ in ("aux", "auxpass")]
    if any(c.dep_ == "neg" or (c.lower_ in _NEGATIONS and c.dep_ in ("advmod", "preconj")) for c in children):
        return NEGATED
    if any(c.dep_ == "nsubj" and _nobody(c) for c in children):
        return NEGATED  # "no one released the filings", "nobody resigned"
    if any(c.dep_ == "mark" and c.lower_ in _CONDITIONAL_MARKS for c in children):
        return HYPOTHETICAL
    for aux in auxes:
        found = _MODALS.get(aux.lower_)
        if found:
            return found
    if any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children)
           for c in children):
        return HYPOTHETICAL  # "he resigns if the vote fails": the main clause of a condition
    return ""


def _nobody(subject: Token) -> bool:
    """A subject that says nobody did it: "nobody", "none", "no one", "no official"."""
    return subject.lower_ in ("nobody", "none", "nothing", "noone") or any(
        c.dep_ == "det" and c.lower_ == "no" for c in subject.children)


def _infinitive(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _governed(verb: Token, depth: int) -> str:
    """What the word the clause hangs on says of it."""
    if depth > _DEPTH:
        return ASSERTED
    head, dep = verb.head, verb.dep_
    infinitive = _infinitive(verb)
    if head.i == verb.i:
        # "for X to resign" parsed as its own root: the for-phrase's head governs it.
        if infinitive:
            return _for_subject(verb) or HYPOTHETICAL
        return ASSERTED
    if dep == "conj":
        if any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in verb.children):
            return ASSERTED if not infinitive else _governed_by(head.head, verb, depth) or ASSERTED
        return factuality_of(head, depth + 1)
    if dep == "xcomp" or (infinitive and dep in ("advcl", "acl", "ccomp", "relcl", "pcomp", "oprd")):
        found = _noun_before(verb) if infinitive else ""
        found = found or _governed_by(head, verb, depth)
        if found:
            return found
        if infinitive and dep in ("advcl", "acl", "relcl"):
            # A purpose ("troops to protect voters") or a plan on a noun: not yet done.
            return _for_subject(verb) or FUTURE
        if infinitive and any(c.dep_ == "nsubj" for c in verb.children):
            return _for_subject(verb) or HYPOTHETICAL
        # "managed to", "began to", "was forced to": as true as the verb they hang on.
        return factuality_of(head, depth + 1) if head.pos_ in ("VERB", "AUX") else ASSERTED
    if dep == "ccomp":
        governor = _word_class(head)
        if governor in (REQUESTED, FUTURE, NEGATED) and head.lemma_.lower() not in _REPORTING:
            return governor  # "demanded that he resign", "hoped that she wins"
        if _own_clause(head) == HYPOTHETICAL and head.lemma_.lower() not in _REPORTING:
            return HYPOTHETICAL
    if dep in ("acl", "ccomp") and head.pos_ == "NOUN" and any(c.dep_ == "mark" and c.lower_ == "that" for c in verb.children):
        # "a requirement that candidates release", "the demand that he resign": as the noun says.
        found = _word_class(head)
        if found:
            return found
    if dep == "pcomp" and head.dep_ == "prep" and head.head.pos_ in ("NOUN", "PROPN"):
        # "little chance of winning", "the goal of withdrawing": as the noun says.
        found = _word_class(head.head)
        if found:
            return found
    if dep == "advcl" and head.pos_ in ("VERB", "AUX") and any(
            c.dep_ == "mark" and c.lower_ in _CONDITIONAL_MARKS for c in head.children):
        return HYPOTHETICAL
    return ASSERTED


def _governed_by(head: Token, verb: Token, depth: int) -> str:
    """The class a governing verb, noun or adjective gives its complement, if any."""
    lemma = head.lemma_.lower()
    if head.pos_ in ("VERB", "AUX"):
        own = _own_clause(head)
        if own == NEGATED:
            return NEGATED  # "did not try to", "won't agree to"
        if lemma == "go" and head.tag_ == "VBG" and _infinitive(verb):
            return FUTURE  # "is going to win"
        if lemma == "be" and _infinitive(verb):
            return FUTURE  # "is to face an inquiry"
        if lemma == "have" and any(c.lower_ == "yet" for c in head.children):
            return NEGATED  # "has yet to apologize"
        found = _word_class(head)
        if found:
            return found
        return own if own and own != ASSERTED else ""
    if head.pos_ == "ADJ":
        if lemma in _NEGATIVE_ADJECTIVES:
            return NEGATED
        return FUTURE if lemma in _FUTURE_ADJECTIVES else HYPOTHETICAL
    if head.pos_ in ("NOUN", "PROPN"):
        return _word_class(head)
    return ""


def _word_class(word: Token) -> str:
    lemma = word.lemma_.lower()
    if word.pos_ in ("NOUN", "PROPN"):
        found = _NOUN_GOVERNORS.get(lemma, "")
        return found or next((_GOVERNORS[v] for v in verbs_of_noun(lemma) if v in _GOVERNORS), "")
    return _GOVERNORS.get(lemma, "")


def _noun_before(verb: Token) -> str:
    """`calls to drop out` even when the parse hangs the infinitive on the main verb."""
    to = next((c for c in verb.children if c.dep_ == "aux" and c.lower_ == "to"), None)
    before = verb.doc[to.i - 1] if to is not None and to.i > 0 else None
    if before is not None and before.lower_ == "order" and before.i > 0 and before.doc[before.i - 1].lower_ == "in":
        return FUTURE  # "in order to protect": a purpose, not an order
    if before is not None and before.pos_ == "NOUN":
        return _word_class(before)
    return ""


def _for_subject(verb: Token) -> str:
    """`calls for X to resign`: the word that `for` hangs on, when it is one of a class."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i]
    subject = subjects[-1] if subjects else None
    start = subject.left_edge.i if subject is not None else verb.i
    doc = verb.doc
    before = doc[start - 1] if start > 0 else None
    if before is None or before.lower_ != "for":
        return ""
    governor = before.head
    return _word_class(governor) or (HYPOTHETICAL if governor.i != before.i else "")


def _nominal(noun: Token, depth: int) -> str:
    """An event noun is as true as the clause it is in: `sought Brown's endorsement` was tried."""
    governor = noun.head
    if noun.dep_ == "pobj" and governor.dep_ == "prep":
        governor = governor.head  # "called for his resignation"
    if governor.i == noun.i or governor.pos_ not in ("VERB", "AUX"):
        return ASSERTED
    if noun.dep_ in ("dobj", "pobj"):
        found = _word_class(governor)
        # "sought Brown's endorsement" was tried; "rejected U.S. sanctions" rejects
        # sanctions that were imposed, so a verb of refusing says nothing of its object.
        if found and found != NEGATED:
            return found
    return factuality_of(governor, depth + 1)
