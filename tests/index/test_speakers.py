"""Speaker names: roles, same-entity tests, clustering, queries, pronoun focus."""

import pytest

from coveragebot.index.text.focus import Focus
from coveragebot.index.text.names import cluster_names, name_matches, same_entity, split_role


@pytest.mark.parametrize(
    ("surface", "name", "role"),
    [
        ("Treasury Secretary Scott Bessent", "Scott Bessent", "Treasury Secretary"),
        ("Colombian President Gustavo Petro", "Gustavo Petro", "Colombian President"),
        ("former Prime Minister Theresa May", "Theresa May", "former Prime Minister"),
        ("Secretary of State Marco Rubio", "Marco Rubio", "Secretary of State"),
        ("Acme CEO Jane Doe", "Jane Doe", "Acme CEO"),
        ("airline boss Tony Fernandes", "Tony Fernandes", "airline boss"),
        ("John Sargent, Macmillan CEO", "John Sargent", "Macmillan CEO"),
        ("Gustavo Petro", "Gustavo Petro", ""),
        ("Martin Luther King", "Martin Luther King", ""),
        ("Department of War", "Department of War", ""),
        ("U.S. Treasury Department", "U.S. Treasury Department", ""),
        ("the state department", "state department", ""),
    ],
)
def test_split_role_strips_titles_but_keeps_names_and_bodies(surface, name, role):
    assert split_role(surface) == (name, role)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Petro", "Gustavo Petro", True),
        ("President Gustavo Petro", "Petro", True),
        ("Veronica Alcocer", "Verónica Alcocer", True),
        ("PETRO", "gustavo petro", True),
        ("Treasury", "U.S. Treasury Department", True),
        ("US Treasury", "U.S. Treasury", True),
        ("WHO", "World Health Organization", True),
        ("Gustavo", "Gustavo Petro", False),
        ("Amazon", "Amazon Web Services", False),
        ("US", "U.S. Treasury Department", False),
        ("Department", "State Department", False),
        ("Nicolás Petro", "Gustavo Petro", False),
    ],
)
def test_same_entity(a, b, same):
    assert same_entity(a, b) is same
    assert same_entity(b, a) is same


def test_cluster_names_maps_short_forms_to_longest_full_name():
    clusters = cluster_names(["Petro", "President Gustavo Petro", "Gustavo Petro", "Bessent", "Scott Bessent"])
    assert clusters["Petro"] == "Gustavo Petro"
    assert clusters["President Gustavo Petro"] == "Gustavo Petro"
    assert clusters["Bessent"] == "Scott Bessent"


def test_cluster_names_leaves_an_ambiguous_surname_alone():
    clusters = cluster_names(["Gustavo Petro", "Nicolás Petro", "Petro"])
    assert clusters["Petro"] == "Petro"
    assert clusters["Nicolás Petro"] == "Nicolás Petro"


@pytest.mark.parametrize(
    ("query", "found"),
    [("Alcocer", True), ("Veronica Alcocer", True), ("verónica alcocer", True), ("First Lady", False), ("Petro", False)],
)
def test_name_matches_surname_full_name_and_accents(query, found):
    assert name_matches(query, "Verónica Alcocer", ()) is found


def test_name_matches_an_alias():
    assert name_matches("Treasury", "U.S. Treasury Department", ["Treasury Department"])
    assert not name_matches("Pentagon", "U.S. Treasury Department", ["Treasury Department"])


def test_focus_resolves_he_to_most_recent_person_not_body():
    focus = Focus()
    focus.note("Scott Bessent", "PERSON")
    focus.new_sentence()
    focus.note("Treasury", "ORG")
    assert focus.resolve("he") == "Scott Bessent"
    assert focus.resolve("it") == "Treasury"


def test_focus_is_undecided_between_two_people_of_one_sentence():
    focus = Focus()
    focus.note("Gustavo Petro", "PERSON")
    focus.note("Donald Trump", "PERSON")
    assert focus.resolve("he") is None


def test_focus_uses_titles_for_gender():
    focus = Focus()
    focus.note("Mrs. Jane Doe", "PERSON")
    focus.new_sentence()
    focus.note("Mr. John Roe", "PERSON")
    assert focus.resolve("she") == "Jane Doe"
    assert focus.resolve("he") == "John Roe"


def test_focus_forgets_names_outside_its_window():
    focus = Focus()
    focus.note("John Roe", "PERSON")
    for _ in range(Focus.WINDOW + 1):
        focus.new_sentence()
    assert focus.resolve("he") is None
    assert focus.resolve("we") is None
