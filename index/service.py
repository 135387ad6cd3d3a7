"""The façade every front end calls: add, remove, reindex, search, sources, context.

Blocking work (spaCy, index commits) crosses into threads here and only here;
everything above is async, everything below is plain synchronous code.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
import sqlite3
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from pathlib import Path

from coveragebot.index.text import pipeline as nlp_mod
from coveragebot.index.analysis import analyze_article, derive_from_text, vocabulary_of
from coveragebot.index.answers import (
    AddOutcome,
    ArticleRef,
    ContextAnswer,
    Hit,
    PeopleAnswer,
    QuotesAnswer,
    SearchAnswer,
    SourceRow,
    SourcesAnswer,
    WhoAnswer,
)
from coveragebot.index.ingest.articles import Article, ArticleError, has_words
from coveragebot.index.ingest.items import Item, load_item
from coveragebot.index.ingest.loaders import load_article_file
from coveragebot.index.ingest.versions import is_update
from coveragebot.index.search.passages import closest_words, search_passages
from coveragebot.index.search.bm25 import IndexedSentence, SentenceIndex
from coveragebot.index.privacy import share_salt
from coveragebot.index.replica import CHUNK as REINDEX_CHUNK, Replica
from coveragebot.index.settings import Settings, seed_files
from coveragebot.index.storage.backends import open_store
from coveragebot.index.storage.store import SentenceRow, Store, StoreError, explain
from coveragebot.index.workspace_names import DEFAULT_WORKSPACE, index_path_for
from coveragebot.index.text.analyzer import analyze
from coveragebot.index.text.wording import counted

log = logging.getLogger(__name__)

# The outlet shown for the bundled seed articles, whose source was not recorded.
SEED_OUTLET = "bundled sample (outlet not recorded)"
Progress = Callable[[int, int, str], Awaitable[None] | None]
_WORD_SPAN = re.compile(r"[^\W_]+(?:['’.][^\W_]+)*")


class NotFound(LookupError):
    """A passage or article id that does not exist."""


class Service:
    """One workspace of the database plus its search index, shared by the bot and the terminal."""

    def __init__(self, settings: Settings, store: Store, index: SentenceIndex) -> None:
        self.settings = settings
        self.store = store
        self.index = index
        self._write_lock = asyncio.Lock()
        self._pruned_at = 0.0
        self.replica = Replica(self)

    # -- lifecycle -----------------------------------------------------------
    @classmethod
    async def open(cls, settings: Settings, seed: bool | None = None, *, store: Store | None = None,
                   workspace: str = DEFAULT_WORKSPACE) -> "Service":
        """Open the store (or scope an open one) for `workspace` and its index, repair the
        index if needed, seed a new store's `default` workspace."""
        if store is None:
            store = await open_store(settings)
            if workspace != DEFAULT_WORKSPACE:
                store.workspace = workspace
        else:
            store = store.scoped(workspace)
        if workspace != DEFAULT_WORKSPACE:
            seed = False  # the bundled samples belong to `default` only
        index_path = index_path_for(settings, workspace)
        try:
            index_path.parent.mkdir(parents=True, exist_ok=True)
            index = await asyncio.to_thread(SentenceIndex, index_path)
        except (OSError, ValueError) as exc:
            log.warning("search index at %s unusable (%s); rebuilding", index_path, exc)
            index = await asyncio.to_thread(_fresh_index, index_path)
        service = cls(settings, store, index)
        try:
            await service.replica.start()
            salt = await store.shared_salt()
            if salt is not None:
                share_salt(settings, salt)
            await service.reconcile_index()
            if linked := await store.register_unlinked():
                log.warning("linked %d statements stored before the people registry to speakers; "
                            "`!reindex` re-reads their articles for better speakers", linked)
            if seed if seed is not None else settings.storage_seed_on_first_use:
                await service.seed_if_new()
            if settings.privacy_log_retention_days:
                await store.prune_log(settings.privacy_log_retention_days)
                service._pruned_at = time.monotonic()
        except (sqlite3.Error, StoreError) as exc:
            # A locked, read-only or full database: one line at start-up, not a traceback.
            await service.replica.stop()
            await store.close()
            if isinstance(exc, StoreError):
                raise
            raise StoreError(f"cannot use database {settings.db_path}: {explain(exc)}") from exc
        return service

    async def close(self) -> None:
        await self.replica.stop()
        await self.store.close()

    @property
    def write_lock(self) -> asyncio.Lock:
        """Held while this process writes the store or its index."""
        return self._write_lock

    async def catch_up(self) -> int:
        """Apply other processes' adds and removes to this process's index now."""
        return await self.replica.catch_up()

    async def replace_indexed(self, article_ids: Sequence[int], rows: Sequence[SentenceRow]) -> None:
        """Drop these articles from the index and add `rows` (their stored passages) in one commit."""
        await self._index(article_ids, rows)

    async def log_query(self, entry: dict) -> int:
        """Write a query-log row; at most hourly, drop rows past the retention period."""
        row_id = await self.store.log_query(entry)
        days = self.settings.privacy_log_retention_days
        if days and time.monotonic() - self._pruned_at > 3600:
            self._pruned_at = time.monotonic()
            await self.store.prune_log(days)
        return row_id

    async def seed_if_new(self) -> None:
        """Load the bundled seed articles into a store that never held any."""
        if await self.store.scalar("SELECT count(*) FROM audit WHERE workspace = ? AND action = 'add'",
                                   (self.store.workspace,)):
            return
        articles = []
        for path in seed_files():
            # The samples came without their outlet: say what they are instead of nothing.
            articles.extend(replace(a, outlet=a.outlet or SEED_OUTLET) for a in load_article_file(path))
        await self.add_articles(articles, actor="seed")

    async def reconcile_index(self) -> int:
        """Make the index hold exactly the stored passages; return articles fixed.

        The store commits first, so after a crash the index may lack an article
        or still hold a removed one; both are repaired here from SQLite, without spaCy.
        """
        stored = {
            r[0]: r[1]
            for r in await self.store.rows(
                "SELECT article_id, count(*) FROM sentences WHERE workspace = ? AND heading = 0 GROUP BY article_id",
                (self.store.workspace,))
        }
        indexed = await asyncio.to_thread(self.index.article_counts)
        stale = [a for a in indexed if stored.get(a) != indexed[a]]
        missing = [a for a in stored if indexed.get(a) != stored[a]]
        if not stale and not missing:
            return 0
        touched = sorted(set(stale) | set(missing))
        log.warning("index out of step with the store: re-indexing %d articles", len(touched))
        # In chunks of articles, so an empty replica of a large store catches up in bounded memory.
        for start in range(0, len(touched), REINDEX_CHUNK):
            chunk = touched[start:start + REINDEX_CHUNK]
            rows = await self.store.all_sentences(a for a in chunk if a in stored)
            await self._index(chunk, rows)
        return len(touched)

    # -- writes ----------------------------------------------------------------
    async def add_articles(
        self, articles: Sequence[Article], actor: str, progress: Progress | None = None
    ) -> list[AddOutcome]:
        """Add articles one by one; each is stored and indexed whole or not at all."""
        outcomes = []
        for number, article in enumerate(articles, start=1):
            try:
                outcome = await self.add_article(article, actor)
            except ArticleError as exc:
                outcome = AddOutcome("failed", str(exc))
            except StoreError as exc:
                outcome = AddOutcome("failed", f"{article.key}: not added, {exc}")
            except Exception as exc:  # one bad item must not stop the batch
                log.exception("adding %r failed", article.key)
                outcome = AddOutcome("failed", f"{article.key}: could not be added ({type(exc).__name__})")
            outcomes.append(outcome)
            if progress is not None:
                result = progress(number, len(articles), outcome.message)
                if asyncio.iscoroutine(result):
                    await result
        return outcomes

    async def add_items(self, items: Sequence[Item], actor: str, progress: Progress | None = None) -> list[AddOutcome]:
        """Load and add URLs, files, uploads or pasted text; one failure stops nothing."""
        outcomes: list[AddOutcome] = []
        for number, item in enumerate(items, start=1):
            try:
                articles = await load_item(item, self.settings)
            except ArticleError as exc:
                outcomes.append(AddOutcome("failed", str(exc)))
            except Exception as exc:
                log.exception("loading %r failed", item.label)
                outcomes.append(AddOutcome("failed", f"{item.label[:80]}: could not be read ({type(exc).__name__})"))
            else:
                outcomes.extend(await self.add_articles(articles, actor))
            if progress is not None:
                result = progress(number, len(items), outcomes[-1].message if outcomes else "")
                if asyncio.iscoroutine(result):
                    await result
        return outcomes

    async def add_article(self, article: Article, actor: str) -> AddOutcome:
        """Parse off the event loop, store in one transaction, index in one commit."""
        if not has_words(article.text):
            raise ArticleError(f"{article.key}: no article text")
        nlp = await asyncio.to_thread(nlp_mod.load_pipeline)
        analysis = await asyncio.to_thread(analyze_article, nlp, article)
        stored = await self.store_analysed(article, analysis, actor)
        if stored is None:
            existing = await self.store.find_duplicate(analysis.text_hash)
            ref = (await self.article_refs([existing]))[existing]
            return AddOutcome("duplicate", f"already indexed as #{existing} ‘{ref.title}’", ref)
        article_id, rows, earlier = stored
        ref = (await self.article_refs([article_id]))[article_id]
        speakers = {s["speaker"] for s in analysis.statements if s["speaker"] != "unattributed"}
        verb = "Added" if earlier is None else f"Updated (version {await self.store.earlier_versions(article_id) + 1})"
        text = (
            f"{verb} #{article_id} ‘{ref.title}’{_source_suffix(ref)}: {counted(len(rows), 'sentence')}, "
            f"{counted(len(analysis.statements), 'statement')} by {counted(len(speakers), 'person')}."
            + (f" Decoded as {article.decoded_as} (the file was not UTF-8)." if article.decoded_as else "")
        )
        return AddOutcome("added" if earlier is None else "updated", text, ref, len(rows),
                          len(analysis.statements), len(speakers))

    async def _earlier_version(self, article: Article) -> int | None:
        """The stored story this article revises: the same URL, or the same outlet and
        title with at least 90% of the text unchanged."""
        same_url = await self.store.article_by_url(article.url)
        if same_url is not None:
            return same_url
        if not article.title:
            return None
        for article_id, text in await self.store.same_story_candidates(article.title, article.outlet):
            if await asyncio.to_thread(is_update, text, article.text):
                return article_id
        return None

    async def store_analysed(
        self, article: Article, analysis, actor: str, index: bool = True, revise: bool = True,
    ) -> tuple[int, list[SentenceRow], int | None] | None:
        """Store a parsed article (and index it, unless the caller batches that).

        Returns its id, its passages and the id of the story it revised (`revise`: the
        same URL, or the same title and outlet with the text mostly unchanged), or None
        for a duplicate. Without `revise` (archive import) an article whose URL is
        already stored is a duplicate too.
        """
        async with self._write_lock:
            if await self.store.find_duplicate(analysis.text_hash, "" if revise else article.url) is not None:
                return None
            earlier = await self._earlier_version(article) if revise else None
            replaced: dict[str, int] = {}
            if earlier is not None:
                replaced = vocabulary_of([r.text for r in await self.store.sentences_of(earlier)])
            article_id, sentence_ids = await self.store.insert_article(
                article, analysis.text_hash, analysis.sentences, analysis.statements,
                analysis.actions, analysis.vocabulary, actor, replaces=earlier, replaced_vocabulary=replaced,
            )
            rows = [
                SentenceRow(sid, article_id, s.position, s.paragraph, s.start, s.end, s.text, s.heading)
                for s, sid in zip(analysis.sentences, sentence_ids)
            ]
            if index:
                try:
                    await self._index(() if earlier is None else (earlier,), rows)
                except Exception:
                    # Keep store and index in step: an article nobody can find is not added.
                    await self.store.delete_article(article_id, analysis.vocabulary, actor="rollback")
                    raise
                if earlier is not None:
                    self.replica.applied_here(article_id, "remove")
                self.replica.applied_here(article_id, "add")
        return article_id, rows, earlier

    async def index_rows(self, rows: Sequence[SentenceRow]) -> None:
        """Add stored passages to the search index in one commit."""
        if rows:
            await self._index((), rows)

    async def remove_article(self, article_id: int, actor: str) -> tuple[ArticleRef, int]:
        """Remove an article from the store and from every answer."""
        async with self._write_lock:
            refs = await self.article_refs([article_id])
            if article_id not in refs:
                raise NotFound(f"There is no article #{article_id}; `sources` lists them.")
            rows = await self.store.sentences_of(article_id)
            await self.store.delete_article(article_id, vocabulary_of([r.text for r in rows]), actor)
            await asyncio.to_thread(self.index.replace_articles, [article_id], ())
            self.replica.applied_here(article_id, "remove")
        return refs[article_id], len(rows)

    async def reindex(self, actor: str) -> tuple[int, int]:
        """Recompute statements and actions with spaCy and rebuild the search index."""
        async with self._write_lock:
            nlp = await asyncio.to_thread(nlp_mod.load_pipeline)
            ids = await self.store.article_ids()
            for article_id in ids:
                text = await self.store.article_text(article_id)
                statements, actions = await asyncio.to_thread(derive_from_text, nlp, text)
                await self.store.replace_derived(article_id, statements, actions)
            rows = await self.store.all_sentences()
            await asyncio.to_thread(self.index.clear)
            await self._index((), rows)
            await self.store.audit(actor, "reindex", None, f"{len(ids)} articles")
        return len(ids), len(rows)

    async def _index(self, remove, rows: Sequence[SentenceRow]) -> None:
        """Index passages with their articles' title, author and outlet terms, in a thread."""
        wanted = {r.article_id for r in rows}
        # A rebuild names every article: read them all rather than bind one variable each.
        # A catch-up chunk (REINDEX_CHUNK articles) reads only its own.
        refs = await self.article_refs(None if len(wanted) > REINDEX_CHUNK else wanted)
        await asyncio.to_thread(self._index_rows, remove, rows, refs)

    def _index_rows(self, remove, rows: Sequence[SentenceRow], refs: dict[int, ArticleRef]) -> None:
        # Analysing a whole corpus takes seconds: it runs in the worker thread with the commit.
        self.index.replace_articles(remove, _indexable(rows, refs))

    # -- reads -----------------------------------------------------------------
    async def search(self, query: str, limit: int | None = None) -> SearchAnswer:
        """Top passages for `query` (words, "phrases", -exclusions, filters), with sources."""
        return await search_passages(self, query, limit or self.settings.search_max_results)

    async def hits_for(self, scored: Sequence[tuple[int, float]], terms: set[str],
                       rows: dict[int, SentenceRow] | None = None) -> list[Hit]:
        """Turn (passage id, score) pairs into quoted hits, dropping vanished ones.

        `rows`, when the caller has already read the passages, saves reading them again.
        """
        if rows is None:
            rows = await self.store.sentences_by_id([sid for sid, _ in scored])
        refs = await self.article_refs(r.article_id for r in rows.values())
        return [
            Hit(sid, rows[sid].text, refs[rows[sid].article_id], rows[sid].position, score,
                highlight_spans(rows[sid].text, terms))
            for sid, score in scored
            if sid in rows and rows[sid].article_id in refs
        ]

    async def suggest(self, query: str, limit: int = 3) -> list[str]:
        """Indexed words closest to the query words that found nothing (never the words themselves)."""
        out: list[str] = []
        for close in (await closest_words(self, query, limit)).values():
            out.extend(m for m in close if m not in out)
        return out[:limit]

    async def sources(self) -> SourcesAnswer:
        """Every stored article with its passage count."""
        rows = await self.store.articles()
        return SourcesAnswer(
            command="sources",
            sources=tuple(SourceRow(_ref(r), r["sentence_count"], r["added_at"], r["version"]) for r in rows.values()),
        )

    async def context(self, passage_id: int, window: int | None = None) -> ContextAnswer:
        """A passage with its neighbours in the article."""
        window = self.settings.search_context_window if window is None else window
        rows = await self.store.sentence_window(passage_id, window)
        if not rows:
            raise NotFound(f"There is no passage #{passage_id}.")
        ref = (await self.article_refs([rows[0].article_id]))[rows[0].article_id]
        version = (await self.store.articles([ref.id]))[ref.id]["version"]
        return ContextAnswer(
            command="context", passage_id=passage_id, article=ref, version=version,
            passages=tuple(Hit(r.id, r.text, ref, r.position) for r in rows),
        )

    async def who(self, query: str) -> WhoAnswer:
        """Who did the action in `query`, with the sentences that show it."""
        from coveragebot.index.who.agents import who_did

        return await who_did(self, query, self.settings.search_max_results)

    async def quotes(self, argument: str, limit: int | None = None) -> QuotesAnswer:
        """Statements by a person (`Petro`, `Bessent about cocaine`), with sources: every
        one, or the first `limit` (newest, or best on the topic) and how many there are."""
        from coveragebot.index.quotes.statements import find_statements

        return await find_statements(self, argument, limit)

    async def verify(self, words: str, person: str = ""):
        """Whether `words` were printed in the coverage (as `person`'s, when given): a VerifyAnswer."""
        from coveragebot.index.verify.check import verify

        return await verify(self, words, person)

    async def people(self, kind: str = "", limit: int | None = None) -> PeopleAnswer:
        """Who is quoted, how often, in how many articles (of one kind of source, if given):
        everyone, or the `limit` most quoted of each section and how many there are."""
        from coveragebot.index.quotes.statements import people

        return await people(self, kind, limit)

    async def article_refs(self, ids) -> dict[int, ArticleRef]:
        return {i: _ref(r) for i, r in (await self.store.articles(ids)).items()}


def highlight_spans(text: str, terms: set[str]) -> tuple[tuple[int, int], ...]:
    """Character spans of the words in `text` whose index term is among `terms`."""
    if not terms:
        return ()
    return tuple(
        (match.start(), match.end())
        for match in _WORD_SPAN.finditer(text)
        if not terms.isdisjoint(_word_terms(match.group(0)))
    )


@functools.lru_cache(maxsize=65536)
def _word_terms(word: str) -> frozenset[str]:
    # News text repeats its words: analysing each distinct word once keeps
    # highlighting 50 passages well under a millisecond.
    return frozenset(analyze(word))


def _indexable(rows: Sequence[SentenceRow], refs: dict[int, ArticleRef]) -> list[IndexedSentence]:
    # Section headings stay in the store for context but are not searchable.
    meta = {a: analyze(f"{r.title} {r.author} {r.outlet}") for a, r in refs.items()}
    return [IndexedSentence(r.id, r.article_id, analyze(r.text), meta.get(r.article_id, ()))
            for r in rows if not r.heading]


def _ref(row) -> ArticleRef:
    return ArticleRef(row["id"], row["key"], row["title"], row["outlet"], row["author"],
                      row["url"], row["published"])


def _source_suffix(ref: ArticleRef) -> str:
    parts = [p for p in (ref.outlet or ref.author, ref.published) if p]
    return f" ({', '.join(parts)})" if parts else ""


def _fresh_index(path: Path) -> SentenceIndex:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
    return SentenceIndex(path)
