"""The Province tab against the real collector on loopback (tests/fixtures/province.py): the link's badge
in the status bar, the sync page (state, pause/resume, "Sync now", backlog by type, history) and the
bulletin inbox (priority colours, reject with a note, one-click emergency confirmation, scheduling),
each receipt arriving at the collector. The station side is a real SyncWorker over a temporary SQLite
database with a real Library, Scheduler and LiveService (whose publish function records the group
commands: MQTT is covered elsewhere)."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest
from fixtures.audio import write_wav
from fleetdata import Station
from provhelpers import add_records, province
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialogButtonBox

from console.audio.library import Library
from console.live.service import LiveService
from console.media.store import MediaStore
from console.province import store
from console.schedule.service import Scheduler
from console.store import repo
from console.store.db import open_database
from console.store.models import AdminUnit
from console.sync import outbox
from console.sync.inbox import Inbox
from console.sync.worker import Backoff, SyncWorker
from console.ui import theme
from console.ui.main_window import MainWindow
from console.ui.sync import model
from console.ui.sync.inbox import InboxModel
from console.ui.sync.panel import ProvinceHint, ProvincePanel

SITE = "st"
DEVICES = [f"LOA-{i}" for i in range(4)]
UNIT = ("21553", "Xã An Nhơn")
WAIT_MS = 15_000
STATE, CONTENT, TARGETS = (InboxModel.COLUMNS.index(c) for c in ("state", "content", "targets"))


class Published(list):
    """The live service's ``publish``: keeps (topic, payload) and acknowledges."""

    def __call__(self, topic: str, payload: bytes) -> bool:
        self.append((topic, json.loads(payload)))
        return True


@pytest.fixture
def station_db(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'station' / 'console.db'}", seed=False)
    with db.sessions.begin() as s:
        s.add(AdminUnit(code=UNIT[0], name=UNIT[1], short_name="An Nhơn", type="Xã", level="commune"))
        for dev in DEVICES:
            repo.register_device(s, dev, adoption="adopted")
    yield db
    db.close()


@pytest.fixture
def services(station_db, tmp_path):
    library = Library(station_db, MediaStore(tmp_path / "media"), "operator", "admin")
    scheduler = Scheduler(station_db, library, "operator", "admin")
    published = Published()
    live = LiveService(scheduler, SITE, published)
    yield SimpleNamespace(library=library, scheduler=scheduler, live=live, published=published)
    live.shutdown()


@pytest.fixture
def link(station_db, services, province_collector, tmp_path):
    """``make(url=None, backoff=(first_s, max_s), start=True) -> SyncWorker`` for this station."""
    made: list[SyncWorker] = []

    def make(url: str | None = None, backoff=(0.01, 0.2), start: bool = True, **kw) -> SyncWorker:
        token = province_collector.token(SITE)
        inbox = Inbox(station_db, library=services.library, scheduler=services.scheduler, live=services.live)
        worker = SyncWorker(station_db, province(url or province_collector.url, SITE, token, timeout_s=5),
                            inbox=inbox, backoff=lambda: Backoff(*backoff), idle_s=0.05, poll_wait_s=0.5,
                            media_dir=tmp_path / "inbox", history_path=tmp_path / "sync-history.json", **kw)
        made.append(worker)
        return worker.start() if start else worker

    yield make
    for w in made:
        w.stop()


@pytest.fixture
def wav(tmp_path):
    rate = 16000
    t = np.arange(2 * rate) / rate
    return write_wav(tmp_path / "ban-tin.wav", 0.3 * np.sin(2 * np.pi * 440 * t), rate)


def panel_for(qtbot, worker) -> ProvincePanel:
    panel = ProvincePanel(worker)
    qtbot.addWidget(panel)
    panel.show()
    return panel


def send(collector, priority: str, title: str, **kw) -> dict:
    """A bulletin for this station (which the collector knows once it has a token)."""
    collector.token(SITE)
    with collector.db.sessions.begin() as s:
        return store.send_bulletin(s, SITE, priority, title, **kw)


def last_seq(db) -> int:
    with db.sessions() as s:
        return outbox.last_seq(s)


def history_events(page) -> list[str]:
    return [r.kind for r in page.history_model.rows]


# -- without widgets ------------------------------------------------------------------------------------

def test_history_lines_merge_batches_and_receipts_that_follow_each_other(english):
    entries = [{"ts": 1_000, "kind": "error", "message": "no answer", "count": 3, "first_ts": 500},
               {"ts": 2_000, "kind": "batch", "records": 1000, "bytes": 9000, "acked_through": 1000, "backlog": 500},
               {"ts": 3_000, "kind": "batch", "records": 500, "bytes": 4000, "acked_through": 1500, "backlog": 0},
               {"ts": 4_000, "kind": "receipt", "bulletin": 7, "status": "received"},
               {"ts": 5_000, "kind": "receipt", "bulletin": 7, "status": "rejected"},
               {"ts": 90_000, "kind": "batch", "records": 2, "bytes": 300, "acked_through": 1502, "backlog": 0}]
    rows = model.history_rows(entries)
    assert [(r.kind, r.records, r.bytes) for r in rows] == [
        ("batch", 2, 300), ("receipt", None, None), ("batch", 1500, 13000), ("error", None, None)]
    assert rows[2].detail == "acknowledged through 1,500, 0 left (2 batches)"
    assert rows[1].detail == "bulletin 7: rejected, bulletin 7: received"
    assert rows[3].failed and rows[3].detail.startswith("no answer (×3 since ")
    assert model.size(13000) == "13.0 kB" and model.size(300) == "300 B"


# -- the link -------------------------------------------------------------------------------------------

def test_the_badge_and_the_page_show_the_backlog_then_the_last_success(qtbot, english, link, station_db,
                                                                      province_collector):
    add_records(station_db, 30)
    worker = link(start=False)
    backlog = worker.status().backlog
    assert backlog >= 30
    panel = panel_for(qtbot, worker)
    badge, page = panel.badge, panel.page
    assert badge.text() == f"Province · {backlog} to send · never synced"
    panel.show_sync()
    qtbot.waitUntil(lambda: page.by_type.get("asrun") == 30, timeout=WAIT_MS)  # read on a worker
    assert page.backlog_table.item(page.backlog_table.rowCount() - 1, 1).text() == str(backlog)

    worker.start()
    qtbot.waitUntil(lambda: province_collector.count(SITE) >= backlog, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: badge.text().startswith("Province · last sync "), timeout=WAIT_MS)  # nothing to send
    assert "⚠" not in badge.text() and "Last sync: never" not in badge.toolTip()
    qtbot.waitUntil(lambda: any(r[1] == "inventory" for r in province_collector.records(SITE)), timeout=WAIT_MS)

    def shipped() -> int:
        return sum(r.records for r in page.history_model.rows if r.kind == "batch")

    qtbot.waitUntil(lambda: shipped() == province_collector.count(SITE), timeout=WAIT_MS)
    assert all(r.bytes > 0 for r in page.history_model.rows if r.kind == "batch")
    qtbot.waitUntil(lambda: page.by_type == {}, timeout=WAIT_MS)
    assert page.state.text().count("Running") == 1
    assert not page.error.isVisible()


def test_pause_stops_shipping_and_resume_ships(qtbot, english, link, station_db, province_collector):
    worker = link()
    panel = panel_for(qtbot, worker)
    page, badge = panel.page, panel.badge
    # all shipped, the inventory too (the first idle look adds it): nothing more is written meanwhile
    qtbot.waitUntil(lambda: any(r[1] == "inventory" for r in province_collector.records(SITE)), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: province_collector.count(SITE) == last_seq(station_db), timeout=WAIT_MS)
    held = province_collector.count(SITE)
    assert page.pause_button.text() == "Pause"
    qtbot.mouseClick(page.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.pause_button.text() == "Resume" and page.pause_button.isEnabled(), timeout=WAIT_MS)
    assert worker.status().state == "paused" and not page.sync_button.isEnabled()
    add_records(station_db, 20)
    # while paused the backlog still grows in the status bar, and nothing goes to the province
    qtbot.waitUntil(lambda: badge.text().startswith("Province paused · 20 to send · last sync "), timeout=WAIT_MS)
    assert province_collector.count(SITE) == held
    # the page reads it on a timer; a batch already on its way when the pause came may be noted after it
    qtbot.waitUntil(lambda: "paused" in history_events(page), timeout=WAIT_MS)

    qtbot.mouseClick(page.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: province_collector.count(SITE) == held + 20, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: badge.text().startswith("Province · last sync "), timeout=WAIT_MS)
    assert "resumed" in history_events(page)


def test_sync_now_ships_at_once_instead_of_waiting_out_the_backoff(qtbot, english, link, station_db,
                                                                   province_collector, province_proxy):
    proxy = province_proxy(province_collector.url)
    proxy.faults.append("500")
    add_records(station_db, 5)
    worker = link(proxy.url, backoff=(60.0, 300.0))  # the first retry would wait 30-60 s
    panel = panel_for(qtbot, worker)
    page = panel.page
    qtbot.waitUntil(lambda: worker.status().state == "retrying", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "next try at" in page.state.text(), timeout=WAIT_MS)
    assert province_collector.count(SITE) == 0
    qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: province_collector.count(SITE) >= 5, timeout=10_000)  # well before the retry
    qtbot.waitUntil(lambda: worker.status().state == "running" and not page.error.isVisible(), timeout=WAIT_MS)


def test_a_failing_province_shows_the_last_error(qtbot, english, link, station_db, province_collector,
                                                 province_proxy):
    proxy = province_proxy(province_collector.url)
    proxy.faults.extend(["500"] * 1000)
    add_records(station_db, 5)
    worker = link(proxy.url)
    panel = panel_for(qtbot, worker)
    badge, page = panel.badge, panel.page
    qtbot.waitUntil(lambda: badge.text().startswith("⚠ Province · 5 to send · "), timeout=WAIT_MS)
    assert theme.OFFLINE.name() in badge.styleSheet()  # red
    assert "500" in badge.toolTip() and "injected" in badge.toolTip()
    panel.show_sync()
    qtbot.waitUntil(lambda: page.error.isVisible() and "injected" in page.error.text(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "error" in history_events(page), timeout=WAIT_MS)
    failures = [r for r in page.history_model.rows if r.kind == "error"]
    assert len(failures) == 1 and failures[0].failed  # repeats are one line: "(×N since ...)"
    row = page.history_model.rows.index(failures[0])
    assert page.history_model.index(row, 1).data(Qt.ItemDataRole.ForegroundRole) == theme.OFFLINE
    assert province_collector.count(SITE) == 0


def test_a_stopped_collector_shows_that_no_answer_came(qtbot, english, link, station_db, province_collector):
    url = province_collector.url
    province_collector.stop()
    worker = link(url)
    panel = panel_for(qtbot, worker)
    qtbot.waitUntil(lambda: "no answer from the province" in panel.badge.toolTip(), timeout=WAIT_MS)
    assert panel.badge.text() == "⚠ Province · never synced"


# -- the inbox ------------------------------------------------------------------------------------------

def test_bulletins_appear_with_their_priority_colours_and_an_emergency_is_raised(qtbot, english, link, wav,
                                                                                 province_collector, tmp_path):
    send(province_collector, "normal", "Lịch tiêm chủng", text="Thứ Hai tại trạm y tế xã.", targets=[UNIT[0]])
    send(province_collector, "priority", "Cảnh báo nắng nóng", media=wav)
    send(province_collector, "emergency", "Bão số 3", media=wav, issued_by="UBND tỉnh")
    worker = link(start=False)  # started once the window listens: the priority notice is seen
    station = Station(0, demo=False)
    station.sync, station.sync_error = worker, ""
    win = MainWindow(station, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.show()
    worker.start()
    panel = win.province_panel
    view = panel.inbox
    assert win.tabs.tabText(win.tabs.indexOf(panel)).startswith("Province")
    assert panel.badge.parent() is not None  # in the status bar
    qtbot.waitUntil(lambda: len(view.model.rows) == 3 and bool(view.data.confirming()), timeout=WAIT_MS)
    m: InboxModel = view.model
    by_priority = {b["priority"]: row for row, b in enumerate(m.rows)}
    assert m.rows[0]["priority"] == "emergency"  # waiting for its click: first
    assert m.index(by_priority["emergency"], 0).data(Qt.ItemDataRole.BackgroundRole) == model.PRIORITY_FILLS["emergency"]
    assert m.index(by_priority["emergency"], 0).data(Qt.ItemDataRole.ForegroundRole) == model.EMERGENCY
    assert m.index(by_priority["priority"], 0).data(Qt.ItemDataRole.BackgroundRole) == model.PRIORITY_FILLS["priority"]
    assert m.index(by_priority["priority"], 0).data(Qt.ItemDataRole.ForegroundRole) == model.PRIORITY
    assert m.index(by_priority["normal"], 0).data(Qt.ItemDataRole.BackgroundRole) is None  # neutral
    states = {b["priority"]: m.index(r, STATE).data() for r, b in enumerate(m.rows)}
    assert states == {"emergency": "Awaiting confirmation", "priority": "Scheduled",
                      "normal": "Waiting"}
    assert m.index(by_priority["normal"], TARGETS).data() == f"{UNIT[1]} ({UNIT[0]})"
    assert m.index(by_priority["normal"], CONTENT).data() == "Text"
    assert m.index(by_priority["emergency"], CONTENT).data() == "Audio 0:02"
    # the emergency cannot be missed: the tab is raised on it, and the red banner says what waits
    qtbot.waitUntil(lambda: win.tabs.currentWidget() is panel and panel.currentWidget() is view, timeout=WAIT_MS)
    assert view.current()["priority"] == "emergency"
    assert panel.banner.isVisible() and panel.banner.emergency.isVisible()
    assert "Bão số 3" in panel.banner.emergency.text.text() and "4 clusters" in panel.banner.emergency.text.text()
    assert view.confirm_box.isVisible() and view.confirm_button.isEnabled()
    assert "The whole station" in view.confirm_text.text() and "4 cluster(s)" in view.confirm_text.text()
    assert "2 bulletin(s) waiting for the operator, 1 of them emergencies to confirm" in panel.badge.toolTip()
    assert panel.tabText(0) == "Bulletins (2 waiting)"
    assert win.tabs.tabText(win.tabs.indexOf(panel)) == "Province (2)"
    # the priority bulletin went into the schedule at once: a notice says so
    qtbot.waitUntil(lambda: panel.banner.notice.isVisible(), timeout=WAIT_MS)
    assert "Cảnh báo nắng nóng" in panel.banner.notice.text.text()
    qtbot.waitUntil(lambda: set(province_collector.receipts(SITE, 2)) == {"received", "scheduled"}, timeout=WAIT_MS)


def test_reject_with_a_note_sends_a_rejected_receipt(qtbot, english, link, province_collector):
    send(province_collector, "normal", "Họp dân thôn Đông", text="19h tại nhà văn hoá.")
    worker = link()
    panel = panel_for(qtbot, worker)  # kept: a parentless widget goes with its last reference
    view = panel.inbox
    qtbot.waitUntil(lambda: len(view.model.rows) == 1, timeout=WAIT_MS)
    assert view.select_bulletin(1)
    assert not view.schedule_button.isEnabled()  # a text: nothing to schedule
    assert view.read_out_button.isVisible() and view.reject_button.isEnabled()
    dialog = view.open_reject_dialog()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # a note is required
    dialog.note.setPlainText("  ")
    assert not ok.isEnabled()
    dialog.note.setPlainText("Không phù hợp với địa bàn")
    assert ok.isEnabled()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: province_collector.receipts(SITE, 1).get("rejected") == "Không phù hợp với địa bàn",
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: view.model.index(0, STATE).data() == "Rejected", timeout=WAIT_MS)
    assert not view.reject_button.isEnabled()
    qtbot.waitUntil(lambda: "rejected" in view.detail.toPlainText() and "✓" in view.detail.toPlainText(),
                    timeout=WAIT_MS)  # the receipt, sent


def test_an_emergency_is_broadcast_with_one_click(qtbot, english, link, wav, services, province_collector):
    send(province_collector, "emergency", "Lũ quét: sơ tán ngay", media=wav)
    worker = link()
    panel = panel_for(qtbot, worker)
    view = panel.inbox
    qtbot.waitUntil(lambda: view.confirm_button.isVisible() and view.confirm_button.isEnabled(), timeout=WAIT_MS)
    assert view.preview.time.text().endswith("0:02")  # its audio, ready to listen to
    qtbot.mouseClick(view.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.model.index(0, STATE).data() == "Played", timeout=WAIT_MS)
    assert [m["op"] for _t, m in services.published if m.get("op") == "emergency.start"]
    qtbot.waitUntil(lambda: set(province_collector.receipts(SITE, 1)) == {"received", "played"}, timeout=WAIT_MS)
    banner = panel.banner
    assert not banner.emergency.isVisibleTo(banner)  # nothing waits any more
    qtbot.waitUntil(lambda: banner.notice.isVisibleTo(banner), timeout=WAIT_MS)
    assert "is on air" in banner.notice.text.text()
    assert "started" in view.message.text()


def test_a_normal_bulletin_is_scheduled_by_the_operator(qtbot, english, link, wav, services, province_collector):
    send(province_collector, "normal", "Thông báo thu thuế", media=wav, targets=[UNIT[0]])
    worker = link()
    panel = panel_for(qtbot, worker)  # kept: a parentless widget goes with its last reference
    view = panel.inbox
    qtbot.waitUntil(lambda: len(view.model.rows) == 1 and view.schedule_button.isEnabled(), timeout=WAIT_MS)
    dialog = view.open_schedule_dialog()
    qtbot.waitUntil(lambda: dialog.picker.hierarchy is not None, timeout=WAIT_MS)  # loaded on a worker
    assert dialog.picker.targets().units == (UNIT[0],)  # the province's target, filled in
    dialog.picker.set_units([])
    dialog.picker.set_devices([DEVICES[0]])  # the operator's choice instead
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.model.index(0, STATE).data() == "Scheduled", timeout=WAIT_MS)
    spec = services.scheduler.get(view.model.rows[0]["schedule_id"])
    assert spec.targets.devices == (DEVICES[0],) and spec.priority == "normal"
    qtbot.waitUntil(lambda: set(province_collector.receipts(SITE, 1)) == {"received", "scheduled"}, timeout=WAIT_MS)


def test_without_a_province_link_the_tab_says_how_to_set_one_up(qtbot, english, tmp_path):
    station = Station(0, demo=False)
    station.sync, station.sync_error = None, ""
    win = MainWindow(station, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    assert isinstance(win.province_panel, ProvinceHint)
    assert win.tabs.tabText(win.tabs.indexOf(win.province_panel)) == "Province"
    text = win.province_panel.label.text()
    assert "province_url" in text and "sync token set" in text and "province_emergency" in text
    assert win.province_badge is None and win.province_banner is None

    station.sync_error = "no province token: give --token"
    again = MainWindow(station, QSettings(str(tmp_path / "w2.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(again)
    assert "no province token" in again.province_panel.label.text()
    assert again.province_badge.text() == "⚠ Province: not linked"
    assert "no province token" in again.province_badge.toolTip()
