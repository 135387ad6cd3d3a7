"""What a source is: a person, a group of people, an organization, an outlet, a document,
an anonymous source, or a speaker the extractor could not identify.

A source's kind is read from how the article names it (`index.quotes.cast` for names,
`index.text.descriptions` for descriptions): a person's name, a party or a plural noun for
people (`officials`, `Republicans`), a body's name (`FBI`, `the Clinton campaign`), a news
organization (`The Washington Post`, `the newspaper`), a text that speaks (`the report`, a
statement, a tweet), or a source the article itself keeps anonymous (`a senior official`,
`a source familiar with ...`).
"""

from __future__ import annotations

from coveragebot.index.answers import SOURCE_LABELS
from coveragebot.index.text.analyzer import fold
from coveragebot.index.text.descriptions import OUTLET_WORDS

PERSON = "person"
GROUP = "group"
ORGANIZATION = "organization"
OUTLET = "outlet"
DOCUMENT = "document"
ANONYMOUS = "anonymous"
UNIDENTIFIED = "unidentified"
KINDS = (PERSON, GROUP, ORGANIZATION, OUTLET, DOCUMENT, ANONYMOUS, UNIDENTIFIED)
# How each kind reads beside a name in an answer ("The Washington Post (news outlet)").
LABELS = {PERSON: "person", **SOURCE_LABELS}
# The one name every statement whose speaker could not be told goes under.
NOT_IDENTIFIED = "speaker not identified"
# A quotation no speaker could be named for at all (a title, a slogan): never stored.
UNATTRIBUTED = "unattributed"


def outlet_name(name: str) -> bool:
    """A body's name that is a news organization's: `The Washington Post`, `CNN`."""
    return any(word in OUTLET_WORDS for word in fold(name).replace(".", "").replace("-", " ").split())


def label(kind: str) -> str:
    """The words an answer shows for a kind."""
    return LABELS.get(kind, kind)
