"""An article's cast: every name it uses, settled into the people and bodies it means.

A full name introduces someone; later mentions refer back to them: `Mr. Clinton` and
`Clinton` to the Clinton of that gender the article has in focus (else the one it names
most), a first name alone (`Melanie`) to the one person of the article with that first
name. An honorific's gender or a first name's keeps people apart (`Mr. Obama` is not
`Michelle Obama`). Each name carries a kind, a role, a gender and the surfaces it was
written as, for `!quotes` to show and the people registry to link across articles.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from collections import Counter

if TYPE_CHECKING:  # spaCy loads only when a text is parsed, so a question starts fast
    from spacy.tokens import Doc, Token

from coveragebot.index.people import kinds as K
from coveragebot.index.text.analyzer import fold
from coveragebot.index.text.focus import Focus
from coveragebot.index.text.names import (
    BODY_KINDS,
    ORG_WORDS,
    PERSON_KINDS,
    TITLE_WORDS,
    NameBlocks,
    cluster_names,
    entity_of,
    title_gender,
    is_name,
    kind_of,
    name_parts,
    name_span,
    name_words,
    same_entity,
)
from coveragebot.index.text.person_names import (
    clean_person_name,
    first_name_gender,
    is_first_name,
    looks_personal,
    parse_name,
)

# spaCy's entity labels as the kind of a source that speaks.
_SOURCE_KINDS = {"PERSON": K.PERSON, "NORP": K.GROUP, "ORG": K.ORGANIZATION, "GPE": K.ORGANIZATION,
                 "FAC": K.ORGANIZATION, "LOC": K.ORGANIZATION}
_NAMED_KINDS = PERSON_KINDS | BODY_KINDS  # asked of every token: joined once
# A short name refers back to a person named this much more often than the next one.
_SALIENCE = 2


class Cast:
    """Every name in the article, clustered, with a kind, a gender, a role and aliases."""

    def __init__(self, doc: Doc) -> None:
        from spacy.attrs import ORTH  # loaded already: the doc is parsed

        mentions: list[tuple[str, str, str, str]] = []  # surface, name, role, kind
        self._plural_nouns: set[str] = set()
        self._parts_of: dict[int, tuple[str, str, str]] = {}
        # The words the text writes in lower case, read from its distinct spellings.
        spellings = map(doc.vocab.strings.__getitem__, set(doc.to_array(ORTH).tolist()))
        self._lowercase = {text for text in spellings if text.islower()}
        for token in doc:
            head = token.dep_ not in ("compound", "amod") and (
                token.ent_type_ in _NAMED_KINDS or token.pos_ == "PROPN"
            )
            if head and is_name(token):
                surface, name, role = self._parts(token)
                if token.tag_ == "NNS" and surface == token.text:
                    # "Forecasters said": a plural noun the tagger may take for a person.
                    self._plural_nouns.add(name)
                mentions.append((surface, name, role, kind_of(token)))
                if _looks_like_person(token):
                    mentions.append((surface, name, role, "PERSON"))
        self._canonical = cluster_names(name for _, name, _, _ in mentions)
        self._blocks: NameBlocks | None = None
        self._by_surface: dict[str, str] = {}
        self._votes: dict[str, dict[str, int]] = {}
        # Looked up at every short name: the full names (two words or more) by their first
        # and by their last word, and by the last word's initial, in the order first
        # recorded; the surnames; each name's kind and each short name's candidates, until
        # the next record changes them.
        self._by_word: dict[str, list[str]] = {}
        self._by_initial: dict[str, list[str]] = {}
        self._surnames: set[str] = set()
        self._kinds: dict[str, str] = {}
        self._candidates: dict[str, list[str]] = {}
        self._surfaces: dict[str, list[str]] = {}
        self._roles: dict[str, str] = {}
        self._genders: dict[str, str] = {}
        self._titles: dict[str, set[str]] = {}  # title words each name was introduced with
        self._count: Counter[str] = Counter()
        # Genders the article's honorifics give each bare surname ("Mr. Obama", "Mrs. Obama").
        self._short_genders: dict[str, set[str]] = {}
        for surface, name, role, kind in mentions:
            if self._short(name) and (honorific := title_gender(f"{role} {surface}")):
                self._short_genders.setdefault(name_words(name)[0], set()).add(honorific)
        for surface, name, role, kind in mentions:
            if not self._short(name):
                self._record(surface, name, role, kind, self._canonical.get(name) or self._match(name))
        for surface, name, role, kind in mentions:
            if self._short(name):
                self._record(surface, name, role, kind, self._settle(name, surface, role, None))

    def _parts(self, token: Token) -> tuple[str, str, str]:
        # Asked again at every mention of a name: read off the parse once per token.
        parts = self._parts_of.get(token.i)
        if parts is None:
            parts = self._parts_of[token.i] = _parts(token, self._lowercase)
        return parts

    # -- recording ---------------------------------------------------------------
    def _record(self, surface: str, name: str, role: str, kind: str, canonical: str) -> str:
        votes = self._votes.get(canonical)
        if votes is None:
            votes = self._votes[canonical] = {}
            self._index(canonical)
        self._kinds.pop(canonical, None)
        self._candidates.clear()
        if kind:
            votes[kind] = votes.get(kind, 0) + 1
        # A title before a name says a person, unless the name is a body's ("General Assembly").
        body = fold(name.split()[-1]) in ORG_WORDS if name.split() else False
        if role and not body and any(w.lower() in TITLE_WORDS or w[:1].islower() for w in role.split()):
            votes["PERSON"] = votes.get("PERSON", 0) + 3
        if role:
            self._roles.setdefault(canonical, role)
            self._titles.setdefault(canonical, set()).update(_titles(role))
        for seen_name in (surface, name):
            seen = self._surfaces.setdefault(canonical, [])
            if seen_name not in seen:
                seen.append(seen_name)
        honorific = title_gender(f"{role} {surface}")
        if honorific:
            self._genders.setdefault(canonical, honorific)
        self._count[canonical] += 1
        return canonical

    def _index(self, canonical: str) -> None:
        words = name_words(canonical)
        if len(words) < 2:
            return
        for word in dict.fromkeys((words[0], words[-1])):
            self._by_word.setdefault(word, []).append(canonical)
        self._by_initial.setdefault(words[-1][:1], []).append(canonical)
        self._surnames.add(words[-1])

    def _match(self, name: str) -> str:
        if self._blocks is None:  # the clusters are settled in __init__: blocked once
            self._blocks = NameBlocks(dict.fromkeys(self._canonical.values()))
        hits = set(self._blocks.matching(name))
        return hits.pop() if len(hits) == 1 else name

    # -- short names -----------------------------------------------------------------
    def _short(self, name: str) -> bool:
        """One word of a person's name: a surname (`Clinton`) or a first name (`Melanie`)."""
        return len(name_words(name)) == 1 and not name.replace(".", "").isupper()

    def _full_people(self, name: str) -> list[str]:
        """The article's full names a short name can stand for (a list not to be changed)."""
        wanted = name_words(name)[0]
        found = self._candidates.get(wanted)
        if found is not None:
            return found
        found = []
        for canonical in self._by_word.get(wanted, ()):
            words = name_words(canonical)
            if (words[-1] == wanted or (words[0] == wanted and is_first_name(wanted) and not self._is_surname(wanted))) \
                    and (self.kind(canonical) == "PERSON" or _personal_name(canonical)):
                found.append(canonical)
        if not found:
            # "Tyresha McClenney … Ms. McLenney said": a surname spelt one letter off,
            # when it is the article's only one that near.
            near = [c for c in self._by_initial.get(wanted[:1], ()) if _one_letter_off(name_words(c)[-1], wanted)
                    and (self.kind(c) == "PERSON" or _personal_name(c))]
            found = near if len(near) == 1 else []
        self._candidates[wanted] = found
        return found

    def _is_surname(self, word: str) -> bool:
        return word in self._surnames

    def _settle(self, name: str, surface: str, role: str, focus: Focus | None, hint: str = "") -> str:
        """The person a short name refers to here, or the name itself when that is not clear.

        `hint` is a gender the sentence suggests ("Trump said he would …"): it narrows the
        candidates when some fit it, and never empties them.
        """
        candidates = self._full_people(name)
        honorific = title_gender(f"{role} {surface}")
        if honorific:
            candidates = [c for c in candidates if self.gender(c) in ("", honorific)]
        titles = _titles(role)
        if titles:
            # "President Obama" is not the Obama introduced as first lady.
            candidates = [c for c in candidates if not self._titles.get(c) or self._titles[c] & titles]
        elif hint and len(candidates) > 1:
            candidates = [c for c in candidates if self.gender(c) in ("", hint)] or candidates
        if not honorific and candidates:
            # "President Obama" where the only full Obama is Michelle and "Mr. Obama" is
            # written too: a second Obama of the other gender, so not hers.
            genders = {self.gender(c) for c in candidates}
            seen = self._short_genders.get(name_words(name)[0], set())
            if "" not in genders and len(genders) == 1 and seen - genders:
                return name
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            base = self._canonical.get(name) or self._match(name)
            if honorific and base != name and self.gender(base) not in ("", honorific):
                return name  # "Mr. Obama" is not Michelle Obama
            return base
        recent = [n for n, _, ago in focus.mentions() if n in candidates] if focus is not None else []
        if focus is not None:
            # Named in this sentence or the one before: that one ("Jeh Johnson said … Johnson added").
            near = [n for n, _, ago in focus.mentions() if n in candidates and ago <= 1]
            if near:
                return near[-1]
        ranked = sorted(candidates, key=lambda c: -self._count[c])
        if self._count[ranked[0]] >= _SALIENCE * max(self._count[ranked[1]], 1):
            return ranked[0]
        return recent[-1] if recent else name

    # -- lookups -------------------------------------------------------------------
    def canonical(self, token: Token, focus: Focus | None = None, hint: str = "") -> str:
        """The name the article means by the name around `token`, at this point of the text."""
        surface, name, role = self._parts(token)
        if self._short(name):
            candidates = self._full_people(name)
            settled = self._settle(name, surface, role, focus, hint)
            if len(candidates) > 1:
                return settled  # depends on who is in focus: not cached
            if surface not in self._by_surface:
                self._by_surface[surface] = self._record(surface, name, role, kind_of(token), settled)
            return self._by_surface[surface]
        if surface not in self._by_surface:
            canonical = self._canonical.get(name) or self._match(name)
            self._by_surface[surface] = self._record(surface, name, role, kind_of(token), canonical)
        return self._by_surface[surface]

    def refer(self, name: str, role: str, focus: Focus | None) -> str:
        """The article's name for someone written outside its text's names (a handle's
        `Ryan` is the Paul Ryan of the article when he is the one Ryan in view)."""
        return self._settle(name, name, role, focus) if self._short(name) else name

    def person(self, label: str) -> str | None:
        """The one person of the article a bare label names (`Pence`, `Tapper`)."""
        hits = {c for c in self._votes if self.kind(c) == "PERSON" and same_entity(label, c)}
        return hits.pop() if len(hits) == 1 else None

    def people(self) -> list[str]:
        """The article's people, by the names they were settled on."""
        return [c for c in self._votes if self.kind(c) == "PERSON" and len(name_words(c)) > 1]

    def kind(self, canonical: str) -> str:
        """The entity label most mentions of the name got; a person's name the small model
        took for a body ("Loretta E. Lynch") is a PERSON."""
        kind = self._kinds.get(canonical)
        if kind is None:
            votes = self._votes.get(canonical, {})
            kind = max(votes, key=lambda k: (votes[k], k == "PERSON")) if votes else ""
            if kind in ("ORG", "GPE", "") and _personal_name(canonical):
                kind = "PERSON"
            self._kinds[canonical] = kind
        return kind

    def role(self, canonical: str) -> str:
        return self._roles.get(canonical, "")

    def roles(self, canonical: str) -> str:
        """Every title the article gave the name ("attorney general", "Democrat")."""
        return " ".join(sorted(self._titles.get(canonical, ()))) or self.role(canonical)

    def aliases(self, canonical: str) -> tuple[str, ...]:
        return tuple(s for s in self._surfaces.get(canonical, []) if s != canonical)

    def gender(self, canonical: str) -> str:
        """`male`, `female` or '': an honorific the article used, else the first name's."""
        if canonical in self._genders:
            return self._genders[canonical]
        if self.kind(canonical) != "PERSON":
            return ""
        # A word alone says nothing of a gender: "Clinton" is a first name too.
        return first_name_gender(parse_name(canonical).first) or ""

    def source_kind(self, canonical: str) -> str:
        """What the name is as a source: a person, a group, an organization or an outlet."""
        kind = _SOURCE_KINDS.get(self.kind(canonical), "")
        if canonical in self._plural_nouns and not self._is_surname(fold(canonical)):
            return K.GROUP
        if self._votes.get(canonical, {}).get("NORP") and len(canonical.split()) <= 3 and canonical.endswith("s"):
            return K.GROUP  # "Democrats", "House Republicans": a party's people, however titled
        if kind == K.ORGANIZATION and K.outlet_name(canonical):
            return K.OUTLET
        return kind or K.ORGANIZATION


def _parts(token: Token, lowercase: set[str]) -> tuple[str, str, str]:
    """(surface, name, role) with a person's name cleaned of stray words before it."""
    surface, name, role = name_parts(token)
    span = name_span(token)
    first = span[0] if len(span) else token
    words = name.split()
    if (len(words) >= 2 and first.is_sent_start and name.startswith(first.text) and first.lower_ in lowercase
            and not is_first_name(first.lower_)):
        # "Still Sanders said": a sentence's first word the text also writes in lower case.
        name = name[len(first.text):].strip()
    ent = entity_of(token)
    person = ent is not None and ent.label_ == "PERSON"
    if person or not any(fold(w) in ORG_WORDS for w in name.split()):
        cleaned = clean_person_name(name)
        if cleaned != name:
            dropped = name[: max(name.find(cleaned), 0)].strip()
            name, role = cleaned, " ".join(filter(None, [role, dropped]))
    return surface, name, role


def _one_letter_off(a: str, b: str) -> bool:
    """Two long surnames one letter apart (one added, dropped or changed): a misspelling."""
    if a == b or min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1 or a[0] != b[0]:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


@functools.lru_cache(maxsize=4096)
def _titles(role: str) -> frozenset[str]:
    """The title words of a role ("former President" -> {"president"}); honorifics left out."""
    return frozenset(w for w in fold(role).split() if w in TITLE_WORDS and w.rstrip(".") not in ("mr", "mrs", "ms", "dr"))


@functools.lru_cache(maxsize=16384)
def _personal_name(name: str) -> bool:
    """Shaped like a person's name (a known first name, capitalised words), none of a body."""
    return looks_personal(name) and not any(fold(w) in ORG_WORDS for w in name.split())


def _looks_like_person(token: Token) -> bool:
    """Grammar that marks a person: "Yearout, 51,", "Petro, who ...", a full PERSON name."""
    for child in token.children:
        if child.dep_ == "relcl" and any(c.lower_ in ("who", "whom", "whose") for c in child.children):
            return True
        if child.dep_ == "appos" and (child.like_num or child.lower_ in TITLE_WORDS):
            return True
    if token.dep_ == "appos" and token.head.lower_ in TITLE_WORDS:
        return True
    ent = entity_of(token)
    return ent is not None and ent.label_ == "PERSON" and len(ent) > 1
