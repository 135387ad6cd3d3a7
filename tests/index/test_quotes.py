"""Statements: direct, partial and indirect quotations, and who said them."""

import pytest

from coveragebot.index.quotes.extract import NOT_IDENTIFIED, extract_statements
from coveragebot.index.text.sentences import segment


def statements(nlp, body):
    doc, passages = segment(nlp, body)
    found = extract_statements(doc, passages)
    for s in found:
        # The contract: a statement's text is exactly the printed words.
        assert doc.text[s.start:s.end] == s.text
        assert s.passage_start <= s.start < s.end <= s.passage_end
    return found


def only(found, kind):
    return [s for s in found if s.kind == kind]


def test_direct_quote_before_its_attribution(nlp):
    found = statements(nlp, "“The bridge will reopen in May,” Mayor Ana Ruiz told reporters in Lisbon.")
    (quote,) = only(found, "direct")
    assert quote.text == "The bridge will reopen in May,"
    assert quote.speaker == "Ana Ruiz"
    assert quote.role == "Mayor"
    assert quote.cue.startswith("told reporters")


def test_direct_quote_after_an_unnamed_speaker_is_labelled_by_its_description(nlp):
    found = statements(nlp, 'The company issued a statement saying, "We regret the delay and will refund every customer."')
    (quote,) = only(found, "direct")
    assert quote.text == "We regret the delay and will refund every customer."
    assert (quote.speaker, quote.mention) == ("company", "company")


def test_direct_quote_attributed_through_statement_noun(nlp):
    found = statements(nlp, 'Boeing released a statement saying, "We regret the delay and will refund every customer."')
    (quote,) = only(found, "direct")
    assert quote.speaker == "Boeing"


def test_direct_quote_split_by_its_attribution_is_one_statement(nlp):
    body = "“We will not sell the farm,” Maria Okafor said, “and nobody can make us.”"
    (quote,) = only(statements(nlp, body), "direct")
    assert quote.text == "We will not sell the farm,” Maria Okafor said, “and nobody can make us."
    assert quote.speaker == "Maria Okafor"


def test_quotation_resumed_after_the_attribution_sentence_is_one_statement(nlp):
    body = "“The dam held,” engineer Ruth Adler said. “But the next storm will test it again.” Crews left at noon."
    (quote,) = only(statements(nlp, body), "direct")
    assert quote.text.startswith("The dam held,")
    assert quote.text.endswith("the next storm will test it again.")
    assert quote.speaker == "Ruth Adler"


@pytest.mark.parametrize("title", ["Ms.", "Mr.", "Dr.", "Sen.", "Rep."])
def test_titled_name_after_the_quote_is_the_speaker(nlp, title):
    (quote,) = statements(nlp, f"“It is magic,” {title} Moore said on Friday.")
    assert (quote.speaker, quote.text) == ("Moore", "It is magic,")


def test_mixed_quote_is_one_statement_with_the_whole_reported_clause(nlp):
    body = "Obama said the museum would tell a story of “suffering and delight.”"
    (statement,) = statements(nlp, body)
    assert statement.speaker == "Obama"
    assert statement.text == "the museum would tell a story of “suffering and delight.”"


def test_direct_quote_over_several_sentences(nlp):
    body = "“The river rose overnight. We lost the whole harvest,” farmer Li Wei said on Tuesday."
    (quote,) = only(statements(nlp, body), "direct")
    assert quote.text == "The river rose overnight. We lost the whole harvest,"
    assert quote.speaker == "Li Wei"


def test_quotation_paragraph_continues_the_previous_speaker(nlp):
    body = (
        "“The vote was rigged,” opposition leader Samuel Mensah said on Sunday.\n\n"
        "“We will challenge every result in court.”\n\n"
        "Officials did not respond."
    )
    found = only(statements(nlp, body), "direct")
    assert [s.speaker for s in found] == ["Samuel Mensah", "Samuel Mensah"]
    assert found[1].text == "We will challenge every result in court."


def test_partial_quote_inside_a_sentence(nlp):
    body = "Senator Paula Grant rejected the budget, calling it “a gift to polluters” during a town hall in Denver."
    (quote,) = only(statements(nlp, body), "partial")
    assert quote.text == "a gift to polluters"
    assert quote.speaker == "Paula Grant"
    assert quote.cue.startswith("calling")


@pytest.mark.parametrize(
    ("body", "speaker", "text"),
    [
        # A quotation that ends the reported clause, the cue after it: the clause is the statement.
        ('However laudable the goal, using the capital gains tax "is a misguided approach," said Mr. Tom Reyes.',
         "Tom Reyes", 'However laudable the goal, using the capital gains tax "is a misguided approach,'),
        ("The plant “has made dramatic changes for the better,” Ann Lowe said.",
         "Ann Lowe", "The plant “has made dramatic changes for the better,"),
        # A title before the cue is no clause: only the quoted words.
        ("In an interview on “Meet the Voters,” Ann Lowe said the plant would stay open.",
         None, "Meet the Voters,"),
    ],
)
def test_a_quotation_closing_the_clause_before_its_cue_carries_the_clause(nlp, body, speaker, text):
    found = statements(nlp, body)
    if speaker is None:
        assert all(s.text != "In an interview on “Meet the Voters," for s in found)
    else:
        assert [(s.speaker, s.text) for s in only(found, "partial")] == [(speaker, text)]


def test_scare_quotes_without_a_speaker_are_not_statements(nlp):
    body = "The so-called “agency model” of pricing has been adopted by every large publisher."
    assert statements(nlp, body) == []


@pytest.mark.parametrize(
    ("body", "speaker", "text"),
    [
        (
            "Health Minister Karen Holt said that the clinic would close in June.",
            "Karen Holt",
            "the clinic would close in June",
        ),
        (
            "Karen Holt told the Guardian that the clinic would close in June.",
            "Karen Holt",
            "the clinic would close in June",
        ),
        (
            "The clinic will close in June, according to the Ministry of Health.",
            "Ministry of Health",
            "The clinic will close in June",
        ),
        (
            "The clinic will close in June, the Ministry of Health said on Friday.",
            "Ministry of Health",
            "The clinic will close in June",
        ),
        (
            "Unions protested after Holt's claim to reporters that the clinic lost money every year.",
            "Holt",
            "the clinic lost money every year",
        ),
        (
            "Karen Holt defended the plan, arguing that the clinic had lost money for a decade.",
            "Karen Holt",
            "the clinic had lost money for a decade",
        ),
    ],
)
def test_indirect_speech(nlp, body, speaker, text):
    (statement,) = only(statements(nlp, body), "indirect")
    assert statement.speaker == speaker
    assert statement.text == text


def test_unmarked_quotation_in_the_first_person_is_direct(nlp):
    body = "Tomas Berg spoke outside the court. Not guilty, never guilty, not in our name, he insisted."
    (quote,) = statements(nlp, body)
    assert quote.kind == "direct"
    assert quote.speaker == "Tomas Berg"
    assert quote.text == "Not guilty, never guilty, not in our name"


def test_unmarked_clause_in_the_third_person_is_indirect(nlp):
    body = "The factory will cut 300 jobs next year, plant manager Olga Ivanova said."
    (statement,) = statements(nlp, body)
    assert statement.kind == "indirect"
    assert (statement.speaker, statement.role) == ("Olga Ivanova", "plant manager")


def test_he_added_resolves_to_the_speaker_in_focus(nlp):
    body = (
        "Coach Daniel Brooks said the team had trained hard all winter. "
        "“We are ready for anyone,” he added."
    )
    found = statements(nlp, body)
    assert [s.speaker for s in found] == ["Daniel Brooks", "Daniel Brooks"]
    assert [s.kind for s in found] == ["indirect", "direct"]
    assert found[1].aliases == ("Coach Daniel Brooks",)


def test_pronoun_between_two_people_is_an_unnamed_source_keeping_its_mention(nlp):
    body = "Daniel Brooks and Peter Lang met in Boston on Monday. “It went well,” he said."
    (quote,) = statements(nlp, body)
    assert (quote.speaker, quote.mention) == (NOT_IDENTIFIED, "he")


def test_quote_nobody_can_be_named_for_is_not_kept(nlp):
    assert statements(nlp, "Rain fell all day.\n\n“Nobody told us anything about the flood.”") == []


def test_quotation_paragraph_continues_the_speaker_reported_just_before(nlp):
    body = "Mayor Ana Ruiz said the bridge would reopen.\n\n“We checked every bolt twice.”"
    found = statements(nlp, body)
    assert [(s.speaker, s.kind) for s in found] == [("Ana Ruiz", "indirect"), ("Ana Ruiz", "direct")]


def test_straight_and_curly_marks_mixed_still_pair(nlp):
    (quote,) = statements(nlp, '"I don’t think it is getting attention,” Grassley said.')
    assert (quote.speaker, quote.text) == ("Grassley", "I don’t think it is getting attention,")


def test_organisation_speakers_and_their_documents(nlp):
    body = (
        "The Treasury's remarks pointed out Brazil's rise as the largest exporter of coffee, "
        "which it treats as a strategic good. "
        "In a separate statement, the foreign ministry indicated that it would not attend the summit."
    )
    found = only(statements(nlp, body), "indirect")
    assert [(s.speaker, s.text) for s in found] == [
        ("Treasury", "Brazil's rise as the largest exporter of coffee"),
        ("foreign ministry", "it would not attend the summit"),
    ]


def test_it_resolves_to_the_body_in_focus(nlp):
    body = "The Acme Corporation confirmed the layoffs as part of what it described as a “painful reset” of the business."
    (quote,) = statements(nlp, body)
    assert (quote.kind, quote.speaker, quote.text) == ("partial", "Acme Corporation", "painful reset")


def test_short_names_take_the_full_name_and_list_aliases(nlp):
    body = (
        "Colombian President Gustavo Petro spoke in Bogotá on Friday. "
        "Petro said that the sanctions were an insult to the nation."
    )
    (statement,) = statements(nlp, body)
    assert statement.speaker == "Gustavo Petro"
    assert statement.role == "Colombian President"
    assert "Petro" in statement.aliases
    assert "Colombian President Gustavo Petro" in statement.aliases


def test_negated_speech_is_not_reported(nlp):
    assert statements(nlp, "Karen Holt did not say that the clinic would close.") == []


@pytest.mark.parametrize(
    ("body", "speaker", "text"),
    [
        (
            "Within a year, Mayor Lena Park said, the bridge will carry trams.",
            "Lena Park",
            "Within a year, Mayor Lena Park said, the bridge will carry trams",
        ),
        (
            "Senator Omar Haddad vowed to block the pipeline permit.",
            "Omar Haddad",
            "to block the pipeline permit",
        ),
        (
            "Governor Ines Duarte called on the legislature to restore the school budget.",
            "Ines Duarte",
            "the legislature to restore the school budget",
        ),
        (
            "Governor Ines Duarte has called for a freeze on tuition.",
            "Ines Duarte",
            "a freeze on tuition",
        ),
        (
            "Mayor Lena Park tweeted a map of the flooded streets.",
            "Lena Park",
            "a map of the flooded streets",
        ),
    ],
)
def test_indirect_speech_beyond_that_clauses(nlp, body, speaker, text):
    (statement,) = statements(nlp, body)
    assert (statement.speaker, statement.text) == (speaker, text)


@pytest.mark.parametrize(
    ("body", "speaker", "mention"),
    [
        ("Mayor Bill Ortiz toured the site. The mayor said that the bridge would reopen in May.", "Bill Ortiz", "mayor"),
        ("Tom Reyes sold the hotel. The New York businessman said that the price was fair.", "Tom Reyes", "New York businessman"),
        ("The storm flooded the port. His aides say it is too early to count the damage.", "his aides", "his aides"),
        ("The storm flooded the port. Officials said that the damage ran into millions.", "officials", "officials"),
    ],
)
def test_described_speaker_resolves_to_the_person_in_focus_or_is_labelled(nlp, body, speaker, mention):
    (statement,) = statements(nlp, body)
    assert (statement.speaker, statement.mention) == (speaker, mention)


def test_pronoun_speaker_resolves_to_the_last_named_person_and_keeps_the_mention(nlp):
    body = "Karen Holt runs the clinic. She said that the clinic would stay open."
    (statement,) = statements(nlp, body)
    assert (statement.speaker, statement.mention) == ("Karen Holt", "She")


@pytest.mark.parametrize(
    "body",
    [
        "«Nous sommes contents», said Marie Curie.",
        "„Wir sind froh“, said Marie Curie.",
        "''We are glad,'' said Marie Curie.",
    ],
)
def test_guillemets_german_marks_and_doubled_apostrophes_are_quotation_marks(nlp, body):
    (quote,) = statements(nlp, body)
    assert (quote.kind, quote.speaker) == ("direct", "Marie Curie")
    assert quote.text in ("Nous sommes contents", "Wir sind froh", "We are glad,")


@pytest.mark.parametrize(
    "body",
    [
        "WASHINGTON (AP) — President Ana Ruiz said the deal was fair.",
        "CLEVELAND - Ana Ruiz said the deal was fair.",
        "JAKARTA (Reuters) - Ana Ruiz said the deal was fair.",
    ],
)
def test_dateline_is_never_a_speaker(nlp, body):
    (statement,) = statements(nlp, body)
    assert (statement.speaker, statement.text) == ("Ana Ruiz", "the deal was fair")


def test_transcript_lines_are_statements_by_the_person_the_label_names(nlp):
    body = (
        "Senator Elizabeth Warren questioned John Stumpf on Tuesday.\n\n"
        'Warren: "You went on television to blame thousands of workers."\n\n'
        "Governor Mike Pence spoke next.\n\n"
        "PENCE: We will rebuild our military. We will win again."
    )
    found = only(statements(nlp, body), "direct")
    assert [(s.speaker, s.text) for s in found] == [
        ("Elizabeth Warren", "You went on television to blame thousands of workers."),
        ("Mike Pence", "We will rebuild our military. We will win again."),
    ]


def test_a_name_the_tagger_starts_with_a_stray_word_is_still_a_name(nlp):
    body = (
        "The plans were similar to those of O’Malley and Clinton, although O’Malley "
        "frequently notes that he was the first to put out an immigration platform."
    )
    (statement,) = statements(nlp, body)
    assert statement.speaker == "O’Malley"


@pytest.mark.parametrize("body, speaker", [
    ("The remark refers to the lawsuit that the Federal Trade Commission filed against three banks last year,"
     " claiming that the banks hid fees from their customers.", "Federal Trade Commission"),
    # A subject that can speak keeps the participle, whatever clause comes between.
    ("Senator Maria Lopez criticised the plan that the Treasury published on Monday,"
     " arguing that it would raise costs for farmers.", "Maria Lopez"),
])
def test_a_participle_cue_belongs_to_the_clause_whose_subject_can_speak(nlp, body, speaker):
    (statement,) = only(statements(nlp, body), "indirect")
    assert statement.speaker == speaker
