"""The blocking half of ingestion: spaCy parse, passages, statements, actions, terms."""

from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coveragebot.index.ingest.articles import Article, ArticleError
from coveragebot.index.text.sentences import Passage, segment, segment_many
from coveragebot.index.storage.store import NewSentence
from coveragebot.index.text.analyzer import fold, words
from coveragebot.index.text.parse_memo import remembering

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Analysis:
    """Everything stored for an article besides its own fields."""

    text_hash: str
    sentences: tuple[NewSentence, ...]
    statements: tuple[dict[str, Any], ...]
    actions: tuple[dict[str, Any], ...]
    vocabulary: dict[str, int]


def text_hash(text: str) -> str:
    """Hash of the normalised text: the same article pasted twice hashes alike."""
    normal = re.sub(r"\s+", " ", fold(text)).strip()
    return hashlib.sha1(normal.encode("utf-8")).hexdigest()


def vocabulary_of(texts: list[str]) -> dict[str, int]:
    """Folded word counts, used for 'did you mean' suggestions."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(w for w in words(text) if len(w) > 2 and not w.isdigit())
    return dict(counts)


def analyze_article(nlp: Language, article: Article) -> Analysis:
    """Parse an article once and derive every stored record from that parse."""
    _check_length(nlp, article)
    return _analysis(article, *segment(nlp, article.text))


def analyze_articles(nlp: Language, articles: Sequence[Article]) -> list[Analysis]:
    """`analyze_article` for several articles, parsed as one stream (an import's batch)."""
    for article in articles:
        _check_length(nlp, article)
    return [_analysis(article, doc, passages)
            for article, (doc, passages) in zip(articles, segment_many(nlp, [a.text for a in articles]))]


def _check_length(nlp: Language, article: Article) -> None:
    # spaCy's own refusal is a paragraph about memory; an editor needs one line.
    if len(article.text) > nlp.max_length:
        raise ArticleError(f"{article.key}: too long to parse ({len(article.text):,} characters;"
                           f" at most {nlp.max_length:,})")


def _analysis(article: Article, doc: Doc, passages: list[Passage]) -> Analysis:
    sentences = tuple(
        NewSentence(p.position, p.paragraph, p.start, p.end, p.text, p.heading) for p in passages
    )
    statements, actions = _derived(doc, passages, article.key)
    return Analysis(
        text_hash=text_hash(article.text),
        sentences=sentences,
        statements=statements,
        actions=actions,
        vocabulary=vocabulary_of([s.text for s in sentences]),
    )


def derive_from_text(nlp: Language, text: str) -> tuple[tuple[dict, ...], tuple[dict, ...]]:
    """Statements and actions recomputed from a stored body (re-indexing)."""
    doc, passages = segment(nlp, text)
    return _derived(doc, passages, "")


def _derived(doc: Doc, passages: list[Passage], key: str) -> tuple[tuple[dict, ...], tuple[dict, ...]]:
    from coveragebot.index.quotes.extract import extract_statements
    from coveragebot.index.who.extract import extract_actions

    # Both extractors ask the same questions of the same tokens: answered once per parse.
    with remembering(doc):
        return (
            _guarded("statements", extract_statements, doc, passages, key),
            _guarded("actions", extract_actions, doc, passages, key),
        )


def _guarded(what: str, extract, doc: Doc, passages: list[Passage], key: str) -> tuple[dict, ...]:
    # An extractor's bug must not cost the article: it is stored and searchable
    # without that extractor's records, and the log keeps the traceback.
    try:
        return tuple(record.to_dict() for record in extract(doc, passages))
    except Exception:
        log.exception("extracting %s from %r failed; the article is stored without them", what, key or "text")
        return ()
