"""The audio library as a table: one row per item, as last listed by the library service.

The view lists the items off the GUI thread (filters are applied by :meth:`Library.list_items`) and
hands them to :meth:`LibraryTableModel.set_items`. Sorting happens here with one ``sorted()`` over
per-column keys: numbers for numeric columns, accent-folded text for text, the workflow order for
states; empty values go last in either order.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import IntEnum

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    Qt,
)

from console.core.approval import STATES
from console.core.hierarchy import fold
from console.store.models import MediaItem
from console.ui import formatting as fmt
from console.ui import theme


class Column(IntEnum):
    TITLE = 0
    CATEGORY = 1
    STATE = 2
    DURATION = 3
    LUFS = 4
    TRUE_PEAK = 5
    SOURCE = 6
    AUTHOR = 7
    CREATED = 8
    EXPIRES = 9


TITLES = {
    Column.TITLE: QT_TRANSLATE_NOOP("LibraryTableModel", "Title"),
    Column.CATEGORY: QT_TRANSLATE_NOOP("LibraryTableModel", "Category"),
    Column.STATE: QT_TRANSLATE_NOOP("LibraryTableModel", "Status"),
    Column.DURATION: QT_TRANSLATE_NOOP("LibraryTableModel", "Length"),
    Column.LUFS: QT_TRANSLATE_NOOP("LibraryTableModel", "LUFS"),
    Column.TRUE_PEAK: QT_TRANSLATE_NOOP("LibraryTableModel", "dBTP"),
    Column.SOURCE: QT_TRANSLATE_NOOP("LibraryTableModel", "Source"),
    Column.AUTHOR: QT_TRANSLATE_NOOP("LibraryTableModel", "Author"),
    Column.CREATED: QT_TRANSLATE_NOOP("LibraryTableModel", "Added"),
    Column.EXPIRES: QT_TRANSLATE_NOOP("LibraryTableModel", "Expires"),
}
TOOLTIPS = {
    Column.LUFS: QT_TRANSLATE_NOOP("LibraryTableModel",
                                   "Measured loudness, integrated (EBU R128). Rendering brings it to the target."),
    Column.TRUE_PEAK: QT_TRANSLATE_NOOP("LibraryTableModel", "Highest true peak of the imported audio"),
    Column.CREATED: QT_TRANSLATE_NOOP("LibraryTableModel", "The day the file was imported"),
    Column.EXPIRES: QT_TRANSLATE_NOOP("LibraryTableModel", "Last day the item may be broadcast"),
}

CATEGORY_LABELS = {
    "news": QT_TRANSLATE_NOOP("Library", "News"),
    "policy": QT_TRANSLATE_NOOP("Library", "Policy and law"),
    "emergency": QT_TRANSLATE_NOOP("Library", "Emergency"),
    "culture": QT_TRANSLATE_NOOP("Library", "Culture"),
    "advertisement": QT_TRANSLATE_NOOP("Library", "Advertisement"),
    "other": QT_TRANSLATE_NOOP("Library", "Other"),
}
STATE_LABELS = {
    "draft": QT_TRANSLATE_NOOP("Library", "Draft"),
    "submitted": QT_TRANSLATE_NOOP("Library", "Awaiting approval"),
    "approved": QT_TRANSLATE_NOOP("Library", "Approved"),
    "rejected": QT_TRANSLATE_NOOP("Library", "Returned"),
    "archived": QT_TRANSLATE_NOOP("Library", "Archived"),
}
STATE_COLOURS = {"draft": theme.UNKNOWN, "submitted": theme.FAULTY, "approved": theme.ONLINE,
                 "rejected": theme.OFFLINE, "archived": theme.MUTED}

ITEM_ID_ROLE = Qt.ItemDataRole.UserRole + 1
NUMERIC = (Column.DURATION, Column.LUFS, Column.TRUE_PEAK)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def label(table: dict[str, str], key: str) -> str:
    """The translated label of a category or state (unknown keys show as they are)."""
    text = table.get(key)
    return QCoreApplication.translate("Library", text) if text else key


def clock_time(ms: int) -> str:
    """A length as ``m:ss``, or ``h:mm:ss`` from one hour."""
    s = max(0, ms) // 1000
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def moment(ts_ms: int) -> str:
    return datetime.fromtimestamp(ts_ms / 1000).strftime("%d/%m/%Y %H:%M")


def expired(item: MediaItem) -> bool:
    return item.expires_on is not None and item.expires_on < date.today()


class LibraryTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._items: list[MediaItem] = []
        self._sort_col: Column | None = None
        self._descending = False

    # -- content ----------------------------------------------------------------------------------

    def set_items(self, items: list[MediaItem]) -> None:
        """Show ``items`` (in the current sort order)."""
        self.beginResetModel()
        self._items = self._sorted(items)
        self.endResetModel()

    def retranslate(self) -> None:
        """Labels (headers, categories, states) are translated when shown: have them shown again."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
        if self._items:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._items) - 1, len(Column) - 1))

    def item(self, row: int) -> MediaItem:
        return self._items[row]

    def items(self) -> list[MediaItem]:
        return list(self._items)

    def row_of(self, item_id: int) -> int:
        """The row of ``item_id``, or -1."""
        return next((r for r, i in enumerate(self._items) if i.id == item_id), -1)

    # -- sorting ----------------------------------------------------------------------------------

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column; a negative column keeps the service's order (newest first)."""
        self._sort_col = Column(column) if column >= 0 else None
        self._descending = order == Qt.SortOrder.DescendingOrder
        if self._sort_col is None:
            return
        self.layoutAboutToBeChanged.emit()
        before = {id(i): r for r, i in enumerate(self._items)}
        self._items = self._sorted(self._items)
        moves = {before[id(i)]: r for r, i in enumerate(self._items)}
        old = self.persistentIndexList()
        self.changePersistentIndexList(old, [self.index(moves[i.row()], i.column()) for i in old])
        self.layoutChanged.emit()

    def _sorted(self, items: list[MediaItem]) -> list[MediaItem]:
        if self._sort_col is None:
            return list(items)
        keyed = [(self._sort_key(i, self._sort_col), i) for i in items]
        present = sorted((k for k in keyed if k[0] is not None), key=lambda k: k[0], reverse=self._descending)
        return [i for _, i in present] + [i for k, i in keyed if k is None]

    @staticmethod
    def _sort_key(item: MediaItem, col: Column):
        """A comparable key, or None for an empty value (shown last)."""
        if col == Column.TITLE:
            return fold(item.title) or None
        if col == Column.CATEGORY:
            return fold(label(CATEGORY_LABELS, item.category))
        if col == Column.STATE:
            return STATES.index(item.state) if item.state in STATES else len(STATES)
        if col == Column.DURATION:
            return item.duration_ms
        if col == Column.LUFS:
            return item.lufs
        if col == Column.TRUE_PEAK:
            return item.true_peak_db
        if col == Column.SOURCE:
            return fold(item.source) or None
        if col == Column.AUTHOR:
            return fold(item.author) or None
        if col == Column.CREATED:
            return item.created_at
        return item.expires_on

    # -- Qt model ---------------------------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("LibraryTableModel", TITLES[Column(section)])
        if role == Qt.ItemDataRole.ToolTipRole and section in TOOLTIPS:
            return QCoreApplication.translate("LibraryTableModel", TOOLTIPS[Column(section)])
        if role == Qt.ItemDataRole.TextAlignmentRole and section in NUMERIC:
            return _RIGHT
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        item = self._items[index.row()]
        col = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, col)
        if role == ITEM_ID_ROLE:
            return item.id
        if role == Qt.ItemDataRole.DecorationRole and col == Column.STATE:
            return theme.dot_icon(STATE_COLOURS.get(item.state, theme.UNKNOWN).name())
        if role == Qt.ItemDataRole.TextAlignmentRole and col in NUMERIC:
            return _RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and col == Column.EXPIRES and expired(item):
            return theme.OFFLINE
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item, col)
        return None

    @staticmethod
    def _display(item: MediaItem, col: Column) -> str:
        if col == Column.TITLE:
            return item.title
        if col == Column.CATEGORY:
            return label(CATEGORY_LABELS, item.category)
        if col == Column.STATE:
            return label(STATE_LABELS, item.state)
        if col == Column.DURATION:
            return clock_time(item.duration_ms)
        if col == Column.LUFS:
            return "—" if item.lufs is None else fmt.number(item.lufs)
        if col == Column.TRUE_PEAK:
            return "—" if item.true_peak_db is None else fmt.number(item.true_peak_db)
        if col == Column.SOURCE:
            return item.source
        if col == Column.AUTHOR:
            return item.author
        if col == Column.CREATED:
            return day(datetime.fromtimestamp(item.created_at / 1000).date())
        return day(item.expires_on) if item.expires_on else ""

    @staticmethod
    def _tooltip(item: MediaItem, col: Column) -> str | None:
        if col == Column.TITLE:  # the whole title, which a narrow column cuts
            return item.title + "\n" + QCoreApplication.translate("LibraryTableModel", "File: {name}").format(
                name=item.original_filename)
        if col in (Column.SOURCE, Column.AUTHOR):
            return LibraryTableModel._display(item, col) or None
        if col == Column.LUFS and item.lufs is None:
            return QCoreApplication.translate("LibraryTableModel", "Silent: there is no loudness to measure")
        if col == Column.EXPIRES and expired(item):
            return QCoreApplication.translate("LibraryTableModel", "Expired: do not broadcast any more")
        if col == Column.CREATED:
            return QCoreApplication.translate("LibraryTableModel", "Imported by {user}, {time}").format(
                user=item.created_by, time=moment(item.created_at))
        return None
