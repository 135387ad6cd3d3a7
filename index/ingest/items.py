"""Inputs a moderator can add -> Article records: URLs, files, uploads, pasted text."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, replace
from pathlib import Path

from coveragebot.index.ingest.articles import Article, ArticleError, article_from_text
from coveragebot.index.ingest.loaders import articles_from_bytes, load_article_file
from coveragebot.index.settings import Settings

_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://\S+$")
_SAFE_KEY = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Item:
    """One thing to add: a label for progress messages and how to load it."""

    label: str
    kind: str  # url | path | upload | paste
    value: str | bytes


def is_url(text: str) -> bool:
    return bool(_URL.match(text.strip()))


def items_from_arguments(arguments: list[str]) -> list[Item]:
    """CLI arguments: each a URL or a file path."""
    return [Item(a, "url" if is_url(a) else "path", a) for a in arguments]


def key_from_label(label: str) -> str:
    """A stable key from a file name; the name is only a label, never a path."""
    stem = Path(label.replace("\\", "/")).name.rsplit(".", 1)[0]
    return _SAFE_KEY.sub("-", stem).strip("-.")[:80] or "upload"


async def load_item(item: Item, settings: Settings) -> list[Article]:
    """Turn one item into articles; failures raise ArticleError with a short message."""
    if item.kind == "url":
        from coveragebot.index.ingest.fetch import FetchSettings, fetch_article

        fetch = FetchSettings(
            timeout_s=settings.fetch_timeout_seconds, max_bytes=settings.fetch_max_bytes,
            max_redirects=settings.fetch_max_redirects, allow_private=settings.fetch_allow_private_urls,
            allowed_hosts=tuple(settings.fetch_allowed_hosts),
        )
        return [await fetch_article(str(item.value), fetch)]
    if item.kind == "path":
        return await asyncio.to_thread(load_article_file, str(item.value), settings.ingest_max_file_bytes)
    if item.kind == "upload":
        data = item.value if isinstance(item.value, bytes) else item.value.encode()
        if len(data) > settings.ingest_max_file_bytes:
            raise ArticleError(
                f"{item.label}: file is {len(data):,} bytes, over the {settings.ingest_max_file_bytes:,} limit"
            )
        return await asyncio.to_thread(articles_from_bytes, data, item.label, key_from_label(item.label))
    if item.kind == "paste":
        return [article_from_paste(str(item.value))]
    raise ArticleError(f"{item.label}: cannot add this kind of input")


def article_from_paste(text: str) -> Article:
    """Pasted text: header lines if given, else the first line is the title."""
    if not text.strip():
        raise ArticleError("pasted text: nothing to add")
    first = text.strip().split("\n", 1)
    if len(first) < 2 or not first[1].strip():
        raise ArticleError("pasted text: put the title on the first line and the article below it")
    article = article_from_text(text, "pasted", "pasted text", title_from_first_line=True)
    # The key comes from the title alone, not from a byline or date glued to it.
    title_key = _SAFE_KEY.sub("-", article.title).strip("-.")[:40].strip("-.").lower() or "text"
    return replace(article, key="pasted-" + title_key)
