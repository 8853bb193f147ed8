"""Availability per commune and group, people served, "what to fix first" and its export."""

from __future__ import annotations

import csv
from datetime import datetime

import openpyxl
import pytest
from monhelpers import HOUR, T0, add, fleet, open_db

from console.monitor import availability as av
from console.monitor.rollup import run_write


def test_availability_per_unit_and_group_is_online_time_over_watched_time():
    fs = fleet()
    add(fs, "a", unit="U1", groups=("g1", "g2"))
    add(fs, "b", unit="U1", groups=("g1",))
    add(fs, "c", unit="U2")
    add(fs, "p", unit="U2", adopted=False)
    totals = {"a": (900.0, 1000.0), "b": (100.0, 1000.0), "p": (0.0, 1000.0)}
    by_unit = av.availability_by(totals, fs.devices.values(), "unit")
    assert [(r["key"], r["name"], r["devices"], r["availability"]) for r in by_unit] == [
        ("U1", "Xã U1", 2, 50.0), ("U2", "Xã U2", 1, None)]  # c was never watched
    by_group = av.availability_by(totals, fs.devices.values(), "group")
    assert [(r["key"], r["availability"]) for r in by_group] == [("g1", 50.0), ("g2", 90.0)]
    named = av.availability_by(totals, fs.devices.values(), "group", {"g1": "Thôn Một"})
    assert [r["name"] for r in named] == ["Thôn Một", "g2"]  # a group the registry does not know: its id
    with pytest.raises(ValueError):
        av.availability_by(totals, [], "province")


def test_people_served_by_device_else_shared_by_the_unit_else_the_default():
    fs = fleet()
    for dev, unit in (("a", "U1"), ("b", "U1"), ("c", "U1"), ("d", "U2")):
        add(fs, dev, unit=unit)
    served = av.people_served(fs.devices.values(), {("unit", "U1"): 6000, ("device", "c"): 500}, default=1000)
    assert served == {"a": 3000, "b": 3000, "c": 500, "d": 1000}


def down_fleet():
    fs = fleet()
    add(fs, "a", state="offline", unit="U1", since=T0 - 2 * HOUR)
    add(fs, "b", state="offline", unit="U1", since=T0 - 10 * HOUR).offline_reason = "lost"
    add(fs, "c", state="offline", unit="U2", since=T0 - 8 * HOUR)
    add(fs, "ok", state="online", unit="U2")
    add(fs, "stray", state="offline", unit="U2", adopted=False, since=T0 - 100 * HOUR)
    return fs


def test_fix_first_orders_communes_and_devices_by_people_times_hours_down():
    served = {"a": 3000, "b": 500, "c": 1000}
    groups = av.fix_first(down_fleet().devices.values(), served, T0, {"b": ["offline", "fault.power"]})
    assert [(g["unit"], g["impact"], g["people"]) for g in groups] == [("U1", 11_000, 3500), ("U2", 8000, 1000)]
    assert [(r["device"], r["impact"], r["down_h"]) for r in groups[0]["devices"]] == [("a", 6000, 2), ("b", 5000, 10)]
    b = groups[0]["devices"][1]
    assert (b["reason"], b["alarms"], b["down_since"], b["unit_name"]) == ("lost", ["offline", "fault.power"],
                                                                           T0 - 10 * HOUR, "Xã U1")


def test_fix_first_exports_to_csv_and_xlsx(tmp_path):
    groups = av.fix_first(down_fleet().devices.values(), {"a": 3000, "b": 500, "c": 1000}, T0)
    rows = av.fix_first_rows(groups, "Asia/Ho_Chi_Minh")
    assert [r["rank"] for r in rows] == [1, 2, 3]
    assert rows[0]["down_since"] == datetime(2026, 1, 1, 5, 0)  # T0 - 2 h, in Vietnam (UTC+7)

    path = av.export_rows(rows, tmp_path / "fix.csv", translate=lambda s: s.upper())
    with path.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    assert table[0][:4] == ["RANK", "COMMUNE", "COMMUNE CODE", "DEVICE"]
    assert table[1][:8] == ["1", "Xã U1", "U1", "a", "Loa a", "2026-01-01 05:00:00", "2.0", "3000"]
    assert [r[3] for r in table[1:]] == ["a", "b", "c"]

    path = av.export_rows(rows, tmp_path / "fix.xlsx")
    ws = openpyxl.load_workbook(path).active
    values = list(ws.values)
    assert values[0][0] == "Rank" and values[0][8] == "Impact (people x hours)"
    assert values[1][:9] == (1, "Xã U1", "U1", "a", "Loa a", datetime(2026, 1, 1, 5, 0), 2.0, 3000, 6000)
    assert [v[3] for v in values[1:]] == ["a", "b", "c"]
    with pytest.raises(ValueError):
        av.export_rows(rows, tmp_path / "fix.pdf")


def test_people_served_are_stored_per_device_and_unit(db_url):
    db = open_db(db_url, ["a"])
    try:
        run_write(db, None, lambda s: av.set_people(s, "unit", "U1", 4000))
        run_write(db, None, lambda s: av.set_people(s, "device", "a", 250))
        run_write(db, None, lambda s: av.set_people(s, "unit", "U1", 5000))
        with db.sessions() as s:
            assert av.people_overrides(s) == {("unit", "U1"): 5000, ("device", "a"): 250}
        run_write(db, None, lambda s: av.set_people(s, "device", "a", None))
        with db.sessions() as s:
            assert av.people_overrides(s) == {("unit", "U1"): 5000}
        with pytest.raises(ValueError):
            run_write(db, None, lambda s: av.set_people(s, "province", "52", 1))
        with pytest.raises(ValueError):
            run_write(db, None, lambda s: av.set_people(s, "unit", "U1", -5))
    finally:
        db.close()
