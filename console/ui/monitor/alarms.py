"""Alarms: the open ones and their history, acknowledged and resolved by hand; the count in the status
bar; an optional sound and desktop notification for new ones.

Every Monitor call runs on a worker (the engine's lock is held while it writes, so even the in-memory
counts can wait for the database). Changes arrive from the engine's ``on_change`` through
:class:`AlarmFeed`, a queued signal, and only make the views read again (coalesced).
"""

from __future__ import annotations

import html

import shiboken6
from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QCheckBox, QComboBox, QFrame, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPushButton, QSystemTrayIcon, QTableView, QToolButton,
                               QVBoxLayout, QWidget)

from console.fleet.state import now_ms
from console.ui import formatting as fmt
from console.ui import theme
from console.ui.monitor import model
from console.ui.monitor.loader import Loader
from console.ui.tasks import TaskManager

NOTIFY_KEY = "monitor/notify_alarms"  # QSettings: sound and desktop notification, off by default
NOTIFY_MS = 10_000
SHOW = ("open", "24h", "7d", "30d")
STATE_COLOURS = {"new": theme.OFFLINE, "acknowledged": theme.WARNING, "resolved": theme.MUTED}


class AlarmFeed(QObject):
    """The monitor's alarm changes re-emitted as ``changed(list of alarm dicts)`` on the GUI thread.

    The engine calls ``on_change`` on the monitor's thread (or the acting one); a callback already
    installed there (the station's) is kept and called first."""

    changed = Signal(object)

    def __init__(self, monitor, parent=None) -> None:
        super().__init__(parent)
        engine = monitor.alarms
        previous = engine.on_change

        def forward(changes: list[dict]) -> None:
            if previous is not None:
                previous(changes)
            if shiboken6.isValid(self):  # the window may be gone; the engine outlives it
                self.changed.emit(changes)

        engine.on_change = forward


class AlarmNotifier(QObject):
    """A beep and a desktop notification (the system tray's message, where there is a tray) for every
    batch of new alarms, when switched on; kept in ``settings`` under :data:`NOTIFY_KEY`, off by default."""

    def __init__(self, state, settings: QSettings | None = None, parent=None) -> None:
        super().__init__(parent)
        self._state = state
        self._settings = settings
        self._tray: QSystemTrayIcon | None = None
        self.enabled = bool(settings is not None and settings.value(NOTIFY_KEY, False, type=bool))
        self.last_message: tuple[str, str] | None = None

    def set_enabled(self, on: bool) -> None:
        self.enabled = on
        if self._settings is not None:
            self._settings.setValue(NOTIFY_KEY, on)
        if not on and self._tray is not None:
            self._tray.hide()

    def notify(self, changes: list[dict]) -> None:
        raised = [c for c in changes if c.get("change") == "raised"]
        if not self.enabled or not raised:
            return
        names = {c["device"]: getattr(self._state.get(c["device"]), "name", "") for c in raised}
        title = self.tr("{n} new alarm(s)").format(n=len(raised))
        text = "\n".join(model.alarm_summary(c, names[c["device"]]) for c in raised[:4])
        if len(raised) > 4:
            text += "\n" + self.tr("… and {n} more").format(n=len(raised) - 4)
        self.last_message = (title, text)
        QApplication.beep()
        if QSystemTrayIcon.isSystemTrayAvailable():
            if self._tray is None:
                self._tray = QSystemTrayIcon(theme.dot_icon(theme.OFFLINE.name()), self)
            self._tray.show()
            self._tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Warning, NOTIFY_MS)


class AlarmTableModel(QAbstractTableModel):
    """Alarm dicts (``Monitor.open_alarms`` / ``alarm_history``), newest first."""

    COLUMNS = ("raised", "device", "unit", "alarm", "severity", "state", "handling")

    def __init__(self, state, parent=None) -> None:
        super().__init__(parent)
        self._state = state
        self.rows: list[dict] = []

    def set_rows(self, rows: list[dict]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def row_of(self, alarm_id: int) -> int | None:
        return next((i for i, a in enumerate(self.rows) if a["id"] == alarm_id), None)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Raised"), self.tr("Cluster"), self.tr("Commune/Ward"), self.tr("Alarm"),
                    self.tr("Severity"), self.tr("State"), self.tr("Handled"))[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        a = self.rows[index.row()]
        col = self.COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(a, col)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == "state":
                return STATE_COLOURS.get(a["state"])
            if col == "severity" and a["severity"] == "major":
                return theme.OFFLINE
        if role == Qt.ItemDataRole.FontRole and col == "state" and a["state"] == "new":
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return a["id"]
        return None

    def text(self, a: dict, col: str) -> str:
        """The text of one column for one alarm."""
        d = self._state.get(a["device"])
        if col == "raised":
            return fmt.clock(a["raised_at"], now_ms())
        if col == "device":
            return f"{d.name} · {a['device']}" if d is not None and d.name else a["device"]
        if col == "unit":
            return d.unit_name if d is not None else ""
        if col == "alarm":
            detail = model.alarm_detail(a)
            return model.label(model.RULES, a["rule"]) + (f": {detail}" if detail else "")
        if col == "severity":
            return model.label(model.SEVERITIES, a["severity"])
        if col == "state":
            return model.label(model.STATES, a["state"])
        return model.alarm_handling(a)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.COLUMNS) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.COLUMNS) - 1))


class AlarmsView(QWidget):
    """Open alarms (or those raised in the last 24 h / 7 / 30 days); acknowledge or resolve the
    selected ones with a note, as ``user``. Double-click selects the cluster (``deviceSelected``)."""

    deviceSelected = Signal(str)
    loaded = Signal()
    acted = Signal()  # an acknowledge or resolve finished

    def __init__(self, monitor, state, user: str, notifier: AlarmNotifier | None = None, parent=None,
                 refresh_ms: int = 30_000) -> None:
        super().__init__(parent)
        self.monitor, self.user, self.notifier = monitor, user, notifier
        self.tasks = TaskManager(self, workers=1)
        self.model = AlarmTableModel(state, self)
        self.show_combo = QComboBox()
        self.show_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.summary = QLabel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.doubleClicked.connect(self._double_clicked)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setFrameShape(QFrame.Shape.StyledPanel)
        self.details.setContentsMargins(6, 4, 6, 4)
        self.note = QLineEdit()
        self.note.setClearButtonEnabled(True)
        self.acknowledge_button = QPushButton()
        self.acknowledge_button.clicked.connect(lambda: self.act("acknowledge"))
        self.resolve_button = QPushButton()
        self.resolve_button.clicked.connect(lambda: self.act("resolve"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.notify_box = QCheckBox()
        self.notify_box.setChecked(notifier is not None and notifier.enabled)
        self.notify_box.setVisible(notifier is not None)
        self.notify_box.toggled.connect(lambda on: self.notifier.set_enabled(on))

        top = QHBoxLayout()
        top.addWidget(self.show_combo)
        top.addWidget(self.summary, 1)
        top.addWidget(self.notify_box)
        actions = QHBoxLayout()
        self.note_label = QLabel()
        actions.addWidget(self.note_label)
        actions.addWidget(self.note, 1)
        actions.addWidget(self.acknowledge_button)
        actions.addWidget(self.resolve_button)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.details)
        lay.addLayout(actions)
        lay.addWidget(self.message)
        self.loader = Loader(self.tasks, self._key, self._read, self._show, view=self,
                             refresh_ms=refresh_ms, parent=self)
        self.retranslate()
        self._update_buttons()

    # Reading --------------------------------------------------------------------------------------
    @property
    def showing(self) -> str:
        return SHOW[max(0, self.show_combo.currentIndex())]

    def reload(self, *_args) -> None:
        """Read again (only while shown: a hidden view reads when it is shown)."""
        self.loader.refresh()

    def _key(self):
        return self.showing

    def _read(self, show: str):
        return model.read_alarms(self.monitor, show)

    def _show(self, rows: list[dict]) -> None:
        chosen = set(self.selected_ids())
        self.model.set_rows(rows)
        selection = self.table.selectionModel()
        for row, a in enumerate(rows):
            if a["id"] in chosen:
                selection.select(self.model.index(row, 0), selection.SelectionFlag.Select
                                 | selection.SelectionFlag.Rows)
        counts = {s: sum(a["state"] == s for a in rows) for s in model.STATES}
        self.summary.setText(self.tr("{n} alarms: {new} new, {acked} acknowledged, {resolved} resolved").format(
            n=len(rows), new=counts["new"], acked=counts["acknowledged"], resolved=counts["resolved"]))
        self._update_buttons()
        self.loaded.emit()

    # Acting ---------------------------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.rows[r]["id"] for r in rows if r < len(self.model.rows)]

    def select_alarm(self, alarm_id: int) -> bool:
        row = self.model.row_of(alarm_id)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    def _selected(self) -> list[dict]:
        ids = set(self.selected_ids())
        return [a for a in self.model.rows if a["id"] in ids]

    def _update_buttons(self) -> None:
        chosen = self._selected()
        self.acknowledge_button.setEnabled(any(a["state"] == "new" for a in chosen))
        self.resolve_button.setEnabled(any(a["state"] != "resolved" for a in chosen))
        self._show_details(chosen)

    def _show_details(self, chosen: list[dict]) -> None:
        """The whole story of the selected alarm: what, where, when raised, who handled it and how."""
        if len(chosen) != 1:
            self.details.setText(self.tr("{n} alarms selected").format(n=len(chosen)) if chosen else
                                 self.tr("Select an alarm to see it in full, acknowledge or resolve it."))
            return
        a = chosen[0]

        def text(col: str) -> str:
            return html.escape(self.model.text(a, col))

        lines = [f"<b>{text('alarm')}</b> — {text('device')}, {text('unit')}",
                 self.tr("Raised {time} · {severity} · {state}").format(
                     time=text("raised"), severity=text("severity"), state=text("state"))]
        if a["state"] != "new":
            lines.append(text("handling"))
        self.details.setText("<br>".join(lines))

    def act(self, action: str) -> None:
        """Acknowledge (the new ones) or resolve (the open ones) among the selected alarms, with the note."""
        wanted = "new" if action == "acknowledge" else ("new", "acknowledged")
        ids = [a["id"] for a in self._selected() if a["state"] in wanted]
        if not ids:
            return
        note, user = self.note.text().strip(), self.user
        self.acknowledge_button.setEnabled(False)
        self.resolve_button.setEnabled(False)
        self.tasks.run(lambda _p, _c: model.act_on_alarms(self.monitor, action, ids, user, note),
                       on_done=lambda result: self._acted(action, *result), on_error=self._failed)

    def _acted(self, action: str, done: list[dict], refused: list[str]) -> None:
        text = (self.tr("{n} alarm(s) acknowledged.") if action == "acknowledge"
                else self.tr("{n} alarm(s) resolved.")).format(n=len(done))
        if refused:
            text += " " + self.tr("Not changed: {why}").format(why="; ".join(refused))
        self.message.setText(text)
        if done:
            self.note.clear()
        self.loader.request()
        self.acted.emit()

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(self.tr("The alarms could not be changed: {error}").format(error=exc))
        self._update_buttons()

    def _double_clicked(self, index) -> None:
        if index.isValid():
            self.deviceSelected.emit(self.model.rows[index.row()]["device"])

    def retranslate(self) -> None:
        current = self.show_combo.currentIndex()
        self.show_combo.blockSignals(True)
        self.show_combo.clear()
        self.show_combo.addItems([self.tr("Open alarms"), self.tr("Raised in the last 24 h"),
                                  self.tr("Raised in the last 7 days"), self.tr("Raised in the last 30 days")])
        self.show_combo.setCurrentIndex(max(0, current))
        self.show_combo.blockSignals(False)
        self.note_label.setText(self.tr("Note:"))
        self.note.setPlaceholderText(self.tr("What was found or done, who is going (saved with your name: {user})")
                                     .format(user=self.user))
        self.acknowledge_button.setText(self.tr("Acknowledge"))
        self.acknowledge_button.setToolTip(self.tr("I have seen it and someone is on it"))
        self.resolve_button.setText(self.tr("Resolve"))
        self.resolve_button.setToolTip(self.tr("Close it by hand; it is raised again only after its condition has "
                                               "cleared once"))
        self.notify_box.setText(self.tr("Sound and desktop notification for new alarms"))
        self.model.retranslate()
        fm, header = self.table.fontMetrics(), self.table.horizontalHeader()

        def widest(table: dict[str, str]) -> str:
            return max((model.label(table, k) for k in table), key=fm.horizontalAdvance)

        for col, sample in enumerate(("00/00 00:00", "Cụm loa thôn 1 · SIM-00000", "Phường Quy Nhơn Đông",
                                      model.label(model.RULES, "fault.speaker_line") + ": 3,4 s",
                                      widest(model.SEVERITIES), widest(model.STATES))):
            header.resizeSection(col, fm.horizontalAdvance(sample) + 18)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class AlarmBadge(QToolButton):
    """The open alarms in the status bar ("⚠ 3 alarms, 2 new"), read once a second on a worker; a
    click should show the alarms. ``countsChanged(dict)`` passes ``Monitor.alarm_counts()`` on."""

    countsChanged = Signal(dict)

    def __init__(self, monitor, parent=None, interval_ms: int = 1000) -> None:
        super().__init__(parent)
        self.setAutoRaise(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.counts: dict[str, int] | None = None
        self.tasks = TaskManager(self, workers=1)
        self.loader = Loader(self.tasks, lambda: 0, lambda _k: monitor.alarm_counts(), self._show, delay_ms=0,
                             refresh_ms=interval_ms, parent=self)
        self.loader.request()
        self.retranslate()

    def _show(self, counts: dict[str, int]) -> None:
        changed = counts != self.counts
        self.counts = counts
        if changed:
            self.retranslate()
            self.countsChanged.emit(counts)

    def retranslate(self) -> None:
        c = self.counts or {"open": 0, "new": 0, "acknowledged": 0, "major": 0, "minor": 0}
        if not c["open"]:
            self.setText(self.tr("No alarms"))
            self.setStyleSheet(f"QToolButton {{ color: {theme.MUTED.name()}; padding: 0 6px; }}")
        else:
            text = self.tr("{n} alarms").format(n=c["open"])
            if c["new"]:
                text += " · " + self.tr("{n} new").format(n=c["new"])
            self.setText("⚠ " + text)
            colour = theme.OFFLINE if c["new"] else theme.WARNING
            self.setStyleSheet(f"QToolButton {{ background: {colour.name()}; color: white; font-weight: 600;"
                               " border-radius: 3px; padding: 0 8px; }")
        self.setToolTip(self.tr("Open alarms: {major} major, {minor} minor, {acked} acknowledged. Click to see "
                                "them.").format(major=c["major"], minor=c["minor"], acked=c["acknowledged"]))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
