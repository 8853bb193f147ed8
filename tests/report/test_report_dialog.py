"""The report dialog: it writes the report on a worker with progress, and Cancel stops it."""

from __future__ import annotations

import threading
from datetime import date
from types import SimpleNamespace

import reportdata as rd
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from console.report import Cancelled, Period
from console.ui.report import dialog as dialog_module
from console.ui.report.dialog import STEPS, ReportDialog


def make(qtbot, station_db, **kw) -> ReportDialog:
    station = SimpleNamespace(db=station_db, site=rd.STATION, settings=None)
    dlg = ReportDialog(station, today=date(2026, 12, 5), **kw)
    qtbot.addWidget(dlg)
    return dlg


def test_the_dialog_writes_the_report(qtbot, station_db, tmp_path):
    dlg = make(qtbot, station_db)
    assert dlg.period() == Period("year", 2026) and dlg.fmt() == "pdf" and dlg.language() == "vi"
    dlg.set_period(Period("month", 2026, 11))
    dlg.format.setCurrentIndex(1)
    assert dlg.path.text().endswith(f"bao-cao-{rd.STATION}-2026-11.xlsx")  # follows the choices
    out = tmp_path / "thang-11.xlsx"
    dlg.path.setText(str(out))
    seen = []
    dlg.progress.valueChanged.connect(seen.append)
    with qtbot.waitSignal(dlg.written, timeout=60_000) as written:
        qtbot.mouseClick(dlg.create, Qt.MouseButton.LeftButton)
    assert written.args == [str(out)]
    assert dlg.progress.value() == STEPS and any(0 < v < STEPS for v in seen)
    assert str(out) in dlg.status.text() and dlg.create.isEnabled() and not dlg.stop.isEnabled()
    ws = load_workbook(out)["Giờ phát theo đài"]
    assert ws.cell(6, 4).value == rd.EXPECTED["hours"]


def test_cancel_stops_the_work_and_the_window_stays_responsive(qtbot, station_db, tmp_path, monkeypatch):
    """The work waits until it is cancelled: if it ran on the GUI thread, the click on Cancel could
    never be handled and the test would time out."""
    started = threading.Event()

    def slow_source(self, period):
        def read(progress, cancel):
            progress(0.2)
            started.set()
            cancel.wait(60)
            raise Cancelled()
        return read
    monkeypatch.setattr(dialog_module.ReportDialog, "_source", slow_source)
    dlg = make(qtbot, station_db)
    out = tmp_path / "r.pdf"
    dlg.path.setText(str(out))
    dlg.start()
    qtbot.waitUntil(lambda: dlg.progress.value() > 0)
    assert started.is_set() and dlg.stop.isEnabled() and not dlg.create.isEnabled()
    with qtbot.waitSignal(dlg.cancelled, timeout=10_000):
        dlg.stop.click()
    assert not out.exists() and dlg.create.isEnabled() and dlg.progress.value() == 0


def test_a_bad_path_is_said_at_once(qtbot, station_db, tmp_path):
    dlg = make(qtbot, station_db)
    dlg.path.setText(str(tmp_path / "missing" / "r.pdf"))
    with qtbot.waitSignal(dlg.failed, timeout=1000) as failed:
        dlg.start()
    assert "does not exist" in failed.args[0] and dlg.task is None and "does not exist" in dlg.status.text()
