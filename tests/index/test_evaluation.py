"""Scoring statements against gold, and the article files the gold names."""

import json

import pytest

from coveragebot.index.evaluation.quotes import (
    find_article_files,
    format_report,
    score_statements,
    textacy_statements,
    token_f1,
)
from coveragebot.index.quotes.extract import Statement
from coveragebot.index.text.sentences import segment


def said(speaker, text, kind):
    return Statement(speaker, "", (), text, kind, "said", 0, len(text), 0, len(text))


def test_token_f1_ignores_case_accents_and_punctuation():
    assert token_f1("We will not kneel,", "we will NOT kneel") == 1.0
    assert token_f1("Bogotá", "BOGOTA") == 1.0
    assert token_f1("one two three four", "one two") == pytest.approx(2 / 3)
    assert token_f1("", "anything") == 0.0


def test_score_statements_counts_kinds_speakers_and_overlap():
    gold = {
        "a": {
            "quotes": [
                {"speaker": "Gustavo Petro", "aliases": ["Petro"], "text": "We will not kneel,", "kind": "direct"},
                {"speaker": "U.S. Treasury", "aliases": [], "text": "enabling drug cartels", "kind": "partial"},
                {"speaker": "Scott Bessent", "aliases": [], "text": "cartels have flourished under Petro", "kind": "indirect"},
            ]
        }
    }
    predicted = {
        "a": [
            said("petro", "We will not kneel", "direct"),  # alias, case-insensitive
            said("US Treasury", "enabling drug cartels", "partial"),  # dots do not matter
            said("Gustavo Petro", "cartels have flourished under Petro", "indirect"),  # wrong mouth
            said("Scott Bessent", "something else entirely", "indirect"),  # wrong words
        ]
    }
    scores = score_statements(gold, predicted)
    assert (scores["direct"].precision, scores["direct"].recall) == (1.0, 1.0)
    assert (scores["partial"].precision, scores["partial"].recall) == (1.0, 1.0)
    assert (scores["indirect"].precision, scores["indirect"].recall) == (0.0, 0.0)
    assert scores["direct+partial"].f1 == 1.0
    assert scores["all"].precision == 0.5
    assert scores["all"].recall == pytest.approx(2 / 3)


def test_a_prediction_matches_at_most_one_gold_statement():
    gold = {"a": {"quotes": [{"speaker": "X", "aliases": [], "text": "same words here", "kind": "direct"}] * 2}}
    scores = score_statements(gold, {"a": [said("X", "same words here", "direct")]})
    assert scores["direct"].recall == 0.5
    assert scores["direct"].precision == 1.0


def test_find_article_files_by_json_id_and_text_stem(tmp_path):
    (tmp_path / "01_story.json").write_text(json.dumps({"id": "story-1", "text": "Body."}))
    (tmp_path / "seed_2.txt").write_text("Body.")
    (tmp_path / "other.json").write_text(json.dumps({"id": "unrelated", "text": "Body."}))
    found = find_article_files(["story-1", "seed_2", "missing"], [tmp_path])
    assert found == {"story-1": tmp_path / "01_story.json", "seed_2": tmp_path / "seed_2.txt"}


def test_textacy_baseline_and_report(nlp):
    doc, _ = segment(nlp, "“We will not kneel,” Petro told the crowd.")
    baseline = textacy_statements(doc)
    assert [(s.speaker, s.text, s.kind) for s in baseline] == [("Petro", "We will not kneel,", "direct")]
    scores = score_statements({"a": {"quotes": []}}, {"a": baseline})
    report = format_report(scores, scores)
    assert "direct+partial" in report and "textacy" in report
