"""Conflicts: same-priority overlaps on shared devices, the ``among`` filter, many occurrences."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from console.schedule.conflicts import find_conflicts
from console.schedule.model import Occurrence

VN = ZoneInfo("Asia/Ho_Chi_Minh")
T0 = datetime(2026, 11, 27, 5, 0, tzinfo=VN)


def occ(schedule: int, start_min: int, end_min: int, devices: str = "a b", prio: str = "normal") -> Occurrence:
    return Occurrence(schedule, f"programme {schedule}", T0 + timedelta(minutes=start_min),
                      T0 + timedelta(minutes=end_min), prio, frozenset(devices.split()))


def test_overlap_on_shared_devices():
    a, b = occ(1, 0, 30, "d3 d1 d2"), occ(2, 20, 50, "d2 d4 d1")
    [c] = find_conflicts([b, a])
    assert (c.a, c.b) == (a, b)
    assert c.devices == ("d1", "d2")
    assert (c.start, c.end) == (T0 + timedelta(minutes=20), T0 + timedelta(minutes=30))
    assert c.as_json()["devices"] == ["d1", "d2"]


def test_one_inside_the_other():
    a, b = occ(1, 0, 60), occ(2, 10, 20)
    [c] = find_conflicts([a, b])
    assert (c.start, c.end) == (T0 + timedelta(minutes=10), T0 + timedelta(minutes=20))


def test_no_overlap_and_touching_ends():
    assert find_conflicts([occ(1, 0, 30), occ(2, 40, 50)]) == []
    assert find_conflicts([occ(1, 0, 30), occ(2, 30, 50)]) == []
    assert find_conflicts([occ(1, 30, 50), occ(2, 0, 30)]) == []


def test_different_priorities_do_not_conflict():
    assert find_conflicts([occ(1, 0, 30, prio="normal"), occ(2, 10, 20, prio="priority")]) == []
    assert len(find_conflicts([occ(1, 0, 30, prio="priority"), occ(2, 10, 20, prio="priority")])) == 1


def test_disjoint_devices_do_not_conflict():
    assert find_conflicts([occ(1, 0, 30, "a b"), occ(2, 10, 20, "c d")]) == []
    assert find_conflicts([occ(1, 0, 30, ""), occ(2, 10, 20, "a")]) == []


def test_parts_of_the_same_schedule_do_not_conflict():
    assert find_conflicts([occ(1, 0, 30), occ(1, 10, 40)]) == []


def test_among_restricts_to_pairs_with_a_listed_schedule():
    draft, x, y = occ(9, 0, 30), occ(1, 10, 20), occ(2, 15, 25)
    every = find_conflicts([draft, x, y])
    assert {(c.a.schedule_id, c.b.schedule_id) for c in every} == {(9, 1), (9, 2), (1, 2)}
    only = find_conflicts([draft, x, y], among={9})
    assert {(c.a.schedule_id, c.b.schedule_id) for c in only} == {(9, 1), (9, 2)}
    assert find_conflicts([draft, x, y], among={5}) == []


def test_many_back_to_back_occurrences():
    """10,000 back-to-back occurrences of alternating schedules touch but never overlap; one more that
    spans the end of slot 5,000 overlaps two of them."""
    occs = [occ(i % 2, 10 * i, 10 * i + 10) for i in range(10_000)]
    assert find_conflicts(occs) == []
    extra = occ(7, 50_005, 50_015, "b c")
    found = find_conflicts(occs + [extra])
    assert [(c.a.schedule_id, c.b.schedule_id, c.devices) for c in found] == [(0, 7, ("b",)), (7, 1, ("b",))]
    assert [(c.start, c.end) for c in found] == [
        (T0 + timedelta(minutes=50_005), T0 + timedelta(minutes=50_010)),
        (T0 + timedelta(minutes=50_010), T0 + timedelta(minutes=50_015))]


def test_sweep_agrees_with_comparing_every_pair():
    rng = random.Random(4)
    occs = []
    for _ in range(400):
        start = rng.randrange(0, 2000)
        occs.append(occ(rng.randrange(20), start, start + rng.randrange(0, 60),
                        " ".join(rng.sample("abcdefgh", rng.randrange(0, 4))), rng.choice(["normal", "priority"])))
    among = {3, 4}
    expected = set()
    for i, a in enumerate(occs):
        for b in occs[i + 1:]:
            if (a.schedule_id != b.schedule_id and a.prio == b.prio and max(a.start, b.start) < min(a.end, b.end)
                    and a.devices & b.devices and (a.schedule_id in among or b.schedule_id in among)):
                expected.add(frozenset([(a, tuple(sorted(a.devices))), (b, tuple(sorted(b.devices)))]))
    found = find_conflicts(occs, among=among)
    assert len(expected) > 20
    assert {frozenset([(c.a, tuple(sorted(c.a.devices))), (c.b, tuple(sorted(c.b.devices)))]) for c in found} == expected
    assert len(found) == len(expected)
    assert all(c.a.start <= c.b.start and c.devices == tuple(sorted(c.a.devices & c.b.devices)) for c in found)
