"""The device table with its filter bar (status, commune/ward, group, text search)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMenu,
                               QTableView, QVBoxLayout, QWidget)

from console.core.hierarchy import fold
from console.fleet.state import FleetState
from console.ui.models.device_table_model import (DEVICE_ID_ROLE, STATUS_FILTERS, Column, DeviceFilterProxy,
                                                  DeviceTableModel)

# Typical content per column, to size columns without measuring 10,000 rows.
SAMPLE_TEXT = {
    Column.STATUS: "Chờ tiếp nhận", Column.ID: "TT4G-00000", Column.NAME: "Trường tiểu học 2",
    Column.UNIT: "Phường Hoài Nhơn", Column.GROUPS: "an-nhon, ven-bien", Column.SIGNAL: "-100 dBm",
    Column.TEMP: "70,5 °C", Column.VOLUME: "100 %", Column.PLAYING: "bantin-sang-2611",
    Column.LAST_SEEN: "59 phút trước", Column.FIRMWARE: "2.4.10",
}
ICON_COLUMNS = (Column.STATUS, Column.SIGNAL)
# Shown from the header's context menu; hidden at first so that faults fit on a 1400 px window.
HIDDEN_AT_FIRST = (Column.GROUPS, Column.VOLUME, Column.FIRMWARE)


class FilterBar(QWidget):
    """Drives a :class:`DeviceFilterProxy`; lists the units and groups present in the fleet."""

    def __init__(self, model: DeviceTableModel, proxy: DeviceFilterProxy, parent=None):
        super().__init__(parent)
        self._model, self._proxy = model, proxy
        self.status = QComboBox()
        self.unit = QComboBox()
        self.group = QComboBox()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        self.unit.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.unit.setMinimumContentsLength(14)
        self.group.setMinimumContentsLength(10)
        self.count = QLabel()
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        for w in (self.status, self.unit, self.group):
            lay.addWidget(w)
        lay.addWidget(self.search, 1)
        lay.addWidget(self.count)
        self.retranslate()
        self.status.currentIndexChanged.connect(self._apply)
        self.unit.currentIndexChanged.connect(self._apply)
        self.group.currentIndexChanged.connect(self._apply)
        self.search.textChanged.connect(self._apply)
        model.facetsChanged.connect(self._fill_facets)
        for sig in (proxy.rowsInserted, proxy.rowsRemoved, proxy.layoutChanged, proxy.modelReset):
            sig.connect(self._update_count)

    def retranslate(self) -> None:
        status = self.status.currentData() or "all"
        self.status.blockSignals(True)
        self.status.clear()
        for key, text in STATUS_FILTERS.items():
            self.status.addItem(QCoreApplication.translate("DeviceFilterProxy", text), key)
        self.status.setCurrentIndex(max(0, self.status.findData(status)))
        self.status.blockSignals(False)
        self.search.setPlaceholderText(self.tr("Search ID, name, commune… (accents optional)"))
        self.status.setToolTip(self.tr("Show only clusters in this state"))
        self._fill_facets()
        self._update_count()

    def _fill_facets(self) -> None:
        units = sorted(self._model.units.items(), key=lambda kv: fold(kv[1]))
        self._refill(self.unit, self.tr("All communes/wards"), [(name, code) for code, name in units])
        self._refill(self.group, self.tr("All groups"), [(g, g) for g in sorted(self._model.groups)])

    @staticmethod
    def _refill(combo: QComboBox, all_text: str, items: list[tuple[str, str]]) -> None:
        current = combo.currentData() or ""
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(all_text, "")
        for text, data in items:
            combo.addItem(text, data)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)

    def _apply(self) -> None:
        self._proxy.set_filters(status=self.status.currentData() or "all", unit=self.unit.currentData() or "",
                                group=self.group.currentData() or "", text=self.search.text())
        self._update_count()

    def _update_count(self) -> None:
        self.count.setText(self.tr("{shown} of {total} clusters").format(
            shown=self._proxy.rowCount(), total=self._model.rowCount()))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class DeviceListView(QWidget):
    """Filter bar over the device table. Emits ``deviceSelected(id)`` ("" when nothing is selected)."""

    deviceSelected = Signal(str)

    def __init__(self, state: FleetState, parent=None, interval_ms: int = 200):
        super().__init__(parent)
        self.model = DeviceTableModel(state, interval_ms, self)
        self.proxy = DeviceFilterProxy(self.model, self)
        self.filters = FilterBar(self.model, self.proxy)
        self.table = QTableView()
        t = self.table
        t.setModel(self.proxy)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        t.setAlternatingRowColors(True)
        t.setShowGrid(False)
        t.setWordWrap(False)
        t.setTextElideMode(Qt.TextElideMode.ElideRight)
        t.verticalHeader().hide()
        rows = t.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # constant-time layout for 10k rows
        rows.setDefaultSectionSize(t.fontMetrics().height() + 8)
        header = t.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionsMovable(True)
        fm = t.fontMetrics()
        for col, sample in SAMPLE_TEXT.items():
            header.resizeSection(col, fm.horizontalAdvance(sample) + (40 if col in ICON_COLUMNS else 18))
        for col in HIDDEN_AT_FIRST:
            header.hideSection(col)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        t.setSortingEnabled(True)
        t.sortByColumn(Column.STATUS, Qt.SortOrder.AscendingOrder)
        t.selectionModel().currentRowChanged.connect(self._current_changed)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 0)
        lay.addWidget(self.filters)
        lay.addWidget(t)
        # Relative times ("12 s ago") are computed at paint time: repaint the visible rows each second.
        self._clock = QTimer(self)
        self._clock.timeout.connect(t.viewport().update)
        self._clock.start(1000)

    def _column_menu(self, pos) -> None:
        header = self.table.horizontalHeader()
        menu = QMenu(self)
        menu.setTitle(self.tr("Columns"))
        for col in Column:
            action = menu.addAction(self.model.headerData(col, Qt.Orientation.Horizontal))
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(col))
            action.setEnabled(col != Column.ID)
            action.toggled.connect(lambda on, c=col: header.setSectionHidden(c, not on))
        menu.exec(header.mapToGlobal(pos))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.deviceSelected.emit(current.data(DEVICE_ID_ROLE) if current.isValid() else "")

    def current_device(self) -> str:
        index = self.table.currentIndex()
        return index.data(DEVICE_ID_ROLE) if index.isValid() else ""

    def select_device(self, dev_id: str) -> bool:
        """Select a device's row (False if it is unknown or filtered out)."""
        row = self.model.row_of(dev_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, Column.ID))
        if not index.isValid():
            return False
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.model.retranslate()
        super().changeEvent(event)
