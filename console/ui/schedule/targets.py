"""Where a broadcast goes: groups, administrative units and single clusters (``Targets``).

:class:`TargetPicker` is the schedule editor's "Where" tab as a widget of its own, so that the live
desk and the emergency dialog choose their targets the same way. It holds no service: its owner loads
the directory (``data.load_directory``) and the administrative units (``data.load_units``) on a worker
and hands them over with :meth:`TargetPicker.set_directory` and :meth:`TargetPicker.set_hierarchy`.

Its words keep the schedule editor's translation context ("ScheduleEditor"), where they were first
translated.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.schedule.model import Targets
from console.ui.schedule import labels as lb
from console.ui.schedule.data import Directory, find_units, unit_place

UNIT_RESULTS = 30
SEARCH_DELAY_MS = 200
ITEM_ID = Qt.ItemDataRole.UserRole


def list_values(lst: QListWidget) -> list:
    """The values (``ITEM_ID`` data) of a list's items, in order."""
    return [lst.item(i).data(ITEM_ID) for i in range(lst.count())]


def put_item(lst: QListWidget, text: str, value) -> None:
    """Add an item with ``value`` unless the list has one already."""
    if value in list_values(lst):
        return
    item = QListWidgetItem(text)
    item.setData(ITEM_ID, value)
    lst.addItem(item)


def remove_selected(lst: QListWidget) -> None:
    for item in lst.selectedItems():
        lst.takeItem(lst.row(item))


class TargetPicker(QWidget):
    """Groups (checkable), administrative units (searched by name, accents optional, or code) and
    single clusters (by id or name). Signal ``changed()`` when the choice changes; :meth:`targets`."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.hierarchy = None  # administrative units, for the search (set_hierarchy)
        self.device_names: dict[str, str] = {}
        self.groups_box, self.units_box, self.devices_box = QGroupBox(), QGroupBox(), QGroupBox()
        self.groups = QListWidget()
        QVBoxLayout(self.groups_box).addWidget(self.groups)
        self.unit_search = QLineEdit()
        self.unit_search.setClearButtonEnabled(True)
        self.unit_search.setEnabled(False)
        self.unit_results = QListWidget()
        self.unit_add, self.unit_remove = QPushButton(), QPushButton()
        self.units = QListWidget()
        u = QGridLayout(self.units_box)
        u.addWidget(self.unit_search, 0, 0)
        u.addWidget(self.unit_add, 0, 1)
        u.addWidget(self.unit_results, 1, 0, 1, 2)
        u.addWidget(self.units, 2, 0)
        u.addWidget(self.unit_remove, 2, 1, Qt.AlignmentFlag.AlignTop)
        u.setRowStretch(1, 3)
        u.setRowStretch(2, 2)
        self.device_edit = QLineEdit()
        self.device_edit.setClearButtonEnabled(True)
        self.device_completer = QCompleter(QStringListModel(self), self)
        self.device_completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.device_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.device_edit.setCompleter(self.device_completer)
        self.device_add, self.device_remove = QPushButton(), QPushButton()
        self.devices = QListWidget()
        d = QGridLayout(self.devices_box)
        d.addWidget(self.device_edit, 0, 0)
        d.addWidget(self.device_add, 0, 1)
        d.addWidget(self.devices, 1, 0)
        d.addWidget(self.device_remove, 1, 1, Qt.AlignmentFlag.AlignTop)
        right = QVBoxLayout()
        right.addWidget(self.units_box, 3)
        right.addWidget(self.devices_box, 2)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.groups_box, 1)
        lay.addLayout(right, 1)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self._search_units)
        self.unit_search.textChanged.connect(lambda: self.search_timer.start())
        self.unit_results.itemDoubleClicked.connect(lambda _i: self.add_unit())
        self.unit_add.clicked.connect(self.add_unit)
        self.unit_remove.clicked.connect(lambda: remove_selected(self.units))
        self.device_add.clicked.connect(self.add_device)
        self.device_edit.returnPressed.connect(self.add_device)
        self.device_remove.clicked.connect(lambda: remove_selected(self.devices))
        self.groups.itemChanged.connect(lambda _item: self.changed.emit())
        for lst in (self.units, self.devices):
            lst.model().rowsInserted.connect(lambda *_a: self.changed.emit())
            lst.model().rowsRemoved.connect(lambda *_a: self.changed.emit())
        self.retranslate()

    def retranslate(self) -> None:
        self.groups_box.setTitle(QCoreApplication.translate("ScheduleEditor", "Groups"))
        self.units_box.setTitle(QCoreApplication.translate("ScheduleEditor", "Administrative units"))
        self.devices_box.setTitle(QCoreApplication.translate("ScheduleEditor", "Single clusters"))
        self.unit_search.setPlaceholderText(
            QCoreApplication.translate("ScheduleEditor", "Name or code (accents optional)") if self.hierarchy is not None
            else QCoreApplication.translate("ScheduleEditor", "Loading the administrative units…"))
        for button in (self.unit_add, self.device_add):
            button.setText(QCoreApplication.translate("ScheduleEditor", "Add"))
        for button in (self.unit_remove, self.device_remove):
            button.setText(QCoreApplication.translate("ScheduleEditor", "Remove"))
        self.device_edit.setPlaceholderText(QCoreApplication.translate("ScheduleEditor", "Cluster id or name"))

    # -- filling ----------------------------------------------------------------------------------

    def set_directory(self, directory: Directory, chosen: Iterable[str] = ()) -> None:
        """The groups to offer (``chosen`` checked) and the clusters to complete."""
        self.device_names = {d.id: d.name for d in directory.devices}
        self.device_completer.model().setStringList([self.device_text(d.id) for d in directory.devices])
        chosen = set(chosen)
        blocked = self.groups.blockSignals(True)
        self.groups.clear()
        for g in directory.groups:
            item = QListWidgetItem(f"{lb.group_name(g['id'], g['name'])}  ({len(g['devices'])})")
            item.setData(ITEM_ID, g["id"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if g["id"] in chosen else Qt.CheckState.Unchecked)
            self.groups.addItem(item)
        self.groups.blockSignals(blocked)
        for i in range(self.devices.count()):
            item = self.devices.item(i)
            item.setText(self.device_text(item.data(ITEM_ID)))

    def set_hierarchy(self, hierarchy) -> None:
        self.hierarchy = hierarchy
        self.unit_search.setEnabled(True)
        self.retranslate()
        for i in range(self.units.count()):
            item = self.units.item(i)
            item.setText(self.unit_text(item.data(ITEM_ID)))

    def set_units(self, codes: Iterable[str]) -> None:
        self.units.clear()
        for code in codes:
            put_item(self.units, self.unit_text(code), code)

    def set_devices(self, devices: Iterable[str]) -> None:
        self.devices.clear()
        for dev in devices:
            put_item(self.devices, self.device_text(dev), dev)

    def targets(self) -> Targets:
        groups = tuple(self.groups.item(i).data(ITEM_ID) for i in range(self.groups.count())
                       if self.groups.item(i).checkState() == Qt.CheckState.Checked)
        return Targets(groups, tuple(list_values(self.units)), tuple(list_values(self.devices)))

    def stop(self) -> None:
        """Stop the pending search (the owner is closing)."""
        self.search_timer.stop()

    # -- units and clusters -----------------------------------------------------------------------

    def unit_text(self, code: str) -> str:
        if self.hierarchy is None:
            return code
        found = [u for u in self.hierarchy if u.code == code]
        if not found:
            return code
        place = unit_place(self.hierarchy, found[0])
        return f"{found[0].name} ({code})" + (f" · {place}" if place else "")

    def _search_units(self) -> None:
        self.unit_results.clear()
        if self.hierarchy is None:
            return
        for u in find_units(self.hierarchy, self.unit_search.text(), UNIT_RESULTS):
            place = unit_place(self.hierarchy, u)
            put_item(self.unit_results, f"{u.name} ({u.code})" + (f" · {place}" if place else ""), u.code)

    def add_unit(self) -> None:
        """Add the units selected in the search results (the first result when none is)."""
        chosen = self.unit_results.selectedItems()
        if not chosen and self.unit_results.count():
            chosen = [self.unit_results.item(0)]
        for item in chosen:
            put_item(self.units, item.text(), item.data(ITEM_ID))

    def device_text(self, dev: str) -> str:
        name = self.device_names.get(dev, "")
        return f"{dev} — {name}" if name else dev

    def add_device(self) -> None:
        dev = self.device_edit.text().split(" — ")[0].strip()
        if dev:
            put_item(self.devices, self.device_text(dev), dev)
            self.device_edit.clear()
