"""Opening a library item in the waveform editor, saving its edits as a new revision, and adding
another item before or after it (an intro chime, a jingle, a sign-off).

Decoding the sources and saving run through task managers, never on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from console.audio.ffmpeg import decode
from console.audio.library import Library
from console.core.editlist import EditList
from console.ui.editor.editor_widget import EditorWidget
from console.ui.library.item_picker import ItemPicker
from console.ui.library.refusals import reason
from console.ui.tasks import TaskManager


def load_sources(library: Library, edit: EditList, progress: Callable[[float], None],
                 known: Iterable[str] = ()) -> dict[str, np.ndarray]:
    """The sources of ``edit`` decoded to mono at its rate, but for those in ``known``."""
    wanted = sorted(edit.sources() - set(known))
    sources = {}
    for n, sha in enumerate(wanted):
        sources[sha] = decode(library.store.path(sha), rate=edit.rate, channels=1)
        progress((n + 1) / len(wanted))
    return sources


class ItemEditor(QObject):
    """Builds an :class:`EditorWidget` for one item; ``opened(widget, title)`` when it is loaded."""

    opened = Signal(object, str)
    saved = Signal(int)  # item id, after a revision was stored

    def __init__(self, library: Library, tasks: TaskManager, parent: QWidget | None = None):
        super().__init__(parent)
        self._library = library
        self._tasks = tasks
        self._parent = parent
        self.picker: ItemPicker | None = None  # the last one opened

    def open(self, item_id: int) -> None:
        library = self._library

        def load(progress, cancel):
            item = library.get(item_id)
            edit = library.editlist(item_id)
            return item.title, edit, load_sources(library, edit, progress)

        self._tasks.run(load, on_done=lambda r: self._show(item_id, *r), on_error=self._failed)

    def _show(self, item_id: int, title: str, edit, sources) -> None:
        editor = EditorWidget(self._parent)
        editor.load(edit, sources)
        editor.saveRequested.connect(lambda e: self._save(item_id, editor, e))
        editor.offer_items(True)
        # Loading an item to add runs on the editor's own manager: closing the editor drops its callback.
        tasks = TaskManager(editor)
        editor.itemRequested.connect(lambda where: self._pick(editor, tasks, at_end=where == "end"))
        self.opened.emit(editor, title)

    def _save(self, item_id: int, editor: EditorWidget, edit) -> None:
        def done(_revision) -> None:
            editor.mark_saved()
            self.saved.emit(item_id)

        self._tasks.run(lambda progress, cancel: self._library.save_revision(item_id, edit),
                        on_done=done, on_error=self._failed)

    def _pick(self, editor: EditorWidget, tasks: TaskManager, at_end: bool) -> None:
        """Ask which item to add; then load its current edit list and the audio not yet in the editor."""
        picker = ItemPicker(self._library, at_end, editor)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        picker.chosen.connect(lambda item_id: self._add(editor, tasks, item_id, at_end))
        picker.open()
        self.picker = picker

    def _add(self, editor: EditorWidget, tasks: TaskManager, item_id: int, at_end: bool) -> None:
        library, known = self._library, editor.loaded_sources()

        def load(progress, cancel):
            edit = library.editlist(item_id)
            return edit, load_sources(library, edit, progress, known)

        def done(result) -> None:
            editor.unsetCursor()
            (editor.append if at_end else editor.prepend)(*result)

        def failed(exc: BaseException) -> None:
            editor.unsetCursor()
            self._failed(exc)

        editor.setCursor(Qt.CursorShape.BusyCursor)
        tasks.run(load, on_done=done, on_error=failed)

    def _failed(self, exc: BaseException) -> None:
        QMessageBox.warning(self._parent, self.tr("Editor"), reason(exc))
