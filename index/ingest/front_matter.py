"""The top of a text article: `Title:` header lines, or a title, byline and date copied from a page."""

from __future__ import annotations

import re

from coveragebot.index.ingest.dates import date_line_iso, iso_date, split_trailing_date
from coveragebot.index.text.datelines import dateline
from coveragebot.index.text.person_names import looks_personal

_HEADER = re.compile(r"^(title|outlet|author|url|published|date|source|by)\s*:\s*(.*)$", re.I)
_HEADER_FIELD = {"date": "published", "source": "outlet", "by": "author"}
_BYLINE_START = re.compile(r"^by\s+(?=[^\W\d_])", re.I)
# Inside a line, only a capitalised `By` before a capitalised name starts a byline.
_GLUED_BYLINE = re.compile(r"\s(?:By|BY)\s+(?=[^\W\d_])")
_NAME_JOINERS = {"and", "&", "de", "da", "del", "della", "der", "di", "do", "dos", "du", "la", "le",
                 "van", "von", "y", "e", "bin", "al", "el", "ibn", "st.", "jr.", "sr."}
# Copied pages put at most a title, a byline and a date (and blank lines) above the body.
_TOP_LINES = 6
_MARKDOWN_HEADING = re.compile(r"^#\s+")


def split_front_matter(text: str, first_line_is_title: bool = False) -> tuple[dict[str, str], str]:
    """Fields found at the top of `text` and the body below them.

    Two shapes are read: header lines (`Title: …`, `Author: …`, `Published: …`,
    `URL: …`, `Outlet: …`, any case) closed by a blank line; or a short title
    line followed by a `By …` line and/or a date line, each on its own line or
    glued to the title line, or a short title line set off from the body by a blank
    line. Dates become ISO dates; an outlet closing the byline (`By X and Y, Reuters`)
    becomes the outlet.
    """
    fields, body = _header_lines(text)
    if "title" in fields:
        return fields, body
    found, body = _copied_top(body, first_line_is_title)
    return {**found, **fields}, body


def _header_lines(text: str) -> tuple[dict[str, str], str]:
    fields: dict[str, str] = {}
    lines = text.lstrip("\ufeff").split("\n")
    taken = 0
    for line in lines:
        if not line.strip():
            taken += 1
            if fields:
                break
            continue
        match = _HEADER.match(line.strip())
        if not match:
            break
        name = match.group(1).lower()
        fields[_HEADER_FIELD.get(name, name)] = match.group(2).strip()
        taken += 1
    if not fields:
        return {}, text
    if fields.get("published"):
        fields["published"] = iso_date(fields["published"])
    return fields, "\n".join(lines[taken:])


def _copied_top(text: str, first_line_is_title: bool) -> tuple[dict[str, str], str]:
    lines = text.split("\n")
    numbered = [(n, line.strip()) for n, line in enumerate(lines[:_TOP_LINES * 2]) if line.strip()]
    if not numbered:
        return {}, text
    first_number, first = numbered[0]
    # A line that is only a date (`Updated October 24, 2025`) is no title.
    title, published = ("", "") if date_line_iso(first) else split_trailing_date(first)
    author = ""
    # `By` inside the title line starts a byline only before a date on that line,
    # as when a page's title, byline and date spans are copied as one line:
    # alone, a headline may well say "Shot By Police".
    if published:
        title, author = _glued_byline(title)
    last = first_number
    for number, line in numbered[1:_TOP_LINES]:
        line_author, line_date = _byline(line)
        line_date = line_date or date_line_iso(line)
        if not (line_author or line_date) or (line_author and author) or (line_date and published):
            break
        author, published, last = author or line_author, published or line_date, number
    if (author or published) and _reads_as_title(title):
        author, outlet = split_outlet(author)
        fields = {"title": _MARKDOWN_HEADING.sub("", title), "author": author, "outlet": outlet,
                  "published": published}
    elif first_line_is_title or _MARKDOWN_HEADING.match(first) or _set_off_title(lines, first_number):
        fields, last = {"title": _MARKDOWN_HEADING.sub("", first)}, first_number
    else:
        return {}, text
    return {k: v for k, v in fields.items() if v}, "\n".join(lines[last + 1:])


def _set_off_title(lines: list[str], number: int) -> bool:
    """A headline alone on the first line, a blank line, then the body: the page's title.

    Without this the title would be read twice, as the title and as the body's first sentence.
    """
    first = lines[number].strip()
    if len(first.split()) < 2 or not _reads_as_title(first) or dateline(first + " Body") is not None:
        return False
    rest = lines[number + 1:]
    return bool(rest) and not rest[0].strip() and any(line.strip() for line in rest)


def split_outlet(byline: str) -> tuple[str, str]:
    """`Anna Keller and Tom Reyes, Reuters` -> the names and the outlet that closes the byline.

    What follows the byline's last comma is another person only when it reads as a
    person's name (a known first name, then a surname); anything else named there
    (`Reuters`, `The Guardian`, `Associated Press`) is the outlet.
    """
    names, comma, last = byline.rpartition(",")
    last = last.strip()
    if not comma or not names.strip() or not last or re.search(r"\s(?:and|&)\s", f" {last} ", re.I):
        return byline, ""
    # `The …` names a publication, never a person, whatever a list of first names holds.
    if not last[0].isupper() or (looks_personal(last) and last.split()[0].lower() not in {"the", "a", "an"}):
        return byline, ""
    return _clean_author(names), last


def _glued_byline(line: str) -> tuple[str, str]:
    """`Title By Jane Doe` -> the title and the names, when the words after `By` read as names."""
    glued = _GLUED_BYLINE.search(line)
    if glued and _reads_as_names(line[glued.end():]):
        return line[: glued.start()].strip(), _clean_author(line[glued.end():])
    return line, ""


def _byline(line: str) -> tuple[str, str]:
    """A `By …` line (perhaps with a date after the names) -> author and ISO date."""
    if not _BYLINE_START.match(line):
        return "", ""
    names, published = split_trailing_date(line)
    names = _BYLINE_START.sub("", names, count=1)
    return (_clean_author(names), published) if _reads_as_names(names) else ("", "")


def _reads_as_names(text: str) -> bool:
    # `Jane Doe and John Roe, Reuters`: capitalised names, joiners, at most a dozen words.
    words = re.sub(r"[,;|·•]", " , ", text).split()
    if not 1 <= len(words) <= 12 or text.rstrip().endswith(("!", "?", ":")):
        return False
    if not words[0][0].isupper():
        return False
    return all(w == "," or w[0].isupper() or w.lower() in _NAME_JOINERS for w in words)


def _reads_as_title(line: str) -> bool:
    # A headline is short and does not end like a sentence (a question mark is fine).
    if not 0 < len(line) <= 200 or len(line.split()) > 30 or date_line_iso(line) or _byline(line)[0]:
        return False
    return not line.endswith((".", ";", ":", ","))


def _clean_author(names: str) -> str:
    return re.sub(r"\s+", " ", names).strip(" ,;|·•–—-")
