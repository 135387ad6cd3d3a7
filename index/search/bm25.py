"""The serving BM25 index over sentences: tantivy postings with block-max WAND.

Terms come from `index.text.analyzer.analyze` (folded, stopwords out, Snowball stems) and are
handed to tantivy already analysed, joined by spaces under its whitespace tokenizer,
so the serving index and the rank-bm25 reference score exactly the same tokens.
Scoring is tantivy's BM25: k1 = 1.2, b = 0.75, idf = ln(1 + (N - n + 0.5) / (n + 0.5)).
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import tantivy

# Bump when the analyzer or the schema changes: the index is then rebuilt from SQLite.
INDEX_FORMAT = 1
K1 = 1.2
B = 0.75
_WRITER_HEAP = 64_000_000


@dataclass(frozen=True)
class IndexedSentence:
    """One passage as the index sees it."""

    sentence_id: int
    article_id: int
    terms: Sequence[str]


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("terms", stored=False, tokenizer_name="whitespace", index_option="freq")
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
    def search(self, terms: Sequence[str], limit: int = 10) -> list[tuple[int, float]]:
        """Top `limit` (sentence_id, score) for a bag of analysed terms."""
        unique = list(dict.fromkeys(terms))
        if not unique or limit <= 0:
            return []
        clauses = [
            (tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "terms", term))
            for term in unique
        ]
        query = clauses[0][1] if len(clauses) == 1 else tantivy.Query.boolean_query(clauses)
        searcher = self._index.searcher()
        result = searcher.search(query, limit=limit, count=False)
        if not result.hits:
            return []
        ids = searcher.fast_field_values("sentence_id", [address for _, address in result.hits])
        return [(sid, score) for (score, _), sid in zip(result.hits, ids)]

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
