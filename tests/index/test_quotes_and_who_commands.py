"""`!quotes`, `!people` and `!who` end to end: stored at ingest, answered by lookup."""

from __future__ import annotations

from coveragebot.index.ingest.articles import Article
from coveragebot.index.commands import Origin, run
from coveragebot.index.service import Service

CLI = Origin(frontend="cli", actor="test")


async def test_quotes_petro_spans_both_seeds_with_he_added_and_he_asserted(service):
    answer = await run(service, "!quotes Petro", CLI)
    assert answer.speaker == "Gustavo Petro"
    keys = {s.passage.article.key for s in answer.statements}
    assert keys == {"000_17be2d3fc3a7a9ed", "004_c9b221dd130e149a"}
    by_cue = {s.cue.split()[0]: s for s in answer.statements}
    assert by_cue["added"].text.startswith("Trump doesn’t even know where Colombia is.")
    assert by_cue["asserted"].text.startswith("A complete paradox")
    assert all(s.passage.text for s in answer.statements)


async def test_quotes_json_fields(service):
    answer = await run(service, "!quotes Bessent", CLI)
    data = answer.to_json()
    first = data["results"][0]
    assert set(first) >= {"speaker", "text", "kind", "cue", "passage", "article"}
    assert set(first["article"]) == {"id", "key", "title", "outlet", "author", "url", "published"}
    assert first["speaker"] == "Scott Bessent"


async def test_quotes_about_topic_keeps_only_that_topic(service):
    answer = await run(service, "!quotes Bessent about cocaine", CLI)
    assert [s.text for s in answer.statements] == [
        "under Petro's leadership, cocaine production in Colombia has exploded to the highest rate in decades, "
        "flooding the United States and poisoning Americans"]


async def test_quotes_groups_by_article_newest_first(empty_service):
    older = Article("old", "Old", "“The bridge is safe,” said Mayor Ana Ruiz on Monday.", published="2024-01-02")
    newer = Article("new", "New", "“We will rebuild the pier,” Ruiz told reporters.", published="2025-06-01")
    await empty_service.add_articles([older, newer], actor="test")
    answer = await run(empty_service, "!quotes Ana Ruiz", CLI)
    assert [s.passage.article.key for s in answer.statements] == ["new", "old"]


async def test_quotes_match_without_accents_and_list_ambiguous_names(empty_service):
    await empty_service.add_articles([
        Article("a", "A", "“Prices will fall,” said Verónica Alcocer, the finance minister."),
        Article("b", "B", "“We are ready,” said John Smith. “The vote is close,” said Jane Smith."),
    ], actor="test")
    found = await run(empty_service, "!quotes Veronica Alcocer", CLI)
    assert [s.text for s in found.statements] == ["Prices will fall,"]
    ambiguous = await run(empty_service, "!quotes Smith", CLI)
    assert ambiguous.statements == () and {c.name for c in ambiguous.choices} == {"John Smith", "Jane Smith"}
    assert [s.text for s in (await run(empty_service, "!quotes Jane Smith", CLI)).statements] == ["The vote is close,"]


async def test_people_counts_statements_and_articles(service):
    answer = await run(service, "!people", CLI)
    petro = next(p for p in answer.people if p.name == "Gustavo Petro")
    assert petro.articles == 2 and petro.statements >= 6


async def test_unknown_person_says_so(service):
    answer = await run(service, "!quotes Zelensky", CLI)
    assert answer.statements == () and answer.candidates == ()


async def test_who_sanctioned_names_the_us_and_the_treasury(service):
    answer = await run(service, "!who sanctioned", CLI)
    agents = [a.agent for a in answer.agents]
    assert agents[:2] == ["the US", "U.S. Treasury Department"]
    assert agents[-1] == "not stated"
    treasury = answer.agents[1]
    assert treasury.evidence[0].text.startswith("On Friday, the U.S. Treasury Department announced sanctions")


async def test_who_deployed_quotes_the_department_as_printed(service):
    answer = await run(service, "!who deployed", CLI)
    assert answer.agents[0].agent == "U.S. Departmnet of War"
    assert "USS Gerald Ford" in answer.agents[0].evidence[0].text


async def test_who_with_target_ranks_matching_actions_first_and_keeps_the_rest(service):
    answer = await run(service, "!who sanctioned Benedetti", CLI)
    plain = await run(service, "!who sanctioned", CLI)
    assert answer.agents[0].agent == "U.S. Treasury Department"
    assert sorted(a.agent for a in answer.agents) == sorted(a.agent for a in plain.agents)


async def test_who_json_fields(service):
    data = (await run(service, "!who sanctioned", CLI)).to_json()
    first = data["results"][0]
    assert set(first) >= {"agent", "action", "target", "passage", "article"}
    assert first["article"]["key"] == "004_c9b221dd130e149a"
    assert all("mention" in ev for r in data["results"] for ev in r["evidence"])


async def test_removed_article_leaves_quotes_and_who(service):
    await run(service, "!remove 2", CLI)
    quotes = await run(service, "!quotes Bessent", CLI)
    assert quotes.statements == ()
    who = await run(service, "!who sanctioned", CLI)
    assert "the US" not in [a.agent for a in who.agents]


async def test_cue_keeps_its_object_and_place(service):
    answer = await run(service, "!quotes Petro", CLI)
    told = next(s for s in answer.statements if s.cue.startswith("told"))
    assert told.cue == "told cheering crowds in Bogotá’s Plaza de Bolívar"


async def test_a_name_several_people_share_asks_which_with_their_counts(empty_service):
    await empty_service.add_articles([
        Article("a", "A", "“Taxes will fall,” said Hillary Clinton. “Jobs first,” Hillary Clinton said on Monday. "
                          "“We will win,” said Hillary Clinton in Ohio."),
        Article("b", "B", "“I was there,” said Bill Clinton. “It was cold,” said Chelsea Clinton. "
                          "“Not again,” said George Clinton."),
    ], actor="test")
    answer = await run(empty_service, "!quotes Clinton", CLI)
    assert answer.statements == () and answer.speaker == ""
    assert [(c.name, c.statements) for c in answer.choices][0] == ("Hillary Clinton", 3)
    assert {c.name for c in answer.choices} == {"Hillary Clinton", "Bill Clinton", "Chelsea Clinton", "George Clinton"}
    assert "Hillary Clinton (3 in 1 article)" in answer.empty_text() and "Which one?" in answer.empty_text()
    assert answer.to_json()["choices"][0] == {"name": "Hillary Clinton", "statements": 3, "articles": 1,
                                               "aliases": [], "kind": "person"}
    exact = await run(empty_service, "!quotes Bill Clinton", CLI)
    assert exact.speakers == ("Bill Clinton",) and [s.text for s in exact.statements] == ["I was there,"]


async def test_a_bare_surname_joins_the_person_who_dominates_it(empty_service):
    await empty_service.add_articles([
        Article("a", "A", "“We will build it,” said Donald Trump. “Believe me,” said Donald Trump. "
                          "“It is huge,” said Donald Trump in Iowa. “Sad,” said Donald Trump."),
        Article("b", "B", "“My father is right,” said Ivanka Trump."),
        Article("c", "C", "“Nobody knows more,” Trump said."),
    ], actor="test")
    answer = await run(empty_service, "!quotes Trump", CLI)
    assert answer.speaker == "Donald Trump"
    assert "Nobody knows more," in [s.text for s in answer.statements if s.speaker == "Donald Trump"]
    people = {p.name for p in (await run(empty_service, "!people", CLI)).people}
    assert "Trump" not in people and {"Donald Trump", "Ivanka Trump"} <= people


async def test_quotes_splits_the_topic_only_at_about(empty_service):
    await empty_service.add_articles([
        Article("a", "A", "“The debate is set,” said the Commission on Presidential Debates."),
    ], actor="test")
    answer = await run(empty_service, "!quotes Commission on Presidential Debates", CLI)
    assert answer.topic == "" and answer.person == "Commission on Presidential Debates"
    assert [s.text for s in answer.statements] == ["The debate is set,"]


async def test_a_misspelt_name_suggests_the_speaker_spelt_alike(service):
    answer = await run(service, "!quotes Petr", CLI)
    assert answer.statements == () and answer.suggestions[0] == "Gustavo Petro"


async def test_a_person_mentioned_but_never_quoted_counts_the_mentions(service):
    answer = await run(service, "!quotes Benedetti", CLI)
    assert answer.statements == () and answer.mentions == 2  # one passage in each seed
    nobody = await run(service, "!quotes Zelensky", CLI)
    assert nobody.mentions == 0 and nobody.suggestions == ()


async def test_who_answers_from_a_store_written_before_keys_carried_the_agent(sqlite_settings):
    import sqlite3

    settings = sqlite_settings
    from coveragebot.index.storage.schema import MIGRATIONS

    settings.db_path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(settings.db_path)
    for version, script in enumerate(MIGRATIONS[:6], start=1):
        con.executescript(script + f"; PRAGMA user_version = {version};")
    con.executescript(
        "INSERT INTO articles (id, key, title, text, text_hash) VALUES (1, 'a', 'A', 'Acme fined Bolt.', 'h');"
        "INSERT INTO sentences (id, article_id, position, paragraph, start, end, text)"
        " VALUES (1, 1, 0, 0, 0, 16, 'Acme fined Bolt.');"
        "INSERT INTO actions (id, article_id, sentence_id, agent, agent_key, verb, keys, action, target,"
        " passage_start, passage_end) VALUES (1, 1, 1, 'Acme', 'acme', 'fine', 'fine', 'fined', 'Bolt', 0, 16);"
        "INSERT INTO action_keys (key, action_id) VALUES ('fine', 1);"
    )
    con.close()
    service = await Service.open(settings, seed=False)
    try:
        answer = await run(service, "!who fined Bolt", CLI)
        assert [(a.agent, a.action, a.target) for a in answer.agents] == [("Acme", "fined", "Bolt")]
    finally:
        await service.close()


async def test_every_listed_name_reaches_its_own_person_before_one_also_called_so(empty_service):
    await empty_service.add_articles([
        Article("a", "A", "“The fund broke the rules,” said the Securities and Exchange Commission (S.E.C.). "
                          "“We will appeal,” said the Securities and Exchange Commission."),
        Article("b", "B", "“The filing is late,” the S.E.C. said."),
    ], actor="test")
    people = (await run(empty_service, "!people", CLI)).people
    for person in people:
        assert (await run(empty_service, f"!quotes {person.name}", CLI)).speaker == person.name
