"""Adding another library item before or after the one in the editor: the picker lists the library
through the task API (approved items first, searchable), the chosen item's current edit list is
decoded off the GUI thread and added as one undoable edit."""

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from test_library import ITEMS, RATE, database, library  # noqa: F401 - fixtures: a real Library with three items

from console.ui.library.editing import ItemEditor
from console.ui.library.library_model import Column
from console.ui.tasks import TaskManager


@pytest.fixture
def opened(qtbot, english, library):  # noqa: F811
    """An editor on "Bản tin sáng" (4 s), opened the way the main window opens it."""
    tasks = TaskManager()
    items = ItemEditor(library, tasks)
    editors = []
    items.opened.connect(lambda editor, _title: editors.append(editor))
    item = next(i for i in library.list_items() if i.title == "Bản tin sáng")
    items.open(item.id)
    qtbot.waitUntil(lambda: bool(editors), timeout=10_000)
    editor = editors[0]
    qtbot.addWidget(editor)
    editor.resize(1300, 700)
    editor.show()
    yield items, editor
    tasks.shutdown()


def titles(picker) -> list[str]:
    return [picker.model.index(r, Column.TITLE).data() for r in range(picker.model.rowCount())]


def test_append_an_item_and_undo(qtbot, opened, library):  # noqa: F811
    items, editor = opened
    chime = next(i for i in library.list_items() if i.title == "Đêm nhạc quê hương")  # 3 s
    library.submit(chime.id)
    library.approve(chime.id)
    assert editor.add_item_button.isVisible()
    frames = editor.edit_list().frames
    assert frames == 4 * RATE

    editor.append_item_action.trigger()
    picker = items.picker
    assert picker.isVisible() and picker.windowTitle() == "Add an item at the end"
    qtbot.waitUntil(lambda: picker.model.rowCount() == len(ITEMS))
    assert titles(picker)[0] == "Đêm nhạc quê hương"  # approved first
    picker.search.setText("thong bao")  # accents optional
    qtbot.waitUntil(lambda: titles(picker) == ["Thông báo tiêm chủng"])
    picker.search.setText("dem nhac")
    qtbot.waitUntil(lambda: titles(picker) == ["Đêm nhạc quê hương"])
    assert picker.current_item_id() == chime.id
    picker.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    qtbot.waitUntil(lambda: editor.edit_list().frames == frames + 3 * RATE, timeout=10_000)
    assert editor.edit_list().segments[-1].source == chime.source_sha256
    assert chime.source_sha256 in editor.loaded_sources()
    assert editor.undo_stack.undoText() == "Add at the end" and editor.save_action.isEnabled()
    editor.undo_action.trigger()
    assert editor.edit_list().frames == frames and editor.edit_list() == library.editlist(editor_item(library))
    editor.redo_action.trigger()
    assert editor.edit_list().frames == frames + 3 * RATE


def test_prepend_puts_the_item_first(qtbot, opened, library):  # noqa: F811
    items, editor = opened
    intro = next(i for i in library.list_items() if i.title == "Thông báo tiêm chủng")  # 2 s
    editor.prepend_item_action.trigger()
    picker = items.picker
    assert picker.windowTitle() == "Add an item at the start"
    qtbot.waitUntil(lambda: picker.model.rowCount() == len(ITEMS))
    picker.table.selectRow(picker.model.row_of(intro.id))
    picker.accept()
    qtbot.waitUntil(lambda: editor.edit_list().frames == 6 * RATE, timeout=10_000)
    assert editor.edit_list().segments[0].source == intro.source_sha256
    assert editor.undo_stack.undoText() == "Add at the start"


def editor_item(library) -> int:  # noqa: F811
    return next(i.id for i in library.list_items() if i.title == "Bản tin sáng")
