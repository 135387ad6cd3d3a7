"""Datelines: the place and agency that open a wire or newspaper story.

`JAKARTA (Reuters) -`, `WASHINGTON —`, `MANCHESTER, N.H. (AP) —`, `(AP) —` say where a
story was filed, not who did or said anything, so the extractors never read them.
"""

from __future__ import annotations

import re

# A place in capitals ("ST. LOUIS", "MANCHESTER, N.H.", "BOGOTÁ, Colombia"), an agency in
# brackets, or both, then a dash. Capitals and the dash are what set it off from prose.
_PLACE = r"[A-ZÀ-Þ][A-ZÀ-Þ.'’-]+(?:[ \u00a0][A-ZÀ-Þ][A-ZÀ-Þ.'’-]+){0,3}(?:,[ \u00a0][A-Z][A-Za-z.]+(?:[ \u00a0][A-Z][A-Za-z.]+)?)?"
_AGENCY = r"\((?:[A-Z][A-Za-z.&]*)(?:[ \u00a0][A-Z][A-Za-z.&]*){0,3}\)"
_DATELINE = re.compile(
    rf"\s*(?:(?P<place>{_PLACE})(?:[ \u00a0]*(?P<agency>{_AGENCY}))?|(?P<alone>{_AGENCY}))"
    r"(?:[ \u00a0]*(?:--|[—–])[ \u00a0]*|[ \u00a0]+-[ \u00a0]+)"
)


def dateline(text: str) -> tuple[int, int] | None:
    """Character span of the dateline opening `text` (dash and spaces included), if any."""
    match = _DATELINE.match(text)
    if match is None or match.end() >= len(text):
        return None
    place = match.group("place") or ""
    if place and not match.group("agency") and len(place.replace(".", "").replace(" ", "")) < 3:
        return None  # "US - China trade" is prose, not a dateline
    if text[match.end()].islower():
        return None
    return match.start() + len(match.group()) - len(match.group().lstrip()), match.end()


# A pasted story may open with its deck or a photo line before the dateline's line.
_OPENING_LINES = 3


def blank_dateline(text: str) -> str:
    """`text` with its dateline turned into spaces, so every offset stays put.

    The dateline opens the story: the first line, or one of the next two after a deck
    ("Two are now sparring.\n\nMYRTLE BEACH, S.C. - Sen. Ted Cruz ..."; blank lines
    don't count).
    """
    offset = 0
    for _ in range(_OPENING_LINES):
        span = dateline(text[offset:])
        if span is not None:
            start, end = offset + span[0], offset + span[1]
            return text[:start] + " " * (end - start) + text[end:]
        line_end = text.find("\n", offset)
        if line_end < 0:
            break
        offset = line_end + 1
    return text
