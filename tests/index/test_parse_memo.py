"""Extraction computed once per parse gives the records computed afresh, and blocking
names by their words finds what comparing every pair finds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coveragebot.index.analysis import _derived
from coveragebot.index.ingest.loaders import load_article_file
from coveragebot.index.quotes.extract import extract_statements
from coveragebot.index.text.names import NameBlocks, is_name, kind_of, name_parts, name_span, same_entity
from coveragebot.index.text.parse_memo import memo_of, remembering, sentence_bounds
from coveragebot.index.text.sentences import segment
from coveragebot.index.who.extract import extract_actions

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "polnear_sample.json"

NAMES = [
    "World Health Organization", "WHO", "the WHO", "U.S.", "United States", "US", "Donald Trump",
    "Donald J. Trump", "Trump", "Mr. Trump", "Donald Trump Jr.", "Melania Trump", "Treasury",
    "Treasury Department", "U.S. Treasury Department", "the Treasury", "Gustavo Petro", "Petro",
    "Gustavo Francisco Petro", "Hillary Clinton", "Bill Clinton", "Clinton", "UN", "United Nations",
    "Department", "the", "", "Obama", "Barack Obama", "Michelle Obama", "FBI", "Federal Bureau of Investigation",
]


@pytest.mark.parametrize("name", NAMES)
def test_name_blocks_find_the_names_every_pair_compared_finds(name):
    blocks = NameBlocks(NAMES)
    everyone = [added for added in NAMES if same_entity(name, added)]
    assert blocks.matching(name) == everyone
    assert blocks.first_matching(name) == (everyone[0] if everyone else None)


def test_an_acronym_is_compared_with_names_sharing_no_word():
    blocks = NameBlocks(["World Health Organization", "Donald Trump"])
    assert blocks.matching("WHO") == ["World Health Organization"]


def _records(doc, passages):
    return ([s.to_dict() for s in extract_statements(doc, passages)],
            [a.to_dict() for a in extract_actions(doc, passages)])


def test_records_extracted_with_the_memo_equal_those_computed_afresh(nlp):
    [article] = load_article_file(SAMPLE)
    doc, passages = segment(nlp, article.text)
    fresh = _records(doc, passages)  # no memo: every answer computed as asked
    statements, actions = _derived(doc, passages, article.key)
    assert fresh[0] and fresh[1]
    assert json.dumps([list(statements), list(actions)]) == json.dumps([fresh[0], fresh[1]])


def test_remembered_answers_are_the_fresh_ones_and_end_with_the_block(nlp):
    doc = nlp("Treasury Secretary Scott Bessent said the state department would act. Did Mr. Petro agree?")
    fresh = [(name_span(t).text, name_parts(t), kind_of(t), is_name(t), (t.sent.start, t.sent.end)) for t in doc]
    with remembering(doc):
        assert memo_of(doc) is not None
        for _ in range(2):  # asked twice: the second answers come from the memo
            remembered = [(name_span(t).text, name_parts(t), kind_of(t), is_name(t), sentence_bounds(t)) for t in doc]
            assert remembered == fresh
    assert memo_of(doc) is None


def test_a_doc_changed_after_the_block_is_answered_afresh(nlp):
    doc = nlp("Scott Bessent spoke.")
    with remembering(doc):
        assert kind_of(doc[1]) == "PERSON"
    doc.ents = []
    assert kind_of(doc[1]) == ""
