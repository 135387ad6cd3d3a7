"""Word-level comparison of the words a user quotes with words the coverage printed.

Case, accents, punctuation, quotation marks and hyphens do not count as differences;
every changed, added or missing word does, and a change that touches a negation
(`do` / `don't`) or a number is labelled as such.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from coveragebot.index.text.analyzer import fold

# Numbers keep their separators (`1,200`, `3.5%`); words keep inner apostrophes (`don't`).
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*%?|[^\W_]+(?:['’][^\W_]+)*")
NEGATIONS = frozenset(
    "not no never nor neither none nobody nothing nowhere cannot without".split())
NUMBER_WORDS = frozenset(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred
    thousand million billion trillion half dozen percent first second third fourth fifth once twice
    """.split())


@dataclass(frozen=True)
class Token:
    """One word as printed, with its comparison key and its place in the text."""

    text: str
    key: str
    start: int
    end: int


@dataclass(frozen=True)
class Difference:
    """One place where the words asked about and the printed words part."""

    printed: str  # the printed words ('' when the user's words add some)
    given: str  # the user's words ('' when they leave printed words out)
    what: str  # negation | number | wording
    start: int = 0  # the printed words' span in the printed text (empty for an addition)
    end: int = 0

    def to_json(self) -> dict:
        return {"printed": self.printed, "given": self.given, "what": self.what}


@dataclass(frozen=True)
class Alignment:
    """Where the user's words sit in a printed text and how they differ from it."""

    start: int  # span of the aligned printed words, in the printed text's offsets
    end: int
    matched: int  # words the same on both sides
    given: int  # words the user gave
    printed: int  # printed words inside the span
    differences: tuple[Difference, ...]

    @property
    def similarity(self) -> float:
        """Dice coefficient of the aligned words: 1.0 is word for word."""
        return 2 * self.matched / max(self.given + self.printed, 1)

    @property
    def exact(self) -> bool:
        return not self.differences and self.matched == self.given


def tokens(text: str, offset: int = 0) -> list[Token]:
    """The words of `text`, with spans shifted by `offset` (the text's place in its article)."""
    return [Token(m.group(0), key_of(m.group(0)), m.start() + offset, m.end() + offset)
            for m in _TOKEN.finditer(text)]


def key_of(word: str) -> str:
    return fold(word).replace("’", "'")


def is_negation(key: str) -> bool:
    return key in NEGATIONS or key.endswith("n't")


def is_number(key: str) -> bool:
    return key[:1].isdigit() or key in NUMBER_WORDS


def align(given: list[Token], printed: list[Token]) -> Alignment | None:
    """The best place of `given` in `printed`, or None when no word is shared.

    The longest shared run anchors the place; the words around it, as many as the user
    gave plus some slack, are compared again, and printed words beyond the first and
    last shared word are context, not differences.
    """
    if not given or not printed:
        return None
    gkeys = [t.key for t in given]
    pkeys = [t.key for t in printed]
    anchor = difflib.SequenceMatcher(None, gkeys, pkeys, autojunk=False).find_longest_match(
        0, len(gkeys), 0, len(pkeys))
    if anchor.size == 0:
        return None
    slack = max(3, len(gkeys) // 4)
    low = max(0, anchor.b - anchor.a - slack)
    high = min(len(pkeys), anchor.b - anchor.a + len(gkeys) + slack)
    window = pkeys[low:high]
    ops = difflib.SequenceMatcher(None, gkeys, window, autojunk=False).get_opcodes()
    ops = _trimmed([(tag, i1, i2, j1 + low, j2 + low) for tag, i1, i2, j1, j2 in ops])
    if not ops:
        return None
    matched = sum(i2 - i1 for tag, i1, i2, _, _ in ops if tag == "equal")
    first, last = ops[0][3], ops[-1][4]
    differences = tuple(_difference(given, printed, op) for op in ops if op[0] != "equal")
    if first >= last:  # nothing printed was aligned (only additions)
        return None
    return Alignment(printed[first].start, printed[last - 1].end, matched, len(gkeys), last - first, differences)


def _trimmed(ops: list[tuple[str, int, int, int, int]]) -> list[tuple[str, int, int, int, int]]:
    """Opcodes without the printed-only context at either end.

    A replacement at an edge keeps only as many printed words, next to the shared ones,
    as the user gave there: the rest is context too.
    """
    while ops and ops[0][0] == "insert":
        ops = ops[1:]
    while ops and ops[-1][0] == "insert":
        ops = ops[:-1]
    if not ops:
        return ops
    tag, i1, i2, j1, j2 = ops[0]
    if tag == "replace" and j2 - j1 > i2 - i1:
        ops[0] = (tag, i1, i2, j2 - (i2 - i1), j2)
    tag, i1, i2, j1, j2 = ops[-1]
    if tag == "replace" and j2 - j1 > i2 - i1:
        ops[-1] = (tag, i1, i2, j1, j1 + (i2 - i1))
    return ops


def _difference(given: list[Token], printed: list[Token], op: tuple[str, int, int, int, int]) -> Difference:
    tag, i1, i2, j1, j2 = op
    said, shown = given[i1:i2], printed[j1:j2]
    keys = [t.key for t in said + shown]
    what = "negation" if any(is_negation(k) for k in keys) else "number" if any(is_number(k) for k in keys) \
        else "wording"
    given_text = " ".join(t.text for t in said)
    if not shown:
        # An addition sits between two printed words: mark the place after the one before.
        at = printed[j1 - 1].end if j1 > 0 else (printed[0].start if printed else 0)
        return Difference("", given_text, what, at, at)
    return Difference(" ".join(t.text for t in shown), given_text, what, shown[0].start, shown[-1].end)
