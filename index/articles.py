"""The Article record and its loaders: text/markdown with headers, JSON, HTML."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

from index.text import STOPWORDS

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
JSON_SUFFIXES = {".json"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES

_HEADER = re.compile(r"^(title|outlet|author|url|published|date|source|by)\s*:\s*(.*)$", re.I)
_HEADER_FIELD = {"date": "published", "source": "outlet", "by": "author"}
_NAME_WORD = re.compile(r"^(?:[^\W\d_][^\W\d_'’.-]*(?:[-'’.][^\W\d_]+)*\.?|[-–—&,]|and|by)$", re.I)
# Name particles that may stand lowercase inside a byline.
_PARTICLES = {"and", "by", "de", "da", "del", "van", "von", "bin", "al"}
_BYLINE_SEPARATOR = re.compile(r"\s[-–—&]\s|\sand\s|,\s|^by\s", re.I)


class ArticleError(ValueError):
    """An input that cannot become an article; the message names the input."""


@dataclass(frozen=True)
class Article:
    """One article: body text plus what is known of its source."""

    key: str
    title: str
    text: str
    outlet: str = ""
    author: str = ""
    url: str = ""
    published: str = ""
    id: int | None = None

    @property
    def source_label(self) -> str:
        """Outlet and author as one line, whichever are known."""
        return " / ".join(part for part in (self.outlet, self.author) if part)


def load_article_file(path: str | Path, max_bytes: int = 5_000_000) -> list[Article]:
    """Read one file into articles (a JSON list may hold several)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ArticleError(f"{path.name}: unsupported file type (use .txt, .md, .html, .json)")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ArticleError(f"{path.name}: file is {size:,} bytes, over the {max_bytes:,} limit")
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"{path.name}: cannot read ({exc.strerror or exc})") from exc
    return articles_from_bytes(data, path.name, path.stem)


def articles_from_bytes(data: bytes, label: str, key: str, url: str = "") -> list[Article]:
    """Decode an uploaded or read file by its suffix; `label` is only a name."""
    suffix = Path(label).suffix.lower()
    if suffix not in SUFFIXES:
        raise ArticleError(f"{label}: unsupported file type (use .txt, .md, .html, .json)")
    if suffix in HTML_SUFFIXES:
        from index.html import article_from_html

        return [article_from_html(data, url=url, key=key, label=label)]
    text = decode_text(data, label)
    if suffix in JSON_SUFFIXES:
        return articles_from_json(text, label, key)
    return [article_from_text(text, key, label)]


def decode_text(data: bytes, label: str) -> str:
    """Strict UTF-8 (BOM allowed); binary or other encodings are refused."""
    if b"\x00" in data:
        raise ArticleError(f"{label}: not a text file (binary content)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleError(f"{label}: not UTF-8 text (bad byte at offset {exc.start})") from exc
    if not text.strip():
        raise ArticleError(f"{label}: the file is empty")
    return text


def article_from_text(text: str, key: str, label: str = "", title_from_first_line: bool = False) -> Article:
    """A .txt/.md article: optional `Title:`-style header lines, then the body."""
    fields, body = _split_headers(text)
    if title_from_first_line and "title" not in fields:
        first, _, rest = body.strip().partition("\n")
        fields["title"], body = first.strip().lstrip("# ").strip(), rest
    body, author = strip_bylines(body)
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
        body, byline = strip_bylines(body)
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


def derive_title(body: str, limit: int = 90) -> str:
    """A title from the first line of the body, cut at a word near `limit`."""
    first = body.strip().split("\n", 1)[0].strip()
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0].rstrip(",;:—-")
    return cut + "…"


def with_id(article: Article, article_id: int) -> Article:
    """The same article carrying its stored numeric id."""
    return replace(article, id=article_id)


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


def _split_headers(text: str) -> tuple[dict[str, str], str]:
    fields: dict[str, str] = {}
    lines = text.lstrip("\ufeff").split("\n")
    taken = 0
    for line in lines:
        if not line.strip():
            if fields:
                taken += 1
                break
            taken += 1
            continue
        match = _HEADER.match(line.strip())
        if not match:
            break
        name = match.group(1).lower()
        fields[_HEADER_FIELD.get(name, name)] = match.group(2).strip()
        taken += 1
    if not fields:
        return {}, text
    return fields, "\n".join(lines[taken:])


def _string(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _first_line(exc: Exception) -> str:
    return str(exc).split("\n", 1)[0][:120]
