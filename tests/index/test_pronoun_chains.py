"""Who a he or she who speaks refers back to: the main clause's person, the chain of pronouns."""

import pytest

from coveragebot.index.quotes.extract import NOT_IDENTIFIED
from tests.index._statements import speaker_of


@pytest.mark.parametrize(
    ("body", "words", "speaker"),
    [
        # The speaker of the sentence before beats a name inside what he reported.
        ("Press secretary Tom Baxter said Monday that Governor Alan Reed has long called for lower taxes. "
         "He said Reed hopes that his successor will keep them low.",
         "Reed hopes", "Tom Baxter"),
        ("Economist Laura Kim said Maria Diaz's statement did not settle the matter. "
         "“I see no details about who is eligible,” she said.",
         "I see no details", "Laura Kim"),
        # A name in a relative clause is not the sentence's subject.
        ("“We can win this,” Mayor Frank Ortiz said, not even needing to name his old rival, Peter Kohl, "
         "who left the race in May. Voters, he said, want the roads fixed first.",
         "the roads fixed", "Frank Ortiz"),
        # A pronoun the text carries on with keeps its person in focus past the window.
        ("Tom Hale opened the fair. Hale left early. Kevin Marsh wrote a book about saving money. "
         "He gave talks in twelve states. He sold many copies. "
         "Harsh? He does not think so. “I never judge what people buy,” he said.",
         "I never judge", "Kevin Marsh"),
        # A name that closes an apposition is the subject's.
        ("Her guest, the actress and writer Nora Quinn, was emotional as she called for a new vote on the bill.",
         "a new vote", "Nora Quinn"),
        # A she in a subordinate clause teaches Chris Dale no gender.
        ("Gov. Chris Dale described Mayor Anne Hart as a disgrace after she attacked the police. "
         "“It is a disgrace,” he said.",
         "It is a disgrace", "Chris Dale"),
        # Two people of one main clause still leave a he undecided.
        ("Daniel Brooks and Peter Lang met in Boston on Monday. “It went well,” he said.",
         "It went well", NOT_IDENTIFIED),
        ("Daniel Brooks told Peter Lang that the deal was off, and Lang said he would sue. "
         "“We will see them in court,” he said.",
         "We will see them", NOT_IDENTIFIED),
    ],
)
def test_pronoun_speaker_refers_back(nlp, body, words, speaker):
    assert speaker_of(nlp, body, words) == speaker
