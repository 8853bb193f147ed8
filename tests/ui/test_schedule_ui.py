"""The scheduling views over a real Scheduler on a temporary SQLite station database: the timeline
(blocks, drag to move, live conflicts), the editor's preview and conflict list, the as-run filters.

Programmes here are stream relays (they need no audio import); the clock is fixed."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPoint, Qt
from sqlalchemy import select

from console.audio.library import Library
from console.core.hierarchy import fold
from console.media.store import MediaStore
from console.schedule.asrun import AsRun
from console.schedule.model import Part, Targets
from console.schedule.rules import Rule
from console.schedule.service import ALL_GROUP, Scheduler, ScheduleSpec
from console.store import repo
from console.store.db import open_database
from console.store.models import AdminUnit, Receipt
from console.ui.schedule import labels as lb
from console.ui.schedule.asrun_view import AsRunView, Column
from console.ui.schedule.data import (
    RuleFields,
    fields_of,
    load_directory,
    moved_rule,
    rule_from,
)
from console.ui.schedule.editor import ScheduleEditor
from console.ui.schedule.timeline import TimelineView

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 12, 1, 4, 0, tzinfo=VN)  # a Tuesday
EAST, WEST = ["DEV-0", "DEV-1", "DEV-2"], ["DEV-3", "DEV-4", "DEV-5"]


def relay(minutes: int = 30) -> tuple[Part, ...]:
    return (Part("stream", dur_ms=minutes * 60_000, url="https://stream.example.vn/vov1"),)


def at(hour: int, minute: int = 0, days: int = 0) -> datetime:
    return NOW.replace(hour=hour, minute=minute) + timedelta(days=days)


@pytest.fixture
def sched(sqlite_url, tmp_path):
    db = open_database(sqlite_url)
    with db.sessions.begin() as s:
        communes = s.scalars(select(AdminUnit).where(AdminUnit.level == "commune", AdminUnit.valid_to.is_(None))
                             .order_by(AdminUnit.code).limit(2)).all()
        for i, dev in enumerate(EAST + WEST):
            repo.register_device(s, dev, adoption="adopted", unit_id=communes[i // 3].id)
    library = Library(db, MediaStore(tmp_path / "media"), "lan", "admin")
    scheduler = Scheduler(db, library, "lan", "admin", clock=NOW.timestamp)
    scheduler.set_group("east", devices=EAST, name="Thôn Đông")
    scheduler.set_group("west", devices=WEST, name="Thôn Tây")
    yield scheduler
    db.close()


def add(sched: Scheduler, title: str, rule: Rule, groups=("east",), prio="normal", minutes: int = 30) -> ScheduleSpec:
    return sched.add(ScheduleSpec(title=title, rule=rule, targets=Targets(groups=tuple(groups)),
                                  programme=relay(minutes), priority=prio))


def timeline(qtbot, sched: Scheduler) -> TimelineView:
    view = TimelineView(sched, sched.library)
    qtbot.addWidget(view)
    view.resize(1400, 800)
    view.show()
    qtbot.waitUntil(lambda: view.data is not None)
    return view


def shown(view: TimelineView) -> set[tuple[int, str | None, datetime]]:
    rows = view.canvas.layout_.rows
    return {(b.occ.schedule_id, rows[b.row].key, b.occ.start) for b, _rect in view.canvas.blocks()}


def rect_of(view: TimelineView, schedule_id: int, row_key: str):
    rows = view.canvas.layout_.rows
    return next(r for b, r in view.canvas.blocks() if b.occ.schedule_id == schedule_id and rows[b.row].key == row_key)


def drag(qtbot, view: TimelineView, schedule_id: int, row_key: str, delta: timedelta, release: bool = True) -> QPoint:
    """Drag a block of ``schedule_id`` sideways by ``delta``; returns where the mouse is."""
    canvas = view.canvas
    start = rect_of(view, schedule_id, row_key).center().toPoint()
    end = start + QPoint(round(delta.total_seconds() / 3600 * canvas.hour_px), 0)
    target = canvas.viewport()
    qtbot.mousePress(target, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(target, start + QPoint(8, 0))
    qtbot.mouseMove(target, end)
    qtbot.waitUntil(lambda: canvas.drag_delta == delta)
    if release:
        qtbot.mouseRelease(target, Qt.MouseButton.LeftButton, pos=end)
    return end


@pytest.fixture
def views(english):
    made = []
    yield made
    for v in made:
        v.shutdown()


def test_timeline_shows_the_approved_airings_in_their_rows(qtbot, sched, views):
    daily = add(sched, "Bản tin sáng", Rule.daily(at(6, days=-2)))
    once = add(sched, "Thông báo", Rule.once(at(9)), groups=("west",), prio="priority")
    draft = sched.save(ScheduleSpec(title="Nháp", rule=Rule.once(at(12)), targets=Targets(groups=("east",)),
                                    programme=relay()))
    view = timeline(qtbot, sched)
    views.append(view)
    # Each in its group's row and in the row of the station's group of every cluster, first.
    assert shown(view) == {(daily.id, "east", at(6)), (once.id, "west", at(9)), (daily.id, ALL_GROUP, at(6)),
                           (once.id, ALL_GROUP, at(9))}
    assert draft.id not in {b.occ.schedule_id for b, _r in view.canvas.blocks()}
    assert [view.canvas.row_title(r) for r in view.canvas.layout_.rows] == ["All clusters", "Thôn Đông", "Thôn Tây"]
    block, rect = next((b, r) for b, r in view.canvas.blocks() if b.occ.schedule_id == once.id)
    assert block.occ.prio == "priority" and block.readiness is not None
    assert (block.readiness.ready, block.readiness.total) == (3, 3)  # a stream needs no download
    # About half an hour wide (the view fits the day), at 09:00.
    assert rect.width() == pytest.approx(view.canvas.hour_px / 2, abs=1)

    view.show_day(view.day, "week")
    qtbot.waitUntil(lambda: view.data is not None and view.data.end - view.data.start == timedelta(days=7))
    week = [t for sid, key, t in shown(view) if sid == daily.id and key == "east"]
    assert sorted(week) == [at(6, days=d) for d in range(-1, 6)]  # Monday to Sunday

    view.set_by_unit(True)
    assert {r.key for r in view.canvas.layout_.rows} == set(sched_unit_codes(sched))


def sched_unit_codes(sched: Scheduler) -> list[str]:
    return sorted({d.unit_code for d in load_directory(sched).devices})


def test_dragging_a_block_moves_the_schedule(qtbot, sched, views):
    once = add(sched, "Thông báo", Rule.once(at(9)), groups=("west",))
    daily = add(sched, "Bản tin sáng", Rule.daily(at(6, days=-2)))
    view = timeline(qtbot, sched)
    views.append(view)

    drag(qtbot, view, once.id, "west", timedelta(hours=2))
    # Saved (a draft again), then approved again: the user is an admin.
    qtbot.waitUntil(lambda: (sched.get(once.id).rule.start, sched.get(once.id).state) == (at(11), "approved"))
    qtbot.waitUntil(lambda: (once.id, "west", at(11)) in shown(view))

    drag(qtbot, view, daily.id, "east", timedelta(minutes=-30))
    qtbot.waitUntil(lambda: (sched.get(daily.id).rule.start, sched.get(daily.id).state)
                    == (at(5, 30, days=-2), "approved"))
    assert sched.get(daily.id).rule.rrule == "FREQ=DAILY"
    qtbot.waitUntil(lambda: (daily.id, "east", at(5, 30)) in shown(view))
    assert "moved" in view.status.text()


def test_dragging_onto_a_same_priority_airing_shows_the_conflict(qtbot, sched, views):
    news = add(sched, "Bản tin sáng", Rule.daily(at(6, days=-2)))
    notice = add(sched, "Thông báo tiêm chủng", Rule.once(at(8)))
    warning = add(sched, "Cảnh báo bão", Rule.once(at(10)), prio="priority")
    view = timeline(qtbot, sched)
    views.append(view)
    canvas = view.canvas

    # A higher priority over it preempts, it does not conflict.
    drag(qtbot, view, warning.id, "east", timedelta(hours=-4), release=False)
    assert canvas.drag_clashes == []
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    qtbot.mouseRelease(canvas.viewport(), Qt.MouseButton.LeftButton)

    end = drag(qtbot, view, notice.id, "east", timedelta(hours=-1, minutes=-50), release=False)
    qtbot.waitUntil(lambda: len(canvas.drag_clashes) == 1)
    clash = canvas.drag_clashes[0]
    assert {clash.a.schedule_id, clash.b.schedule_id} == {news.id, notice.id}
    assert (news.id, at(6)) in canvas._clash_keys  # drawn in the warning colour
    assert "Bản tin sáng" in view.status.text() and "3 cluster(s)" in view.status.text()
    assert "06:10" in view.status.text()
    assert lb.CONFLICT.name() in view.status.styleSheet()

    qtbot.mouseRelease(canvas.viewport(), Qt.MouseButton.LeftButton, pos=end)
    qtbot.waitUntil(lambda: "not moved" in view.status.text())
    assert sched.get(notice.id).rule.start == at(8)
    assert canvas.drag_id is None


def test_editor_preview_matches_the_rule_and_checks_conflicts(qtbot, sched, views):
    news = sched.add(ScheduleSpec(title="Bản tin", rule=Rule.weekdays(at(6, days=-1), [0, 2, 4]),
                                  targets=Targets(groups=("east",)), programme=relay()))
    view = timeline(qtbot, sched)
    views.append(view)
    editor = view.open_editor(news.id)
    qtbot.waitUntil(lambda: editor.spec is not None)
    assert editor.kind.currentData() == "weekdays"
    assert [b.isChecked() for b in editor.day_boxes] == [True, False, True, False, True, False, False]
    qtbot.waitUntil(lambda: editor.preview_times() == news.rule.next(NOW, 10))
    assert editor.preview.count() == 10

    editor.kind.setCurrentIndex(editor.kind.findData("nweekly"))
    editor.interval.setValue(3)
    qtbot.waitUntil(lambda: editor.preview_times() == Rule.weekly(at(6, days=-1), 3).next(NOW, 10))

    # A new schedule over the news, same priority, same cluster: the conflict shows while editing.
    new = view.open_editor(None, at(6, 10, days=1), "east")  # Wednesday
    qtbot.waitUntil(lambda: new.groups.count() == 3)
    new.title_edit.setText("Thông báo")
    new._add_part(relay(10)[0])
    qtbot.waitUntil(lambda: len(new.conflicts) == 1)
    assert "Bản tin" in new.conflict_list.item(0).text()
    # Administrative units are found by name, accents optional, or by code.
    unit = load_directory(sched).devices[0]
    qtbot.waitUntil(lambda: new.hierarchy is not None)
    new.unit_search.setText(fold(unit.unit_name))
    qtbot.waitUntil(lambda: new.unit_results.count() > 0)
    new.unit_search.setText(unit.unit_code)
    qtbot.waitUntil(lambda: new.unit_results.count() > 0 and unit.unit_code in new.unit_results.item(0).text())
    new._add_unit()
    assert new.fields().targets.units == (unit.unit_code,)
    new.priority.setCurrentIndex(new.priority.findData("priority"))
    qtbot.waitUntil(lambda: new.conflicts == [] and "No conflicts" in new.check_label.text())
    new.save()
    qtbot.waitUntil(lambda: new.spec is not None)
    stored = sched.get(new.spec.id)
    assert (stored.state, stored.priority, stored.rule.start) == ("approved", "priority", at(6, 10, days=1))
    assert stored.targets == Targets(groups=("east",), units=(unit.unit_code,))
    editor.close()
    new.close()


def devices(view: AsRunView) -> list[str]:
    return [view.model.index(r, Column.DEVICE).data() for r in range(view.model.rowCount())]


def test_asrun_view_filters_by_status(qtbot, sched, views):
    news = add(sched, "Bản tin sáng", Rule.daily(at(6, days=-2)))
    start = int(at(6, days=-1).timestamp() * 1000)
    statuses = {"DEV-0": "played", "DEV-1": "played", "DEV-2": "missed", "DEV-3": "failed", "DEV-4": "partial"}
    with sched._db.sessions.begin() as s:
        for dev, status in statuses.items():
            s.add(Receipt(item=f"s{news.id}.20261130T060000.0", device_id=dev, schedule_id=news.id, start=start,
                          dur_ms=1_800_000, status=status, played_ms=1_800_000 if status == "played" else 0,
                          reason="no report" if status == "missed" else "", ts=start))
    view = AsRunView(AsRun(sched), sched)
    qtbot.addWidget(view)
    views.append(view)
    view.show()
    qtbot.waitUntil(lambda: view.model.rowCount() == 5)
    assert "Played: <b>2</b>" in view.counts.text() and "Missed: <b>1</b>" in view.counts.text()
    assert view.model.index(0, Column.SCHEDULE).data() == "Bản tin sáng"
    assert view.model.index(0, Column.PART).data() == "Stream relay"

    view.set_status("missed")
    qtbot.waitUntil(lambda: devices(view) == ["DEV-2"])
    assert view.model.index(0, Column.REASON).data() == "no report from the cluster"
    assert "Played: <b>2</b>" in view.counts.text()  # the counts cover every status

    view.set_status(None)
    view.device.setText("dev-3")
    qtbot.waitUntil(lambda: devices(view) == ["DEV-3"])
    assert view.model.index(0, Column.STATUS).data() == "Failed"

    view.device.clear()
    view.since.setDate(view.since.date().addDays(-30))
    view.until.setDate(view.since.date())
    qtbot.waitUntil(lambda: view.model.rowCount() == 0)


@pytest.mark.parametrize("kind", ["once", "daily", "weekdays", "weekly", "nweekly", "monthly", "monthly_last",
                                  "custom"])
def test_editor_rule_kinds_round_trip(kind):
    fields = RuleFields(kind, at(6), days=(0, 3), interval=3, end=at(0, days=60).date() if kind != "once" else None,
                        exdates=(at(0, days=7).date(),) if kind != "once" else (), rrule="FREQ=YEARLY;BYMONTH=1,7")
    rule = rule_from(fields, "Asia/Ho_Chi_Minh")
    back = fields_of(rule)
    assert back.kind == kind and back.start == fields.start and back.end == fields.end
    assert back.exdates == fields.exdates
    assert rule_from(back, "Asia/Ho_Chi_Minh") == rule


def test_moving_a_rule_across_midnight_moves_its_exception_dates():
    rule = replace(Rule.daily(at(23, 30)), exdates=(at(0, days=3).date(),))
    moved = moved_rule(rule, timedelta(hours=1))
    assert moved.start == at(0, 30, days=1)
    assert moved.exdates == (at(0, days=4).date(),)
    assert at(0, 30, days=4) not in moved.between(at(0), at(0, days=8))


def test_editor_approval_buttons_follow_the_state_and_show_refusals(qtbot, sched, views, english):
    editor_role = Scheduler(sched._db, sched.library, "mai", "editor", clock=NOW.timestamp)
    spec = editor_role.add(ScheduleSpec(title="Tin chiều", rule=Rule.once(at(17)), targets=Targets(groups=("west",)),
                                        programme=relay()))
    assert spec.state == "submitted"  # an editor may submit, not approve
    dialog = ScheduleEditor(editor_role, sched.library, spec.id)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.spec is not None)
    assert not dialog.submit_button.isEnabled() and dialog.approve_button.isEnabled()
    qtbot.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "not done" in dialog.message.text())
    assert "approving" in dialog.message.text()  # why, in words
    assert editor_role.get(spec.id).state == "submitted"
    dialog.close()

    approver = ScheduleEditor(sched, sched.library, spec.id)
    qtbot.addWidget(approver)
    qtbot.waitUntil(lambda: approver.spec is not None)
    qtbot.mouseClick(approver.approve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: approver.spec.state == "approved")
    assert not approver.approve_button.isEnabled() and approver.archive_button.isEnabled()
    approver.title_edit.setText("Tin chiều (sửa)")
    assert not approver.submit_button.isEnabled()  # save the change first
    approver.close()
