"""The analyzer: inflections, case, accents, acronyms, stopwords."""

from index.text.analyzer import analyze, fold


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
