"""The emergency broadcast: choose, confirm, follow, stop.

Four pages. **Choose**: a prepared approved item (those of category "emergency" offered first; the
newest of them preselected) or live from the microphone, and the targets (every cluster unless
chosen otherwise). **Confirm**: what will be interrupted on how many clusters, from
``LiveService.summary`` (read on a worker): the live announcement on air, the programmes airing now;
nothing starts until the red button on this page is clicked (no button of the page is a default
button, so Enter does not start it). **Running**: clusters playing the emergency, clusters that have
not responded, elapsed and remaining time, and the Emergency stop. **Refused**: the service's refusal
in words (a role that may not start emergencies), shown at once when the dialog opens.

The dialog is not modal: the broadcast goes on when it is closed, and the banner across the main
window keeps its status and stop button.
"""

from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from console.ui.library.item_picker import ItemPicker
from console.ui.library.library_model import CATEGORY_LABELS, clock_time
from console.ui.library.library_model import label as category_label
from console.ui.live.model import clock_text, end_reason_text, targets_text
from console.ui.live.widgets import EMERGENCY, InputChooser, LevelMeter, TargetChooser
from console.ui.tasks import TaskManager

RED_BUTTON = (f"QPushButton {{ background:{EMERGENCY.name()}; color:#ffffff; font-weight:700; padding:10px 22px;"
              " border-radius:5px; } QPushButton:disabled { background:#c9a0a0; color:#f3e6e6; }")
HEADER_STYLE = f"background:{EMERGENCY.name()}; color:#ffffff; padding:10px 16px;"
CHOOSE, CONFIRM, RUNNING, REFUSED = range(4)
AIRING_ROWS = 8


class EmergencyItemPicker(ItemPicker):
    """The library's item picker, offering approved items only, those of category "emergency" first."""

    def __init__(self, library, parent: QWidget | None = None):
        super().__init__(library, at_end=True, parent=parent)

    def list_items(self, search: str | None) -> list:
        items = self.library.list_items(search=search, state="approved")
        return sorted(items, key=lambda i: i.category != "emergency")

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(self.tr("Choose the emergency message"))
        self.buttons.button(self.buttons.StandardButton.Ok).setText(self.tr("Choose"))


def _big(label: QLabel, scale: float, bold: bool = True) -> QLabel:
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    label.setFont(font)
    return label


class EmergencyDialog(QDialog):
    """``control`` is the window's :class:`~console.ui.live.control.LiveControl`."""

    def __init__(self, control, parent: QWidget | None = None):
        super().__init__(parent)
        self.control = control
        self.tasks = TaskManager(self)
        self.library = control.service.library
        self.item = None  # the chosen MediaItem
        self.summary: dict | None = None
        self._summary_task = None
        self.refusal_message = ""
        self._context: tuple[str, ...] = ()  # what and where, for the running page
        self.header = _big(QLabel(), 1.5)
        self.header.setStyleSheet(HEADER_STYLE)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._choose_page())
        self.pages.addWidget(self._confirm_page())
        self.pages.addWidget(self._running_page())
        self.pages.addWidget(self._refused_page())
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 8)
        lay.addWidget(self.header)
        lay.addWidget(self.pages, 1)
        for b in self.findChildren(QPushButton):  # Enter never starts or stops anything
            b.setAutoDefault(False)
            b.setDefault(False)
        self.resize(980, 680)
        control.changed.connect(self._refresh_running)
        control.started.connect(self._started)
        control.failed.connect(self._failed)
        self.retranslate()
        self._load_default_item()
        self.show_start_page()

    # -- pages ------------------------------------------------------------------------------------

    def _choose_page(self) -> QWidget:
        w = QWidget()
        self.what_box = QGroupBox()
        self.use_item, self.use_live = QRadioButton(), QRadioButton()
        group = QButtonGroup(self)
        group.addButton(self.use_item)
        group.addButton(self.use_live)
        self.use_item.setChecked(True)
        self.item_label = QLabel()
        self.item_label.setWordWrap(True)
        self.choose_item = QPushButton()
        self.input = InputChooser()
        grid = QGridLayout(self.what_box)
        grid.addWidget(self.use_item, 0, 0)
        grid.addWidget(self.item_label, 0, 1)
        grid.addWidget(self.choose_item, 0, 2)
        grid.addWidget(self.use_live, 1, 0)
        grid.addWidget(self.input, 1, 1, 1, 2)
        grid.setColumnStretch(1, 1)
        self.where_box = QGroupBox()
        self.targets = TargetChooser(self.control, everyone=True)
        QVBoxLayout(self.where_box).addWidget(self.targets)
        self.choose_message = QLabel()
        self.choose_message.setStyleSheet("color:#d13438; font-weight:600;")
        self.cancel_button, self.next_button = QPushButton(), QPushButton()
        buttons = QHBoxLayout()
        buttons.addWidget(self.choose_message, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.next_button)
        lay = QVBoxLayout(w)
        lay.setContentsMargins(12, 8, 12, 0)
        lay.addWidget(self.what_box)
        lay.addWidget(self.where_box, 1)
        lay.addLayout(buttons)
        self.choose_item.clicked.connect(self._pick_item)
        self.cancel_button.clicked.connect(self.reject)
        self.next_button.clicked.connect(self.show_confirmation)
        for signal in (self.use_item.toggled, self.input.changed, self.targets.changed):
            signal.connect(self._check_choice)
        return w

    def _confirm_page(self) -> QWidget:
        w = QWidget()
        self.confirm_title = _big(QLabel(), 1.9)
        self.confirm_title.setStyleSheet(f"color:{EMERGENCY.name()};")
        self.confirm_title.setWordWrap(True)
        self.confirm_what, self.confirm_where, self.confirm_live, self.airing_label = (QLabel() for _ in range(4))
        for label in (self.confirm_what, self.confirm_where, self.confirm_live, self.airing_label):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
        _big(self.confirm_what, 1.15, False)
        _big(self.confirm_where, 1.15, False)
        _big(self.confirm_live, 1.15)
        self.confirm_live.setStyleSheet(f"color:{EMERGENCY.name()};")
        self.tiles: dict[str, tuple[QLabel, QLabel]] = {}
        tiles = QHBoxLayout()
        for key in ("devices", "live", "airing"):
            frame = QFrame()
            frame.setObjectName("tile")
            frame.setStyleSheet("QFrame#tile { background:#f7e8e8; border:1px solid #e2b8b8; border-radius:6px; }")
            value, caption = _big(QLabel(), 2.6), QLabel()
            value.setStyleSheet(f"color:{EMERGENCY.name()};")
            for label in (value, caption):
                label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            caption.setWordWrap(True)
            box = QVBoxLayout(frame)
            box.addWidget(value)
            box.addWidget(caption)
            tiles.addWidget(frame, 1)
            self.tiles[key] = (value, caption)
        self.airing = QListWidget()
        self.airing.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.resume_hint = QLabel()
        self.resume_hint.setWordWrap(True)
        self.resume_hint.setStyleSheet("color:#6b7079;")
        self.confirm_message = QLabel()
        self.confirm_message.setWordWrap(True)
        self.confirm_message.setStyleSheet("color:#d13438; font-weight:600;")
        self.back_button, self.confirm_button = QPushButton(), QPushButton()
        self.confirm_button.setStyleSheet(RED_BUTTON)
        _big(self.confirm_button, 1.2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.confirm_button)
        lay = QVBoxLayout(w)
        lay.setContentsMargins(16, 12, 16, 0)
        lay.addWidget(self.confirm_title)
        lay.addLayout(tiles)
        lay.addWidget(self.confirm_what)
        lay.addWidget(self.confirm_where)
        lay.addWidget(self.confirm_live)
        lay.addWidget(self.airing_label)
        lay.addWidget(self.airing)
        lay.addWidget(self.resume_hint)
        lay.addStretch(1)
        lay.addWidget(self.confirm_message)
        lay.addLayout(buttons)
        self.back_button.clicked.connect(lambda: self.pages.setCurrentIndex(CHOOSE))
        self.confirm_button.clicked.connect(self.confirm)
        return w

    def _running_page(self) -> QWidget:
        w = QWidget()
        self.run_state = _big(QLabel(), 1.6)
        self.run_state.setWordWrap(True)
        self.counts: dict[str, tuple[QLabel, QLabel]] = {}
        grid = QGridLayout()
        for col, key in enumerate(("playing", "silent", "elapsed", "remaining")):
            value, caption = _big(QLabel(), 2.6), QLabel()
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            caption.setWordWrap(True)
            grid.addWidget(value, 0, col)
            grid.addWidget(caption, 1, col)
            self.counts[key] = (value, caption)
        self.run_meter = LevelMeter(self.control.levels)
        self.run_detail = _big(QLabel(), 1.1, False)
        self.run_detail.setWordWrap(True)
        self.run_detail.setTextFormat(Qt.TextFormat.PlainText)
        self.stop_button, self.close_button = QPushButton(), QPushButton()
        self.stop_button.setStyleSheet(RED_BUTTON)
        _big(self.stop_button, 1.3)
        self.stop_button.setMinimumHeight(64)
        buttons = QHBoxLayout()
        buttons.addWidget(self.stop_button, 1)
        buttons.addWidget(self.close_button)
        lay = QVBoxLayout(w)
        lay.setContentsMargins(16, 12, 16, 0)
        lay.addWidget(self.run_state)
        lay.addLayout(grid)
        lay.addWidget(self.run_meter)
        lay.addWidget(self.run_detail)
        lay.addStretch(1)
        lay.addLayout(buttons)
        self.stop_button.clicked.connect(self.emergency_stop)
        self.close_button.clicked.connect(self.accept)
        return w

    def _refused_page(self) -> QWidget:
        w = QWidget()
        self.refused_title = _big(QLabel(), 1.6)
        self.refused_title.setStyleSheet("color:#d13438;")
        self.refused_title.setWordWrap(True)
        self.refused_text = _big(QLabel(), 1.2, False)
        self.refused_text.setWordWrap(True)
        self.refused_text.setTextFormat(Qt.TextFormat.PlainText)
        self.refused_hint = QLabel()
        self.refused_hint.setWordWrap(True)
        self.refused_close = QPushButton()
        lay = QVBoxLayout(w)
        lay.setContentsMargins(16, 16, 16, 0)
        lay.addWidget(self.refused_title)
        lay.addWidget(self.refused_text)
        lay.addWidget(self.refused_hint)
        lay.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.refused_close)
        lay.addLayout(row)
        self.refused_close.clicked.connect(self.reject)
        return w

    # -- language ---------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Emergency broadcast"))
        self.header.setText("⚠ " + self.tr("EMERGENCY BROADCAST"))
        self.what_box.setTitle(self.tr("What"))
        self.where_box.setTitle(self.tr("Where"))
        self.use_item.setText(self.tr("A prepared message"))
        self.use_live.setText(self.tr("Live from the microphone"))
        self.choose_item.setText(self.tr("Choose…"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.next_button.setText(self.tr("Next: check what it interrupts"))
        self.back_button.setText(self.tr("Back"))
        self.confirm_button.setText(self.tr("Start the emergency broadcast"))
        self.stop_button.setText("■ " + self.tr("Emergency stop"))
        captions = {"playing": self.tr("clusters playing it"), "silent": self.tr("clusters not responded"),
                    "elapsed": self.tr("elapsed"), "remaining": self.tr("left")}
        for key, (_value, caption) in self.counts.items():
            caption.setText(captions[key])
        self.refused_title.setText(self.tr("You cannot start an emergency broadcast"))
        self.refused_hint.setText(self.tr("Ask a user whose role allows emergency broadcasts (an approver or an "
                                          "administrator)."))
        self.refused_close.setText(self.tr("Close"))
        self._show_item()
        self._check_choice()
        if self.summary is not None:
            self._show_summary(self.summary)
        self._refresh_running()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- choosing ---------------------------------------------------------------------------------

    def show_start_page(self) -> None:
        """A running emergency, else the refusal if the user may not start one, else the choice."""
        if self.control.running("emergency") is not None:
            self.pages.setCurrentIndex(RUNNING)
            self._refresh_running()
            return
        refusal = self.control.refusal("emergency")
        if refusal is not None:
            self.show_refusal(refusal)
        else:
            self.pages.setCurrentIndex(CHOOSE)

    def show_refusal(self, message: str) -> None:
        self.refusal_message = message
        self.refused_text.setText(message)
        self.pages.setCurrentIndex(REFUSED)

    def _load_default_item(self) -> None:
        def newest_emergency():
            items = self.library.list_items(state="approved", category="emergency")
            return items[0] if items else None

        self.tasks.run(lambda progress, cancel: newest_emergency(),
                       on_done=lambda item: self.item is None and self.set_item(item),
                       on_error=lambda exc: self.choose_message.setText(self.control.message(exc)))

    def set_item(self, item) -> None:
        self.item = item
        self._show_item()
        self._check_choice()
        if item is not None:
            # Render it for the clusters now, while the operator checks the targets: confirming then
            # sends it at once. A failure shows when it is started.
            self.tasks.run(lambda progress, cancel: self.control.service.prepare(item.id),
                           on_done=lambda _d: None, on_error=lambda _exc: None)

    def _pick_item(self) -> None:
        picker = EmergencyItemPicker(self.library, self)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def chosen(item_id: int) -> None:
            item = next((i for i in picker.model.items() if i.id == item_id), None)
            if item is not None:
                self.use_item.setChecked(True)
                self.set_item(item)

        picker.chosen.connect(chosen)
        picker.open()

    def _show_item(self) -> None:
        if self.item is None:
            self.item_label.setText(self.tr("No message chosen"))
        else:
            self.item_label.setText(f"<b>{html.escape(self.item.title)}</b> · {category_label(CATEGORY_LABELS, self.item.category)} · "
                                    f"{clock_time(self.item.duration_ms)}")

    def source(self) -> str:
        return "item" if self.use_item.isChecked() else "live"

    def _choice_problem(self) -> str:
        if self.source() == "item" and self.item is None:
            return self.tr("Choose a prepared message, or the microphone.")
        if self.source() == "live" and self.input.source_factory() is None:
            return self.tr("No input can be used for a live emergency broadcast.")
        if not self.targets.valid():
            return self.tr("Choose where to broadcast.")
        return ""

    def _check_choice(self, *_args) -> None:
        problem = self._choice_problem()
        self.choose_message.setText(problem)
        self.next_button.setEnabled(not problem)

    # -- confirming -------------------------------------------------------------------------------

    def show_confirmation(self) -> None:
        """The confirmation page; the summary of what would be interrupted is read on a worker."""
        if self._choice_problem():
            return
        self.summary = None
        self.confirm_button.setEnabled(False)
        self.confirm_message.setText("")
        self.confirm_title.setText(self.tr("Checking what the emergency broadcast would interrupt…"))
        for label in (self.confirm_what, self.confirm_where, self.confirm_live, self.airing_label,
                      *(t for pair in self.tiles.values() for t in pair)):
            label.setText("")
        self.airing.clear()
        self.pages.setCurrentIndex(CONFIRM)
        targets = self.targets.targets()
        task = self.control.summary(self.tasks, targets, lambda s: task is self._summary_task and self._show_summary(s),
                                    lambda exc: task is self._summary_task and self._summary_failed(exc))
        self._summary_task = task

    def _show_summary(self, summary: dict) -> None:
        self.summary = summary
        n = summary["devices"]
        self.confirm_title.setText(self.tr("This interrupts everything playing on {n} cluster(s).").format(n=n))
        if self.source() == "item" and self.item is not None:
            what = self.tr("What: the prepared message “{title}” ({length}).").format(
                title=self.item.title, length=clock_time(self.item.duration_ms))
        else:
            what = self.tr("What: live from {input}.").format(input=self.input.description())
        self.confirm_what.setText(what)
        self.confirm_where.setText(self.tr("Where: {targets} — {n} cluster(s).").format(
            targets=targets_text(self.targets.targets()), n=n))
        self.confirm_live.setText(self.tr("The live announcement on air now will be cut off.") if summary["live"]
                                  else "")
        self.confirm_live.setVisible(bool(summary["live"]))
        airing = summary["airing"]
        self.airing_label.setText(self.tr("Scheduled programmes airing now, which will be cut off:") if airing
                                  else self.tr("No scheduled programme is airing on these clusters now."))
        self.airing.clear()
        for a in airing:
            end = datetime.fromisoformat(a["end"])
            self.airing.addItem(self.tr("{title} (until {time})").format(title=a["title"], time=f"{end:%H:%M}"))
        self.airing.setVisible(bool(airing))
        rows = min(len(airing), AIRING_ROWS)  # as tall as its rows (up to AIRING_ROWS), then it scrolls
        self.airing.setFixedHeight(rows * (self.airing.sizeHintForRow(0) + 2) + 2 * self.airing.frameWidth() + 6
                                   if rows else 0)
        for key, value, caption in (
                ("devices", n, self.tr("cluster(s) will play the emergency")),
                ("live", 1 if summary["live"] else 0, self.tr("live announcement cut off")),
                ("airing", len(airing), self.tr("scheduled programme(s) cut off"))):
            self.tiles[key][0].setText(str(value))
            self.tiles[key][1].setText(caption)
        self.resume_hint.setText(self.tr("Interrupted programmes do not resume: after the emergency the clusters "
                                         "play their next scheduled item.") if airing or summary["live"] else "")
        if n == 0:
            self.confirm_message.setText(self.tr("The chosen targets hold no cluster."))
        self.confirm_button.setEnabled(n > 0)

    def _summary_failed(self, exc: BaseException) -> None:
        self.confirm_title.setText(self.tr("Could not check what would be interrupted."))
        self.confirm_message.setText(self.control.message(exc))

    def confirm(self) -> None:
        """Start the emergency broadcast (the explicit confirmation)."""
        if self.summary is None or not self.confirm_button.isEnabled():
            return
        self.confirm_button.setEnabled(False)
        self.back_button.setEnabled(False)
        self.confirm_message.setStyleSheet("color:#4a4f57;")
        self.confirm_message.setText(self.tr("Starting the emergency broadcast…") if self.source() == "live" else
                                     self.tr("Starting the emergency broadcast… (a message that was never sent to "
                                             "the clusters is prepared for them first, which can take a minute)"))
        targets = self.targets.targets()
        self._context = (self.confirm_what.text(), self.confirm_where.text())
        if self.source() == "item":
            self.control.start_emergency(targets, item_id=self.item.id, item_ms=self.item.duration_ms)
        else:
            self.control.start_emergency(targets, make_source=self.input.source_factory())

    def _started(self, kind: str, _session) -> None:
        if kind == "emergency":
            self.back_button.setEnabled(True)
            self.pages.setCurrentIndex(RUNNING)
            self._refresh_running()

    def _failed(self, kind: str, message: str, code: str) -> None:
        if kind != "emergency":
            return
        self.back_button.setEnabled(True)
        if code.startswith("may_not"):
            self.show_refusal(message)
            return
        self.confirm_message.setStyleSheet("color:#d13438; font-weight:600;")
        self.confirm_message.setText(self.tr("The emergency broadcast did not start: {reason}").format(
            reason=message))
        self.confirm_button.setEnabled(self.summary is not None)

    # -- running ----------------------------------------------------------------------------------

    def _refresh_running(self) -> None:
        if self.pages.currentIndex() != RUNNING:
            return
        s = self.control.snapshot("emergency")
        if s is None:
            return
        values = {"playing": f"{s.playing} / {s.targets}", "silent": str(s.silent),
                  "elapsed": clock_text(s.elapsed_s), "remaining": clock_text(s.countdown_s)}
        for key, (value, _caption) in self.counts.items():
            value.setText(values[key])
        self.counts["silent"][0].setStyleSheet("color:#d13438;" if s.silent else "")
        if s.ended:
            self.run_state.setStyleSheet("color:#4a4f57;")
            self.run_state.setText(self.tr("The emergency broadcast has ended: {reason}.").format(
                reason=end_reason_text(s.end_reason)))
        else:
            self.run_state.setStyleSheet(f"color:{EMERGENCY.name()};")
            self.run_state.setText("⚠ " + self.tr("Emergency broadcast on air"))
        session = self.control.sessions["emergency"] or self.control.last["emergency"]
        live_input = session is not None and session.url and session.item_id is None
        self.run_meter.setVisible(bool(live_input))
        if live_input and not s.ended and not self.run_meter.active:
            self.run_meter.start()
        elif (s.ended or not live_input) and self.run_meter.active:
            self.run_meter.stop()
        answered = self.tr("{responded} of {n} cluster(s) have answered.").format(responded=s.responded, n=s.targets)
        self.run_detail.setText("\n".join((*self._context, answered)))
        self.stop_button.setEnabled(not s.ended and not self.control.busy["emergency"])
        self.close_button.setText(self.tr("Close") if s.ended else self.tr("Close (the broadcast goes on)"))

    def emergency_stop(self) -> None:
        self.control.stop("emergency", reason="stopped")
        self.stop_button.setEnabled(False)

    def done(self, result: int) -> None:
        self.tasks.shutdown()
        self.run_meter.stop()
        self.targets.picker.stop()
        super().done(result)
