"""Report periods: the three forms, their boundaries in the station's time zone, bad input."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from console.report.period import Period, PeriodError, current, parse_period


def utc(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


@pytest.mark.parametrize(("text", "kind", "first", "last"), [
    ("2026", "year", date(2026, 1, 1), date(2026, 12, 31)),
    ("2026-Q4", "quarter", date(2026, 10, 1), date(2026, 12, 31)),
    ("2026-q1", "quarter", date(2026, 1, 1), date(2026, 3, 31)),
    ("2026-11", "month", date(2026, 11, 1), date(2026, 11, 30)),
    ("2028-2", "month", date(2028, 2, 1), date(2028, 2, 29)),
    (" 2026-12 ", "month", date(2026, 12, 1), date(2026, 12, 31)),
])
def test_the_three_forms(text, kind, first, last):
    p = parse_period(text)
    assert (p.kind, p.first_day, p.last_day) == (kind, first, last)
    assert parse_period(p.text) == p


def test_boundaries_are_local_midnights():
    start, end = parse_period("2026-11").bounds("Asia/Ho_Chi_Minh")
    assert utc(start) == datetime(2026, 10, 31, 17, tzinfo=UTC)  # 1 November 00:00 +07:00
    assert utc(end) == datetime(2026, 11, 30, 17, tzinfo=UTC)
    start, end = parse_period("2026").bounds("UTC")
    assert (utc(start), utc(end)) == (datetime(2026, 1, 1, tzinfo=UTC),
                                      datetime(2027, 1, 1, tzinfo=UTC))
    q4 = parse_period("2026-Q4").bounds("Asia/Ho_Chi_Minh")
    assert q4 == (parse_period("2026-10").bounds("Asia/Ho_Chi_Minh")[0],
                  parse_period("2027-01").bounds("Asia/Ho_Chi_Minh")[0])


@pytest.mark.parametrize("text", ["", "26", "2026-13", "2026-00", "2026-Q5", "2026-Q0", "Q4-2026", "2026/11",
                                  "2026-11-01", "năm 2026"])
def test_bad_periods_are_refused_in_one_line(text):
    with pytest.raises(PeriodError) as e:
        parse_period(text)
    assert "\n" not in str(e.value) and "2026-Q4" in str(e.value)


def test_an_unknown_time_zone_is_refused():
    with pytest.raises(PeriodError, match="time zone"):
        parse_period("2026").bounds("Asia/Nowhere")


def test_current_and_previous():
    today = date(2026, 1, 15)
    assert current("quarter", today) == Period("quarter", 2026, 1)
    assert current("quarter", today).previous() == Period("quarter", 2025, 4)
    assert current("month", today).previous() == Period("month", 2025, 12)
    assert current("year", today).previous() == Period("year", 2025)

