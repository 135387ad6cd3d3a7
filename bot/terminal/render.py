"""Answers as terminal text (the Discord renderer is bot.chat.render)."""

from __future__ import annotations

import re
from functools import singledispatch

from coveragebot.index.answers import (
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

from coveragebot.index.text.wording import counted
from coveragebot.index.who.factuality import LABELS, also_heading
from coveragebot.index.feeds.answer import FeedsAnswer
from coveragebot.index.watches.answer import WatchesAnswer
from coveragebot.index.verify.answer import VERBATIM, VerifyAnswer

BOLD, RESET = "\033[1m", "\033[0m"
WIDTH = 88
# SGR escape codes (bold on, reset) take no room on the screen.
_ESCAPE = re.compile(r"\033\[[0-9;]*m")


def source_line(article: ArticleRef) -> str:
    """title — outlet/author, date, link (or the article id when there is no URL)."""
    who = " / ".join(p for p in (article.outlet, article.author) if p)
    parts = [article.title + (f" — {who}" if who else "")]
    if article.published:
        parts.append(article.published)
    parts.append(article.url or f"article #{article.id} ({article.key})")
    return ", ".join(parts)


def compact_source(article: ArticleRef) -> str:
    """title · outlet · date · link: the short line shown once per article in a list."""
    parts = [article.title] + [p for p in (article.outlet, article.published) if p]
    parts.append(article.url or f"article #{article.id} ({article.key})")
    return " · ".join(parts)


def emphasize(hit: Hit, color: bool) -> str:
    """The passage with matched query words in bold (ANSI on a terminal)."""
    if not color or not hit.highlights:
        return hit.text
    out, last = [], 0
    for start, end in hit.highlights:
        out.append(hit.text[last:start] + BOLD + hit.text[start:end] + RESET)
        last = end
    return "".join(out) + hit.text[last:]


def visible_length(text: str) -> int:
    """Characters a terminal shows for `text`: escape codes take no room."""
    return len(_ESCAPE.sub("", text))


def fill(text: str, width: int, indent: str) -> str:
    """`text` wrapped at word breaks so each line shows at most `width` characters.

    textwrap counts escape codes as characters, so bold words would wrap lines early.
    A word longer than a line keeps a line of its own.
    """
    lines: list[str] = []
    line, shown = indent, len(indent)
    for word in text.split():
        size = visible_length(word)
        if shown > len(indent) and shown + 1 + size > width:
            lines.append(line)
            line, shown = indent, len(indent)
        if shown > len(indent):
            line, shown = line + " ", shown + 1
        line, shown = line + word, shown + size
    lines.append(line)
    return "\n".join(lines)


def _quote(text: str, indent: str = "    ") -> str:
    # A bar, not added quotation marks: the passage's own marks stay unambiguous.
    return fill(text, WIDTH, indent + "│ ")


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
        if answer.next_step:
            line += " " + answer.next_step
        return "\n".join([line, *answer.named_lines()])
    lines = [answer.count_line(), *answer.named_lines()]
    current = None
    for number, hit in enumerate(answer.hits, start=1):
        if hit.article.id != current:
            current = hit.article.id
            lines.append("  — " + compact_source(hit.article))
        lines.append(f"[{number}] passage #{hit.passage_id} (sentence {hit.position + 1} of article #{hit.article.id})")
        lines.append(_quote(emphasize(hit, color)))
    return "\n".join(lines)


@render.register
def _(answer: SourcesAnswer, color: bool = False) -> str:
    if not answer.sources:
        return "No articles yet. Add some with `coveragebot add FILE…`."
    lines = [f"{counted(len(answer.sources), 'article')}:"]
    for row in answer.sources:
        a = row.article
        meta = ", ".join(p for p in (a.outlet, a.author, a.published) if p) or "source unknown"
        version = f" — version {row.version}" if row.version > 1 else ""
        lines.append(f"#{a.id} [{a.key}] {a.title} — {meta} — {counted(row.sentences, 'sentence')}{version}")
    return "\n".join(lines)


@render.register
def _(answer: ContextAnswer, color: bool = False) -> str:
    version = f" (story version {answer.version})" if answer.version > 1 else ""
    lines = [f"Context of passage #{answer.passage_id}{version}:"]
    for hit in answer.passages:
        marker = ">>" if hit.passage_id == answer.passage_id else "  "
        lines.append(f"{marker} #{hit.passage_id} {hit.text}")
    if answer.article:
        lines.append("    — " + source_line(answer.article))
    return "\n".join(lines)


@render.register
def _(answer: HelpAnswer, color: bool = False) -> str:
    lines = ["Commands:"]
    for heading, group in answer.sections():
        if heading:
            lines += ["", heading + ":"]
        for c in group:
            aliases = f" (alias {', '.join(answer.prefix + a for a in c.aliases)})" if c.aliases else ""
            lines.append(f"  {c.usage}{aliases}\n      {c.summary} e.g. {c.example}")
    return "\n".join(lines)


@render.register
def _(answer: AddAnswer, color: bool = False) -> str:
    return "\n".join(
        {"added": "✓ ", "updated": "↻ ", "duplicate": "= "}.get(o.status, "✗ ") + o.message
        for o in answer.outcomes
    )


@render.register
def _(answer: RemoveAnswer, color: bool = False) -> str:
    a = answer.article
    return f"Removed #{a.id} ‘{a.title}’ ({counted(answer.sentences, 'sentence')})." if a else "Nothing removed."


@render.register
def _(answer: QuotesAnswer, color: bool = False) -> str:
    if not answer.statements:
        return answer.empty_text()
    several = len(answer.speakers) > 1
    who = f"{' / '.join(answer.speakers)}" if several else (answer.speaker or answer.person) + answer.speaker_label
    topic = f" about “{answer.topic}”" if answer.topic else ""
    lines = [f"{answer.counted_text} by {who}{topic}:"]
    speaker = current = None
    for s in answer.statements:
        if several and s.speaker != speaker:
            speaker, current = s.speaker, None
            lines.append(f"{s.speaker}:")
        if s.passage.article.id != current:
            current = s.passage.article.id
            lines.append("  — " + compact_source(s.passage.article))
        lines.append(_quote(s.text) + f"  [{s.kind}]")
        cue = f"{s.cue}, " if s.cue else ""
        lines.append(f"      {cue}statement #{s.statement_id}, passage #{s.passage.passage_id}")
    if answer.others:
        lines.append(answer.others_text())
    return "\n".join(lines)


@render.register
def _(answer: PeopleAnswer, color: bool = False) -> str:
    if not answer.people:
        return "Nobody is quoted yet."
    lines = []
    for heading, rows in answer.sections():
        lines.append(f"{heading}:")
        lines.extend(f"  {p.name}{p.label}: {counted(p.statements, 'statement')} in {counted(p.articles, 'article')}"
                     for p in rows)
    return "\n".join(lines)


@render.register
def _(answer: WhoAnswer, color: bool = False) -> str:
    if not answer.agents and not answer.also_reported:
        return f"Nobody found who {answer.query} in the coverage."
    lines = [f"Who {answer.query}:" if answer.agents
             else f"Nobody found who {answer.query} in the coverage, as something that happened."]
    for agent in answer.agents:
        lines += _agent_lines(agent)
    if answer.also_reported:
        lines.append(also_heading([a.factuality for a in answer.also_reported]) + ":")
        for agent in answer.also_reported:
            lines += _agent_lines(agent)
    return "\n".join(lines)


def _agent_lines(agent) -> list[str]:
    label = f" — {LABELS[agent.factuality]}" if agent.factuality in LABELS else ""
    lines = [f"  {agent.shown}{agent.thing_note} ({agent.counts}){label}"]
    current = None
    for n, hit in enumerate(agent.evidence):
        if hit.article.id != current:
            current = hit.article.id
            lines.append("      — " + compact_source(hit.article))
        lines.append(_quote(hit.text, indent="      "))
        told = agent.sources[n] if n < len(agent.sources) else ""
        if told:
            lines.append(f"        (according to {told})")
    return lines


@render.register
def _(answer: StatsAnswer, color: bool = False) -> str:
    from coveragebot.bot.chat.render_stats import stats_text

    return stats_text(answer)


@render.register
def _(answer: VerifyAnswer, color: bool = False) -> str:
    if not answer.found:
        lines = [f"Not found in the coverage: no passage prints “{answer.words}”."]
        if answer.nearest:
            lines.append("Nearest passages (NOT a match):")
            for hit in answer.nearest:
                lines += ["  — " + compact_source(hit.article), _quote(emphasize(hit, color))]
        return "\n".join(lines)
    verdict = "Verbatim" if answer.verdict == VERBATIM else "Close, not verbatim: the printed words differ"
    if answer.speaker:
        how = "reported speech, not a quotation" if answer.reported else f"{answer.kind} quotation"
        lines = [f"{verdict} — {answer.speaker}'s words ({how})."]
    else:
        lines = [f"{verdict} — printed, but not as anyone's statement."]
    if answer.someone_else:
        lines.append(f"Printed as {answer.speaker or 'no one'}'s words, not {answer.person}'s.")
    lines.append(_quote(_marked(answer, color)))
    for d in answer.differences:
        what = f" ({d.what})" if d.what != "wording" else ""
        if not d.printed:
            lines.append(f"  not printed: “{d.given}”{what}")
        elif not d.given:
            lines.append(f"  left out: “{d.printed}”{what}")
        else:
            lines.append(f"  printed “{d.printed}”, not “{d.given}”{what}")
    if answer.partial:
        lines += ["The words are part of a longer statement:", _quote(answer.statement)]
    lines.append(f"Printed in {counted(len(answer.articles), 'article')}, oldest first:")
    lines += [f"  — {compact_source(h.article)}, passage #{h.passage_id}" for h in answer.articles]
    if answer.context:
        lines.append("Context:")
        for h in answer.context:
            text = _quote(h.text)
            lines.append("  ▶" + text[3:] if h.passage_id == answer.passage.passage_id else text)
    if answer.statement_id:
        lines.append(f"statement #{answer.statement_id}")
    return "\n".join(lines)


def _marked(answer: VerifyAnswer, color: bool) -> str:
    """The printed words, differences in [brackets] (bold as well on a colour terminal)."""
    out, last = [], 0
    for d in answer.differences:
        if d.end <= d.start:
            continue
        shown = answer.text[d.start:d.end]
        out.append(answer.text[last:d.start] + (BOLD + f"[{shown}]" + RESET if color else f"[{shown}]"))
        last = d.end
    return "".join(out) + answer.text[last:]


@render.register
def _(answer: FeedsAnswer, color: bool = False) -> str:
    if not answer.feeds:
        return "No feeds followed yet: `coveragebot feed add URL` follows one."
    lines = [f"{counted(len(answer.feeds), 'feed')}, polled every {answer.poll_minutes:g} minutes:"]
    for r in answer.feeds:
        lines += [f"  #{r.feed.id} {r.feed.title or 'untitled'} · {r.feed.url}", f"      {r.summary}"]
    return "\n".join(lines)


@render.register
def _(answer: WatchesAnswer, color: bool = False) -> str:
    if not answer.watches:
        return "No watches."
    return "\n".join(f"#{w.id} {w.label} ({w.kind}) in channel {w.channel_id}" for w in answer.watches)
