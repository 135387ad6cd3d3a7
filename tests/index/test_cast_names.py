"""The name an article settles a speaker on: where the tagger's person ends, what a surname means."""

import pytest

from tests.index._statements import speaker_of


@pytest.mark.parametrize(
    ("body", "words", "speaker"),
    [
        # Place and job before a name are no part of it: the surname later is hers.
        ("On the radio on Tuesday, Clinton criticized Tulsa, Okla., police officer Betty Shelby for shooting "
         "a man. Shelby later said she suspected the man was armed.",
         "she suspected", "Betty Shelby"),
        # A first name the tagger does not know still belongs to the name.
        ("Amelize Joseph loves the school her daughter attends. “We need the money now,” said Joseph, "
         "who has four children.",
         "We need the money", "Amelize Joseph"),
    ],
)
def test_speaker_name_as_the_article_settles_it(nlp, body, words, speaker):
    assert speaker_of(nlp, body, words) == speaker


def test_a_surname_spelt_one_letter_off_is_the_person_the_article_named(nlp):
    body = ("Two voters, Tyresha McClenney and Bryan Anderson, saw the senator speak. "
            "McLenney said the campaign does not show consistency on the issue.")
    assert speaker_of(nlp, body, "consistency") == "Tyresha McClenney"


def test_a_surname_near_two_names_stays_as_written(nlp):
    body = ("Karen Hollis and Mark Hollins spoke at the rally. "
            "Hollin said the campaign does not show consistency on the issue.")
    assert speaker_of(nlp, body, "consistency") == "Hollin"
