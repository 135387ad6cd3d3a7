"""Who a pronoun or a bare surname points back to while an article is read in order.

May import: the standard library and `index.text` (names, person names, folding).
"""

from __future__ import annotations

from coveragebot.index.text.analyzer import fold
from coveragebot.index.text.names import (
    BODY_KINDS,
    GENERIC_WORDS,
    ORG_WORDS,
    PERSON_KINDS,
    PRONOUN_KINDS,
    gender_of,
    same_entity,
    split_role,
)
from coveragebot.index.text.person_names import first_name_gender, looks_personal, parse_name


def _personal(name: str) -> bool:
    """Shaped like a person's name: two to four capitalised words, none of a body."""
    parts = name.split()
    return 2 <= len(parts) <= 4 and all(
        p[:1].isupper() and p.lower() not in ORG_WORDS and p.lower() not in GENERIC_WORDS for p in parts
    )


class Focus:
    """The people and bodies in focus while an article is read in order."""

    # A pronoun looks back this many sentences at most; older names are out of focus.
    WINDOW = 3

    def __init__(self) -> None:
        self._notes: list[tuple[str, str, int]] = []  # name, kind, sentence
        # Notes that stand in their sentence's main clause: the subject of its main verb
        # or the speaker of its main cue, not a name inside what someone reported.
        self._main: set[tuple[str, int]] = set()  # (folded name, sentence)
        # People named anywhere else (an object, a possessive, inside a quotation): what a
        # description may mean when no subject fits ("… Donald Trump's microphone. The
        # GOP nominee complained …").
        self._others: list[tuple[str, str, int]] = []
        self._genders: dict[str, str] = {}
        self._sentence = 0

    def new_sentence(self) -> None:
        """Mark a sentence boundary (two names in one sentence compete)."""
        self._sentence += 1

    def note(self, name: str, kind: str, gender: str | None = None, main: bool = False) -> None:
        """Record a named subject or speaker, most recent last; `main` when it stands in
        the sentence's main clause (the speaker of "X said Y would ...", not Y)."""
        core = split_role(name)[0]
        if not core:
            return
        if main:
            self._main.add((fold(core), self._sentence))
        gender = gender or gender_of(name)
        if gender:
            self._genders[fold(core)] = gender
        elif kind in PERSON_KINDS and (guess := first_name_gender(parse_name(core).first)):
            # A first name says a gender the list knows ("Loretta", "Bernie"); a title wins.
            self._genders.setdefault(fold(core), guess)
        self._notes.append((core, kind, self._sentence))

    def note_other(self, name: str, kind: str) -> None:
        """Record a name written outside any subject or speaker."""
        core = split_role(name)[0]
        if core:
            self._others.append((core, kind, self._sentence))

    def others(self) -> list[tuple[str, str, int]]:
        """(name, kind, sentences ago) of the names noted outside subjects, most recent last."""
        return [(name, kind, self._sentence - sentence) for name, kind, sentence in self._others]

    def resolve(self, pronoun: str, salient: bool = False, learn: bool = True) -> str | None:
        """The name a pronoun points back to, or None when it is not decidable.

        With `salient`, a he or she with nobody of that gender in the last sentences
        points to the person of that gender the article has named most so far, when
        that person stands out (twice the mentions of the next): a profile's "she".
        With `learn`, the person found takes the pronoun's gender from then on.
        """
        want = PRONOUN_KINDS.get(fold(pronoun).strip())
        notes = [n for n in self._notes if self._sentence - n[2] < self.WINDOW]
        if want is None or not notes:
            return self._salient(want) if salient and want in ("male", "female") else None
        if want in ("male", "female"):
            fits = [n for n in notes if n[1] in PERSON_KINDS and self._gender(n[0]) in (None, want)]
            if not fits:
                # The tagger may call "Karen Holt" a place or a company; "she" knows better.
                fits = [n for n in notes if _personal(n[0]) and looks_personal(n[0]) and self._gender(n[0]) in (None, want)]
        elif want == "thing":
            fits = [n for n in notes if n[1] in BODY_KINDS]
        else:
            fits = [n for n in notes if n[1] in BODY_KINDS]
            last_person = max((n[2] for n in notes if n[1] in PERSON_KINDS), default=-1)
            # "They" after a named person may mean a group of people: no guess.
            if fits and last_person >= fits[-1][2]:
                return None
        if not fits:
            return self._salient(want) if salient and want in ("male", "female") else None
        name, _, sentence = fits[-1]
        rivals = {fold(n) for n, _, s in fits if s == sentence and not same_entity(n, name)}
        if rivals:
            # "Earnest said Obama wants reform. He said ...": the one person of the main
            # clause beats names inside what was reported; two alike stay undecided.
            main = [n for n, _, s in fits if s == sentence and (fold(n), s) in self._main]
            if not main or any(not same_entity(n, main[-1]) for n in main):
                return None
            name = main[-1]
        if learn and want in ("male", "female"):
            self._genders.setdefault(fold(name), want)
        return name

    def _salient(self, want: str) -> str | None:
        """The person of gender `want` the article stands on: the only one named so far,
        or the one named at least twice as often as the next."""
        counts: dict[str, int] = {}
        names: dict[str, str] = {}
        for name, kind, _ in self._notes:
            if kind in PERSON_KINDS and self._gender(name) == want:
                key = fold(name)
                counts[key] = counts.get(key, 0) + 1
                names[key] = name
        ranked = sorted(counts.items(), key=lambda p: -p[1])
        if not ranked:
            return None
        if len(ranked) > 1 and (ranked[0][1] < 2 or ranked[0][1] < 2 * ranked[1][1]):
            return None
        return names[ranked[0][0]]

    def gender(self, name: str) -> str | None:
        """The gender the article has shown for a name (title, first name, pronouns), if any."""
        return self._gender(split_role(name)[0])

    def mentions(self, main: bool = False) -> list[tuple[str, str, int]]:
        """(name, kind, sentences ago) of everyone noted, most recent last; with `main`,
        only those noted in their sentence's main clause."""
        return [(name, kind, self._sentence - sentence) for name, kind, sentence in self._notes
                if not main or (fold(name), sentence) in self._main]

    def _gender(self, name: str) -> str | None:
        return self._genders.get(fold(name))
