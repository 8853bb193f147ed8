"""Remote commands for the selected device, and the log of their acks (sent → accepted → done)."""

from __future__ import annotations

from concurrent.futures import Future
from typing import Callable

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QMessageBox,
                               QPushButton, QSpinBox, QTableView, QVBoxLayout, QWidget)

from console.fleet.commands import Command, CommandRefused
from console.fleet.service import FleetService
from console.ui import formatting as fmt
from console.ui import theme
from console.ui.models.command_log_model import CommandLogModel, CommandUpdates

TEST_TONE_S = 5


class CommandPanel(QWidget):
    """Buttons acting on one device, plus the command log.

    ``adopt(dev_id)``, when given, is offered for pending devices instead of the commands. It may
    return a Future (the station's does: the write happens on the DB writer); a failure is shown.
    ``logs``, the media server when it takes log uploads (``logs_url(dev_id)``, ``logs_dir``), is
    where "Upload logs" asks the device to upload its logs; without it the button is disabled. A
    ping's round-trip time (sent to done), or where the logs landed, shows under the buttons.
    """

    adoptFailed = Signal(str, str)  # device id, reason (emitted from the writer thread)

    def __init__(self, fleet: FleetService, adopt: Callable[[str], None] | None = None, parent=None,
                 interval_ms: int = 500, logs=None):
        super().__init__(parent)
        self._fleet = fleet
        self._adopt = adopt
        self._logs = logs if logs is not None and logs.logs_dir is not None else None
        self._dev_id = ""
        self._ping: Command | None = None  # the last ping sent from here
        self._upload: Command | None = None  # the last logs.upload sent from here
        self.log = CommandLogModel(self)
        self.updates = CommandUpdates(self)
        self.updates.changed.connect(self.log.update)
        self.updates.changed.connect(self._show_result)
        self.updates.attach(fleet.commands)
        self.adoptFailed.connect(self._show_adopt_failure)

        self.device_label = QLabel()
        self.device_label.setStyleSheet("font-weight: 600;")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.ping = QPushButton()
        self.tone = QPushButton()
        self.rebirth = QPushButton()
        self.resync = QPushButton()
        self.reboot = QPushButton()
        self.logs = QPushButton()
        self.ping_result = QLabel()
        self.volume = QSpinBox()
        self.volume.setRange(0, 100)
        self.volume.setSuffix(" %")
        self.volume.setValue(70)
        self.set_volume = QPushButton()
        self.adopt = QPushButton()
        self.adopt.setStyleSheet(f"color: {theme.PENDING.name()}; font-weight: 600;")
        self.adopt.setVisible(False)

        self.ping.clicked.connect(self._send_ping)
        self.tone.clicked.connect(lambda: self._send("test_tone", {"secs": TEST_TONE_S}))
        self.rebirth.clicked.connect(lambda: self._send("rebirth"))
        self.resync.clicked.connect(lambda: self._send("resync"))
        self.reboot.clicked.connect(self._reboot)
        self.logs.clicked.connect(self._send_logs)
        self.set_volume.clicked.connect(lambda: self._send("volume.set", {"vol": self.volume.value()}))
        self.adopt.clicked.connect(self._adopt_clicked)

        grid = QGridLayout()
        grid.addWidget(self.ping, 0, 0)
        grid.addWidget(self.tone, 0, 1)
        grid.addWidget(self.reboot, 0, 2)
        grid.addWidget(self.rebirth, 1, 0)
        grid.addWidget(self.resync, 1, 1)
        vol = QHBoxLayout()
        vol.addWidget(self.volume, 1)
        vol.addWidget(self.set_volume, 1)
        grid.addLayout(vol, 1, 2)
        grid.addWidget(self.logs, 2, 0)
        grid.addWidget(self.ping_result, 2, 1, 1, 2)
        self.buttons = (self.ping, self.tone, self.rebirth, self.resync, self.reboot, self.volume, self.set_volume,
                        self.logs)

        self.table = QTableView()
        self.table.setModel(self.log)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        fm = self.table.fontMetrics()
        for col, sample in enumerate(("00:00:00", "TT4G-00000", "Phát thử")):
            header.resizeSection(col, fm.horizontalAdvance(sample) + 16)

        lay = QVBoxLayout(self)
        lay.addWidget(self.device_label)
        lay.addWidget(self.note)
        lay.addLayout(grid)
        lay.addWidget(self.adopt)
        self.log_title = QLabel()
        lay.addWidget(self.log_title)
        lay.addWidget(self.table, 1)
        self.retranslate()
        # Adoption may change under us (an admin adopts elsewhere): re-check the buttons twice a second.
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._update_enabled)
        self._timer.start(interval_ms)

    def retranslate(self) -> None:
        self.ping.setText(self.tr("Ping"))
        self.ping.setToolTip(self.tr("Ask the cluster to answer, to check that it hears commands"))
        self.tone.setText(self.tr("Test tone"))
        self.tone.setToolTip(self.tr("Play a {n} s test tone on the loudspeakers").format(n=TEST_TONE_S))
        self.rebirth.setText(self.tr("Rebirth"))
        self.rebirth.setToolTip(self.tr("Ask the cluster to announce itself again (refreshes its details)"))
        self.resync.setText(self.tr("Resync"))
        self.resync.setToolTip(self.tr("Ask the cluster to fetch its schedule and media again"))
        self.reboot.setText(self.tr("Reboot…"))
        self.reboot.setToolTip(self.tr("Restart the cluster; it goes off the air for about a minute"))
        self.set_volume.setText(self.tr("Set volume"))
        self.logs.setText(self.tr("Upload logs"))
        self.logs.setToolTip(self.tr("Ask the cluster to upload its logs to the station") if self._logs else
                             self.tr("No server to upload logs to: the station has no media server"))
        self.adopt.setText(self.tr("Adopt this cluster"))
        self.log_title.setText(self.tr("Commands sent from this window"))
        self.log.retranslate()
        self._update_enabled()

    def set_device(self, dev_id: str) -> None:
        self._dev_id = dev_id
        d = self._fleet.state.get(dev_id) if dev_id else None
        if d is not None and d.vol is not None:
            self.volume.setValue(d.vol)
        self._update_enabled()

    def _update_enabled(self) -> None:
        d = self._fleet.state.get(self._dev_id) if self._dev_id else None
        if d is None:
            self.device_label.setText(self.tr("No cluster selected"))
        else:
            self.device_label.setText(f"{d.name} · {d.id}" if d.name else d.id)
        usable = d is not None and d.adopted
        for b in self.buttons:
            b.setEnabled(usable)
        self.logs.setEnabled(usable and self._logs is not None)
        self.adopt.setVisible(d is not None and d.pending and self._adopt is not None)
        if d is not None and d.pending:
            self.note.setText(self.tr("This cluster is waiting to be adopted: commands are disabled until then.")
                              if self._adopt is None else
                              self.tr("This cluster is waiting to be adopted: adopt it to send commands."))
        elif d is not None and d.state != "online":
            self.note.setText(self.tr("The cluster is not online: commands wait up to {n} s for it, then time out.")
                              .format(n=round(self._fleet.commands.ttl)))
        else:
            self.note.setText("")
        self.note.setVisible(bool(self.note.text()))

    # Actions --------------------------------------------------------------------------------------
    def _send(self, op: str, args: dict | None = None) -> Command | None:
        if not self._dev_id:
            return None
        try:
            cmd = self._fleet.commands.send(self._dev_id, op, args)
        except CommandRefused as e:
            QMessageBox.warning(self, self.tr("Command not sent"), str(e))
            return None
        self.log.add(cmd)
        return cmd

    def _send_ping(self) -> None:
        self._ping = self._send("ping")
        if self._ping is not None:
            self.ping_result.setText(self.tr("Ping {device}: waiting for the answer…").format(device=self._ping.device))

    def _send_logs(self) -> None:
        self._upload = self._send("logs.upload", {"url": self._logs.logs_url(self._dev_id)})
        if self._upload is not None:
            self.ping_result.setText(self.tr("Logs of {device}: waiting for the upload…").format(
                device=self._upload.device))

    def _show_result(self, cmd: Command) -> None:
        """The round-trip time of the last ping sent from here (command sent to its ``done`` ack), or
        where the last logs asked for landed."""
        if cmd is self._upload and cmd.final:
            folder = self._logs.logs_dir / cmd.device
            self.ping_result.setText(
                self.tr("Logs of {device} saved in {folder}").format(device=cmd.device, folder=folder)
                if cmd.status == "done" else self.tr("Logs of {device} not uploaded ({status})").format(
                    device=cmd.device, status=fmt.label(fmt.COMMAND_STATUS, cmd.status)))
            self.ping_result.setToolTip(cmd.err or "")
        if cmd is not self._ping:
            return
        if cmd.status == "done" and cmd.finished_at and cmd.sent_at:
            self.ping_result.setText(self.tr("Ping {device}: {ms} ms round trip").format(
                device=cmd.device, ms=round((cmd.finished_at - cmd.sent_at) * 1000)))
        elif cmd.final:
            self.ping_result.setText(self.tr("Ping {device}: no answer ({status})").format(
                device=cmd.device, status=fmt.label(fmt.COMMAND_STATUS, cmd.status)))

    def _reboot(self) -> None:
        d = self._fleet.state.get(self._dev_id)
        if d is None:
            return
        answer = QMessageBox.question(
            self, self.tr("Reboot cluster"),
            self.tr("Reboot {name}?\n\nThe loudspeakers go silent until it is back, usually about a minute. "
                    "Anything playing now stops.").format(name=d.name or d.id))
        if answer == QMessageBox.StandardButton.Yes:
            self._send("reboot")

    def _adopt_clicked(self) -> None:
        if self._dev_id and self._adopt is not None:
            dev_id = self._dev_id
            result = self._adopt(dev_id)
            if isinstance(result, Future):
                result.add_done_callback(
                    lambda f: f.exception() is not None and self.adoptFailed.emit(dev_id, str(f.exception())))
            self._update_enabled()

    def _show_adopt_failure(self, dev_id: str, reason: str) -> None:
        QMessageBox.warning(self, self.tr("Adoption failed"),
                            self.tr("Cluster {0} could not be adopted:\n{1}").format(dev_id, reason))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
