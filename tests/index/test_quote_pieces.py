"""A quotation in pieces: its attribution between them, words the parser hangs on the cue."""

import pytest

from tests.index.test_quotes import only, statements


def test_a_quotation_ending_in_not_is_still_reported(nlp):
    # The parser may read a quotation's closing "not" as negating the verb after it.
    body = '"Will the levee hold? Probably not," Ms. Adler said.'
    (quote,) = only(statements(nlp, body), "direct")
    assert quote.text == "Will the levee hold? Probably not,"
    assert quote.speaker == "Adler"


@pytest.mark.parametrize("attribution", ["Ms. Adler said.", "said Lt. Gen. Ruth Adler.", "Dr. R. J. Adler said."])
def test_a_quotation_resumed_after_an_attribution_with_abbreviations_is_one_statement(nlp, attribution):
    body = f'"The dam held," {attribution} "But the next storm will test it again." Crews left at noon.'
    (quote,) = only(statements(nlp, body), "direct")
    assert quote.text.startswith("The dam held,")
    assert quote.text.endswith("the next storm will test it again.")
    assert quote.speaker.endswith("Adler")



@pytest.mark.parametrize(
    ("name", "first"),
    [
        # The parser takes the show's name for a second subject of "said" ...
        ("Wendt", "He's absolutely right. There's a severe disconnect between this palace and frankly the king and our army,"),
        # ... or for the only one, hanging the speaker's name on the quotation.
        ("Haddad", "He's absolutely right. There's a severe disconnect between this White House and frankly the president and our military,"),
    ],
)
def test_a_quoted_show_title_is_neither_the_speaker_nor_what_was_said(nlp, name, first):
    body = (
        f"Retired Lt. Gen. Michael {name} said Donald Trump was “absolutely right” when he said Wednesday night that under "
        f"President Barack Obama, “the generals have been reduced to rubble.”\n\n“{first}” {name}, a top Moreno surrogate, "
        f"said Thursday morning on Fox News’s “Fox and Friends.” “I mean, there's a lot of frustration within the ranks.”"
    )
    found = [s for s in statements(nlp, body) if s.start > body.index("\n")]
    assert [s.text[:10] for s in found] == ["He's absol", "I mean, th"]
    assert {s.speaker for s in found} == {f"Michael {name}"}


def test_a_quoted_question_goes_to_the_attribution_after_it_not_to_the_voice_before(nlp):
    body = (
        "“That’s right, Lena,” Marta said to the mayor.\n\n"
        "“Who would have believed that we would win almost every county?” Mayor Okafor said, looking out on the crowd."
    )
    question = next(s for s in statements(nlp, body) if s.text.startswith("Who would"))
    assert question.speaker == "Okafor"


@pytest.mark.parametrize(
    ("body", "text"),
    [
        (
            "Mayor Ana Ruiz says the council's letters were “unhinged, even for them.”",
            "the council's letters were “unhinged, even for them.”",
        ),
        (
            "Okafor said the words “lump” the honest farmers with the rest.",
            "the words “lump” the honest farmers with the rest",
        ),
    ],
)
def test_a_reported_clause_whose_head_the_tagger_misreads_keeps_its_quoted_words(nlp, body, text):
    # The clause's head is tagged an adjective or a noun, but it has a subject of its own.
    (statement,) = statements(nlp, body)
    assert statement.text == text


@pytest.mark.parametrize(
    ("body", "speaker", "text"),
    [
        (
            "Mary Hale is a nurse. After saying her right foot was “so swollen I could barely get my shoe on,” "
            "she was “whisked … off to the hospital” for tests.",
            "Mary Hale",
            "her right foot was “so swollen I could barely get my shoe on,”",
        ),
        (
            "Dr. Hale earned the attention of Congress, where he appeared at a 2014 Senate hearing for his role in "
            "promoting weight-loss aids on his show and for saying that green coffee extract was a “magic weight loss "
            "cure for every body type.”",
            "Hale",
            "green coffee extract was a “magic weight loss cure for every body type.”",
        ),
    ],
)
def test_a_gerund_after_a_preposition_speaks_for_the_subject_of_its_clause(nlp, body, speaker, text):
    (statement,) = [s for s in statements(nlp, body) if s.cue == "saying"]
    assert (statement.speaker, statement.text) == (speaker, text)


def test_one_of_a_group_with_a_name_in_apposition_is_that_person(nlp):
    body = "In a statement, one of the family's lawyers, Ana Ruiz, said the videos show the driver calmly leaving his car."
    (statement,) = statements(nlp, body)
    assert statement.speaker == "Ana Ruiz"
    assert statement.text == "the videos show the driver calmly leaving his car"


@pytest.mark.parametrize(
    ("body", "text"),
    [
        (
            "He claimed that paying no income taxes was smart, although he again refused to pledge to release his "
            "tax returns before the election.",
            "paying no income taxes was smart",
        ),
        (
            "She said fathers and parents who adopt would not be eligible for the six weeks of paid leave, and when "
            "pressed on why the plan leaves out dads, the 34-year-old mother of three replied, \"It is meant to "
            "benefit the mother.\"",
            "fathers and parents who adopt would not be eligible for the six weeks of paid leave",
        ),
    ],
)
def test_a_reported_clause_ends_before_the_writers_concession_or_a_second_attribution(nlp, body, text):
    found = statements(nlp, f"Mayor Ana Ruiz spoke on Monday. {body}")
    assert found[0].text == text


@pytest.mark.parametrize(
    ("body", "text"),
    [
        (
            "Though she called the bank’s conduct “outrageous” and called for compensation to be “clawed back” for "
            "responsible executives, Clinton restricted her comments.",
            "compensation to be “clawed back” for responsible executives",
        ),
        (
            "Trump tweeted in the early morning hours that Machado was “disgusting” and “a con” and encouraged "
            "Americans to “check out” her tape.",
            "Machado was “disgusting” and “a con” and encouraged Americans to “check out” her tape",
        ),
    ],
)
def test_a_clause_the_parser_hangs_beside_the_cue_is_still_what_was_said(nlp, body, text):
    assert text in [s.text for s in statements(nlp, body)]


def test_a_speech_verb_the_tagger_reads_as_a_plural_noun_is_still_a_cue(nlp):
    found = statements(nlp, "Maria Lopez spoke on Monday. But Trump claims that he should be the exception.")
    assert [(s.speaker, s.text) for s in found] == [("Trump", "he should be the exception")]


def test_a_relative_clause_after_a_list_of_names_speaks_for_the_last_one(nlp):
    body = (
        "The gala featured singers like Ana Ruiz, Maria Lopez, Tom Berg, Lena Park and Omar Haddad, who joked "
        "of the hall, \"I haven't seen it yet, but I'm going to.\""
    )
    (quote,) = statements(nlp, body)
    assert quote.speaker == "Omar Haddad"
