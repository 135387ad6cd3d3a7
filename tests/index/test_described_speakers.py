"""Speakers the text describes or makes speak: "the Indiana governor", "a spokeswoman for X",
"forced X to admit"."""

import pytest

from coveragebot.index.quotes.extract import extract_statements
from coveragebot.index.text.descriptions import noun_gender
from coveragebot.index.text.sentences import segment
from tests.index._statements import speaker_of


@pytest.mark.parametrize(
    ("body", "words", "speaker"),
    [
        # A description means the main clause's person, not a name in a clause of its own.
        ("Tom Reyes says the tax plan is fair. The Republican candidate was speaking on Friday in Fort Wayne, "
         "Indiana, hours after Mark Ellis unleashed a flurry of tweets. "
         "The Ohio governor said Democrats are to blame for the delay.",
         "Democrats are to blame", "Tom Reyes"),
        # The proper words of a description must fit the role: the Democratic nominee is
        # not the one introduced as the Republican nominee.
        ("Republican presidential nominee Tom Reyes spoke in Ohio on Monday. "
         "Ann Lowe says she is thrilled to receive the endorsement. "
         "The Democratic presidential nominee says every child deserves a fair chance.",
         "every child deserves", "Ann Lowe"),
        # A person's spokeswoman is someone else; a body's spokesman speaks for the body.
        ("A spokeswoman for Ann Lowe says the campaign did not help the singer.",
         "the campaign did not help", "spokeswoman"),
        ("A spokesman for the Treasury Department said the rules would change in May.",
         "the rules would change", "Treasury Department"),
        # A gendered description is never the person of the other gender just named, and
        # reaches back to the last man who stood in a main clause.
        ("Tom Reyes says Ann Lowe is lying about her support for the trade deal. "
         "Reyes said at a rally in Ohio that Lowe once called the deal “the gold standard.” Lowe now says she opposes it. "
         "Reyes charges that countries that gain from the deal gave millions to the Lowe Foundation. "
         "The Ohio businessman says of Lowe, “If she gets the chance, she will sell the office.”",
         "she will sell the office", "Tom Reyes"),
        ("Ann Lowe spoke in Dayton on Monday. Tom Reyes met donors in Toledo. "
         "The congresswoman said the plant would stay open.",
         "the plant would stay open", "Ann Lowe"),
        # The one made to speak speaks.
        ("Senator Ann Lowe forced Tom Reyes to admit that no executives had been punished.",
         "no executives had been punished", "Tom Reyes"),
    ],
)
def test_described_or_prompted_speaker(nlp, body, words, speaker):
    assert speaker_of(nlp, body, words) == speaker


@pytest.mark.parametrize(
    ("noun", "gender"),
    [("businessman", "male"), ("congresswoman", "female"), ("spokeswoman", "female"), ("policeman", "male"),
     ("wife", "female"), ("husband", "male"), ("human", None), ("German", None), ("president", None)],
)
def test_noun_gender(noun, gender):
    assert noun_gender(noun) == gender


@pytest.mark.parametrize(
    "body",
    [
        "“I have always disliked the term,” Rep. Carl Dunn told the group, adding that the phrase suggests "
        "a campaign has to go outside itself to find voters.",
        "Developer Rosa Linde said many of the examples that critics cite failed to note that the program "
        "helped transform poor places.",
        "City Attorney Rosa Linde said in the letter that the advertisement “unmistakably and wrongfully” "
        "suggests that the city and its officers support the campaign.",
    ],
)
def test_a_thing_inside_what_someone_reported_is_no_speaker(nlp, body):
    doc, passages = segment(nlp, body)
    speakers = {s.speaker for s in extract_statements(doc, passages)}
    assert speakers and speakers <= {"Carl Dunn", "Rosa Linde"}


@pytest.mark.parametrize(
    ("body", "words", "speaker"),
    [
        ("The tax plan aims to curb activist investors, according to a speech Ann Lowe delivered in July.",
         "curb activist investors", "Ann Lowe"),
        ("The rules will change next year, according to a statement the Treasury Department released on Monday.",
         "The rules will change", "Treasury Department"),
    ],
)
def test_a_speech_is_the_words_of_whoever_made_it(nlp, body, words, speaker):
    assert speaker_of(nlp, body, words) == speaker


def test_the_republican_is_the_person_in_focus_not_a_person_called_republican(nlp):
    body = ("Tom Reyes is raising questions about his microphone. He says the sound was bad. "
            "The Republican is also urging his supporters at a rally to ask about it. "
            "He says: “I wonder why it was bad.”")
    assert speaker_of(nlp, body, "I wonder why") == "Tom Reyes"


@pytest.mark.parametrize(
    ("body", "words", "speaker"),
    [
        # Nobody fits as a subject: the one person named at all in the last sentences.
        ("The commission says there was indeed a problem with Tom Reyes's microphone. "
         "There was no issue with the sound on television. "
         "The GOP nominee complained about his mic, even suggesting he may have been sabotaged.",
         "he may have been sabotaged", "Tom Reyes"),
        # Two people named that way: the description stays undecided.
        ("Lawyers for both Tom Reyes and Ann Lowe filed papers on Monday. "
         "The nominee argued that the files should stay sealed.",
         "the files should stay sealed", "speaker not identified"),
    ],
)
def test_a_description_with_no_subject_in_view(nlp, body, words, speaker):
    assert speaker_of(nlp, body, words) == speaker


@pytest.mark.parametrize(
    ("body", "words", "speaker"),
    [
        # A body whose name opens with a title word is no person a "he" could mean.
        ("Mr. Tanaka has led the agency since 2007. "
         "It was under Mr. Tanaka's watch that the General Assembly established U.N. Women. "
         "He has championed equal pay. And in recent months, he said he backed the idea of a woman "
         "succeeding him.",
         "he backed the idea", "Tanaka"),
        # Shown speaking: "footage of X asking".
        ("The new ad uses footage of Ann Lowe asking, “Why aren’t I ahead in the polls?”",
         "Why aren’t I ahead", "Ann Lowe"),
    ],
)
def test_who_a_body_or_a_clip_leaves_speaking(nlp, body, words, speaker):
    assert speaker_of(nlp, body, words) == speaker


def test_a_title_with_nobody_in_view_is_the_article_s_one_person_of_that_title(nlp):
    body = ("11:50 a.m.\n\nThe New York state attorney general is confirming that the foundation is not "
            "registered as a charity.\n\nBut Attorney General Eric Lund isn't saying whether the foundation "
            "broke any laws.")
    assert speaker_of(nlp, body, "is not registered") == "Eric Lund"


@pytest.mark.parametrize(
    ("body", "words", "speaker"),
    [
        # A lede describes the speaker; the next sentence introduces the person by name.
        ("A former party chairman says the leaders should name a successor now.\n\n"
         "“It is time to prepare,” said Tom Reyes, who led the party in the 1990s.",
         "should name a successor", "Tom Reyes"),
        ("Ohio’s tax commissioner says an internal review shows nobody leaked the filings.\n\n"
         "Carl Dunn says he instructed staff Monday to check the records.",
         "nobody leaked the filings", "Carl Dunn"),
        # A spokeswoman is not the man named next.
        ("A spokeswoman for the governor says the plant will stay open.\n\n"
         "Tom Reyes said the union would fight any closure.",
         "the plant will stay open", "spokeswoman"),
        # Someone the story keeps unnamed on purpose stays so.
        ("A senior official says the talks have stalled.\n\n"
         "Ann Lowe met the delegation in Geneva on Monday.",
         "the talks have stalled", "senior official"),
        ("A former aide, who spoke on condition of anonymity, says the talks have stalled.\n\n"
         "Ann Lowe met the delegation in Geneva on Monday.",
         "the talks have stalled", "former aide"),
        # A title alone is a description too.
        ("Senator from Ohio says he cannot let the plant close.\n\n"
         "Sen. Tom Reyes is endorsing the union’s plan, the latest turn in a long fight.",
         "he cannot let the plant close", "Tom Reyes"),
        # Someone already in the story is not being introduced.
        ("Ann Lowe met the delegation in Geneva.\n\nA former party chairman says the talks have stalled.\n\n"
         "Ann Lowe said on Monday that she would return.",
         "the talks have stalled", "former party chairman"),
    ],
)
def test_a_described_speaker_is_the_person_the_next_sentence_introduces(nlp, body, words, speaker):
    assert speaker_of(nlp, body, words) == speaker


@pytest.mark.parametrize(
    ("body", "speakers"),
    [
        # The sentence credits the one who reports; what they say another said is theirs.
        ("Tom Reyes says Ann Lowe promised to keep supporting the plan.", {"Tom Reyes"}),
        ("White House spokesman Carl Dunn said Monday that President Ann Lowe has long called for tax fairness.",
         {"Carl Dunn"}),
        # A body or a group reported on is a source of its own.
        ("Ann Lowe said the S.E.C. said it would increase oversight as well.", {"Ann Lowe", "S.E.C."}),
        # A quotation inside the report is still its speaker's own words.
        ("Ann Lowe spoke in Dayton. “We will win,” she said, and Tom Reyes said the crowd cheered.",
         {"Ann Lowe", "Tom Reyes"}),
    ],
)
def test_what_a_speaker_reports_another_said_is_credited_to_the_speaker(nlp, body, speakers):
    doc, passages = segment(nlp, body)
    assert {s.speaker for s in extract_statements(doc, passages)} == speakers
