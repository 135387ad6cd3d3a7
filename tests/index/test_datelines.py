"""Datelines: where a story was filed, recognised so no extractor reads it."""

import pytest

from index.text.datelines import blank_dateline, dateline


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("JAKARTA (Reuters) - Rescuers pulled bodies from the sea.", "JAKARTA (Reuters) - "),
        ("WASHINGTON — Mr. Obama spoke.", "WASHINGTON — "),
        ("(AP) — The Latest on the race.", "(AP) — "),
        ("MANCHESTER, N.H. (AP) — Hillary Clinton spoke.", "MANCHESTER, N.H. (AP) — "),
        ("ST. LOUIS — The debate began.", "ST. LOUIS — "),
        ("SURABAYA, Indonesia (Reuters) - Rescuers searched.", "SURABAYA, Indonesia (Reuters) - "),
    ],
)
def test_dateline_span(text, expected):
    start, end = dateline(text)
    assert text[start:end] == expected


@pytest.mark.parametrize(
    "text",
    ["US - China trade grew.", "SIEGEL-Lane said no.", "The mayor - who was late - spoke.", "NATO — a short history"],
)
def test_prose_is_not_a_dateline(text):
    assert dateline(text) is None


def test_blanking_keeps_every_offset():
    text = "WASHINGTON (AP) — Ana Ruiz said so."
    blank = blank_dateline(text)
    assert len(blank) == len(text) and blank.lstrip() == "Ana Ruiz said so."
