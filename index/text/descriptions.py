"""Speakers described rather than named: "the mayor", "his aides", "an analysis by Pew".

A description either points back to someone named earlier (the mayor -> the person who
carried the title Mayor; the businessman -> the person in focus) or stands as the source it
describes: a group (`officials`), an anonymous source (`a senior official`), an outlet (`the
newspaper`), a document (`the report`); a definite description of someone the article named
but the extractor could not place (`the senator`) is a speaker not identified.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy loads only when a text is parsed, so a restart stays fast
    from spacy.tokens import Token

from coveragebot.index.text.focus import Focus
from coveragebot.index.text.names import (
    BODY_KINDS,
    INSTITUTIONS,
    ORG_WORDS,
    PERSON_KINDS,
    REPRESENTATIVES,
    TITLE_WORDS,
    gender_of,
    is_name,
    same_entity,
)

_DETERMINERS = frozenset(["the", "a", "an"])

def descriptor(token: Token) -> str:
    """A speaker described, not named: `officials`, `his aides`, `GOP front-runner`."""
    doc = token.doc
    start = token.i
    for child in sorted(token.lefts, key=lambda t: -t.i):
        hyphen = child.dep_ == "punct" and child.text == "-"
        if not (hyphen or child.dep_ in _DESCRIBING_DEPS) or child.right_edge.i != start - 1:
            break
        start = child.left_edge.i
    while start < token.i and doc[start].lower_ in _DETERMINERS:
        start += 1
    first = doc[start]
    text = doc[start:token.i + 1].text
    # A capital that only opens the sentence: "His aides", "Experts" (not "New York").
    if first.is_sent_start and (first.pos_ in ("DET", "PRON", "NUM") or first == token) and first.text[1:].islower():
        text = text[:1].lower() + text[1:]
    return text


# Nouns for people that the suffix rule below does not catch.
_PERSON_NOUNS = frozenset(
    """
    candidate nominee incumbent legend mogul billionaire businessman businesswoman tycoon
    pontiff pope frontrunner front-runner hopeful veteran star host anchor rival challenger
    contender heir widow wife husband mother father son daughter brother sister friend
    colleague ally critic expert source insider activist artist architect physician doctor
    surgeon nurse student graduate resident native candidate pundit proponent opponent
    immigrant participant respondent constituent dissident protester protestor
    """.split()
)


def is_person_noun(token: Token) -> bool:
    """A common noun for a person: a title, a job (-er, -or, -ist, -ian), a relation."""
    # A plural is judged by its singular: "demonstrators", "journalists", "proponents".
    plural = getattr(token, "tag_", "") in ("NNS", "NNPS")
    lower = token.lemma_.lower() if plural else token.lower_
    # -ant/-ent name things as often as people once plurals count ("rents", "events").
    endings = ("er", "or", "ist", "man", "woman", "ian") + (() if plural else ("ant", "ent"))
    return lower in TITLE_WORDS or lower in REPRESENTATIVES or lower in _PERSON_NOUNS or (
        lower.endswith(endings) and not lower.endswith(("ment", "ter", "ver"))
    )


def author_of(token: Token) -> Token | None:
    """The name behind a described source: "an analysis by the Pew Research Center"."""
    for t in token.subtree:
        if t.i > token.i and t.text == ",":
            break
        if t.dep_ in ("agent", "prep") and t.lower_ == "by":
            objects = [c for c in t.children if c.dep_ == "pobj" and is_name(c)]
            if objects:
                return objects[0]
    return None


_DESCRIBING_DEPS = frozenset(["det", "poss", "amod", "compound", "nmod", "nummod", "quantmod"])


def described_person(focus: Focus, token: Token, role_of: Callable[[str], str],
                     people: Iterable[str] = ()) -> str | None:
    """The person or body a definite description points back to: "the mayor" -> the
    name that carried the title Mayor; "the businessman" -> the person in focus; with
    nobody in view, the one person of the article (`people`) given that title, even
    later ("The state attorney general is confirming … Attorney General Eric
    Schneiderman isn't saying …"). None for plurals, possessed nouns and indefinites."""
    determiners = [c.lower_ for c in token.children if c.dep_ in ("det", "poss")]
    if token.tag_ in ("NNS", "NNPS") or determiners != ["the"]:
        return None
    head = token.lower_
    # "The New York businessman says of Clinton": a man, never the woman just named.
    other = {"male": "female", "female": "male"}.get(noun_gender(head) or "")
    mentions = [m for m in focus.mentions() if other is None or focus.gender(m[0]) != other]
    # "The Democratic presidential nominee" is not the one introduced as the Republican
    # nominee: the proper words of the description must be in the role too.
    proper = {c.lower_ for c in token.children if c.dep_ in ("amod", "compound") and c.text[:1].isupper()}
    for name, kind, _ in reversed(mentions):
        role = set(role_of(name).lower().split())
        if kind in PERSON_KINDS and head in role and proper <= role:
            return name
    if head in INSTITUTIONS | ORG_WORDS:
        wanted = BODY_KINDS
    elif (is_person_noun(token) or token.ent_type_ == "NORP") and not any(
        c.dep_ in ("compound", "nmod", "poss") and c.ent_type_ == "PERSON" for c in token.subtree
    ):
        # "the senior Cruz adviser" is someone beside Cruz, not Cruz.
        wanted = PERSON_KINDS
    else:
        return None
    fits = [name for name, kind, ago in mentions if ago < Focus.WINDOW and kind in wanted]
    # The subject or speaker of a main clause before a name in a clause of its own
    # ("The nominee was speaking hours after Trump tweeted. The governor said …").
    main = [name for name, kind, ago in focus.mentions(main=True)
            if ago < Focus.WINDOW and kind in wanted and (other is None or focus.gender(name) != other)]
    if fits:
        return (main or fits)[-1]
    if other is not None and wanted == PERSON_KINDS:
        # A gendered description reaches a little further back, to the last person of
        # its gender who stood in a main clause ("Trump said … Clinton now says … The
        # New York businessman says …").
        same = [name for name, kind, ago in focus.mentions(main=True)
                if ago < 2 * Focus.WINDOW and kind in wanted and focus.gender(name) not in (None, other)]
        if same:
            return same[-1]
    titled = [name for name in people if head in role_of(name).lower().split() and (other is None or focus.gender(name) != other)]
    if len(titled) == 1 and wanted == PERSON_KINDS:
        return titled[0]
    # Nobody fits as a subject: the one person named at all in the last sentences.
    others = {name: None for name, kind, ago in focus.others()
              if ago < Focus.WINDOW and kind in wanted and (other is None or focus.gender(name) != other)}
    distinct = [n for i, n in enumerate(others) if not any(same_entity(n, m) for m in list(others)[:i])]
    return distinct[0] if len(distinct) == 1 else None


def noun_gender(noun: str) -> str | None:
    """`male`/`female` when a person noun says so: a title word (`spokeswoman`) or a
    compound of man/woman (`businessman`, `congresswoman`); None otherwise."""
    noun = noun.lower()
    if (gender := gender_of(noun)) is not None:
        return gender
    if noun.endswith("woman") or noun in _FEMALE_NOUNS:
        return "female"
    if (noun.endswith("man") and noun not in _NOT_MEN) or noun in _MALE_NOUNS:
        return "male"  # businessman, policeman, congressman
    return None


_FEMALE_NOUNS = frozenset("woman wife mother daughter sister actress widow girl".split())
_MALE_NOUNS = frozenset("husband father son brother actor widower boy".split())
_NOT_MEN = frozenset("human german shaman ottoman talisman caiman roman norman truman".split())


# Kinds of source a description names when it points back to nobody (index.people.kinds).
_GROUP, _ANONYMOUS, _OUTLET, _DOCUMENT, _ORGANIZATION, _UNIDENTIFIED = (
    "group", "anonymous", "outlet", "document", "organization", "unidentified")
# Head words of a news organization's name ("The Washington Post", "CNN").
OUTLET_WORDS = frozenset(
    """
    times post news journal tribune herald gazette chronicle telegraph guardian observer
    examiner inquirer courier register bulletin dispatch monitor star sun globe mirror
    magazine newspaper newsweek press reuters bloomberg cnn msnbc cnbc nbc abc cbs pbs npr
    bbc fox politico breitbart axios huffpost huffington vox slate salon atlantic economist
    forbes fortune wire newswire radio television tv network broadcaster channel
    """.split()
)
_OUTLET_NOUNS = frozenset(
    "newspaper paper magazine network outlet website site station channel broadcaster tabloid "
    "daily weekly publication newsroom".split()
)
_DOCUMENT_NOUNS = frozenset(
    """
    report reports statement statements letter letters memo memos email emails e-mail e-mails
    poll polls survey surveys study studies analysis analyses ad ads advertisement commercial
    video tweet tweets post posts filing filings lawsuit complaint document documents record
    records transcript release book article editorial op-ed column indictment ruling opinion
    order affidavit notice page message messages note notes data figures estimate estimates
    audit review investigation assessment speech
    """.split()
)
_ANONYMOUS_NOUNS = frozenset("source sources insider insiders".split())
_INDEFINITE = frozenset(["a", "an", "one", "another", "some", "several", "two", "three"])


def source_kind_of(token: Token) -> str:
    """The kind of source a description that points back to nobody names.

    Plural people are a group (`officials`, `his aides`); one person the article keeps
    unnamed (`a senior official`) or a source (`sources familiar with`) is anonymous; a
    news organization, a document or a body is that; a definite person (`the senator`)
    the article named but nobody could place is a speaker not identified.
    """
    head = token.lower_
    determiners = {c.lower_ for c in token.children if c.dep_ in ("det", "nummod", "quantmod")}
    if head in _ANONYMOUS_NOUNS:
        return _ANONYMOUS
    if head in _OUTLET_NOUNS:
        return _OUTLET
    if head in _DOCUMENT_NOUNS:
        return _DOCUMENT
    if head in INSTITUTIONS | ORG_WORDS:
        return _ORGANIZATION
    lemma = token.lemma_.lower()
    if lemma in INSTITUTIONS | ORG_WORDS | _BODIES:
        return _ORGANIZATION
    if token.ent_type_ in _AMOUNTS:
        return _UNIDENTIFIED
    plural = token.tag_ in ("NNS", "NNPS")
    if plural and (token.ent_type_ == "NORP" or lemma in _COLLECTIVES or _named_person_noun(lemma)
                   or is_person_noun(token)):
        return _GROUP
    if head in _COLLECTIVES:
        return _GROUP
    # Anonymous only where the article says so: "a senior official", "one Democratic source".
    if _named_person_noun(lemma) and (determiners & _INDEFINITE or not determiners and not _possessed(token)):
        return _ANONYMOUS
    return _UNIDENTIFIED


# Bodies a description may name beside the institutions ("the campaign said").
_BODIES = frozenset("campaign city state county school firm company team".split())
# Nouns for people together: "the family said", "voters say", "the crowd chanted".
_COLLECTIVES = frozenset("people family families crowd audience public relatives parents children kids "
                         "voters residents".split())
_AMOUNTS = frozenset(["PERCENT", "CARDINAL", "QUANTITY", "MONEY", "DATE", "TIME", "ORDINAL"])
# Nouns that always name a person: titles, jobs, relations (no guessing from a suffix).
_PEOPLE = frozenset(
    """
    person man woman official aide adviser advisor staffer employee officer diplomat lawmaker operative
    strategist donor member worker resident witness observer expert analyst economist insider
    """.split()
)


def _named_person_noun(lemma: str) -> bool:
    return lemma in _PEOPLE or lemma in TITLE_WORDS or lemma in REPRESENTATIVES or lemma in _PERSON_NOUNS


def _possessed(token: Token) -> bool:
    return any(c.dep_ == "poss" for c in token.children)
