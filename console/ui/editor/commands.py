"""Undo/redo of edits: each command holds the edit list before and after (edit lists are immutable)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from console.core.editlist import EditList

Selection = tuple[int, int] | None


class EditCommand(QUndoCommand):
    """Replaces the edit list; undo puts the old one back, with the selection it had.

    ``apply(edit, selection)`` shows an edit list in the editor. The first ``redo()`` (run by
    ``QUndoStack.push``) applies ``after`` like every later one.
    """

    def __init__(self, text: str, apply: Callable[[EditList, Selection], None], before: EditList,
                 after: EditList, selection_before: Selection = None, selection_after: Selection = None):
        super().__init__(text)
        self._apply = apply
        self.before, self.after = before, after
        self._selection_before, self._selection_after = selection_before, selection_after

    def redo(self) -> None:
        self._apply(self.after, self._selection_after)

    def undo(self) -> None:
        self._apply(self.before, self._selection_before)
