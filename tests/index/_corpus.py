"""The HTML pages of the test corpus and the token F1 that measures extraction against it."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from tests.conftest import CORPUS

HTML_PAGES = sorted((CORPUS / "html").glob("*.html"))
_TOKEN = re.compile(r"\w+")


def expected(page: Path) -> dict:
    """The JSON record whose `text` a page must ingest to (same NN_slug name)."""
    return json.loads((CORPUS / f"{page.stem}.json").read_text(encoding="utf-8"))


def token_f1(found: str, wanted: str) -> float:
    """F1 of two bags of lowercase word tokens."""
    got, ref = Counter(_TOKEN.findall(found.lower())), Counter(_TOKEN.findall(wanted.lower()))
    common = sum((got & ref).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(ref.values())
    return 2 * precision * recall / (precision + recall)
