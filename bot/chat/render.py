"""Answers as Discord pages: quote blocks, bold query words, source lines, limits."""

from __future__ import annotations

from functools import singledispatch

import discord
from discord.utils import escape_markdown

from coveragebot.bot.chat.pages import (
    COLOUR,
    DESCRIPTION_LIMIT,
    MESSAGE_LIMIT,
    PASSAGE_LIMIT,
    TITLE_LIMIT,
    Page,
    clip,
)
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
from coveragebot.index.verify.answer import CLOSE, VERBATIM, VerifyAnswer

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


def compact_source(article: ArticleRef) -> str:
    """One short line per article on a page: title · outlet · date · link (the byline is in !context)."""
    parts = ["*" + escape_markdown(clip(article.title, 120)) + "*"]
    parts += [escape_markdown(p) for p in (article.outlet, article.published) if p]
    parts.append(f"<{article.url}>" if article.url else f"article #{article.id} (`{article.key}`)")
    return "— " + " · ".join(parts)


def pack_grouped(title: str, items: list[tuple[str, str]], per_page: int, footer: str = "") -> list[Page]:
    """Like `pack`, but each page shows a group's header once, its entries under it.

    `items` are (header, entry) pairs in answer order; a page holds at most `per_page`
    entries, and groups appear in the order of their first entry on that page.
    """
    pages: list[list[tuple[str, str]]] = [[]]
    size = 0
    for header, entry in items:
        entry = clip(entry, DESCRIPTION_LIMIT - len(header) - 4)
        headers = {h for h, _ in pages[-1]}
        grow = len(entry) + 2 + (0 if header in headers else len(header) + 2)
        if pages[-1] and (len(pages[-1]) >= per_page or size + grow > DESCRIPTION_LIMIT):
            pages.append([])
            size, grow = 0, len(entry) + len(header) + 4
        pages[-1].append((header, entry))
        size += grow
    grouped = []
    for page in pages:
        groups: dict[str, list[str]] = {}
        for header, entry in page:
            groups.setdefault(header, []).append(entry)
        grouped.append("\n\n".join(header + "\n" + "\n".join(entries) for header, entries in groups.items()))
    out = []
    for number, description in enumerate(grouped, start=1):
        embed = discord.Embed(title=clip(title, TITLE_LIMIT), description=description, colour=COLOUR)
        tail = f"Page {number}/{len(grouped)}" if len(grouped) > 1 else ""
        embed.set_footer(text=" · ".join(p for p in (tail, footer) if p)[:2000] or None)
        out.append(Page(embed=embed))
    return out


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
    named = "\n".join(answer.named_lines())
    if not answer.hits:
        text = f"No passages match “{answer.query}”."
        if answer.suggestions:
            text += " Closest indexed words: " + ", ".join(f"`{s}`" for s in answer.suggestions) + "."
        if answer.next_step:
            text += " " + answer.next_step
        return [notice_page("\n".join(p for p in (text, named) if p))]
    items = [
        (compact_source(hit.article), f"**{n}.** `#{hit.passage_id}`\n{quote_block(hit)}")
        for n, hit in enumerate(answer.hits, start=1)
    ]
    found = f"best {len(answer.hits)} passages (more match)" if answer.more else counted(len(answer.hits), "passage")
    out = pack_grouped(f"Search: {answer.query}", items, per_page, f"{found} · !context <id> for more")
    if named:
        # Said beside the passages on every page, since paging edits the whole message.
        for page in out:
            page.content = clip(named, MESSAGE_LIMIT)
    return out


@pages.register
def _(answer: SourcesAnswer, per_page: int = 5) -> list[Page]:
    if not answer.sources:
        return [notice_page("No articles yet. Moderators can add some with `!add`.")]
    entries = []
    for row in answer.sources:
        a = row.article
        meta = ", ".join(escape_markdown(p) for p in (a.outlet, a.author, a.published) if p) or "source unknown"
        link = f" <{a.url}>" if a.url else ""
        version = f" — version {row.version}" if row.version > 1 else ""
        entries.append(f"**#{a.id}** `{a.key}` — *{escape_markdown(clip(a.title, 200))}* — {meta} — "
                       f"{counted(row.sentences, 'sentence')}{version}{link}")
    return pack("Sources", entries, max(per_page, 10), counted(len(entries), "article"))


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
    version = f" (story version {answer.version})" if answer.version > 1 else ""
    return pack(f"Context of passage #{answer.passage_id}{version}", lines, 50)


@pages.register
def _(answer: HelpAnswer, per_page: int = 5) -> list[Page]:
    entries = []
    for heading, group in answer.sections():
        if heading:
            entries.append(f"__**{heading}**__")
        for c in group:
            aliases = f" (or {', '.join(answer.prefix + a for a in c.aliases)})" if c.aliases else ""
            entries.append(f"`{c.usage}`{aliases}\n{c.summary} Example: `{c.example}`")
    return pack("coveragebot commands", entries, 50, "Every command also works as a /slash command")


@pages.register
def _(answer: AddAnswer, per_page: int = 5) -> list[Page]:
    marks = {"added": "✅", "updated": "🔄", "duplicate": "♻️", "failed": "❌"}
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
    return [notice_page(f"Removed #{a.id} ‘{clip(a.title, 200)}’ ({counted(answer.sentences, 'sentence')}); it no longer appears in any answer.")]


@pages.register
def _(answer: QuotesAnswer, per_page: int = 5) -> list[Page]:
    if not answer.statements:
        return [notice_page(answer.empty_text())]
    several = len(answer.speakers) > 1
    items = []
    for s in answer.statements:
        said = Hit(s.passage.passage_id, s.text, s.passage.article, s.passage.position)
        cue = f"{escape_markdown(s.cue)} · " if s.cue else ""
        header = compact_source(s.passage.article)
        if several:
            header = f"__**{escape_markdown(s.speaker)}**__ {header}"
        items.append((header, f"{quote_block(said, bold=False)}\n{cue}*{s.kind}* · statement `#{s.statement_id}`"
                              f" · passage `#{s.passage.passage_id}`"))
    who = " / ".join(answer.speakers) if several else (answer.speaker or answer.person) + answer.speaker_label
    title = f"Quotes: {who}" + (f" about {answer.topic}" if answer.topic else "")
    footer = answer.counted_text + (f" by {counted(len(answer.speakers), 'person')}" if several else "")
    pages_ = pack_grouped(title, items, per_page, footer)
    if answer.others and pages_[0].embed is not None:
        pages_[0].embed.add_field(name="Also matching", value=clip(escape_markdown(answer.others_text()), 1000))
    return pages_


@pages.register
def _(answer: PeopleAnswer, per_page: int = 5) -> list[Page]:
    if not answer.people:
        return [notice_page("Nobody is quoted yet.")]
    entries = []
    for heading, rows in answer.sections():
        entries.append(f"__{heading}__")
        entries.extend(f"**{escape_markdown(p.name)}**{escape_markdown(p.label)} — {counted(p.statements, 'statement')}"
                       f" in {counted(p.articles, 'article')}" for p in rows)
    return pack("Who is quoted", entries, 20)


@pages.register
def _(answer: WhoAnswer, per_page: int = 5) -> list[Page]:
    if not answer.agents and not answer.also_reported:
        return [notice_page(f"Nobody found who {answer.query} in the coverage.")]
    entries = [] if answer.agents else [f"Nobody found who {answer.query} in the coverage, as something that happened."]
    for agent in answer.agents:
        entries += _agent_entries(agent)
    if answer.also_reported:
        # The second part says plainly that none of it is told as done.
        entries.append(f"__{also_heading([a.factuality for a in answer.also_reported])}__")
        for agent in answer.also_reported:
            entries += _agent_entries(agent)
    return pack(f"Who {answer.query}", entries, per_page)


def _agent_entries(agent) -> list[str]:
    label = f" — *{LABELS[agent.factuality]}*" if agent.factuality in LABELS else ""
    head = f"**{escape_markdown(agent.shown)}**{agent.thing_note} ({agent.counts}){label}"
    # Every sentence counted is shown, under one short source line per article; an
    # agent with more evidence than an embed holds continues on the next page.
    entries, chunk, current = [], [head], None
    for n, hit in enumerate(agent.evidence):
        told = agent.sources[n] if n < len(agent.sources) else ""
        lines = ([compact_source(hit.article)] if hit.article.id != current else []) + [quote_block(hit, bold=False)]
        if told:
            lines.append(f"(according to {escape_markdown(told)})")
        if sum(map(len, chunk)) + sum(map(len, lines)) > DESCRIPTION_LIMIT // 2 and len(chunk) > 1:
            entries.append("\n".join(chunk))
            chunk = [f"**{escape_markdown(agent.shown)}** (continued)", compact_source(hit.article)]
            lines = lines[-2:] if told else lines[-1:]
        chunk += lines
        current = hit.article.id
    entries.append("\n".join(chunk))
    return entries


@pages.register
def _(answer: StatsAnswer, per_page: int = 5) -> list[Page]:
    from coveragebot.bot.chat.render_stats import stats_pages

    return stats_pages(answer)


@pages.register
def _(answer: VerifyAnswer, per_page: int = 5) -> list[Page]:
    title = f"Verify: “{answer.words}”" + (f" ({answer.person})" if answer.person else "")
    if not answer.found:
        entries = ["**Not found** in the coverage: no passage prints these words."]
        if answer.nearest:
            entries.append("__Nearest passages — **not a match**__")
            entries += [f"{compact_source(h.article)}\n{quote_block(h)}" for h in answer.nearest]
        return pack(title, entries, 50)
    entries = [verdict_line(answer)]
    printed = Hit(answer.passage.passage_id if answer.passage else 0, answer.text,
                  answer.passage.article if answer.passage else None, 0,
                  highlights=tuple((d.start, d.end) for d in answer.differences if d.end > d.start))
    entries.append(quote_block(printed, bold=answer.verdict == CLOSE))
    if answer.differences:
        entries.append("\n".join(f"• {difference_line(d)}" for d in answer.differences))
    if answer.partial:
        entries.append("The whole statement:\n" + quote_block(Hit(0, answer.statement, None, 0), bold=False))
    entries.append(f"Printed in {counted(len(answer.articles), 'article')}, oldest first:\n" + "\n".join(
        f"{compact_source(h.article)} · passage `#{h.passage_id}`" for h in answer.articles))
    if answer.context:
        lines = [quote_block(Hit(h.passage_id, h.text, h.article, h.position), bold=False) for h in answer.context]
        lines = [line.replace("> ", "> **▶** ", 1) if h.passage_id == answer.passage.passage_id else line
                 for line, h in zip(lines, answer.context)]
        entries.append("__Context__\n" + "\n".join(lines))
    footer = f"statement #{answer.statement_id}" if answer.statement_id else ""
    return pack(title, entries, 50, footer)


def verdict_line(answer: VerifyAnswer) -> str:
    """What the verdict says, whose words they are and how they were printed."""
    verdict = "**Verbatim**" if answer.verdict == VERBATIM else "**Close, not verbatim**: the printed words differ"
    if not answer.speaker:
        line = f"{verdict} — printed, but not as anyone's statement."
    else:
        how = "reported speech, not a quotation" if answer.reported else f"{answer.kind} quotation"
        line = f"{verdict} — {escape_markdown(answer.speaker)}'s words ({how})."
        if answer.partial:
            line += " The words are part of a longer statement."
    if answer.someone_else:
        line += (f"\n⚠️ Printed as **{escape_markdown(answer.speaker or 'no one')}**'s words, "
                 f"not {escape_markdown(answer.person)}'s.")
    return line


def difference_line(difference) -> str:
    """One difference: what was printed against what was asked, and what kind of change it is."""
    what = f" ({difference.what})" if difference.what != "wording" else ""
    if not difference.printed:
        return f"not printed: “{escape_markdown(difference.given)}”{what}"
    if not difference.given:
        return f"left out: “{escape_markdown(difference.printed)}”{what}"
    return f"printed “{escape_markdown(difference.printed)}”, not “{escape_markdown(difference.given)}”{what}"


@pages.register
def _(answer: FeedsAnswer, per_page: int = 5) -> list[Page]:
    if not answer.feeds:
        return [notice_page("No feeds followed yet. Moderators add one with `!feed add <url>`.")]
    entries = [f"**#{r.feed.id}** *{escape_markdown(clip(r.feed.title or 'untitled', 200))}* — <{r.feed.url}>\n"
               f"{escape_markdown(r.summary)}" for r in answer.feeds]
    return pack("Feeds", entries, 10, f"{counted(len(entries), 'feed')} · polled every {answer.poll_minutes:g} minutes")


@pages.register
def _(answer: WatchesAnswer, per_page: int = 5) -> list[Page]:
    if not answer.watches:
        return [notice_page('No watches in this server. `!watch <person>` or `!watch "phrase"` starts one.')]
    entries = [f"**#{w.id}** {escape_markdown(w.label)} ({w.kind}) → <#{w.channel_id}>" for w in answer.watches]
    return pack("Watches", entries, 20, f"{len(entries)} watch" + ("es" if len(entries) != 1 else ""))
