"""`!stats` answers as a Discord page (plus chart and CSV files) and as terminal text."""

from __future__ import annotations

import io
from datetime import date

import discord
from discord.utils import escape_markdown

from coveragebot.bot.chat.pages import COLOUR, DESCRIPTION_LIMIT, TITLE_LIMIT, Page, clip
from coveragebot.index.answers import StatsAnswer

CHART_FILENAME = "stats-queries.png"
# Discord caps an embed field's value at 1,024 characters.
FIELD_LIMIT = 1000
TABLE_COMMANDS = 4
PRIVACY_NOTE = "Who asked is never shown"


def day_table(figures: dict) -> str:
    """Queries per local day as a fixed-width table: the chart for where images are off."""
    commands = list(figures["commands"])
    shown = commands[:TABLE_COMMANDS]
    other = len(commands) > TABLE_COMMANDS
    header = ["day", "all", *shown] + (["other"] if other else [])
    rows = []
    for day in figures["days"]:
        counts = [day["by_command"].get(c, 0) for c in shown]
        cells = [date.fromisoformat(day["day"]).strftime("%a %Y-%m-%d"), str(day["total"]), *map(str, counts)]
        if other:
            cells.append(str(day["total"] - sum(counts)))
        rows.append(cells)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(r, widths)))
             for r in [header, *rows]]
    return "\n".join(line.rstrip() for line in lines)


def period_label(figures: dict) -> str:
    period = figures["period"]
    return f"last {period['since']}, {period['first_day']} to {period['last_day']} ({period['timezone']})"


def csv_filename(answer: StatsAnswer) -> str:
    period = answer.figures["period"]
    return f"coveragebot-log-{period['first_day']}-to-{period['last_day']}.csv"


def stats_files(answer: StatsAnswer) -> list[discord.File]:
    """The chart and/or the CSV export as Discord attachments."""
    files = []
    if answer.chart_png:
        files.append(discord.File(io.BytesIO(answer.chart_png), filename=CHART_FILENAME))
    if answer.csv is not None:
        files.append(discord.File(io.BytesIO(answer.csv.encode("utf-8")), filename=csv_filename(answer)))
    return files


# -- Discord -----------------------------------------------------------------

def stats_pages(answer: StatsAnswer) -> list[Page]:
    """One page: the figures in an embed (the chart shown inside it when attached)."""
    figures = answer.figures
    if answer.view == "export":
        return [Page(content=f"CSV of {figures['queries']} log rows, {period_label(figures)}. "
                             f"User ids are not exported; times are UTC with a local_time column.")]
    if answer.view == "gaps":
        return [_gaps_page(figures)]
    return [_overview_page(answer)]


def _overview_page(answer: StatsAnswer) -> Page:
    figures = answer.figures
    summary = f"**{figures['queries']}** queries"
    if figures["found_nothing"]:
        summary += f" · {figures['found_nothing']} found nothing (`!stats gaps`)"
    if figures["failed"]:
        summary += f" · {figures['failed']} refused or failed"
    embed = discord.Embed(title=clip(f"Query log: {period_label(figures)}", TITLE_LIMIT), colour=COLOUR,
                          description=clip(f"{summary}\n```\n{day_table(figures)}\n```", DESCRIPTION_LIMIT))
    queries = [f"**{q['count']}×** {escape_markdown(clip(q['query'], 80))} · *{q['command']}*"
               for q in figures["top_queries"]]
    people = [f"**{p['count']}×** {escape_markdown(clip(p['person'], 80))}" for p in figures["top_people"]]
    # A channel mention shows the channel's name and pings nobody.
    channels = [f"**{c['count']}** in " + (f"<#{c['channel_id']}>" if c["channel_id"] else "the terminal")
                for c in figures["channels"]]
    for name, lines in (("Top queries", queries), ("People asked about (!quotes)", people),
                        ("Busiest channels", channels)):
        embed.add_field(name=name, value=_field(lines), inline=name != "Top queries")
    if answer.chart_png:
        embed.set_image(url=f"attachment://{CHART_FILENAME}")
    embed.set_footer(text=f"{PRIVACY_NOTE} · !stats gaps · !stats export · !stats 30d")
    return Page(embed=embed)


def _gaps_page(figures: dict) -> Page:
    per_page = figures["results_per_page"]
    parts = [f"**Asked, found nothing** — {figures['found_nothing']} of {figures['queries']} queries"]
    parts += [_gap_line(g) for g in figures["unanswered"]] or ["Every question found something."]
    parts.append(
        f"\n**Long answers nobody paged** — more than {per_page} results, never a click on Next: "
        f"{figures['long_answers'] - figures['long_answers_paged']} of {figures['long_answers']} such answers"
    )
    parts += [_gap_line(g) for g in figures["never_paged"]] or ["None."]
    embed = discord.Embed(title=clip(f"Coverage gaps: {period_label(figures)}", TITLE_LIMIT), colour=COLOUR,
                          description=_lines_within(parts, DESCRIPTION_LIMIT))
    embed.set_footer(text=f"Questions grouped ignoring case, accents and spacing · {PRIVACY_NOTE}")
    return Page(embed=embed)


def _gap_line(gap: dict) -> str:
    return (f"**{gap['count']}×** {escape_markdown(clip(gap['query'], 100))} — {', '.join(gap['commands'])}"
            f" · last {gap['last_asked']}")


def _field(lines: list[str]) -> str:
    return _lines_within(lines, FIELD_LIMIT) if lines else "—"


def _lines_within(lines: list[str], limit: int) -> str:
    """Whole lines up to `limit` characters, then a count of the rest."""
    kept: list[str] = []
    size = 0
    for number, line in enumerate(lines):
        if size + len(line) + 1 > limit - 20:
            kept.append(f"… and {len(lines) - number} more")
            break
        kept.append(line)
        size += len(line) + 1
    return "\n".join(kept)


# -- terminal ----------------------------------------------------------------

def stats_text(answer: StatsAnswer) -> str:
    """The figures as plain text for the terminal."""
    figures = answer.figures
    if answer.view == "export":
        return f"{figures['queries']} log rows, {period_label(figures)} (user ids are not exported)."
    if answer.view == "gaps":
        return _gaps_text(figures)
    lines = [f"Query log, {period_label(figures)}: {figures['queries']} queries, "
             f"{figures['found_nothing']} found nothing, {figures['failed']} refused or failed.", "", day_table(figures)]
    sections = (
        ("Top queries", [f"{q['count']:>4}  {q['command']:<7} {q['query']}" for q in figures["top_queries"]]),
        ("People asked about (!quotes)", [f"{p['count']:>4}  {p['person']}" for p in figures["top_people"]]),
        ("Busiest channels", [f"{c['count']:>4}  {c['channel_id'] or 'terminal'}" for c in figures["channels"]]),
    )
    for title, rows in sections:
        lines += ["", title + ":"] + (rows or ["   —"])
    return "\n".join(lines)


def _gaps_text(figures: dict) -> str:
    lines = [f"Asked, found nothing ({figures['found_nothing']} of {figures['queries']} queries, "
             f"{period_label(figures)}):"]
    lines += [_gap_text(g) for g in figures["unanswered"]] or ["   —"]
    lines += ["", f"Long answers nobody paged (more than {figures['results_per_page']} results, no click on Next; "
                  f"{figures['long_answers'] - figures['long_answers_paged']} of {figures['long_answers']}):"]
    lines += [_gap_text(g) for g in figures["never_paged"]] or ["   —"]
    return "\n".join(lines)


def _gap_text(gap: dict) -> str:
    return f"{gap['count']:>4}  {gap['query']}  [{', '.join(gap['commands'])}; last {gap['last_asked']}]"
