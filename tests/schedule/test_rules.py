"""Rules: expansion at month and year ends, 29 February, long ranges, exceptions, zones, storage, checks."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr

from console.schedule import rules
from console.schedule.rules import Rule

VN = ZoneInfo("Asia/Ho_Chi_Minh")
BERLIN = ZoneInfo("Europe/Berlin")


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0, tz=VN) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=tz)


def days(starts: list[datetime]) -> list[str]:
    return [t.date().isoformat() for t in starts]


# -- month ends, year ends, 29 February --------------------------------------------------------------

def test_monthly_on_the_31st_skips_shorter_months():
    rule = Rule.monthly(at(2026, 1, 31, 5, 30))
    assert rule.rrule == "FREQ=MONTHLY"
    assert days(rule.between(at(2026, 1, 1), at(2027, 1, 1))) == [
        "2026-01-31", "2026-03-31", "2026-05-31", "2026-07-31", "2026-08-31", "2026-10-31", "2026-12-31"]


def test_monthly_on_the_last_day():
    rule = Rule.monthly(at(2026, 1, 31, 5, 30), last_day=True)
    assert days(rule.next(at(2026, 1, 1), 5)) == ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31"]
    assert days(rule.between(at(2028, 2, 1), at(2028, 3, 1))) == ["2028-02-29"]
    assert all(t.hour == 5 and t.minute == 30 for t in rule.next(at(2026, 1, 1), 24))


def test_daily_across_the_year_end():
    rule = Rule.daily(at(2026, 12, 29, 5, 30))
    assert [t.isoformat() for t in rule.between(at(2026, 12, 30), at(2027, 1, 3))] == [
        "2026-12-30T05:30:00+07:00", "2026-12-31T05:30:00+07:00",
        "2027-01-01T05:30:00+07:00", "2027-01-02T05:30:00+07:00"]


def test_weekly_across_the_year_end():
    rule = Rule.weekly(at(2026, 12, 24, 18))  # a Thursday
    assert days(rule.next(at(2026, 12, 1), 4)) == ["2026-12-24", "2026-12-31", "2027-01-07", "2027-01-14"]


def test_every_second_week_across_the_year_end():
    rule = Rule.weekly(at(2026, 12, 17, 18), interval=2)
    assert rule.rrule == "FREQ=WEEKLY;INTERVAL=2"
    assert days(rule.between(at(2026, 12, 1), at(2027, 2, 1))) == ["2026-12-17", "2026-12-31", "2027-01-14", "2027-01-28"]


def test_yearly_from_29_february_only_in_leap_years():
    rule = Rule(at(2028, 2, 29, 6), "FREQ=YEARLY")
    rule.validate()
    assert days(rule.next(at(2028, 1, 1), 3)) == ["2028-02-29", "2032-02-29", "2036-02-29"]
    assert rule.between(at(2029, 1, 1), at(2032, 1, 1)) == []


def test_monthly_from_29_february_skips_february_of_common_years():
    rule = Rule.monthly(at(2028, 2, 29, 6))
    assert days(rule.between(at(2028, 1, 1), at(2028, 5, 1))) == ["2028-02-29", "2028-03-29", "2028-04-29"]
    assert days(rule.between(at(2028, 12, 1), at(2029, 4, 1))) == ["2028-12-29", "2029-01-29", "2029-03-29"]


# -- long ranges ------------------------------------------------------------------------------------

def test_daily_over_ten_years_is_counted_exactly():
    rule = Rule.daily(at(2026, 1, 1, 5, 30))
    starts = rule.between(at(2026, 1, 1), at(2036, 1, 1))
    assert len(starts) == 3652  # 2028 and 2032 are leap years
    assert starts[0] == at(2026, 1, 1, 5, 30) and starts[-1] == at(2035, 12, 31, 5, 30)
    assert len(set(starts)) == 3652


def test_a_far_window_of_a_rule_started_ten_years_ago():
    rule = Rule.daily(at(2016, 1, 1, 5, 30))
    assert [t.isoformat() for t in rule.between(at(2026, 3, 1), at(2026, 3, 3))] == [
        "2026-03-01T05:30:00+07:00", "2026-03-02T05:30:00+07:00"]
    assert days(rule.next(at(2040, 6, 30, 6), 1)) == ["2040-07-01"]


@pytest.mark.parametrize("body, tz", [
    ("FREQ=DAILY;INTERVAL=3", "Asia/Ho_Chi_Minh"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH", "Asia/Ho_Chi_Minh"),
    ("FREQ=WEEKLY;INTERVAL=3;WKST=SU;BYDAY=SU,SA", "Asia/Ho_Chi_Minh"),
    ("FREQ=HOURLY;INTERVAL=5;BYMINUTE=0,30", "Asia/Ho_Chi_Minh"),
    ("FREQ=DAILY;BYHOUR=5,17;BYSETPOS=-1", "Asia/Ho_Chi_Minh"),
    ("FREQ=MONTHLY;BYDAY=-1FR", "Asia/Ho_Chi_Minh"),
    ("FREQ=DAILY;INTERVAL=4", "Europe/Berlin"),
])
def test_far_windows_match_an_expansion_from_the_start(body, tz):
    """Expanding from the last whole period before the window gives what expanding from the start gives."""
    zone = ZoneInfo(tz)
    start = datetime(2016, 2, 10, 5, 30)
    rule = Rule(start.replace(tzinfo=zone), body, tz=tz)
    rule.validate()
    lo, hi = datetime(2026, 3, 1, 7), datetime(2026, 7, 3, 2)
    expected = rrulestr(body, dtstart=start).between(lo, hi, inc=True)
    got = rule.between(lo.replace(tzinfo=zone), hi.replace(tzinfo=zone))
    assert len(expected) > 3
    assert [t.replace(tzinfo=None) for t in got] == [t for t in expected if t < hi]


def test_each_call_returns_at_most_the_cap(monkeypatch):
    monkeypatch.setattr(rules, "MAX_OCCURRENCES", 10)
    rule = Rule.daily(at(2026, 1, 1, 5, 30))
    starts = rule.between(at(2026, 1, 1), at(2036, 1, 1))
    assert days(starts) == [f"2026-01-{d:02d}" for d in range(1, 11)]
    assert len(rule.next(at(2026, 1, 1), 1000)) == 10


# -- end, exceptions, weekdays ----------------------------------------------------------------------

def test_an_exception_date_removes_the_holiday():
    rule = Rule(at(2026, 8, 31, 5, 30), "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", exdates=(date(2026, 9, 2),))
    rule.validate()
    assert days(rule.between(at(2026, 8, 31), at(2026, 9, 7))) == [
        "2026-08-31", "2026-09-01", "2026-09-03", "2026-09-04"]


def test_until_is_inclusive():
    rule = Rule.daily(at(2026, 1, 1, 5, 30), until=at(2026, 1, 3, 5, 30))
    assert days(rule.between(at(2025, 1, 1), at(2027, 1, 1))) == ["2026-01-01", "2026-01-02", "2026-01-03"]
    rule = Rule.daily(at(2026, 1, 1, 5, 30), until=at(2026, 1, 3, 5, 29))
    assert days(rule.between(at(2025, 1, 1), at(2027, 1, 1))) == ["2026-01-01", "2026-01-02"]
    assert rule.next(at(2026, 1, 2, 6), 5) == []


def test_until_in_the_text_and_in_the_field_the_earlier_ends_the_rule():
    start = at(2026, 1, 1, 5, 30)
    in_text = Rule(start, "FREQ=DAILY;UNTIL=20260103", until=at(2026, 1, 10))  # a date: that whole local day
    assert days(in_text.between(at(2025, 1, 1), at(2027, 1, 1))) == ["2026-01-01", "2026-01-02", "2026-01-03"]
    in_field = Rule(start, "FREQ=DAILY;UNTIL=20260110T000000Z", until=at(2026, 1, 2, 23))
    assert days(in_field.between(at(2025, 1, 1), at(2027, 1, 1))) == ["2026-01-01", "2026-01-02"]
    utc_text = Rule(start, "FREQ=DAILY;UNTIL=20260102T223000Z")  # 05:30 on 3 January in Hanoi
    assert days(utc_text.between(at(2025, 1, 1), at(2027, 1, 1))) == ["2026-01-01", "2026-01-02", "2026-01-03"]


def test_count_and_until_field_whichever_comes_first():
    start = at(2026, 1, 1, 5, 30)
    assert len(Rule(start, "FREQ=DAILY;COUNT=5").between(at(2025, 1, 1), at(2027, 1, 1))) == 5
    rule = Rule(start, "FREQ=DAILY;COUNT=5", until=at(2026, 1, 3, 12))
    assert days(rule.between(at(2025, 1, 1), at(2027, 1, 1))) == ["2026-01-01", "2026-01-02", "2026-01-03"]
    assert days(Rule(start, "FREQ=DAILY;COUNT=5").next(at(2026, 1, 4), 10)) == ["2026-01-04", "2026-01-05"]


def test_weekdays():
    rule = Rule.weekdays(at(2026, 1, 3, 6), [4, 0, 2, 0])  # from a Saturday
    assert rule.rrule == "FREQ=WEEKLY;BYDAY=MO,WE,FR"
    assert days(rule.next(at(2026, 1, 1), 4)) == ["2026-01-05", "2026-01-07", "2026-01-09", "2026-01-12"]


def test_once():
    rule = Rule.once(at(2026, 11, 27, 5, 30))
    assert not rule.is_recurring and Rule.daily(at(2026, 11, 27)).is_recurring
    assert rule.between(at(2026, 11, 27), at(2026, 11, 28)) == [at(2026, 11, 27, 5, 30)]
    assert rule.between(at(2026, 11, 27, 5, 31), at(2027, 1, 1)) == []
    assert rule.between(at(2026, 11, 27), at(2026, 11, 27, 5, 30)) == []  # the end is excluded
    assert Rule(at(2026, 11, 27, 5, 30), " ") == rule


def test_next_is_strictly_after():
    rule = Rule.daily(at(2026, 1, 1, 5, 30))
    assert days(rule.next(at(2026, 1, 2, 5, 30), 2)) == ["2026-01-03", "2026-01-04"]
    assert days(rule.next(at(2026, 1, 2, 5, 29), 1)) == ["2026-01-02"]


# -- zones ------------------------------------------------------------------------------------------

def test_early_local_times_are_the_previous_utc_day():
    early = Rule.daily(at(2026, 3, 1, 0, 30))
    morning = Rule.daily(at(2026, 2, 1, 5, 30))
    lo, hi = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 2, tzinfo=UTC)
    assert [t.isoformat() for t in early.between(lo, hi)] == ["2026-03-02T00:30:00+07:00"]
    assert [t.isoformat() for t in morning.between(lo, hi)] == ["2026-03-02T05:30:00+07:00"]
    assert morning.between(lo, hi)[0].astimezone(UTC) == datetime(2026, 3, 1, 22, 30, tzinfo=UTC)


def test_a_start_given_in_utc_recurs_at_its_local_wall_clock():
    rule = Rule.daily(datetime(2026, 2, 28, 22, 30, tzinfo=UTC), tz="Asia/Ho_Chi_Minh")
    assert [t.isoformat() for t in rule.next(at(2026, 3, 1), 2)] == [
        "2026-03-01T05:30:00+07:00", "2026-03-02T05:30:00+07:00"]


def test_dst_zone_keeps_the_wall_clock():
    rule = Rule.daily(at(2026, 3, 20, 5, 30, tz=BERLIN))  # the zone comes from the start
    assert rule.tz == "Europe/Berlin"
    starts = rule.between(at(2026, 3, 28, tz=BERLIN), at(2026, 3, 31, tz=BERLIN))
    assert [t.isoformat() for t in starts] == [
        "2026-03-28T05:30:00+01:00", "2026-03-29T05:30:00+02:00", "2026-03-30T05:30:00+02:00"]
    assert [t.astimezone(UTC).hour for t in starts] == [4, 3, 3]


def test_a_time_in_the_dst_gap_airs_after_it():
    rule = Rule.daily(at(2026, 3, 27, 2, 30, tz=BERLIN))
    assert [t.isoformat() for t in rule.next(at(2026, 3, 28, tz=BERLIN), 3)] == [
        "2026-03-28T02:30:00+01:00", "2026-03-29T03:30:00+02:00", "2026-03-30T02:30:00+02:00"]


# -- storage and checks -----------------------------------------------------------------------------

def test_json_round_trip():
    rule = Rule.weekdays(at(2026, 3, 2, 5, 30, tz=BERLIN), [0, 3], until=datetime(2026, 12, 31, 22, tzinfo=UTC))
    rule = Rule(rule.start, rule.rrule, rule.until, (date(2026, 5, 1), date(2026, 4, 6)), rule.tz)
    data = json.loads(json.dumps(rule.as_json()))
    assert data == {"start": "2026-03-02T05:30:00+01:00", "rrule": "FREQ=WEEKLY;BYDAY=MO,TH",
                    "until": "2026-12-31T23:00:00+01:00", "exdates": ["2026-04-06", "2026-05-01"],
                    "tz": "Europe/Berlin"}
    back = Rule.from_json(data)
    assert back == rule
    assert back.start.tzinfo == BERLIN
    window = (at(2026, 3, 1), at(2026, 6, 1))
    assert back.between(*window) == rule.between(*window)
    once = Rule.once(at(2026, 11, 27, 5, 30))
    assert Rule.from_json(once.as_json()) == once


@pytest.mark.parametrize("rule, message", [
    (Rule(at(2026, 1, 1), "FREQ=FORTNIGHTLY"), "needs FREQ"),
    (Rule(at(2026, 1, 1), "RRULE:FREQ=DAILY"), "needs FREQ"),
    (Rule(at(2026, 1, 1), "DAILY"), "KEY=VALUE"),
    (Rule(at(2026, 1, 1), "FREQ=DAILY;BYDAY=XY"), "not a valid recurrence rule"),
    (Rule(at(2026, 1, 1), "FREQ=DAILY;COUNT=ten"), "not a valid recurrence rule"),
    (Rule(at(2026, 1, 1), "FREQ=DAILY;INTERVAL=0"), "at least 1"),
    (Rule(at(2026, 1, 1), "FREQ=MONTHLY;BYMONTHDAY=32"), "out of range"),
    (Rule(at(2026, 1, 1), "FREQ=HOURLY;BYHOUR=24"), "out of range"),
    (Rule(at(2026, 1, 1), "FREQ=YEARLY;BYMONTH=13"), "out of range"),
    (Rule(at(2026, 1, 1), "FREQ=DAILY;BYMINUTE=60"), "not a valid recurrence rule"),
    (Rule(at(2026, 1, 1), "FREQ=MINUTELY"), "every minute"),
    (Rule(at(2026, 1, 1), "FREQ=SECONDLY;INTERVAL=30"), "every minute"),
    (Rule(at(2026, 1, 1), "FREQ=DAILY;COUNT=3;UNTIL=20260110"), "not both"),
    (Rule(at(2026, 1, 1), "FREQ=DAILY;UNTIL=2026-01-10"), "UNTIL=2026-01-10"),
    (Rule(at(2026, 1, 2), "FREQ=DAILY;UNTIL=20260101"), "ends before it starts"),
    (Rule(at(2026, 1, 2), "FREQ=DAILY", until=at(2026, 1, 1)), "ends before it starts"),
    (Rule(at(2026, 1, 1), "FREQ=DAILY", until=datetime(2026, 2, 1)), "time zone"),
    (Rule(datetime(2026, 1, 1, 5, 30), "FREQ=DAILY"), "time zone"),
    (Rule(at(2026, 1, 1), "FREQ=DAILY", tz="Asia/Atlantis"), "Unknown time zone"),
    (Rule(at(2026, 1, 1), "FREQ=DAILY", exdates=(datetime(2026, 1, 2),)), "calendar days"),
    (Rule(at(2026, 1, 1, 5), exdates=(date(2026, 1, 1),)), "never airs"),
    (Rule(at(2026, 1, 1), "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"), "never airs"),
])
def test_validation_errors(rule, message):
    with pytest.raises(ValueError, match=message):
        rule.validate()


def test_constructors_validate():
    with pytest.raises(ValueError, match="day of the week"):
        Rule.weekdays(at(2026, 1, 1), [])
    with pytest.raises(ValueError, match="day of the week"):
        Rule.weekdays(at(2026, 1, 1), [7])
    with pytest.raises(ValueError, match="at least 1"):
        Rule.weekly(at(2026, 1, 1), interval=0)
    with pytest.raises(ValueError, match="ends before it starts"):
        Rule.daily(at(2026, 1, 2), until=at(2026, 1, 1))


def test_naive_window_bounds_are_refused():
    rule = Rule.daily(at(2026, 1, 1, 5, 30))
    with pytest.raises(ValueError, match="time zone"):
        rule.between(datetime(2026, 1, 1), at(2026, 1, 5))
    with pytest.raises(ValueError, match="time zone"):
        rule.between(at(2026, 1, 1), datetime(2026, 1, 5))


def test_a_start_with_microseconds_airs_at_its_whole_second():
    start = datetime(2026, 12, 1, 5, 30, 0, 654321, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    rule = Rule.once(start)
    assert rule.start == start.replace(microsecond=0)
    assert rule.next(start - timedelta(seconds=1)) == [start.replace(microsecond=0)]
