"""Article loaders: text/markdown with headers, JSON, HTML (the record itself is index.records.Article)."""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import replace

from coveragebot.index.ingest.front_matter import split_front_matter
from coveragebot.index.ingest.markup import clean_text
from coveragebot.index.records import Article
from coveragebot.index.text.analyzer import STOPWORDS

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
JSON_SUFFIXES = {".json"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES

_NAME_WORD = re.compile(r"^(?:[^\W\d_][^\W\d_'’.-]*(?:[-'’.][^\W\d_]+)*\.?|[-–—&,]|and|by)$", re.I)
# Name particles that may stand lowercase inside a byline.
_PARTICLES = {"and", "by", "de", "da", "del", "van", "von", "bin", "al"}
# A sentence ends at . ! ? (and any closing quote) before a capital or an opening quote.
_SENTENCE_END = re.compile(r"[.!?][”’\"')]*(?=\s+[“‘\"'(]?[A-Z0-9])")
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "jr", "sr", "gov", "sen", "rep", "gen", "col", "lt", "sgt",
                  "capt", "prof", "inc", "corp", "co", "ltd", "no", "vs", "jan", "feb", "mar", "apr", "aug",
                  "sept", "sep", "oct", "nov", "dec", "pres", "rev", "hon", "ft", "mt"}
# Where a lead's main clause ends: a comma before a participle, a relative or
# subordinate clause, or a semicolon, colon or dash.
_CLAUSE_BREAK = re.compile(
    r",\s+(?=(?:[a-z]+ing|who|whom|whose|which|where|when|while|after|before|as|amid|despite|although"
    r"|though|but|because|since|according)\b)|\s*[;:]\s+|\s+[—–-]\s+"
)
_MIN_TITLE = 30
# Encodings other than UTF-8 are named in the add message: a guess the moderator can check.
ENCODING_NAMES = {"utf-16": "UTF-16", "cp1252": "Windows-1252"}
# Control characters other than tabs, line and page breaks do not occur in text.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_BYLINE_SEPARATOR = re.compile(r"\s[-–—&]\s|\sand\s|,\s|^by\s", re.I)


class ArticleError(ValueError):
    """An input that cannot become an article; the message names the input."""


def decode_text(data: bytes, label: str) -> tuple[str, str]:
    """The text of a file and its encoding: UTF-8 (BOM allowed), UTF-16 by its BOM, else Windows-1252."""
    binary = ArticleError(f"{label}: not a text file (binary content)")
    # A BOM is the only reliable sign of UTF-16; any other file with NUL bytes is binary.
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif b"\x00" in data:
        raise binary
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Windows-1252 is Latin-1 with printable characters where Latin-1 has
            # unused control codes, so it reads files from both.
            encoding = "cp1252"
        else:
            return _not_empty(text, label), "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding == "utf-16":
            raise binary from exc
        raise ArticleError(
            f"{label}: not text in UTF-8, UTF-16 or Windows-1252 (byte 0x{data[exc.start]:02X} at offset {exc.start})"
        ) from exc
    if _CONTROL.search(text):
        raise binary
    return _not_empty(text, label), encoding


def article_from_text(text: str, key: str, label: str = "", title_from_first_line: bool = False) -> Article:
    """A .txt/.md article: `Title:` header lines or a copied title/byline/date, then the body."""
    fields, body = split_front_matter(text, first_line_is_title=title_from_first_line)
    body, author = strip_bylines(clean_text(body))
    if author and not fields.get("author"):
        fields["author"] = author
    body = body.strip()
    if not has_words(body):
        raise ArticleError(f"{label or key}: no article text")
    title = fields.pop("title", "") or derive_title(body)
    return Article(key=key, title=title, text=body, **fields)


def articles_from_json(text: str, label: str, key: str) -> list[Article]:
    """A JSON article object, or a list of them, with the shared corpus fields."""
    try:
        data = json.loads(text)
    # ValueError also covers a number over Python's 4,300-digit conversion limit.
    except (ValueError, RecursionError) as exc:
        raise ArticleError(f"{label}: not valid JSON ({_first_line(exc)})") from exc
    items = data if isinstance(data, list) else [data]
    if not items:
        raise ArticleError(f"{label}: the JSON list is empty")
    articles = []
    for number, item in enumerate(items):
        where = label if len(items) == 1 else f"{label} item {number + 1}"
        if not isinstance(item, dict):
            raise ArticleError(f"{where}: expected an object with a 'text' field")
        body = item.get("text")
        if not isinstance(body, str) or not has_words(body):
            raise ArticleError(f"{where}: no 'text' field with the article body")
        body, byline = strip_bylines(clean_text(body))
        item_key = _string(item.get("id")) or (key if len(items) == 1 else f"{key}-{number + 1}")
        articles.append(
            Article(
                key=item_key,
                title=_string(item.get("title")) or derive_title(body),
                text=body.strip(),
                outlet=_string(item.get("outlet")),
                author=_string(item.get("author")) or byline,
                url=_string(item.get("url")),
                published=_string(item.get("published")),
            )
        )
    return articles


def has_words(text: str) -> bool:
    """True if `text` has a letter or digit (zero-width and format characters are not text)."""
    return any(c.isalnum() for c in text)


def strip_bylines(body: str) -> tuple[str, str]:
    """Remove a byline glued to the first sentence or left alone on the last line.

    Returns the cleaned body and the leading byline (the article's author). A
    trailing byline is dropped but not trusted as the author: in scraped text it
    often belongs to the next article on the page.
    """
    author = ""
    stripped = body.lstrip()
    glued = _glued_byline(stripped)
    if glued:
        author, stripped = glued
    lines = stripped.rstrip().split("\n")
    if len(lines) > 1 and _looks_like_byline(lines[-1].strip()):
        stripped = "\n".join(lines[:-1])
    return stripped, author


def derive_title(body: str, limit: int = 120) -> str:
    """A title for an article that has none: its lead sentence, cut to its main clause if long.

    The first sentence of the first line is the title when it fits in `limit`
    characters. A longer lead is cut where a clause set off by punctuation
    begins (`…, calling the move…`, `…, who…`, `…; …`, `… — …`), so the title
    still reads whole; only a lead without such a break is cut at a word and
    marked with an ellipsis.
    """
    first = body.strip().split("\n", 1)[0].strip()
    sentence = _first_sentence(first)
    if len(sentence) <= limit:
        return sentence
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(sentence, 0, limit + 1) if m.start() >= _MIN_TITLE]
    if breaks:
        return sentence[: breaks[-1]].rstrip()
    cut = sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:—-")
    return cut + "…"


def with_id(article: Article, article_id: int) -> Article:
    """The same article carrying its stored numeric id."""
    return replace(article, id=article_id)


def _first_sentence(line: str) -> str:
    for end in _SENTENCE_END.finditer(line):
        word = line[: end.start()].rsplit(None, 1)[-1] if line[: end.start()].strip() else ""
        # `U.S.`, `Mr.`, `J.`: a full stop that ends an abbreviation or an initial ends no sentence.
        if end.group(0)[0] == "." and ("." in word or len(word) == 1 or word.lower() in _ABBREVIATIONS):
            continue
        return line[: end.end()].strip()
    return line


def _glued_byline(text: str) -> tuple[str, str] | None:
    # "Jane Doe - john roeThe US has placed …": a name run whose last word runs
    # straight into a capitalised sentence start, within the first line.
    first_line = text.split("\n", 1)[0][:160]
    for match in re.finditer(r"[a-z]{2}(?=[A-Z][a-z])", first_line):
        prefix = first_line[: match.end()]
        if _looks_like_byline(prefix):
            return prefix.strip(), text[match.end():]
    return None


def _looks_like_byline(line: str) -> bool:
    words = line.replace(",", " , ").split()
    if not 2 <= len(words) <= 10 or line.endswith((".", "!", "?", ":", "”", '"')):
        return False
    if not _BYLINE_SEPARATOR.search(line):
        return False
    for word in words:
        if not _NAME_WORD.match(word) or "’s" in word or "'s" in word:
            return False
        if word.lower() in STOPWORDS and word.lower() not in _PARTICLES:
            return False
    return True


def _not_empty(text: str, label: str) -> str:
    if not text.strip():
        raise ArticleError(f"{label}: the file is empty")
    return text


def _string(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _first_line(exc: Exception) -> str:
    return str(exc).split("\n", 1)[0][:120]
