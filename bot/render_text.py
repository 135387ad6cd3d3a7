"""Answers as terminal text (the Discord renderer lives in render_discord.py)."""

from __future__ import annotations

import textwrap
from functools import singledispatch

from index.answers import (
    AddAnswer,
    Answer,
    ArticleRef,
    ContextAnswer,
    HelpAnswer,
    Hit,
    Notice,
    PeopleAnswer,
    QuotesAnswer,
    RemoveAnswer,
    SearchAnswer,
    SourcesAnswer,
    StatsAnswer,
    WhoAnswer,
)

BOLD, RESET = "\033[1m", "\033[0m"


def source_line(article: ArticleRef) -> str:
    """title — outlet/author, date, link (or the article id when there is no URL)."""
    who = " / ".join(p for p in (article.outlet, article.author) if p)
    parts = [article.title + (f" — {who}" if who else "")]
    if article.published:
        parts.append(article.published)
    parts.append(article.url or f"article #{article.id} ({article.key})")
    return ", ".join(parts)


def emphasize(hit: Hit, color: bool) -> str:
    """The passage with matched query words in bold (ANSI on a terminal)."""
    if not color or not hit.highlights:
        return hit.text
    out, last = [], 0
    for start, end in hit.highlights:
        out.append(hit.text[last:start] + BOLD + hit.text[start:end] + RESET)
        last = end
    return "".join(out) + hit.text[last:]


def _quote(text: str, indent: str = "    ") -> str:
    # A bar, not added quotation marks: the passage's own marks stay unambiguous.
    return textwrap.fill(text, width=88, initial_indent=indent + "│ ", subsequent_indent=indent + "│ ")


@singledispatch
def render(answer: Answer, color: bool = False) -> str:
    return str(answer)


@render.register
def _(answer: Notice, color: bool = False) -> str:
    return answer.text


@render.register
def _(answer: SearchAnswer, color: bool = False) -> str:
    if not answer.hits:
        line = f"No passages match “{answer.query}”."
        if answer.suggestions:
            line += " Closest indexed words: " + ", ".join(answer.suggestions) + "."
        return line
    lines = [f"{len(answer.hits)} passages for “{answer.query}”:"]
    for number, hit in enumerate(answer.hits, start=1):
        lines.append(f"[{number}] passage #{hit.passage_id} (sentence {hit.position + 1} of article #{hit.article.id})")
        lines.append(_quote(emphasize(hit, color)))
        lines.append("    — " + source_line(hit.article))
    return "\n".join(lines)


@render.register
def _(answer: SourcesAnswer, color: bool = False) -> str:
    if not answer.sources:
        return "No articles yet. Add some with `coveragebot add FILE…`."
    lines = [f"{len(answer.sources)} articles:"]
    for row in answer.sources:
        a = row.article
        meta = ", ".join(p for p in (a.outlet, a.author, a.published) if p) or "source unknown"
        lines.append(f"#{a.id} [{a.key}] {a.title} — {meta} — {row.sentences} sentences")
    return "\n".join(lines)


@render.register
def _(answer: ContextAnswer, color: bool = False) -> str:
    lines = [f"Context of passage #{answer.passage_id}:"]
    for hit in answer.passages:
        marker = ">>" if hit.passage_id == answer.passage_id else "  "
        lines.append(f"{marker} #{hit.passage_id} {hit.text}")
    if answer.article:
        lines.append("    — " + source_line(answer.article))
    return "\n".join(lines)


@render.register
def _(answer: HelpAnswer, color: bool = False) -> str:
    lines = ["Commands:"]
    for c in answer.commands:
        aliases = f" (alias {', '.join(answer.prefix + a for a in c.aliases)})" if c.aliases else ""
        admin = " [moderators]" if c.admin else ""
        lines.append(f"  {c.usage}{aliases}{admin}\n      {c.summary} e.g. {c.example}")
    return "\n".join(lines)


@render.register
def _(answer: AddAnswer, color: bool = False) -> str:
    return "\n".join(
        ("✓ " if o.status == "added" else "= " if o.status == "duplicate" else "✗ ") + o.message
        for o in answer.outcomes
    )


@render.register
def _(answer: RemoveAnswer, color: bool = False) -> str:
    a = answer.article
    return f"Removed #{a.id} ‘{a.title}’ ({answer.sentences} sentences)." if a else "Nothing removed."


@render.register
def _(answer: QuotesAnswer, color: bool = False) -> str:
    if answer.candidates and not answer.statements:
        return f"“{answer.person}” could be: " + "; ".join(answer.candidates) + ". Be more specific."
    if not answer.statements:
        topic = f" about “{answer.topic}”" if answer.topic else ""
        return f"No statements by “{answer.person}”{topic} in the coverage."
    lines = [f"{len(answer.statements)} statements by {answer.speaker or answer.person}:"]
    current = None
    for s in answer.statements:
        if s.passage.article.id != current:
            current = s.passage.article.id
            lines.append("  " + source_line(s.passage.article))
        lines.append(_quote(s.text) + f"  [{s.kind}]")
        cue = f", {s.cue}" if s.cue else ""
        lines.append(f"      — {s.speaker}{cue} (passage #{s.passage.passage_id})")
    return "\n".join(lines)


@render.register
def _(answer: PeopleAnswer, color: bool = False) -> str:
    if not answer.people:
        return "Nobody is quoted yet."
    lines = ["Who is quoted:"]
    for p in answer.people:
        lines.append(f"  {p.name}: {p.statements} statements in {p.articles} articles")
    return "\n".join(lines)


@render.register
def _(answer: WhoAnswer, color: bool = False) -> str:
    if not answer.agents:
        return f"Nobody found who {answer.query} in the coverage."
    lines = [f"Who {answer.query}:"]
    for agent in answer.agents:
        support = f"{agent.support} sentence{'s' if agent.support != 1 else ''}, {agent.articles} article{'s' if agent.articles != 1 else ''}"
        lines.append(f"  {agent.shown} ({support})")
        if agent.evidence:
            best = agent.evidence[0]
            lines.append(_quote(best.text, indent="      "))
            lines.append("        — " + source_line(best.article))
    return "\n".join(lines)


@render.register
def _(answer: StatsAnswer, color: bool = False) -> str:
    from bot.render_stats import stats_text

    return stats_text(answer)
