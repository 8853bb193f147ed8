"""Opening a library item in the waveform editor, and saving its edits as a new revision.

Decoding the sources and saving run through the view's task manager, never on the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from console.audio.ffmpeg import decode
from console.audio.library import Library
from console.ui.editor.editor_widget import EditorWidget
from console.ui.tasks import TaskManager


class ItemEditor(QObject):
    """Builds an :class:`EditorWidget` for one item; ``opened(widget, title)`` when it is loaded."""

    opened = Signal(object, str)
    saved = Signal(int)  # item id, after a revision was stored

    def __init__(self, library: Library, tasks: TaskManager, parent: QWidget | None = None):
        super().__init__(parent)
        self._library = library
        self._tasks = tasks
        self._parent = parent

    def open(self, item_id: int) -> None:
        library = self._library

        def load(progress, cancel):
            item = library.get(item_id)
            edit = library.editlist(item_id)
            sources = {}
            for n, sha in enumerate(sorted(s for s in edit.sources() if s)):
                sources[sha] = decode(library.store.path(sha), rate=edit.rate, channels=1)
                progress((n + 1) / max(1, len(edit.sources())))
            return item.title, edit, sources

        self._tasks.run(load, on_done=lambda r: self._show(item_id, *r), on_error=self._failed)

    def _show(self, item_id: int, title: str, edit, sources) -> None:
        editor = EditorWidget(self._parent)
        editor.load(edit, sources)
        editor.saveRequested.connect(lambda e: self._save(item_id, editor, e))
        self.opened.emit(editor, title)

    def _save(self, item_id: int, editor: EditorWidget, edit) -> None:
        def done(_revision) -> None:
            editor.mark_saved()
            self.saved.emit(item_id)

        self._tasks.run(lambda progress, cancel: self._library.save_revision(item_id, edit),
                        on_done=done, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        QMessageBox.warning(self._parent, self.tr("Editor"), str(exc))
