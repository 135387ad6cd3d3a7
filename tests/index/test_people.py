"""The people registry: each speaker one identity across the archive, on both backends.

Articles here are made up; each row of the table is a chain of mentions an editor would
read as one person (or as two), and what `!quotes` and `!people` must then answer.
"""

from __future__ import annotations

import pytest

from coveragebot.index.commands import Origin, run
from coveragebot.index.ingest.articles import Article, articles_from_json

CLI = Origin(frontend="cli", actor="editor")


async def quotes(service, name: str):
    return await run(service, f"!quotes {name}", CLI)


async def texts_of(service, name: str) -> set[str]:
    return {s.text for s in (await quotes(service, name)).statements}


async def people(service) -> dict[str, object]:
    return {p.name: p for p in (await run(service, "!people", CLI)).people}


async def test_a_full_name_then_mr_then_he_is_one_person_across_articles(empty_service):
    await empty_service.add_articles([
        Article("a", "Rally", "Donald J. Trump spoke in Ohio on Monday. “We will win,” Mr. Trump said. "
                              "He added that “the polls are wrong.”\n\n“Believe me,” he said."),
        Article("b", "Debate", "“I was right,” said Donald Trump after the debate."),
    ], actor="test")
    found = await texts_of(empty_service, "Donald Trump")
    assert {"We will win,", "the polls are wrong.", "Believe me,", "I was right,"} <= found
    listed = await people(empty_service)
    trumps = [name for name in listed if "Trump" in name]
    assert len(trumps) == 1 and trumps[0] in ("Donald Trump", "Donald J. Trump")


async def test_mr_and_mrs_clinton_stay_two_people_within_an_article(empty_service):
    await empty_service.add_articles([
        Article("a", "Two Clintons",
                "Bill Clinton and Hillary Clinton campaigned in Iowa on Tuesday.\n\n"
                "“The economy is strong,” Mr. Clinton said.\n\n"
                "“We need a raise for workers,” Mrs. Clinton said.\n\n"
                "“I have never seen a crowd like this,” Bill Clinton said later."),
    ], actor="test")
    assert await texts_of(empty_service, "Bill Clinton") == {"The economy is strong,", "I have never seen a crowd like this,"}
    assert await texts_of(empty_service, "Hillary Clinton") == {"We need a raise for workers,"}
    which = await quotes(empty_service, "Clinton")
    assert which.statements == () and {c.name for c in which.choices} == {"Bill Clinton", "Hillary Clinton"}
    assert "Which one?" in which.empty_text()


async def test_a_surname_alone_joins_the_person_its_gender_fits(empty_service):
    await empty_service.add_articles([
        Article("a", "A", "“Hope is on the ballot,” said Barack Obama in Ohio."),
        Article("b", "B", "“Go vote,” said Michelle Obama in Philadelphia."),
        Article("c", "C", "The president spoke late. “We are not done,” Mr. Obama said."),
    ], actor="test")
    assert "We are not done," in await texts_of(empty_service, "Barack Obama")
    assert await texts_of(empty_service, "Michelle Obama") == {"Go vote,"}


async def test_a_titled_surname_is_not_the_one_full_name_of_the_other_gender(empty_service):
    # The article's only full Obama is Michelle, yet it writes "Mr. Obama" too: the
    # president it names is the other Obama, whom the archive knows in full.
    await empty_service.add_articles([
        Article("a", "A", "“Hope is on the ballot,” said Barack Obama in Ohio."),
        Article("b", "B",
                "President Obama told voters on Saturday that staying home would be a personal insult.\n\n"
                "Michelle Obama has also campaigned in Philadelphia. “Go vote,” she said.\n\n"
                "“We are not done,” Mr. Obama said."),
    ], actor="test")
    barack = await texts_of(empty_service, "Barack Obama")
    assert "staying home would be a personal insult" in barack and "We are not done," in barack
    assert await texts_of(empty_service, "Michelle Obama") == {"Go vote,"}


async def test_a_suffix_names_another_person(empty_service):
    await empty_service.add_articles([
        Article("a", "A", "“The wall will be built,” said Donald Trump in Texas."),
        Article("b", "B", "“My father is a great man,” said Donald Trump Jr. at the convention."),
    ], actor="test")
    assert await texts_of(empty_service, "Donald Trump") == {"The wall will be built,"}
    assert await texts_of(empty_service, "Donald Trump Jr.") == {"My father is a great man,"}
    assert {"Donald Trump", "Donald Trump Jr."} <= set(await people(empty_service))


async def test_a_descriptor_before_a_name_is_not_part_of_it(empty_service):
    await empty_service.add_articles([
        Article("a", "A", "“The system is rigged,” said Vermonter Bernie Sanders on Sunday."),
        Article("b", "B", "“We will fight on,” said Bernie Sanders in Burlington."),
    ], actor="test")
    listed = await people(empty_service)
    assert "Bernie Sanders" in listed and not any(name.startswith("Vermonter") for name in listed)
    assert await texts_of(empty_service, "Bernie Sanders") == {"The system is rigged,", "We will fight on,"}


async def test_tweet_markup_never_reaches_a_name_or_a_statement(empty_service):
    [article] = articles_from_json(
        '{"id": "t", "title": "Tweets", "text": "The newspaper posted a reply. '
        '<tweet id=\\"747970077610352640\\" author=\\"@thedailybeast\\" datetime=\\"2016-06-29\\">'
        'Trump reportedly wants Mike Tyson at the convention</tweet>.\\n\\n'
        '“That is false,” said Hope Hicks, a campaign spokeswoman."}', "t.json", "t")
    assert "<" not in article.text and "datetime" not in article.text and "— @thedailybeast" in article.text
    await empty_service.add_articles([article], actor="test")
    listed = await people(empty_service)
    assert "Hope Hicks" in listed
    assert not any(c in name for name in listed for c in '<>="')
    stored = await empty_service.store.rows("SELECT text, speaker FROM statements /* every workspace */")
    assert stored and not any("datetime" in r["text"] or "datetime" in r["speaker"] for r in stored)


@pytest.mark.parametrize("introduced, later, person", [
    # A surname that is also a title word is still the surname: Mr. King is Larry King.
    ("Larry King hosts a show on the network.", "“I have never been edited,” Mr. King said.", "Larry King"),
    # Several descriptor and title words before a name are not part of it.
    ("New York Congressman Pete King met donors.", "“We need more agents,” said Pete King.", "Pete King"),
    ("Justice Anna Verlaine ruled on Friday.", "“The records stay sealed,” Justice Anna Verlaine wrote.", "Anna Verlaine"),
])
async def test_titles_and_descriptors_before_a_name_leave_the_person(empty_service, introduced, later, person):
    await empty_service.add_articles([Article("a", "A", f"{introduced}\n\n{later}")], actor="test")
    listed = await people(empty_service)
    assert person in listed and listed[person].kind == "person"
    assert not any(name.startswith(("Mr. Mr.", "New York", "Justice")) for name in listed)
    assert len(await texts_of(empty_service, person)) == 1


@pytest.mark.parametrize("sentence, speaker", [
    ("Demonstrators said they would march again on Sunday.", "Demonstrators"),
    ("Several former station journalists complained that they had no free hand.", "Several former station journalists"),
    ("Proponents urged the council to keep the program.", "Proponents"),
])
async def test_plural_people_without_a_name_are_a_group_not_an_unidentified_speaker(empty_service, sentence, speaker):
    await empty_service.add_articles([Article("a", "A", "The council met on Monday. " + sentence)], actor="test")
    # A description keeps the case the sentence gave it, or the lower case of its noun.
    listed = {name.lower(): person for name, person in (await people(empty_service)).items()}
    assert speaker.lower() in listed and listed[speaker.lower()].kind == "group"
    assert "speaker not identified" not in listed


@pytest.mark.parametrize("sentence, speaker, kind", [
    ("Officials said the bridge would reopen in May.", "officials", "group"),
    ("A senior official said the talks had stalled.", "senior official", "anonymous"),
    ("The report said wages had risen for a third year.", "report", "document"),
    ("The Harbour Tribune reported that the mayor would resign.", "Harbour Tribune", "outlet"),
])
async def test_sources_that_are_not_people_are_labelled_for_what_they_are(empty_service, sentence, speaker, kind):
    await empty_service.add_articles([Article("a", "A", "The council met on Monday. " + sentence)], actor="test")
    listed = {p.name: p for p in (await run(empty_service, "!people", CLI)).people}
    assert speaker in listed and listed[speaker].kind == kind
    answer = await quotes(empty_service, speaker)
    assert answer.speaker == speaker and answer.speaker_kind == kind
    only = await run(empty_service, f"!people kind:{kind}", CLI)
    assert [p.name for p in only.people] == [speaker]


async def test_a_speaker_nobody_could_place_is_not_an_unnamed_source(empty_service):
    await empty_service.add_articles([
        Article("a", "A", "The storm hit the coast overnight.\n\n“We lost everything,” she said.")], actor="test")
    listed = await people(empty_service)
    assert "unnamed source" not in listed
    assert listed["speaker not identified"].kind == "unidentified"


async def test_people_lists_people_before_other_sources(empty_service):
    await empty_service.add_articles([
        Article("a", "A", "Officials said the road was closed. Officials said it would reopen. "
                          "Officials said crews were at work. “It will be fine,” said Maria Lopez."),
    ], actor="test")
    names = [p.name for p in (await run(empty_service, "!people", CLI)).people]
    assert names.index("Maria Lopez") < names.index("officials")


async def test_fix_split_and_merge_act_on_identities_and_survive_reindex(empty_service):
    await empty_service.add_articles([
        Article("a", "A", "“We will rebuild,” said Ana Ruiz, the mayor."),
        Article("b", "B", "“Prices will fall,” Ruiz told reporters."),
        Article("c", "C", "“The bridge is safe,” said Ana M. Ruiz on Friday."),
    ], actor="test")
    assert await texts_of(empty_service, "Ana Ruiz") == {"We will rebuild,", "Prices will fall,", "The bridge is safe,"}
    prices = next(s for s in (await quotes(empty_service, "Ana Ruiz")).statements if s.text == "Prices will fall,")
    split = await run(empty_service, f"!fix split Ana Ruiz {prices.statement_id} as Tomas Ruiz", CLI)
    assert split.level == "ok", split.text
    assert await texts_of(empty_service, "Tomas Ruiz") == {"Prices will fall,"}
    assert "Prices will fall," not in await texts_of(empty_service, "Ana Ruiz")
    await empty_service.add_articles([Article("d", "D", "“Nothing changes,” said Rosa Vidal.")], actor="test")
    merged = await run(empty_service, "!fix merge Rosa Vidal into Ana Ruiz", CLI)
    assert merged.level == "ok", merged.text
    await empty_service.reindex(actor="editor")
    assert await texts_of(empty_service, "Tomas Ruiz") == {"Prices will fall,"}
    assert await texts_of(empty_service, "Ana Ruiz") == {"We will rebuild,", "The bridge is safe,", "Nothing changes,"}
    assert "Rosa Vidal" not in await people(empty_service)


async def test_split_without_a_name_keeps_the_statements_apart_under_their_own_name(empty_service):
    await empty_service.add_articles([
        Article("a", "A", "“We will rebuild,” said Ana Ruiz, the mayor. “Prices will fall,” Ana Ruiz said later."),
    ], actor="test")
    prices = next(s for s in (await quotes(empty_service, "Ana Ruiz")).statements if s.text == "Prices will fall,")
    assert (await run(empty_service, f"!fix split Ana Ruiz {prices.statement_id}", CLI)).level == "ok"
    assert await texts_of(empty_service, "Ana Ruiz") == {"We will rebuild,"}
    assert await texts_of(empty_service, "Ana Ruiz (2)") == {"Prices will fall,"}
    wrong = await run(empty_service, f"!fix split Ana Ruiz {prices.statement_id}", CLI)
    assert wrong.level == "refusal" and "not Ana Ruiz's" in wrong.text


async def test_removing_an_article_takes_its_speakers_out_of_the_registry(empty_service):
    [first, second] = await empty_service.add_articles([
        Article("a", "A", "“We will rebuild,” said Ana Ruiz, the mayor."),
        Article("b", "B", "“The tide is high,” said Omar Haddad."),
    ], actor="test")
    await empty_service.remove_article(second.article.id, actor="test")
    assert set(await people(empty_service)) == {"Ana Ruiz"}
    assert await empty_service.store.scalar("SELECT count(*) FROM name_forms WHERE name = 'Omar Haddad' /* every workspace */") == 0


async def test_mojibake_is_undone_before_names_are_read(empty_service):
    [article] = articles_from_json(
        '{"id": "m", "title": "Paris", "text": "“We will not yield,” said French President Fran\\u00c3\\u00a7ois '
        'Hollande on Monday."}', "m.json", "m")
    assert "François Hollande" in article.text
    await empty_service.add_articles([article], actor="test")
    assert "François Hollande" in await people(empty_service)


async def test_a_handle_that_speaks_is_the_person_it_spells(empty_service):
    await empty_service.add_articles([
        Article("a", "A", "Paul Ryan spoke to reporters on Monday.\n\n@SpeakerRyan tweeted that the vote would "
                          "happen this week."),
    ], actor="test")
    answer = await quotes(empty_service, "Paul Ryan")
    assert [s.text for s in answer.statements] == ["the vote would happen this week"]
    assert answer.statements[0].mention == "@SpeakerRyan"


async def test_people_refuses_a_kind_it_does_not_know(empty_service):
    answer = await run(empty_service, "!people kind:martians", CLI)
    assert answer.level == "usage" and "kind:" in answer.text


async def test_a_statement_over_two_sentences_shows_its_whole_passage(settings):
    """Most passages are read from their sentence's row; one over two sentences from the body."""
    from coveragebot.index.service import Service

    service = await Service.open(settings, seed=False)
    try:
        await service.add_articles([Article(
            "a", "A", "The mayor spoke on Monday. “The bridge is safe,” said Ana Ruiz, the city engineer. "
                      "“We checked every bolt.” Traffic resumed. “Repairs are done,” Ruiz said.",
            published="2024-01-05")], actor="test")
        whole = "“The bridge is safe,” said Ana Ruiz, the city engineer. “We checked every bolt.”"
        listed = await run(service, "!quotes Ana Ruiz", CLI)
        assert [h.passage.text for h in listed.statements] == [whole, "“Repairs are done,” Ruiz said."]
        about = await run(service, "!quotes Ana Ruiz about bolts", CLI)
        assert [h.passage.text for h in about.statements] == [whole]
    finally:
        await service.close()


async def test_long_listings_show_their_first_part_and_say_how_many_while_json_lists_all(settings):
    """A speaker quoted thousands of times, a newsroom with thousands of sources: chat and the
    terminal list the newest statements and the most quoted sources, with the totals."""
    from coveragebot.index.service import Service
    from coveragebot.index.settings import with_overrides

    service = await Service.open(with_overrides(settings, quotes_max_listed=2), seed=False)
    try:
        await service.add_articles([
            Article("a", "A", "“The bridge is safe,” said Ana Ruiz. “Taxes will rise,” said Omar Haddad.",
                    published="2024-01-05"),
            Article("b", "B", "“We will rebuild,” said Ana Ruiz. Officials said the road was closed.",
                    published="2024-03-01"),
            Article("c", "C", "“Prices will fall,” said Ana Ruiz. “Go vote,” said Lena Park. "
                              "The Ledger reported that the mill had closed.", published="2024-02-10"),
            Article("d", "D", "“Nothing changes,” said Ana Ruiz. “Nothing changes,” said Ana Ruiz.",
                    published=""),
        ], actor="test")
        listed = await run(service, "!quotes Ana Ruiz", CLI)
        # Newest story first, an undated one last; the repeated paragraph is one statement.
        assert [s.text for s in listed.statements] == ["We will rebuild,", "Prices will fall,"]
        assert listed.total == 4 and listed.counted_text == "newest 2 of 4 statements"
        everything = await run(service, "!quotes Ana Ruiz", Origin(frontend="cli", actor="script", export=True))
        assert [s.text for s in everything.statements][:2] == ["We will rebuild,", "Prices will fall,"]
        assert len(everything.statements) == 4 and everything.to_json()["total"] == 4
        assert everything.counted_text == "4 statements"

        sources = await run(service, "!people", CLI)
        # Most quoted first; equals by name.
        assert [p.name for p in sources.people if p.kind == "person"] == ["Ana Ruiz", "Lena Park"]
        # The registry counts statements as !quotes lists them: the repeated paragraph once.
        assert sources.people[0].statements == listed.total == 4
        headings = [heading for heading, _ in sources.sections()]
        assert headings == ["Who is quoted (the 2 most quoted of 3)", "Other sources"]
        full = await run(service, "!people", Origin(frontend="cli", actor="script", export=True))
        assert {p.name for p in full.people if p.kind == "person"} == {"Ana Ruiz", "Omar Haddad", "Lena Park"}
        assert [heading for heading, _ in full.sections()][0] == "Who is quoted"
    finally:
        await service.close()


async def test_a_paragraph_repeated_more_often_than_a_page_has_rows_still_counts_once(settings):
    from coveragebot.index.service import Service
    from coveragebot.index.settings import with_overrides

    service = await Service.open(with_overrides(settings, quotes_max_listed=2), seed=False)
    try:
        repeated = "\n\n".join(["“Nothing changes,” said Ana Ruiz."] * 30)
        await service.add_articles([
            Article("old", "Old", "“The bridge is safe,” said Ana Ruiz.", published="2024-01-05"),
            Article("new", "New", repeated, published="2024-03-01"),
        ], actor="test")
        listed = await run(service, "!quotes Ana Ruiz", CLI)
        assert [s.text for s in listed.statements] == ["Nothing changes,", "The bridge is safe,"]
        assert listed.total == 2
    finally:
        await service.close()


async def test_quotes_about_ranks_from_the_terms_stored_with_each_statement(settings):
    """`about` reads each statement's stored terms (its words and its passage's), written at
    the add and rewritten by a re-index; the passage's words count, not only the quote's."""
    from coveragebot.index.service import Service
    from coveragebot.index.text.analyzer import statement_terms

    service = await Service.open(settings, seed=False)
    try:
        await service.add_articles([Article(
            "a", "Harbour", "Dredging of the harbour began on Monday.\n\n"
                            "“It will take a year,” said Ana Ruiz, speaking about the harbour dredging.\n\n"
                            "“Taxes will not rise,” Ruiz said.\n\n"
                            "“The school opens in May,” Ruiz said of the new school.")], actor="test")
        rows = await service.store.rows(
            "SELECT st.text, st.terms, a.text AS body, st.passage_start, st.passage_end FROM statements st"
            " JOIN articles a ON a.id = st.article_id WHERE st.workspace = ?", (service.store.workspace,))
        assert len(rows) == 3
        for row in rows:
            assert row["terms"] == statement_terms(row["text"], row["body"][row["passage_start"]:row["passage_end"]])
        # "dredging" is in the passage only; "taxes" in the quote.
        dredging = await run(service, "!quotes Ana Ruiz about dredging", CLI)
        assert [s.text for s in dredging.statements] == ["It will take a year,"]
        taxes = await run(service, "!quotes Ana Ruiz about taxes", CLI)
        assert [s.text for s in taxes.statements] == ["Taxes will not rise,"]
        assert (await run(service, "!quotes Ana Ruiz about bananas", CLI)).statements == ()
        # A re-index writes the statements anew, terms included.
        await service.store.execute("UPDATE statements SET terms = '' WHERE workspace = ?", (service.store.workspace,))
        assert (await run(service, "!quotes Ana Ruiz about dredging", CLI)).statements == ()
        await service.reindex("test")
        assert [s.text for s in (await run(service, "!quotes Ana Ruiz about dredging", CLI)).statements] == [
            "It will take a year,"]
    finally:
        await service.close()


async def test_rows_added_after_the_newest_was_removed_point_at_their_own_sentences(settings):
    """Sentences and actions are written in batches whose ids are worked out, not returned
    one by one: after a removal frees the highest ids, each row still points at its own."""
    from coveragebot.index.service import Service

    service = await Service.open(settings, seed=False)
    try:
        await service.add_articles([Article("a", "A", "The council met on Monday. The mayor resigned.")], actor="test")
        await service.add_articles([Article("b", "B", "Storms hit the coast. “We are ready,” said Ana Ruiz.")],
                                   actor="test")
        newest = max(await service.store.article_ids())
        await service.remove_article(newest, actor="test")
        await service.add_articles([Article("c", "C", "The senator sanctioned the bank.\n\n"
                                                      "“It broke the law,” said Ana Ruiz on Friday.")], actor="test")
        for sentence_id, start, end, text, body in await service.store.tuples(
                'SELECT s.id, s.start, s."end", s.text, a.text FROM sentences s JOIN articles a ON a.id = s.article_id'
                " WHERE s.workspace = ?", (service.store.workspace,)):
            assert body[start:end] == text, sentence_id
        for table in ("statements", "actions"):
            pointed = await service.store.tuples(
                f"SELECT s.start, s.\"end\", t.passage_start FROM {table} t JOIN sentences s ON s.id = t.sentence_id"
                " WHERE t.workspace = ?", (service.store.workspace,))
            assert pointed and all(start <= at < end for start, end, at in pointed), table
        who = await run(service, "!who sanctioned", CLI)
        assert who.agents and who.agents[0].evidence[0].text == "The senator sanctioned the bank."
        assert [s.text for s in (await run(service, "!quotes Ana Ruiz", CLI)).statements] == ["It broke the law,"]
    finally:
        await service.close()
