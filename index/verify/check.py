"""`!verify` at query time: candidates from the sentence index, the words aligned with each,
the best one's statement and speaker from the store, every article that printed it."""

from __future__ import annotations

import math
from dataclasses import dataclass

from coveragebot.index.answers import Hit
from coveragebot.index.quotes.statements import identities_named
from coveragebot.index.search.passages import passage_words
from coveragebot.index.text.analyzer import analyze
from coveragebot.index.verify.align import Alignment, Difference, Token, align, tokens
from coveragebot.index.verify.answer import CLOSE, NOT_FOUND, VERBATIM, VerifyAnswer

# Passages the index proposes, and how many distinct texts among them are compared word by word.
CANDIDATES = 30
COMPARED = 8
# Sentences each side of a candidate that the words may run into (a quote spanning sentences).
SPREAD = 2
# Below this share of shared words (Dice over the aligned span), the words were not printed.
CLOSE_SIMILARITY = 0.6
# Articles listed as printing the words, and copies searched for them.
MOST_ARTICLES = 25
NEAREST = 3


@dataclass(frozen=True)
class _Candidate:
    sentence_id: int
    article_id: int
    alignment: Alignment
    printed: tuple[str, ...]  # the aligned printed words' keys: copies print the same


async def verify(service, words: str, person: str = "") -> VerifyAnswer:
    """The verdict on `words` (and, when `person` is given, whether they are that person's)."""
    given = tokens(words)
    terms = analyze(words)
    scored = service.index.search(terms, CANDIDATES) if terms else []
    candidates = await _aligned(service, given, [sid for sid, _ in scored])
    best = max(candidates, key=lambda c: (c.alignment.exact, c.alignment.similarity, c.alignment.matched),
               default=None)
    if best is None or not (best.alignment.exact or _close(best.alignment)):
        return VerifyAnswer("verify", words=words, person=person, verdict=NOT_FOUND,
                            nearest=tuple(await _nearest(service, terms)))
    copies = [c for c in candidates if c.printed == best.printed]
    copies += await _more_copies(service, best, {c.sentence_id for c in copies})
    statements = await _statements(service.store, copies)
    asked = {i.id for i in await identities_named(service.store, person)} if person else set()
    # The same words in several articles: the asked person's statement first, then any statement.
    primary = min(copies, key=lambda c: (
        not (asked and statements.get(c.sentence_id, {}).get("person_id") in asked),
        c.sentence_id not in statements, c is not best))
    return await _answer(service, words, person, primary, copies, statements.get(primary.sentence_id), asked)


def _close(alignment: Alignment) -> bool:
    return alignment.similarity >= CLOSE_SIMILARITY and alignment.matched >= 2


async def _aligned(service, given: list[Token], ids: list[int]) -> list[_Candidate]:
    """Each distinct candidate text, with its neighbours, aligned with the given words."""
    rows = await service.store.sentences_by_id(ids)
    seen, chosen = set(), []
    for sid in ids:
        row = rows.get(sid)
        if row is None or passage_words(row.text) in seen:
            continue
        seen.add(passage_words(row.text))
        chosen.append(row)
    chosen = chosen[:COMPARED]
    if not chosen:
        return []
    marks = ",".join("?" * len(chosen))
    around = await service.store.rows(
        "SELECT c.id AS centre, s.start, s.text, s.heading FROM sentences s JOIN sentences c"
        " ON c.article_id = s.article_id AND s.position BETWEEN c.position - ? AND c.position + ?"
        f" WHERE c.workspace = ? AND c.id IN ({marks}) ORDER BY c.id, s.position",
        [SPREAD, SPREAD, service.store.workspace, *(r.id for r in chosen)])
    printed: dict[int, list[Token]] = {}
    for r in around:
        if not r["heading"]:
            printed.setdefault(r["centre"], []).extend(tokens(r["text"], r["start"]))
    out = []
    for row in chosen:
        found = align(given, printed.get(row.id, tokens(row.text, row.start)))
        if found is not None:
            keys = tuple(t.key for t in printed.get(row.id, ()) if found.start <= t.start < found.end)
            out.append(_Candidate(row.id, row.article_id, found, keys))
    return out


async def _more_copies(service, best: _Candidate, known: set[int]) -> list[_Candidate]:
    """Other passages printing exactly the best one's words (a wire story in several outlets)."""
    terms = analyze(" ".join(best.printed))
    if not terms:
        return []
    scored = service.index.search(terms, MOST_ARTICLES * 4, phrases=[terms])
    ids = [sid for sid, _ in scored if sid not in known]
    rows = await service.store.sentences_by_id(ids)
    out = []
    for sid in ids:
        row = rows.get(sid)
        if row is None:
            continue
        printed = tokens(row.text, row.start)
        keys = [t.key for t in printed]
        at = _find_run(keys, list(best.printed))
        if at is None:
            continue
        span = printed[at:at + len(best.printed)]
        moved = best.alignment.start - span[0].start
        alignment = Alignment(span[0].start, span[-1].end, best.alignment.matched, best.alignment.given,
                              best.alignment.printed, tuple(_shifted(d, -moved) for d in best.alignment.differences))
        out.append(_Candidate(sid, row.article_id, alignment, best.printed))
    return out


def _find_run(keys: list[str], run: list[str]) -> int | None:
    for at in range(len(keys) - len(run) + 1):
        if keys[at:at + len(run)] == run:
            return at
    return None


def _shifted(difference: Difference, by: int) -> Difference:
    return Difference(difference.printed, difference.given, difference.what,
                      difference.start + by, difference.end + by)


async def _statements(store, copies: list[_Candidate]) -> dict[int, dict]:
    """The stored statement holding each copy's words (most overlap), with its speaker."""
    articles = sorted({c.article_id for c in copies})[:MOST_ARTICLES * 2]
    if not articles:
        return {}
    marks = ",".join("?" * len(articles))
    rows = await store.rows(
        "SELECT st.id, st.article_id, st.text, st.kind, st.cue, st.start, st.\"end\" AS stop, st.speaker,"
        " p.id AS person_id, p.name AS person, p.kind AS person_kind"
        " FROM statements st LEFT JOIN name_forms f ON f.id = st.form_id LEFT JOIN people p ON p.id = f.person_id"
        f" WHERE st.workspace = ? AND st.article_id IN ({marks})", [store.workspace, *articles])
    by_article: dict[int, list] = {}
    for r in rows:
        by_article.setdefault(r["article_id"], []).append(r)
    out = {}
    for copy in copies:
        span = copy.alignment
        best, overlap = None, 0
        for r in by_article.get(copy.article_id, ()):
            shared = min(r["stop"], span.end) - max(r["start"], span.start)
            if shared > overlap:
                best, overlap = r, shared
        if best is not None:
            out[copy.sentence_id] = dict(best)
    return out


async def _answer(service, words: str, person: str, primary: _Candidate, copies: list[_Candidate],
                  statement: dict | None, asked: set[int]) -> VerifyAnswer:
    alignment = primary.alignment
    text = (await service.store.article_text(primary.article_id) or "")[alignment.start:alignment.end]
    differences = tuple(_shifted(d, -alignment.start) for d in alignment.differences)
    refs = await service.article_refs({c.article_id for c in copies})
    rows = await service.store.sentences_by_id(list({c.sentence_id for c in copies}))
    one_each: dict[int, Hit] = {}
    for copy in sorted(copies, key=lambda c: c is not primary):
        row, ref = rows.get(copy.sentence_id), refs.get(copy.article_id)
        if row is not None and ref is not None and copy.article_id not in one_each:
            one_each[copy.article_id] = _marked(row, ref, copy.alignment)
    articles = sorted(one_each.values(), key=lambda h: (h.article.published == "", h.article.published,
                                                        h.article.id))[:MOST_ARTICLES]
    passage = one_each.get(primary.article_id)
    window = await service.store.sentence_window(primary.sentence_id, 1)
    ref = refs.get(primary.article_id)
    context = tuple(Hit(r.id, r.text, ref, r.position) for r in window) if ref else ()
    found = dict(words=words, person=person, verdict=VERBATIM if alignment.exact else CLOSE, text=text,
                 differences=differences, passage=passage, articles=tuple(articles), context=context)
    if statement is None:
        return VerifyAnswer("verify", **found)
    whole = tokens(statement["text"], statement["start"])
    partial = any(t.end <= alignment.start or t.start >= alignment.end for t in whole)
    return VerifyAnswer(
        "verify", **found, speaker=statement["person"] or statement["speaker"],
        speaker_kind=statement["person_kind"] or "", statement_id=statement["id"], statement=statement["text"],
        kind=statement["kind"], cue=statement["cue"], partial=partial,
        someone_else=bool(person) and statement["person_id"] not in asked)


def _marked(row, ref, alignment: Alignment) -> Hit:
    """The passage with the printed words (or, for close words, the differing ones) highlighted."""
    spans = [(d.start, d.end) for d in alignment.differences if d.end > d.start] if alignment.differences \
        else [(alignment.start, alignment.end)]
    local = tuple((max(a, row.start) - row.start, min(b, row.end) - row.start) for a, b in spans
                  if a < row.end and b > row.start)
    return Hit(row.id, row.text, ref, row.position, round(alignment.similarity, 4), local)


async def _nearest(service, terms: list[str]) -> list[Hit]:
    """Passages sharing the rarest of the words: shown as nearest, never as a match."""
    unique = [t for t in dict.fromkeys(terms) if service.index.doc_freq(t)]
    if not unique:
        return []
    rare = sorted(unique, key=service.index.doc_freq)[:max(2, math.ceil(len(unique) / 2))]
    scored = service.index.search(rare, NEAREST)
    return await service.hits_for(scored, set(rare))
