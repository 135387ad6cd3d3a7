"""Answers as Discord pages: quote blocks, bold query words, source lines, limits."""

from __future__ import annotations

from dataclasses import dataclass
from functools import singledispatch

import discord
from discord.utils import escape_markdown

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

# Discord caps a message at 2,000 characters, an embed description at 4,096, a title
# at 256, and a whole embed at 6,000; pages stay under these with room to spare.
MESSAGE_LIMIT = 2000
DESCRIPTION_LIMIT = 3800
TITLE_LIMIT = 250
PASSAGE_LIMIT = 900
COLOUR = discord.Colour.dark_teal()
# Passed on every send as well as set as the bot default: an article or a query
# containing @everyone, @here or a role mention must ping nobody.
NO_MENTIONS = discord.AllowedMentions.none()


@dataclass
class Page:
    """One message's worth of an answer."""

    content: str | None = None
    embed: discord.Embed | None = None


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def quote_block(hit: Hit, bold: bool = True) -> str:
    """The passage as a Discord quote block, exact but with query words in bold."""
    text, spans = hit.text, list(hit.highlights) if bold else []
    truncated = len(text) > PASSAGE_LIMIT
    if truncated:
        text = text[:PASSAGE_LIMIT]
        spans = [(a, min(b, PASSAGE_LIMIT)) for a, b in spans if a < PASSAGE_LIMIT]
    pieces, last = [], 0
    for start, end in spans:
        pieces.append(escape_markdown(text[last:start]))
        pieces.append("**" + escape_markdown(text[start:end]) + "**")
        last = end
    pieces.append(escape_markdown(text[last:]))
    body = "".join(pieces)
    if truncated:
        body += f"… *(cut here; `!context {hit.passage_id}` shows it all)*"
    return "> " + body.replace("\n", "\n> ")


def source_line(article: ArticleRef) -> str:
    """title — outlet/author, date, link (or the article id when there is no URL)."""
    who = " / ".join(p for p in (article.outlet, article.author) if p)
    parts = ["*" + escape_markdown(clip(article.title, 200)) + "*" + (f" — {escape_markdown(who)}" if who else "")]
    if article.published:
        parts.append(article.published)
    parts.append(f"<{article.url}>" if article.url else f"article #{article.id} (`{article.key}`)")
    return "— " + ", ".join(parts)


def pack(title: str, entries: list[str], per_page: int, footer: str = "") -> list[Page]:
    """Group entries into embeds of at most `per_page` entries and the length limits."""
    pages: list[list[str]] = [[]]
    size = 0
    for entry in entries:
        entry = clip(entry, DESCRIPTION_LIMIT)
        if pages[-1] and (len(pages[-1]) >= per_page or size + len(entry) + 2 > DESCRIPTION_LIMIT):
            pages.append([])
            size = 0
        pages[-1].append(entry)
        size += len(entry) + 2
    out = []
    for number, group in enumerate(pages, start=1):
        embed = discord.Embed(title=clip(title, TITLE_LIMIT), description="\n\n".join(group), colour=COLOUR)
        tail = f"Page {number}/{len(pages)}" if len(pages) > 1 else ""
        embed.set_footer(text=" · ".join(p for p in (tail, footer) if p)[:2000] or None)
        out.append(Page(embed=embed))
    return out


def notice_page(text: str) -> Page:
    return Page(content=clip(text, MESSAGE_LIMIT))


@singledispatch
def pages(answer: Answer, per_page: int = 5) -> list[Page]:
    return [notice_page(str(answer))]


@pages.register
def _(answer: Notice, per_page: int = 5) -> list[Page]:
    return [notice_page(answer.text)]


@pages.register
def _(answer: SearchAnswer, per_page: int = 5) -> list[Page]:
    if not answer.hits:
        text = f"No passages match “{answer.query}”."
        if answer.suggestions:
            text += " Closest indexed words: " + ", ".join(f"`{s}`" for s in answer.suggestions) + "."
        return [notice_page(text)]
    entries = [
        f"**{n}.** passage `#{hit.passage_id}`\n{quote_block(hit)}\n{source_line(hit.article)}"
        for n, hit in enumerate(answer.hits, start=1)
    ]
    return pack(f"Search: {answer.query}", entries, per_page, f"{len(answer.hits)} passages · !context <id> for more")


@pages.register
def _(answer: SourcesAnswer, per_page: int = 5) -> list[Page]:
    if not answer.sources:
        return [notice_page("No articles yet. Moderators can add some with `!add`.")]
    entries = []
    for row in answer.sources:
        a = row.article
        meta = ", ".join(escape_markdown(p) for p in (a.outlet, a.author, a.published) if p) or "source unknown"
        link = f" <{a.url}>" if a.url else ""
        entries.append(f"**#{a.id}** `{a.key}` — *{escape_markdown(clip(a.title, 200))}* — {meta} — {row.sentences} sentences{link}")
    return pack("Sources", entries, max(per_page, 10), f"{len(entries)} articles")


@pages.register
def _(answer: ContextAnswer, per_page: int = 5) -> list[Page]:
    lines = []
    for hit in answer.passages:
        text = quote_block(Hit(hit.passage_id, hit.text, hit.article, hit.position), bold=False)
        if hit.passage_id == answer.passage_id:
            text = text.replace("> ", "> **▶** ", 1)
        lines.append(text)
    if answer.article:
        lines.append(source_line(answer.article))
    return pack(f"Context of passage #{answer.passage_id}", lines, 50)


@pages.register
def _(answer: HelpAnswer, per_page: int = 5) -> list[Page]:
    entries = []
    for c in answer.commands:
        aliases = f" (or {', '.join(answer.prefix + a for a in c.aliases)})" if c.aliases else ""
        admin = " — *moderators*" if c.admin else ""
        entries.append(f"`{c.usage}`{aliases}{admin}\n{c.summary} Example: `{c.example}`")
    return pack("coveragebot commands", entries, 50, "Every command also works as a /slash command")


@pages.register
def _(answer: AddAnswer, per_page: int = 5) -> list[Page]:
    marks = {"added": "✅", "duplicate": "♻️", "failed": "❌"}
    lines = [f"{marks.get(o.status, '•')} {o.message}" for o in answer.outcomes] or ["Nothing to add."]
    text = "\n".join(lines)
    if len(text) <= MESSAGE_LIMIT:
        return [notice_page(text)]
    return pack("Add", lines, 20)


@pages.register
def _(answer: RemoveAnswer, per_page: int = 5) -> list[Page]:
    a = answer.article
    if a is None:
        return [notice_page("Nothing removed.")]
    return [notice_page(f"Removed #{a.id} ‘{clip(a.title, 200)}’ ({answer.sentences} sentences); it no longer appears in any answer.")]


@pages.register
def _(answer: QuotesAnswer, per_page: int = 5) -> list[Page]:
    if answer.candidates and not answer.statements:
        return [notice_page(f"“{answer.person}” could be: " + "; ".join(answer.candidates) + ". Please be more specific.")]
    if not answer.statements:
        topic = f" about “{answer.topic}”" if answer.topic else ""
        return [notice_page(f"No statements by “{answer.person}”{topic} in the coverage.")]
    entries = []
    for s in answer.statements:
        said = Hit(s.passage.passage_id, s.text, s.passage.article, s.passage.position)
        cue = f", {escape_markdown(s.cue)}" if s.cue else ""
        entries.append(
            f"{quote_block(said, bold=False)}\n**— {escape_markdown(s.speaker)}**{cue} · *{s.kind}* · passage `#{s.passage.passage_id}`\n"
            f"{source_line(s.passage.article)}"
        )
    title = f"Quotes: {answer.speaker or answer.person}" + (f" about {answer.topic}" if answer.topic else "")
    return pack(title, entries, per_page, f"{len(entries)} statements")


@pages.register
def _(answer: PeopleAnswer, per_page: int = 5) -> list[Page]:
    if not answer.people:
        return [notice_page("Nobody is quoted yet.")]
    entries = [f"**{escape_markdown(p.name)}** — {p.statements} statements in {p.articles} articles" for p in answer.people]
    return pack("Who is quoted", entries, 20)


@pages.register
def _(answer: WhoAnswer, per_page: int = 5) -> list[Page]:
    if not answer.agents:
        return [notice_page(f"Nobody found who {answer.query} in the coverage.")]
    entries = []
    for agent in answer.agents:
        support = f"{agent.support} sentence{'s' if agent.support != 1 else ''}, {agent.articles} article{'s' if agent.articles != 1 else ''}"
        entry = f"**{escape_markdown(agent.shown)}** ({support})"
        if agent.evidence:
            best = agent.evidence[0]
            entry += f"\n{quote_block(best, bold=False)}\n{source_line(best.article)}"
        entries.append(entry)
    return pack(f"Who {answer.query}", entries, per_page)


@pages.register
def _(answer: StatsAnswer, per_page: int = 5) -> list[Page]:
    from bot.render_stats import stats_pages

    return stats_pages(answer)
