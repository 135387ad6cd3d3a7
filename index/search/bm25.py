"""The serving BM25 index over sentences: tantivy postings with block-max WAND.

Terms come from `index.text.analyzer.analyze` (folded, stopwords out, Snowball stems) and are
handed to tantivy already analysed, joined by spaces under its whitespace tokenizer,
so the serving index and the rank-bm25 reference score exactly the same tokens.
Scoring is tantivy's BM25: k1 = 1.2, b = 0.75, idf = ln(1 + (N - n + 0.5) / (n + 0.5)).

A plain bag of terms is scored by BM25 alone. Each passage also carries its article's
title, author and outlet terms in a second field (`meta`): a match there adds to the
score of a passage whose own text matches, at a lower weight, but never makes a result
by itself; `articles_named` answers which articles the metadata names. Body terms keep
positions, so a quoted phrase is a tantivy phrase query.
"""

from __future__ import annotations

import functools
import json
import shutil
import threading
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import tantivy

# Bump when the analyzer or the schema changes: the index is then rebuilt from SQLite.
INDEX_FORMAT = 2
K1 = 1.2
B = 0.75
_WRITER_HEAP = 64_000_000


@dataclass(frozen=True)
class IndexedSentence:
    """One passage as the index sees it."""

    sentence_id: int
    article_id: int
    terms: Sequence[str]
    # The article's title, author and outlet terms, repeated on each of its passages.
    meta: Sequence[str] = ()


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("terms", stored=False, tokenizer_name="whitespace", index_option="position")
    builder.add_text_field("meta", stored=False, tokenizer_name="whitespace", index_option="freq")
    builder.add_unsigned_field("sentence_id", stored=False, indexed=False, fast=True)
    builder.add_unsigned_field("article_id", stored=False, indexed=True, fast=True)
    return builder.build()


class SentenceIndex:
    """Persisted sentence index: add or drop whole articles, query top-k by BM25."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.schema = _schema()
        self._lock = threading.Lock()
        if path is None:
            self._index = tantivy.Index(self.schema)
        else:
            path.mkdir(parents=True, exist_ok=True)
            if not self._format_ok(path):
                self._wipe(path)
            self._index = tantivy.Index(self.schema, path=str(path), reuse=True)
            (path / "coveragebot.json").write_text(json.dumps({"format": INDEX_FORMAT}))
        self._index.reload()

    @staticmethod
    def _format_ok(path: Path) -> bool:
        marker = path / "coveragebot.json"
        try:
            return json.loads(marker.read_text()).get("format") == INDEX_FORMAT
        except (OSError, ValueError):
            return not any(path.iterdir())

    @staticmethod
    def _wipe(path: Path) -> None:
        shutil.rmtree(path)
        path.mkdir(parents=True)

    # -- writing -----------------------------------------------------------
    def replace_articles(
        self, remove: Iterable[int] = (), add: Iterable[IndexedSentence] = ()
    ) -> None:
        """Drop the given articles and add sentences in one commit (atomic for readers)."""
        with self._lock:
            # tantivy allows one writer per index: take it only for this commit,
            # so a terminal `coveragebot add` and the running bot can take turns.
            writer = self._index.writer(_WRITER_HEAP, num_threads=1)
            try:
                for article_id in remove:
                    writer.delete_documents_by_query(
                        tantivy.Query.term_query(self.schema, "article_id", article_id)
                    )
                for sentence in add:
                    doc = tantivy.Document()
                    doc.add_text("terms", " ".join(sentence.terms))
                    if sentence.meta:
                        doc.add_text("meta", " ".join(sentence.meta))
                    doc.add_unsigned("sentence_id", sentence.sentence_id)
                    doc.add_unsigned("article_id", sentence.article_id)
                    writer.add_document(doc)
                writer.commit()
                writer.wait_merging_threads()
            except BaseException:
                writer.rollback()
                raise
            self._index.reload()

    def clear(self) -> None:
        """Remove every document."""
        with self._lock:
            writer = self._index.writer(_WRITER_HEAP, num_threads=1)
            writer.delete_all_documents()
            writer.commit()
            writer.wait_merging_threads()
            self._index.reload()

    def refresh(self) -> None:
        """See commits made by another process."""
        self._index.reload()

    # -- reading -----------------------------------------------------------
    def search(
        self,
        terms: Sequence[str],
        limit: int = 10,
        *,
        phrases: Sequence[Sequence[str]] = (),
        excluded: Sequence[str] = (),
        articles: Collection[int] | None = None,
        meta_weight: float = 0.0,
    ) -> list[tuple[int, float]]:
        """Top `limit` (sentence_id, score) for a bag of analysed terms.

        With only `terms` the score is BM25 over the passage text. `phrases` must
        each occur (terms adjacent, in order), `excluded` terms must not, `articles`
        limits the search to those article ids, and `meta_weight` > 0 adds, to a
        passage whose text matches, its article's title, author and outlet matches
        at that fraction of a body match.
        """
        if limit <= 0 or (articles is not None and not articles):
            return []
        query = self._query(list(dict.fromkeys(terms)), phrases, excluded, articles, meta_weight)
        if query is None:
            return []
        searcher = self._index.searcher()
        result = searcher.search(query, limit=limit, count=False)
        if not result.hits:
            return []
        ids = searcher.fast_field_values("sentence_id", [address for _, address in result.hits])
        return [(sid, score) for (score, _), sid in zip(result.hits, ids)]

    def _query(self, unique, phrases, excluded, articles, meta_weight):
        term = functools.partial(tantivy.Query.term_query, self.schema)
        should = [(tantivy.Occur.Should, term("terms", t)) for t in unique]
        # The metadata only ranks: a passage is a result for what its own text says.
        meta = [(tantivy.Occur.Should, tantivy.Query.boost_query(term("meta", t), meta_weight))
                for t in unique] if meta_weight > 0 else []
        must = []
        for phrase in phrases:
            if len(phrase) == 1:
                must.append(term("terms", phrase[0]))
            elif phrase:
                must.append(tantivy.Query.phrase_query(self.schema, "terms", list(phrase)))
        if articles is not None:
            # A filter selects; it adds nothing to the score.
            must.append(tantivy.Query.const_score_query(
                tantivy.Query.term_set_query(self.schema, "article_id", sorted(articles)), 0.0))
        # An excluded word also rules out the articles whose title or byline holds it.
        must_not = [term(field, t) for t in dict.fromkeys(excluded) for field in ("terms", "meta")]
        if not should and not must:
            if not must_not:
                return None
            must.append(tantivy.Query.all_query())
        if len(should) == 1 and not must and not must_not and not meta:
            return should[0][1]
        if should and (must or meta):
            # Beside a phrase the other words only rank; otherwise one of them must match.
            occur = tantivy.Occur.Should if phrases else tantivy.Occur.Must
            clauses = [(occur, tantivy.Query.boolean_query(should))]
        else:
            clauses = list(should)
        if meta:
            clauses.append((tantivy.Occur.Should, tantivy.Query.boolean_query(meta)))
        clauses += [(tantivy.Occur.Must, q) for q in must]
        clauses += [(tantivy.Occur.MustNot, q) for q in must_not]
        return tantivy.Query.boolean_query(clauses)

    def articles_named(self, terms: Sequence[str], limit: int = 1000) -> list[int]:
        """Ids of the articles whose title, author and outlet together hold every term."""
        unique = list(dict.fromkeys(terms))
        if not unique:
            return []
        searcher = self._index.searcher()
        # A term no article's metadata holds answers at once, without reading postings.
        if any(searcher.doc_freq("meta", t) == 0 for t in unique):
            return []
        term = functools.partial(tantivy.Query.term_query, self.schema)
        query = tantivy.Query.boolean_query([(tantivy.Occur.Must, term("meta", t)) for t in unique])
        agg = searcher.aggregate(query, {"a": {"terms": {"field": "article_id", "size": limit}}})
        return sorted(int(b["key"]) for b in agg["a"]["buckets"])

    def segment_count(self) -> int:
        """Segments the searcher reads (each one more set of postings a query walks)."""
        return self._index.searcher().num_segments

    def doc_count(self) -> int:
        """Passages currently searchable."""
        return self._index.searcher().num_docs

    def article_counts(self) -> dict[int, int]:
        """Passages per article, read from the index itself."""
        searcher = self._index.searcher()
        if searcher.num_docs == 0:
            return {}
        agg = searcher.aggregate(
            tantivy.Query.all_query(),
            {"a": {"terms": {"field": "article_id", "size": 10_000_000}}},
        )
        return {int(b["key"]): int(b["doc_count"]) for b in agg["a"]["buckets"]}

    def doc_freq(self, term: str) -> int:
        """Passages that contain `term`."""
        return self._index.searcher().doc_freq("terms", term)
