"""`!stats` figures on a query log of known rows: every count, day and gap exact."""

from __future__ import annotations

import csv
import io
import json
import random
import sys
from datetime import datetime, timedelta, timezone

import pytest

from coveragebot.index.answers import Notice, StatsAnswer
from coveragebot.index.commands import Origin, run
from coveragebot.index.settings import with_overrides
from coveragebot.index.stats import (
    EXPORT_COLUMNS,
    StatsError,
    export_rows,
    gaps,
    offset_changes,
    overview,
    parse_request,
    period_of,
    stats_answer,
    time_zone,
    utc_text,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
NOW = datetime(2025, 3, 3, 12, 0, tzinfo=timezone.utc)
SECRET_USER = "u-secret-417"


async def log(store, at: str, command: str, query: str = "", result_count: int = 0, *, frontend: str = "discord",
              guild: str | None = "1", channel: str | None = "10", ok: int = 1, user: str | None = SECRET_USER) -> int:
    """One query-log row with an explicit time, as the command layer would have written it."""
    return await store.insert(
        "INSERT INTO query_log (at, frontend, guild_id, channel_id, user_id, command, query, result_count, ok)"
        " VALUES (?,?,?,?,?,?,?,?,?) /* every workspace */", (at, frontend, guild, channel, user, command, query, result_count, ok))


async def page_turn(store, query_id: int, page: int = 1) -> None:
    await store.execute("INSERT INTO page_turns (query_id, page) VALUES (?, ?) /* every workspace */", (query_id, page))


@pytest.fixture
async def known_log(empty_service):
    """A week of questions ending 2025-03-03 12:00 UTC, with rows just outside it."""
    store = empty_service.store
    await log(store, "2025-02-24T23:59:59.999Z", "search", "before the period")
    await log(store, "2025-02-25T00:00:00.000Z", "search", "Bogotá protests", 0)
    await log(store, "2025-02-26T10:00:00.000Z", "search", "bogota   PROTESTS", 0, channel="11")
    await log(store, "2025-02-26T11:00:00.000Z", "search", "Petro sanctions", 8)
    paged = await log(store, "2025-02-27T09:00:00.000Z", "search", "petro sanctions", 8)
    await page_turn(store, paged)
    await log(store, "2025-02-28T09:00:00.000Z", "quotes", "Petro about cocaine", 3)
    await log(store, "2025-02-28T10:00:00.000Z", "search", "exactly five", 5)
    await log(store, "2025-03-01T09:00:00.000Z", "quotes", "petro", 6, frontend="slash")
    await log(store, "2025-03-01T23:30:00.000Z", "quotes", "Bessent about tariffs", 0)
    await log(store, "2025-03-02T08:00:00.000Z", "who", "sanctioned", 2, frontend="cli", guild=None, channel=None)
    await log(store, "2025-03-02T09:00:00.000Z", "search", "???", 0)
    await log(store, "2025-03-02T10:00:00.000Z", "search", "", 0, ok=0)
    await log(store, "2025-03-03T08:00:00.000Z", "stats", "gaps")
    await log(store, "2025-03-03T09:00:00.000Z", "sources", "", 2)
    await log(store, "2025-03-03T10:00:00.000Z", "search", "Ebola Glasgow", 9, frontend="cli", guild=None, channel=None)
    await log(store, "2025-03-03T11:00:00.000Z", "search", "other guild question", 0, guild="2", channel="20")
    await log(store, "2025-03-03T12:00:00.001Z", "search", "just after now")
    return empty_service


def days_of(figures) -> dict[str, dict[str, int]]:
    return {d["day"]: d["by_command"] for d in figures["days"]}


# -- periods and time zones --------------------------------------------------------

@pytest.mark.parametrize("argument,expected", [
    ("", ("overview", "7d")),
    ("gaps", ("gaps", "7d")),
    ("30d", ("overview", "30d")),
    ("export 24h", ("export", "24h")),
    ("30D Gaps", ("gaps", "30d")),
])
def test_stats_arguments_parse_in_any_order(argument, expected):
    assert parse_request(argument) == expected


@pytest.mark.parametrize("argument", ["everything", "7 days", "gaps please"])
def test_unknown_stats_words_are_a_usage_error(argument):
    with pytest.raises(StatsError) as caught:
        parse_request(argument)
    assert caught.value.level == "usage" and caught.value.args[0].startswith("Usage: `!stats")


@pytest.mark.parametrize("since", ["0d", "367d", "7w", "d7", ""])
def test_periods_outside_1h_to_366d_are_refused(since):
    with pytest.raises(StatsError):
        period_of(since, "UTC", NOW)


def test_unknown_time_zone_is_a_configuration_error():
    with pytest.raises(StatsError) as caught:
        time_zone("Mars/Olympus_Mons")
    assert caught.value.level == "error" and "Mars/Olympus_Mons" in str(caught.value)


def test_seven_days_means_today_and_the_six_local_days_before():
    period = period_of("7d", "Europe/Berlin", NOW)
    assert [d.isoformat() for d in period.days] == [f"2025-02-{d}" for d in range(25, 29)] + [
        "2025-03-01", "2025-03-02", "2025-03-03"]
    assert utc_text(period.start) == "2025-02-24T23:00:00.000Z"  # Berlin midnight, UTC+1 in winter
    assert period.end == NOW and period.since_days == 7


def test_twenty_four_hours_is_a_rolling_window_touching_two_days():
    period = period_of("24h", "UTC", NOW)
    assert utc_text(period.start) == "2025-03-02T12:00:00.000Z"
    assert [d.isoformat() for d in period.days] == ["2025-03-02", "2025-03-03"]


def test_offset_changes_find_the_exact_dst_instants():
    zone = time_zone("America/New_York")
    spring = offset_changes(zone, datetime(2025, 3, 4, 5, tzinfo=timezone.utc), datetime(2025, 3, 10, 16, tzinfo=timezone.utc))
    assert [(utc_text(t), o) for t, o in spring] == [("2025-03-04T05:00:00.000Z", -5 * 3600),
                                                      ("2025-03-09T07:00:00.000Z", -4 * 3600)]
    autumn = offset_changes(zone, datetime(2025, 10, 28, 4, tzinfo=timezone.utc), datetime(2025, 11, 3, 17, tzinfo=timezone.utc))
    assert [(utc_text(t), o) for t, o in autumn] == [("2025-10-28T04:00:00.000Z", -4 * 3600),
                                                      ("2025-11-02T06:00:00.000Z", -5 * 3600)]
    assert len(offset_changes(time_zone("UTC"), NOW - timedelta(days=366), NOW)) == 1


@pytest.mark.parametrize("zone,day", [
    ("UTC", "2025-03-01"),
    ("Europe/Berlin", "2025-03-02"),     # 00:30 the next morning
    ("Asia/Kolkata", "2025-03-02"),      # +05:30
    ("America/New_York", "2025-03-01"),  # 18:30 the same evening
])
async def test_a_row_at_2330_utc_counts_on_its_local_day(empty_service, zone, day):
    await log(empty_service.store, "2025-03-01T23:30:00.000Z", "search", "late question", 1)
    figures = await overview(empty_service.store, period_of("7d", zone, NOW))
    assert {d: n for d, n in days_of(figures).items() if n} == {day: {"search": 1}}


async def test_days_are_cut_with_the_offset_in_force_across_spring_forward(empty_service):
    store = empty_service.store
    for at in ("2025-03-04T04:59:59.999Z",   # 23:59 EST on the 3rd: before the period
               "2025-03-04T05:00:00.000Z",   # midnight EST: the period's first instant
               "2025-03-08T04:30:00.000Z",   # 23:30 EST on the 7th (EDT would say the 8th)
               "2025-03-09T06:59:59.999Z",   # 01:59 EST on the 9th
               "2025-03-09T07:00:00.000Z",   # 03:00 EDT on the 9th: clocks went forward
               "2025-03-10T03:30:00.000Z",   # 23:30 EDT on the 9th
               "2025-03-10T04:30:00.000Z"):  # 00:30 EDT on the 10th (EST would say the 9th)
        await log(store, at, "search", "sanctions", 3)
    period = period_of("7d", "America/New_York", datetime(2025, 3, 10, 16, tzinfo=timezone.utc))
    figures = await overview(store, period)
    assert {d: sum(n.values()) for d, n in days_of(figures).items()} == {
        "2025-03-04": 1, "2025-03-05": 0, "2025-03-06": 0, "2025-03-07": 1,
        "2025-03-08": 0, "2025-03-09": 3, "2025-03-10": 1}
    assert figures["queries"] == 6
    local_times = [row[2] for row in await export_rows(store, period)]
    assert local_times == ["2025-03-04 00:00:00", "2025-03-07 23:30:00", "2025-03-09 01:59:59",
                           "2025-03-09 03:00:00", "2025-03-09 23:30:00", "2025-03-10 00:30:00"]


async def test_days_are_cut_with_the_offset_in_force_across_fall_back(empty_service):
    store = empty_service.store
    for at in ("2025-10-28T03:59:00.000Z",   # 23:59 EDT on the 27th: before the period
               "2025-11-02T05:30:00.000Z",   # 01:30 EDT on the 2nd
               "2025-11-02T06:30:00.000Z",   # 01:30 EST on the 2nd: the hour repeats
               "2025-11-03T04:30:00.000Z",   # 23:30 EST on the 2nd (EDT would say the 3rd)
               "2025-11-03T05:00:00.000Z"):  # midnight EST on the 3rd
        await log(store, at, "who", "sanctioned", 1)
    figures = await overview(store, period_of("7d", "America/New_York", datetime(2025, 11, 3, 17, tzinfo=timezone.utc)))
    counts = {d: sum(n.values()) for d, n in days_of(figures).items() if n}
    assert counts == {"2025-11-02": 3, "2025-11-03": 1}


async def test_twenty_four_hours_start_exactly_a_day_before_now(empty_service):
    await log(empty_service.store, "2025-03-02T11:59:59.999Z", "search", "too early")
    await log(empty_service.store, "2025-03-02T12:00:00.000Z", "search", "just in")
    figures = await overview(empty_service.store, period_of("24h", "UTC", NOW))
    assert figures["queries"] == 1 and [q["query"] for q in figures["top_queries"]] == ["just in"]


# -- the overview ---------------------------------------------------------------------

async def test_overview_figures_on_the_known_log(known_log):
    figures = await overview(known_log.store, period_of("7d", "UTC", NOW))
    # Outside the period: the row before midnight and the row after now; `stats` is left out.
    assert figures["queries"] == 14
    assert figures["failed"] == 1
    assert figures["found_nothing"] == 4  # Bogotá ×2, Bessent, other guild; "???" holds no word
    assert figures["commands"] == {"search": 9, "quotes": 3, "sources": 1, "who": 1}
    assert list(figures["commands"]) == ["search", "quotes", "sources", "who"]
    assert days_of(figures) == {
        "2025-02-25": {"search": 1}, "2025-02-26": {"search": 2}, "2025-02-27": {"search": 1},
        "2025-02-28": {"quotes": 1, "search": 1}, "2025-03-01": {"quotes": 2},
        "2025-03-02": {"who": 1, "search": 2}, "2025-03-03": {"sources": 1, "search": 2},
    }
    assert [d["total"] for d in figures["days"]] == [1, 2, 1, 2, 2, 3, 3]
    assert [(q["command"], q["normalised"], q["count"], q["last_asked"]) for q in figures["top_queries"]] == [
        ("search", "petro sanctions", 2, "2025-02-27 09:00"),
        ("search", "bogota protests", 2, "2025-02-26 10:00"),
        ("search", "other guild question", 1, "2025-03-03 11:00"),
        ("search", "ebola glasgow", 1, "2025-03-03 10:00"),
        ("who", "sanctioned", 1, "2025-03-02 08:00"),
        ("quotes", "bessent about tariffs", 1, "2025-03-01 23:30"),
        ("quotes", "petro", 1, "2025-03-01 09:00"),
        ("search", "exactly five", 1, "2025-02-28 10:00"),
        ("quotes", "petro about cocaine", 1, "2025-02-28 09:00"),
    ]
    # Each group shows its latest wording, whitespace collapsed.
    assert figures["top_queries"][1]["query"] == "bogota PROTESTS"
    assert [(p["person"], p["count"]) for p in figures["top_people"]] == [("petro", 2), ("Bessent", 1)]
    assert figures["channels"] == [{"channel_id": "10", "count": 10}, {"channel_id": None, "count": 2},
                                   {"channel_id": "11", "count": 1}, {"channel_id": "20", "count": 1}]


async def test_overview_in_berlin_moves_the_late_rows_to_the_next_day(known_log):
    figures = await overview(known_log.store, period_of("7d", "Europe/Berlin", NOW))
    days = days_of(figures)
    assert figures["queries"] == 15  # 23:59:59 UTC on the 24th is 00:59 in Berlin on the 25th
    assert days["2025-02-25"] == {"search": 2}
    assert days["2025-03-01"] == {"quotes": 1} and days["2025-03-02"] == {"quotes": 1, "who": 1, "search": 2}


async def test_a_server_sees_only_its_own_log(known_log):
    figures = await overview(known_log.store, period_of("7d", "UTC", NOW), guild_id="1")
    assert figures["queries"] == 11  # no terminal rows, no rows of guild 2
    assert {c["channel_id"] for c in figures["channels"]} == {"10", "11"}
    assert "other guild question" not in json.dumps(figures)


# -- gaps ---------------------------------------------------------------------------

async def test_gaps_group_unanswered_questions_and_list_long_answers_nobody_paged(known_log):
    figures = await gaps(known_log.store, period_of("7d", "UTC", NOW), per_page=5)
    assert figures["queries"] == 14 and figures["found_nothing"] == 4
    assert [(g["normalised"], g["count"], g["commands"], g["last_asked"]) for g in figures["unanswered"]] == [
        ("bogota protests", 2, ["search"], "2025-02-26 10:00"),
        ("other guild question", 1, ["search"], "2025-03-03 11:00"),
        ("bessent about tariffs", 1, ["quotes"], "2025-03-01 23:30"),
    ]
    # Long = Discord answers with more than 5 results: Petro sanctions ×2 and petro (slash).
    # The terminal's 9-result answer had no buttons; "exactly five" fitted on one page.
    assert figures["long_answers"] == 3 and figures["long_answers_paged"] == 1
    assert [(g["query"], g["count"], g["commands"], g["last_asked"]) for g in figures["never_paged"]] == [
        ("petro", 1, ["quotes"], "2025-03-01 09:00"),
        ("Petro sanctions", 1, ["search"], "2025-02-26 11:00"),
    ]


async def test_the_same_question_by_two_commands_is_one_gap(empty_service):
    store = empty_service.store
    await log(store, "2025-03-02T10:00:00.000Z", "search", "Gustavo  Petró", 0)
    await log(store, "2025-03-02T11:00:00.000Z", "quotes", "gustavo petro", 0)
    figures = await gaps(store, period_of("7d", "UTC", NOW), per_page=5)
    assert [(g["query"], g["count"], g["commands"]) for g in figures["unanswered"]] == [
        ("gustavo petro", 2, ["quotes", "search"])]


async def test_gaps_follow_the_page_size_setting(known_log):
    figures = await gaps(known_log.store, period_of("7d", "UTC", NOW), per_page=4)
    assert figures["long_answers"] == 4  # "exactly five" no longer fits on a page


# -- export and privacy ------------------------------------------------------------------

async def test_export_is_the_period_of_the_log_without_user_ids(known_log):
    answer = await stats_answer(known_log, "export", "7d", now=NOW)
    assert isinstance(answer, StatsAnswer) and answer.view == "export"
    rows = list(csv.DictReader(io.StringIO(answer.csv)))
    assert tuple(rows[0]) == EXPORT_COLUMNS and "user_id" not in rows[0]
    stored = await known_log.store.rows(
        "SELECT id, at, command, query, result_count FROM query_log"
        " WHERE at BETWEEN '2025-02-25T00:00:00.000Z' AND '2025-03-03T12:00:00.000Z' ORDER BY at, id /* every workspace */")
    assert [(r["id"], r["at_utc"], r["command"], r["query"], r["result_count"]) for r in rows] == [
        (str(s["id"]), s["at"], s["command"], s["query"], str(s["result_count"])) for s in stored]
    assert len(rows) == 15 == answer.result_count  # the export keeps the stats row: it is the log
    paged = next(r for r in rows if r["at_utc"] == "2025-02-27T09:00:00.000Z")
    assert paged["page_turns"] == "1" and paged["local_time"] == "2025-02-27 09:00:00"
    assert SECRET_USER not in answer.csv


async def test_no_figure_names_who_asked(known_log):
    for view in ("overview", "gaps", "export"):
        answer = await stats_answer(known_log, view, "30d", now=NOW)
        assert SECRET_USER not in json.dumps(answer.to_json()) + (answer.csv or "")


async def test_hashed_user_ids_stay_out_of_the_export_too(settings, tmp_path):
    from coveragebot.index.service import Service

    hashed = with_overrides(settings, privacy_hash_user_ids=True)
    service = await Service.open(hashed, seed=False)
    try:
        origin = Origin(frontend="discord", guild_id="1", channel_id="10", user_id="123456789012345678")
        await run(service, "!search harbour strike", origin)
        stored = await service.store.scalar("SELECT user_id FROM query_log /* every workspace */")
        assert stored.startswith("h:")
        answer = await run(service, "!stats export", origin)
        assert answer.csv.count("harbour strike") == 1
        assert stored not in answer.csv and "123456789012345678" not in answer.csv
    finally:
        await service.close()


# -- the chart and the command layer ------------------------------------------------------

async def test_overview_carries_a_png_chart(known_log):
    answer = await stats_answer(known_log, "overview", "7d", now=NOW)
    assert answer.chart_png.startswith(PNG_MAGIC) and len(answer.chart_png) > 5000
    assert answer.result_count == 14


async def test_an_empty_period_still_draws_a_chart(empty_service):
    answer = await stats_answer(empty_service, "overview", "30d", now=NOW)
    assert answer.figures["queries"] == 0 and len(answer.figures["days"]) == 30
    assert answer.chart_png.startswith(PNG_MAGIC)


async def test_stats_through_the_command_layer(known_log):
    terminal = Origin(frontend="cli")
    answer = await run(known_log, "!stats gaps 30d", terminal)
    assert isinstance(answer, StatsAnswer) and answer.view == "gaps"
    assert answer.figures["period"]["since"] == "30d" and answer.chart_png is None
    usage = await run(known_log, "!stats everything", terminal)
    assert isinstance(usage, Notice) and usage.level == "usage"
    no_server = await run(known_log, "!stats", Origin(frontend="discord", user_id="5"))
    assert isinstance(no_server, Notice) and no_server.level == "refusal"


async def test_stats_commands_do_not_count_themselves(empty_service):
    origin = Origin(frontend="discord", guild_id="1", channel_id="10", user_id="5")
    await run(empty_service, "!sources", origin)
    first = await run(empty_service, "!stats", origin)
    second = await run(empty_service, "!stats", origin)
    assert first.figures["queries"] == second.figures["queries"] == 1


async def test_a_bad_time_zone_setting_is_reported_not_raised(empty_service):
    empty_service.settings = with_overrides(empty_service.settings, stats_timezone="Europe/Atlantis")
    answer = await run(empty_service, "!stats", Origin(frontend="cli"))
    assert isinstance(answer, Notice) and answer.level == "error" and "Europe/Atlantis" in answer.text


# -- a realistic log (also the source of docs/stats-sample.png) -----------------------------

def synthetic_log(now: datetime, days: int = 30, seed: int = 8) -> list[tuple]:
    """A newsroom's month: weekday peaks, a story breaking mid-month, a few gaps."""
    rng = random.Random(seed)
    questions = {
        "search": ["Petro sanctions", "cocaine production", "Bogotá protests", "Ebola Glasgow", "port strike"],
        "quotes": ["Petro", "Bessent about cocaine", "Gustavo Petro about the US", "Benedetti"],
        "who": ["sanctioned", "suspended aid", "diagnosed"],
        "context": ["12", "31"],
        "sources": [""],
    }
    weights = {"search": 10, "quotes": 5, "who": 3, "context": 2, "sources": 1}
    rows = []
    for back in range(days):
        day = now - timedelta(days=back)
        busy = 6 if day.weekday() < 5 else 2
        busy += 12 if 12 <= back <= 15 else 0
        for _ in range(rng.randint(busy // 2, busy)):
            command = rng.choices(list(weights), weights=list(weights.values()))[0]
            at = day.replace(hour=rng.randint(7, 21), minute=rng.randint(0, 59), second=0, microsecond=0)
            found = 0 if rng.random() < 0.15 else rng.randint(1, 12)
            rows.append((utc_text(min(at, now - timedelta(minutes=1))), command, rng.choice(questions[command]), found,
                         rng.choice(["101", "102", "103"])))
    return rows


async def fill(store, rows) -> None:
    for at, command, query, found, channel in rows:
        await log(store, at, command, query, found, channel=channel)


async def test_a_realistic_month_adds_up(empty_service):
    rows = synthetic_log(NOW)
    await fill(empty_service.store, rows)
    figures = await overview(empty_service.store, period_of("30d", "UTC", NOW))
    assert figures["queries"] == len(rows) == sum(d["total"] for d in figures["days"])
    assert sum(c["count"] for c in figures["channels"]) == len(rows)


async def _sample_chart(path: str) -> None:
    from coveragebot.index.service import Service
    from coveragebot.index.settings import load_settings

    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(env={}, storage_db=str(Path(folder) / "sample.db"), stats_timezone="Europe/Berlin")
        service = await Service.open(settings, seed=False)
        try:
            now = datetime(2025, 4, 4, 15, tzinfo=timezone.utc)  # fixed, and across Berlin's switch to summer time
            await fill(service.store, synthetic_log(now))
            answer = await stats_answer(service, "overview", "30d", now=now)
            Path(path).write_bytes(answer.chart_png)
        finally:
            await service.close()


if __name__ == "__main__":
    # python -m tests.index.test_stats docs/stats-sample.png
    import asyncio

    asyncio.run(_sample_chart(sys.argv[1] if len(sys.argv) > 1 else "docs/stats-sample.png"))
