"""`!who` finds the agent of a clause that has no subject of its own, and keeps agents
the parse names poorly, from made-up sentences through the real spaCy model."""

from __future__ import annotations

import pytest

from coveragebot.index.text.sentences import segment
from coveragebot.index.who.doers import doer_class
from coveragebot.index.who.extract import extract_actions


def agents_of(nlp, body: str, verb: str) -> list[tuple[str, str]]:
    doc, passages = segment(nlp, body)
    return [(a.agent, a.factuality) for a in extract_actions(doc, passages) if a.verb == verb]


@pytest.mark.parametrize(
    ("body", "verb", "expected"),
    [
        # a bare participle with a by-phrase is a passive: the by-phrase does it
        ("The mayor spoke first, followed by Dana Whitcombe.", "follow", [("Dana Whitcombe", "asserted")]),
        # a perfect participle shares the main clause's subject, like "finishing"
        ("Norway entered the tournament having finished second at the regional cup.", "finish",
         [("Norway", "asserted")]),
        # a marked adjunct of a passive is its subject's own doing ...
        ("The courier was attacked while delivering parcels in Hull.", "deliver", [("courier", "asserted")]),
        # for/on introduce the subject of an infinitive
        ("Residents called on the harbour master to reopen the pier.", "reopen", [("harbour master", "requested")]),
        ("The charter calls for the treasurer to publish the accounts every year.", "publish",
         [("treasurer", "requested")]),
        # ... but a time or a thing after "for" does nothing: the main clause's subject does
        ("The crowd waited for hours to see the parade.", "see", [("crowd", "future")]),
        # whose plan or power it is: an of-phrase or a body as a modifier
        ("The law defines the power of the mayor to dismiss officials.", "dismiss", [("mayor", "future")]),
        ("The board praised the council efforts to clean the river.", "clean", [("council", "attempted")]),
        # "the method of lifting": a thing does no gerund; whoever studies the method does
        ("The engineers are studying the safest method of lifting the wreck.", "lift", [("engineers", "asserted")]),
        # an infinitive on a person or body noun says what that one does; on a thing, what
        # whoever took the thing does
        ("They were the first team to reach the summit.", "reach", [("first team", "future")]),
        ("The Chancellor announced a package of measures to support small firms.", "support",
         [("Chancellor", "future")]),
        # "in order to" states a purpose, not an order
        ("Council leaders acted in order to protect the budget.", "protect", [("Council leaders", "future")]),
        # a finite verb whose subject the parse lost shares its clause's subject
        ("The manager criticised the striker (called him lazy) after the match.", "call", [("manager", "asserted")]),
        # a text someone wrote does what it does through its writer; a thing merely found does not
        ("The columnist wrote an article attacking the mayor.", "attack", [("columnist", "asserted")]),
        ("Police found a car carrying explosives.", "carry", [("car", "asserted")]),
        # a share of people: the people do it
        ("Only 40% of the voters backed the plan.", "back", [("voters", "asserted")]),
        # a clause under a participle that describes a noun: that noun does it
        ("Cameras caught a crowd of supporters standing outside to watch the parade.", "watch",
         [("supporters", "future")]),
        ("The theft was solved, with two county police units involved in tracing the van.", "trace",
         [("two county police units", "asserted")]),
        # "away from doing": the subject does it, like "refrained from doing"
        ("The nurses are weeks away from winning a pay rise.", "win", [("nurses", "asserted")]),
        # a name compounded with a participle leads, backs or funds the thing: "X-led"
        ("A Kenyan-led force patrolled the border.", "lead", [("Kenyan", "asserted")]),
        ("The pilots joined the UNICEF funded survey.", "fund", [("UNICEF", "asserted")]),
        # a finite verb the parse left without a subject: the name right before it
        ("Protests grew as Halvorsen, the ferry operator, announced new fares.", "announce",
         [("Halvorsen", "asserted")]),
        # charged with counts of doing: the one charged did it, not the one charging
        ("Prosecutors charged Leon Varga with three counts of stealing copper cable.", "steal",
         [("Leon Varga", "asserted")]),
        # after a passive the object is a sum, not the one fined: the subject did it
        ("Northwind, a shipping firm, was fined 90,000 PHP for damaging a coral reef.", "damage",
         [("Northwind", "asserted")]),
        # "X's A and B": the owner of the pair owns each
        ("Marta Quist's scouting and route planning saved the expedition.", "scouting", [("Marta Quist", "asserted")]),
        # a dateline's place is not the subject: the noun after its dash is
        ("Leeds, England -- The host nation's women's rowing crew lost to Poland earlier today.", "lose",
         [("host nation's women's rowing crew", "asserted")]),
        # a title set off before a name: the name
        ("The current Chilean President, Rosa Ibarra, declined to sign the bill.", "sign",
         [("Rosa Ibarra", "negated")]),
    ],
)
def test_the_agent_of_a_clause_without_its_own_subject(nlp, body, verb, expected):
    assert agents_of(nlp, body, verb) == expected


def test_a_marked_adjunct_after_a_passive_is_not_an_unmarked_one(nlp):
    # "MH17 was shot down, killing all": nobody stated killed; "while" ties the adjunct to the subject.
    assert agents_of(nlp, "The ferry was hit by a storm, sinking within minutes.", "sink") == []


@pytest.mark.parametrize(
    ("body", "verb", "expected"),
    [
        # an agentive noun in -ter ("supporter", "voter") is a person; "letters" are not
        ("Supporters of the measure marched through Leeds.", "march", ["Supporters of the measure"]),
        ("The letters arrived on Monday.", "arrive", ["letters"]),
        # people together, named by a collective noun
        ("Medical personnel waited outside the stadium.", "wait", ["Medical personnel"]),
        # "whose" in a relative clause tells, it does not ask
        ("The club fired a coach whose staff had quarrelled with the players.", "quarrel", ["staff"]),
    ],
)
def test_people_the_endings_rule_missed_are_doers(nlp, body, verb, expected):
    assert [agent for agent, _ in agents_of(nlp, body, verb)] == expected


def test_a_name_tagged_as_a_common_noun_is_a_doer_when_the_article_names_it(nlp):
    token = nlp("Stables is to appear before the committee.")[0]
    assert token.pos_ == "NOUN"  # the tagger reads the surname as "stables"
    assert doer_class(token, "Stables", transitive=False) == "thing"
    assert doer_class(token, "Stables", transitive=False, named=True) == ""


def test_a_named_passive_subject_is_what_a_later_pronoun_points_to(nlp):
    # A name the tagger reads as a person's: one it calls an organization needs a known
    # first name before a "he" may point to it (index/text/focus.py, Focus.resolve).
    body = "David Mokoena was robbed minutes before he was due to present the evening news."
    doc, passages = segment(nlp, body)
    [action] = [a for a in extract_actions(doc, passages) if a.verb == "present"]
    assert (action.agent, action.mention, action.factuality) == ("David Mokoena", "he", "future")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('Maria Lind told reporters: "We are going to win the cup."', [("Maria Lind", "We")]),
        ('Ulrich Stamm said: "I will rebuild the squad this summer."', [("Ulrich Stamm", "I")]),
    ],
)
def test_i_or_we_in_a_quotation_is_its_teller(nlp, body, expected):
    doc, passages = segment(nlp, body)
    verb = "win" if "win" in body else "rebuild"
    assert [(a.agent, a.mention) for a in extract_actions(doc, passages) if a.verb == verb] == expected


def test_a_bracket_inside_a_sentence_does_not_end_it(nlp):
    body = "We will face the hosts tomorrow [against the advice of our coach] and go out to win."
    _, passages = segment(nlp, body)
    assert [p.text for p in passages] == [body]


def test_an_infinitive_opening_a_sentence_after_another_is_read(nlp):
    # The word before "To" ends the previous sentence: the search for a for/on subject climbs
    # to that sentence's root and stops there (it once never stopped).
    body = "The mayor resigned on Monday. To replace him, the council appointed Ines Carvalho."
    assert [agent for agent, _ in agents_of(nlp, body, "appoint")] == ["council"]


@pytest.mark.parametrize(
    ("body", "verb", "expected"),
    [
        # a pronoun no name resolves stands for the subject of the clause it hangs on
        ("A night nurse was attacked at the clinic where she worked.", "work", [("night nurse", "she")]),
        ("The two crews were applauded as they left the harbour.", "leave", [("two crews", "they")]),
        # a spokesman or an official of a body: "they" is the body
        ("A spokesman for the ferry operators said they had cancelled the crossing.", "cancel",
         [("ferry operators", "they")]),
        # ... before a name further back
        ("Portugal won the final. Both crews were applauded as they left the harbour.", "leave",
         [("Both crews", "they")]),
        # a named body is an "it" in a quotation too
        ('The minister said: "Norway stays calm because it trusts the treaty."', "trust", [("Norway", "it")]),
        # no agreement, no antecedent: still not identified
        ("The two crews were applauded as she left the harbour.", "leave", [("not identified", "she")]),
    ],
)
def test_an_unresolved_pronoun_is_the_subject_of_the_clause_it_hangs_on(nlp, body, verb, expected):
    doc, passages = segment(nlp, body)
    assert [(a.agent, a.mention) for a in extract_actions(doc, passages) if a.verb == verb] == expected
