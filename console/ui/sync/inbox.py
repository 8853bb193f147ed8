"""The bulletin inbox: what the province sent down, coloured by priority (emergency red, priority amber,
normal neutral), what became of each one, and the operator's actions, each of which queues its receipt
for the province (console/sync/inbox.py):

- **Schedule…**: at a time or in the next free slot, on the bulletin's targets or others;
- **Confirm emergency broadcast**: one click, the targets and the number of clusters shown beside it;
- **Mark as read out**: a bulletin without audio that the operator read out live;
- **Reject…**: with a note, which is required.

Every read and every action runs on a worker. Changes come from the inbox's ``on_change`` (chained: a
callback already there is kept) as a queued Qt signal (:class:`InboxFeed`) and only make the list read
again. The list reads whether or not it is shown: the banner and the status bar depend on it."""

from __future__ import annotations

import html

import shiboken6
from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from console.fleet.state import now_ms
from console.ui import formatting as fmt
from console.ui import theme
from console.ui.library.library_model import clock_time
from console.ui.library.preview import PreviewBar
from console.ui.monitor.loader import Loader
from console.ui.sync import model
from console.ui.sync.dialogs import RejectDialog, ScheduleDialog
from console.ui.sync.status import full_time
from console.ui.tasks import TaskManager

CONFIRM_STYLE = ("QPushButton { background:#8b0000; color:#ffffff; font-weight:700; padding:6px 18px;"
                 " border-radius:4px; } QPushButton:hover { background:#b00000; }"
                 " QPushButton:disabled { background:#c9a0a0; }")


class InboxFeed(QObject):
    """The inbox's changes re-emitted as ``changed(state, bulletin)`` on the GUI thread (the inbox calls
    ``on_change`` on the sync worker's threads or on the acting one)."""

    changed = Signal(str, object)

    def __init__(self, inbox, parent=None) -> None:
        super().__init__(parent)
        previous = inbox.on_change

        def forward(state: str, bulletin: dict) -> None:
            if previous is not None:
                previous(state, bulletin)
            if shiboken6.isValid(self):  # the window may be gone; the inbox outlives it
                self.changed.emit(state, bulletin)

        inbox.on_change = forward


class InboxModel(QAbstractTableModel):
    """One :class:`model.InboxData`: the bulletins, those needing action first."""

    COLUMNS = ("priority", "title", "content", "state", "received", "targets", "note")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.data_ = model.InboxData()

    @property
    def rows(self) -> list[dict]:
        return self.data_.rows

    def set_data(self, data: model.InboxData) -> None:
        self.beginResetModel()
        self.data_ = data
        self.endResetModel()

    def row_of(self, bulletin_id: int) -> int | None:
        return next((i for i, b in enumerate(self.rows) if b["id"] == bulletin_id), None)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Priority"), self.tr("Title"), self.tr("Content"), self.tr("State"), self.tr("Received"),
                    self.tr("Targets"), self.tr("Note"))[section]
        return None

    def text(self, b: dict, col: str) -> str:
        if col == "priority":
            return model.label(model.PRIORITIES, b["priority"])
        if col == "title":
            return b["title"]
        if col == "content":
            if not b["media"]:
                return self.tr("Text")
            audio = self.data_.audio.get(b["id"])
            return self.tr("Audio {length}").format(length=clock_time(audio[1])) if audio else self.tr("Audio")
        if col == "state":
            return model.label(model.STATES, b["state"])
        if col == "received":
            return fmt.clock(b["received_at"], now_ms())
        if col == "targets":
            return model.targets_text(b["targets"], self.data_.units)
        return model.note_text(b["note"])

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        b = self.rows[index.row()]
        col = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(b, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == "content" and not b["media"]:
                return self.tr("A text without audio: read it out live")
            if col == "title" and b["text"]:
                return f"{b['title']}\n\n{b['text']}"
            return self.text(b, col)
        if role == Qt.ItemDataRole.BackgroundRole:
            return model.PRIORITY_FILLS.get(b["priority"])
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == "priority":
                return model.PRIORITY_COLOURS.get(b["priority"])
            if col == "state":
                return model.STATE_COLOURS.get(b["state"])
        if role == Qt.ItemDataRole.DecorationRole and col == "priority":
            return theme.dot_icon(model.PRIORITY_COLOURS.get(b["priority"], theme.MUTED).name(),
                                  hollow=b["priority"] == "normal")
        if role == Qt.ItemDataRole.FontRole and ((col == "priority" and b["priority"] == "emergency")
                                                 or (col == "state" and b["state"] in ("confirm", "waiting"))):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return b["id"]
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.COLUMNS) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.COLUMNS) - 1))


class InboxView(QWidget):
    """``inbox`` is the sync worker's :class:`console.sync.inbox.Inbox`.

    Signals: ``loaded()`` after each read; ``acted(action, id)`` after an action succeeded
    (``schedule``, ``confirm``, ``read_out``, ``reject``); ``attention(id)`` once for each emergency
    bulletin found waiting for confirmation; ``notice(text, id)`` when a priority bulletin was put
    into the schedule (by the inbox, at once) or an emergency one went on air."""

    loaded = Signal()
    acted = Signal(str, int)
    attention = Signal(int)
    notice = Signal(str, int)

    def __init__(self, inbox, parent=None, refresh_ms: int = 30_000) -> None:
        super().__init__(parent)
        self.inbox = inbox
        self.tasks = TaskManager(self, workers=2)  # a read beside an action
        self.feed = InboxFeed(inbox, self)
        self.model = InboxModel(self)
        self.data = model.InboxData()
        self.busy = False
        self.dialog = None  # the open Schedule… or Reject… dialog
        self._alerted: set[int] = set()
        self._preview_id: int | None = None
        self._first = True

        self.summary = QLabel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(InboxModel.COLUMNS.index("title"), QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_detail())

        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.confirm_box = QFrame()
        self.confirm_box.setObjectName("confirmBox")
        self.confirm_box.setStyleSheet(f"#confirmBox {{ border: 2px solid {model.EMERGENCY.name()};"
                                       " border-radius: 4px; background: #fff5f5; }")
        self.confirm_text = QLabel()
        self.confirm_text.setWordWrap(True)
        self.confirm_text.setTextFormat(Qt.TextFormat.RichText)
        self.confirm_button = QPushButton()
        self.confirm_button.setStyleSheet(CONFIRM_STYLE)
        self.confirm_button.clicked.connect(self.confirm_selected)
        box = QHBoxLayout(self.confirm_box)
        box.addWidget(self.confirm_text, 1)
        box.addWidget(self.confirm_button)
        self.preview = PreviewBar()
        self.schedule_button, self.read_out_button, self.reject_button = QPushButton(), QPushButton(), QPushButton()
        self.schedule_button.clicked.connect(self.open_schedule_dialog)
        self.read_out_button.clicked.connect(self.read_out_selected)
        self.reject_button.clicked.connect(self.open_reject_dialog)
        self.message = QLabel()
        self.message.setWordWrap(True)
        actions = QHBoxLayout()
        actions.addWidget(self.preview, 1)
        for button in (self.schedule_button, self.read_out_button, self.reject_button):
            actions.addWidget(button)

        lower = QWidget()
        lv = QVBoxLayout(lower)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.detail, 1)
        lv.addWidget(self.confirm_box)
        lv.addLayout(actions)
        lv.addWidget(self.message)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addWidget(split, 1)

        # No view given: the list is read while hidden too (the banner and the badge show it).
        self.loader = Loader(self.tasks, lambda: 0, lambda _k: model.read_inbox(inbox), self._show,
                             refresh_ms=refresh_ms, parent=self, on_error=lambda e: self.message.setText(
                                 self.tr("The inbox could not be read: {error}").format(error=e)))
        self.feed.changed.connect(self._changed)
        self.retranslate()
        self.loader.request()

    # Reading --------------------------------------------------------------------------------------
    def reload(self) -> None:
        self.loader.request()

    def _changed(self, state: str, b: dict) -> None:
        self.loader.request()
        if state == "scheduled" and b.get("priority") == "priority":
            self.notice.emit(self.tr("Priority bulletin “{title}” was put into the schedule: {note}").format(
                title=b.get("title", ""), note=model.note_text(b.get("note", ""))), b["id"])
        elif state == "played" and b.get("priority") == "emergency" and b.get("session_id"):
            self.notice.emit(self.tr("Emergency bulletin “{title}” is on air: {note}").format(
                title=b.get("title", ""), note=model.note_text(b.get("note", ""))), b["id"])

    def _show(self, data: model.InboxData) -> None:
        chosen = self.current_id()
        self.data = data
        self.model.set_data(data)
        if chosen is None and self._first and data.rows:  # the first bulletins seen: the top one
            chosen = data.rows[0]["id"]
            self._first = False
        if chosen is not None:
            self.select_bulletin(chosen)
        counts = data.counts()
        self.summary.setText(self.tr("{n} bulletin(s): {confirm} awaiting confirmation, {waiting} waiting, "
                                     "{scheduled} scheduled, {played} played, {rejected} rejected").format(
            n=len(data.rows), confirm=counts.get("confirm", 0),
            waiting=counts.get("waiting", 0) + counts.get("received", 0), scheduled=counts.get("scheduled", 0),
            played=counts.get("played", 0), rejected=counts.get("rejected", 0)))
        self._show_detail()
        fresh = [b["id"] for b in data.confirming() if b["id"] not in self._alerted]
        self._alerted.update(fresh)
        self.loaded.emit()
        if fresh:
            self.attention.emit(fresh[0])

    def current_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.model.rows):
            return None
        return self.model.rows[rows[0].row()]["id"]

    def current(self) -> dict | None:
        bid = self.current_id()
        return next((b for b in self.model.rows if b["id"] == bid), None) if bid is not None else None

    def select_bulletin(self, bulletin_id: int) -> bool:
        row = self.model.row_of(bulletin_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def _show_detail(self) -> None:
        b = self.current()
        self._update_buttons(b)
        if b is None:
            self.detail.setHtml("<p>" + html.escape(self.tr("Select a bulletin to read it, listen to it and act on "
                                                            "it.")) + "</p>")
            self.confirm_box.hide()
            self._set_preview(None)
            return
        self.detail.setHtml(self._detail_html(b))
        self._set_preview(b["id"])
        confirming = b["priority"] == "emergency" and b["state"] in ("confirm", "waiting")
        self.confirm_box.setVisible(confirming)
        if confirming:
            n = self.data.devices.get(b["id"])
            where = html.escape(model.targets_text(b["targets"], self.data.units))
            clusters = self.tr("{n} cluster(s)").format(n=n) if n is not None else self.tr("clusters: unknown")
            text = self.tr("<b>Emergency broadcast on:</b> {where} — <b>{clusters}</b>. It interrupts everything "
                           "playing there.").format(where=where, clusters=html.escape(clusters))
            if b["item_id"] is None:
                text += "<br>" + html.escape(self.tr("It has no audio: read it out live (Broadcast ▸ EMERGENCY), "
                                                     "then mark it as read out."))
            self.confirm_text.setText(text)

    def _detail_html(self, b: dict) -> str:
        e = html.escape
        colour = model.PRIORITY_COLOURS.get(b["priority"], theme.MUTED).name()
        state_colour = model.STATE_COLOURS.get(b["state"], theme.MUTED).name()
        priority = e(model.label(model.PRIORITIES, b["priority"]).upper())
        head = (f'<p><span style="color:{colour}; font-weight:700">{priority}</span> &nbsp; '
                f'<span style="font-size:large; font-weight:700">{e(b["title"])}</span></p>')
        out = [head]
        meta = [self.tr("Bulletin {id}").format(id=b["id"])]
        if b["issued_by"]:
            meta.append(self.tr("from {issuer}").format(issuer=b["issued_by"]))
        if b["issued_at"]:
            meta.append(self.tr("issued {time}").format(time=full_time(b["issued_at"])))
        meta.append(self.tr("received {time}").format(time=full_time(b["received_at"])))
        if b["valid_from"]:
            meta.append(self.tr("valid from {time}").format(time=full_time(b["valid_from"])))
        if b["valid_to"]:
            meta.append(self.tr("until {time}").format(time=full_time(b["valid_to"])))
        out.append(f'<p style="color:{theme.MUTED.name()}">{e(" · ".join(meta))}</p>')
        # The labels are translated outside the f-strings: lupdate does not look inside them.
        state_label, targets_label = self.tr("State:"), self.tr("Targets:")
        no_audio, receipts_label = self.tr("No audio: a text to read out."), self.tr("Receipts to the province:")
        out.append(f'<p><b>{e(state_label)}</b> <span style="color:{state_colour}">'
                   f'{e(model.label(model.STATES, b["state"]))}</span>'
                   + (f" — {e(model.note_text(b['note']))}" if b["note"] else "") + "</p>")
        out.append(f'<p><b>{e(targets_label)}</b> {e(model.targets_text(b["targets"], self.data.units))}</p>')
        if b["text"]:
            text = e(b["text"]).replace("\n", "<br>")
            out.append(f'<p style="background:#f6f7f9; padding:6px">{text}</p>')
        if not b["media"]:
            out.append(f'<p style="color:{theme.MUTED.name()}">{e(no_audio)}</p>')
        receipts = self.data.receipts.get(b["id"], [])
        out.append(f'<p><b>{e(receipts_label)}</b> '
                   f'{e(model.receipts_text(receipts, now_ms()))}</p>')
        return "".join(out)

    def _set_preview(self, bulletin_id: int | None) -> None:
        """Listen to the bulletin's audio (unchanged on a reload, so that playback goes on)."""
        audio = self.data.audio.get(bulletin_id) if bulletin_id is not None else None
        key = bulletin_id if audio is not None else None
        if key == self._preview_id:
            return
        self._preview_id = key
        self.preview.set_source(audio[0] if audio else None, audio[1] if audio else 0)

    def _update_buttons(self, b: dict | None) -> None:
        idle = not self.busy and b is not None
        open_ = b is not None and b["state"] in ("waiting", "confirm")
        self.schedule_button.setEnabled(idle and open_ and b["item_id"] is not None)
        self.read_out_button.setVisible(b is not None and b["item_id"] is None and open_)
        self.read_out_button.setEnabled(idle and open_)
        self.reject_button.setEnabled(idle and b["state"] not in ("played", "rejected"))
        self.confirm_button.setEnabled(idle and open_ and b["priority"] == "emergency" and b["item_id"] is not None)

    # Acting ---------------------------------------------------------------------------------------
    def open_schedule_dialog(self) -> ScheduleDialog | None:
        b = self.current()
        if b is None:
            return None
        self.dialog = ScheduleDialog(b, self.inbox.scheduler, self)
        self.dialog.accepted.connect(lambda d=self.dialog, bid=b["id"]: self.schedule_selected(*d.choice(), bid))
        self.dialog.open()
        return self.dialog

    def open_reject_dialog(self) -> RejectDialog | None:
        b = self.current()
        if b is None:
            return None
        self.dialog = RejectDialog(b, self)
        self.dialog.accepted.connect(lambda d=self.dialog, bid=b["id"]: self.reject_selected(d.text(), bid))
        self.dialog.open()
        return self.dialog

    def schedule_selected(self, at=None, targets=None, bulletin_id: int | None = None) -> None:
        """Schedule at ``at`` (aware; None: the next free slot) on ``targets`` (None: the bulletin's)."""
        bid = bulletin_id or self.current_id()
        if bid is not None:
            self._act("schedule", bid, lambda: self.inbox.schedule(bid, at, targets))

    def confirm_selected(self) -> None:
        """The one click: broadcast the selected emergency bulletin now."""
        bid = self.current_id()
        if bid is not None:
            self._act("confirm", bid, lambda: self.inbox.confirm(bid))

    def read_out_selected(self) -> None:
        bid = self.current_id()
        if bid is not None:
            self._act("read_out", bid, lambda: self.inbox.read_out(bid))

    def reject_selected(self, note: str, bulletin_id: int | None = None) -> None:
        bid = bulletin_id or self.current_id()
        if bid is None:
            return
        if not note.strip():
            self.message.setText(self.tr("A rejection needs a note that says why."))
            return
        self._act("reject", bid, lambda: self.inbox.reject(bid, note.strip()))

    def _act(self, action: str, bid: int, fn) -> None:
        self.busy = True
        self._update_buttons(self.current())
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Working…"))
        self.tasks.run(lambda _p, _c: fn(), on_done=lambda b: self._acted(action, b),
                       on_error=lambda exc: self._failed(action, exc))

    def _acted(self, action: str, b: dict) -> None:
        self.busy = False
        texts = {"schedule": self.tr("Scheduled; the province is told. {note}"),
                 "confirm": self.tr("The emergency broadcast started; the province is told. {note}"),
                 "read_out": self.tr("Marked as read out; the province is told."),
                 "reject": self.tr("Rejected; the province is told why: {note}")}
        self.message.setText(texts[action].format(note=model.note_text(b.get("note", ""))))
        self.loader.request()
        self.acted.emit(action, b["id"])

    def _failed(self, action: str, exc: BaseException) -> None:
        self.busy = False
        self.message.setStyleSheet(f"color:{theme.OFFLINE.name()};")
        self.message.setText(self.tr("Not done: {error}").format(error=exc))
        self._update_buttons(self.current())
        self.loader.request()

    def retranslate(self) -> None:
        self.schedule_button.setText(self.tr("Schedule…"))
        self.schedule_button.setToolTip(self.tr("Put its audio into the schedule: at a time or in the next free "
                                                "slot, on its targets or others"))
        self.read_out_button.setText(self.tr("Mark as read out"))
        self.read_out_button.setToolTip(self.tr("You read this text out live: the province is told it was played"))
        self.reject_button.setText(self.tr("Reject…"))
        self.reject_button.setToolTip(self.tr("Do not broadcast it; the province gets your note"))
        self.confirm_button.setText("⚠ " + self.tr("Confirm emergency broadcast"))
        self.confirm_button.setToolTip(self.tr("One click: the broadcast starts at once on the targets shown"))
        self.model.retranslate()
        fm, header = self.table.fontMetrics(), self.table.horizontalHeader()
        samples = {"priority": "●  " + model.label(model.PRIORITIES, "emergency") + "  ", "content": "Audio 10:00",
                   "state": model.label(model.STATES, "confirm") + "  ", "received": "26/11 00:00",
                   "targets": "Xã An Nhơn (21553)", "note": "Waiting for the operator"}
        for col, sample in samples.items():  # the title takes the rest
            header.resizeSection(InboxModel.COLUMNS.index(col), fm.horizontalAdvance(sample) + 24)
        self._show_detail()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
