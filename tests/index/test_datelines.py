"""Datelines: where a story was filed, recognised so no extractor reads it."""

import pytest

from coveragebot.index.text.datelines import blank_dateline, dateline


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


def test_a_dateline_after_the_deck_is_blanked_but_not_one_further_down():
    opening = "Two are now sparring.\n\nMYRTLE BEACH, S.C. - Sen. Ted Cruz continued his attack."
    assert blank_dateline(opening) == opening.replace("MYRTLE BEACH, S.C. - ", " " * 21)
    later = "One.\nTwo.\nThree.\nFour.\nWASHINGTON — The Senate voted."
    assert blank_dateline(later) == later


async def test_an_agent_is_never_the_dateline_after_a_deck(empty_service):
    body = ("After a previously amicable rapport, two are now sparring.\n\n"
            "MYRTLE BEACH, S.C. - Sen. Ted Cruz continued his attack on Donald Trump on Saturday.")
    from coveragebot.index.ingest.articles import Article

    await empty_service.add_articles([Article("cruz", "Cruz and Trump", body)], actor="test")
    agents = {a.agent for a in (await empty_service.who("continued")).agents}
    assert agents and not any("MYRTLE" in a for a in agents)
