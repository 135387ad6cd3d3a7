"""`!stats` figures from the query log: queries per local day, top questions, gaps, CSV.

Every figure is a GROUP BY in SQLite over the period's rows (found through the index
on `at`). SQLite knows no time zones, so the UTC offsets in force during the period
come from zoneinfo and are written into the SQL as a CASE over the instants at which
the offset changes; each row is shifted by the offset valid at its own time.
"""

from __future__ import annotations

import asyncio
import csv
import io
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from index.answers import StatsAnswer
from index.quotes.statements import split_query
from index.text.analyzer import fold

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


def local_shift_sql(period: Period, column: str = "at") -> str:
    """A SQLite date-function modifier moving `column` from UTC to local time.

    The instants and offsets are formatted here from datetimes and ints, never
    from input, so they are written into the SQL as literals.
    """
    shifts = [f"'{seconds:+d} seconds'" for _, seconds in period.offsets]
    if len(shifts) == 1:
        return shifts[0]
    cases = " ".join(f"WHEN {column} < '{utc_text(instant)}' THEN {shift}"
                     for (instant, _), shift in zip(period.offsets[1:], shifts))
    return f"CASE {cases} ELSE {shifts[-1]} END"


def normalise_query(text: str | None) -> str:
    """Casefolded, accents folded, whitespace collapsed; '' if it holds no word."""
    folded = " ".join(fold(text or "").split())
    return folded if any(c.isalnum() for c in folded) else ""


def person_asked(query: str | None) -> str:
    """The normalised person of a `!quotes <person> [about <topic>]` query."""
    return normalise_query(split_query(query or "")[0])


async def prepare(store) -> None:
    """Teach this connection the normalising functions the GROUP BYs use."""
    await store.db.create_function("stats_normalised", 1, normalise_query, deterministic=True)
    await store.db.create_function("stats_person", 1, person_asked, deterministic=True)


def _scope(period: Period, guild_id: str | None, table: str = "") -> tuple[str, list]:
    # Inclusive at both ends: a row logged in the same millisecond as `now` is in.
    at = f"{table}.at" if table else "at"
    where, params = f"{at} >= ? AND {at} <= ?", [utc_text(period.start), utc_text(period.end)]
    if guild_id is not None:
        where += f" AND {table + '.' if table else ''}guild_id = ?"
        params.append(guild_id)
    return where, params


def _marks(values: tuple[str, ...]) -> str:
    return ",".join(f"'{v}'" for v in values)  # our own constant command names


async def overview(store, period: Period, guild_id: str | None = None, top: int = TOP) -> dict:
    """Queries per local day by command, top queries, people asked about, busiest channels."""
    await prepare(store)
    where, params = _scope(period, guild_id)
    where += f" AND command NOT IN ({_marks(FIGURES_SKIP)})"
    daily = await store.rows(
        f"SELECT date(at, {local_shift_sql(period)}) AS day, command, count(*) AS n"
        f" FROM query_log WHERE {where} GROUP BY day, command", params)
    by_day: dict[str, dict[str, int]] = {d.isoformat(): {} for d in period.days}
    totals: dict[str, int] = {}
    for row in daily:
        by_day.setdefault(row["day"], {})[row["command"]] = row["n"]
        totals[row["command"]] = totals.get(row["command"], 0) + row["n"]
    commands = dict(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])))
    questions = f"{where} AND command IN ({_marks(QUESTION_COMMANDS)})"
    # With exactly one max() in a GROUP BY, SQLite takes bare columns (query)
    # from the row holding the maximum: the latest wording of each question.
    top_queries = await store.rows(
        f"SELECT command, stats_normalised(query) AS asked, count(*) AS n, max(at) AS last_at, query"
        f" FROM query_log WHERE {questions} GROUP BY command, asked HAVING asked != ''"
        f" ORDER BY n DESC, last_at DESC LIMIT ?", [*params, top])
    people = await store.rows(
        f"SELECT stats_person(query) AS person, count(*) AS n, max(at) AS last_at, query"
        f" FROM query_log WHERE {where} AND command = 'quotes' GROUP BY person HAVING person != ''"
        f" ORDER BY n DESC, last_at DESC LIMIT ?", params + [top])
    channels = await store.rows(
        f"SELECT channel_id, count(*) AS n FROM query_log WHERE {where}"
        f" GROUP BY channel_id ORDER BY n DESC, channel_id LIMIT ?", params + [top])
    counts = (await store.rows(
        f"SELECT count(*) AS queries, coalesce(sum(ok = 0), 0) AS failed,"
        f" coalesce(sum(result_count = 0 AND ok = 1 AND command IN ({_marks(QUESTION_COMMANDS)})"
        f" AND stats_normalised(query) != ''), 0) AS found_nothing"
        f" FROM query_log WHERE {where}", params))[0]
    return {
        "view": "overview", "period": period.to_json(),
        "queries": counts["queries"], "failed": counts["failed"], "found_nothing": counts["found_nothing"],
        "commands": commands,
        "days": [{"day": day, "total": sum(n.values()), "by_command": n} for day, n in sorted(by_day.items())],
        "top_queries": [
            {"command": r["command"], "query": " ".join(r["query"].split()), "normalised": r["asked"],
             "count": r["n"], "last_asked": local_text(r["last_at"], period.zone)}
            for r in top_queries
        ],
        "top_people": [
            {"person": " ".join(split_query(r["query"])[0].split()), "normalised": r["person"],
             "count": r["n"], "last_asked": local_text(r["last_at"], period.zone)}
            for r in people
        ],
        "channels": [{"channel_id": r["channel_id"], "count": r["n"]} for r in channels],
    }


async def gaps(store, period: Period, per_page: int, guild_id: str | None = None, top: int = GAPS_TOP) -> dict:
    """What the coverage lacks: questions that found nothing; long answers nobody paged."""
    await prepare(store)
    where, params = _scope(period, guild_id)
    questions = f"{where} AND command IN ({_marks(QUESTION_COMMANDS)})"
    unanswered = await store.rows(
        f"SELECT stats_normalised(query) AS asked, count(*) AS n, max(at) AS last_at, query,"
        f" group_concat(DISTINCT command) AS commands FROM query_log"
        f" WHERE {questions} AND result_count = 0 AND ok = 1"
        f" GROUP BY asked HAVING asked != '' ORDER BY n DESC, last_at DESC LIMIT ?", [*params, top])
    # Only Discord pages an answer; one with more results than a page holds had a Next button.
    long = f"{questions} AND frontend IN ('discord', 'slash') AND result_count > ?"
    paged = "EXISTS (SELECT 1 FROM page_turns p WHERE p.query_id = q.id)"
    unpaged = await store.rows(
        f"SELECT stats_normalised(query) AS asked, count(*) AS n, max(at) AS last_at, query,"
        f" group_concat(DISTINCT command) AS commands FROM query_log q"
        f" WHERE {long} AND NOT {paged}"
        f" GROUP BY asked HAVING asked != '' ORDER BY n DESC, last_at DESC LIMIT ?", [*params, per_page, top])
    counts = (await store.rows(
        f"SELECT (SELECT count(*) FROM query_log WHERE {where} AND command NOT IN ({_marks(FIGURES_SKIP)})) AS queries,"
        f" (SELECT count(*) FROM query_log WHERE {questions} AND result_count = 0 AND ok = 1"
        f" AND stats_normalised(query) != '') AS found_nothing,"
        f" (SELECT count(*) FROM query_log q WHERE {long}) AS long_answers,"
        f" (SELECT count(*) FROM query_log q WHERE {long} AND {paged}) AS long_paged",
        [*params, *params, *params, per_page, *params, per_page]))[0]

    # Answers a member flagged as wrong from the Flag button: newest first, with the note.
    flag_where, _ = _scope(period, guild_id, table="q")
    flagged = await store.rows(
        f"SELECT stats_normalised(q.query) AS asked, count(DISTINCT f.id) AS n, max(f.at) AS last_at, q.query,"
        f" group_concat(DISTINCT q.command) AS commands, group_concat(DISTINCT f.note) AS notes"
        f" FROM flags f JOIN query_log q ON q.id = f.query_id WHERE {flag_where}"
        f" GROUP BY asked ORDER BY last_at DESC LIMIT ?", [*params, top])

    def entries(rows) -> list[dict]:
        return [{"query": " ".join(r["query"].split()), "normalised": r["asked"], "count": r["n"],
                 "commands": sorted(r["commands"].split(",")), "last_asked": local_text(r["last_at"], period.zone)}
                for r in rows]

    return {
        "view": "gaps", "period": period.to_json(), "queries": counts["queries"],
        "found_nothing": counts["found_nothing"], "unanswered": entries(unanswered),
        "results_per_page": per_page, "long_answers": counts["long_answers"],
        "long_answers_paged": counts["long_paged"], "never_paged": entries(unpaged),
        "flagged": [{**entry, "notes": [n for n in (row["notes"] or "").split(",") if n]}
                    for entry, row in zip(entries(flagged), flagged)],
    }


async def export_rows(store, period: Period, guild_id: str | None = None) -> list[tuple]:
    """The period's log rows for the CSV, oldest first.

    No user column, whatever privacy.hash_user_ids says: unhashed it is a Discord
    id, hashed it still links one person's questions; neither says what the
    coverage lacks.
    """
    where, params = _scope(period, guild_id)
    rows = await store.rows(
        f"SELECT id, at, strftime('%Y-%m-%d %H:%M:%S', at, {local_shift_sql(period)}) AS local_time,"
        f" frontend, guild_id, channel_id, command, query, result_count, latency_ms, result_ids, ok, error,"
        f" (SELECT count(*) FROM page_turns p WHERE p.query_id = q.id) AS page_turns"
        f" FROM query_log q WHERE {where} ORDER BY at, id", params)
    return [tuple(r) for r in rows]


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
