"""The analyzer: inflections, case, accents, acronyms, stopwords."""

from coveragebot.index.text.analyzer import analyze, fold


def test_inflections_share_a_term():
    assert analyze("sanctioned")[0] == analyze("sanctions")[0] == analyze("sanctioning")[0]


def test_case_and_accents_fold():
    assert analyze("Bogota") == analyze("BOGOTÁ") == analyze("bogotá")
    assert fold("Verónica Alcocer") == "veronica alcocer"


def test_dotted_acronyms_match_plain_ones():
    assert analyze("U.S.") == analyze("US") == ["us"]


def test_stopwords_do_not_become_terms():
    assert analyze("the sanctions against the president of the country") == ["sanction", "presid", "countri"]


def test_possessives_drop():
    assert analyze("Petro's claim") == analyze("Petro claim")


def test_folding_strips_every_accent_and_keeps_other_marks():
    # Combining marks go whatever the script; quotes, dashes and symbols outside ASCII stay.
    assert fold("Ǫ̈ Müller’s “café” — Łódź, Ἀθῆναι") == "o muller’s “cafe” — łodz, αθηναι"
    assert fold("𝔘nı e\u0301") == "unı e"  # beyond the Basic Multilingual Plane too


def test_news_punctuation_folds_as_the_full_decomposition_does():
    import unicodedata

    def decomposed(text: str) -> str:
        return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()

    # Curly quotes and dashes take the quick path; an accent, a ligature or a compatibility
    # character beside them still decomposes.
    for text in ("“Go,” she said — ‘now’ «Ja» „Nein“ ‹a›", "“Bogotá’s” mayor", "the ﬁnal – “Ⅻ”", "“Ǆ”"):
        assert fold(text) == decomposed(text), text


def test_words_drop_possessives_and_unify_apostrophes():
    from coveragebot.index.text.analyzer import words

    assert words("Petro’s U.S. allies' plans, it’s the U.N.'s call") == [
        "petro", "us", "allies", "plans", "it", "the", "un", "s", "call"]
    assert words("No apostrophe here, Bogotá.") == ["no", "apostrophe", "here", "bogota"]
