"""Both renderers end an answer that closes on an abbreviation with one full stop."""

from __future__ import annotations

from bot.render_discord import pages
from bot.render_text import render
from index.answers import QuotesAnswer

AMBIGUOUS = QuotesAnswer("quotes", person="Acme", candidates=("Acme Holdings Inc.", "Acme Freight Inc."))


def test_terminal_candidates_ending_in_inc_take_no_second_full_stop():
    assert render(AMBIGUOUS) == "“Acme” could be: Acme Holdings Inc.; Acme Freight Inc. Be more specific."


def test_discord_candidates_ending_in_inc_take_no_second_full_stop():
    assert pages(AMBIGUOUS)[0].content == (
        "“Acme” could be: Acme Holdings Inc.; Acme Freight Inc. Please be more specific.")
