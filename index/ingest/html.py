"""HTML pages -> Article: decoding, trafilatura extraction, light cleaning."""

from __future__ import annotations

import codecs
import re
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # trafilatura and lxml load when a page is read, not at every start
    from lxml import etree

from coveragebot.index.ingest.articles import Article, ArticleError, derive_title, strip_bylines

# A page with less body than this is a teaser, a login wall or a link list.
MIN_WORDS = 40
# ...and at least one paragraph must read like running prose.
MIN_PARAGRAPH_WORDS = 12

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# Browsers read these labels as windows-1252 (WHATWG Encoding Standard).
_WINDOWS_1252 = {"ascii", "us-ascii", "latin-1", "latin1", "iso-8859-1", "iso8859-1", "l1"}
_HTML_MARKUP = re.compile(r"<(?:!doctype\s+html|html|head|body|article|main|div|p|h1)\b", re.I)

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?…\"”’)]\s*$")
# Wire and newsroom credit lines close an article: "(Reporting by …; Editing by …)",
# "Jane Doe contributed to this report." What follows them is page furniture.
_CREDIT = re.compile(
    r"^\(?\s*(?:additional\s+)?(?:reporting|writing|editing|compiled|research|produced)\s+by\b"
    r"|\bcontributed\s+(?:to\s+)?(?:this\s+)?(?:report|story|article|reporting)\b",
    re.I,
)
# Short blocks that are navigation or widgets, not prose.
_FURNITURE = re.compile(
    r"^(?:advertisement|sponsored(?: content)?|loading\b.*|read (?:more|next|the full)\b.*"
    r"|continue reading\b.*|click here\b.*|(?:see|watch|related|more|also read|read also)\s*:.*"
    r"|share (?:this|on)\b.*|follow us\b.*|sign up\b.*|subscribe\b.*|full article"
    r"|back to top|comments?|print|email)$",
    re.I,
)
_BYLINE = re.compile(r"^(?:by|written by|words by)\s+\S", re.I)
_DATELINE_STAMP = re.compile(r"^(?:published|updated|posted|last updated)\b", re.I)
_CAPTION = re.compile(
    r"^(?:photo|image|picture|video|credit|caption)s?\s*(?::|by\b)|\b(?:getty images|ap photo|afp photo)\b",
    re.I,
)
_LINK_TAG = re.compile(r"<link\b[^>]*>", re.I)
_META_TAG = re.compile(r"<meta\b[^>]*>", re.I)
_ATTRIBUTE = re.compile(r"""([a-z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_GENERIC_SEGMENTS = {"index", "default", "article", "articles", "story", "stories", "news", "amp", "view", "content"}


def article_from_html(
    data: bytes | str, url: str = "", key: str = "", label: str = "", *, encoding: str = ""
) -> Article:
    """One article from an HTML page: main text, title, author, date, outlet, URL.

    `encoding` is a charset declared outside the page (an HTTP header); a byte
    order mark still wins over it, and it wins over the page's own <meta>.
    """
    name = label or url or key or "page"
    html = data if isinstance(data, str) else decode_html(data, name, encoding)
    html = _XML_DECLARATION.sub("", html, count=1).lstrip("\ufeff")
    if not html.strip():
        raise ArticleError(f"{name}: the page is empty")
    if not _HTML_MARKUP.search(html[:100_000]):
        raise ArticleError(f"{name}: not an HTML page")

    import trafilatura

    document = trafilatura.bare_extraction(
        html,
        url=url or None,
        favor_precision=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        with_metadata=True,
        date_extraction_params={"original_date": True, "outputformat": "%Y-%m-%d"},
    )
    blocks = _body_blocks(document.body) if document is not None and document.body is not None else []
    title = _clean(document.title) if document is not None else ""
    blocks = clean_blocks(blocks, title)
    body, byline = strip_bylines("\n\n".join(blocks))
    body = body.strip()
    if not _is_article(body):
        raise ArticleError(f"{name}: no article text found on the page")

    canonical = _canonical_url(_canonical_link(html) or document.url, url)
    return Article(
        key=key or slug_from_url(canonical) or _slug(Path(label).stem) or _slug(title) or "page",
        title=title or derive_title(body),
        text=body,
        outlet=_outlet(html, document.sitename if document is not None else None, canonical),
        author=_author(document.author) or byline,
        url=canonical,
        published=document.date or "",
    )


def decode_html(data: bytes, name: str = "page", declared: str = "") -> str:
    """Bytes -> text by BOM, then the declared charset, then <meta>, then a guess."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    if b"\x00" in data[:4096]:
        raise ArticleError(f"{name}: not an HTML page (binary content)")
    head = data[:4096]
    meta = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    for label in (declared, meta.group(1).decode("ascii") if meta else ""):
        codec = _codec(label)
        if codec:
            return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    guess = _guess_codec(data)
    return data.decode(guess, errors="replace")


def clean_blocks(blocks: list[str], title: str = "") -> list[str]:
    """Drop the repeated headline, dateline stubs, bylines, widgets and credit tails."""
    kept: list[str] = []
    folded_title = title.casefold()
    for number, block in enumerate(blocks):
        following = blocks[number + 1] if number + 1 < len(blocks) else ""
        if folded_title and block.casefold() == folded_title:
            continue
        # A dateline printed twice: "JAKARTA" then "JAKARTA (Reuters) - …".
        if _word_count(block) <= 5 and following.startswith(block) and len(following) > len(block):
            continue
        if _is_furniture(block) or (not kept and _is_stamp(block)):
            continue
        kept.append(block)
    return _cut_credit_tail(kept)


def slug_from_url(url: str) -> str:
    """A key from a URL path: its last meaningful segment, lowercased, hyphenated."""
    if not url:
        return ""
    segments = [unquote(part) for part in urlsplit(url).path.split("/") if part]
    for segment in reversed(segments):
        stem = re.sub(r"\.(?:s?html?|php|aspx?|jsp)$", "", segment, flags=re.I)
        slug = _slug(stem)
        if slug and not slug.isdigit() and slug not in _GENERIC_SEGMENTS:
            return slug
    return ""


def _body_blocks(body: etree._Element) -> list[str]:
    blocks: list[str] = []
    for element in body:
        _collect(element, blocks)
    return blocks


def _collect(element: etree._Element, blocks: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in {"list", "table", "row", "div", "main"}:
        for child in element:
            _collect(child, blocks)
        return
    if tag in {"graphic", "ref", "lb"}:
        return
    for line_break in element.iter("lb"):
        line_break.text = " "
    text = _clean("".join(element.itertext()))
    if text:
        blocks.append(text)


def _cut_credit_tail(blocks: list[str]) -> list[str]:
    # Only a credit in the second half ends the article, and only if what
    # follows it is short (a widget), not more story.
    for number in range(len(blocks) - 1, len(blocks) // 2 - 1, -1):
        if _word_count(blocks[number]) <= 120 and _CREDIT.search(blocks[number]):
            before = sum(_word_count(block) for block in blocks[:number])
            after = sum(_word_count(block) for block in blocks[number + 1:])
            if after <= before / 4:
                return blocks[:number]
            return blocks[:number] + blocks[number + 1:]
    return blocks


def _is_furniture(block: str) -> bool:
    words = _word_count(block)
    if words <= 12 and _FURNITURE.match(block.rstrip(" .…»>›→")):
        return True
    if words <= 12 and _BYLINE.match(block) and not _SENTENCE_END.search(block):
        return True
    return words <= 25 and bool(_CAPTION.search(block)) and not block.startswith(("\"", "“"))


def _is_stamp(block: str) -> bool:
    return _word_count(block) <= 12 and bool(_DATELINE_STAMP.match(block))


def _is_article(body: str) -> bool:
    if _word_count(body) < MIN_WORDS:
        return False
    return any(
        _word_count(paragraph) >= MIN_PARAGRAPH_WORDS and _SENTENCE_END.search(paragraph)
        for paragraph in body.split("\n\n")
    )


def _canonical_url(found: str | None, given: str) -> str:
    if found:
        absolute = urljoin(given, found.strip()) if given else found.strip()
        if urlsplit(absolute).scheme in {"http", "https"}:
            return absolute
    return given


def _canonical_link(html: str) -> str:
    body_at = re.search(r"<body\b", html[:200_000], re.I)
    head = html[: body_at.start()] if body_at else html[:200_000]
    for tag in _LINK_TAG.findall(head):
        attributes = {
            name.lower(): next(value for value in values if value) if any(values) else ""
            for name, *values in _ATTRIBUTE.findall(tag)
        }
        if "canonical" in attributes.get("rel", "").lower().split() and attributes.get("href"):
            return unescape(attributes["href"])
    return ""


def _head_meta(html: str) -> dict[str, str]:
    """`<meta property|name=... content=...>` of the page head, names lowercased."""
    body_at = re.search(r"<body\b", html[:200_000], re.I)
    head = html[: body_at.start()] if body_at else html[:200_000]
    found: dict[str, str] = {}
    for tag in _META_TAG.findall(head):
        attributes = {
            name.lower(): next((value for value in values if value), "")
            for name, *values in _ATTRIBUTE.findall(tag)
        }
        key = (attributes.get("property") or attributes.get("name") or "").lower()
        if key and attributes.get("content") and key not in found:
            found[key] = unescape(attributes["content"]).strip()
    return found


def _outlet(html: str, sitename: str | None, url: str) -> str:
    """The publication's name: declared by the page, else found by trafilatura, else the domain.

    A name trafilatura could only take from the page's Twitter handle (`@reuters_co_uk`)
    or its host name says less than the domain it was published on (`Reuters`).
    """
    meta = _head_meta(html)
    declared = meta.get("og:site_name") or meta.get("application-name")
    if declared:
        return _clean(declared)
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    handle = meta.get("twitter:site", "").lstrip("@").casefold().replace("_", "")
    name = _clean((sitename or "").replace("_", " "))
    squeezed = name.replace(" ", "").casefold()
    if name and squeezed != handle and name.casefold() != host:
        return name
    return _publisher_from_host(host) or name


def _publisher_from_host(host: str) -> str:
    # in.reuters.com -> Reuters; news.bbc.co.uk -> Bbc; a short second level (co, com,
    # org, ac …) under a two-letter country code belongs to the suffix.
    labels = [label for label in host.lower().split(".") if label]
    if len(labels) < 2:
        return host
    cut = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and len(labels[-2]) <= 3 else 2
    label = labels[-cut]
    return label[:1].upper() + label[1:]


def _author(found: str | None) -> str:
    # trafilatura separates several authors with "; "; a byline reads better with commas.
    return ", ".join(part.strip() for part in (found or "").split(";") if part.strip())


def _codec(label: str) -> str:
    label = label.strip().strip("\"'").lower()
    if not label:
        return ""
    if label in _WINDOWS_1252:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return ""
    if name in {"ascii", "iso8859-1", "latin-1"}:
        return "cp1252"
    # A <meta> we could read as ASCII cannot really be UTF-16/32 (WHATWG: use UTF-8).
    return "utf-8" if name.startswith(("utf-16", "utf-32")) else name


def _guess_codec(data: bytes) -> str:
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        return "cp1252"
    best = from_bytes(data[:200_000]).best()
    return _codec(best.encoding) if best is not None and best.encoding else "cp1252"


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:80].rstrip("-")


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))
