"""The Province tab of the demo station, for ``screenshot --view bulletins`` and ``--view sync``.

The demo station has no province, so this starts the reference collector on loopback (a SQLite file in
the station's data directory) and gives the station a token and a sync worker, which ships the
station's records (the history shows the batches, the bulletins received and the receipts sent).
The collector sends a bulletin of each kind: normal ones (a text, one with audio), a priority one (scheduled at once by the inbox), a priority text
(waiting) and an emergency one (waiting for its one-click confirmation); the operator has already
rejected one and read another out. Everything is real: no widget is filled by hand.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

TIMEOUT_S = 60
RATE = 16000
# (priority, title, text or None for audio, audio seconds, targets, issued by)
BULLETINS = (
    ("normal", "Thông báo lịch tiêm chủng mở rộng tháng 12",
     ("Trạm y tế xã tiêm vắc-xin sởi – rubella cho trẻ từ 9 tháng tuổi, sáng thứ Hai và thứ Ba tuần tới."),
     0, (), "Sở Y tế"),
    ("normal", "Tuyên truyền phòng chống cháy rừng mùa khô", None, 48, (), "Sở Nông nghiệp và Môi trường"),
    ("normal", "Họp dân thôn Đông về đường giao thông nông thôn", "19h00 thứ Sáu tại nhà văn hoá thôn Đông.", 0,
     (), "UBND xã"),
    ("normal", "Lịch cắt điện tuần này", "Cắt điện từ 7h00 đến 11h00 thứ Tư để bảo trì đường dây.", 0, (),
     "Điện lực tỉnh"),
    ("priority", "Cảnh báo nắng nóng gay gắt, hạn chế ra đồng buổi trưa", None, 36, (), "Đài Khí tượng Thủy văn tỉnh"),
    ("priority", "Thông báo khẩn về dịch tả lợn châu Phi",
     "Không mua bán, vận chuyển lợn ốm, chết; báo ngay cho thú y xã.", 0, (), "Chi cục Chăn nuôi và Thú y"),
    ("emergency", "Bão số 13: sơ tán dân vùng ven biển trước 17h", None, 64, (), "Ban Chỉ huy PCTT tỉnh"),
)
REJECT = (3, "Thôn Đông đã họp hôm qua; tin không còn phù hợp.")
READ_OUT = 4


def _wait(predicate, timeout_s: float = TIMEOUT_S) -> bool:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() >= deadline:
            return False
        QTest.qWait(50)
    return True


def _audio(folder: Path, seconds: float, seed: int) -> Path:
    from console.ui.editor.demo import speech_like
    from console.ui.library.demo import _write_wav

    folder.mkdir(parents=True, exist_ok=True)
    return _write_wav(folder / f"ban-tin-{seed}.wav", speech_like(seconds, RATE, seed=seed) * 0.8)


@contextmanager
def demo_view(view: str, station, settings: QSettings) -> Iterator[QWidget]:
    """The main window on the Province tab: the inbox (``bulletins``) or the sync page (``sync``)."""
    from console.province import store
    from console.province.server import CollectorServer
    from console.sync.client import HttpProvince
    from console.sync.service import make_worker
    from console.sync.worker import Backoff
    from console.ui.main_window import MainWindow

    folder = station.settings.data_path / "demo-province"
    folder.mkdir(parents=True, exist_ok=True)
    db = store.open_collector(f"sqlite:///{folder / 'province.db'}")
    server = CollectorServer(db, port=0).start()
    worker = None
    try:
        with db.sessions.begin() as s:
            token = store.add_token(s, station.site)
        province = HttpProvince(server.url, station.site, token, timeout_s=5)
        worker = make_worker(station.settings, station.db, province, writer=station.writer, library=station.library,
                             scheduler=station.scheduler, live=station.live, backoff=lambda: Backoff(0.4, 1.5),
                             poll_wait_s=2)
        worker.start()
        with db.sessions.begin() as s:
            for i, (priority, title, text, secs, targets, issuer) in enumerate(BULLETINS):
                media = _audio(folder, secs, seed=20 + i) if text is None else None
                store.send_bulletin(s, station.site, priority, title, text=text or "", media=media,
                                    targets=list(targets), issued_by=issuer)
        inbox = worker.inbox
        _wait(lambda: sum(n for state, n in inbox.counts().items() if state != "received") == len(BULLETINS))
        inbox.reject(*REJECT)
        inbox.read_out(READ_OUT)
        _wait(lambda: worker.status().backlog == 0 and worker.status().last_success is not None)
        _wait(lambda: not inbox.pending_receipts(), 20)
        station.sync, station.sync_error = worker, ""
        window = MainWindow(station, settings)
        if getattr(window, "map_dock", None) is not None:
            window.map_dock.hide()  # the Province tab gets the window's height
        panel = window.province_panel
        window.tabs.setCurrentWidget(panel)
        _wait(lambda: len(panel.inbox.model.rows) == len(BULLETINS) and panel.banner.confirming, 30)
        if view == "sync":
            panel.show_sync()
            _wait(lambda: panel.page.status is not None and panel.page.backlog_table.rowCount() > 0, 10)
        yield window
    finally:
        if worker is not None:
            worker.stop()
        station.sync = None
        server.stop()
        db.close()
