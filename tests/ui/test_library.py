"""The library view over a real Library: a temporary SQLite database and media store, files imported
with the real ffmpeg, every service call run through the task API."""

import threading
from datetime import date, timedelta

import numpy as np
import pytest
from fixtures.audio import need, write_wav
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from console.audio.library import Library
from console.media.store import MediaStore
from console.store.db import open_database
from console.ui import i18n
from console.ui.library.library_model import Column
from console.ui.library.library_view import LibraryView

RATE = 48000
# title, category, seconds, sine amplitude (1 kHz: about -9, -19.5 and -31 LUFS)
ITEMS = (
    ("Thông báo tiêm chủng", "policy", 2, 0.5),
    ("Bản tin sáng", "news", 4, 0.04),
    ("Đêm nhạc quê hương", "culture", 3, 0.15),
)


def tone(seconds: float, amplitude: float, freq: float = 1000.0) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return amplitude * np.sin(2 * np.pi * freq * t)


def cell(view: LibraryView, row: int, col: Column) -> str:
    return view.model.index(row, col).data()


def column(view: LibraryView, col: Column) -> list[str]:
    return [cell(view, r, col) for r in range(view.model.rowCount())]


def row_of_title(view: LibraryView, title: str) -> int:
    return next((r for r in range(view.model.rowCount()) if cell(view, r, Column.TITLE) == title), -1)


@pytest.fixture
def database(sqlite_url):
    db = open_database(sqlite_url)
    yield db
    db.close()


@pytest.fixture
def library(database, tmp_path):
    lib = Library(database, MediaStore(tmp_path / "media"), "lan", "admin")
    files = [write_wav(tmp_path / f"item{i}.wav", tone(seconds, level))
             for i, (_title, _category, seconds, level) in enumerate(ITEMS)]
    for result, (title, category, _s, _l) in zip(lib.import_files(files), ITEMS, strict=True):
        assert result.ok, result.error
        lib.update_metadata(result.id, title=title, category=category, source="Đài Truyền thanh xã")
    return lib


def make_view(qtbot, lib: Library) -> LibraryView:
    view = LibraryView(lib)
    qtbot.addWidget(view)
    view.resize(1300, 700)
    view.show()
    qtbot.waitUntil(lambda: view.model.rowCount() == len(lib.list_items()))
    return view


@pytest.fixture
def view(qtbot, library, english):
    view = make_view(qtbot, library)
    yield view
    view.tasks.shutdown()


def select(qtbot, view: LibraryView, title: str) -> int:
    row = row_of_title(view, title)
    view.table.selectRow(row)
    item_id = view.model.item(row).id
    qtbot.waitUntil(lambda: view.panel.item_id == item_id and view.panel.history.count() > 0)
    return item_id


def drop(view: LibraryView, paths) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    pos = view.table.geometry().center()
    enter = QDragEnterEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view, enter)
    assert enter.isAccepted()
    event = QDropEvent(pos.toPointF(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view, event)
    assert event.isAccepted()


# -- listing ----------------------------------------------------------------------------------------


def test_the_table_fills_from_the_library(view, library):
    assert view.model.rowCount() == 3
    assert view.count.text() == "3 items"
    row = row_of_title(view, "Bản tin sáng")
    item = library.get(view.model.item(row).id)
    assert cell(view, row, Column.CATEGORY) == "News"
    assert cell(view, row, Column.STATE) == "Draft"
    assert cell(view, row, Column.DURATION) == "0:04"
    assert cell(view, row, Column.LUFS) == f"{item.lufs:.1f}"
    assert cell(view, row, Column.TRUE_PEAK) == f"{item.true_peak_db:.1f}"
    assert cell(view, row, Column.SOURCE) == "Đài Truyền thanh xã"
    assert cell(view, row, Column.CREATED) == date.today().strftime("%d/%m/%Y")
    assert not view.hint.isVisible()


def test_search_ignores_accents_and_filters_combine(qtbot, view):
    view.search.setText("dem nhac")
    qtbot.waitUntil(lambda: column(view, Column.TITLE) == ["Đêm nhạc quê hương"])
    view.search.setText("")
    qtbot.waitUntil(lambda: view.model.rowCount() == 3)
    view.category.setCurrentIndex(view.category.findData("news"))
    qtbot.waitUntil(lambda: column(view, Column.TITLE) == ["Bản tin sáng"])
    view.state.setCurrentIndex(view.state.findData("approved"))
    qtbot.waitUntil(lambda: view.model.rowCount() == 0)
    assert view.hint.isVisible() and view.hint.text() == "Nothing matches these filters."
    view.state.setCurrentIndex(view.state.findData(""))
    view.category.setCurrentIndex(view.category.findData(""))
    view.period.setCurrentIndex(view.period.findData("today"))
    qtbot.waitUntil(lambda: view.model.rowCount() == 3)
    view.period.setCurrentIndex(view.period.findData("between"))
    assert view.since.isVisible() and view.until.isVisible()
    view.since.setDate(view.since.date().currentDate().addDays(-10))
    view.until.setDate(view.until.date().currentDate().addDays(-5))
    qtbot.waitUntil(lambda: view.model.rowCount() == 0)
    view.until.setDate(view.until.date().currentDate())
    qtbot.waitUntil(lambda: view.model.rowCount() == 3)


def test_columns_sort_by_number_and_by_accent_free_text(view):
    view.table.sortByColumn(Column.LUFS, Qt.SortOrder.AscendingOrder)
    lufs = [view.model.item(r).lufs for r in range(3)]
    assert lufs == sorted(lufs) and lufs[0] < -25 and lufs[-1] > -12  # as text, "-9" would come last
    view.table.sortByColumn(Column.DURATION, Qt.SortOrder.DescendingOrder)
    assert column(view, Column.DURATION) == ["0:04", "0:03", "0:02"]
    view.table.sortByColumn(Column.TITLE, Qt.SortOrder.AscendingOrder)
    # By code point, "Đ" would sort after "T".
    assert column(view, Column.TITLE) == ["Bản tin sáng", "Đêm nhạc quê hương", "Thông báo tiêm chủng"]


def test_sorting_keeps_the_selection(qtbot, view):
    item_id = select(qtbot, view, "Đêm nhạc quê hương")
    view.table.sortByColumn(Column.LUFS, Qt.SortOrder.DescendingOrder)
    assert view.current_item_id() == item_id


# -- import ------------------------------------------------------------------------------------------


def test_dropped_files_are_imported_through_the_task_api(qtbot, view, tmp_path):
    path = write_wav(tmp_path / "Loa phát thanh.wav", tone(2, 0.2, 440))
    drop(view, [path])
    # The import runs as a task with a progress strip; the table is filled when it reports back.
    assert len(view.tasks.running()) == 1
    assert view.strips.count() == 1
    qtbot.waitUntil(lambda: row_of_title(view, "Loa phát thanh") >= 0)
    qtbot.waitUntil(lambda: view.panel.item_id is not None)
    assert view.current_item().title == "Loa phát thanh"  # the new item is selected
    assert view.status.text() == "1 of 1 files imported."
    assert view.results_dialog is None  # one good file: nothing to report beyond the status line
    qtbot.waitUntil(lambda: view.strips.count() == 0)


def test_a_bad_file_is_reported_and_the_good_ones_still_import(qtbot, view, tmp_path, audio_files):
    first = write_wav(tmp_path / "Thông báo 1.wav", tone(1, 0.2, 500))
    second = write_wav(tmp_path / "Thông báo 2.wav", tone(1, 0.2, 700))
    bad, broken = need(audio_files, "text.mp3"), need(audio_files, "truncated.mp3")
    drop(view, [first, bad, second, broken])
    qtbot.waitUntil(lambda: view.results_dialog is not None and view.results_dialog.isVisible())
    lines = view.results_dialog.lines()
    assert lines == ["✓ Thông báo 1", "✗ text.mp3: not an audio file", "✓ Thông báo 2",
                     "✗ truncated.mp3: the file is incomplete or damaged"]
    assert view.results_dialog.heading.text() == "2 of 4 files imported."
    # The service's own words stay one hover away.
    assert view.results_dialog.list.item(3).toolTip().startswith(f"{broken}: truncated or corrupt")
    qtbot.waitUntil(lambda: view.model.rowCount() == 5)
    assert row_of_title(view, "Thông báo 1") >= 0 and row_of_title(view, "Thông báo 2") >= 0


def test_cancelling_an_import_lists_the_files_not_imported(qtbot, view, tmp_path, monkeypatch):
    files = [write_wav(tmp_path / f"tin {i}.wav", tone(1, 0.2, 300 + 100 * i)) for i in range(3)]
    started, go_on = threading.Event(), threading.Event()
    real = view.library.import_files

    def gated(paths, progress, cancel):  # the first file waits until the test has pressed Cancel
        started.set()
        go_on.wait(10)
        return real(paths, progress, cancel)

    monkeypatch.setattr(view.library, "import_files", gated)
    task = view.import_files(files)
    qtbot.waitUntil(started.is_set)
    strip = view.strips.itemAt(0).widget()
    strip.cancel.click()
    assert task.cancelled
    go_on.set()
    qtbot.waitUntil(lambda: view.results_dialog is not None and view.results_dialog.isVisible())
    assert [line.split(":")[0] for line in view.results_dialog.lines()] == [
        "– tin 0.wav", "– tin 1.wav", "– tin 2.wav"]
    assert view.status.text() == "0 of 3 files imported. The import was cancelled."
    assert view.model.rowCount() == 3


# -- approval ----------------------------------------------------------------------------------------


def state_of(view: LibraryView, item_id: int) -> str:
    return cell(view, view.model.row_of(item_id), Column.STATE)


def test_submit_and_approve_change_the_state_shown(qtbot, view):
    item_id = select(qtbot, view, "Bản tin sáng")
    assert view.submit_action.isEnabled() and not view.approve_action.isEnabled()
    view.submit_action.trigger()
    qtbot.waitUntil(lambda: state_of(view, item_id) == "Awaiting approval")
    assert view.current_item_id() == item_id
    assert view.status.text() == "“Bản tin sáng” was submitted for approval."
    qtbot.waitUntil(lambda: view.approve_action.isEnabled())
    assert not view.submit_action.isEnabled()
    view.approve_action.trigger()
    qtbot.waitUntil(lambda: state_of(view, item_id) == "Approved")
    assert "Approved" in view.panel.state.text()
    qtbot.waitUntil(lambda: view.panel.history.item(0).text().endswith("lan · Approved"))


def test_return_asks_for_a_note_and_shows_it(qtbot, view):
    item_id = select(qtbot, view, "Thông báo tiêm chủng")
    view.submit_action.trigger()
    qtbot.waitUntil(lambda: view.reject_action.isEnabled())
    view.reject_action.trigger()
    dialog = view.findChild(QInputDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.setTextValue("Đọc lại giờ tiêm cho rõ.")
    dialog.accept()
    qtbot.waitUntil(lambda: state_of(view, item_id) == "Returned")
    qtbot.waitUntil(lambda: view.panel.returned.isVisible())
    assert view.panel.returned.text() == ("Returned by lan: Đọc lại giờ tiêm cho rõ.\n"
                                          "Change the audio or the details, then submit it again.")


def test_a_refused_action_is_said_in_the_interface_language(qtbot, library, database, english):
    item_id = library.list_items()[0].id
    library.submit(item_id)
    editor = Library(database, library.store, "hoa", "editor")
    view = make_view(qtbot, editor)
    select(qtbot, view, library.get(item_id).title)
    assert view.approve_action.isEnabled()  # the state allows it; the permission check is the service's
    view.approve_action.trigger()
    qtbot.waitUntil(lambda: any(b.isVisible() for b in view.findChildren(QMessageBox)))
    box = next(b for b in view.findChildren(QMessageBox) if b.isVisible())
    assert box.text() == f"Could not approve “{library.get(item_id).title}”."
    # From the refusal's code, not the service's English ("hoa (editor) may not approve items.").
    assert box.informativeText() == "Your role (Editor) does not allow approving items."
    assert state_of(view, item_id) == "Awaiting approval"
    box.close()
    view.tasks.shutdown()


# -- details, editing, rendering, listening --------------------------------------------------------


def test_saving_details_goes_through_the_service(qtbot, view, library):
    item_id = select(qtbot, view, "Bản tin sáng")
    library.submit(item_id)
    library.approve(item_id)
    view.refresh()
    qtbot.waitUntil(lambda: state_of(view, item_id) == "Approved")
    panel = view.panel
    assert not panel.save.isEnabled()
    panel.title.setText("Bản tin sáng thứ Hai")
    panel.tags.setText("bản tin, sáng, bản tin")
    panel.expires.setChecked(True)
    panel.expiry.setDate(panel.expiry.date().currentDate().addDays(3))
    assert panel.save.isEnabled() and panel.edit_warning.isVisible()
    assert panel.edit_warning.text() == "Saving sends it back to draft: it must be approved again."
    panel.save.click()
    qtbot.waitUntil(lambda: cell(view, view.model.row_of(item_id), Column.TITLE) == "Bản tin sáng thứ Hai")
    item = library.get(item_id)
    assert item.tags == ["bản tin", "sáng"] and item.expires_on == date.today() + timedelta(days=3)
    assert state_of(view, item_id) == "Draft"  # edited after approval: back to draft (the service's rule)
    assert not panel.is_dirty() and not panel.save.isEnabled()


def test_edit_emits_the_item_id(qtbot, view):
    item_id = select(qtbot, view, "Đêm nhạc quê hương")
    with qtbot.waitSignal(view.editRequested) as signal:
        view.edit_action.trigger()
    assert signal.args == [item_id]


def test_render_reports_the_descriptor(qtbot, view):
    select(qtbot, view, "Thông báo tiêm chủng")
    view.render_action.trigger()
    assert view.strips.count() == 1
    qtbot.waitUntil(lambda: view.status.text().startswith("“Thông báo tiêm chủng” rendered: MP3 64 kbit/s, 0:02"),
                    timeout=60_000)
    qtbot.waitUntil(lambda: view.strips.count() == 0)


def test_render_can_be_cancelled(qtbot, view, monkeypatch):
    select(qtbot, view, "Thông báo tiêm chủng")
    started, go_on = threading.Event(), threading.Event()
    real = view.library.render

    def gated(item_id, **kw):  # the render starts only once the test has pressed Cancel
        started.set()
        go_on.wait(10)
        return real(item_id, **kw)

    monkeypatch.setattr(view.library, "render", gated)
    view.render_action.trigger()
    qtbot.waitUntil(started.is_set)
    view.strips.itemAt(0).widget().cancel.click()
    go_on.set()
    qtbot.waitUntil(lambda: view.status.text() == "Rendering “Thông báo tiêm chủng” was cancelled.",
                    timeout=30_000)
    assert not view.findChildren(QMessageBox)


def test_listening_is_offered_or_says_why_not(qtbot, view):
    select(qtbot, view, "Bản tin sáng")
    preview = view.preview
    assert preview.time.text() == "0:00 / 0:04"
    assert preview.play.isEnabled() == preview.available
    if not preview.available:
        assert preview.play.toolTip() == preview.unavailable_reason() != ""
        assert preview.note.isVisible()


def test_the_view_switches_to_vietnamese_live(qtbot, view, qapp):
    select(qtbot, view, "Bản tin sáng")
    assert i18n.install(qapp, "vi") == ["console_vi"]
    qtbot.waitUntil(lambda: view.submit_action.text() == "Gửi duyệt")
    assert view.model.headerData(Column.TITLE, Qt.Orientation.Horizontal) == "Tiêu đề"
    assert cell(view, row_of_title(view, "Bản tin sáng"), Column.STATE) == "Bản nháp"
    assert view.category.itemText(view.category.findData("news")) == "Tin tức"
    assert view.panel.save.text() == "Lưu thông tin"
    assert view.count.text() == "3 tệp"


def test_an_empty_library_invites_a_drop(qtbot, database, tmp_path, english):
    view = make_view(qtbot, Library(database, MediaStore(tmp_path / "empty"), "lan", "admin"))
    assert view.hint.isVisible()
    assert view.hint.text() == "The library is empty.\nDrag audio files here, or click Import…"
    assert view.panel.empty.isVisible() and not view.render_action.isEnabled()
    view.tasks.shutdown()


def test_a_drag_without_files_is_ignored(view):
    mime = QMimeData()
    mime.setText("not a file")
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view, enter)
    assert not enter.isAccepted()
