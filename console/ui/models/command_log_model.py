"""The commands sent from this window, newest first, with their ack progress.

:class:`CommandUpdates` carries the command manager's status callbacks, which run on the ingest and
timer threads, to the GUI thread as a queued Qt signal; :class:`CommandLogModel` only ever reads
the :class:`Command` objects on the GUI thread.
"""

from __future__ import annotations

import json
import time
from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QCoreApplication, QModelIndex, QObject, Qt, Signal

from console.fleet.commands import Command, CommandManager
from console.ui import formatting as fmt
from console.ui import theme

TITLES = (
    QT_TRANSLATE_NOOP("CommandLogModel", "Time"),
    QT_TRANSLATE_NOOP("CommandLogModel", "Device"),
    QT_TRANSLATE_NOOP("CommandLogModel", "Command"),
    QT_TRANSLATE_NOOP("CommandLogModel", "Progress"),  # statuses, latency, then the error or result
)
PROGRESS = 3
STATUS_COLOURS = {"done": theme.ONLINE, "accepted": theme.PENDING, "error": theme.OFFLINE,
                  "timeout": theme.OFFLINE, "refused": theme.OFFLINE}
MAX_ROWS = 200


class CommandUpdates(QObject):
    """Re-emits a command manager's ``on_update`` callbacks as ``changed(Command)`` on the GUI thread.

    ``attach`` keeps any callback already installed (the station's), calling it first.
    """

    changed = Signal(object)

    def attach(self, manager: CommandManager) -> None:
        previous = manager.on_update

        def forward(cmd: Command) -> None:
            if previous is not None:
                previous(cmd)
            self.changed.emit(cmd)  # queued: emitted on a worker thread, received on the GUI thread

        manager.on_update = forward


def _t(text: str) -> str:
    return QCoreApplication.translate("CommandLogModel", text)


class CommandLogModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._cmds: list[Command] = []

    def add(self, cmd: Command) -> None:
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._cmds.insert(0, cmd)
        self.endInsertRows()
        if len(self._cmds) > MAX_ROWS:
            self.beginRemoveRows(QModelIndex(), MAX_ROWS, len(self._cmds) - 1)
            del self._cmds[MAX_ROWS:]
            self.endRemoveRows()

    def update(self, cmd: Command) -> None:
        """A command changed status; commands not sent from here are ignored."""
        for row, c in enumerate(self._cmds):
            if c is cmd or c.cid == cmd.cid:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(TITLES) - 1))
                return

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._cmds)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(TITLES)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _t(TITLES[section])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        c = self._cmds[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(c, col)
        if role == Qt.ItemDataRole.ForegroundRole and col == PROGRESS:
            return STATUS_COLOURS.get(c.status)
        if role == Qt.ItemDataRole.ToolTipRole and col == PROGRESS:
            return "\n".join(f"{datetime.fromtimestamp(ts).strftime('%H:%M:%S.%f')[:-3]}  "
                             f"{fmt.label(fmt.COMMAND_STATUS, s)}" for ts, s in c.history) + (
                f"\n{c.err}" if c.err else "")
        return None

    @staticmethod
    def _display(c: Command, col: int):
        if col == 0:
            return datetime.fromtimestamp(c.sent_at or time.time()).strftime("%H:%M:%S")
        if col == 1:
            return c.device
        if col == 2:
            op = fmt.label(fmt.COMMAND_OPS, c.op)
            return f"{op} {c.args['vol']} %" if c.op == "volume.set" and "vol" in c.args else op
        if col == PROGRESS:
            steps = [s for _, s in c.history] or [c.status]
            parts = [" → ".join(fmt.label(fmt.COMMAND_STATUS, s) for s in steps)]
            end = c.finished_at or c.accepted_at
            if end and c.sent_at:
                parts.append(f"{round((end - c.sent_at) * 1000)} ms")
            if c.attempts > 1:
                parts.append(QCoreApplication.translate("CommandLogModel", "{n} attempts").format(n=c.attempts))
            if c.err:
                parts.append(c.err)
            elif c.result:
                parts.append(json.dumps(c.result, ensure_ascii=False, separators=(", ", ": ")))
            return " · ".join(parts)
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(TITLES) - 1)
        if self._cmds:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._cmds) - 1, len(TITLES) - 1))
