"""A dump file and its bookkeeping: batches read as a stream, lines already stored, totals."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from coveragebot.index.analysis import Analysis, analyze_article, analyze_articles, text_hash
from coveragebot.index.ingest.articles import Article, ArticleError, articles_from_json

Progress = Callable[["ImportSummary"], Awaitable[None] | None]
# A batch's article analysed: its line number, the article, its analysis (None when it
# failed) and, for a failure, one line saying why.
Parsed = tuple[int, Article, "Analysis | None", str]


FAILURES_KEPT = 10


@dataclass
class ImportSummary:
    """Running totals of one import."""

    lines: int = 0
    added: int = 0
    skipped: int = 0
    failed: int = 0
    words: int = 0
    seconds: float = 0.0
    # Why the first lines failed, one line each (the rest are counted only).
    failures: list[str] = field(default_factory=list)

    def fail(self, why: str) -> None:
        self.failed += 1
        if len(self.failures) < FAILURES_KEPT:
            self.failures.append(why[:300])

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        return (f"{self.lines:,} lines: {self.added:,} added, {self.skipped:,} already indexed, "
                f"{self.failed:,} failed; {self.words:,} words in {self.seconds:.1f} s "
                f"({self.words_per_second:,.0f} words/s)")

    def to_json(self) -> dict:
        return {"lines": self.lines, "added": self.added, "skipped": self.skipped, "failed": self.failed,
                "words": self.words, "seconds": round(self.seconds, 2),
                "words_per_second": round(self.words_per_second, 1), "failures": self.failures}


def dump_name(path: Path) -> str:
    """The name a dump's jobs are filed under: the file name, the same on every machine."""
    return path.name


def read_batches(path: Path, size: int) -> Iterator[tuple[int, list[str]]]:
    """(number of the first line, lines) holding `size` non-blank lines, read as a stream.

    A blank line inside a batch stays in it, so each line's number is the first's plus
    its place (failures name the right line); a batch never starts with one.
    """
    batch: list[str] = []
    first, filled = 1, 0
    with path.open(encoding="utf-8", errors="replace") as dump:
        for number, line in enumerate(dump, start=1):
            if not line.strip():
                if batch:
                    batch.append("")
                continue
            if not batch:
                first = number
            batch.append(line)
            filled += 1
            if filled >= size:
                yield first, batch
                batch, filled = [], 0
    while batch and not batch[-1]:
        batch.pop()
    if batch:
        yield first, batch


def article_lines(lines: list[str]) -> int:
    """How many of a batch's lines are not blank (the lines an import reports)."""
    return sum(1 for line in lines if line.strip())


def article_of_line(line: str, dump: str, number: int) -> Article:
    """One dump line as an Article; its key is its `id`, else dump:line."""
    [article] = articles_from_json(line, f"{dump} line {number}", f"{Path(dump).stem}-{number}")
    return article


async def unseen(store, dump: str, first: int, lines: list[str], summary: ImportSummary) -> list[tuple[int, Article]]:
    """The batch's articles not yet stored (by normalised-text hash); counts the rest."""
    parsed: list[tuple[int, Article, str]] = []
    for offset, line in enumerate(lines):
        number = first + offset
        if not line.strip():
            continue
        try:
            article = article_of_line(line, dump, number)
        except ArticleError as exc:
            summary.fail(str(exc))
            continue
        parsed.append((number, article, text_hash(article.text)))
    hashes = sorted({h for _, _, h in parsed})
    marks = ",".join("?" * len(hashes))
    stored = {r[0] for r in await store.rows(
        f"SELECT text_hash FROM articles WHERE workspace = ? AND text_hash IN ({marks})",
        [store.workspace, *hashes])} if hashes else set()
    fresh, seen = [], set(stored)
    for number, article, digest in parsed:
        if digest in seen:
            summary.skipped += 1
        else:
            seen.add(digest)
            fresh.append((number, article))
    return fresh


def analyse_lines(nlp, numbered: list[tuple[int, Article]]) -> list[Parsed]:
    """Analyse a batch's articles as one parse stream; a failure is a message, not an exception."""
    try:
        analyses = analyze_articles(nlp, [article for _, article in numbered])
    except Exception:  # one article broke the batch's parse: one by one, to name it
        pass
    else:
        return [(number, article, analysis, "") for (number, article), analysis in zip(numbered, analyses)]
    out: list[Parsed] = []
    for number, article in numbered:
        try:
            out.append((number, article, analyze_article(nlp, article), ""))
        except ArticleError as exc:
            out.append((number, article, None, f"line {number}: {exc}"[:300]))
        except Exception as exc:  # one bad article must not stop the batch
            out.append((number, article, None, f"line {number}: {type(exc).__name__}: {exc}"[:300]))
    return out
