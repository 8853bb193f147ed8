"""The fleet as a table: one row per device, pulled from :class:`FleetState` on a timer.

The model never resets. Each tick (5 Hz) it drains its own :class:`DirtyTracker`, appends new
devices with ``beginInsertRows`` and emits ``dataChanged`` for the changed rows only, coalesced into
row ranges. Relative times ("12 s ago") are computed when a cell is painted, so they need no
signal: the view repaints its viewport once a second.

Sorting happens here, at most once per tick, and filtering in :class:`DeviceFilterProxy`. Letting
QSortFilterProxyModel sort cost, with 10,000 rows (docs/ui.md, "Measurements"), 0.5-0.9 s per
header click and 140-260 ms per tick with 1,000 dirty rows: every comparison is a call from C++
into Python. Here a sort is one ``sorted()`` over cached keys, and a tick re-sorts only when a
dirty row's key for the sort column changed, then moves rows with one ``layoutChanged``.
"""

from __future__ import annotations

import time
from enum import IntEnum
from itertools import islice
from typing import ClassVar, NamedTuple

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QRegularExpression,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)

from console.core.hierarchy import fold
from console.fleet.state import DeviceState, FleetState, now_ms
from console.ui import formatting as fmt
from console.ui import theme


class Column(IntEnum):
    STATUS = 0
    ID = 1
    NAME = 2
    UNIT = 3
    GROUPS = 4
    SIGNAL = 5
    TEMP = 6
    VOLUME = 7
    PLAYING = 8
    LAST_SEEN = 9
    FIRMWARE = 10
    FAULTS = 11


TITLES = {
    Column.STATUS: QT_TRANSLATE_NOOP("DeviceTableModel", "Status"),
    Column.ID: QT_TRANSLATE_NOOP("DeviceTableModel", "Device ID"),
    Column.NAME: QT_TRANSLATE_NOOP("DeviceTableModel", "Name"),
    Column.UNIT: QT_TRANSLATE_NOOP("DeviceTableModel", "Commune/Ward"),
    Column.GROUPS: QT_TRANSLATE_NOOP("DeviceTableModel", "Groups"),
    Column.SIGNAL: QT_TRANSLATE_NOOP("DeviceTableModel", "Signal"),
    Column.TEMP: QT_TRANSLATE_NOOP("DeviceTableModel", "Temp."),
    Column.VOLUME: QT_TRANSLATE_NOOP("DeviceTableModel", "Volume"),
    Column.PLAYING: QT_TRANSLATE_NOOP("DeviceTableModel", "Playing"),
    Column.LAST_SEEN: QT_TRANSLATE_NOOP("DeviceTableModel", "Last seen"),
    Column.FIRMWARE: QT_TRANSLATE_NOOP("DeviceTableModel", "Firmware"),
    Column.FAULTS: QT_TRANSLATE_NOOP("DeviceTableModel", "Faults"),
}
TOOLTIPS = {
    Column.SIGNAL: QT_TRANSLATE_NOOP("DeviceTableModel", "4G signal strength (RSSI, dBm)"),
    Column.TEMP: QT_TRANSLATE_NOOP("DeviceTableModel", "Temperature inside the cabinet"),
    Column.LAST_SEEN: QT_TRANSLATE_NOOP("DeviceTableModel", "When the console last heard from the device"),
}

SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # a number where the column is numeric, else text
FILTER_ROLE = Qt.ItemDataRole.UserRole + 2  # FilterKey.line (status, unit, groups, search text)
DEVICE_ID_ROLE = Qt.ItemDataRole.UserRole + 3

N_COLUMNS = len(Column)
# Roles as plain ints: ``data()`` runs thousands of times per repaint, and comparing with Qt's enum
# members costs a lookup and a conversion each time.
DISPLAY, DECORATION, TOOLTIP, ALIGNMENT, FOREGROUND = (int(r) for r in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.ForegroundRole))
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

HOT_C, VERY_HOT_C = 60.0, 70.0
NUMERIC = (Column.SIGNAL, Column.TEMP, Column.VOLUME)
PRESENCE_RANK = {"offline": 0, "unknown": 1, "online": 2}
# At most this many changed devices are applied in one go; the rest follow right after, so a storm
# of 10,000 devices never blocks the event loop for long (500 rather than 1,000: bench/storm.py's
# stall p99 40-47 ms instead of 50-58).
SLICE = 500
# Live re-sorting moves rows under the operator's eyes: at most once a second.
RESORT_S = 1.0


def _t(text: str) -> str:
    return QCoreApplication.translate("DeviceTableModel", text)


SEP = "\x1f"  # separates the fields of a filter line: found in no id, code, group or folded name


class FilterKey(NamedTuple):
    presence: str
    pending: bool
    faulty: bool
    unit: str
    groups: tuple[str, ...]
    text: str  # folded id, name and unit: accent-free, lower case
    line: str  # all of the above as one line, for filter_pattern: "␟s:online␟faulty␟u:21553␟g:a␟t:text"


def filter_key(presence: str, pending: bool, faulty: bool, unit: str, groups: tuple[str, ...],
               text: str) -> FilterKey:
    parts = [f"s:{presence}", *(["pending"] if pending else []), *(["faulty"] if faulty else []),
             f"u:{unit}", *(f"g:{g}" for g in groups)]
    line = SEP + SEP.join(parts) + SEP + "t:" + text.replace(SEP, " ")
    return FilterKey(presence, pending, faulty, unit, groups, text, line)


def filter_pattern(status: str, unit: str, group: str, words: list[str]) -> str:
    """A regular expression matching the :attr:`FilterKey.line` of the rows the filters let through;
    empty when they let everything through. Filtering is then Qt's own (C++) regular-expression filter:
    a Python ``filterAcceptsRow`` would be called for every row whenever the table re-sorts (10,000
    calls, 7 ms), and not at all while no filter is set."""
    esc = QRegularExpression.escape
    needles = []
    if status in ("pending", "faulty"):
        needles.append(esc(SEP + status + SEP))
    elif status != "all":
        needles.append(esc(f"{SEP}s:{status}{SEP}"))
    if unit:
        needles.append(esc(f"{SEP}u:{unit}{SEP}"))
    if group:
        needles.append(esc(f"{SEP}g:{group}{SEP}"))
    needles += [esc(f"{SEP}t:") + ".*" + esc(w) for w in words]
    return "^" + "".join(f"(?=.*{n})" for n in needles) if needles else ""


def groups_of(d: DeviceState) -> tuple[str, ...]:
    """Groups from the registry, else those the device reports in its birth."""
    return d.groups or d.reported_groups


def ranges(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as inclusive (first, last) runs: [1, 2, 3, 7] -> [(1, 3), (7, 7)]."""
    out: list[tuple[int, int]] = []
    for r in rows:
        if out and r == out[-1][1] + 1:
            out[-1] = (out[-1][0], r)
        else:
            out.append((r, r))
    return out


class DeviceTableModel(QAbstractTableModel):
    """Rows of :class:`DeviceState`; ``refresh()`` runs every ``interval_ms`` (0: only when called)."""

    facetsChanged = Signal()  # a unit or group appeared (the filter bar lists them)

    def __init__(self, state: FleetState, interval_ms: int = 200, parent=None):
        super().__init__(parent)
        self._state = state
        self._tracker = state.tracker()
        self._devs: list[DeviceState] = []
        self._row: dict[str, int] = {}
        self._keys: list[FilterKey] = []
        self.units: dict[str, str] = {}  # unit code -> name
        self.groups: set[str] = set()
        self._sort_col: Column | None = None
        self._descending = False
        self._sort_keys: list[tuple] = []  # per row: the sort column's key and the id
        self._pending: set[str] = set()
        self._resort_due = False
        self._sorted_at = 0.0
        self._texts: dict[str, tuple] = {}  # id -> (name, unit name, folded search text)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        if interval_ms:
            self._timer.start(interval_ms)
        self.refresh()

    # Pulling from the fleet state ----------------------------------------------------------------
    def refresh(self) -> None:
        self._pending |= self._tracker.take()
        if len(self._pending) > SLICE:
            dirty = set(islice(self._pending, SLICE))
            self._pending -= dirty
            QTimer.singleShot(0, self.refresh)
        else:
            dirty, self._pending = self._pending, set()
        if not dirty:
            self._resort_if_due()
            return
        devices = self._state.devices
        new = sorted(i for i in dirty if i not in self._row and i in devices)
        changed = sorted(self._row[i] for i in dirty if i in self._row)
        facets = (len(self.units), len(self.groups))
        if new:
            first = len(self._devs)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            for dev_id in new:
                d = devices[dev_id]
                self._row[dev_id] = len(self._devs)
                self._devs.append(d)
                self._keys.append(self._key(d))
                if self._sort_col is not None:
                    self._sort_keys.append(self._sort_value(d))
            self.endInsertRows()
        resort = bool(new)
        for row in changed:
            d = self._devs[row]
            self._keys[row] = self._key(d)
            if self._sort_col is not None:
                key = self._sort_value(d)
                resort = resort or key != self._sort_keys[row]
                self._sort_keys[row] = key
        last = N_COLUMNS - 1
        for first_row, last_row in ranges(changed):
            self.dataChanged.emit(self.createIndex(first_row, 0), self.createIndex(last_row, last))
        self._resort_due = self._resort_due or (resort and self._sort_col is not None)
        self._resort_if_due()
        if (len(self.units), len(self.groups)) != facets:
            self.facetsChanged.emit()

    # Sorting --------------------------------------------------------------------------------------
    def _resort_if_due(self) -> None:
        if self._resort_due and self._sort_col is not None and time.monotonic() - self._sorted_at >= RESORT_S:
            self._reorder()

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column (the view calls this through the proxy); kept sorted on every tick.

        A negative column (the view's "no sort indicator") leaves the rows in their current order.
        """
        if column < 0:
            self._sort_col, self._sort_keys = None, []
            return
        self._sort_col = Column(column)
        self._descending = order == Qt.SortOrder.DescendingOrder
        self._sort_keys = [self._sort_value(d) for d in self._devs]
        self._reorder()

    def _sort_value(self, d: DeviceState) -> tuple:
        """``(value, id)``, or ``(None, id)`` when there is no value (those rows sort last)."""
        value = self._sort_key(d, self._sort_col)
        if isinstance(value, str):
            value = fold(value) or None  # accent-insensitive order; empty text sorts last
        return value, d.id

    def _reorder(self) -> None:
        self._resort_due, self._sorted_at = False, time.monotonic()
        keys, devs = self._sort_keys, self._devs
        present = [r for r, k in enumerate(keys) if k[0] is not None]
        present.sort(key=keys.__getitem__, reverse=self._descending)
        missing = [r for r, k in enumerate(keys) if k[0] is None]
        missing.sort(key=keys.__getitem__)
        order = present + missing
        if order == list(range(len(order))):
            return
        self.layoutAboutToBeChanged.emit()
        new_row = [0] * len(order)
        for new, old in enumerate(order):
            new_row[old] = new
        persistent = self.persistentIndexList()
        self.changePersistentIndexList(persistent, [self.index(new_row[i.row()], i.column()) for i in persistent])
        self._devs = [devs[r] for r in order]
        self._keys = [self._keys[r] for r in order]
        self._sort_keys = [keys[r] for r in order]
        self._row = {d.id: r for r, d in enumerate(self._devs)}
        self.layoutChanged.emit()

    def _key(self, d: DeviceState) -> FilterKey:
        groups = groups_of(d)
        if d.unit_code:
            self.units[d.unit_code] = d.unit_name or d.unit_code
        self.groups.update(groups)
        cached = self._texts.get(d.id)
        if cached is None or cached[0] != d.name or cached[1] != d.unit_name:
            cached = self._texts[d.id] = (d.name, d.unit_name, fold(f"{d.id} {d.name} {d.unit_name} {d.unit_code}"))
        return filter_key(d.state, d.pending, d.faulty, d.unit_code, groups, cached[2])

    # Lookups --------------------------------------------------------------------------------------
    def row_of(self, dev_id: str) -> int | None:
        return self._row.get(dev_id)

    def filter_key(self, row: int) -> FilterKey:
        return self._keys[row]

    # Qt model API ---------------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._devs)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else N_COLUMNS

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == DISPLAY:
            return _t(TITLES[Column(section)])
        if role == Qt.ItemDataRole.ToolTipRole and section in TOOLTIPS:
            return _t(TOOLTIPS[Column(section)])
        return None

    def data(self, index, role=DISPLAY):
        get = self._ROLES.get(role)
        return None if get is None else get(self, index.row(), index.column())

    _ROLES: ClassVar[dict] = {  # role -> its value for (self, row, column)
        DISPLAY: lambda self, row, col: self._display(self._devs[row], col),
        DECORATION: lambda self, row, col: self._decoration(self._devs[row], col),
        FOREGROUND: lambda self, row, col: self._foreground(self._devs[row], col),
        ALIGNMENT: lambda self, row, col: RIGHT if col in NUMERIC else None,
        TOOLTIP: lambda self, row, col: self._tooltip(self._devs[row], col),
        int(SORT_ROLE): lambda self, row, col: self._sort_key(self._devs[row], col),
        int(FILTER_ROLE): lambda self, row, col: self._keys[row].line,
        int(DEVICE_ID_ROLE): lambda self, row, col: self._devs[row].id,
    }

    def _display(self, d: DeviceState, col: int):
        if col == Column.STATUS:
            if d.pending:
                return QCoreApplication.translate("DeviceTableModel", "Pending")
            return fmt.label(fmt.PRESENCE, d.state)
        if col == Column.ID:
            return d.id
        if col == Column.NAME:
            return d.name
        if col == Column.UNIT:
            return d.unit_name or d.unit_code
        if col == Column.GROUPS:
            return ", ".join(groups_of(d))
        if col == Column.SIGNAL:
            return None if d.rssi is None else f"{d.rssi} dBm"
        if col == Column.TEMP:
            return None if d.temp is None else f"{fmt.number(d.temp)} °C"
        if col == Column.VOLUME:
            return None if d.vol is None else f"{d.vol} %"
        if col == Column.PLAYING:
            if not d.playing:
                return None
            if d.playing_prio and d.playing_prio != "normal":
                return f"[{fmt.label(fmt.PRIORITIES, d.playing_prio)}] {d.playing}"
            return d.playing
        if col == Column.LAST_SEEN:
            if not d.last_seen_ms:
                return QCoreApplication.translate("DeviceTableModel", "never")
            return fmt.age((now_ms() - d.last_seen_ms) / 1000)
        if col == Column.FIRMWARE:
            return d.fw
        if col == Column.FAULTS:
            return self._faults_text(d)
        return None

    @staticmethod
    def _faults_text(d: DeviceState) -> str:
        faults = sorted(d.faults)
        if d.amp == "fault" and "amp" not in d.faults:
            faults.insert(0, "amp")
        return ", ".join(fmt.label(fmt.FAULTS, f) for f in faults)

    @staticmethod
    def _sort_key(d: DeviceState, col: int):
        if col == Column.STATUS:
            return PRESENCE_RANK.get(d.state, 1) * 2 + (0 if d.pending else 1)
        if col == Column.SIGNAL:
            return d.rssi
        if col == Column.TEMP:
            return d.temp
        if col == Column.VOLUME:
            return d.vol
        if col == Column.LAST_SEEN:
            return d.last_seen_ms or None
        if col == Column.FAULTS:
            return len(d.faults) + (d.amp == "fault" and "amp" not in d.faults)
        if col == Column.UNIT:
            return d.unit_name or d.unit_code
        if col == Column.GROUPS:
            return ", ".join(groups_of(d))
        if col == Column.PLAYING:
            return d.playing or ""
        if col == Column.NAME:
            return d.name
        if col == Column.FIRMWARE:
            return d.fw
        return d.id

    @staticmethod
    def _decoration(d: DeviceState, col: int):
        if col == Column.STATUS:
            return theme.dot_icon(theme.PRESENCE_COLOURS.get(d.state, theme.UNKNOWN).name(), hollow=d.pending)
        if col == Column.SIGNAL and d.rssi is not None:
            return theme.bars_icon(theme.rssi_bars(d.rssi), theme.rssi_colour(d.rssi).name())
        if col == Column.FAULTS and d.faulty:
            return theme.dot_icon(theme.FAULTY.name())
        return None

    @staticmethod
    def _foreground(d: DeviceState, col: int):
        if col == Column.STATUS:
            return theme.PENDING if d.pending else theme.PRESENCE_COLOURS.get(d.state)
        if col == Column.TEMP and d.temp is not None and d.temp >= HOT_C:
            return theme.OFFLINE if d.temp >= VERY_HOT_C else theme.WARNING
        if col == Column.FAULTS:
            return theme.WARNING
        if col == Column.PLAYING and d.playing_prio == "emergency":
            return theme.OFFLINE
        if col == Column.LAST_SEEN and d.state != "online":
            return theme.MUTED
        return None

    def _tooltip(self, d: DeviceState, col: int):
        if col == Column.STATUS:
            return status_tooltip(d)
        if col == Column.LAST_SEEN and d.last_seen_ms:
            return fmt.clock(d.last_seen_ms)
        if col == Column.SIGNAL and d.rssi is not None:
            return f"{d.operator} {d.net_type.upper()}".strip() or None
        return None

    def retranslate(self) -> None:
        """Repaint every text after the language changed."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, N_COLUMNS - 1)
        if self._devs:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._devs) - 1, N_COLUMNS - 1))


def status_tooltip(d: DeviceState) -> str:
    if d.state == "online" and d.state_since_ms:
        text = QCoreApplication.translate("DeviceTableModel", "Online since {time} (session {session})").format(
            time=fmt.clock(d.state_since_ms), session=d.session)
    elif d.state == "online":
        text = QCoreApplication.translate("DeviceTableModel", "Online")
    elif d.state == "offline":
        text = offline_since(d)
    else:
        text = QCoreApplication.translate("DeviceTableModel", "Nothing heard from this device yet")
    if d.pending:
        text += "\n" + QCoreApplication.translate(
            "DeviceTableModel", "Pending: waiting to be adopted; it receives no commands until then.")
    return text


def offline_since(d: DeviceState) -> str:
    """'Offline since 14:32 (connection lost)'."""
    reason = fmt.label(fmt.OFFLINE_REASONS, d.offline_reason) or fmt.label(fmt.OFFLINE_REASONS, "lost")
    if not d.state_since_ms:
        return QCoreApplication.translate("DeviceTableModel", "Offline ({reason})").format(reason=reason)
    return QCoreApplication.translate("DeviceTableModel", "Offline since {time} ({reason})").format(
        time=fmt.clock(d.state_since_ms), reason=reason)


STATUS_FILTERS = {
    "all": QT_TRANSLATE_NOOP("DeviceFilterProxy", "All statuses"),
    "online": QT_TRANSLATE_NOOP("DeviceFilterProxy", "Online"),
    "offline": QT_TRANSLATE_NOOP("DeviceFilterProxy", "Offline"),
    "pending": QT_TRANSLATE_NOOP("DeviceFilterProxy", "Pending"),
    "faulty": QT_TRANSLATE_NOOP("DeviceFilterProxy", "Faulty"),
}


class DeviceFilterProxy(QSortFilterProxyModel):
    """Status, unit, group and accent-insensitive text filters over :class:`DeviceTableModel`, as one
    regular expression over its ``FILTER_ROLE`` lines (see :func:`filter_pattern`).

    ``sort()`` is handed to the source model, which keeps its rows sorted (see the module's doc);
    this proxy keeps the source's order and only filters.
    """

    def __init__(self, source: DeviceTableModel, parent=None):
        super().__init__(parent)
        self.status = "all"
        self.unit = ""
        self.group = ""
        self._words: list[str] = []
        self._rx = QRegularExpression()
        self._source = source
        self.setSourceModel(source)
        self.setFilterRole(FILTER_ROLE)
        self.setDynamicSortFilter(True)

    def set_filters(self, *, status: str | None = None, unit: str | None = None, group: str | None = None,
                    text: str | None = None) -> None:
        """Change any of the filters (None leaves one as it is); the rows are filtered again once."""
        if status is not None:
            if status not in STATUS_FILTERS:
                raise ValueError(f"unknown status filter {status!r}")
            self.status = status
        if unit is not None:
            self.unit = unit
        if group is not None:
            self.group = group
        if text is not None:
            self._words = fold(text).split()
        self._rx = QRegularExpression(filter_pattern(self.status, self.unit, self.group, self._words),
                                      QRegularExpression.PatternOption.DotMatchesEverythingOption)
        self.setFilterRegularExpression(self._rx)

    def is_filtering(self) -> bool:
        return bool(self._rx.pattern())

    def accepts(self, key: FilterKey) -> bool:
        """Whether the filters let a row with this key through (the map asks, device by device)."""
        return not self._rx.pattern() or self._rx.match(key.line).hasMatch()

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self._source.sort(column, order)
