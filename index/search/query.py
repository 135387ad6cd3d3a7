"""The `!search` query language: words, "exact phrases", -exclusions and filters.

    sanctions "Gustavo Petro" -Venezuela outlet:Reuters author:"Fergus Jensen"
    since:2014-12 until:2014-12-31 in:12

Parsing is pure text work; the service turns a SearchQuery into index clauses.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from coveragebot.index.text.analyzer import fold

FILTERS = ("outlet", "author", "since", "until", "in")
# Straight and typographic double quotes both open and close a phrase.
_QUOTES = "\"“”„"
_TOKEN = re.compile(
    r'(?P<neg>-)?(?:(?P<key>[A-Za-z]+):)?(?:[' + _QUOTES + r'](?P<quoted>[^' + _QUOTES + r']*)[' + _QUOTES + r']?'
    r'|(?P<bare>[^\s' + _QUOTES + r']+))?'
)
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


@dataclass(frozen=True)
class SearchQuery:
    """A parsed search: what to match, what to exclude, and which articles to look in."""

    text: str
    words: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    outlet: str = ""
    author: str = ""
    since: str = ""
    until: str = ""
    within: str = ""
    problems: tuple[str, ...] = field(default=())

    @property
    def positive_text(self) -> str:
        """The words and phrases to match, as one text for the analyzer."""
        return " ".join((*self.words, *self.phrases))

    @property
    def filters(self) -> tuple[tuple[str, str], ...]:
        """The filters given, as (name, value) pairs in the order of FILTERS."""
        values = (self.outlet, self.author, self.since, self.until, self.within)
        return tuple((name, value) for name, value in zip(FILTERS, values) if value)

    def render(self, words: bool = True, phrases: bool = True, excluded: bool = True,
               filters: bool = True) -> str:
        """The query written back as text, optionally without some of its parts."""
        parts: list[str] = []
        if words:
            parts += self.words
        if phrases:
            parts += [f'"{p}"' for p in self.phrases]
        if excluded:
            parts += [f'-"{e}"' if " " in e else f"-{e}" for e in self.excluded]
        if filters:
            parts += [f'{name}:"{value}"' if " " in value else f"{name}:{value}" for name, value in self.filters]
        return " ".join(parts)


def parse_query(text: str) -> SearchQuery:
    """Split a search into words, phrases, exclusions and filters; bad filters become problems."""
    words: list[str] = []
    phrases: list[str] = []
    excluded: list[str] = []
    found: dict[str, str] = {}
    problems: list[str] = []
    for match in _TOKEN.finditer(text):
        if not match.group(0):
            continue
        negative, key = bool(match["neg"]), (match["key"] or "").lower()
        value = (match["quoted"] if match["quoted"] is not None else match["bare"] or "").strip()
        quoted = match["quoted"] is not None
        if match["key"] and key not in FILTERS:
            # `9:30` or `U.N.:` is a word, not a filter.
            value, key, quoted = match.group(0).lstrip("-"), "", False
            if not negative:
                words.append(value)
                continue
        if key:
            if not value:
                problems.append(f"`{key}:` needs a value, e.g. `{key}:{_EXAMPLES[key]}`.")
            elif key in ("since", "until") and date_bound(value, key) is None:
                problems.append(f"`{key}:{value}` is not a date; write YYYY, YYYY-MM or YYYY-MM-DD.")
            else:
                found[key] = date_bound(value, key) if key in ("since", "until") else value
            continue
        if not value or not any(c.isalnum() for c in value):
            continue
        if negative:
            excluded.append(value)
        elif quoted:
            phrases.append(value)
        else:
            words.append(value)
    return SearchQuery(
        text=text, words=tuple(words), phrases=tuple(phrases), excluded=tuple(excluded),
        outlet=found.get("outlet", ""), author=found.get("author", ""), since=found.get("since", ""),
        until=found.get("until", ""), within=found.get("in", ""), problems=tuple(problems),
    )


_EXAMPLES = {"outlet": "Reuters", "author": "Jensen", "since": "2014-12", "until": "2014-12-31", "in": "12"}


def date_bound(value: str, which: str) -> str | None:
    """`2014`, `2014-12` or `2014-12-30` as a YYYY[-MM[-DD]] prefix; None if not a date."""
    match = _DATE.match(value.strip())
    if not match:
        return None
    year, month, day = match.group(1), match.group(2), match.group(3)
    try:
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    return "-".join([year] + [f"{int(p):02d}" for p in (month, day) if p])


def date_in_range(published: str, since: str, until: str) -> bool:
    """An article date (ISO, any precision) within the prefix bounds, both inclusive."""
    published = (published or "").strip()
    if not _DATE.match(published[:10]):
        return False
    # Comparing prefixes of equal length makes `since:2014-12` include all of December.
    if since and published[: len(since)] < since[: len(published)]:
        return False
    if until and published[: len(until)] > until[: len(published)]:
        return False
    return True


def name_matches(wanted: str, value: str) -> bool:
    """A filter value matches a byline or outlet when its folded words appear in order."""
    wanted_words, value_words = _name_words(wanted), _name_words(value)
    if not wanted_words:
        return False
    n = len(wanted_words)
    return any(value_words[i:i + n] == wanted_words for i in range(len(value_words) - n + 1))


def _name_words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", fold(text or ""))
