"""Events read off the dependency parse: the event word, its agents, its action and
target phrases, and the stems it is found under.

A verb event ("the court issued a ruling") takes its subject as agent, each coordinated
subject as another; where it has none it borrows one by control: the main clause's
subject ("decided to impose", "while wearing"), the object of urge/persuade ("urged
staff to pray"), the owner of a plan ("her decision to appear"), the one fined or
accused ("fined for damaging"). A light verb with an event noun ("imposed sanctions")
is keyed under the noun too; a nominal event ("the Treasury's sanctions") counts only
with a named possessor, a named-body compound or a by-phrase. Gerund
subjects, dates and numbers as subjects and purpose nouns ("the objective is to") yield
no agent. Names are settled later, in `index.who.extract`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dataclasses import dataclass

if TYPE_CHECKING:  # spaCy loads only when a text is parsed, so a question starts fast
    from spacy.tokens import Token

from coveragebot.index.text.names import SPEECH_NOUNS
from coveragebot.index.text.analyzer import fold, stem
from coveragebot.index.who.doers import is_body_noun, is_doer_noun
from coveragebot.index.who.phrases import child_of, prep_child, subtree
from coveragebot.index.who.verbs import LIGHT_VERBS, verbs_of_noun

_SUBJECT = {"nsubj", "csubj"}
_PASSIVE_SUBJECT = {"nsubjpass", "csubjpass"}
_TARGET_PREPS = {"against", "on", "upon", "over", "onto", "at"}
RELATIVE = {"who", "which", "that", "whom", "whose"}
AGENT_ENTS = {"PERSON", "ORG", "GPE"}
# Prepositions after which a gerund shares the subject of the main clause
# ("contracted the disease after working ..."); "of" does not ("accused him of failing").
_SUBJECT_CONTROL_PREPS = {"after", "before", "while", "since", "by", "despite", "without", "upon", "when", "in"}
# Prepositions that introduce the subject of an infinitive ("for X to go", "on X to go").
_INTRODUCING_PREPS = {"for", "on", "upon"}
_AUXILIARY = {"aux", "auxpass"}
_DASHES = {"--", "—", "–"}
# Subordinators after which a participle shares the main clause's subject
# ("showed him committing the thefts while wearing a backpack").
_SUBJECT_CONTROL_MARKS = {"while", "when", "whilst", "after", "before", "since", "until", "once", "by", "without", "though", "although", "if"}
# Verbs whose subject, not object, does the infinitive ("promised them to return").
_SUBJECT_CONTROL_VERBS = {"promise", "vow", "pledge", "threaten", "offer"}
# Verbs of making or putting out a text, a law or an image: what it says or does is its maker's
# ("wrote an editorial lambasting X", "signed an order banning Y").
_MAKING_VERBS = {"write", "publish", "issue", "release", "sign", "pass", "unveil", "introduce", "draft",
                 "produce", "make", "post", "air", "broadcast", "launch", "file", "submit", "propose",
                 "adopt", "enact", "print", "run", "send", "tweet", "share", "create", "build"}
# Nouns naming a purpose: "the objective is to reach" says nothing about who reaches.
PURPOSE_NOUNS = {"objective", "goal", "aim", "intention", "intent", "plan", "purpose", "idea", "mission",
                 "task", "job", "priority", "strategy", "ambition", "hope", "wish", "dream", "target",
                 "attempt", "effort", "way", "chance", "bid", "decision", "order"}
# Nouns that count: "an increasing number" is no one increasing.
QUANTITY_NOUNS = {"number", "amount", "share", "percentage", "proportion", "rate", "level", "count",
                  "total", "majority", "minority", "part", "portion", "degree", "range"}
# Entities that date or count an event and never do it ("April 25 saw", "30% watched").
NOT_DOERS = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}


@dataclass
class Event:
    """What the parse says about one event word, before names are settled."""

    word: Token
    agents: list[Token | None]  # None: an agentless passive
    passive: bool
    kind: str
    action: list[Token]
    target: list[Token]
    event_nouns: list[Token]


def event_at(token: Token) -> Event | None:
    """The event `token` is the word of, if it is one: a verb (not "be") or an event noun."""
    pos = token.pos_
    # Asked of every token: the part of speech rules most out before the lemma is read.
    if pos not in ("VERB", "AUX", "NOUN") or token.lemma_ == "be":
        return None
    if pos == "VERB" or (pos == "AUX" and token.dep_ not in _AUXILIARY):
        # "France has civil unions", "they did": a main-verb have/do tagged AUX.
        return _verbal(token)
    if pos == "NOUN":
        return _nominal(token)
    return None


def event_keys(word: Token, event_nouns: list[Token]) -> tuple[str, ...]:
    """Stems an event is found under: the word itself, and any event noun it carries."""
    keys = [stem(fold(word.text)), stem(fold(word.lemma_))]
    for noun in event_nouns:
        keys += [stem(fold(noun.text)), stem(fold(noun.lemma_))]
        keys += [stem(v) for v in verbs_of_noun(fold(noun.lemma_))]
    if word.pos_ == "NOUN":
        keys += [stem(v) for v in verbs_of_noun(fold(word.lemma_))]
    return tuple(dict.fromkeys(k for k in keys if k))


def _verbal(verb: Token) -> Event | None:
    # A negated verb is an event too, stored as negated (index.who.factuality).
    subject, passive = _clause_subject(verb)
    if verb.dep_ in ("acl", "relcl") and verb.tag_ == "VB" and subject is None and _infinitive(verb):
        # An infinitive on a noun: "her decision to appear" (she appears), "troops to
        # protect voters" (the troops), "measures to support business" (whoever took them).
        subject = _owner(verb.head) or (verb.head if _stands_for_doer(verb.head) else _intender(verb.head))
    elif verb.dep_ == "acl":
        # A participle on a noun: "the ruling issued by the court" (passive) or
        # "Petro, seeking re-election" (active, only when the noun is a name).
        if verb.tag_ == "VBN":
            subject, passive = verb.head, True
        elif verb.tag_ == "VB" and subject is None:
            subject = _intender(verb.head)  # "her decision to appear": she appears
        elif subject is None and verb.head.lemma_.lower() in PURPOSE_NOUNS:
            subject = _intender(verb.head)  # "explain his decision saying": he says
        elif subject is None and verb.head.pos_ in ("PROPN", "NOUN", "PRON"):
            # "medical personnel, some with stretchers, waiting": the noun acts; a thing
            # someone made does it through its maker ("Mensch wrote an editorial lambasting").
            subject = _maker(verb.head) or _referent(verb.head)
    elif verb.dep_ == "amod" and verb.tag_ == "VBG" and verb.head.pos_ in ("NOUN", "PROPN") \
            and verb.head.lemma_.lower() not in QUANTITY_NOUNS:
        subject = _referent(verb.head)  # "one weeping woman": the woman weeps
    elif verb.dep_ == "amod" and verb.tag_ in ("VBN", "VBD") and _named_modifier(verb) is not None:
        subject, passive = verb.head, True  # "a NATO-led mission": NATO leads it
    if not passive and verb.tag_ == "VBN" and _by_agent(verb) is not None and not any(
            c.dep_ in _SUBJECT or c.dep_ in _AUXILIARY for c in verb.children):
        # "finished second, followed by Hamlin": a bare participle with a by-phrase is passive.
        subject, passive = None, True
    if subject is None and not passive and verb.tag_ in ("VBD", "VBZ", "VBP"):
        subject = _name_before(verb)
    if subject is not None and subject.lower_ in RELATIVE:
        subject = _antecedent(subject, verb)
    if subject is not None:
        subject = _past_dateline(subject)
    if subject is not None and subject.ent_type_ in NOT_DOERS:
        # "only 13% of Cook Island Maori watched": the people counted do it.
        of = prep_child(subject, {"of"})
        counted = child_of(of, "pobj") if of is not None else None
        if counted is not None and counted.ent_type_ not in NOT_DOERS and is_doer_noun(counted):
            subject = counted
    if subject is not None and subject.ent_type_ in NOT_DOERS and subject.lower_ != "old":
        return None  # "the 24-year-old" is a person, though tagged as a date
    if passive:
        by = _by_agent(verb) or (_named_modifier(verb) if verb.dep_ == "amod" else None)
        if by is None and verb.dep_ in ("acl", "amod", "oprd"):
            return None  # "minutes played", "the flag lowered": a description, no clause
        agents: list[Token | None] = _with_conjuncts(by) if by is not None else [None]
        patient = subject
    else:
        if subject is None or subject.pos_ in ("VERB", "AUX") or subject.dep_ == "csubj":
            return None  # a gerund subject ("Imposing sanctions ... has occurred") is generic
        if subject.lemma_.lower() in SPEECH_NOUNS and subject.pos_ == "NOUN":
            subject = _author(subject) or subject
        agents, patient = _with_conjuncts(subject), None
    obj = patient if passive else child_of(verb, "dobj")
    event_nouns = []
    if verb.lemma_.lower() in LIGHT_VERBS and obj is not None and obj.pos_ == "NOUN" and verbs_of_noun(obj.lemma_):
        event_nouns = [obj] + [c for c in obj.children if c.dep_ == "conj" and c.pos_ == "NOUN"]
    action = [verb] + [c for c in verb.children if c.dep_ == "prt"]
    if event_nouns:
        noun = event_nouns[0]
        prep, target = _event_target(noun, verb)
        if not passive:
            action += [c for c in noun.lefts if c.dep_ in ("det", "amod", "compound", "nummod")] + [noun]
        return Event(verb, agents, passive, "light", action + prep, target, event_nouns)
    if obj is not None:
        target = subtree(obj)
    else:
        prep = prep_child(verb, _TARGET_PREPS)
        target = subtree(child_of(prep, "pobj")) if prep is not None else []
        if target:
            action.append(prep)
    return Event(verb, agents, passive, "verb", action, target, [])


def _with_conjuncts(agent: Token) -> list[Token | None]:
    """An agent and the agents coordinated with it: "Hamlin and Matt Kenseth" are two."""
    out: list[Token | None] = [agent]
    for token in agent.subtree:
        if token.dep_ == "conj" and token.head in out and token.pos_ in ("NOUN", "PROPN") \
                and token.ent_type_ not in NOT_DOERS:
            out.append(token)
    return out


def _referent(noun: Token) -> Token:
    """Whom a noun describes: "Djoko, acting head of ..." is Djoko; "X was the leading
    scorer" is X."""
    if noun.dep_ == "appos" and noun.head.pos_ in ("NOUN", "PROPN", "PRON") and _past_dateline(noun.head).i != noun.i:
        return noun.head
    if noun.dep_ == "attr" and noun.head.lemma_ == "be":
        subject = child_of(noun.head, "nsubj")
        if subject is not None:
            return subject
    return noun


def _past_dateline(noun: Token) -> Token:
    """ "London, England -- The home team lost": a dateline's place, parsed as the subject,
    stands for the noun after its dash."""
    if noun.ent_type_ not in ("GPE", "LOC"):
        return noun
    dash = next((c for c in noun.children if c.text in _DASHES and c.i > noun.i), None)
    after = next((c for c in noun.children if c.dep_ == "appos" and dash is not None and c.i > dash.i), None)
    return after if after is not None else noun


def _author(noun: Token) -> Token | None:
    """Who wrote or made a statement, survey or report a noun names, if the text says."""
    owner = child_of(noun, "poss")
    if owner is not None and owner.pos_ != "PRON" and owner.ent_type_ not in NOT_DOERS:
        return owner  # "Obama's statement", not "today's address"
    for prep in (c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("from", "by", "of")):
        source = child_of(prep, "pobj")
        if source is not None and (source.ent_type_ in AGENT_ENTS or source.pos_ == "PROPN"):
            return source
    for clause in (c for c in noun.children if c.dep_ in ("acl", "relcl")):
        by = _by_agent(clause)
        if by is not None:
            return by  # "a survey which was released by Markit Economics"
    if noun.dep_ == "dobj" and noun.head.pos_ == "VERB":
        subject, patient = _clause_subject(noun.head, 1)
        if subject is not None and not patient and subject.lemma_.lower() not in SPEECH_NOUNS:
            return subject  # "Obama gave a statement condemning the attack"
    return None


def _maker(thing: Token) -> Token | None:
    """Who made or put out a thing that is their clause's object: "wrote an editorial"."""
    if thing.dep_ != "dobj" or thing.pos_ != "NOUN" or is_doer_noun(thing) \
            or thing.head.lemma_.lower() not in _MAKING_VERBS:
        return None  # "police found a car carrying explosives": finding makes nothing
    subject, patient = _clause_subject(thing.head, 1)
    return subject if subject is not None and not patient and is_doer_noun(subject) else None


def _infinitive(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _stands_for_doer(noun: Token) -> bool:
    """A person or body noun an infinitive can say what it does: "the first woman to climb"."""
    return noun.pos_ in ("NOUN", "PROPN") and noun.lemma_.lower() not in PURPOSE_NOUNS and is_doer_noun(noun)


def _owner(noun: Token) -> Token | None:
    """Whose plan, power or effort a noun is, when the phrase says: "her decision", "an
    attempt by X", "the authority of any governor", "government efforts"."""
    owner = child_of(noun, "poss")
    if owner is not None:
        return owner
    by = prep_child(noun, {"by"})
    if by is not None and child_of(by, "pobj") is not None:
        return child_of(by, "pobj")
    of = prep_child(noun, {"of"})
    owner = child_of(of, "pobj") if of is not None else None
    if owner is not None and is_doer_noun(owner) and owner.ent_type_ not in NOT_DOERS:
        return owner
    owner = next((c for c in noun.lefts if c.dep_ == "compound" and is_body_noun(c)), None)
    if owner is not None and owner.ent_type_ not in NOT_DOERS:
        return owner
    return None


def _intender(noun: Token, patient_ok: bool = False) -> Token | None:
    """Who would carry out the plan a noun names: "her decision to", "an attempt by X to"."""
    owner = _owner(noun)
    if owner is not None:
        return owner
    governor = noun.head.head if noun.dep_ == "pobj" and noun.head.dep_ == "prep" else noun.head
    for _ in range(2):
        # "comes to the tournament with the goal of", "announced a package of measures
        # to": up through the nouns to the clause.
        if governor.pos_ in ("NOUN", "PROPN") and governor.dep_ == "pobj" and governor.head.dep_ == "prep":
            governor = governor.head.head
        elif governor.pos_ in ("NOUN", "PROPN") and governor.dep_ == "dobj" and noun.dep_ == "pobj":
            governor = governor.head
    if noun.dep_ in ("dobj", "pobj") and governor.pos_ in ("VERB", "AUX"):
        # "made a decision to", "in an attempt to": the clause's subject intends it.
        subject, patient = _clause_subject(governor, 1)
        return None if patient and not patient_ok else subject
    return None


def _antecedent(relative: Token, verb: Token) -> Token | None:
    """The noun a relative pronoun stands for: the head of its clause, else the noun before it."""
    if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head
    before = relative.doc[relative.i - 1] if relative.i > 0 else None
    if before is not None and before.is_punct and relative.i > 1:
        before = relative.doc[relative.i - 2]
    if before is not None and before.pos_ in ("NOUN", "PROPN"):
        return before  # "tied with Brazil who moved up", relative clause misattached
    return None


def _nominal(noun: Token) -> Event | None:
    if not verbs_of_noun(noun.lemma_):
        return None
    agent = None
    by = prep_child(noun, {"by"})
    if by is not None:
        agent = child_of(by, "pobj")
        if agent is not None and agent.ent_type_ in ("DATE", "TIME"):
            agent = None
    if agent is None:
        # Only a named possessor: "her mother", "the killer's house" are no events.
        agent = child_of(noun, "poss")
        if agent is not None and agent.pos_ != "PROPN" and not agent.ent_type_:
            agent = None
    if agent is None and noun.dep_ in ("nmod", "compound") and child_of(noun, "cc") is not None:
        # "Headley's scouting and information gathering": the owner of the pair, parsed on the last.
        agent = child_of(noun.head, "poss")
        if agent is not None and agent.pos_ != "PROPN" and not agent.ent_type_:
            agent = None
    if agent is None:
        # "U.S. sanctions": a named body or person as a compound is the agent.
        agent = next((c for c in noun.lefts if c.dep_ == "compound" and c.ent_type_ in AGENT_ENTS), None)
    if agent is None or noun.ent_type_:
        return None  # "the state department" names a body, not an event
    prep, target = _event_target(noun, None)
    left = [c for c in noun.lefts if c.dep_ in ("det", "amod", "compound", "poss") and c.i < noun.i]
    action = [t for c in left for t in c.subtree] + [noun] + prep
    return Event(noun, [agent], False, "nominal", action, target, [noun])


def _clause_subject(verb: Token, depth: int = 0) -> tuple[Token | None, bool]:
    """(subject, is it the patient) of a verb, borrowed from the clause it hangs on."""
    children = list(verb.children)  # spaCy makes each child anew on every walk: listed once
    own_passive = any(c.dep_ == "auxpass" for c in children)
    # Two subjects are a misparse of "called for X to resign": the one nearest the verb.
    for child in sorted(children, key=lambda c: abs(verb.i - c.i)):
        if child.dep_ in _SUBJECT:
            return child, own_passive
        if child.dep_ in _PASSIVE_SUBJECT:
            return child, True
    head = verb.head
    introduced = _introduced_subject(verb)
    if introduced is not None:
        return introduced, own_passive
    if depth > 5 or head is verb:
        return None, own_passive
    if verb.dep_ == "conj" and head.pos_ in ("VERB", "AUX"):
        # "Apple fought on and is appealing": conjoined verbs share the subject;
        # a bare participle also shares a passive ("was arrested and charged").
        if not any(t.dep_ == "cc" and t.head.i == head.i for t in verb.doc[head.i:verb.i]):
            # No "and" between them: a conjunct only by misparse ("grew as X, the
            # operator, announced"): a name right before the verb is its subject.
            named = _name_before(verb)
            if named is not None:
                return named, own_passive
        subject, passive = _clause_subject(head, depth + 1)
        shares_passive = passive and verb.tag_ == "VBN" and not child_of(verb, "aux")
        return subject, own_passive or shares_passive
    if verb.tag_ in ("VBD", "VBZ", "VBP") and verb.dep_ in ("advcl", "ccomp", "parataxis") \
            and head.pos_ in ("VERB", "AUX") and not child_of(verb, "mark") and not child_of(verb, "expl"):
        # A finite verb has a subject; where the parse lost it ("suspended the whip
        # (expelled her from the party)"), it is the clause's it hangs on, as for "and".
        borrowed = _name_before(verb) or _clause_subject(head, depth + 1)[0]
        return (borrowed if borrowed is not None and is_doer_noun(borrowed) else None), own_passive
    if verb.dep_ == "xcomp" and head.lemma_ not in _SUBJECT_CONTROL_VERBS:
        obj = child_of(head, "dobj")
        if obj is not None and obj.pos_ in ("NOUN", "PROPN", "PRON"):
            # "urged staff to pray", "persuade the government to scrap": the object acts.
            return obj, own_passive
    if verb.dep_ == "xcomp" and head.pos_ == "ADJ" and head.dep_ in ("acomp", "oprd"):
        # "were more likely to consume": the subject of the clause the adjective is in.
        head = head.head
    mark = child_of(verb, "mark")
    controlled_advcl = verb.dep_ == "advcl" and (
        ((verb.tag_ == "VBG" or _perfect_participle(verb)) and (mark is None or mark.lower_ in _SUBJECT_CONTROL_MARKS))
        or (verb.tag_ == "VB" and mark is None and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children))
    )
    if verb.dep_ == "xcomp" or controlled_advcl:
        # "decided to impose", ", accusing them of", "while wearing", "to help bring":
        # the main clause's subject acts.
        subject, patient = _clause_subject(head, depth + 1)
        if patient and verb.dep_ == "advcl" and mark is None:
            # "MH17 was shot down, killing all on board": a passive's subject suffered
            # the action; whoever did the participle is not stated in the clause. A
            # marked adjunct is the subject's own doing: "was stabbed while teaching".
            return None, own_passive
        if subject is not None and subject.lower_ == "it" and verb.tag_ == "VB":
            return None, own_passive  # "it was beautiful to watch": "it" stands for the clause
        if subject is not None and subject.lemma_.lower() in PURPOSE_NOUNS:
            # "The objective is to reach the final": whose objective, if said.
            return child_of(subject, "poss"), own_passive
        return subject, own_passive
    if verb.dep_ == "pcomp" and (verb.tag_ == "VBG" or _perfect_participle(verb)):
        return _gerund_doer(verb, head, depth), own_passive
    if depth > 0 and verb.dep_ in ("acl", "relcl") and verb.tag_ == "VB" and _infinitive(verb):
        # Asked for a clause joined to it: "plans to boost the market, as well as stating".
        return _owner(head) or (head if _stands_for_doer(head) else _intender(head)), False
    if depth > 0 and verb.dep_ == "acl" and verb.tag_ in ("VBG", "VBN") and head.pos_ in ("NOUN", "PROPN", "PRON"):
        # Asked for a clause under it: "personnel waiting to treat casualties", "departments
        # involved in investigating" -- the noun the participle describes does that clause.
        return _referent(head), False
    return None, own_passive


def _charged(noun: Token) -> Token | None:
    """The person a verb acts on "with" or "of" a noun: "charged X with counts of", "accused
    X of acts of" -- the noun names what X is said to have done."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ not in ("with", "of", "for") or prep.head.pos_ != "VERB":
        return None
    obj = child_of(prep.head, "dobj")
    if obj is None or obj.ent_type_ in NOT_DOERS or not is_doer_noun(obj):
        return None
    return obj


def _perfect_participle(verb: Token) -> bool:
    """ "having finished second": a participle clause in the perfect, like "finishing"."""
    return verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lower_ == "having" for c in verb.children)


def _introduced_subject(verb: Token) -> Token | None:
    """The subject an infinitive's clause states with for/on: "called for the president to
    attend", "we call on the governor to step down". Only a person or body: "waited for
    hours to see" and "applied for visas to travel" name no doer."""
    to = next((c for c in verb.children if c.dep_ == "aux" and c.lower_ == "to"), None)
    if to is None or to.i == 0:
        return None
    token = verb.doc[to.i - 1]
    # Up from the last word before "to" to the for/on phrase that ends there.
    while not (token.dep_ == "pobj" and token.head.lower_ in _INTRODUCING_PREPS):
        # spaCy makes a new Token on every access: compare positions, never identity.
        if token.head.i == token.i or token.head.right_edge.i != to.i - 1:
            return None
        token = token.head
    return token if is_doer_noun(token) and token.ent_type_ not in NOT_DOERS else None


def _gerund_doer(verb: Token, prep: Token, depth: int) -> Token | None:
    """Who does a gerund after a preposition: "fined for damaging a reef" (the fined),
    "accused him of failing" (him), "the goal of securing a medal" (whose goal)."""
    governor = prep.head
    while governor.pos_ in ("ADJ", "ADV") and governor.dep_ in ("acomp", "advmod", "oprd") and governor.head is not governor:
        governor = governor.head  # "pro-active in preparing", "looks forward to working"
    if governor.pos_ in ("NOUN", "PROPN") and prep.lower_ == "of":
        accused = _charged(governor)
        if accused is not None:
            return accused  # "charged X with two counts of stealing": X stole
        if governor.dep_ == "dobj" and governor.lemma_.lower() not in PURPOSE_NOUNS and is_doer_noun(governor):
            return governor  # "accused the mayor of hiding": the mayor hid; not "the method of"
        return _intender(governor, patient_ok=True)
    if governor.pos_ not in ("VERB", "AUX"):
        return None
    # "accused him of lying": the object did it; after a passive the object is a sum or
    # a term ("were fined 384,000 PHP for damaging"), and the one fined is its subject.
    obj = child_of(governor, "dobj") if child_of(governor, "nsubjpass") is None else None
    if obj is not None and obj.ent_type_ not in NOT_DOERS and prep.lower_ in ("of", "for", "with", "from"):
        return obj
    if prep.lower_ in _SUBJECT_CONTROL_PREPS or prep.lower_ in ("for", "to", "about", "on", "at", "of", "with", "from"):
        # The passive's subject did it too: "was fined for damaging a reef".
        subject, _ = _clause_subject(governor, depth + 1)
        return subject
    return None


def _event_target(noun: Token, verb: Token | None) -> tuple[list[Token], list[Token]]:
    """(introducing words, target) of an event noun: against/on X, targeting X, of X."""
    for owner in (noun, verb):
        prep = prep_child(owner, _TARGET_PREPS) if owner is not None else None
        if prep is not None and child_of(prep, "pobj") is not None:
            return [prep], subtree(child_of(prep, "pobj"))
    for child in noun.children:
        if child.dep_ == "acl" and child.tag_ == "VBG" and child_of(child, "dobj") is not None:
            return [child], subtree(child_of(child, "dobj"))
    prep = prep_child(noun, {"of"})
    if prep is not None and child_of(prep, "pobj") is not None:
        return [prep], subtree(child_of(prep, "pobj"))
    return [], []


def _name_before(verb: Token) -> Token | None:
    """The subject of a finite verb the parse left without one, when a name stands right
    before it, or before an apposition set off by commas: "as Larousse, the publisher,
    announced" (Larousse parsed as the object of "as"), "..., the foundation insisted"."""
    doc = verb.doc
    i = verb.i - 1
    while i >= 0 and doc[i].pos_ == "ADV":
        i -= 1  # "X ultimately agreed"
    if i < 1:
        return None
    if doc[i].text == ",":
        appos = doc[i - 1]
        while appos.dep_ != "appos" and appos.head.i != appos.i and appos.head.right_edge.i == i - 1:
            appos = appos.head
        if appos.dep_ != "appos" or appos.left_edge.i < 1 or doc[appos.left_edge.i - 1].text != ",":
            return None
        candidate = appos.head
    else:
        candidate = doc[i]
        while candidate.dep_ in ("compound", "flat") and candidate.head.i > candidate.i:
            candidate = candidate.head
        if candidate.right_edge.i != i and candidate.i != i:
            return None
    if candidate.dep_ in ("nsubj", "nsubjpass", "dobj") or candidate.pos_ != "PROPN" \
            or candidate.ent_type_ in NOT_DOERS or not is_doer_noun(candidate):
        return None  # only a name the parse gave no role of a subject or an object
    return candidate


def _named_modifier(participle: Token) -> Token | None:
    """The name a participle modifier is compounded with: "Saudi-led", "US-backed", "NATO
    led operations" (the parse may hang the name elsewhere; it stands right before)."""
    named = AGENT_ENTS | {"NORP"}
    for child in participle.lefts:
        if child.dep_ in ("npadvmod", "compound", "nmod") and child.ent_type_ in named:
            return child
    before = participle.doc[participle.i - 1] if participle.i > 0 else None
    if before is not None and before.text in ("-", "–") and before.i > 0 and not before.whitespace_:
        before = participle.doc[before.i - 1]
    if before is not None and before.ent_type_ in named and before.ent_iob_ in ("B", "I") \
            and (before.i + 1 >= len(before.doc) or before.doc[before.i + 1].ent_iob_ != "I"):
        return before
    return None


def _by_agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            return child_of(child, "pobj")
    return None
