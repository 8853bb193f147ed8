"""The main window holds the audio library beside the fleet; Edit opens the item in an editor tab, and
saving there stores a new revision."""

from fleetdata import Station
from PySide6.QtCore import QSettings
from test_library import database, library  # noqa: F401 - fixtures: a real Library with three items

from console.ui.editor.editor_widget import EditorWidget
from console.ui.main_window import MainWindow


def test_edit_opens_an_editor_tab_and_save_stores_a_revision(qtbot, english, library, tmp_path):  # noqa: F811
    station = Station(3)
    station.library = library
    win = MainWindow(station, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    assert win.tabs.count() == 2 and win.tabs.tabText(1) == "Audio library"
    item = library.list_items()[0]
    win.library.editRequested.emit(item.id)
    qtbot.waitUntil(lambda: win.tabs.count() == 3, timeout=10_000)
    editor = win.tabs.widget(2)
    assert isinstance(editor, EditorWidget) and win.tabs.tabText(2) == item.title
    frames = editor.edit_list().frames
    editor.view.set_selection(0, frames // 2)
    editor.cut()
    before = len(library.revisions(item.id))
    editor.saveRequested.emit(editor.edit_list())
    qtbot.waitUntil(lambda: len(library.revisions(item.id)) == before + 1, timeout=10_000)
    assert library.editlist(item.id).frames == frames - frames // 2
    win.tabs.tabCloseRequested.emit(2)
    assert win.tabs.count() == 2
