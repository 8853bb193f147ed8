"""Demo schedules and as-run records for screenshots of the demo station (``timeline``, ``asrun``).

A station without schedules gets a few, made the way an operator would: generated recordings are
imported into its library and approved, and schedules are added for its groups through the
scheduler service (one left awaiting approval, overlapping an approved one, to show a conflict).
As-run records come from device events written as the clusters would have reported the last two
days' airings, turned into receipts (and "missed" for the silent ones) by the as-run service.
"""

from __future__ import annotations

import random
import time as clock
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from pathlib import Path

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from console.audio.library import Library
from console.core.hierarchy import fold
from console.schedule import compile as comp
from console.schedule.asrun import AsRun
from console.schedule.model import Part, Targets
from console.schedule.rules import Rule
from console.schedule.service import ALL_GROUP, Scheduler, ScheduleSpec
from console.store import repo
from console.ui.library.demo import APPROVER, _signal, _write_wav

# name -> (title, kind, seconds) of the recordings the demo schedules play
AUDIO = {
    "news": ("Bản tin thời sự sáng", "speech", 272),
    "chime": ("Nhạc hiệu đầu chương trình", "chime", 12),
    "law": ("Tuyên truyền Luật Đất đai 2024", "speech", 356),
    "music": ("Chương trình ca nhạc quê hương", "music", 412),
    "storm": ("Cảnh báo bão số 9: sơ tán dân ven biển", "speech", 95),
    "vaccine": ("Thông báo lịch tiêm chủng mở rộng", "speech", 78),
}
STREAM = "https://stream.example.vn/vov1"
LOAD_TIMEOUT_S = 30
READY_TIMEOUT_S = 60  # the audio is rendered, published, then downloaded by the simulated clusters
# Outcomes the demo clusters report, with their weights; nothing reported becomes "missed".
OUTCOMES = (("played", 88), ("partial", 4), ("failed", 3), (None, 5))


def _admin(station) -> tuple[Library, Scheduler]:
    library = Library(station.db, station.library.store, APPROVER, "admin")
    dispatcher = station.dispatcher
    return library, Scheduler(station.db, library, APPROVER, "admin", writer=station.writer,
                              tz=station.scheduler.tz, on_change=dispatcher.request if dispatcher else None)


def _import(library: Library, folder: Path) -> dict[str, Part]:
    folder.mkdir(parents=True, exist_ok=True)
    files = [_write_wav(folder / f"{fold(title).replace(' ', '-').replace(':', '')}.wav", _signal(kind, secs, i))
             for i, (title, kind, secs) in enumerate(AUDIO.values())]
    parts = {}
    for name, result in zip(AUDIO, library.import_files(files)):
        if not result.ok:
            raise RuntimeError(f"the demo schedules could not import their audio: {result.error}")
        library.update_metadata(result.id, title=AUDIO[name][0])
        library.submit(result.id)
        library.approve(result.id)
        parts[name] = Part("media", item_id=result.id)
    return parts


def seed_schedules(station, folder: Path) -> None:
    """A morning news and a relay for everyone, a law programme and music for some communes, a storm
    warning in twenty minutes, and a vaccination notice awaiting approval that overlaps the law."""
    library, sched = _admin(station)
    parts = _import(library, folder)
    now = sched.now()
    today = now.date()
    zone = now.tzinfo
    communes = [g["id"] for g in sched.groups() if g["id"].startswith("c-") and g["devices"]]
    everyone = (ALL_GROUP,)

    def at(days: int, hh: int, mm: int) -> datetime:
        return datetime.combine(today + timedelta(days=days), time(hh, mm), zone)

    soon = (now + timedelta(minutes=20)).replace(second=0, microsecond=0)
    soon -= timedelta(minutes=soon.minute % 5)
    weekdays = range(5) if today.weekday() < 5 else range(7)
    approved = [  # the first is rendered and downloaded first: the one airing soon
        ("Cảnh báo bão số 9", Rule.once(soon), tuple(communes[:4]), (parts["storm"], Part("gap", dur_ms=30_000),
                                                                     parts["storm"]), "priority"),
        ("Bản tin thời sự sáng", Rule.daily(at(-3, 5, 30)), everyone, (parts["chime"], parts["news"]), "normal"),
        ("Tiếp sóng Đài Tiếng nói Việt Nam", Rule.daily(at(-3, 6, 0)), everyone,
         (Part("stream", dur_ms=30 * 60_000, url=STREAM),), "normal"),
        ("Tuyên truyền Luật Đất đai 2024", Rule.weekdays(at(-3, 17, 0), weekdays), tuple(communes[:6]),
         (parts["chime"], parts["law"]), "normal"),
        ("Ca nhạc quê hương", Rule.daily(at(-1, 19, 0)), tuple(communes[4:12]), (parts["music"],), "normal"),
    ]
    for title, rule, groups, programme, prio in approved:
        sched.add(ScheduleSpec(title=title, rule=rule, targets=Targets(groups=groups), programme=programme,
                               priority=prio))
    notice = sched.save(ScheduleSpec(title="Thông báo lịch tiêm chủng", rule=Rule.once(at(0, 17, 5)),
                                     targets=Targets(groups=tuple(communes[2:3])), programme=(parts["vaccine"],)))
    sched.submit(notice.id)


def seed_receipts(station, seed: int = 7) -> int:
    """Device events for the parts that aired in the last two days, then the as-run service's
    receipts from them; returns how many receipts there are."""
    _library, sched = _admin(station)
    now = sched.now()
    rng = random.Random(seed)
    statuses, weights = zip(*OUTCOMES)
    events, seq = [], 2_000_000_000
    specs: dict[int, ScheduleSpec] = {}
    for o in sched.occurrences(now - timedelta(days=2) + timedelta(hours=1), now - timedelta(minutes=1)):
        spec = specs.setdefault(o.schedule_id, sched.get(o.schedule_id))
        for index, (offset, part) in enumerate(comp.layout(spec.programme)):
            start_ms = int(o.start.timestamp() * 1000) + offset
            if part.kind == "gap" or start_ms + part.dur_ms > now.timestamp() * 1000:
                continue
            item = comp.item_id(o.schedule_id, o.start, index)
            for dev in sorted(o.devices):
                status = rng.choices(statuses, weights)[0]
                if status is None:
                    continue
                seq += 1
                data = {"item": item, "prio": o.prio}
                if status == "played":
                    kind, data = "play.finished", data | {"reason": "finished", "played_ms": part.dur_ms}
                elif status == "partial":
                    kind, data = "play.preempted", data | {"by": "live", "played_ms": rng.randrange(part.dur_ms)}
                else:
                    kind, data = "play.failed", data | {"reason": rng.choice(("media not ready", "http 404"))}
                events.append({"device_id": dev, "seq": seq, "ts": start_ms + part.dur_ms, "type": kind, "data": data})
    station.writer.call(lambda s: repo.add_events(s, events)).result(60)
    AsRun(sched).step()
    return len(station.asrun.receipts())


def seed(station, folder: Path) -> None:
    """Schedules and as-run records, unless the station has some already."""
    if not station.scheduler.list():
        seed_schedules(station, folder)
    if not station.asrun.receipts(limit=1):
        seed_receipts(station)


def _wait_ready(scheduler: Scheduler) -> None:
    """Until the audio of every airing of the next two hours is on some of its clusters (or a timeout)."""
    now = scheduler.now()
    deadline = clock.monotonic() + READY_TIMEOUT_S
    while clock.monotonic() < deadline:
        if all(u["ready"] for u in scheduler.upcoming(now, now + timedelta(hours=2))):
            return
        QTest.qWait(250)


@contextmanager
def demo_view(view: str, station) -> Iterator[QWidget]:
    """The ``timeline`` or ``asrun`` view of the demo station, seeded and loaded."""
    from console.ui.schedule.asrun_view import AsRunView
    from console.ui.schedule.timeline import TimelineView

    seed(station, station.settings.data_path / "demo-audio")
    if view == "timeline":
        _wait_ready(station.scheduler)
        widget = TimelineView(station.scheduler, station.library)
    else:
        widget = AsRunView(station.asrun, station.scheduler)
        widget.table.setFocus()
    try:
        deadline = clock.monotonic() + LOAD_TIMEOUT_S
        while widget.data is None and clock.monotonic() < deadline:
            QTest.qWait(20)
        yield widget
    finally:
        widget.shutdown()
        widget.close()
        widget.deleteLater()
