"""`!who`: agents of actions from the real parse, matched and ranked without spaCy."""

from __future__ import annotations

import pytest

from coveragebot.index.text.sentences import segment
from coveragebot.index.who.extract import NOT_IDENTIFIED, NOT_STATED, Action, extract_actions
from coveragebot.index.who.query import action_matches, parse_who_query, rank_agents, rank_in_parts
from coveragebot.index.evaluation.who import contains_sentence, same_agent, score_who


def who(nlp, *articles: str, query: str, part: int = 0) -> list:
    """Ask `query` of freshly parsed articles; the ranked AgentAnswers of what happened
    (part 0) or of what was only refused, planned, demanded... (part 1)."""
    hits = []
    parsed = parse_who_query(query)
    for number, body in enumerate(articles):
        doc, passages = segment(nlp, body)
        hits += [(number, a) for a in extract_actions(doc, passages) if action_matches(parsed, a)]
    return rank_in_parts(hits, parsed)[part]


def agents(nlp, *articles: str, query: str, part: int = 0) -> list[str]:
    return [answer.agent for answer in who(nlp, *articles, query=query, part=part)]


def doers(nlp, body: str, query: str) -> list[str]:
    """Agents of every matching action, whatever its factuality: what extraction found."""
    parsed = parse_who_query(query)
    doc, passages = segment(nlp, body)
    return [a.agent for a in rank_agents([(0, a) for a in extract_actions(doc, passages) if action_matches(parsed, a)], parsed)]


# ---------------------------------------------------------------- agents


@pytest.mark.parametrize(
    ("body", "query", "expected"),
    [
        # active subject
        ("The European Union sanctioned three Russian banks on Tuesday.", "sanctioned", "European Union"),
        # passive with a by-agent
        ("The ambassador was recalled by the Foreign Ministry after the dispute.",
         "recalled the ambassador", "Foreign Ministry"),
        # light verb: the noun's event belongs to the light verb's subject
        ("The Commerce Department imposed sanctions on Huawei.", "sanctioned", "Commerce Department"),
        ("Ottawa placed new sanctions on the shipping firm.", "sanctions", "Ottawa"),
        ("The Pentagon confirmed the deployment of two destroyers to the region.", "deployed", "Pentagon"),
        # nominal: the possessor of the event noun
        ("The Treasury's sanctions against the oligarch took effect on Monday.", "sanctioned", "Treasury"),
        # conjoined verbs share the subject
        ("Acme Corp lost the case and is now appealing the verdict.", "is appealing the verdict", "Acme Corp"),
        # a proper-name apposition wins over the description
        ("Last week a local farmer, John Okafor, reported the outbreak to officials.",
         "reported the outbreak", "John Okafor"),
        # a relative clause's agent is the noun it modifies
        ("The regulator, which fined the bank in May, declined to comment.", "fined the bank", "regulator"),
        # noun forms of the query verb: "suspension" is found by "suspended"
        ("Last month, Lisbon announced the suspension of all flights to the island.",
         "suspended flights", "Lisbon"),
        # have/do as main verbs
        ("France has civil unions for all couples.", "has", "France"),
        # the object of urge/persuade does the infinitive
        ("The mayor urged residents to leave the coast.", "leave", "residents"),
        # a participle after while/when shares the main subject
        ("Video showed the thief, who fled while wearing a backpack.", "wearing", "thief"),
        # xcomp through an adjective
        ("Churchgoers were more likely to consume soft drinks.", "consume", "Churchgoers"),
        # a participle on a noun: the noun does it
        ("One weeping woman told reporters about the crash.", "weeping", "One weeping woman"),
        # the owner of a decision carries it out
        ("Mary Smith faces an inquiry over her decision to appear on the show.", "appear", "Mary Smith"),
        # a statement or survey acts through its author
        ("US President Barack Obama gave a statement condemning the attack.", "condemning", "Barack Obama"),
        ("A survey released by Markit Economics stated that output fell.", "stated", "Markit Economics"),
        # a gerund after a preposition: the fined party, the accused, whose goal
        ("Greenpeace was fined for damaging a reef.", "damaging", "Greenpeace"),
        ("The board accused the mayor of hiding the report.", "hiding", "mayor"),
        ("The team comes to the tournament with the goal of securing a medal.", "securing", "team"),
        # a description names whom it describes
        ("Djoko Murjatmodjo, acting head of transportation, spoke first.", "acting", "Djoko Murjatmodjo"),
        # an age names a person, not a date
        ("The 24-year-old had been monitoring her symptoms.", "monitoring", "24-year-old"),
        # "some of X" is a noun phrase, not a pronoun
        ("Some of the prisoners asked for a lawyer.", "asked", "Some of the prisoners"),
    ],
)
def test_who_finds_the_agent(nlp, body, query, expected):
    assert doers(nlp, body, query)[:1] == [expected]


def test_who_coordinated_subjects_are_each_an_agent(nlp):
    assert sorted(agents(nlp, "Jane Okafor and Peter Lund founded the company in 1999.", query="founded")) == [
        "Jane Okafor", "Peter Lund"]
    assert sorted(agents(nlp, "The plan was approved by Germany and France.", query="approved")) == [
        "France", "Germany"]


@pytest.mark.parametrize("body", [
    "April 25 saw the largest protest of the year.",
    "The second quarter started with a goal.",
    "Thirty percent watched the final.",
])
def test_who_dates_and_numbers_are_not_doers(nlp, body):
    verb = next(w for w in body.split() if w in {"saw", "started", "watched"})
    found = agents(nlp, body, query=verb)
    assert not any(w in " ".join(found).lower() for w in ("april", "quarter", "percent"))


def test_who_a_quantity_is_not_a_doer(nlp):
    found = agents(nlp, "China has made an increasing number of investments.", query="increasing")
    assert "number" not in " ".join(found)


def test_who_extraposed_it_is_not_the_doer(nlp):
    assert agents(nlp, "It was just beautiful to watch the ship fly away.", query="watch") == []


def test_who_participle_describing_a_noun_is_not_an_agentless_passive(nlp):
    assert agents(nlp, "She dominated in the minutes played for Canada.", query="played") == []


def test_who_purpose_noun_is_not_the_doer(nlp):
    found = agents(nlp, "The objective is to reach the medal round.", query="reach")
    assert "objective" not in " ".join(found)


def test_who_agentless_passive_is_not_stated(nlp):
    answers = who(nlp, "Sanctions were imposed on the shipping firm last year.", query="sanctioned")
    assert [a.agent for a in answers] == [NOT_STATED]
    assert answers[0].evidence[0][1].passive


def test_who_not_stated_ranks_after_named_agents(nlp):
    body = (
        "Sanctions were imposed on the shipping firm in March. "
        "Sanctions were also imposed on its owner. "
        "In May, the Treasury sanctioned the firm's captain."
    )
    assert agents(nlp, body, query="sanctioned") == ["Treasury", NOT_STATED]


def test_who_pronoun_agent_resolves_to_previous_named_subject(nlp):
    body = "Maria Lopez ran the agency for a decade.\n\nShe resigned on Friday after the audit."
    assert agents(nlp, body, query="resigned") == ["Maria Lopez"]


def test_who_unresolvable_pronoun_is_not_identified_after_named_agents(nlp):
    body = "They resigned on Friday after the audit.\n\nIn March, Maria Lopez resigned too."
    answers = who(nlp, body, query="resigned")
    assert [a.agent for a in answers] == ["Maria Lopez", NOT_IDENTIFIED]
    assert answers[1].evidence[0][1].mention == "They"


def test_who_resolved_pronoun_keeps_its_mention(nlp):
    body = "Maria Lopez ran the agency for a decade.\n\nShe resigned on Friday after the audit."
    (answer,) = who(nlp, body, query="resigned")
    assert (answer.agent, answer.evidence[0][1].mention) == ("Maria Lopez", "She")


def test_who_first_person_is_not_identified_and_keeps_its_mention(nlp):
    answers = who(nlp, "I think the council should resign.", query="think")
    assert [(a.agent, a.evidence[0][1].mention) for a in answers] == [(NOT_IDENTIFIED, "I")]


def test_who_pronoun_inside_a_quote_is_not_the_quoting_outlet(nlp):
    body = ('One eyewitness quoted by the BBC described the attack: "They grabbed the guy '
            'and then stabbed him," the witness said.')
    found = agents(nlp, body, query="stabbed")
    assert found and "BBC" not in found


def test_who_unresolved_pronouns_are_one_not_identified_row(nlp):
    answers = who(nlp, "He resigned on Friday.", "He resigned on Monday.", query="resigned")
    assert [(a.agent, a.articles) for a in answers] == [(NOT_IDENTIFIED, 2)]


def test_who_negated_action_is_not_an_answer(nlp):
    assert agents(nlp, "The council did not approve the budget.", query="approved the budget") == []
    (refused,) = who(nlp, "The council did not approve the budget.", query="approved the budget", part=1)
    assert (refused.agent, refused.evidence[0][1].factuality) == ("council", "negated")


def test_who_object_terms_rank_and_never_empty_the_answer(nlp):
    body = "The minister rejected the proposal. The union rejected the pay offer."
    assert agents(nlp, body, query="rejected the offer") == ["union", "minister"]
    assert agents(nlp, body, query="rejected the ships") == ["minister", "union"]


# ---------------------------------------------------------------- targets


def test_who_target_filter_keeps_actions_naming_the_target(nlp):
    body = (
        "Canada sanctioned the arms dealer Ivan Petrov on Monday.\n\n"
        "Japan sanctioned a mining company in Siberia."
    )
    assert agents(nlp, body, query="sanctioned Petrov") == ["Canada", "Japan"]
    assert agents(nlp, body, query="sanctioned a mining company") == ["Japan", "Canada"]


def test_who_target_filter_sees_through_pronoun_targets(nlp):
    body = (
        "Ivan Petrov runs a trading house in Cyprus.\n\n"
        "On Monday, the European Union sanctioned him."
    )
    assert agents(nlp, body, query="sanctioned Petrov") == ["European Union"]


def test_who_light_verb_target_is_the_against_phrase(nlp):
    doc, passages = segment(nlp, "The Treasury announced sanctions against two Cypriot banks.")
    (action,) = [a for a in extract_actions(doc, passages) if "sanction" in a.keys]
    assert action.action == "announced sanctions against"
    assert action.target == "two Cypriot banks"
    assert action.keys[:2] == ("announc", "sanction")


# ---------------------------------------------------------------- spellings


def test_who_merges_spellings_within_an_article(nlp):
    body = (
        "The U.S. sanctioned the bank in June.\n\n"
        "In July, the US also sanctioned its chairman."
    )
    answers = who(nlp, body, query="sanctioned")
    assert len(answers) == 1 and answers[0].support == 2


def test_who_merges_a_short_name_into_the_full_one_across_articles(nlp):
    answers = who(
        nlp,
        "The U.S. Treasury Department sanctioned the firm on Friday.",
        "The Treasury sanctioned two more firms on Monday.",
        query="sanctioned",
    )
    assert [(a.agent, a.articles) for a in answers] == [("U.S. Treasury Department", 2)]


def test_who_keeps_a_country_apart_from_its_ministry(nlp):
    answers = who(
        nlp,
        "The US sanctioned the firm on Friday.",
        "The U.S. Treasury Department sanctioned two more firms on Monday.",
        query="sanctioned",
    )
    assert sorted(a.agent for a in answers) == ["U.S. Treasury Department", "the US"]


def test_who_ranks_by_independent_support(nlp):
    body = (
        "Britain sanctioned the airline in May.\n\n"
        "France sanctioned the airline in June.\n\n"
        "In July, France sanctioned its owner too."
    )
    answers = who(nlp, body, query="sanctioned")
    assert [(a.agent, a.support) for a in answers] == [("France", 2), ("Britain", 1)]


def test_rank_agents_prefers_a_clause_over_a_noun_phrase_as_evidence():
    def action(agent, kind, start):
        return Action(agent, agent.lower(), "sanction", ("sanction",), "sanctioned", "", False,
                      start, start + 10, kind=kind)

    answers = rank_agents([(1, action("Treasury", "nominal", 0)), (1, action("Treasury", "verb", 50))])
    assert answers[0].support == 2
    assert answers[0].evidence[0][1].kind == "verb"


# ---------------------------------------------------------------- queries


@pytest.mark.parametrize(
    ("query", "verb_stem", "objects"),
    [
        ("sanctioned", "sanction", ()),
        ("sanctions", "sanction", ()),
        ("sanctioned Benedetti", "sanction", ("benedetti",)),
        ("recalled the ambassador", "recal", ("ambassador",)),
        ("confirmed the deployment", "confirm", ("deploy",)),
        ("is appealing a ruling", "appeal", ("rule",)),
        ("announced the suspension of payments", "announc", ("suspens", "payment")),
        ("who fought the ruling", "fight", ("rule",)),
        ("suspension", "suspend", ()),
        ("sanctioned the US", "sanction", ("us",)),
        ("has", "have", ()),
        ("did the damage", "do", ("damag",)),
        ("has sanctioned", "sanction", ()),
    ],
)
def test_parse_who_query(query, verb_stem, objects):
    parsed = parse_who_query(query)
    assert (parsed.verb_stem, parsed.object_terms) == (verb_stem, objects)


def test_parse_who_query_doing_verb_stands_for_its_event():
    assert parse_who_query("imposed sanctions on Petro").event_stem == "sanction"
    assert parse_who_query("confirmed the deployment").event_stem == ""


def test_action_matches_needs_the_key_not_the_object_terms():
    action = Action("Treasury", "treasury", "announce", ("announc", "sanction"),
                    "announced sanctions against", "Armando Benedetti", False, 0, 10, kind="light")
    assert action_matches(parse_who_query("sanctioned Benedetti"), action)
    assert action_matches(parse_who_query("imposed sanctions on Benedetti"), action)
    assert action_matches(parse_who_query("sanctioned Petro"), action)
    assert not action_matches(parse_who_query("deployed"), action)


# ---------------------------------------------------------------- scoring


def test_same_agent_ignores_case_dots_and_a_leading_the():
    assert same_agent("the US", ["U.S."])
    assert same_agent("U.S. Treasury Department", ["u.s. treasury department"])
    assert not same_agent("Treasury", ["U.S. Treasury Department"])


def test_contains_sentence_ignores_quote_styles_and_spacing():
    assert contains_sentence("He said “no”.  Then  he left.", 'Then he left.')
    assert not contains_sentence("He said no.", "Then he left.")


def test_score_who_counts_top1_top3_and_evidence():
    gold = [
        {"article": "a", "question": "sanctioned", "answers": ["Treasury"], "evidence": "Treasury acted."},
        {"article": "b", "question": "sanctioned", "answers": ["EU"], "evidence": "The EU acted."},
    ]
    answers = {
        ("a", "sanctioned"): [("Treasury", "On Friday, Treasury acted.")],
        ("b", "sanctioned"): [("US", "The US acted."), ("EU", "The EU acted.")],
    }
    score = score_who(gold, answers)
    assert (score.top1, score.top3, score.evidence) == (0.5, 1.0, 0.5)


def test_who_participle_after_a_passive_has_no_agent(nlp):
    body = "The ferry was struck by a storm wave off Crete on Monday, injuring eleven passengers."
    assert "ferry" not in " ".join(agents(nlp, body, query="injured")).lower()


def test_who_unpunctuated_name_inside_a_noun_phrase_is_not_the_agent(nlp):
    body = "The brother of tennis star Ana Lopez is suing the stadium where he was hurt."
    found = agents(nlp, body, query="suing the stadium")
    assert found and "Ana Lopez" not in found[0]


def test_shipped_verb_tables_equal_the_models_lemmatizer_tables():
    import json

    from coveragebot.index.who.verbs import TABLES, model_lemma_tables

    # If this fails after a model upgrade: python -m coveragebot.index.who.verbs
    assert json.loads(TABLES.read_text(encoding="utf-8")) == model_lemma_tables()
