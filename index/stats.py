"""`!stats` figures from the query log: queries per local day, top questions, gaps, CSV.

The period's rows are read once (through the index on `at`, the same SQL for SQLite
and PostgreSQL) and grouped here: the grouping keys fold accents and case in Python,
and each row's local day comes from zoneinfo at its own instant.
"""

from __future__ import annotations

import asyncio
import csv
import functools
import io
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coveragebot.index.answers import StatsAnswer
from coveragebot.index.quotes.statements import split_query
from coveragebot.index.text.analyzer import fold

VIEWS = ("overview", "gaps", "export")
# The commands that ask the coverage something; their text is what editors read.
QUESTION_COMMANDS = ("search", "who", "quotes")
# Figures describe the team's questions, so editors reading stats are left out of them.
FIGURES_SKIP = ("stats",)
# The export is the log itself, minus user ids: see `export_rows`.
EXPORT_COLUMNS = ("id", "at_utc", "local_time", "frontend", "guild_id", "channel_id", "command", "query",
                  "result_count", "latency_ms", "result_ids", "ok", "error", "page_turns")
MAX_DAYS = 366
TOP = 10
GAPS_TOP = 15
# No time zone changes its offset twice within an hour, so hourly probes find every change.
_PROBE = timedelta(hours=1)
_SINCE = re.compile(r"(\d{1,5})\s*([dh])", re.I)


class StatsError(ValueError):
    """A period (level usage) or time zone (level error) that cannot be used."""

    def __init__(self, text: str, level: str = "usage") -> None:
        super().__init__(text)
        self.level = level


@dataclass(frozen=True)
class Period:
    """The stretch of log a figure covers, with the local days it touches."""

    since: str                # as asked: "7d", "30d", "24h"
    zone: str                 # IANA name, e.g. "Europe/Berlin"
    start: datetime           # UTC, inclusive
    end: datetime             # UTC, inclusive: "now" when asked
    days: tuple[date, ...]    # local days from the first to the last, oldest first
    offsets: tuple[tuple[datetime, int], ...]  # (UTC instant, offset in seconds in force from then)

    @property
    def since_days(self) -> int:
        return max(1, math.ceil((self.end - self.start).total_seconds() / 86400))

    def to_json(self) -> dict[str, str]:
        return {"since": self.since, "timezone": self.zone, "start": utc_text(self.start),
                "end": utc_text(self.end), "first_day": self.days[0].isoformat(),
                "last_day": self.days[-1].isoformat()}


def time_zone(name: str) -> ZoneInfo:
    """The IANA zone named in stats.timezone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise StatsError(f"stats.timezone {name!r} is not an IANA time zone (e.g. Europe/Berlin)", "error") from exc


def parse_request(argument: str) -> tuple[str, str]:
    """`gaps 30d` -> ("gaps", "30d"); words in any order, defaults overview and 7d."""
    view, since = "overview", "7d"
    for word in argument.lower().split():
        if word in VIEWS:
            view = word
        elif _SINCE.fullmatch(word):
            since = word
        else:
            raise StatsError(f"Usage: `!stats [gaps|export] [24h|7d|30d]` — `{word[:30]}` is neither.")
    return view, since


def period_of(since: str, zone_name: str, now: datetime | None = None) -> Period:
    """`7d` = today and the six local days before it; `24h` = the last 24 hours."""
    match = _SINCE.fullmatch(since.strip())
    if not match:
        raise StatsError(f"A period is a number of days or hours, e.g. 7d, 30d or 24h (not {since[:30]!r}).")
    amount, unit = int(match.group(1)), match.group(2).lower()
    hours = amount * (24 if unit == "d" else 1)
    if not 1 <= hours <= MAX_DAYS * 24:
        raise StatsError(f"A period runs from 1h to {MAX_DAYS}d.")
    zone = time_zone(zone_name)
    end = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    if unit == "h":
        start = end - timedelta(hours=amount)
    else:
        first = end.astimezone(zone).date() - timedelta(days=amount - 1)
        # A local midnight skipped by a DST change maps to the instant of the change.
        start = datetime.combine(first, time(), zone).astimezone(timezone.utc)
    first_day = start.astimezone(zone).date()
    last_day = end.astimezone(zone).date()
    days = tuple(first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1))
    return Period(f"{amount}{unit}", zone_name, start, end, days, offset_changes(zone, start, end))


def offset_changes(zone: ZoneInfo, start: datetime, end: datetime) -> tuple[tuple[datetime, int], ...]:
    """The UTC offset at `start`, then each (instant, new offset) change before `end`."""

    def offset(seconds: float) -> int:
        instant = datetime.fromtimestamp(seconds, timezone.utc)
        return int(instant.astimezone(zone).utcoffset().total_seconds())

    changes = [(start, offset(start.timestamp()))]
    probe = start
    while probe < end:
        step = min(probe + _PROBE, end)
        if offset(step.timestamp()) != changes[-1][1]:
            # Offsets change on whole seconds: bisect to the first second of the new one.
            low, high = math.floor(probe.timestamp()), math.ceil(step.timestamp())
            while high - low > 1:
                middle = (low + high) // 2
                if offset(middle) == changes[-1][1]:
                    low = middle
                else:
                    high = middle
            changes.append((datetime.fromtimestamp(high, timezone.utc), offset(high)))
        probe = step
    return tuple(changes)


def utc_text(instant: datetime) -> str:
    """An instant as the query log writes it: 2025-03-01T23:30:00.000Z."""
    instant = instant.astimezone(timezone.utc)
    return instant.strftime("%Y-%m-%dT%H:%M:%S.") + f"{instant.microsecond // 1000:03d}Z"


def local_text(at: str, zone_name: str) -> str:
    """A logged UTC time as local `YYYY-MM-DD HH:MM` (for the few rows shown)."""
    return datetime.fromisoformat(at).astimezone(time_zone(zone_name)).strftime("%Y-%m-%d %H:%M")


def normalise_query(text: str | None) -> str:
    """Casefolded, accents folded, whitespace collapsed; '' if it holds no word."""
    return _normalised(text or "")


@functools.lru_cache(maxsize=65536)
def _normalised(text: str) -> str:
    folded = " ".join(fold(text).split())
    return folded if any(c.isalnum() for c in folded) else ""


def person_asked(query: str | None) -> str:
    """The normalised person of a `!quotes <person> [about <topic>]` query."""
    return normalise_query(split_query(query or "")[0])


@dataclass(frozen=True)
class Logged:
    """One query-log row of a period, with its local time and page turns."""

    id: int
    at: str
    local: datetime
    frontend: str
    guild_id: str | None
    channel_id: str | None
    command: str
    query: str
    result_count: int
    latency_ms: float
    result_ids: str
    ok: int
    error: str
    page_turns: int


def _scope(store, period: Period, guild_id: str | None, table: str) -> tuple[str, list]:
    # Inclusive at both ends: a row logged in the same millisecond as `now` is in.
    where = f"{table}.workspace = ? AND {table}.at >= ? AND {table}.at <= ?"
    params = [store.workspace, utc_text(period.start), utc_text(period.end)]
    if guild_id is not None:
        where += f" AND {table}.guild_id = ?"
        params.append(guild_id)
    return where, params


async def logged(store, period: Period, guild_id: str | None = None) -> list[Logged]:
    """The period's query-log rows, oldest first (found through the index on `at`)."""
    where, params = _scope(store, period, guild_id, "q")
    rows = await store.rows(
        "SELECT id, at, frontend, guild_id, channel_id, command, query, result_count, latency_ms,"
        " result_ids, ok, error, (SELECT count(*) FROM page_turns p WHERE p.query_id = q.id) AS page_turns"
        f" FROM query_log q WHERE {where} ORDER BY q.at, q.id", params)
    zone = time_zone(period.zone)
    return [Logged(r["id"], r["at"], datetime.fromisoformat(r["at"]).astimezone(zone), r["frontend"],
                   r["guild_id"], r["channel_id"], r["command"], r["query"], r["result_count"],
                   r["latency_ms"], r["result_ids"], r["ok"], r["error"], r["page_turns"]) for r in rows]


def _grouped(rows: list[Logged], key, top: int) -> list[dict]:
    """Rows grouped by `key` ('' dropped): count, latest time and wording, commands; most asked first."""
    groups: dict[tuple, dict] = {}
    for row in rows:  # oldest first, so the last row seen is the latest wording
        name = key(row)
        if name[-1] == "":
            continue
        group = groups.setdefault(name, {"key": name, "n": 0, "commands": set()})
        group["n"] += 1
        group["last_at"], group["query"] = row.at, row.query
        group["commands"].add(row.command)
    ranked = sorted(groups.values(), key=lambda g: g["last_at"], reverse=True)
    ranked.sort(key=lambda g: g["n"], reverse=True)
    return ranked[:top]


async def overview(store, period: Period, guild_id: str | None = None, top: int = TOP) -> dict:
    """Queries per local day by command, top queries, people asked about, busiest channels."""
    rows = [r for r in await logged(store, period, guild_id) if r.command not in FIGURES_SKIP]
    by_day: dict[str, dict[str, int]] = {d.isoformat(): {} for d in period.days}
    totals: dict[str, int] = {}
    for row in rows:
        day = by_day.setdefault(row.local.date().isoformat(), {})
        day[row.command] = day.get(row.command, 0) + 1
        totals[row.command] = totals.get(row.command, 0) + 1
    commands = dict(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])))
    questions = [r for r in rows if r.command in QUESTION_COMMANDS]
    top_queries = _grouped(questions, lambda r: (r.command, normalise_query(r.query)), top)
    people = _grouped([r for r in rows if r.command == "quotes"], lambda r: (person_asked(r.query),), top)
    channels: dict[str | None, int] = {}
    for row in rows:
        channels[row.channel_id] = channels.get(row.channel_id, 0) + 1
    busiest = sorted(channels.items(), key=lambda kv: (-kv[1], kv[0] is not None, kv[0] or ""))[:top]
    return {
        "view": "overview", "period": period.to_json(),
        "queries": len(rows), "failed": sum(1 for r in rows if r.ok == 0),
        "found_nothing": sum(1 for r in questions if _found_nothing(r)),
        "commands": commands,
        "days": [{"day": day, "total": sum(n.values()), "by_command": n} for day, n in sorted(by_day.items())],
        "top_queries": [
            {"command": g["key"][0], "query": " ".join(g["query"].split()), "normalised": g["key"][1],
             "count": g["n"], "last_asked": local_text(g["last_at"], period.zone)}
            for g in top_queries
        ],
        "top_people": [
            {"person": " ".join(split_query(g["query"])[0].split()), "normalised": g["key"][0],
             "count": g["n"], "last_asked": local_text(g["last_at"], period.zone)}
            for g in people
        ],
        "channels": [{"channel_id": channel, "count": n} for channel, n in busiest],
    }


def _found_nothing(row: Logged) -> bool:
    return row.result_count == 0 and row.ok == 1 and normalise_query(row.query) != ""


async def gaps(store, period: Period, per_page: int, guild_id: str | None = None, top: int = GAPS_TOP) -> dict:
    """What the coverage lacks: questions that found nothing; long answers nobody paged."""
    rows = await logged(store, period, guild_id)
    questions = [r for r in rows if r.command in QUESTION_COMMANDS]
    unanswered = _grouped([r for r in questions if r.result_count == 0 and r.ok == 1],
                          lambda r: (normalise_query(r.query),), top)
    # Only Discord pages an answer; one with more results than a page holds had a Next button.
    long = [r for r in questions if r.frontend in ("discord", "slash") and r.result_count > per_page]
    unpaged = _grouped([r for r in long if not r.page_turns], lambda r: (normalise_query(r.query),), top)

    def entries(groups) -> list[dict]:
        return [{"query": " ".join(g["query"].split()), "normalised": g["key"][0], "count": g["n"],
                 "commands": sorted(g["commands"]), "last_asked": local_text(g["last_at"], period.zone)}
                for g in groups]

    # Answers a member flagged as wrong from the Flag button: newest flag first, with the notes.
    flagged = await _flagged(store, period, guild_id, top)

    return {
        "view": "gaps", "period": period.to_json(),
        "queries": sum(1 for r in rows if r.command not in FIGURES_SKIP),
        "found_nothing": sum(1 for r in questions if _found_nothing(r)), "unanswered": entries(unanswered),
        "results_per_page": per_page, "long_answers": len(long),
        "long_answers_paged": sum(1 for r in long if r.page_turns), "never_paged": entries(unpaged),
        "flagged": [{**entry, "notes": group["notes"]} for entry, group in zip(entries(flagged), flagged)],
    }


async def _flagged(store, period: Period, guild_id: str | None, top: int) -> list[dict]:
    """Flags on the period's questions, grouped by the question's wording; newest flag first."""
    where, params = _scope(store, period, guild_id, "q")
    rows = await store.rows(
        "SELECT f.at, f.note, q.query, q.command FROM flags f JOIN query_log q ON q.id = f.query_id"
        f" WHERE {where} ORDER BY f.at, f.id", params)
    groups: dict[str, dict] = {}
    for row in rows:  # oldest flag first, so the last one seen is the latest
        name = normalise_query(row["query"])
        group = groups.setdefault(name, {"key": (name,), "n": 0, "commands": set(), "notes": []})
        group["n"] += 1
        group["last_at"], group["query"] = row["at"], row["query"]
        group["commands"].add(row["command"])
        if row["note"] and row["note"] not in group["notes"]:
            group["notes"].append(row["note"])
    return sorted(groups.values(), key=lambda g: g["last_at"], reverse=True)[:top]


async def export_rows(store, period: Period, guild_id: str | None = None) -> list[tuple]:
    """The period's log rows for the CSV, oldest first.

    No user column, whatever privacy.hash_user_ids says: unhashed it is a Discord
    id, hashed it still links one person's questions; neither says what the
    coverage lacks.
    """
    return [(r.id, r.at, r.local.strftime("%Y-%m-%d %H:%M:%S"), r.frontend, r.guild_id, r.channel_id,
             r.command, r.query, r.result_count, r.latency_ms, r.result_ids, r.ok, r.error, r.page_turns)
            for r in await logged(store, period, guild_id)]


def csv_text(rows: list[tuple]) -> str:
    """The export rows as CSV with a header line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows(rows)
    return out.getvalue()


def draw_chart(figures: dict) -> bytes:
    """Queries per local day, stacked by command, as a PNG (blocking: call in a thread)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    days = figures["days"]
    labels = [date.fromisoformat(d["day"]).strftime("%a %d %b" if len(days) <= 10 else "%d %b") for d in days]
    # A Figure of its own (not pyplot's global state), so threads cannot collide.
    figure = Figure(figsize=(min(11.0, max(6.0, 0.3 * len(days) + 3)), 3.6), dpi=110)
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    bottoms = [0] * len(days)
    colours = _palette(len(figures["commands"]))
    for colour, command in zip(colours, figures["commands"]):
        heights = [d["by_command"].get(command, 0) for d in days]
        axes.bar(range(len(days)), heights, bottom=bottoms, label=command, color=colour, width=0.75)
        bottoms = [b + h for b, h in zip(bottoms, heights)]
    axes.set_xticks(range(len(days)), labels, rotation=0 if len(days) <= 10 else 60, fontsize=8,
                    ha="center" if len(days) <= 10 else "right")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(0, max(bottoms + [1]) * 1.25)  # headroom for the legend
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_ylabel("queries")
    period = figures["period"]
    axes.set_title(f"Queries per day ({period['timezone']}), last {period['since']}: {figures['queries']} in all",
                   fontsize=10)
    if figures["commands"]:
        axes.legend(frameon=False, fontsize=8, loc="upper left", ncols=min(4, len(figures["commands"])))
    else:
        axes.text(0.5, 0.5, "no queries in this period", transform=axes.transAxes, ha="center", color="grey")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _palette(count: int) -> list:
    from matplotlib import colormaps

    colours = colormaps["tab10"].colors
    return [colours[i % len(colours)] for i in range(count)]


async def stats_answer(service, view: str = "overview", since: str = "7d", guild_id: str | None = None,
                       chart: bool = True, now: datetime | None = None) -> StatsAnswer:
    """One `!stats` view for the settings' time zone; the chart is drawn off the event loop."""
    period = period_of(since, service.settings.stats_timezone, now)
    if view == "gaps":
        figures = await gaps(service.store, period, service.settings.search_results_per_page, guild_id)
        return StatsAnswer("stats", period.since_days, figures, view="gaps")
    if view == "export":
        rows = await export_rows(service.store, period, guild_id)
        figures = {"view": "export", "period": period.to_json(), "queries": len(rows),
                   "columns": list(EXPORT_COLUMNS)}
        return StatsAnswer("stats", period.since_days, figures, csv=csv_text(rows), view="export")
    figures = await overview(service.store, period, guild_id)
    png = await asyncio.to_thread(draw_chart, figures) if chart else None
    return StatsAnswer("stats", period.since_days, figures, chart_png=png, view="overview")
