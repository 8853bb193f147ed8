"""Choosing a library item to add before or after the one in the editor (an intro chime, a jingle).

A search field over the items that are not archived, approved ones first (what is meant to air),
each group newest first, with their title, category, status and length. The listing runs through
the task API like the library view's; "Add" or a double click emits ``chosen(item_id)``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.audio.library import Library
from console.store.models import MediaItem
from console.ui.library.library_model import Column, LibraryTableModel
from console.ui.library.refusals import reason
from console.ui.tasks import Task, TaskManager

SEARCH_DELAY_MS = 250
COLUMNS = (Column.TITLE, Column.CATEGORY, Column.STATE, Column.DURATION)


def offered(items: list[MediaItem]) -> list[MediaItem]:
    """The items one may add, approved first; otherwise in the service's order (newest first)."""
    return sorted((i for i in items if i.state != "archived"), key=lambda i: i.state != "approved")


class ItemPicker(QDialog):
    chosen = Signal(int)  # item id

    def __init__(self, library: Library, at_end: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.library = library
        self.at_end = at_end
        self.tasks = TaskManager(self)
        self._listing: Task | None = None
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.model = LibraryTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for col in Column:
            header.setSectionHidden(col, col not in COLUMNS)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        for col in COLUMNS[1:]:
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.status = QLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        lay = QVBoxLayout(self)
        lay.addWidget(self.search)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.status)
        lay.addWidget(self.buttons)
        self.resize(640, 420)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda: self._search_timer.start())
        self.table.selectionModel().selectionChanged.connect(self._update_ok)
        self.table.doubleClicked.connect(lambda _index: self.accept())
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.finished.connect(lambda _result: self.tasks.shutdown())
        self.refresh()
        self.retranslate()
        self._update_ok()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Add an item at the end") if self.at_end else self.tr("Add an item at the start"))
        self.search.setPlaceholderText(QCoreApplication.translate(  # the library view's words
            "LibraryView", "Search title, source, author, tags, notes… (accents optional)"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Add"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.model.retranslate()
        self._show_count()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def refresh(self) -> Task:
        """List the items matching the search, off the GUI thread (only the newest listing is shown)."""
        self._search_timer.stop()
        if self._listing is not None:
            self._listing.cancel()
        search = self.search.text().strip() or None
        task = self.tasks.run(lambda progress, cancel: self.list_items(search),
                              on_done=lambda items: self._listed(task, items),
                              on_error=lambda exc: self._failed(task, exc))
        self._listing = task
        return task

    def list_items(self, search: str | None) -> list[MediaItem]:
        """What the picker offers for ``search`` (on a worker thread); subclasses may offer less."""
        return offered(self.library.list_items(search=search))

    def current_item_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(rows[0].row()).id if rows else None

    def accept(self) -> None:
        item_id = self.current_item_id()
        if item_id is not None:
            super().accept()
            self.chosen.emit(item_id)

    def _listed(self, task: Task, items: list[MediaItem]) -> None:
        if task is not self._listing:
            return
        self._listing = None
        selected = self.current_item_id()
        self.model.set_items(items)
        row = self.model.row_of(selected) if selected is not None else -1
        self.table.selectRow(max(row, 0) if items else -1)
        self._show_count()
        self._update_ok()

    def _failed(self, task: Task, exc: BaseException) -> None:
        if task is self._listing:
            self._listing = None
            self.status.setText(self.tr("Could not read the audio library: {reason}").format(reason=reason(exc)))

    def _show_count(self) -> None:
        if self._listing is not None:  # (the count of the last listing stays until the next one)
            return
        n = self.model.rowCount()
        if n == 0:
            self.status.setText(self.tr("No item matches."))
        else:  # the library view's words
            self.status.setText(QCoreApplication.translate("LibraryView", "1 item") if n == 1
                                else QCoreApplication.translate("LibraryView", "{n} items").format(n=n))

    def _update_ok(self, *_args) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.current_item_id() is not None)
