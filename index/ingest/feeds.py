"""Feeds as lists of entries: RSS 2.0, RSS 1.0 and Atom through feedparser, Google News
sitemaps through lxml (the XML parser the HTML extraction already uses).

Pure functions: bytes in, a `ParsedFeed` out. Fetching, polling and storing live in
index.feeds; an entry without a link becomes an article from its own content here.
"""

from __future__ import annotations

import calendar
import hashlib
import html
import re
import time
from dataclasses import dataclass

import feedparser
from lxml import etree

from coveragebot.index.ingest.articles import ArticleError
from coveragebot.index.ingest.markup import clean_text
from coveragebot.index.records import Article

# What a feed may be served as; some servers call a feed plain XML or even plain text.
FEED_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
    "application/x-rss+xml", "application/feed+json", "text/plain",
})
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, */*;q=0.1"
_SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
_NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
# Block ends become paragraph breaks before the tags go.
_BREAKS = re.compile(r"(?i)</(?:p|div|h[1-6]|li|blockquote)\s*>|<br\s*/?>")
_TAG = re.compile(r"<[^>]*>")


class FeedError(ArticleError):
    """A document that is not a feed this bot reads; the message is one line."""


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed: where it points, and what it says of itself."""

    key: str  # the entry's id (guid), else its link: stable across polls
    link: str
    title: str
    published: str  # ISO date, or ''
    content: str  # the entry's own text (summary or content), markup removed
    fingerprint: str  # changes when the entry's date, title or text changes


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    kind: str  # rss | atom | news sitemap
    entries: tuple[FeedEntry, ...]


def parse_feed(data: bytes) -> ParsedFeed:
    """The entries of an RSS, Atom or Google News sitemap document, or a FeedError."""
    head = data[:2000].lstrip()
    if b"<urlset" in head and _SITEMAP.encode() in head:
        return _parse_sitemap(data)
    # feedparser reads from bytes only: it never fetches anything itself.
    parsed = feedparser.parse(data)
    version = parsed.get("version", "")
    # A document that broke off before its first entry, or was never a feed, has none.
    if not parsed.entries and (parsed.get("bozo") or not version):
        raise FeedError("That is not a feed (RSS, Atom or a news sitemap).")
    kind = "atom" if version.startswith("atom") else "rss"
    entries = tuple(e for e in (_entry(item) for item in parsed.entries) if e is not None)
    return ParsedFeed(_text(parsed.feed.get("title", "")), kind, entries)


def _entry(item) -> FeedEntry | None:
    link = (item.get("link") or "").strip()
    if not link.lower().startswith(("http://", "https://")):
        # feedparser reads a bare guid as the link ("permalink" by default): it is an id, not a page.
        link = ""
    title = _text(item.get("title", ""))
    content = ""
    if item.get("content"):
        content = "\n\n".join(_text(c.get("value", ""), markup=True) for c in item["content"])
    content = content or _text(item.get("summary", ""), markup=True)
    # Read as a plain dict: feedparser's own lookup maps one date onto the other, with a warning.
    issued, updated = dict.get(item, "published_parsed"), dict.get(item, "updated_parsed")
    stamp = updated or issued
    published = time.strftime("%Y-%m-%d", issued or stamp) if (issued or stamp) else ""
    key = (item.get("id") or link or "").strip()
    if not key:
        if not (title or content):
            return None
        key = "sha1:" + _hash(title, content)
    changed = str(calendar.timegm(stamp)) if stamp else ""
    return FeedEntry(key, link, title, published, content, _hash(changed, title, content))


def _parse_sitemap(data: bytes) -> ParsedFeed:
    # No entities, no network, no huge trees: a sitemap is plain elements.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise FeedError(f"That news sitemap could not be read: {str(exc)[:120]}") from None
    entries, outlet = [], ""
    for url in root.iter(f"{{{_SITEMAP}}}url"):
        link = (url.findtext(f"{{{_SITEMAP}}}loc") or "").strip()
        news = url.find(f"{{{_NEWS}}}news")
        if not link:
            continue
        title = _text(news.findtext(f"{{{_NEWS}}}title") or "") if news is not None else ""
        date = (news.findtext(f"{{{_NEWS}}}publication_date") or "").strip() if news is not None else ""
        date = date or (url.findtext(f"{{{_SITEMAP}}}lastmod") or "").strip()
        if news is not None and not outlet:
            outlet = _text(news.findtext(f"{{{_NEWS}}}publication/{{{_NEWS}}}name") or "")
        entries.append(FeedEntry(link, link, title, date[:10], "", _hash(date, title)))
    return ParsedFeed(outlet, "news sitemap", tuple(entries))


def article_from_entry(entry: FeedEntry, outlet: str) -> Article:
    """An entry that links nowhere, as an article of its own title and text."""
    if not entry.content.strip():
        raise ArticleError(f"{entry.title or entry.key}: the entry has no link and no text")
    return Article(key=_key(entry), title=entry.title, text=entry.content, outlet=outlet, published=entry.published)


def completed(article: Article, entry: FeedEntry, outlet: str) -> Article:
    """A fetched page's article with what the page lacked taken from its entry and feed."""
    return Article(key=article.key, title=article.title or entry.title, text=article.text,
                   outlet=article.outlet or outlet, author=article.author, url=article.url,
                   published=article.published or entry.published)


def _key(entry: FeedEntry) -> str:
    return "feed-" + _hash(entry.key)[:16]


def _text(value: str, markup: bool = False) -> str:
    """Plain text of a feed field; with `markup`, paragraphs kept apart and tags taken out."""
    if markup:
        value = _BREAKS.sub("\n\n", value)
        value = html.unescape(_TAG.sub("", value))
        paragraphs = (" ".join(p.split()) for p in value.split("\n\n"))
        return clean_text("\n\n".join(p for p in paragraphs if p))
    return clean_text(" ".join(html.unescape(value).split()))


def _hash(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
