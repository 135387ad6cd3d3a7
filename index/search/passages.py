"""`!search` at query time: the parsed query run against the index and the store,
exact phrases checked on the printed words, proximity, one result per repeated text,
and for an empty answer the nearest search that finds something.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Sequence
from dataclasses import replace

from coveragebot.index.answers import Hit, NamedArticles, SearchAnswer
from coveragebot.index.search.proximity import rerank
from coveragebot.index.search.query import SearchQuery, date_in_range, name_matches, parse_query
from coveragebot.index.storage.store import SentenceRow
from coveragebot.index.text.analyzer import STOPWORDS, analyze, fold, stem, words

# Title, author and outlet words count for this fraction of a word in the passage itself.
META_WEIGHT = 0.3
# Candidates fetched beyond the results shown: room for proximity to lift a passage,
# for exact-phrase checks and for repeated texts to drop out.
EXTRA_CANDIDATES = 25
SCAN_PAGE = 1000
RERANK_DEPTH = 30
# A passage cut off with an ellipsis after at least this many words, which begins
# another passage of its article, is a teaser of that passage.
TEASER_MIN_WORDS = 6
_FILTER_FIELDS = {"outlet": "outlet", "author": "author", "since": "since", "until": "until", "in": "within"}


async def search_passages(service, query: str, limit: int) -> SearchAnswer:
    """Top passages for `query`, the articles its words name, or what to try instead."""
    parsed = parse_query(query)
    terms = analyze(parsed.positive_text)
    hits, more = ([], False) if parsed.problems else await _find(service, parsed, limit)
    named = () if parsed.problems else await named_articles(service, parsed, bool(hits))
    suggestions: tuple[str, ...] = ()
    next_step = ""
    if not hits and not named:
        closest = await closest_words(service, parsed.positive_text)
        suggestions = tuple(dict.fromkeys(w for close in closest.values() for w in close))[:3]
        next_step = await _next_step(service, parsed, closest)
    return SearchAnswer(command="search", query=query, terms=tuple(dict.fromkeys(terms)),
                        hits=tuple(hits), suggestions=suggestions, next_step=next_step,
                        named=named, more=more, prefix=service.settings.bot_prefix)


async def _find(service, parsed: SearchQuery, limit: int) -> tuple[list[Hit], bool]:
    """Passages for a parsed query (index candidates, exact checks, proximity, one per text),
    and whether more matched than `limit`."""
    articles = await _articles_matching(service, parsed)
    if articles is not None and not articles:
        return [], False
    terms = analyze(parsed.positive_text)
    phrase_terms = [analyze(p) for p in parsed.phrases]
    # A phrase of common words only ("to be or not to be") has no index terms: scan the text.
    literal = [p for p, t in zip(parsed.phrases, phrase_terms) if not t]
    excluded_terms = [analyze(e) for e in parsed.excluded]
    single_excluded = [t[0] for t in excluded_terms if len(t) == 1]
    if terms or single_excluded:
        scored = service.index.search(
            terms, limit + EXTRA_CANDIDATES,
            phrases=[t for t in phrase_terms if t], excluded=single_excluded,
            articles=articles, meta_weight=META_WEIGHT)
    elif articles is not None and not literal:
        # Filters alone (`!search author:Jensen`): the articles' passages in order.
        scored = service.index.search([], limit + EXTRA_CANDIDATES, articles=articles)
    elif literal:
        scored = await _scan_phrase(service, literal[0], articles, limit + EXTRA_CANDIDATES)
    else:
        return [], False
    rows = await service.store.sentences_by_id([sid for sid, _ in scored])
    kept = [(sid, score) for sid, score in scored if sid in rows]
    # Tantivy matched phrases on analysed terms, with common words gone; the
    # reader asked for the words as printed.
    wanted = [words(p) for p in parsed.phrases]
    unwanted = [u for e, t in zip(parsed.excluded, excluded_terms) if len(t) != 1 and (u := words(e))]
    if wanted or unwanted:
        kept = [
            (sid, score) for sid, score in kept
            if all(_holds(passage_words(rows[sid].text), w) for w in wanted)
            and not any(_holds(passage_words(rows[sid].text), u) for u in unwanted)
        ]
    # Proximity reorders the head of the list, where a reader looks; the rest keep BM25's order.
    head = {sid: passage_words(rows[sid].text) for sid, _ in kept[:RERANK_DEPTH]}
    kept = _one_per_text(rerank(kept[:RERANK_DEPTH], head, parsed.positive_text) + kept[RERANK_DEPTH:], rows)
    return await service.hits_for(kept[:limit], set(terms), rows), len(kept) > limit


async def named_articles(service, parsed: SearchQuery, found_passages: bool = False) -> tuple[NamedArticles, ...]:
    """The articles whose author, outlet or title holds every searched word.

    Passages are results only for their own text; a name that is only in a byline
    (`!search Fergus Jensen`) is answered here instead, with the filter that lists
    those articles' passages. Title matches are named only when no passage was found:
    beside passages they already rank them. A search that filters by article names none.
    """
    terms = analyze(parsed.positive_text)
    if not terms or parsed.filters:
        return ()
    ids = service.index.articles_named(terms)
    if not ids:
        return ()
    wanted = set(terms)
    groups: dict[tuple[str, str], list] = {}
    for ref in (await service.article_refs(ids)).values():
        field = next((f for f in ("author", "outlet", "title") if wanted <= set(analyze(getattr(ref, f)))), "byline")
        if field in ("title", "byline") and found_passages:
            continue
        name = getattr(ref, field) if field in ("author", "outlet") else parsed.positive_text
        groups.setdefault((field, name), []).append(ref)
    out = []
    for (field, name), refs in sorted(groups.items(), key=lambda g: (_FIELD_ORDER.index(g[0][0]), -len(g[1]))):
        # The words as searched make the filter when they match as a filter would (`author:Jensen`).
        value = parsed.positive_text if name_matches(parsed.positive_text, name) else name
        filter_ = f'{field}:"{value}"' if " " in value else f"{field}:{value}"
        out.append(NamedArticles(field, name, tuple(sorted(refs, key=lambda r: r.id)),
                                 filter_ if field in ("author", "outlet") else ""))
    return tuple(out)


_FIELD_ORDER = ("author", "outlet", "title", "byline")


@functools.lru_cache(maxsize=8192)
def passage_words(text: str) -> tuple[str, ...]:
    """A passage's folded words, cached: the same passages come back query after query."""
    return tuple(words(text))


async def _articles_matching(service, parsed: SearchQuery) -> set[int] | None:
    """Ids of the articles the filters allow; None when there are no filters."""
    if not parsed.filters:
        return None
    within = parsed.within.lstrip("#")
    out = set()
    for article_id, row in (await service.store.articles()).items():
        if within and not (str(article_id) == within or fold(row["key"]) == fold(within)):
            continue
        if parsed.outlet and not name_matches(parsed.outlet, row["outlet"]):
            continue
        if parsed.author and not name_matches(parsed.author, row["author"]):
            continue
        if (parsed.since or parsed.until) and not date_in_range(row["published"], parsed.since, parsed.until):
            continue
        out.add(article_id)
    return out


async def _scan_phrase(service, phrase: str, articles: set[int] | None, limit: int) -> list[tuple[int, float]]:
    """Passages whose words hold the phrase (for phrases of common words only), newest articles first."""
    pattern = "%" + re.sub(r"([\\%_])", r"\\\1", phrase.strip()) + "%"
    sql = (f"SELECT id, text FROM sentences WHERE workspace = ? AND heading = 0"
           f" AND text {service.store.LIKE_ANY_CASE} ? ESCAPE '\\'")
    params: list = [service.store.workspace, pattern]
    if articles is not None:
        sql += f" AND article_id IN ({','.join('?' * len(articles))})"
        params += sorted(articles)
    wanted, found, offset = words(phrase), [], 0
    # LIKE also matches inside words ("that the" for "at the"): read on until enough hold the words.
    while len(found) < limit:
        rows = await service.store.rows(sql + " ORDER BY article_id DESC, position LIMIT ? OFFSET ?",
                                        [*params, SCAN_PAGE, offset])
        found += [(r[0], 1.0) for r in rows if _holds(words(r[1]), wanted)]
        if len(rows) < SCAN_PAGE:
            break
        offset += SCAN_PAGE
    return found[:limit]


async def _next_step(service, parsed: SearchQuery, closest: dict[str, list[str]]) -> str:
    """The nearest search that finds something, or what to change, for an empty answer."""
    prefix = service.settings.bot_prefix
    if parsed.problems:
        return " ".join(parsed.problems)
    shown = parsed.positive_text
    if shown and not analyze(shown) and not parsed.phrases:
        return (f"“{shown}” holds only common words, which search skips. Add a name or a topic, "
                f"or quote the words to find them as printed: `{prefix}search \"{shown}\"`.")
    for label, relaxed in _relaxations(parsed, closest):
        if (relaxed.positive_text or relaxed.excluded) and (await _find(service, relaxed, 1))[0]:
            return f"Try `{prefix}search {relaxed.render()}` ({label})."
    if parsed.filters and not await _articles_matching(service, parsed):
        given = " ".join(f"{n}:{v}" for n, v in parsed.filters)
        return f"No article matches {given}; `{prefix}sources` lists outlets, authors and dates."
    return f"Try other words; `{prefix}sources` lists the articles searched."


async def closest_words(service, query: str, limit: int = 3) -> dict[str, list[str]]:
    """Each query word the index lacks -> the indexed words closest to it."""
    out: dict[str, list[str]] = {}
    for word in fold(query).split():
        word = re.sub(r"[^\w'-]", "", word)
        # A common word is never indexed, so it has no "closest" word worth offering.
        if len(word) < 3 or word in STOPWORDS or service.index.doc_freq(stem(word)):
            continue
        near = [w for w in await service.store.words_near(word) if stem(w) != stem(word)]
        close = difflib.get_close_matches(word, near, n=limit, cutoff=0.7)
        if close:
            out[word] = close
    return out


def _relaxations(parsed: SearchQuery, closest: dict[str, list[str]]):
    """Nearby queries, nearest first: each swaps or drops one part of `parsed`."""
    for word in parsed.words:
        close = closest.get(re.sub(r"[^\w'-]", "", fold(word)))
        if close:
            swapped = tuple(close[0] if w == word else w for w in parsed.words)
            yield f"“{close[0]}” for “{word}”", replace(parsed, words=swapped)
    if parsed.excluded:
        yield "without " + ", ".join(f"-{e}" for e in parsed.excluded), replace(parsed, excluded=())
    if parsed.phrases:
        yield "the words without quotes", replace(parsed, words=parsed.words + parsed.phrases, phrases=())
    for name, value in parsed.filters:
        yield f"without {name}:{value}", replace(parsed, **{_FILTER_FIELDS[name]: ""})
    if len(parsed.filters) > 1:
        yield "without filters", replace(parsed, **{_FILTER_FIELDS[n]: "" for n, _ in parsed.filters})


def _holds(said: Sequence[str], phrase: Sequence[str]) -> bool:
    """`phrase` occurs in `said` as consecutive words."""
    said, phrase = tuple(said), tuple(phrase)
    n = len(phrase)
    return any(said[i:i + n] == phrase for i in range(len(said) - n + 1))


def _one_per_text(scored: Sequence[tuple[int, float]], rows: dict[int, SentenceRow]) -> list[tuple[int, float]]:
    """One result per text an article repeats, at the best rank any copy reached.

    A story that repeats a paragraph would fill the page with one sentence; a teaser
    cut short ("… their peak employment during...") repeats the sentence it begins,
    and the whole sentence is the one to show.
    """
    out: list[tuple[int, float]] = []
    shown: list[tuple[int, str]] = []  # (article id, flattened text) of each entry in `out`
    for sid, score in scored:
        text, article_id = _flat(rows[sid].text), rows[sid].article_id
        same = next((n for n, (a, t) in enumerate(shown) if a == article_id and _same_text(text, t)), None)
        if same is None:
            shown.append((article_id, text))
            out.append((sid, score))
        elif len(text) > len(shown[same][1]):
            shown[same] = (article_id, text)
            out[same] = (sid, out[same][1])
    return out


def _flat(text: str) -> str:
    return " ".join(text.split())


def _same_text(a: str, b: str) -> bool:
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    cut = shorter.rstrip(".… ")
    # Only a passage that ends in an ellipsis is a teaser of a longer one.
    return cut != shorter and len(cut.split()) >= TEASER_MIN_WORDS and longer.startswith(cut)
