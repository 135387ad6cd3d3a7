"""Files and uploads into articles, by suffix: .txt/.md, .json, .html."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from coveragebot.index.ingest.articles import (
    ENCODING_NAMES,
    HTML_SUFFIXES,
    JSON_SUFFIXES,
    SUFFIXES,
    ArticleError,
    article_from_text,
    articles_from_json,
    decode_text,
)
from coveragebot.index.ingest.html import article_from_html
from coveragebot.index.records import Article


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
        return [article_from_html(data, url=url, key=key, label=label)]
    text, encoding = decode_text(data, label)
    if suffix in JSON_SUFFIXES:
        articles = articles_from_json(text, label, key)
    else:
        articles = [article_from_text(text, key, label)]
    if encoding in ENCODING_NAMES:
        articles = [replace(a, decoded_as=ENCODING_NAMES[encoding]) for a in articles]
    return articles
