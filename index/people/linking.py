"""Linking an article's speakers to identities across the archive, one block at a time.

Every speaker an article resolved (`Donald J. Trump`, a male `Clinton`, `officials`) is a
*form*: its name as the article settled it, its kind and gender, and how many statements
it holds. Forms are blocked on a name key (a person's surname, a body's initials, a
group's words), and only forms that share a block are compared, never every pair:

- forms with a first name are one person when the first names agree (equal, a nickname,
  an initial), the suffixes agree (`Jr.` is another person), and the genders and middle
  initials do not contradict each other (`George W.` is not `George H. W.`);
- a surname alone (`Mr. Clinton`, `Obama`) joins the one person of its block it fits, or
  the person who dominates those it fits (three times the statements of the next); else it
  stands as a person of its own (`Mr. Khan`);
- other kinds link by their exact name key.

The result is a function of the block's forms and the moderators' merges alone, so
relinking a block after any add or removal gives what a rebuild from scratch gives.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from coveragebot.index.people import kinds as K
from coveragebot.index.text.person_names import (
    NameParts, first_name_gender, gender_of_honorific, is_first_name, is_initial, parse_name, same_first_name,
)
from coveragebot.index.text.analyzer import fold, words
from coveragebot.index.text.names import cluster_names, name_words

# Words a body's block key passes over: "the Department of State" keys as `state`.
_FILLER = frozenset(["the", "of", "and", "for", "a", "an", "s", "on", "in"])
_GENERIC = frozenset(
    "department ministry agency office administration government inc corp ltd co company corporation "
    "group plc llc committee commission council".split()
)

# A surname alone joins the best-attested person it fits when that person has at least
# this many times the statements of the next one ("Trump" -> Donald, not Eric).
DOMINANCE = 3
_BODY_KINDS = (K.ORGANIZATION, K.OUTLET)
_HONORIFIC = {"male": "Mr.", "female": "Ms."}


@dataclass(frozen=True)
class Form:
    """One way the archive's articles settled a speaker: name, kind, gender, pin."""

    id: int
    name: str
    kind: str
    gender: str = ""
    statements: int = 1
    pin: str = ""  # a moderator's split: the form is an identity of its own


@dataclass
class Identity:
    """A person or source across the archive, and the forms that are it."""

    key: str
    block: str
    kind: str
    forms: list[Form] = field(default_factory=list)
    first: str = ""
    gender: str = ""
    suffix: str = ""
    middle: tuple[str, ...] = ()
    named: str = ""  # a display name a merge kept: the identity merged into keeps its name

    @property
    def statements(self) -> int:
        return sum(f.statements for f in self.forms)

    @property
    def display(self) -> str:
        return self.named or display_name(self)

    @property
    def names(self) -> list[str]:
        """The names seen, most used first."""
        counts: Counter[str] = Counter()
        for form in self.forms:
            counts[form.name] += form.statements
        return [n for n, _ in sorted(counts.items(), key=lambda p: (-p[1], p[0]))]


def block_of(name: str, kind: str) -> str:
    """The key candidates are blocked on: a person's surname, a body's initials, a group's words."""
    if kind == K.UNIDENTIFIED:
        return "u:"
    # People and bodies share one key space: a lone `Ruiz` the tagger called a body
    # meets the people named Ruiz (see `_people_and_bodies`).
    if kind == K.PERSON:
        parts = parse_name(name)
        return "n:" + (parts.block or " ".join(words(name)))
    if kind in _BODY_KINDS:
        return "n:" + body_key(name)
    return "x:" + " ".join(words(name))


def body_key(name: str) -> str:
    """A body's last word that is not a generic one: `U.S. Treasury Department` and
    `Treasury` -> `treasury`; `The Washington Post` -> `post`; `F.B.I.` -> `fbi`."""
    found = [w for w in name_words(name) if w not in _FILLER]
    distinct = [w for w in found if w not in _GENERIC]
    return (distinct or found or [fold(name)])[-1]


def link_block(forms: Sequence[Form], merges: Sequence[tuple[str, str]] = ()) -> list[Identity]:
    """The identities of one block's forms (and of the blocks merges join to it).

    `merges` are moderators' `!fix merge A into B`, oldest first: an identity called A
    (its display name or a name seen) becomes part of the one called B.
    """
    by_block: dict[str, list[Form]] = defaultdict(list)
    for form in forms:
        by_block[block_of(form.name, form.kind) if not form.pin else "pin:" + form.pin].append(form)
    identities: list[Identity] = []
    for block in sorted(by_block):
        members = sorted(by_block[block], key=_form_order)
        if block.startswith("pin:"):
            identities.append(_pinned(block, members))
        elif block.startswith("n:"):
            identities.extend(_people_and_bodies(block, members))
        else:
            identities.extend(_sources(block, members))
    return _unique_keys(_merged(identities, merges))


def _unique_keys(identities: list[Identity]) -> list[Identity]:
    """Two identities a block keeps apart under one key (`George Bush` twice) get `#2`, `#3`."""
    seen: Counter[str] = Counter()
    for identity in identities:
        seen[identity.key] += 1
        if seen[identity.key] > 1:
            identity.key = f"{identity.key}#{seen[identity.key]}"
    return identities


def _people_and_bodies(block: str, forms: list[Form]) -> list[Identity]:
    """People and bodies that share a name key. A one-word body name that is no acronym
    (`Ruiz`) is a surname when the block holds people with first names."""
    people = [f for f in forms if f.kind == K.PERSON]
    bodies = [f for f in forms if f.kind != K.PERSON]
    if any(parse_name(f.name).first for f in people):
        lone = [f for f in bodies if len(f.name.split()) == 1 and not f.name.replace(".", "").isupper()]
        people += lone
        bodies = [f for f in bodies if f not in lone]
    return (_people(block, people) if people else []) + (_bodies(block, bodies) if bodies else [])


def _form_order(form: Form) -> tuple:
    return (-form.statements, form.name, form.kind, form.gender, form.id)


def _pinned(block: str, forms: list[Form]) -> Identity:
    kind = Counter(f.kind for f in forms).most_common(1)[0][0]
    parts = parse_name(forms[0].name) if kind == K.PERSON else NameParts("", (), "", "")
    return Identity(block, block, kind, list(forms), parts.first, _gender(forms, parts.first), parts.suffix)


def _people(block: str, forms: list[Form]) -> list[Identity]:
    persons: list[Identity] = []
    bare: list[Form] = []
    for form in forms:
        parts = parse_name(form.name)
        if not parts.first:
            bare.append(form)
            continue
        # A first name says the gender better than the pronouns an article used.
        gender = first_name_gender(parts.first) or form.gender or ""
        fits = [p for p in persons if _fits(p, parts, gender)]
        exact = [p for p in fits if p.first == parts.first]
        chosen = _one_of(exact or fits)
        if chosen is None:
            key = _person_key(block, parts.first, parts.suffix) + _initials(parts.middle)
            chosen = Identity(key, block, K.PERSON, first=parts.first, suffix=parts.suffix, middle=parts.middle)
            persons.append(chosen)
        chosen.forms.append(form)
        if not chosen.gender and gender:
            chosen.gender = gender
        if is_initial(chosen.first) and not is_initial(parts.first):
            chosen.first = parts.first  # "J. Smith" first, "John Smith" later: John
    for person in persons:
        person.gender = _gender(person.forms, person.first)
    alone: dict[tuple[str, str], Identity] = {}
    for form in bare:
        parts = parse_name(form.name)
        fits = [p for p in persons if p.suffix == parts.suffix and _gender_fits(p.gender, form.gender)]
        chosen = _one_of(fits)
        if chosen is not None:
            chosen.forms.append(form)
            continue
        # A surname that fits nobody, or several people alike: a person of its own
        # (one per gender: `Mr. Khan` and `Ms. Khan` are not one person).
        slot = (form.gender, parts.suffix)
        if slot not in alone:
            alone[slot] = Identity(_person_key(block, "", parts.suffix, form.gender), block, K.PERSON,
                                   gender=form.gender, suffix=parts.suffix)
        alone[slot].forms.append(form)
    return persons + [alone[slot] for slot in sorted(alone)]


def _fits(person: Identity, parts: NameParts, gender: str) -> bool:
    if person.suffix != parts.suffix or not same_first_name(person.first, parts.first):
        return False
    # Genders count only where the first names agree by an initial alone (J. Smith).
    initial = is_initial(person.first) or is_initial(parts.first)
    if initial and not _gender_fits(person.gender, gender):
        return False
    # Middle initials that differ name another person: George W. Bush, George H. W. Bush.
    mine, theirs = _initials(parts.middle), _initials(person.middle)
    return not (mine and theirs and mine != theirs)


def _initials(middle: tuple[str, ...]) -> str:
    return "".join(m[0] for m in middle if m)


def _gender_fits(a: str, b: str) -> bool:
    return not a or not b or a == b


def _one_of(fits: list[Identity]) -> Identity | None:
    """The one candidate, or the one that dominates the others; None when it is not clear."""
    if len(fits) == 1:
        return fits[0]
    if not fits:
        return None
    ranked = sorted(fits, key=lambda p: -p.statements)
    if ranked[0].statements >= DOMINANCE * max(ranked[1].statements, 1):
        return ranked[0]
    return None


def _gender(forms: Iterable[Form], first: str) -> str:
    """A person's gender: their first name's, else the one most of their forms show."""
    if first and (known := first_name_gender(first)):
        return known
    votes: Counter[str] = Counter()
    for form in forms:
        if form.gender:
            votes[form.gender] += form.statements
    if not votes:
        return ""
    (top, count), *rest = votes.most_common()
    return top if not rest or count > rest[0][1] else ""


def _person_key(block: str, first: str, suffix: str, gender: str = "") -> str:
    return f"{block}|{first}|{suffix}" + (f"|{gender}" if not first else "")


def _sources(block: str, forms: list[Form]) -> list[Identity]:
    """Groups, documents, anonymous and unidentified sources: one identity per name and kind."""
    by_kind: dict[str, list[Form]] = defaultdict(list)
    for form in forms:
        by_kind[form.kind].append(form)
    return [Identity(f"{block}|{kind}", block, kind, members) for kind, members in sorted(by_kind.items())]


def _bodies(block: str, forms: list[Form]) -> list[Identity]:
    """Bodies and outlets: one identity per name the block's names cluster to (`Treasury`
    is the `U.S. Treasury Department`; a `Post` beside two Posts stays apart)."""
    canonical = cluster_names(sorted({f.name for f in forms}))
    by_name: dict[str, list[Form]] = defaultdict(list)
    for form in forms:
        by_name[canonical[form.name]].append(form)
    identities = []
    for name, members in sorted(by_name.items()):
        # A body the archive calls an outlet under any of its names is an outlet.
        kind = K.OUTLET if any(f.kind == K.OUTLET for f in members) else K.ORGANIZATION
        identities.append(Identity(f"{block}|body|{fold(name)}", block, kind, members))
    return identities


def _merged(identities: list[Identity], merges: Sequence[tuple[str, str]]) -> list[Identity]:
    """Apply moderators' merges, in the order they were made."""
    for source, target in merges:
        into = _named(identities, target)
        taken = _named(identities, source)
        if into is None or taken is None or into is taken:
            continue
        into.named = into.display
        into.forms.extend(taken.forms)
        identities = [i for i in identities if i is not taken]
    return identities


def _named(identities: list[Identity], name: str) -> Identity | None:
    wanted = fold(" ".join(name.split()))
    for identity in identities:
        if fold(identity.display) == wanted or identity.key == name:
            return identity
    for identity in identities:
        if any(fold(n) == wanted for n in identity.names):
            return identity
    return None


def display_name(identity: Identity) -> str:
    """The name a newsroom would print: the most used full name (first and surname), else
    the surname with the honorific its gender takes; a source's most used name."""
    if identity.kind == K.UNIDENTIFIED:
        return K.NOT_IDENTIFIED
    counts: Counter[str] = Counter()
    for form in identity.forms:
        counts[form.name] += form.statements
    if identity.kind != K.PERSON:
        return sorted(counts, key=lambda n: (-counts[n], -len(n), n))[0]
    full = [n for n in counts if parse_name(n).first and not is_initial(parse_name(n).first)]
    if not full:
        full = [n for n in counts if parse_name(n).first]
    if full:
        return sorted(full, key=lambda n: (-counts[n], -len(n), n))[0]
    surname = sorted(counts, key=lambda n: (-counts[n], n))[0]
    honorific = _HONORIFIC.get(identity.gender, "")
    # "Mr. Khan"; but a first name used alone ("Melanie") takes no honorific.
    alone = len(surname.split()) == 1 and is_first_name(fold(surname))
    titled = gender_of_honorific(surname.split()[0]) is not None and len(surname.split()) > 1
    return f"{honorific} {surname}" if honorific and not alone and not titled else surname
