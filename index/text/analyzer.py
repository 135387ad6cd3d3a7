"""Text folding and the analyzer that turns text into index terms."""

from __future__ import annotations

import functools
import re
import unicodedata

import Stemmer

# Words that carry no topic: English function words plus reporting filler.
STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been
    before being below between both but by can could did do does doing down during
    each few for from further had has have having he her here hers herself him
    himself his how i if in into is it its itself just me more most my myself no nor
    not now of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours yourself yourselves
    also s t don mr mrs ms
    """.split()
)

_WORD = re.compile(r"[0-9a-z]+(?:['’][0-9a-z]+)*")
# Dotted acronyms fold to one word, so `U.S.` and `US` are the same term.
_ACRONYM = re.compile(r"\b(?:[a-z]\.){2,}")
_stemmer = Stemmer.Stemmer("english")


def fold(text: str) -> str:
    """Lowercase and strip accents: `Bogotá` and `BOGOTA` fold alike."""
    if text.isascii():
        # Nothing to decompose: the common case, and search folds every passage it ranks.
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()


def words(text: str) -> list[str]:
    """Folded word tokens of `text`, possessives dropped (`Petro's` -> `petro`)."""
    out = []
    folded = _ACRONYM.sub(lambda m: m.group(0).replace(".", "") + " ", fold(text))
    for word in _WORD.findall(folded):
        out.append(re.sub(r"['’]s$", "", word).replace("’", "'"))
    return out


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball stem of a folded word (`sanctioned`, `sanctions` -> `sanction`)."""
    return _stemmer.stemWord(word)


def analyze(text: str) -> list[str]:
    """Index terms of `text`: folded, stopwords removed, stemmed, in order."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]
