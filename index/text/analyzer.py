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
_POSSESSIVE = re.compile(r"['’]s$")
_stemmer = Stemmer.Stemmer("english")


# Typographic quotes and dashes: NFKD leaves them as they are, and they have no case.
_PLAIN_PUNCTUATION = dict.fromkeys(map(ord, "‘’‚“”„–—‹›«»"))


def fold(text: str) -> str:
    """Lowercase and strip accents: `Bogotá` and `BOGOTA` fold alike."""
    if text.isascii() or text.translate(_PLAIN_PUNCTUATION).isascii():
        # Nothing to decompose: the common case, and search folds every passage it ranks.
        # Curly quotes and dashes (most news text) have no decomposition and no case.
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    if max(decomposed) <= "\uffff":
        return _combining_marks().sub("", decomposed).casefold()
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()


@functools.lru_cache(maxsize=1)
def _combining_marks() -> re.Pattern:
    # Accents left by NFKD; one character class over the Basic Multilingual Plane strips
    # them in C (quoted passages are rarely ASCII: curly quotes and dashes). Built at the
    # first accented text, not at import: scanning the plane takes a cold start 0.05 s.
    marks = "".join(chr(c) for c in range(0x300, 0x10000) if unicodedata.combining(chr(c)))
    return re.compile(f"[{re.escape(marks)}]")


def words(text: str) -> list[str]:
    """Folded word tokens of `text`, possessives dropped (`Petro's` -> `petro`)."""
    folded = fold(text)
    if "." in folded:
        folded = _ACRONYM.sub(lambda m: m.group(0).replace(".", "") + " ", folded)
    found = _WORD.findall(folded)
    if "'" not in folded and "’" not in folded:
        return found  # no apostrophe: nothing to drop or unify (the common case, and fast)
    return [_POSSESSIVE.sub("", word).replace("’", "'") if "'" in word or "’" in word else word
            for word in found]


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball stem of a folded word (`sanctioned`, `sanctions` -> `sanction`)."""
    return _stemmer.stemWord(word)


def stem_start(term: str) -> str:
    """A beginning every word with this stem contains (`rul` for `rule` <- ruling).

    A Snowball stem keeps its word's beginning up to a final `e`, `i` or `y` it may have
    added (`happi` <- happy, `possibl` <- possibility), so a cheap substring test on
    folded text can pass over text before anything is stemmed.
    """
    start = term.rstrip("eiy") if len(term) > 2 else term
    return (start[:-1] if start.endswith("bl") else start) or term


def analyze(text: str) -> list[str]:
    """Index terms of `text`: folded, stopwords removed, stemmed, in order."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


def statement_terms(text: str, passage: str) -> str:
    """What `!quotes X about Y` ranks a statement by: the terms of its words and of its
    passage, space-separated (a term has no space), as stored beside the statement."""
    return " ".join(analyze(text + " " + passage.strip()))
