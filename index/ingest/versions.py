"""Story versions: is a re-added article an update of one already stored?"""

from __future__ import annotations

import difflib

from coveragebot.index.text.analyzer import fold

# A story whose text is at least this share unchanged is an update, not a new story.
UNCHANGED_SHARE = 0.9


def unchanged_share(old: str, new: str) -> float:
    """Share of the longer text's words that the other keeps, in order (0..1)."""
    a, b = fold(old).split(), fold(new).split()
    if not a or not b:
        return 0.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    # quick_ratio bounds the exact figure from above: skip the slow match when it can't pass.
    if matcher.quick_ratio() * (len(a) + len(b)) / 2 / max(len(a), len(b)) < UNCHANGED_SHARE:
        return 0.0
    kept = sum(block.size for block in matcher.get_matching_blocks())
    return kept / max(len(a), len(b))


def is_update(old: str, new: str) -> bool:
    """True when `new` keeps at least 90% of `old`'s words: the same story, revised."""
    return unchanged_share(old, new) >= UNCHANGED_SHARE
