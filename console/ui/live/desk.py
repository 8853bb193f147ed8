"""The live desk: announce live to chosen clusters from a microphone (or an audio file).

Targets, input, chime, maximum duration, and the talk button: in push-to-talk mode holding it (or
the space bar while the desk has focus) goes live and releasing it stops; in toggle mode a click
goes live and another stops. While on air the desk shows a large ON AIR panel with the running time,
the clusters reached and joined, the input level, and in the last minute before the maximum
duration a countdown; afterwards why the announcement ended.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from console.ui.live.model import PushToTalk, clock_text, end_reason_text
from console.ui.live.widgets import (
    EMERGENCY,
    ON_AIR,
    InputChooser,
    LevelMeter,
    TargetChooser,
)

OFF_AIR_STYLE = "background:#e7e9ed; color:#4a4f57; border-radius:6px;"
ON_AIR_STYLE = f"background:{ON_AIR.name()}; color:#ffffff; border-radius:6px;"
EMERGENCY_STYLE = f"background:{EMERGENCY.name()}; color:#ffffff; border-radius:6px;"


class TalkButton(QPushButton):
    """A large button that reports pressing and releasing (mouse or keyboard), and nothing else:
    moving the pointer off it while held does not release it, losing focus does."""

    talkPressed = Signal()
    talkReleased = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMinimumHeight(84)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.setFont(font)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._held = False

    def _press(self) -> None:
        if not self._held:
            self._held = True
            self.setDown(True)
            self.talkPressed.emit()

    def _release(self) -> None:
        if self._held:
            self._held = False
            self.setDown(False)
            self.talkReleased.emit()

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.isEnabled():
            self._press()
        event.accept()

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._release()
        event.accept()

    def mouseMoveEvent(self, event) -> None:
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space:
            if not event.isAutoRepeat() and self.isEnabled():
                self._press()
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space:
            if not event.isAutoRepeat():
                self._release()
            event.accept()
            return
        super().keyReleaseEvent(event)

    def focusOutEvent(self, event) -> None:
        self._release()
        super().focusOutEvent(event)

    def hideEvent(self, event) -> None:
        self._release()
        super().hideEvent(event)


class LiveDesk(QWidget):
    """``control`` is the window's :class:`~console.ui.live.control.LiveControl`."""

    def __init__(self, control, parent: QWidget | None = None):
        super().__init__(parent)
        self.control = control
        self.ptt = PushToTalk()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._space_held = False
        self._message = ("", False)  # the last refusal or end, (text, warning)

        self.targets_box = QGroupBox()
        self.targets = TargetChooser(control)
        QVBoxLayout(self.targets_box).addWidget(self.targets)

        self.state_panel = QFrame()
        self.state_label, self.time_label, self.reach_label, self.countdown_label = (QLabel() for _ in range(4))
        for label, scale in ((self.state_label, 2.2), (self.time_label, 2.2)):
            font = QFont(label.font())
            font.setPointSizeF(font.pointSizeF() * scale)
            font.setBold(True)
            label.setFont(font)
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.countdown_label.setStyleSheet("color:#ffe14d; font-weight:700;")
        self.reach_label.setWordWrap(True)
        panel = QVBoxLayout(self.state_panel)
        panel.setContentsMargins(16, 10, 16, 10)
        head = QHBoxLayout()
        head.addWidget(self.state_label, 1)
        head.addWidget(self.time_label)
        panel.addLayout(head)
        panel.addWidget(self.reach_label)
        panel.addWidget(self.countdown_label)

        self.input_box = QGroupBox()
        self.input = InputChooser()
        self.chime = QCheckBox()
        self.chime.setChecked(True)
        self.max_minutes = QSpinBox()
        self.max_minutes.setRange(1, max(1, control.max_s["live"] // 60))
        self.max_minutes.setValue(max(1, control.max_s["live"] // 60))
        self.ptt_mode, self.toggle_mode = QRadioButton(), QRadioButton()
        modes = QButtonGroup(self)
        modes.addButton(self.ptt_mode)
        modes.addButton(self.toggle_mode)
        self.ptt_mode.setChecked(True)
        mode_row = QHBoxLayout()
        mode_row.addWidget(self.ptt_mode)
        mode_row.addWidget(self.toggle_mode)
        mode_row.addStretch(1)
        self.form = QFormLayout(self.input_box)
        self.form_labels = [QLabel() for _ in range(4)]
        for label, field in zip(self.form_labels, (self.input, self.chime, self.max_minutes, mode_row)):
            self.form.addRow(label, field)

        self.talk = TalkButton()
        self.meter = LevelMeter(control.levels)
        self.level_label = QLabel()
        self.level_label.setStyleSheet("color:#4a4f57;")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color:#6b7079;")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)

        column = QWidget()  # in a scroll area: with little height (the map docked below) nothing overlaps
        right = QVBoxLayout(column)
        right.setContentsMargins(0, 0, 4, 0)
        right.addWidget(self.state_panel)
        right.addWidget(self.input_box)
        right.addWidget(self.talk)
        right.addWidget(self.hint)
        right.addWidget(self.meter)
        right.addWidget(self.level_label)
        right.addWidget(self.message)
        right.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(column)
        # The controls never get narrower than they need (only their height scrolls); the targets
        # take what is left.
        scroll.setMinimumWidth(column.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width())
        targets_scroll = QScrollArea()  # on a narrow window the targets scroll, the controls stay whole
        targets_scroll.setWidgetResizable(True)
        targets_scroll.setFrameShape(QFrame.Shape.NoFrame)
        targets_scroll.setWidget(self.targets_box)
        lay = QHBoxLayout(self)
        lay.addWidget(targets_scroll, 4)
        lay.addWidget(scroll, 5)

        self.talk.talkPressed.connect(self._pressed)
        self.talk.talkReleased.connect(self._released)
        self.ptt_mode.toggled.connect(lambda _on: self.refresh())
        self.targets.changed.connect(self.refresh)
        self.input.changed.connect(self.refresh)
        control.changed.connect(self.refresh)
        control.started.connect(self._started)
        control.failed.connect(self._failed)
        control.ended.connect(self._ended)
        self.meter._timer.timeout.connect(self._show_level)
        self.retranslate()

    # -- language ---------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.targets_box.setTitle(self.tr("Where"))
        self.input_box.setTitle(self.tr("Announcement"))
        for label, text in zip(self.form_labels, (self.tr("Input"), self.tr("Chime"), self.tr("Maximum length"),
                                                  self.tr("Talk button"))):
            label.setText(text)
        self.chime.setText(self.tr("Play the chime before speaking"))
        self.max_minutes.setSuffix(" " + self.tr("min"))
        self.ptt_mode.setText(self.tr("Hold to talk"))
        self.toggle_mode.setText(self.tr("Click to start and stop"))
        self.refresh()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- state ------------------------------------------------------------------------------------

    @property
    def push_to_talk(self) -> bool:
        return self.ptt_mode.isChecked()

    def on_air(self) -> bool:
        return self.control.sessions["live"] is not None

    def refresh(self) -> None:
        s = self.control.running("live")
        busy = self.control.busy["live"]
        emergency = self.control.running("emergency")
        if s is not None:
            self.state_panel.setStyleSheet(ON_AIR_STYLE)
            self.state_label.setText("● " + self.tr("ON AIR"))
            self.time_label.setText(clock_text(s.elapsed_s))
            self.reach_label.setText(self.tr("To {n} cluster(s) · {joined} joined · {silent} not responded").format(
                n=s.targets, joined=s.playing, silent=s.silent))
            self.countdown_label.setVisible(s.countdown)
            self.countdown_label.setText(self.tr("Ends in {time}: the maximum length is reached then").format(
                time=clock_text(s.countdown_s)))
        else:
            self.state_panel.setStyleSheet(EMERGENCY_STYLE if emergency else OFF_AIR_STYLE)
            if emergency:
                self.state_label.setText("⚠ " + self.tr("EMERGENCY"))
                self.time_label.setText(clock_text(emergency.elapsed_s))
                self.reach_label.setText(self.tr("An emergency broadcast is on air: until it ends, the clusters it "
                                                 "reaches play it instead of a live announcement."))
            else:
                self.state_label.setText(self.tr("Starting…") if busy else self.tr("Off air"))
                self.time_label.setText(clock_text(0))
                self.reach_label.setText(self.tr("Nothing from this desk is on air."))
            self.countdown_label.setVisible(False)
        if s is not None and not self.meter.active:
            self.meter.start()
        elif s is None and self.meter.active:
            self.meter.stop()
        self._show_level()
        self._show_talk(s is not None, busy)
        self._show_message()

    def _show_talk(self, on_air: bool, busy: bool) -> None:
        refusal = self.control.refusal("live")
        usable = self.input.source_factory() is not None and self.targets.valid() and refusal is None
        if self.push_to_talk:
            text = (self.tr("ON AIR — release to stop") if on_air or self.ptt.state in ("starting", "on_air")
                    else self.tr("Hold to talk"))
            self.hint.setText(self.tr("Hold the button, or the space bar while the desk has focus; release to "
                                      "stop."))
        else:
            text = self.tr("Stop") if on_air else self.tr("Go live")
            self.hint.setText(self.tr("Click to go live, click again to stop."))
        self.talk.setText(text)
        self.talk.setEnabled(on_air or (usable and not busy) or self.ptt.state != "idle")
        red = on_air or self.ptt.state in ("starting", "on_air")
        self.talk.setStyleSheet(f"QPushButton {{ background:{ON_AIR.name()}; color:#ffffff; border-radius:6px; }}"
                                if red else "")
        if refusal is not None:
            self.hint.setText(refusal)

    def _show_level(self) -> None:
        self.level_label.setText(self.meter.text())

    def _show_message(self) -> None:
        text, warning = self._message
        self.message.setStyleSheet("color:#d13438; font-weight:600;" if warning else "color:#4a4f57;")
        self.message.setText(text)

    def _say(self, text: str, warning: bool = False) -> None:
        self._message = (text, warning)
        self._show_message()

    # -- talking ----------------------------------------------------------------------------------

    def _pressed(self) -> None:
        if self.push_to_talk:
            if self.ptt.press() == "start" and not self._go_live():
                self.ptt.failed()
        elif self.on_air():
            self._stop()
        elif not self.control.busy["live"]:
            self._go_live()
        self.refresh()

    def _released(self) -> None:
        if self.push_to_talk and self.ptt.release() == "stop":
            self._stop(self.ptt.session_id)
        self.refresh()

    def _go_live(self) -> bool:
        make = self.input.source_factory()
        if make is None or not self.targets.valid():
            self._say(self.tr("Choose an input and where to broadcast first."), True)
            return False
        self._say(self.tr("Going live…"))
        self.control.go_live(make, self.targets.targets(), chime=self.chime.isChecked(),
                             max_s=min(self.max_minutes.value() * 60, self.control.max_s["live"]))
        return True

    def _stop(self, session_id: str | None = None) -> None:
        self.control.stop("live", session_id, reason="stopped")

    def _started(self, kind: str, session) -> None:
        if kind != "live":
            return
        if self._message[0] == self.tr("Going live…"):  # (not over the end of the session this one took over)
            self._say(self.tr("On air to {n} cluster(s).").format(n=len(session.devices)))
        if self.push_to_talk and self.ptt.started(session.id) == "stop":
            self._stop(session.id)
        self.refresh()

    def _failed(self, kind: str, message: str, _code: str = "") -> None:
        if kind != "live":
            return
        self.ptt.failed()
        self._say(self.tr("Not on air: {reason}").format(reason=message), True)
        self.refresh()

    def _ended(self, kind: str, session) -> None:
        if kind != "live":
            return
        self.ptt.ended()
        took = clock_text(((session.ended_ms or session.started_ms) - session.started_ms) / 1000)
        counts = session.counts()
        self._say(self.tr("The announcement ended after {time}: {reason}. {joined} of {n} cluster(s) had "
                          "joined.").format(time=took, reason=end_reason_text(session.end_reason),
                                            joined=sum(1 for st in session.status.values()
                                                       if st.joined_ms is not None),
                                            n=counts["targets"]),
                  session.end_reason not in ("stopped", "end of file"))
        self.refresh()

    # -- the space bar ----------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space:
            if not event.isAutoRepeat() and not self._space_held:
                self._space_held = True
                self._pressed()
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space:
            if not event.isAutoRepeat() and self._space_held:
                self._space_held = False
                self._released()
            event.accept()
            return
        super().keyReleaseEvent(event)

    def focusOutEvent(self, event) -> None:
        if self._space_held:  # the release would go elsewhere: treat losing focus as letting go
            self._space_held = False
            self._released()
        super().focusOutEvent(event)
