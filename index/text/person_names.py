"""A person's name taken apart: first name, middle names, surname, suffix; gender and nicknames.

These are the pieces identities are keyed and compared on: the surname blocks candidates
across the archive, and within a block the first name (a nickname or an initial of it), the
suffix (`Jr.` is another person) and the gender keep people apart. First names are looked up
in two curated lists: gender-guesser (first name -> gender) and nicknames (Bill ~ William).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from coveragebot.index.text.analyzer import fold

# Words that close a name and name another generation ("Donald Trump Jr." is not his father).
SUFFIXES = {"jr": "jr", "jr.": "jr", "sr": "sr", "sr.": "sr", "ii": "ii", "iii": "iii", "iv": "iv"}
# Lower-case words inside a surname: "Bill de Blasio", "Vincent van Gogh".
_PARTICLES = frozenset("de da del della der di du la le van von bin al el dos das ter ten".split())
# Honorifics that say a gender, and the titles in front of a name that say nothing of it.
MALE_HONORIFICS = frozenset(["mr", "mr.", "sir", "lord", "king", "prince", "father", "brother"])
FEMALE_HONORIFICS = frozenset(["mrs", "mrs.", "ms", "ms.", "miss", "lady", "dame", "queen", "princess",
                               "madam", "madame", "sister"])
_TOKEN = re.compile(r"[^\s]+")
# A name token: a capital, then letters, apostrophes, hyphens, dots ("O'Neill", "Holtz-Eakin", "J.").
_NAME_TOKEN = re.compile(r"^[A-ZÀ-ÖØ-Þ][\w'’.\-]*$")
_INITIAL = re.compile(r"^[A-Za-z]\.?$")
_NICKNAME = re.compile(r"^[\"“'‘][A-Z][\w.-]*[\"”'’]$")


@dataclass(frozen=True)
class NameParts:
    """A person's name: `Hillary Rodham Clinton` -> first hillary, middle rodham, surname clinton."""

    first: str  # folded; '' when only a surname is known ("Mr. Clinton")
    middle: tuple[str, ...]
    surname: str  # folded, particles included ("de blasio")
    suffix: str  # jr, sr, ii, iii, iv or ''

    @property
    def block(self) -> str:
        """The candidate key across the archive: the surname's last word."""
        return self.surname.split()[-1] if self.surname else ""


# Asked of the same names at every mention while an article is read: cached, as are
# clean_person_name, handle_name and looks_personal (pure functions of a string).
@functools.lru_cache(maxsize=16384)
def parse_name(name: str) -> NameParts:
    """Take a person's name (titles already off) apart into first, middle, surname, suffix."""
    tokens = [t.strip(",") for t in _TOKEN.findall(name.replace("’", "'"))]
    tokens = [t for t in tokens if t]
    # An honorific is taken off the front, but never the last word: "Mr. King" is a King.
    while len(tokens) > 1 and fold(tokens[0]) in MALE_HONORIFICS | FEMALE_HONORIFICS:
        tokens = tokens[1:]
    suffix = ""
    if len(tokens) > 1 and fold(tokens[-1]) in SUFFIXES:
        suffix = SUFFIXES[fold(tokens[-1])]
        tokens = tokens[:-1]
    if not tokens:
        return NameParts("", (), "", suffix)
    nickname = next((t for t in tokens[:-1] if _NICKNAME.match(t)), None)
    if nickname is not None:
        # 'Robert C. "Bobby" Scott' goes by Bobby: the nickname is the first name.
        rest = [t for t in tokens if t is not nickname]
        tokens = [nickname.strip("\"“”'‘’"), *rest[1:]]
    # The surname is the last word and the particles before it.
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1].lower() in _PARTICLES:
        start -= 1
    surname = " ".join(_folded(t) for t in tokens[start:])
    if start == 0:
        return NameParts("", (), surname, suffix)
    first = _folded(tokens[0])
    middle = tuple(_folded(t) for t in tokens[1:start])
    return NameParts(first, middle, surname, suffix)


def _folded(token: str) -> str:
    return fold(token).strip(".'").replace("’", "'")


def is_initial(word: str) -> bool:
    """`J.` or `J`: a first or middle name written as its initial."""
    return bool(_INITIAL.match(word))


@functools.lru_cache(maxsize=1)
def _gender_detector():
    import gender_guesser.detector

    return gender_guesser.detector.Detector(case_sensitive=False)


@functools.lru_cache(maxsize=65536)
def first_name_gender(first: str) -> str | None:
    """`male` / `female` for a first name the list knows as that one, else None."""
    if len(first) < 2 or is_initial(first):
        return None
    # Only names the list gives one gender ("Terry" is mostly male, and often not).
    guess = _gender_detector().get_gender(first.capitalize())
    return guess if guess in ("male", "female") else None


@functools.lru_cache(maxsize=65536)
def is_first_name(word: str) -> bool:
    """Whether a word is a given name the list knows (`Bernie` yes, `Vermonter` no)."""
    if len(word) < 2 or not word[:1].isalpha():
        return False
    return _gender_detector().get_gender(word.capitalize()) != "unknown"


@functools.lru_cache(maxsize=1)
def _nick_namer():
    from nicknames import NickNamer

    return NickNamer()


@functools.lru_cache(maxsize=65536)
def _forms_of(first: str) -> frozenset[str]:
    namer = _nick_namer()
    canonical = namer.canonicals_of(first) | {first}
    return frozenset(canonical | {n for c in canonical for n in namer.nicknames_of(c)})


def same_first_name(a: str, b: str) -> bool:
    """Two first names of one person: equal, one a nickname of the other, or an initial of it."""
    if not a or not b:
        return True
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return b in _forms_of(a) or a in _forms_of(b)


def gender_of_honorific(word: str) -> str | None:
    """`male` for Mr., `female` for Mrs./Ms., else None."""
    folded = fold(word)
    if folded in MALE_HONORIFICS:
        return "male"
    if folded in FEMALE_HONORIFICS:
        return "female"
    return None


def looks_like_name_token(token: str) -> bool:
    """A capitalised word that may be part of a proper name."""
    return bool(_NAME_TOKEN.match(token)) or token.lower() in _PARTICLES


_HANDLE = re.compile(r"^\.?@(\w{2,30})$")


@functools.lru_cache(maxsize=16384)
def handle_name(text: str) -> str | None:
    """The name a social-media handle spells: `@realDonaldTrump` -> `Donald Trump`,
    `@SpeakerRyan` -> `Speaker Ryan`; None for text that is no handle."""
    match = _HANDLE.match(text.strip())
    if match is None:
        return None
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|_", " ", match.group(1))
    words = [w[:1].upper() + w[1:] for w in spaced.split()]
    return clean_person_name(" ".join(words)) if words else None


# A possessive before a name says whose it is: "Fox News's Ed Henry" is Ed Henry of Fox News.
_POSSESSOR = re.compile(r"^.*['’]s\s+(?=\S)")
_DASHES = re.compile(r"\s+[-–—]\s+")
_MARKUP = re.compile(r"[<>=\"@#/\\|{}\[\]]|\d")


@functools.lru_cache(maxsize=16384)
def clean_person_name(name: str) -> str:
    """A person's name as a newsroom prints it: no descriptor, outlet or stray word before it.

    `Vermonter Bernie Sanders` -> `Bernie Sanders`; `Fox News's Ed Henry` -> `Ed Henry`;
    `Encore Wealth - Kevin Rogers` -> `Kevin Rogers`. Words are dropped from the front only
    up to a known first name with a surname after it.
    """
    text = " ".join(name.split())
    parts = [p for p in _DASHES.split(text) if p]
    if len(parts) > 1:
        # The part shaped most like a person's name: a first name and a surname.
        named = [p for p in parts if len(p.split()) >= 2 and is_first_name(fold(p.split()[0]).strip("."))]
        text = named[-1] if named else parts[-1]
    tail = _POSSESSOR.sub("", text)
    if tail != text and len(tail.split()) >= 2 and all(looks_like_name_token(t) for t in tail.split()):
        text = tail
    tokens = text.split()
    honorific = tokens[:1] if tokens and fold(tokens[0]) in MALE_HONORIFICS | FEMALE_HONORIFICS else []
    tokens = tokens[len(honorific):]
    # One word before a known first name that a surname (and initials) follow is a
    # descriptor ("Vermonter", "Crooked", "Miss Universe"); "Aung San Suu Kyi" keeps its
    # words, as "San" is followed by two names, and "J. Edgar Hoover" its initial.
    # Several such words go too: "New York Congressman Pete King" is Pete King.
    for start in range(1, len(tokens) - 1):
        before, name = tokens[:start], tokens[start:]
        if any(is_initial(t) or is_first_name(_folded(t)) for t in before):
            break
        if is_first_name(_folded(name[0])) and all(is_initial(t) or _NICKNAME.match(t) for t in name[1:-1]):
            return " ".join(name)
    return " ".join(honorific + tokens)


def is_markup(name: str) -> bool:
    """Text no person's name holds: tags, attributes, handles, digits."""
    return bool(_MARKUP.search(name))


@functools.lru_cache(maxsize=16384)
def looks_personal(name: str) -> bool:
    """Shaped like a person's name: a known first name, then one to three capitalised words."""
    words = name.split()
    return 2 <= len(words) <= 4 and is_first_name(_folded(words[0])) and all(w[:1].isupper() for w in words)
