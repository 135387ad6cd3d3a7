"""Counts and sentence ends read as English."""

from __future__ import annotations

import pytest

from coveragebot.index.text.wording import counted, sentence


@pytest.mark.parametrize("number,noun,expected", [
    (0, "passage", "0 passages"), (1, "passage", "1 passage"), (2, "article", "2 articles"),
    (1, "person", "1 person"), (3, "person", "3 people"), (1, "query", "1 query"), (2, "query", "2 queries"),
    (1204, "sentence", "1,204 sentences"),
])
def test_counted_agrees_noun_and_number(number, noun, expected):
    assert counted(number, noun) == expected


@pytest.mark.parametrize("text,expected", [
    ("It could be Acme Holdings Inc.", "It could be Acme Holdings Inc."),
    ("It could be Acme Freight", "It could be Acme Freight."),
    ("They said “we stay.”", "They said “we stay.”"),
    ("Who said it?", "Who said it?"),
    ("Ended with a title ‘Port reopens’", "Ended with a title ‘Port reopens’."),
])
def test_sentence_gets_one_full_stop_never_two(text, expected):
    assert sentence(text) == expected
