"""Same-priority overlaps between schedules on shared devices (docs/scheduling.md).

Two occurrences conflict when they belong to different schedules, have the same priority, their
[start, end) intervals overlap (touching ends do not) and their device sets intersect. A higher
priority simply preempts a lower one on the device, so that is not a conflict.
"""

from __future__ import annotations

from collections.abc import Iterable

from console.schedule.model import Conflict, Occurrence


def find_conflicts(occurrences: Iterable[Occurrence], among: set[int] | None = None) -> list[Conflict]:
    """Every conflicting pair, ``a`` starting no later than ``b``, ordered by the start of the overlap.

    With ``among``, only pairs where at least one side's schedule is in it (a draft checked against the
    rest). A sweep over the occurrences of each priority sorted by start compares each one with those
    still running when it starts, so the cost grows with how many overlap, not with the square of all.
    """
    by_prio: dict[str, list[Occurrence]] = {}
    for o in occurrences:
        if o.end > o.start and o.devices:
            by_prio.setdefault(o.prio, []).append(o)
    out: list[Conflict] = []
    for occs in by_prio.values():
        occs.sort(key=lambda o: (o.start, o.end, o.schedule_id))
        running: list[Occurrence] = []
        for b in occs:
            running = [a for a in running if a.end > b.start]
            for a in running:
                if a.schedule_id == b.schedule_id or (
                        among is not None and a.schedule_id not in among and b.schedule_id not in among):
                    continue
                shared = a.devices & b.devices
                if shared:
                    out.append(Conflict(a, b, tuple(sorted(shared)), b.start, min(a.end, b.end)))
            running.append(b)
    out.sort(key=lambda c: (c.start, c.end, c.a.schedule_id, c.b.schedule_id))
    return out
