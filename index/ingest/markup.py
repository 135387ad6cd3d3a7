"""What an export leaves in article text: tags (`<tweet id=… author="@x">…</tweet>`, `<b>`)
and mojibake (`FranÃ§ois` for `François`, text decoded with the wrong encoding, even twice).

Tags never reach a passage, a name or a statement: each is taken out and its text kept.
An embedded tweet keeps its author's handle after its text, as the page shows it
(`… — @thedailybeast`), so the words stay attributed without attribute soup. Mojibake is
undone with ftfy, which only repairs encodings (and composes accents, NFC): quotes, dashes,
ligatures, widths and line breaks stay as printed.
"""

from __future__ import annotations

import functools
import re

# A start or end tag with attributes, as HTML writes them; "a < b" and "<3" are no tags.
_ATTRIBUTE = r"""\s+[A-Za-z_:][\w:.-]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
_TAG = re.compile(rf"</?[A-Za-z][\w-]*(?:{_ATTRIBUTE})*\s*/?>")
_TWEET = re.compile(rf"<tweet\b((?:{_ATTRIBUTE})*)\s*>(.*?)</tweet>", re.S | re.I)
_AUTHOR = re.compile(r"""\bauthor\s*=\s*["']?(@?[\w.]+)""", re.I)


def strip_markup(text: str) -> str:
    """The text with its tags taken out; an embedded tweet ends with its author's handle."""
    if "<" not in text:
        return text
    text = _TWEET.sub(_tweet, text)
    return _TAG.sub("", text)


def _tweet(match: re.Match) -> str:
    body = _TAG.sub("", match.group(2)).strip()
    author = _AUTHOR.search(match.group(1))
    if author is None:
        return body
    handle = author.group(1) if author.group(1).startswith("@") else "@" + author.group(1)
    return f"{body} — {handle}"


@functools.lru_cache(maxsize=1)
def _encoding_only():
    import ftfy

    return ftfy.TextFixerConfig(
        unescape_html=False, remove_terminal_escapes=False, uncurl_quotes=False, fix_latin_ligatures=False,
        fix_character_width=False, fix_line_breaks=False, remove_control_chars=False, normalization="NFC",
        explain=False)


def repair_encoding(text: str) -> str:
    """Text with mojibake undone (`RaÃºl` -> `Raúl`); text without any comes back unchanged."""
    if text.isascii():
        return text
    import ftfy

    return ftfy.fix_text(text, _encoding_only())


def clean_text(text: str) -> str:
    """An article body as printed: mojibake repaired, markup taken out."""
    return strip_markup(repair_encoding(text))
