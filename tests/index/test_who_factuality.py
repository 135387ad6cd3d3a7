"""`!who` answers what happened: each action's factuality and its agent's kind, read at
ingest from the real parse, stored with the action, and answered in two labelled parts."""

from __future__ import annotations

import pytest

from coveragebot.bot.terminal.render import render
from coveragebot.index.commands import Origin, run
from coveragebot.index.ingest.articles import Article
from coveragebot.index.settings import with_overrides
from coveragebot.index.text.sentences import segment
from coveragebot.index.who.doers import doer_class
from coveragebot.index.who.extract import NOT_IDENTIFIED, extract_actions

CLI = Origin(frontend="cli", actor="test")


def actions_of(nlp, body: str, verb: str) -> list:
    doc, passages = segment(nlp, body)
    return [a for a in extract_actions(doc, passages) if a.verb == verb]


# ---------------------------------------------------------------- one row per factuality class


@pytest.mark.parametrize(
    ("body", "verb", "agent", "factuality"),
    [
        # asserted: it happened
        ("The harbour authority closed the northern pier on Tuesday.", "close", "harbour authority", "asserted"),
        # negated: a negation on the clause, a verb of refusing, "has yet to"
        ("Councillor Vasquez never signed the lease.", "sign", "Councillor Vasquez", "negated"),
        ("The vineyard owners did not sell the estate.", "sell", "vineyard owners", "negated"),
        ("Beaumont refused to endorse the candidate.", "endorse", "Beaumont", "negated"),
        ("Kessler has yet to pay the fine.", "pay", "Kessler", "negated"),
        # hypothetical or conditional: a modal, an if-clause
        ("The museum might lend the painting to Oslo.", "lend", "museum", "hypothetical"),
        ("If the regulator approves the merger, Halvorsen Shipping will buy two rivals.",
         "approve", "regulator", "hypothetical"),
        # a gerund under a noun of chance or of planning is as the noun says
        ("The senator has little chance of winning the primary.", "win", "senator", "hypothetical"),
        ("The agency set the goal of closing the mine by June.", "close", "agency", "future"),
        # a clause on a noun of demanding is as the noun says
        ("The council rejected the requirement that landlords register every flat.", "register", "landlords",
         "requested"),
        # an infinitive of purpose, "in order to" too, is intended, not done
        ("Council leaders acted in order to protect the budget.", "protect", "Council leaders", "future"),
        # future or intended: will, going to, be to, a verb of planning
        ("The airline will cancel its winter flights.", "cancel", "airline", "future"),
        ("Ministers are going to scrap the levy next spring.", "scrap", "Ministers", "future"),
        ("The ministry is to publish the figures on Friday.", "publish", "ministry", "future"),
        ("The transport union plans to strike in March.", "strike", "transport union", "future"),
        # requested or demanded: the one called on is the agent
        ("Residents called for the chief engineer to resign.", "resign", "chief engineer", "requested"),
        ("Farmers urged the minister to withdraw the tariff.", "withdraw", "minister", "requested"),
        ("The tenants demanded that the landlord repair the heating.", "repair", "landlord", "requested"),
        # attempted: a verb of trying, also over an event noun
        ("The smugglers tried to bribe a customs officer.", "bribe", "smugglers", "attempted"),
        ("Lindqvist sought Moreau's endorsement.", "endorsement", "Moreau", "attempted"),
        # question: the sentence asks
        ("Did the treasurer approve the payments?", "approve", "treasurer", "question"),
    ],
)
def test_factuality_of_each_class(nlp, body, verb, agent, factuality):
    found = [(a.agent, a.factuality) for a in actions_of(nlp, body, verb)]
    assert found == [(agent, factuality)]


def test_the_verb_that_asks_or_refuses_is_itself_asserted(nlp):
    body = "Residents called for the chief engineer to resign."
    assert [(a.agent, a.factuality) for a in actions_of(nlp, body, "call")] == [("Residents", "asserted")]


def test_reported_speech_keeps_its_teller(nlp):
    (told,) = actions_of(nlp, "The inspector said the contractor falsified the records.", "falsify")
    assert (told.agent, told.factuality, told.source) == ("contractor", "asserted", "inspector")
    (denied,) = actions_of(nlp, "Prosecutors will not charge the mayor, the newspaper reported.", "charge")
    assert (denied.agent, denied.factuality, denied.source) == ("Prosecutors", "negated", "newspaper")


# ---------------------------------------------------------------- one row per agent class


@pytest.mark.parametrize(
    ("body", "verb", "expected"),
    [
        # a person, a group, an organization named by a common noun, a country
        ("Councillor Vasquez signed the lease.", "sign", [("Councillor Vasquez", "")]),
        ("Farmers blocked the motorway.", "block", [("Farmers", "")]),
        ("The airline cancelled its winter flights.", "cancel", [("airline", "")]),
        ("Norway expelled two diplomats.", "expel", [("Norway", "")]),
        ("Rather than resign, MPs walked out.", "walk", [("MPs", "")]),
        # a thing that really does it, labelled
        ("A landslide destroyed the village school.", "destroy", [("landslide", "thing")]),
        ("The audit found serious errors in the accounts.", "find", [("audit", "thing")]),
        # a thing something happened to is kept too, labelled (answers show it after people)
        ("Rents rose sharply in the city.", "rise", [("Rents", "thing")]),
        ("The pipes were leaking for weeks.", "leak", [("pipes", "thing")]),
        # nobody is no agent
        ("Nobody signed the petition.", "sign", []),
        # a question word is no agent
        ("Which rival campaign leaked the memo?", "leak", []),
        # a pronoun nobody can resolve is not identified, its mention kept
        ("She resigned on Friday.", "resign", [(NOT_IDENTIFIED, "")]),
    ],
)
def test_agent_classes(nlp, body, verb, expected):
    assert [(a.agent, a.agent_class) for a in actions_of(nlp, body, verb)] == expected


def test_markup_is_never_an_agent(nlp):
    token = nlp("Officials announced the result.")[0]
    assert doer_class(token, 'datetime="2016', transitive=True) is None
    assert doer_class(token, "Officials", transitive=True) == ""


# ---------------------------------------------------------------- stored, counted and answered

_BODY = (
    "The port authority dismissed the harbour master on Monday.\n\n"
    "Dock workers called for the deputy director to resign.\n\n"
    "Unions urged the deputy director to step down, but she refused to resign.\n\n"
    "The harbour master resigned on Tuesday, the port authority said.\n\n"
    "Has the shipping minister resigned?"
)


async def _add(service) -> None:
    [added] = await service.add_articles([Article("port", "Port shake-up", _BODY, outlet="Wire")], actor="test")
    assert added.status == "added"


async def _asserted_rows(service) -> int:
    return await service.store.scalar(
        "SELECT count(*) FROM action_keys WHERE key = 'resign' AND factuality = 'asserted' AND sentence_id IS NOT NULL /* every workspace */")


async def test_who_answers_what_happened_and_labels_the_rest(empty_service):
    await _add(empty_service)
    answer = await run(empty_service, "!who resigned", CLI)
    assert [a.agent for a in answer.agents] == ["harbour master"]
    assert answer.agents[0].sources[0] == "port authority"
    also = {a.agent: a.factuality for a in answer.also_reported}
    assert also.get("deputy director") in ("requested", "negated")
    assert "shipping minister" in also and also["shipping minister"] == "question"
    # The counts !who ranks by hold the asserted actions only, in step with the rows.
    counted = await empty_service.store.scalar("SELECT sum(n_rows) FROM who_agents WHERE key = 'resign' /* every workspace */")
    assert counted == await _asserted_rows(empty_service) == 1

    data = answer.to_json()
    assert data["asserted_count"] == 1
    assert [r["factuality"] for r in data["results"]][0] == "asserted"
    assert {r["factuality"] for r in data["results"][1:]} <= {"requested", "negated", "question"}
    assert all("factuality" in ev and "according_to" in ev for r in data["results"] for ev in r["evidence"])

    text = render(answer)
    assert text.startswith("Who resigned:\n  harbour master")
    assert "Also reported as" in text and "not as done" in text
    assert "(according to port authority)" in text


async def test_the_second_part_can_be_hidden(empty_service):
    empty_service.settings = with_overrides(empty_service.settings, who_show_also_reported=False)
    await _add(empty_service)
    answer = await run(empty_service, "!who resigned", CLI)
    assert [a.agent for a in answer.agents] == ["harbour master"] and answer.also_reported == ()
    assert "Also reported" not in render(answer)


async def test_only_a_non_event_is_said_plainly(empty_service):
    await _add(empty_service)
    answer = await run(empty_service, "!who stepped down", CLI)
    assert answer.agents == ()
    assert [a.agent for a in answer.also_reported] == ["deputy director"]
    assert render(answer).startswith("Nobody found who stepped down in the coverage, as something that happened.")


async def test_factuality_is_stored_and_removed_with_the_article_on_both_backends(service):
    await _add(service)
    stored = {row[0]: row[1] for row in await service.store.tuples(
        "SELECT a.agent, a.factuality FROM actions a JOIN articles r ON r.id = a.article_id"
        " WHERE r.key = 'port' AND a.verb = 'resign' /* every workspace */")}
    assert stored["harbour master"] == "asserted" and stored["shipping minister"] == "question"
    assert await service.store.scalar("SELECT sum(n_rows) FROM who_agents WHERE key = 'resign' /* every workspace */") \
        == await _asserted_rows(service)
    article_id = await service.store.scalar("SELECT id FROM articles WHERE key = 'port' /* every workspace */")
    before = await _asserted_rows(service)
    await service.remove_article(article_id, actor="test")
    assert await _asserted_rows(service) == before - 1
    assert (await service.store.scalar("SELECT coalesce(sum(n_rows), 0) FROM who_agents WHERE key = 'resign' /* every workspace */")) \
        == before - 1


async def test_a_thing_is_answered_after_the_people_and_labelled(empty_service):
    # Prices dropped in more sentences than the candidate did: the person still comes first.
    body = ("Fuel prices dropped in March.\n\nFuel prices dropped again in April.\n\n"
            "Councillor Ada Brennan dropped out of the race on Friday.")
    [added] = await empty_service.add_articles([Article("drop", "Drops", body, outlet="Wire")], actor="test")
    assert added.status == "added"
    answer = await run(empty_service, "!who dropped", CLI)
    assert [(a.agent, a.agent_class) for a in answer.agents] == [("Ada Brennan", ""), ("Fuel prices", "thing")]
    assert [r["agent_class"] for r in answer.to_json()["results"]] == ["", "thing"]
    assert "Fuel prices (a thing, not a person)" in render(answer)


# ---------------------------------------------------------------- one row per identity

_HALLORANNS = [
    Article("h1", "Budget", 'Senator John Hallorann opposed the measure. "This bill is a mistake," Hallorann said. '
            "Hallorann vetoed the budget on Monday.", outlet="Wire"),
    Article("h2", "Court", 'Judge Jane Hallorann ruled on Friday. "The law is clear," Jane Hallorann said. '
            "Jane Hallorann vetoed the appointment.", outlet="Wire"),
    Article("h3", "Levy", '"Taxes must fall," Senator Hallorann said. Hallorann vetoed the levy on Tuesday.',
            outlet="Wire"),
]


async def test_a_surname_joins_its_person_through_the_registry_never_a_namesake(empty_service):
    await empty_service.add_articles(_HALLORANNS, actor="test")
    agents = {a.agent: a.support for a in (await run(empty_service, "!who vetoed", CLI)).agents}
    # Two people share the surname: the bare one stays apart, and Jane is never John.
    assert agents == {"John Hallorann": 1, "Jane Hallorann": 1, "Hallorann": 1}
    assert (await run(empty_service, "!fix merge Hallorann into John Hallorann", CLI)).level == "ok"
    answer = await run(empty_service, "!who vetoed", CLI)
    assert {a.agent: a.support for a in answer.agents} == {"John Hallorann": 2, "Jane Hallorann": 1}
    john = next(a for a in answer.agents if a.agent == "John Hallorann")
    assert {h.text for h in john.evidence} == {"Hallorann vetoed the budget on Monday.",
                                              "Hallorann vetoed the levy on Tuesday."}
