"""As-run: what each cluster did with each scheduled part (played, partly, missed, failed).

The receipts of the chosen days and schedule are read through the task API; status and cluster
filters apply to what was read, so the counts per status always cover the whole selection. Filter
changes and the periodic refresh go through one single-shot timer: a burst makes one read.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import IntEnum
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractTableModel, QDate, QEvent, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.ui import theme
from console.ui.library.library_model import clock_time
from console.ui.library.refusals import reason
from console.ui.schedule import labels as lb
from console.ui.schedule.data import (
    RECEIPT_STATUSES,
    AsRunData,
    count_statuses,
    filter_receipts,
    load_asrun,
    part_index,
)
from console.ui.tasks import Task, TaskManager

REFRESH_MS = 10_000
FILTER_DELAY_MS = 250
DEFAULT_DAYS = 7


class Column(IntEnum):
    START = 0
    SCHEDULE = 1
    PART = 2
    DEVICE = 3
    STATUS = 4
    PLAYED = 5
    REASON = 6


class AsRunModel(QAbstractTableModel):
    """Receipts, newest first, with the schedules' titles and parts."""

    def __init__(self, zone: ZoneInfo, parent=None):
        super().__init__(parent)
        self.zone = zone
        self._rows: list[dict] = []
        self._schedules: dict = {}

    def set_rows(self, rows: list[dict], schedules: dict) -> None:
        self.beginResetModel()
        self._rows = sorted(rows, key=lambda r: (r["start"], r["item"], r["device"]), reverse=True)
        self._schedules = schedules
        self.endResetModel()

    def receipt(self, row: int) -> dict:
        return self._rows[row]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Air time"), self.tr("Schedule"), self.tr("Part"), self.tr("Cluster"), self.tr("Status"),
                self.tr("Played"), self.tr("Reason"))[section]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        col = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, col)
        if role == Qt.ItemDataRole.DecorationRole and col == Column.STATUS:
            return theme.dot_icon(lb.RECEIPT_COLOURS.get(r["status"], theme.UNKNOWN).name())
        if role == Qt.ItemDataRole.TextAlignmentRole and col == Column.PLAYED:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col in (Column.PART, Column.REASON):
            return r["item"] if col == Column.PART else r["reason"]
        return None

    def _text(self, r: dict, col: Column) -> str:
        spec = self._schedules.get(r["schedule"])
        if col == Column.START:
            return datetime.fromtimestamp(r["start"] / 1000, self.zone).strftime("%d/%m/%Y %H:%M:%S")
        if col == Column.SCHEDULE:
            return spec.title if spec is not None else f"#{r['schedule']}"
        if col == Column.PART:
            index = part_index(r["item"])
            part = spec.programme[index] if spec is not None and index is not None and index < len(spec.programme) \
                else None
            if part is None:
                return r["item"]
            return part.title or lb.label(lb.PART_KINDS, part.kind)
        if col == Column.DEVICE:
            return r["device"]
        if col == Column.STATUS:
            return lb.label(lb.RECEIPT_STATUSES, r["status"])
        if col == Column.PLAYED:
            return f"{clock_time(r['played_ms'])} / {clock_time(r['dur_ms'])}"
        return lb.reason(r["reason"]) if r["reason"] else ""

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(Column) - 1))


class AsRunView(QWidget):
    """The receipts of ``asrun`` (console.schedule.asrun.AsRun) with filters and counts per status."""

    def __init__(self, asrun, scheduler, parent=None, refresh_ms: int = REFRESH_MS):
        super().__init__(parent)
        self.asrun, self.scheduler = asrun, scheduler
        self.zone = ZoneInfo(scheduler.tz)
        self.tasks = TaskManager(self)
        self.data: AsRunData | None = None
        self._counted: dict[str, int] | None = None  # per status, over the cluster filter
        self._loading: Task | None = None
        self._today = today = scheduler.now().date()
        self.since = QDateEdit(QDate(today.year, today.month, today.day).addDays(1 - DEFAULT_DAYS))
        self.until = QDateEdit(QDate(today.year, today.month, today.day))
        for d in (self.since, self.until):
            d.setCalendarPopup(True)
            d.setDisplayFormat("dd/MM/yyyy")
        self.dash = QLabel("–")
        self.status_filter = QComboBox()
        self.schedule_filter = QComboBox()
        self.schedule_filter.setMinimumContentsLength(24)
        self.schedule_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.device = QLineEdit()
        self.device.setClearButtonEnabled(True)
        self.counts = QLabel()
        self.model = AsRunModel(self.zone, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        for col in (Column.START, Column.DEVICE, Column.STATUS, Column.PLAYED):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        for col in (Column.SCHEDULE, Column.PART):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, 210)
        self.note = QLabel()

        bar = QHBoxLayout()
        for w in (self.since, self.dash, self.until, self.status_filter, self.schedule_filter):
            bar.addWidget(w)
        bar.addWidget(self.device, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addLayout(bar)
        lay.addWidget(self.counts)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.note)

        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(FILTER_DELAY_MS)
        self._reload_timer.timeout.connect(self.reload)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._show)
        self._refresh = QTimer(self)
        self._refresh.setInterval(refresh_ms)
        self._refresh.timeout.connect(self._periodic)
        self._refresh.start()
        for d in (self.since, self.until):
            d.dateChanged.connect(self.request_reload)
        self.schedule_filter.currentIndexChanged.connect(self.request_reload)
        self.status_filter.currentIndexChanged.connect(lambda _i: self._filter_timer.start())
        self.device.textChanged.connect(lambda _t: self._filter_timer.start())
        self.retranslate()
        self.reload()

    # -- language ---------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.since.setToolTip(self.tr("From this day"))
        self.until.setToolTip(self.tr("To this day (included)"))
        current = self.status_filter.currentData()
        self.status_filter.blockSignals(True)
        self.status_filter.clear()
        self.status_filter.addItem(self.tr("All statuses"), None)
        for s in RECEIPT_STATUSES:
            self.status_filter.addItem(theme.dot_icon(lb.RECEIPT_COLOURS[s].name()), lb.label(lb.RECEIPT_STATUSES, s), s)
        self.status_filter.setCurrentIndex(max(0, self.status_filter.findData(current)))
        self.status_filter.blockSignals(False)
        self.device.setPlaceholderText(self.tr("Search cluster id…"))
        self._fill_schedules()
        self.model.retranslate()
        self._show_counts()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- filters ----------------------------------------------------------------------------------

    def set_status(self, status: str | None) -> None:
        self.status_filter.setCurrentIndex(max(0, self.status_filter.findData(status)))

    def _day_ms(self, d: date) -> int:
        return int(datetime.combine(d, time(0), self.zone).timestamp() * 1000)

    def query(self) -> dict:
        """The service's filters: days and schedule (status and cluster filter what was read)."""
        since, until = self.since.date().toPython(), self.until.date().toPython()
        return {"since_ms": self._day_ms(since), "until_ms": self._day_ms(max(since, until) + timedelta(days=1)),
                "schedule_id": self.schedule_filter.currentData()}

    def _fill_schedules(self) -> None:
        current = self.schedule_filter.currentData()
        self.schedule_filter.blockSignals(True)
        self.schedule_filter.clear()
        self.schedule_filter.addItem(self.tr("All schedules"), None)
        for spec in sorted(self.data.schedules.values(), key=lambda s: s.title) if self.data else ():
            self.schedule_filter.addItem(spec.title, spec.id)
        index = self.schedule_filter.findData(current)
        if index < 0 and current is not None:  # not listed (yet): keep the choice
            self.schedule_filter.addItem(f"#{current}", current)
            index = self.schedule_filter.count() - 1
        self.schedule_filter.setCurrentIndex(max(0, index))
        self.schedule_filter.blockSignals(False)

    # -- loading ----------------------------------------------------------------------------------

    def request_reload(self) -> None:
        self._reload_timer.start()

    def _periodic(self) -> None:
        """Reload; past midnight, a range that ended today moves on with the day."""
        today = self.scheduler.now().date()
        if today != self._today and self.until.date().toPython() == self._today:
            days = (today - self._today).days
            self.since.setDate(self.since.date().addDays(days))
            self.until.setDate(self.until.date().addDays(days))
        self._today = today
        self.request_reload()

    def shutdown(self) -> None:
        """Stop loading: no more timers, running tasks are asked to stop."""
        for t in (self._reload_timer, self._filter_timer, self._refresh):
            t.stop()
        self.tasks.shutdown()

    def reload(self) -> Task:
        self._reload_timer.stop()
        if self._loading is not None:
            self._loading.cancel()
        q = self.query()
        task = self.tasks.run(lambda progress, cancel: load_asrun(self.asrun, self.scheduler, **q),
                              on_done=lambda data: self._loaded(task, q, data),
                              on_error=lambda exc: self._failed(task, exc))
        self._loading = task
        return task

    def _loaded(self, task: Task, query: dict, data: AsRunData) -> None:
        if task is not self._loading:
            return
        self._loading = None
        if query != self.query():  # the filters changed meanwhile: a newer read is coming
            return
        self.data = data
        self._fill_schedules()
        self.note.setText("")
        self._show()

    def _failed(self, task: Task, exc: BaseException) -> None:
        if task is self._loading:
            self._loading = None
            self.note.setText(self.tr("Could not read the as-run records: {reason}").format(reason=reason(exc)))

    def _show(self) -> None:
        self._filter_timer.stop()
        if self.data is None:
            return
        rows = filter_receipts(self.data.receipts, None, self.device.text())
        self._counted = count_statuses(rows)
        self.model.set_rows(filter_receipts(rows, self.status_filter.currentData()), self.data.schedules)
        self._show_counts()

    def _show_counts(self) -> None:
        counts = self._counted
        if counts is None:
            self.counts.setText(self.tr("Reading…"))
            return
        parts = [theme.coloured_dot_html(lb.RECEIPT_COLOURS[s], f"{lb.label(lb.RECEIPT_STATUSES, s)}: <b>{n}</b>")
                 for s, n in counts.items()]
        total = sum(counts.values())
        parts.append(self.tr("{n} record(s) in all, {shown} shown").format(n=total, shown=self.model.rowCount()))
        self.counts.setText("&nbsp;&nbsp;&nbsp;&nbsp;".join(parts))
