"""Both renderers end an answer that closes on an abbreviation with one full stop."""

from __future__ import annotations

from coveragebot.bot.chat.render import pages
from coveragebot.bot.terminal.render import render
from coveragebot.index.answers import ArticleRef, Hit, QuotesAnswer, StatementHit

_REF = ArticleRef(1, "k", "Freight deal", "Wire", "", "", "2025-01-01")
_SAID = StatementHit("Acme Holdings Inc.", "", "We will buy it.", "direct", "said", Hit(1, "“We will buy it.”", _REF, 0),
                     statement_id=1)
AMBIGUOUS = QuotesAnswer("quotes", person="Acme", speaker="Acme Holdings Inc.", statements=(_SAID,),
                         candidates=("Acme Holdings Inc.", "Acme Freight Inc."), others=("Acme Freight Inc.",))


def test_terminal_others_ending_in_inc_take_no_second_full_stop():
    text = render(AMBIGUOUS)
    assert "Also matching “Acme”: Acme Freight Inc. Ask" in text and "Inc.." not in text


def test_discord_others_ending_in_inc_take_no_second_full_stop():
    [field] = pages(AMBIGUOUS)[0].embed.fields
    assert field.value.startswith("Also matching “Acme”: Acme Freight Inc. Ask") and "Inc.." not in field.value
