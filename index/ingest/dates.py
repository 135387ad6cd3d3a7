"""Publication dates as news pages print them -> ISO dates (YYYY-MM-DD)."""

from __future__ import annotations

import datetime
import re

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]|2\d)\d\d"
# The three shapes a page prints: October 24, 2025 · 24 October 2025 · 2025-10-24.
_DATE = re.compile(
    rf"\b(?:(?P<m1>{_MONTH})\s+(?P<d1>{_DAY}),?\s+(?P<y1>{_YEAR})"
    rf"|(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_MONTH}),?\s+(?P<y2>{_YEAR})"
    rf"|(?P<y3>{_YEAR})[-/](?P<m3>1[0-2]|0?[1-9])[-/](?P<d3>[12]\d|3[01]|0?[1-9])"
    r"(?:T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?)(?![\w/-])",
    re.I,
)
# What may stand beside a date on a date line: a label, a weekday, a clock time, a time zone.
_TIME_ZONES = ("ET|EST|EDT|CT|CST|CDT|MT|MST|MDT|PT|PST|PDT|AKST|AKDT|HST|GMT|UTC|BST|IST|CET|CEST|EET"
               "|EEST|WET|WEST|MSK|JST|KST|HKT|SGT|AEST|AEDT|AWST|NZST|NZDT|BRT|ART|CLT|COT|PET|Z")
_BESIDE_A_DATE = re.compile(
    r"(?:[\s,|·•/–—:()\[\]-]+"
    r"|(?:last\s+|first\s+)?(?:updated|published|posted|modified|issued)\b|on\b|at\b|and\b|date\b"
    r"|(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday|sday)?\.?(?![\w])"
    r"|\d{1,2}(?::\d\d){1,2}(?:\s*[ap]\.?\s?m\.?)?|\d{1,2}\s*[ap]\.?\s?m\.?"
    r"|noon\b|midnight\b"
    rf"|(?:{_TIME_ZONES})\b(?:[+-]\d{{1,2}}(?::?\d\d)?)?)",
    re.I,
)


def date_line_iso(line: str) -> str:
    """The ISO date of a line that holds only a date (with its label, time, zone), else ''."""
    matches = [m for m in _DATE.finditer(line) if _iso(m)]
    if not matches:
        return ""
    rest = _DATE.sub(" ", line)
    position = 0
    while position < len(rest):
        noise = _BESIDE_A_DATE.match(rest, position)
        if not noise or noise.end() == position:
            return ""
        position = noise.end()
    return _iso(matches[0])


def iso_date(value: str) -> str:
    """`value` as an ISO date when it reads as one date; otherwise `value` unchanged."""
    return date_line_iso(value) or value.strip()


def split_trailing_date(text: str) -> tuple[str, str]:
    """Split `… October 24, 2025 10:32 AM ET` into the text before the date and the ISO date."""
    for word in re.finditer(r"\S+", text):
        if word.start() and date_line_iso(text[word.start():]):
            return text[: word.start()].rstrip(" ,|·•–—-"), date_line_iso(text[word.start():])
    return text, ""


def _iso(match: re.Match) -> str:
    year = match.group("y1") or match.group("y2") or match.group("y3")
    month = match.group("m1") or match.group("m2") or match.group("m3")
    day = match.group("d1") or match.group("d2") or match.group("d3")
    number = int(month) if month.isdigit() else _MONTHS[month[:3].lower()]
    try:
        return datetime.date(int(year), number, int(re.sub(r"\D", "", day))).isoformat()
    except ValueError:  # 31 February and the like
        return ""
