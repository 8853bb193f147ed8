"""The sync page: the link's state, pause/resume and "Sync now", what waits to be shipped by record
type, and the history of attempts (batches, failures, bulletins, receipts).

The worker's status and history are in-memory snapshots (``SyncWorker.status()``/``history()``), read
on the GUI thread once a second and applied only when they changed. The backlog by type is a database
read: on a worker (``Loader``), when the page is shown and every few seconds while it is. Pause and
resume write the database, so they run on a worker too; "Sync now" only wakes the worker's loops."""

from __future__ import annotations

import html

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.fleet.state import now_ms
from console.ui import formatting as fmt
from console.ui import theme
from console.ui.monitor.loader import Loader
from console.ui.sync import model
from console.ui.sync.status import full_time
from console.ui.tasks import TaskManager

NUMERIC = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class HistoryModel(QAbstractTableModel):
    """The worker's history, newest first: time, what, records, size (gzip, as sent), detail."""

    COLUMNS = ("time", "event", "records", "size", "detail")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[model.HistoryRow] = []

    def set_entries(self, entries: list[dict]) -> None:
        self.beginResetModel()
        self.rows = model.history_rows(entries)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Time"), self.tr("Event"), self.tr("Records"), self.tr("Size"), self.tr("Detail"))[section]
        return None

    def text(self, r: model.HistoryRow, col: str) -> str:
        if col == "time":
            return fmt.clock(r.ts, now_ms())
        if col == "event":
            return model.label(model.HISTORY_KINDS, r.kind)
        if col == "records":
            return model.count(r.records) if r.records is not None else ""
        if col == "size":
            return model.size(r.bytes) if r.bytes is not None else ""
        return r.detail

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        r = self.rows[index.row()]
        col = self.COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(r, col)
        if role == Qt.ItemDataRole.ForegroundRole and r.failed and col in ("event", "detail"):
            return theme.OFFLINE
        if role == Qt.ItemDataRole.TextAlignmentRole and col in ("records", "size"):
            return NUMERIC
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.COLUMNS) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.COLUMNS) - 1))


class SyncPage(QWidget):
    """``worker`` is the station's :class:`console.sync.worker.SyncWorker`. ``loaded()`` after each read
    of the backlog by type; ``acted(str)`` after a pause or resume reached the worker."""

    loaded = Signal()
    acted = Signal(str)

    def __init__(self, worker, parent=None, interval_ms: int = 1000, refresh_ms: int = 5000) -> None:
        super().__init__(parent)
        self.worker = worker
        self.status = None
        self.by_type: dict[str, int] = {}
        self._history_key = None
        self.tasks = TaskManager(self, workers=1)

        self.state = QLabel()
        self.state.setTextFormat(Qt.TextFormat.RichText)
        self.pause_button = QPushButton()
        self.pause_button.clicked.connect(self.toggle_pause)
        self.sync_button = QPushButton()
        self.sync_button.clicked.connect(self.sync_now)
        top = QHBoxLayout()
        top.addWidget(self.state, 1)
        top.addWidget(self.pause_button)
        top.addWidget(self.sync_button)

        self.facts = {key: QLabel() for key in ("backlog", "success", "shipped", "province")}
        self.fact_names = {key: QLabel() for key in self.facts}
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        for row, key in enumerate(self.facts):
            self.fact_names[key].setStyleSheet(f"color:{theme.MUTED.name()};")
            self.facts[key].setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(self.fact_names[key], row, 0)
            grid.addWidget(self.facts[key], row, 1)
        grid.setColumnStretch(1, 1)
        self.error = QLabel()  # the last error, red, in full
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.RichText)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setFrameShape(QFrame.Shape.StyledPanel)
        self.error.setContentsMargins(8, 6, 8, 6)
        self.error.setStyleSheet(f"QLabel {{ color: {theme.OFFLINE.name()}; background: #fdf0f0; }}")
        self.message = QLabel()
        self.message.setWordWrap(True)

        self.backlog_title = QLabel()
        self.backlog_table = QTableWidget(0, 2)
        self.backlog_table.verticalHeader().hide()
        self.backlog_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.backlog_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.backlog_table.setShowGrid(False)
        self.backlog_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.backlog_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.backlog_title)
        lv.addWidget(self.backlog_table, 1)

        self.history_title = QLabel()
        self.history_model = HistoryModel(self)
        self.history = QTableView()
        self.history.setModel(self.history_model)
        self.history.verticalHeader().hide()
        self.history.setShowGrid(False)
        self.history.setWordWrap(False)
        self.history.setAlternatingRowColors(True)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.horizontalHeader().setStretchLastSection(True)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self.history_title)
        rv.addWidget(self.history, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        split.setSizes([300, 900])

        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(grid)
        lay.addWidget(self.error)
        lay.addWidget(self.message)
        lay.addWidget(split, 1)

        self.loader = Loader(self.tasks, lambda: 0, lambda _k: worker.backlog_by_type(), self._show_backlog,
                             view=self, refresh_ms=refresh_ms, parent=self,
                             on_error=lambda e: self.message.setText(
                                 self.tr("The outbox could not be read: {error}").format(error=e)))
        self._clear_message = QTimer(self, singleShot=True, interval=3000)
        self._clear_message.timeout.connect(lambda: self.message.setText(""))
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(interval_ms)
        self.retranslate()
        self.refresh()

    # Reading --------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """The worker's snapshot and history (no I/O); the backlog by type again when the backlog moved."""
        st = self.worker.status()
        if st != self.status:
            moved = self.status is None or st.backlog != self.status.backlog
            self.status = st
            self._show_status()
            if moved:
                self.loader.refresh()
        else:
            self._show_success()  # "(3 min ago)" moves on
        history = self.worker.history()
        key = (len(history), history[-1]["ts"] if history else 0, history[-1].get("count") if history else 0)
        if key != self._history_key:
            self._history_key = key
            self.history_model.set_entries(history)

    def _show_status(self) -> None:
        st = self.status
        if st is None:
            return
        colour = model.LINK_COLOURS.get(st.state, theme.MUTED)
        state = model.label(model.LINK_STATES, st.state)
        if st.state == "retrying" and st.next_retry_at:
            state += " — " + self.tr("next try at {time}").format(time=fmt.clock(st.next_retry_at, now_ms()))
        elif st.state == "paused":
            state += " — " + self.tr("no records are shipped until you resume; bulletins still arrive")
        self.state.setText(theme.coloured_dot_html(colour, "<b>" + html.escape(self.tr("Province link")) + ":</b> "
                                                   + html.escape(state)))
        self.pause_button.setText(self.tr("Resume") if st.paused else self.tr("Pause"))
        self.pause_button.setToolTip(self.tr("Ship the records again") if st.paused
                                     else self.tr("Hold the records back until you resume, e.g. on a metered link "
                                                  "(kept across restarts); bulletins and their receipts still go"))
        self.sync_button.setEnabled(not st.paused and st.state != "stopped")
        self.facts["backlog"].setText(self.tr("{n} record(s) — the province holds records 1 to {acked}, this "
                                              "station has written {last}").format(
            n=model.count(st.backlog), acked=model.count(st.acked_through), last=model.count(st.last_seq)))
        self._show_success()
        self.facts["shipped"].setText(self.tr("{records} record(s) shipped, {bulletins} bulletin(s) received").format(
            records=model.count(st.shipped), bulletins=model.count(st.bulletins)))
        if st.last_error:
            when = full_time(st.last_error_at) if st.last_error_at else ""
            self.error.setText("<b>" + html.escape(self.tr("Last error")) + f"</b> {html.escape(when)}<br>"
                               + html.escape(st.last_error))
        self.error.setVisible(bool(st.last_error))

    def _show_success(self) -> None:
        st = self.status
        if st is not None:
            self.facts["success"].setText(f"{full_time(st.last_success)} ({fmt.age((now_ms() - st.last_success) / 1000)})"
                                          if st.last_success else self.tr("never"))

    def _show_backlog(self, by_type: dict[str, int]) -> None:
        self.by_type = dict(by_type)
        rows = sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0]))
        table = self.backlog_table
        table.setRowCount(len(rows) + 1)
        for r, (kind, n) in enumerate([*rows, ("", sum(by_type.values()))]):
            name = QTableWidgetItem(model.label(model.RECORD_TYPES, kind) if kind else self.tr("Total"))
            value = QTableWidgetItem(model.count(n))
            value.setTextAlignment(NUMERIC)
            if not kind:
                font = name.font()
                font.setBold(True)
                name.setFont(font)
                value.setFont(font)
            table.setItem(r, 0, name)
            table.setItem(r, 1, value)
        self.loaded.emit()

    # Acting ---------------------------------------------------------------------------------------
    def toggle_pause(self) -> None:
        """Pause, or resume (a database write: on a worker)."""
        pause = not (self.status is not None and self.status.paused)
        self.pause_button.setEnabled(False)
        action = self.worker.pause if pause else self.worker.resume
        self.tasks.run(lambda _p, _c: action(), on_done=lambda _r: self._acted("pause" if pause else "resume"),
                       on_error=self._failed)

    def sync_now(self) -> None:
        """Wake the worker out of its wait or backoff (no I/O here)."""
        self.worker.sync_now()
        self.message.setText(self.tr("Syncing now…"))
        self._clear_message.start()

    def _acted(self, action: str) -> None:
        self.pause_button.setEnabled(True)
        self.message.setText("")
        self.refresh()
        self.acted.emit(action)

    def _failed(self, exc: BaseException) -> None:
        self.pause_button.setEnabled(True)
        self.message.setText(self.tr("The link could not be changed: {error}").format(error=exc))

    def retranslate(self) -> None:
        names = {"backlog": self.tr("To send:"), "success": self.tr("Last sync:"),
                 "shipped": self.tr("Since the console started:"), "province": self.tr("Province:")}
        for key, text in names.items():
            self.fact_names[key].setText(text)
        province = getattr(self.worker, "province", None)
        base, station = getattr(province, "base", ""), getattr(province, "station", "")
        self.facts["province"].setText(self.tr("{url} as station {station}").format(url=base, station=station)
                                       if base else "—")
        self.sync_button.setText(self.tr("Sync now"))
        self.sync_button.setToolTip(self.tr("Try at once instead of waiting (also cuts a wait after a failure "
                                            "short)"))
        self.backlog_title.setText("<b>" + html.escape(self.tr("Waiting to be shipped, by type")) + "</b>")
        self.backlog_table.setHorizontalHeaderLabels([self.tr("Record type"), self.tr("Records")])
        self.history_title.setText("<b>" + html.escape(self.tr("History")) + "</b>")
        self.history_model.retranslate()
        self._show_status()
        if self.by_type or self.backlog_table.rowCount():
            self._show_backlog(self.by_type)
        fm, header = self.history.fontMetrics(), self.history.horizontalHeader()
        for col, sample in enumerate(("26/11 00:00", model.label(model.HISTORY_KINDS, "bulletin"), "1.000.000",
                                      "1.000,0 kB")):
            header.resizeSection(col, max(fm.horizontalAdvance(sample), fm.horizontalAdvance(
                self.history_model.headerData(col, Qt.Orientation.Horizontal))) + 20)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
