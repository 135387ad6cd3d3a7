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
