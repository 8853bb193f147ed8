"""Compilation: programme layout, item ids, the sched document and its hash, implicit group names."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from console.schedule import compile as comp
from console.schedule.compile import MediaRef
from console.schedule.model import Part

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TZ = "Asia/Ho_Chi_Minh"
START = datetime(2026, 11, 27, 5, 30, tzinfo=VN)
NEWS = MediaRef("a" * 64, "http://console:8080/media/" + "a" * 64 + ".mp3", 2_400_000, "mp3", 300_000)
MUSIC = MediaRef("b" * 64, "http://console:8080/media/" + "b" * 64 + ".mp3", 960_000, "mp3", 120_000)
MEDIA = {5: NEWS, 6: MUSIC}
PROGRAMME = [Part("media", 300_000, item_id=5), Part("gap", 60_000),
             Part("stream", 600_000, url="http://radio.example/vov1"), Part("media", 120_000, item_id=6)]


def test_layout_with_gaps():
    assert [offset for offset, _ in comp.layout(PROGRAMME)] == [0, 300_000, 360_000, 960_000]
    assert [part for _, part in comp.layout(PROGRAMME)] == PROGRAMME
    assert comp.programme_ms(PROGRAMME) == 1_080_000
    assert comp.layout([]) == [] and comp.programme_ms([]) == 0


def test_occurrence_items():
    items = comp.occurrence_items(12, START, PROGRAMME, "normal", MEDIA, vol=80)
    assert items == [
        {"id": "s12.20261127T053000.0", "start": "2026-11-27T05:30:00+07:00", "dur_ms": 300_000, "prio": "normal",
         "kind": "media", "media": {"sha256": "a" * 64, "url": NEWS.url, "bytes": 2_400_000, "codec": "mp3"},
         "vol": 80},
        {"id": "s12.20261127T053000.2", "start": "2026-11-27T05:36:00+07:00", "dur_ms": 600_000, "prio": "normal",
         "kind": "stream", "stream": {"url": "http://radio.example/vov1"}, "vol": 80},
        {"id": "s12.20261127T053000.3", "start": "2026-11-27T05:46:00+07:00", "dur_ms": 120_000, "prio": "normal",
         "kind": "media", "media": {"sha256": "b" * 64, "url": MUSIC.url, "bytes": 960_000, "codec": "mp3"},
         "vol": 80},
    ]


def test_media_lasts_what_its_file_lasts_and_vol_is_optional():
    parts = [Part("media", 0, item_id=5), Part("media", 0, item_id=6)]  # durations not filled in
    items = comp.occurrence_items(3, START, parts, "priority", MEDIA)
    assert [(it["start"], it["dur_ms"]) for it in items] == [
        ("2026-11-27T05:30:00+07:00", 300_000), ("2026-11-27T05:35:00+07:00", 120_000)]
    assert all("vol" not in it and it["prio"] == "priority" for it in items)


def test_items_across_midnight_keep_the_id_of_the_occurrence_start():
    late = datetime(2026, 12, 31, 23, 58, tzinfo=VN)
    items = comp.occurrence_items(7, late, PROGRAMME, "normal", MEDIA)
    assert [it["id"] for it in items] == ["s7.20261231T235800.0", "s7.20261231T235800.2", "s7.20261231T235800.3"]
    assert items[1]["start"] == "2027-01-01T00:04:00+07:00"


def test_ids_are_stable():
    assert comp.item_id(12, START, 0) == "s12.20261127T053000.0"
    first = comp.occurrence_items(12, START, PROGRAMME, "normal", MEDIA)
    again = comp.occurrence_items(12, START, list(PROGRAMME), "normal", dict(MEDIA))
    assert [it["id"] for it in first] == [it["id"] for it in again]
    # A new signed URL (republishing) changes the document but not the ids.
    renewed = {k: MediaRef(m.sha256, m.url + "?exp=1", m.bytes, m.codec, m.dur_ms) for k, m in MEDIA.items()}
    assert [it["id"] for it in comp.occurrence_items(12, START, PROGRAMME, "normal", renewed)] == [it["id"] for it in first]


def _items():
    return (comp.occurrence_items(12, START, PROGRAMME, "normal", MEDIA, 80)
            + comp.occurrence_items(4, START - timedelta(hours=1), PROGRAMME[:1], "priority", MEDIA))


def test_hash_ignores_rev_and_window():
    items = _items()
    one = comp.sched_document(items, START.replace(hour=0, minute=0), START + timedelta(days=7), TZ, 1)
    two = comp.sched_document(items, START.replace(hour=0, minute=0) + timedelta(days=1), START + timedelta(days=8), TZ, 2)
    assert one["hash"] == two["hash"] == comp.items_hash(TZ, items) == comp.items_hash(TZ, list(reversed(items)))
    canonical = json.dumps({"tz": TZ, "items": one["items"]}, sort_keys=True, separators=(",", ":"))
    assert one["hash"] == hashlib.sha256(canonical.encode()).hexdigest()


def test_hash_changes_when_an_item_or_the_zone_changes():
    items = _items()
    base = comp.items_hash(TZ, items)
    changed = [dict(it) for it in items]
    changed[1]["vol"] = 70
    assert comp.items_hash(TZ, changed) != base
    assert comp.items_hash(TZ, items[:-1]) != base
    assert comp.items_hash("Asia/Bangkok", items) != base
    assert comp.items_hash(TZ, []) != base


def test_sched_document():
    items = _items()
    doc = comp.sched_document(list(reversed(items)), datetime(2026, 11, 26, tzinfo=VN),
                              datetime(2026, 12, 3, tzinfo=VN), TZ, 7)
    assert list(doc) == ["v", "rev", "hash", "tz", "from", "to", "items"]
    assert (doc["v"], doc["rev"], doc["tz"]) == (1, 7, TZ)
    assert (doc["from"], doc["to"]) == ("2026-11-26T00:00:00+07:00", "2026-12-03T00:00:00+07:00")
    assert [it["id"] for it in doc["items"]] == [
        "s4.20261127T043000.0", "s12.20261127T053000.0", "s12.20261127T053000.2", "s12.20261127T053000.3"]
    json.dumps(doc)


def test_items_with_the_same_start_are_ordered_by_id():
    a = comp.occurrence_items(2, START, PROGRAMME[:1], "normal", MEDIA)
    b = comp.occurrence_items(1, START, PROGRAMME[:1], "normal", MEDIA)
    doc = comp.sched_document(a + b, START, START + timedelta(days=1), TZ, 1)
    assert [it["id"] for it in doc["items"]] == ["s1.20261127T053000.0", "s2.20261127T053000.0"]


def test_group_names():
    assert comp.unit_group("79") == "u-79"
    assert comp.unit_group("26734") == "u-26734"
    assert comp.device_group("tt-0001") == "d-tt-0001"
    assert comp.device_group("x" * 62) == "d-" + "x" * 62
    long_id = "y" * 63
    assert comp.device_group(long_id) == "d-" + hashlib.sha1(long_id.encode()).hexdigest()[:16]
    assert len(comp.device_group(long_id)) == 18
    assert comp.device_group("z" * 200) != comp.device_group("z" * 201)


@pytest.mark.parametrize("make, ident", [
    (comp.unit_group, ""), (comp.unit_group, "79/1"), (comp.unit_group, "7 9"), (comp.unit_group, "x" * 63),
    (comp.device_group, ""), (comp.device_group, "dev+1"), (comp.device_group, "dev#"), (comp.device_group, "a$b"),
    (comp.device_group, "tab\there"),
])
def test_group_names_follow_the_protocol(make, ident):
    with pytest.raises(ValueError):
        make(ident)
