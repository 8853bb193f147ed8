"""The schedule editor: what plays (programme), when (rule), where (targets), at which level.

Every service call runs through the task API. As fields change, two debounced checks run on a
worker, and only the newest result of each is shown: the next airings (the rule alone, quick) and
the service's check (validation, then ``Scheduler.conflicts``). Save adds a new schedule (taken as
far through approval as the user's role allows) or saves a change (which makes it a draft again);
Submit, Approve, Return and Archive act on the stored schedule. Refusals are shown in words.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QDate,
    QEvent,
    QLocale,
    Qt,
    QTime,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from console.core.approval import TRANSITIONS
from console.schedule.model import PRIORITIES, Part
from console.schedule.service import ConflictError
from console.ui import formatting as fmt
from console.ui import theme
from console.ui.library.library_model import STATE_COLOURS, STATE_LABELS, clock_time
from console.ui.library.library_model import label as state_label
from console.ui.library.refusals import reason
from console.ui.schedule import labels as lb
from console.ui.schedule.data import (
    RULE_KINDS,
    EditorFields,
    RuleFields,
    check,
    fields_of,
    load_directory,
    load_units,
    rule_from,
    store,
)
from console.ui.schedule.targets import (
    ITEM_ID,
    TargetPicker,
    list_values,
    put_item,
    remove_selected,
)
from console.ui.tasks import Task, TaskManager

PREVIEW_N = 10
PREVIEW_DELAY_MS = 150
CHECK_DELAY_MS = 500
SHOWN_CONFLICTS = 50


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


class ScheduleEditor(QDialog):
    """Edit schedule ``schedule_id`` (None: a new one starting at ``start``, for ``group``).
    Signal ``saved(schedule_id)`` after it was stored or its status changed."""

    saved = Signal(int)

    def __init__(self, scheduler, library, schedule_id: int | None = None, parent=None,
                 start: datetime | None = None, group: str | None = None):
        super().__init__(parent)
        self.scheduler, self.library = scheduler, library
        self.zone = ZoneInfo(scheduler.tz)
        self.tasks = TaskManager(self)
        self.schedule_id = schedule_id
        self.spec = None  # as stored
        self._group = group
        self._filling = True
        self._dirty = False
        self._preview: list[datetime] = []
        self._preview_task: Task | None = None
        self._check_task: Task | None = None
        self.conflicts = []

        self.tabs = QTabWidget()
        self.tabs.addTab(self._when_tab(), "")
        self.tabs.addTab(self._where_tab(), "")
        self.tabs.addTab(self._programme_tab(), "")
        left = QVBoxLayout()
        left.addLayout(self._general())
        left.addWidget(self.tabs, 1)
        right = QVBoxLayout()
        self.preview_box = QGroupBox()
        self.preview = QListWidget()
        QVBoxLayout(self.preview_box).addWidget(self.preview)
        self.check_box = QGroupBox()
        self.check_label = QLabel()
        self.check_label.setWordWrap(True)
        self.check_label.setTextFormat(Qt.TextFormat.PlainText)
        self.conflict_list = QListWidget()
        box = QVBoxLayout(self.check_box)
        box.addWidget(self.check_label)
        box.addWidget(self.conflict_list, 1)
        right.addWidget(self.preview_box, 1)
        right.addWidget(self.check_box, 1)
        body = QHBoxLayout()
        body.addLayout(left, 5)
        body.addLayout(right, 3)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.submit_button, self.approve_button = QPushButton(), QPushButton()
        self.reject_button, self.archive_button = QPushButton(), QPushButton()
        self.save_button, self.close_button = QPushButton(), QPushButton()
        self.save_button.setDefault(True)
        buttons = QHBoxLayout()
        for b in (self.submit_button, self.approve_button, self.reject_button, self.archive_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        lay = QVBoxLayout(self)
        lay.addLayout(body, 1)
        lay.addWidget(self.message)
        lay.addLayout(buttons)
        self.resize(1180, 720)

        self._preview_timer = self._timer(PREVIEW_DELAY_MS, self._run_preview)
        self._check_timer = self._timer(CHECK_DELAY_MS, self._run_check)
        self.submit_button.clicked.connect(lambda: self._act("submit"))
        self.approve_button.clicked.connect(lambda: self._act("approve"))
        self.reject_button.clicked.connect(self._ask_reject)
        self.archive_button.clicked.connect(lambda: self._act("archive"))
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.close)
        self.finished.connect(self._closed)
        self._connect_changes()
        self.retranslate()
        self._set_defaults(start or self._next_hour())
        self._load()

    def _closed(self, _result: int = 0) -> None:
        for t in (self._preview_timer, self._check_timer, self._search_timer):
            t.stop()
        self.tasks.shutdown()

    def _timer(self, ms: int, slot) -> QTimer:
        t = QTimer(self)
        t.setSingleShot(True)
        t.setInterval(ms)
        t.timeout.connect(slot)
        return t

    # -- building ---------------------------------------------------------------------------------

    def _general(self) -> QFormLayout:
        self.state = QLabel()
        self.title_edit = QLineEdit()
        self.priority = QComboBox()
        for p in PRIORITIES:
            self.priority.addItem("", p)
        self.vol_check = QCheckBox()
        self.vol = QSpinBox()
        self.vol.setRange(0, 100)
        self.vol.setValue(80)
        self.vol.setSuffix(" %")
        vol_row = QHBoxLayout()
        vol_row.addWidget(self.vol_check)
        vol_row.addWidget(self.vol)
        vol_row.addStretch(1)
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(self.fontMetrics().height() * 3 + 12)
        form = QFormLayout()
        self.general_labels = [QLabel() for _ in range(5)]
        for name, field in zip(self.general_labels, (self.state, self.title_edit, self.priority, vol_row, self.notes)):
            form.addRow(name, field)
        return form

    def _when_tab(self) -> QWidget:
        w = QWidget()
        self.kind = QComboBox()
        for k in RULE_KINDS:
            self.kind.addItem("", k)
        self.start_date = QDateEdit()
        self.start_time = QTimeEdit()
        self.start_time.setDisplayFormat("HH:mm")
        for d in (self.start_date,):
            d.setCalendarPopup(True)
            d.setDisplayFormat("dd/MM/yyyy")
        start_row = QHBoxLayout()
        start_row.addWidget(self.start_date)
        start_row.addWidget(self.start_time)
        start_row.addStretch(1)
        self.day_boxes = [QCheckBox() for _ in range(7)]
        self.days_row = QWidget()
        self.days_row.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        days = QHBoxLayout(self.days_row)
        days.setContentsMargins(0, 0, 0, 0)
        for b in self.day_boxes:
            days.addWidget(b)
        days.addStretch(1)
        self.interval = QSpinBox()
        self.interval.setRange(2, 52)
        self.rrule = QLineEdit()
        self.rrule.setPlaceholderText("FREQ=WEEKLY;BYDAY=MO,WE,FR")
        self.end_check = QCheckBox()
        self.end_date = QDateEdit()
        self.end_date.setCalendarPopup(True)
        self.end_date.setDisplayFormat("dd/MM/yyyy")
        end_row = QHBoxLayout()
        end_row.addWidget(self.end_check)
        end_row.addWidget(self.end_date)
        end_row.addStretch(1)
        self.ex_date = QDateEdit()
        self.ex_date.setCalendarPopup(True)
        self.ex_date.setDisplayFormat("dd/MM/yyyy")
        self.ex_add, self.ex_remove = QPushButton(), QPushButton()
        self.ex_list = QListWidget()
        self.ex_list.setMaximumHeight(self.fontMetrics().height() * 6)
        ex_row = QHBoxLayout()
        ex_row.addWidget(self.ex_date)
        ex_row.addWidget(self.ex_add)
        ex_row.addWidget(self.ex_remove)
        ex_row.addStretch(1)
        self.when_form = form = QFormLayout()
        outer = QVBoxLayout(w)
        outer.addLayout(form)
        outer.addStretch(1)
        self.when_labels = [QLabel() for _ in range(8)]
        for name, field in zip(self.when_labels, (self.kind, start_row, self.days_row, self.interval, self.rrule,
                                                  end_row, ex_row, self.ex_list)):
            form.addRow(name, field)
        self.ex_add.clicked.connect(self._add_exdate)
        self.ex_remove.clicked.connect(lambda: self._remove_selected(self.ex_list))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.end_check.toggled.connect(self.end_date.setEnabled)
        return w

    def _where_tab(self) -> QWidget:
        self.where = TargetPicker()
        w = self.where  # its parts, by the names the editor has always given them
        self.groups_box, self.units_box, self.devices_box = w.groups_box, w.units_box, w.devices_box
        self.groups, self.unit_search, self.unit_results = w.groups, w.unit_search, w.unit_results
        self.unit_add, self.unit_remove, self.units = w.unit_add, w.unit_remove, w.units
        self.device_edit, self.device_completer = w.device_edit, w.device_completer
        self.device_add, self.device_remove, self.devices = w.device_add, w.device_remove, w.devices
        self._search_timer = w.search_timer
        return w

    @property
    def hierarchy(self):
        """The administrative units, once loaded (None before)."""
        return self.where.hierarchy

    @property
    def device_names(self) -> dict[str, str]:
        return self.where.device_names

    def _programme_tab(self) -> QWidget:
        w = QWidget()
        self.parts = QListWidget()
        self.up_button, self.down_button, self.remove_button = QPushButton(), QPushButton(), QPushButton()
        self.total = QLabel()
        self.item_combo = QComboBox()
        self.item_combo.setEditable(True)
        self.item_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.item_combo.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.item_combo.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.item_add = QPushButton()
        self.stream_url = QLineEdit()
        self.stream_url.setPlaceholderText("https://…")
        self.stream_dur, self.gap_dur = QTimeEdit(QTime(0, 30, 0)), QTimeEdit(QTime(0, 0, 30))
        for t in (self.stream_dur, self.gap_dur):
            t.setDisplayFormat("H:mm:ss")
        self.stream_add, self.gap_add = QPushButton(), QPushButton()
        self.item_label, self.stream_label, self.gap_label = QLabel(), QLabel(), QLabel()
        grid = QGridLayout()
        grid.addWidget(self.item_label, 0, 0)
        grid.addWidget(self.item_combo, 0, 1, 1, 2)
        grid.addWidget(self.item_add, 0, 3)
        grid.addWidget(self.stream_label, 1, 0)
        grid.addWidget(self.stream_url, 1, 1)
        grid.addWidget(self.stream_dur, 1, 2)
        grid.addWidget(self.stream_add, 1, 3)
        grid.addWidget(self.gap_label, 2, 0)
        grid.addWidget(self.gap_dur, 2, 2)
        grid.addWidget(self.gap_add, 2, 3)
        grid.setColumnStretch(1, 1)
        side = QVBoxLayout()
        for b in (self.up_button, self.down_button, self.remove_button):
            side.addWidget(b)
        side.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.parts, 1)
        top.addLayout(side)
        lay = QVBoxLayout(w)
        lay.addLayout(top, 1)
        lay.addWidget(self.total)
        lay.addLayout(grid)
        self.item_add.clicked.connect(self._add_item)
        self.stream_add.clicked.connect(self._add_stream)
        self.gap_add.clicked.connect(lambda: self._add_part(Part("gap", dur_ms=self._ms(self.gap_dur))))
        self.up_button.clicked.connect(lambda: self._shift_part(-1))
        self.down_button.clicked.connect(lambda: self._shift_part(1))
        self.remove_button.clicked.connect(lambda: self._remove_selected(self.parts))
        return w

    def _connect_changes(self) -> None:
        for signal in (self.title_edit.textChanged, self.priority.currentIndexChanged, self.vol_check.toggled,
                       self.vol.valueChanged, self.notes.textChanged, self.kind.currentIndexChanged,
                       self.start_date.dateChanged, self.start_time.timeChanged, self.interval.valueChanged,
                       self.rrule.textChanged, self.end_check.toggled, self.end_date.dateChanged,
                       self.groups.itemChanged, *(b.toggled for b in self.day_boxes)):
            signal.connect(self.changed)
        for lst in (self.ex_list, self.units, self.devices, self.parts):
            lst.model().rowsInserted.connect(self.changed)
            lst.model().rowsRemoved.connect(self.changed)
            lst.model().rowsMoved.connect(self.changed)
        self.vol_check.toggled.connect(self.vol.setEnabled)

    # -- language ---------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self._show_title()
        labels = (self.tr("Status"), self.tr("Title"), self.tr("Priority"), self.tr("Volume"), self.tr("Notes"))
        for name, text in zip(self.general_labels, labels):
            name.setText(text)
        for i, p in enumerate(PRIORITIES):
            self.priority.setItemText(i, fmt.label(fmt.PRIORITIES, p))
        self.vol_check.setText(self.tr("Set the volume"))
        self.tabs.setTabText(0, self.tr("When"))
        self.tabs.setTabText(1, self.tr("Where"))
        self.tabs.setTabText(2, self.tr("Programme"))
        for i, k in enumerate(RULE_KINDS):
            self.kind.setItemText(i, lb.label(lb.RULE_KINDS, k))
        when = (self.tr("Repeats"), self.tr("First airing"), self.tr("Days"), self.tr("Every"),
                self.tr("Recurrence rule"), self.tr("End"), self.tr("Except on"), "")
        for name, text in zip(self.when_labels, when):
            name.setText(text)
        locale = QLocale()
        for i, b in enumerate(self.day_boxes):
            b.setText(locale.dayName(i + 1, QLocale.FormatType.ShortFormat))
        self.interval.setSuffix(" " + self.tr("weeks"))
        self.end_check.setText(self.tr("Last airing on"))
        self.ex_add.setText(self.tr("Add"))
        self.ex_remove.setText(self.tr("Remove"))
        self.where.retranslate()
        self.up_button.setText(self.tr("Up"))
        self.down_button.setText(self.tr("Down"))
        self.remove_button.setText(self.tr("Remove"))
        self.item_label.setText(self.tr("Approved audio"))
        self.item_combo.lineEdit().setPlaceholderText(self.tr("Type part of a title, or choose"))
        self.stream_label.setText(self.tr("Stream relay"))
        self.gap_label.setText(self.tr("Pause"))
        for b in (self.item_add, self.stream_add, self.gap_add):
            b.setText(self.tr("Add"))
        self.preview_box.setTitle(self.tr("Next {n} airings").format(n=PREVIEW_N))
        self.check_box.setTitle(self.tr("Conflicts"))
        self.submit_button.setText(self.tr("Submit"))
        self.approve_button.setText(self.tr("Approve"))
        self.reject_button.setText(self.tr("Return…"))
        self.archive_button.setText(self.tr("Archive"))
        self.save_button.setText(self.tr("Save"))
        self.close_button.setText(self.tr("Close"))
        self._show_parts_total()
        self._show_state()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _show_title(self) -> None:
        self.setWindowTitle(self.tr("New schedule") if self.spec is None
                            else self.tr("Schedule “{title}”").format(title=self.spec.title))

    def _show_state(self) -> None:
        state = self.spec.state if self.spec is not None else None
        self.state.setText(theme.coloured_dot_html(theme.UNKNOWN, self.tr("New, not saved yet")) if state is None else
                           theme.coloured_dot_html(STATE_COLOURS[state], state_label(STATE_LABELS, state)))
        clean = not self._dirty
        self.submit_button.setEnabled(clean and state in TRANSITIONS["submit"])
        self.approve_button.setEnabled(clean and state in TRANSITIONS["approve"])
        self.reject_button.setEnabled(clean and state in TRANSITIONS["reject"])
        self.archive_button.setEnabled(state is not None and state in TRANSITIONS["archive"])
        hint = self.tr("Save the changes first") if self._dirty and state is not None else ""
        for b in (self.submit_button, self.approve_button, self.reject_button):
            b.setToolTip(hint)

    # -- loading ----------------------------------------------------------------------------------

    def _next_hour(self) -> datetime:
        now = self.scheduler.now()
        return now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)

    def _set_defaults(self, start: datetime) -> None:
        start = start.astimezone(self.zone)
        self.start_date.setDate(_qdate(start.date()))
        self.start_time.setTime(QTime(start.hour, start.minute))
        self.end_date.setDate(_qdate(start.date() + timedelta(days=30)))
        self.end_date.setEnabled(False)
        self.ex_date.setDate(_qdate(start.date() + timedelta(days=1)))
        self.vol.setEnabled(False)
        self._kind_changed()

    def _load(self) -> None:
        sid = self.schedule_id

        def work(progress, cancel):
            spec = self.scheduler.get(sid) if sid is not None else None
            items = self.library.list_items(state="approved")
            return load_directory(self.scheduler), items, spec

        self.tasks.run(work, on_done=lambda r: self._fill(*r),
                       on_error=lambda exc: self._say(self.tr("Could not open the schedule: {reason}").format(
                           reason=reason(exc)), True))
        self.tasks.run(lambda progress, cancel: load_units(self.scheduler), on_done=self._units_loaded,
                       on_error=lambda exc: None)

    def _fill(self, directory, items, spec) -> None:
        self._filling = True
        self.item_combo.clear()
        for item in items:
            self.item_combo.addItem(f"{item.title}  ({clock_time(item.duration_ms)})",
                                    Part("media", dur_ms=item.duration_ms, item_id=item.id, title=item.title))
        self.item_combo.setCurrentIndex(-1)
        chosen = set(spec.targets.groups) if spec is not None else {self._group} - {None}
        self.where.set_directory(directory, chosen)
        if spec is not None:
            self._fill_spec(spec)
        self._filling = False
        self._dirty = False
        self._show_state()
        self._preview_timer.start()
        self._check_timer.start()

    def _fill_spec(self, spec) -> None:
        self.spec = spec
        self._show_title()
        self.title_edit.setText(spec.title)
        self.priority.setCurrentIndex(max(0, self.priority.findData(spec.priority)))
        self.vol_check.setChecked(spec.vol is not None)
        if spec.vol is not None:
            self.vol.setValue(spec.vol)
        self.notes.setPlainText(spec.notes)
        f = fields_of(spec.rule)
        self._set_defaults(f.start)
        self.kind.setCurrentIndex(self.kind.findData(f.kind))
        for i, b in enumerate(self.day_boxes):
            b.setChecked(i in f.days)
        self.interval.setValue(f.interval)
        self.rrule.setText(f.rrule)
        self.end_check.setChecked(f.end is not None)
        if f.end is not None:
            self.end_date.setDate(_qdate(f.end))
        self.ex_list.clear()
        for d in f.exdates:
            self._put_exdate(d)
        self.where.set_units(spec.targets.units)
        self.where.set_devices(spec.targets.devices)
        self.parts.clear()
        for p in spec.programme:
            self._add_part(p)

    def _units_loaded(self, hierarchy) -> None:
        self.where.set_hierarchy(hierarchy)
        self.retranslate()

    # -- the fields -------------------------------------------------------------------------------

    def fields(self) -> EditorFields:
        """What the form says (not checked: the service and the rule constructors do that)."""
        start = datetime.combine(self.start_date.date().toPython(), self.start_time.time().toPython(), self.zone)
        rule = RuleFields(
            kind=self.kind.currentData(), start=start,
            days=tuple(i for i, b in enumerate(self.day_boxes) if b.isChecked()), interval=self.interval.value(),
            end=self.end_date.date().toPython() if self.end_check.isChecked() else None,
            exdates=tuple(self._values(self.ex_list)), rrule=self.rrule.text())
        targets = self.where.targets()
        return EditorFields(title=self.title_edit.text(), priority=self.priority.currentData(), rule=rule,
                            targets=targets, programme=tuple(self._values(self.parts)),
                            vol=self.vol.value() if self.vol_check.isChecked() else None,
                            notes=self.notes.toPlainText(), id=self.spec.id if self.spec is not None else None)

    @staticmethod
    def _values(lst: QListWidget) -> list:
        return list_values(lst)

    @staticmethod
    def _put(lst: QListWidget, text: str, value) -> None:
        put_item(lst, text, value)

    @staticmethod
    def _remove_selected(lst: QListWidget) -> None:
        remove_selected(lst)

    def _kind_changed(self, *_args) -> None:
        kind = self.kind.currentData()
        shown = {self.days_row: kind == "weekdays", self.interval: kind == "nweekly", self.rrule: kind == "custom"}
        for row in range(2, self.when_form.rowCount()):
            field = self.when_form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            widget = field.widget() or field.layout()
            visible = shown.get(widget, kind != "once")
            self.when_form.setRowVisible(row, visible)

    def _add_exdate(self) -> None:
        self._put_exdate(self.ex_date.date().toPython())

    def _put_exdate(self, d: date) -> None:
        self._put(self.ex_list, lb.day(d, long=True), d)
        self.ex_list.sortItems()

    def _unit_text(self, code: str) -> str:
        return self.where.unit_text(code)

    def _search_units(self) -> None:
        self.where._search_units()

    def _add_unit(self) -> None:
        """Add the units selected in the search results (the first result when none is)."""
        self.where.add_unit()

    def _device_text(self, dev: str) -> str:
        return self.where.device_text(dev)

    def _add_device(self) -> None:
        self.where.add_device()

    # programme

    def _part_text(self, p: Part) -> str:
        if p.kind == "media":
            what = p.title or self.tr("Audio item {id}").format(id=p.item_id)
        elif p.kind == "stream":
            what = f"{lb.label(lb.PART_KINDS, 'stream')}: {p.url}"
        else:
            what = lb.label(lb.PART_KINDS, "gap")
        return f"{what}  —  {clock_time(p.dur_ms)}"

    def _add_part(self, p: Part) -> None:
        item = QListWidgetItem(self._part_text(p))
        item.setData(ITEM_ID, p)
        self.parts.addItem(item)
        self._show_parts_total()

    def _add_item(self) -> None:
        index = self.item_combo.findText(self.item_combo.currentText())
        part = self.item_combo.itemData(index) if index >= 0 else None
        if part is not None:
            self._add_part(part)

    def _add_stream(self) -> None:
        self._add_part(Part("stream", dur_ms=self._ms(self.stream_dur), url=self.stream_url.text().strip()))

    @staticmethod
    def _ms(edit: QTimeEdit) -> int:
        return edit.time().msecsSinceStartOfDay()

    def _shift_part(self, step: int) -> None:
        row = self.parts.currentRow()
        if row < 0 or not 0 <= row + step < self.parts.count():
            return
        item = self.parts.takeItem(row)
        self.parts.insertItem(row + step, item)
        self.parts.setCurrentRow(row + step)

    def _show_parts_total(self) -> None:
        total = sum(p.dur_ms for p in self._values(self.parts))
        self.total.setText(self.tr("{n} part(s), {length} in all").format(n=self.parts.count(),
                                                                          length=clock_time(total)))

    # -- live checks ------------------------------------------------------------------------------

    def changed(self, *_args) -> None:
        if self._filling:
            return
        if not self._dirty:
            self._dirty = True
            self._show_state()
        self._show_parts_total()
        self._preview_timer.start()
        self._check_timer.start()

    def preview_times(self) -> list[datetime]:
        """The airings the preview shows."""
        return list(self._preview)

    def _run_preview(self) -> None:
        if self._preview_task is not None:
            self._preview_task.cancel()
        rule, tz, now = self.fields().rule, self.scheduler.tz, self.scheduler.now()
        task = self.tasks.run(lambda progress, cancel: rule_from(rule, tz).next(now, PREVIEW_N),
                              on_done=lambda times: self._previewed(task, times),
                              on_error=lambda exc: self._previewed(task, [], exc))
        self._preview_task = task

    def _previewed(self, task: Task, times: list[datetime], exc: BaseException | None = None) -> None:
        if task is not self._preview_task:
            return
        self._preview_task = None
        self._preview = times
        self.preview.clear()
        for t in times:
            self.preview.addItem(f"{lb.day(t.date(), long=True)}  {t:%H:%M}")
        if exc is not None:
            self.preview.addItem(reason(exc))
        elif not times:
            self.preview.addItem(self.tr("No airing from now on."))

    def _run_check(self) -> None:
        if self._check_task is not None:
            self._check_task.cancel()
        fields = self.fields()
        self.check_label.setText(self.tr("Checking…"))
        task = self.tasks.run(lambda progress, cancel: check(self.scheduler, fields),
                              on_done=lambda conflicts: self._checked(task, conflicts),
                              on_error=lambda exc: self._checked(task, [], exc))
        self._check_task = task

    def _checked(self, task: Task, conflicts: list, exc: BaseException | None = None) -> None:
        if task is not self._check_task:
            return
        self._check_task = None
        self.conflicts = conflicts
        self._show_conflicts(conflicts)
        if exc is not None:
            self.check_label.setStyleSheet(f"color:{theme.WARNING.name()};")
            self.check_label.setText(self.tr("Not ready to save: {reason}").format(reason=reason(exc)))
        elif conflicts:
            self.check_label.setStyleSheet(f"color:{theme.OFFLINE.name()};")
            self.check_label.setText(self.tr("{n} overlap(s) with schedules of the same priority on the same "
                                             "clusters:").format(n=len(conflicts)))
        else:
            self.check_label.setStyleSheet(f"color:{theme.ONLINE.darker(130).name()};")
            self.check_label.setText(self.tr("No conflicts with the approved and submitted schedules."))

    def _show_conflicts(self, conflicts: list) -> None:
        own = self.spec.id if self.spec is not None else 0
        self.conflict_list.clear()
        for c in conflicts[:SHOWN_CONFLICTS]:
            self.conflict_list.addItem(lb.conflict_text(c, own))
        if len(conflicts) > SHOWN_CONFLICTS:
            self.conflict_list.addItem(self.tr("… and {n} more").format(n=len(conflicts) - SHOWN_CONFLICTS))

    # -- storing ----------------------------------------------------------------------------------

    def save(self) -> Task:
        fields = self.fields()
        self._say(self.tr("Saving…"), False)
        return self.tasks.run(lambda progress, cancel: store(self.scheduler, fields), on_done=self._stored,
                              on_error=lambda exc: self._refused(self.tr("The schedule was not saved."), exc))

    def _stored(self, spec) -> None:
        was = self.spec.state if self.spec is not None else None
        self.spec = spec
        self._dirty = False
        self._show_title()
        self._show_state()
        text = self.tr("Saved. Status: {state}.").format(state=state_label(STATE_LABELS, spec.state))
        if was == "approved" and spec.state == "draft":
            text += " " + self.tr("A changed schedule is off the air until it is approved again.")
        self._say(text, False)
        self.saved.emit(spec.id)

    def _act(self, action: str, note: str = "") -> None:
        if self.spec is None:
            return
        sid = self.spec.id
        self.tasks.run(lambda progress, cancel: getattr(self.scheduler, action)(sid, note), on_done=self._stored,
                       on_error=lambda exc: self._refused(self.tr("That was not done."), exc))

    def _ask_reject(self) -> None:
        dialog = QInputDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput)
        dialog.setWindowTitle(self.tr("Return the schedule"))
        dialog.setLabelText(self.tr("What must be changed before it can be approved?"))
        dialog.textValueSelected.connect(lambda note: self._act("reject", note))
        dialog.open()

    def _refused(self, what: str, exc: BaseException) -> QMessageBox:
        """Say what was not done and why, with the conflicts when there are (non-modal)."""
        why = reason(exc)
        if isinstance(exc, ConflictError):
            own = self.spec.id if self.spec is not None else 0
            self._show_conflicts(exc.conflicts)
            why = self.tr("It would overlap with schedules of the same priority on the same clusters:") + "\n" + \
                "\n".join(lb.conflict_text(c, own) for c in exc.conflicts[:10])
        self._say(what + " " + why.splitlines()[0], True)
        box = QMessageBox(QMessageBox.Icon.Warning, self.windowTitle(), what, QMessageBox.StandardButton.Ok, self)
        box.setInformativeText(why)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def _say(self, text: str, warning: bool) -> None:
        self.message.setStyleSheet(f"color:{theme.OFFLINE.name()};" if warning else "")
        self.message.setText(text)

