"""The live desk, the ON AIR banner, the emergency dialog and the live latency in the detail panel, over
a real LiveService: a Scheduler and a Library on a temporary SQLite database, a MediaServer on
loopback carrying the stream, and a publish function that records the group commands (MQTT itself
is covered elsewhere). The audio comes from a generated WAV file; device reports are fed to the
service as the ingest worker would (``on_events``)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from fixtures.audio import write_wav
from fleetdata import Station, device_id
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget
from sqlalchemy import select

from console.audio.library import Library
from console.live.service import LiveService
from console.live.source import WavFileSource
from console.media.server import MediaServer
from console.media.store import MediaStore
from console.schedule.asrun import AsRun
from console.schedule.service import Scheduler
from console.store import repo
from console.store.db import open_database
from console.store.models import AdminUnit, now_ms
from console.ui.live import model
from console.ui.live.control import LiveControl
from console.ui.live.desk import LiveDesk
from console.ui.live.emergency import CHOOSE, CONFIRM, REFUSED, RUNNING, EmergencyDialog
from console.ui.live.widgets import OnAirBanner
from console.ui.main_window import MainWindow
from console.ui.views.device_detail import DeviceDetailView

DEVICES = [f"DEV-{i}" for i in range(6)]
SITE = "test"
WAIT_MS = 15_000


class Recorder:
    """The service's ``publish``: keeps (topic, decoded payload) and acknowledges."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, dict]] = []

    def __call__(self, topic: str, payload: bytes) -> bool:
        self.messages.append((topic, json.loads(payload)))
        return True

    def ops(self) -> list[str]:
        return [m["op"] for _t, m in self.messages]


@pytest.fixture
def station_db(sqlite_url, tmp_path):
    db = open_database(sqlite_url)
    with db.sessions.begin() as s:
        communes = s.scalars(select(AdminUnit).where(AdminUnit.level == "commune", AdminUnit.valid_to.is_(None))
                             .order_by(AdminUnit.code).limit(2)).all()
        for i, dev in enumerate(DEVICES):
            repo.register_device(s, dev, adoption="adopted", unit_id=communes[i // 3].id)
    yield db
    db.close()


@pytest.fixture
def published():
    return Recorder()


@pytest.fixture
def service(station_db, tmp_path, published):
    library = Library(station_db, MediaStore(tmp_path / "media"), "lan", "admin")
    scheduler = Scheduler(station_db, library, "lan", "admin")
    scheduler.set_group("east", devices=DEVICES[:3], name="Thôn Đông")
    server = MediaServer(tmp_path / "media", host="127.0.0.1", port=0).start()
    svc = LiveService(scheduler, SITE, published, server)
    yield svc
    svc.shutdown()
    server.stop()


@pytest.fixture
def control(service, english):
    c = LiveControl(service, interval_ms=50)
    yield c
    c.shutdown()


@pytest.fixture
def wav(tmp_path):
    """30 s of a 440 Hz tone at about -10 dBFS: long enough that only the tests end the sessions."""
    t = np.arange(30 * 48000) / 48000
    return write_wav(tmp_path / "tone.wav", 0.3 * np.sin(2 * np.pi * 440 * t))


def joined(service: LiveService, session_id: str, devices) -> None:
    """What the ingest worker passes on when clusters join (and hear the chime's marker)."""
    ts = now_ms()
    service.on_events([{"device_id": d, "seq": i, "ts": ts, "type": "live.joined",
                        "data": {"session": session_id, "prio": "live"}} for i, d in enumerate(devices)])


def shown(qtbot, *widgets) -> QWidget:
    holder = QWidget()
    lay = QVBoxLayout(holder)
    for w in widgets:
        lay.addWidget(w)
    qtbot.addWidget(holder)
    holder.show()
    return holder


# -- without widgets --------------------------------------------------------------------------------

def test_push_to_talk_stops_what_it_started_whatever_the_order():
    ptt = model.PushToTalk()
    assert ptt.press() == "start" and ptt.state == "starting"
    assert ptt.press() is None  # held already
    assert ptt.started("L1") is None and ptt.state == "on_air"
    assert ptt.release() == "stop" and ptt.state == "stopping"
    ptt.ended()
    assert ptt.state == "idle"
    # Released before the service answered: stopped as soon as it has started.
    assert ptt.press() == "start"
    assert ptt.release() is None
    assert ptt.started("L2") == "stop" and ptt.session_id == "L2"
    ptt.ended()
    # A refused start leaves it idle; a release then does nothing.
    assert ptt.press() == "start"
    ptt.failed()
    assert ptt.release() is None and ptt.state == "idle"


def test_clock_texts_and_end_reasons(english):
    assert model.clock_text(0) == "00:00" and model.clock_text(75.9) == "01:15" and model.clock_text(3723) == "1:02:03"
    assert model.end_reason_text("max duration") == "maximum duration reached"
    assert model.end_reason_text("taken over") == "taken over by a newer broadcast"
    assert model.end_reason_text("error: disk full") == "error: disk full"
    assert model.end_reason_text("something new") == "something new"


def test_meter_ballistics_rise_at_once_and_fall_slowly():
    b = model.Ballistics()
    assert b.feed(-6, -12, 0.0) == (-6, -12, -6)
    peak, _rms, held = b.feed(-60, -60, 0.5)
    assert peak == pytest.approx(-6 - model.METER_FALL_DB_S * 0.5) and held == -6
    assert b.feed(-60, -60, 0.5 + model.PEAK_HOLD_S + 0.1)[2] == -60  # the held peak lets go


# -- the desk and the banner ------------------------------------------------------------------------

def test_on_air_shows_across_the_window_while_a_session_runs(qtbot, english, service, published, wav, tmp_path):
    station = Station(3)
    station.library, station.scheduler, station.live = service.library, service.scheduler, service
    station.asrun = AsRun(service.scheduler)
    win = MainWindow(station, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.show()
    win.live_control.timer.setInterval(50)
    desk, banner = win.live_desk, win.on_air
    assert win.tabs.tabText(win.tabs.indexOf(desk)) == "Live"
    assert "EMERGENCY" in win.emergency_action.text()
    assert win.toolbar.widgetForAction(win.emergency_action) is not None
    assert not banner.isVisible()

    desk.toggle_mode.setChecked(True)
    desk.input.set_file(wav)
    qtbot.waitUntil(lambda: desk.targets.count == len(DEVICES), timeout=WAIT_MS)
    qtbot.waitUntil(desk.talk.isEnabled, timeout=WAIT_MS)
    qtbot.mouseClick(desk.talk, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(banner.isVisible, timeout=WAIT_MS)
    session = service.live
    row = banner.rows["live"]
    assert "ON AIR" in row.badge.text()
    assert "6 cluster(s)" in row.what.text() and "0 joined" in row.what.text()
    assert "ON AIR" in desk.state_label.text() and desk.meter.active
    topic, start = published.messages[-1]
    assert topic == f"tt/v1/{SITE}/g/all/cmd" and start["op"] == "live.start"
    assert start["args"]["session"] == session.id and start["args"]["url"] == session.url

    joined(service, session.id, DEVICES[:4])
    qtbot.waitUntil(lambda: "4 joined" in row.what.text(), timeout=WAIT_MS)
    assert "2 not responded" in desk.reach_label.text()
    qtbot.waitUntil(lambda: desk.control.levels.count > 0, timeout=WAIT_MS)  # the meter is fed

    qtbot.mouseClick(desk.talk, Qt.MouseButton.LeftButton)  # toggle mode: a second click stops
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=WAIT_MS)
    assert service.live is None and session.end_reason == "stopped"
    assert published.ops()[-1] == "live.stop"
    assert "ended" in desk.message.text() and "stopped" in desk.message.text()
    assert "Off air" in desk.state_label.text() and not desk.meter.active


def test_push_to_talk_with_the_space_bar_and_the_button(qtbot, control, service, wav):
    desk = LiveDesk(control)
    _holder = shown(qtbot, desk)
    assert desk.push_to_talk  # the default mode
    desk.input.set_file(wav)
    qtbot.waitUntil(lambda: desk.targets.count == len(DEVICES) and desk.talk.isEnabled(), timeout=WAIT_MS)

    qtbot.keyPress(desk, Qt.Key.Key_Space)  # held: on air
    qtbot.waitUntil(lambda: control.sessions["live"] is not None, timeout=WAIT_MS)
    first = control.sessions["live"]
    qtbot.waitUntil(lambda: desk.ptt.state == "on_air", timeout=WAIT_MS)
    assert "release to stop" in desk.talk.text()
    qtbot.keyRelease(desk, Qt.Key.Key_Space)  # let go: off air
    qtbot.waitUntil(lambda: control.sessions["live"] is None and desk.ptt.state == "idle", timeout=WAIT_MS)
    assert first.end_reason == "stopped"

    qtbot.mousePress(desk.talk, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.ptt.state == "on_air", timeout=WAIT_MS)
    second = control.sessions["live"]
    assert second is not None and second is not first
    qtbot.mouseRelease(desk.talk, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: control.sessions["live"] is None and desk.ptt.state == "idle", timeout=WAIT_MS)
    assert second.end_reason == "stopped"

    # Pressed and released before the service has answered: the session it starts is stopped at once.
    qtbot.keyPress(desk, Qt.Key.Key_Space)
    qtbot.keyRelease(desk, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: len(service.history) == 3 and control.sessions["live"] is None
                    and desk.ptt.state == "idle", timeout=WAIT_MS)
    assert service.history[-1].end_reason == "stopped"


def test_countdown_before_the_maximum_duration_and_the_end_reasons(qtbot, control, service, wav):
    banner, desk = OnAirBanner(control), LiveDesk(control)
    _holder = shown(qtbot, banner, desk)
    control.go_live(lambda: WavFileSource(wav), chime=False, max_s=3)  # the stuck-microphone guard, shortened
    row = banner.rows["live"]
    qtbot.waitUntil(lambda: row.countdown.isVisible(), timeout=WAIT_MS)
    assert "Ends in 00:0" in row.countdown.text()
    assert desk.countdown_label.isVisible()
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=WAIT_MS)
    assert "maximum duration reached" in desk.message.text()

    control.go_live(lambda: WavFileSource(wav), chime=False)
    qtbot.waitUntil(lambda: control.sessions["live"] is not None, timeout=WAIT_MS)
    first = control.sessions["live"]
    control.go_live(lambda: WavFileSource(wav), chime=False)  # last wins
    qtbot.waitUntil(lambda: control.sessions["live"] not in (None, first), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "taken over by a newer broadcast" in desk.message.text(), timeout=WAIT_MS)
    assert banner.isVisible()
    control.stop("live")
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=WAIT_MS)


# -- the emergency ----------------------------------------------------------------------------------

@pytest.fixture
def emergency_item(service, tmp_path):
    """A prepared, approved emergency message (3 s)."""
    path = write_wav(tmp_path / "canh-bao.wav", 0.3 * np.sin(2 * np.pi * 330 * np.arange(3 * 48000) / 48000))
    library = service.library
    [result] = library.import_files([path])
    assert result.ok, result.error
    library.update_metadata(result.id, title="Cảnh báo lũ quét", category="emergency")
    library.submit(result.id)
    library.approve(result.id)
    return result.id


def test_emergency_needs_an_explicit_confirmation_that_states_the_devices(qtbot, control, service, published,
                                                                        emergency_item, wav):
    control.go_live(lambda: WavFileSource(wav), chime=False)  # something for the emergency to interrupt
    qtbot.waitUntil(lambda: control.sessions["live"] is not None, timeout=WAIT_MS)
    dialog = EmergencyDialog(control)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.pages.currentIndex() == CHOOSE and dialog.targets.everyone.isChecked()  # default: everyone
    qtbot.waitUntil(lambda: dialog.item is not None and dialog.next_button.isEnabled(), timeout=WAIT_MS)
    assert dialog.item.id == emergency_item  # the newest approved emergency message, preselected

    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == CONFIRM
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=WAIT_MS)
    assert "6 cluster(s)" in dialog.confirm_title.text()
    assert dialog.tiles["devices"][0].text() == "6" and dialog.tiles["live"][0].text() == "1"
    assert "live announcement" in dialog.confirm_live.text()
    assert "Cảnh báo lũ quét" in dialog.confirm_what.text()
    # Nothing has started: Enter does not confirm, only the red button does.
    assert not any(b.autoDefault() or b.isDefault() for b in (dialog.confirm_button, dialog.back_button))
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.keyClick(dialog.confirm_button, Qt.Key.Key_Enter)
    assert service.emergency is None and "emergency.start" not in published.ops()

    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == RUNNING, timeout=60_000)  # the item is rendered first
    session = service.emergency
    assert session is not None and session.item_id == emergency_item and len(session.devices) == 6
    start = next(m for _t, m in published.messages if m["op"] == "emergency.start")
    assert start["args"]["session"] == session.id and start["args"]["item"]["dur_ms"] > 0
    qtbot.waitUntil(lambda: dialog.counts["playing"][0].text() == "0 / 6", timeout=WAIT_MS)
    assert dialog.counts["silent"][0].text() == "6"
    service.on_events([{"device_id": d, "seq": 1, "ts": now_ms(), "type": "play.started",
                        "data": {"item": session.id, "prio": "emergency"}} for d in DEVICES[:5]])
    qtbot.waitUntil(lambda: dialog.counts["playing"][0].text() == "5 / 6", timeout=WAIT_MS)
    assert dialog.counts["silent"][0].text() == "1"

    qtbot.mouseClick(dialog.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "has ended" in dialog.run_state.text(), timeout=WAIT_MS)
    assert session.end_reason == "stopped" and "emergency.stop" in published.ops()
    assert not dialog.stop_button.isEnabled()
    dialog.close()


def test_a_role_that_may_not_start_emergencies_sees_the_refusal(qtbot, control, service, published, emergency_item):
    service.scheduler.role = "editor"
    dialog = EmergencyDialog(control)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.pages.currentIndex() == REFUSED
    assert dialog.refused_text.text() == "Your role (Editor) does not allow starting an emergency broadcast."
    assert dialog.refused_title.isVisible()
    dialog.close()

    # Refused on confirmation too (the role changed while the dialog was open): the same page.
    service.scheduler.role = "admin"
    dialog = EmergencyDialog(control)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.next_button.isEnabled(), timeout=WAIT_MS)
    dialog.show_confirmation()
    qtbot.waitUntil(lambda: dialog.confirm_button.isEnabled(), timeout=WAIT_MS)
    service.scheduler.role = "editor"
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == REFUSED, timeout=WAIT_MS)
    assert "Editor" in dialog.refused_text.text()
    assert service.emergency is None and "emergency.start" not in published.ops()
    dialog.close()


def test_the_desk_says_why_a_role_may_not_go_live(qtbot, control, service, wav):
    service.scheduler.role = "technician"
    desk = LiveDesk(control)
    _holder = shown(qtbot, desk)
    desk.input.set_file(wav)
    assert "Your role (Technician) does not allow going live." in desk.hint.text()
    assert not desk.talk.isEnabled()
    qtbot.keyPress(desk, Qt.Key.Key_Space)  # the space bar asks the service, which refuses
    qtbot.keyRelease(desk, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "Not on air" in desk.message.text(), timeout=WAIT_MS)
    assert "Technician" in desk.message.text() and service.live is None and desk.ptt.state == "idle"


# -- the detail panel -------------------------------------------------------------------------------

def test_detail_panel_shows_the_last_measured_live_latency(qtbot, control, service, wav):
    station = Station(3)
    dev = device_id(1)
    detail = DeviceDetailView(station.fleet.state, interval_ms=50, latency=control.latency)
    _holder = shown(qtbot, detail)
    detail.set_device(dev)
    qtbot.waitUntil(lambda: detail.title.text() != "", timeout=WAIT_MS)
    latency = detail.values["latency"]
    assert not latency.isVisible()  # never measured

    control.go_live(lambda: WavFileSource(wav))
    qtbot.waitUntil(lambda: control.sessions["live"] is not None, timeout=WAIT_MS)
    s = control.sessions["live"]
    service.on_events([{"device_id": dev, "seq": 1, "ts": s.t0 + 420, "type": "live.marker",
                        "data": {"session": s.id}}])
    control.refresh_latencies()
    qtbot.waitUntil(lambda: latency.isVisible() and latency.text().startswith("420 ms"), timeout=WAIT_MS)
    control.stop("live")
    qtbot.waitUntil(lambda: control.sessions["live"] is None, timeout=WAIT_MS)
