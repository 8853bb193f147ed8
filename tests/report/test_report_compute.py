"""The report's numbers: they match the source records (worked out by hand in reportdata.py), rows add
up to their totals, and the provincial collector, holding what the station sent, gives the same."""

from __future__ import annotations

import pytest
import reportdata as rd
from reportdata import EXPECTED

from console.report import compute, parse_period, province_facts, station_facts
from console.report.compute import Airtime, presence_totals
from console.report.facts import DeviceFact, Facts, ReceiptFact

NOVEMBER = parse_period("2026-11")


def station_report(db, period=NOVEMBER, now=rd.NOW):
    return compute(station_facts(db, period, rd.STATION, tz=rd.TZ, now=now))


def rows_by_key(report, section):
    return {r["key"]: r for r in report.section(section).rows}


def test_the_totals_match_the_source_records(station_db):
    report = station_report(station_db)
    assert report.over and report.stations == {rd.STATION: rd.STATION}
    e = EXPECTED
    hours = report.section("hours_station").total
    assert (hours["hours"], hours["parts"], hours["device_hours"], hours["devices"]) == (
        e["hours"], e["parts"], e["device_hours"], 3)
    communes = rows_by_key(report, "hours_commune")
    assert {u: r["hours"] for u, r in communes.items()} == e["hours_by_unit"]
    assert (communes[rd.UNIT_A]["unit_name"], communes[rd.UNIT_A]["devices"]) == (rd.NAME_A, 2)
    assert report.section("hours_commune").total["hours"] == e["hours"]  # the whole station, each part once
    categories = rows_by_key(report, "hours_category")
    assert {k: categories[k]["hours"] for k in e["categories"]} == e["categories"]
    assert categories["news"]["share"] == 23.8  # 30 of 126 minutes
    priorities = rows_by_key(report, "priority")
    assert {k: (r["parts"], r["hours"]) for k, r in priorities.items()} == e["priorities"]

    receipts = report.section("receipts")
    assert {k: receipts.total[k] for k in e["receipts"]} == e["receipts"]
    assert {u: (r["played"], r["partial"], r["missed"], r["failed"]) for u, r in rows_by_key(
        report, "receipts").items()} == e["receipts_by_unit"]

    [emergency] = report.section("emergency").rows
    assert {k: emergency[k] for k in e["emergency"]} == e["emergency"]
    assert emergency["start"] == rd.at(2026, 11, 10, 8)

    assert {u: r["availability"] for u, r in rows_by_key(report, "availability_commune").items()} == \
        e["availability_by_unit"]
    assert report.section("availability_commune").total["availability"] == e["availability"]
    assert report.section("availability_commune").total["observed_h"] == 720 + 720 + 360
    assert {g: r["availability"] for g, r in rows_by_key(report, "availability_group").items()} == \
        e["availability_by_group"]

    faults = rows_by_key(report, "faults")
    assert {k: (r["raised"], r["repaired"], r["open"]) for k, r in faults.items()} == e["faults"]
    assert faults["offline"]["mttr_h"] == 23.8 and faults["fault.amp"]["max_h"] == 4.0
    assert faults["fault.power"]["mttr_h"] is None  # repaired only after the period
    assert report.section("faults").total["mttr_h"] == e["mttr_h"]

    bulletins = rows_by_key(report, "bulletins")
    assert {k: (r["issued"], r["played"], r["scheduled"], r["pending"], r["rejected"])
            for k, r in bulletins.items()} == e["bulletins"]

    summary = {r["key"]: r["value"] for r in report.section("summary").rows}
    assert (summary["hours"], summary["receipts"], summary["availability"], summary["faults"], summary["emergencies"],
            summary["bulletins"]) == (e["hours"], 12, e["availability"], 4, 1, 5)


def test_rows_add_up_to_their_totals(station_db):
    report = station_report(station_db)
    additive = {"hours_station": ("devices", "parts", "hours", "device_hours"),
                "hours_category": ("parts", "hours"), "priority": ("parts", "hours", "receipts", "played"),
                "bulletins": ("issued", "played", "scheduled", "pending", "rejected"),
                "emergency": ("targeted", "reached"), "availability_commune": ("devices", "online_h", "observed_h"),
                "faults": ("raised", "repaired", "open"),
                "receipts": ("played", "partial", "missed", "failed", "receipts")}
    for key, columns in additive.items():
        section = report.section(key)
        for column in columns:
            assert sum(r[column] for r in section.rows) == pytest.approx(section.total[column]), (key, column)


def test_the_collector_gives_the_same_numbers(station_db, collector_db):
    """Station and province read different tables; once the province holds the station's outbox,
    every figure is the same. Only the province's station dimension differs."""
    ours = station_report(station_db).as_json()["sections"]
    theirs = compute(province_facts(collector_db, NOVEMBER, tz=rd.TZ, now=rd.NOW)).as_json()["sections"]

    def strip(sections):
        province_only = ("station", "undelivered")  # the station column, bulletins never received

        def keep(row):
            return None if row is None else {k: v for k, v in row.items() if k not in province_only}
        out = {}
        for key, s in sections.items():
            rows = [keep(r) for r in s["rows"] if r["key"] != "stations"]
            if key == "availability_group":  # the province names groups station/group
                rows = [{**r, "key": r["key"].split("/")[-1], "group": r["group"].split(" / ")[-1]} for r in rows]
            out[key] = {"rows": rows, "total": keep(s["total"])}
        return out

    assert strip(theirs) == strip(ours)
    assert theirs["hours_station"]["rows"][0]["station"] == "Đài Quy Nhơn (52-quynhon)"
    assert theirs["bulletins"]["total"]["undelivered"] == 0


def test_the_collector_report_covers_several_stations(station_db, collector_db):
    rd.ship(station_db, collector_db, station="53-other")  # a second station with the same month
    both = compute(province_facts(collector_db, NOVEMBER, tz=rd.TZ, now=rd.NOW))
    one = compute(province_facts(collector_db, NOVEMBER, tz=rd.TZ, now=rd.NOW, stations=["53-other"]))
    assert [r["key"] for r in both.section("hours_station").rows] == ["52-quynhon", "53-other"]
    assert both.section("hours_station").total["hours"] == 2 * EXPECTED["hours"]
    assert both.section("receipts").total["receipts"] == 24
    assert one.section("hours_station").total["hours"] == EXPECTED["hours"]
    assert [r["key"] for r in both.section("emergency").rows] == ["E20261110T080000-abc123"] * 2
    with pytest.raises(LookupError, match="nobody"):
        province_facts(collector_db, NOVEMBER, tz=rd.TZ, stations=["nobody"])


def test_a_period_in_progress_counts_up_to_now(station_db):
    now = rd.at(2026, 11, 21)  # D3 first heard on the 16th: 5 days online of 5 watched
    report = station_report(station_db, now=now)
    assert not report.over
    availability = rows_by_key(report, "availability_commune")
    assert availability[rd.UNIT_B]["observed_h"] == 5 * 24 and availability[rd.UNIT_B]["availability"] == 100.0
    assert report.section("availability_commune").total["observed_h"] == 20 * 24 * 2 + 5 * 24


def test_nothing_in_a_quiet_period(station_db):
    report = station_report(station_db, period=parse_period("2025-Q1"))
    assert report.section("hours_station").total["hours"] == 0 and report.section("emergency").rows == []
    assert report.section("receipts").total["played_pct"] is None
    assert report.section("availability_commune").total["availability"] is None  # nothing known then


def test_presence_before_anything_is_known_is_not_watched():
    start, end = rd.at(2026, 11, 1), rd.at(2026, 12, 1)
    facts = Facts("station", NOVEMBER, rd.TZ, start, end, end + 1, {"s": "s"},
                  presence_before={("s", "a"): False},
                  presence={("s", "a"): [(rd.at(2026, 11, 2), True)], ("s", "b"): [(rd.at(2026, 11, 30), True)]})
    totals = presence_totals(facts)
    assert totals[("s", "a")] == (29 * 86400, 30 * 86400)
    assert totals[("s", "b")] == (86400, 86400)


def test_receipts_are_tallied_once_per_part():
    facts = Facts("station", NOVEMBER, rd.TZ, 0, 1, 1, {"s": "s"}, devices=[DeviceFact("s", "a", unit_code="1")])
    receipts = [ReceiptFact("s", "s9.20261102T060000.0", dev, 9, 0, 60_000, "played", 60_000) for dev in "ab"]
    airtime = Airtime.of(facts, reversed(receipts + [ReceiptFact("s", "x", "a", None, 0, 1, "missed", 0)]))
    assert (airtime.aired, airtime.total_ms, airtime.receipts, airtime.cat_parts["other"]) == (1, 60_000, 3, 1)
    with pytest.raises(ValueError, match="grouped"):
        Airtime(facts).feed([receipts[0], ReceiptFact("s", "x", "a", None, 0, 1, "missed", 0), receipts[1]])
