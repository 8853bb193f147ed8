"""The province link in the status bar: records waiting to be shipped, the last sync, the last error.

It reads ``SyncWorker.status()`` once a second: a copy of a few numbers, no I/O, so it runs on the GUI
thread (never per record: the worker's own changes are not listened to here)."""

from __future__ import annotations

import html

from PySide6.QtCore import QDateTime, QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import QToolButton

from console.fleet.state import now_ms
from console.ui import theme
from console.ui.sync import model


def full_time(ts_ms: int) -> str:
    return QDateTime.fromMSecsSinceEpoch(int(ts_ms)).toString("HH:mm:ss dd/MM/yyyy")


class SyncBadge(QToolButton):
    """``Province · 1,234 to send · last sync 12:03``; red with "⚠" while the last attempt failed (the
    error in full in the tooltip), amber while paused. With no worker, ``error`` says why the link did
    not start. ``set_bulletins(counts)`` adds the bulletins waiting for the operator to the tooltip. A
    click (``clicked``) should open the sync page."""

    changed = Signal()  # the status read differs from the last one

    def __init__(self, worker, parent=None, interval_ms: int = 1000, error: str = "") -> None:
        super().__init__(parent)
        self.worker = worker
        self.error = error
        self.status = None
        self.bulletins: dict[str, int] = {}
        self.setAutoRaise(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        if worker is not None:
            self._timer.start(interval_ms)
        self.refresh()

    def refresh(self) -> None:
        status = self.worker.status() if self.worker is not None else None
        if status != self.status or self.status is None:
            self.status = status
            self.retranslate()
            self.changed.emit()

    def set_bulletins(self, counts: dict[str, int]) -> None:
        if counts != self.bulletins:
            self.bulletins = dict(counts)
            self.retranslate()

    def retranslate(self) -> None:
        st = self.status
        if st is None:
            self.setText("⚠ " + self.tr("Province: not linked"))
            self.setToolTip(self.tr("The province link could not start: {error}").format(error=self.error))
            self._style(theme.OFFLINE)
            return
        now = now_ms()
        parts = [self.tr("Province paused") if st.paused else self.tr("Province")]
        if st.backlog:
            parts.append(self.tr("{n} to send").format(n=model.count(st.backlog)))
        parts.append(self.tr("last sync {time}").format(time=model.clock(st.last_success, now))
                     if st.last_success else self.tr("never synced"))
        # Compact: the window's width is the status bar's. Red and "⚠" say that the last attempt failed
        # (the error is in the tooltip); the bulletins waiting are counted on the Province tab.
        self.setText(("⚠ " if st.last_error else "") + " · ".join(parts))
        self._style(theme.OFFLINE if st.last_error else theme.WARNING if st.paused else None)
        self.setToolTip(self._tooltip(st))

    def _tooltip(self, st) -> str:
        lines = [self.tr("Province link: {state}").format(state=model.label(model.LINK_STATES, st.state)),
                 self.tr("{n} record(s) to send (the province holds {acked} of {last})").format(
                     n=model.count(st.backlog), acked=model.count(st.acked_through), last=model.count(st.last_seq)),
                 self.tr("Last sync: {time}").format(time=full_time(st.last_success)) if st.last_success
                 else self.tr("Last sync: never")]
        waiting = sum(self.bulletins.get(k, 0) for k in ("received", "waiting", "confirm"))
        if waiting:
            lines.append(self.tr("{n} bulletin(s) waiting for the operator, {confirm} of them emergencies to "
                                 "confirm").format(n=waiting, confirm=self.bulletins.get("confirm", 0)))
        if st.last_error:
            lines.append(self.tr("Last error ({time}): {error}").format(
                time=full_time(st.last_error_at) if st.last_error_at else "—", error=st.last_error))
        if st.next_retry_at:
            lines.append(self.tr("Next try at {time}").format(time=full_time(st.next_retry_at)))
        lines.append(self.tr("Click to open the sync page."))
        return "<br>".join(html.escape(line) for line in lines)

    def _style(self, colour) -> None:
        if colour is None:
            self.setStyleSheet("QToolButton { padding: 0 6px; }")
        elif colour == theme.OFFLINE:
            self.setStyleSheet(f"QToolButton {{ color: {colour.name()}; font-weight: 600; padding: 0 6px; }}")
        else:
            self.setStyleSheet(f"QToolButton {{ color: {colour.name()}; padding: 0 6px; }}")

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
