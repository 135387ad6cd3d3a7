"""Paragraphs, then spaCy sentences, with offsets, headings and whole quotations."""

from __future__ import annotations

import pytest

from coveragebot.index.text.sentences import paragraph_spans, segment


def test_passages_keep_offsets_into_the_body(nlp):
    body = "The council met on Monday. It approved the budget.\n\nCritics objected loudly."
    _, passages = segment(nlp, body)
    assert [p.text for p in passages] == [
        "The council met on Monday.", "It approved the budget.", "Critics objected loudly."]
    assert [p.paragraph for p in passages] == [0, 0, 1]
    assert all(body[p.start:p.end] == p.text for p in passages)


def test_section_label_is_a_heading_not_glued_to_the_next_sentence(nlp):
    body = "Lead sentence here.\n\nWhy it matters:\n\nThe vote changes the tax code."
    _, passages = segment(nlp, body)
    texts = [(p.text, p.heading) for p in passages]
    assert ("Why it matters:", True) in texts
    assert ("The vote changes the tax code.", False) in texts


def test_heading_on_its_own_line_without_blank_line(nlp):
    _, passages = segment(nlp, "Driving the news:\nThe bridge reopened on Friday.")
    assert [p.text for p in passages] == ["Driving the news:", "The bridge reopened on Friday."]


def test_quotation_over_two_sentences_is_one_passage(nlp):
    body = "“The bridge is safe. We checked every bolt,” the engineer said on Tuesday."
    _, passages = segment(nlp, body)
    assert [p.text for p in passages] == [body]


def test_single_newlines_after_sentences_split_paragraphs():
    text = "First paragraph ends here.\nSecond one starts.\nA wrapped line that\ncontinues here."
    spans = [text[a:b] for a, b in paragraph_spans(text)]
    assert spans == ["First paragraph ends here.", "Second one starts.", "A wrapped line that\ncontinues here."]


def test_closing_quote_after_the_stop_stays_with_its_sentence(nlp):
    body = 'The minister said: "The river is rising fast." Crews worked all night.'
    _, passages = segment(nlp, body)
    assert all(p.text.strip('"”') for p in passages)
    assert passages[0].text.endswith('fast."')


def test_no_sentence_break_after_a_m_before_a_lowercase_word(nlp):
    _, passages = segment(nlp, "The meeting starts at 10 a.m. on Monday. It ends at noon.")
    assert [p.text for p in passages] == ["The meeting starts at 10 a.m. on Monday.", "It ends at noon."]


def test_line_ending_in_a_colon_inside_prose_is_not_a_heading(nlp):
    _, passages = segment(nlp, "This occurs for two reasons:\n\nFirst, the rain came early.")
    assert [p.heading for p in passages] == [False, False]


def test_section_label_with_a_question_word_is_a_heading(nlp):
    _, passages = segment(nlp, "Why it matters:\n\nThe vote changes the tax code.")
    assert passages[0].heading


@pytest.mark.parametrize(
    "body",
    [
        "“Who would have believed that we would win almost every county?” Mayor Okafor said, looking out on the crowd.",
        "“You winning?” she asked, but Kevin was drifting off again.",
        "“Enough!” the senator shouted at the reporters.",
        "“Why is this bank still not broken up?” Senator Vitter demanded.",
    ],
)
def test_a_question_or_exclamation_and_its_attribution_are_one_passage(nlp, body):
    _, passages = segment(nlp, body)
    assert [p.text for p in passages] == [body]


def test_a_quoted_question_before_a_new_sentence_stays_apart(nlp):
    body = "“Who pays for the bridge?” That was the question on Monday."
    _, passages = segment(nlp, body)
    assert len(passages) == 2
