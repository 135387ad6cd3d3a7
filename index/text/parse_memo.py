"""Results read off one parse, computed once while an article's records are extracted.

The extractors ask the same questions of the same tokens many times (the name around a
token, its entity, its kind): each answer depends on the parsed Doc alone, which is not
changed while its statements and actions are extracted. Inside `remembering(doc)` a
function wrapped by `per_token` answers each token once; outside it, it computes as
before, so a Doc edited later (tests, notebooks) never sees a stale answer.

May import: the standard library only (it sits under every extractor).
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_T = TypeVar("_T")

# Memos of the Docs being extracted, by id: the memo holds its Doc, so the id is not
# reused while the memo exists. Workers are processes; a thread that enters a Doc
# another thread already holds shares that memo and leaves it to the first.
_ACTIVE: dict[int, dict[Any, Any]] = {}


@contextmanager
def remembering(doc: Doc) -> Iterator[None]:
    """Within the block, `per_token` functions answer each of `doc`'s tokens once."""
    key = id(doc)
    if key in _ACTIVE:
        yield
        return
    _ACTIVE[key] = {"doc": doc}
    try:
        yield
    finally:
        _ACTIVE.pop(key, None)


def memo_of(doc: Doc) -> dict[Any, Any] | None:
    """The memo of a Doc being extracted (a dict callers may keep answers in), else None."""
    return _ACTIVE.get(id(doc))


def doc_text(doc: Doc) -> str:
    """`doc.text`, which spaCy joins from the tokens at every access, joined once per memo."""
    return _once(doc, "text", lambda: doc.text)


def doc_ents(doc: Doc) -> tuple[Span, ...]:
    """`doc.ents`, which spaCy builds anew at every access, built once per memo."""
    return _once(doc, "ents", lambda: doc.ents)


def _once(doc: Doc, key: str, compute: Callable[[], _T]) -> _T:
    # Outside `remembering`, every call computes afresh.
    memo = _ACTIVE.get(id(doc))
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def sentence_bounds(token: Token) -> tuple[int, int]:
    """(start, end) of the sentence `token` stands in, as `token.sent` gives them; spaCy
    walks the sentence's tokens at every `.sent`, a memo walks the sentences once."""
    memo = _ACTIVE.get(id(token.doc))
    if memo is None:
        sent = token.sent
        return sent.start, sent.end
    bounds = memo.get("sentences")
    if bounds is None:
        sents = [(s.start, s.end) for s in token.doc.sents]
        bounds = memo["sentences"] = ([start for start, _ in sents], sents)
    starts, sents = bounds
    return sents[bisect.bisect_right(starts, token.i) - 1]


def token_mask(doc: Doc, attribute: str, keep: Callable[[str], bool]) -> Any:
    """A numpy array of booleans, one per token: does the token's attribute (spaCy's
    name: "LEMMA", "LOWER", "DEP", "POS", "ENT_TYPE") pass `keep`, called with its string.

    Read from the parse's arrays, each distinct value judged once: a pass that asks a
    question of a few tokens no longer makes and asks every token of the article.
    Masks combine with & and |; `numpy.flatnonzero(mask)` gives the positions.
    """
    import numpy  # spaCy's own dependency, loaded with it
    from spacy.attrs import IDS  # loaded already: the doc is parsed

    strings = doc.vocab.strings
    values = doc.to_array([IDS[attribute]]).reshape(len(doc))
    distinct, number = numpy.unique(values, return_inverse=True)
    passes = numpy.array([bool(keep(strings[value])) for value in distinct.tolist()], dtype=bool)
    return passes[number.reshape(-1)] if len(doc) else numpy.zeros(0, dtype=bool)


def per_token(fn: Callable[[Token], _T]) -> Callable[[Token], _T]:
    """Wrap a function of a token whose answer depends on the parse alone."""

    @functools.wraps(fn)
    def remembered(token: Token) -> _T:
        memo = _ACTIVE.get(id(token.doc))
        if memo is None:
            return fn(token)
        table = memo.get(fn)
        if table is None:
            table = memo[fn] = {}
        i = token.i
        if i in table:
            return table[i]
        answer = table[i] = fn(token)
        return answer

    return remembered
