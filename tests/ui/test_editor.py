"""The waveform editor: selecting, editing through undo/redo, shortcuts, playhead, zoom and markers."""

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from console.audio.preview import mix
from console.audio.render import LIMITER_MARGIN_DB
from console.core.editlist import EditList, normalize_gain
from console.ui.editor.demo import speech_like
from console.ui.editor.editor_widget import EditorWidget
from console.ui.editor.player import Player
from console.ui.editor.waveform_view import MIN_VISIBLE_SAMPLES, format_time

RATE = 8000
SECONDS = 20
SOURCE = "speech"


class ManualPlayer(QObject):
    """The player's interface, with the position moved by the test as a sound card would."""

    stateChanged = Signal(bool)
    available = True

    def __init__(self):
        super().__init__()
        self.frames, self.pos, self.playing, self.render = 0, 0, False, None

    def unavailable_reason(self) -> str:
        return ""

    def set_source(self, render, frames, rate):
        self.pause()
        self.render, self.frames, self.pos = render, frames, min(self.pos, frames)

    def is_playing(self):
        return self.playing

    def position(self):
        return self.pos

    def seek(self, frame):
        self.pos = max(0, min(int(frame), self.frames))

    def play(self):
        self.playing = True
        self.stateChanged.emit(True)
        return True

    def pause(self):
        if self.playing:
            self.playing = False
            self.stateChanged.emit(False)

    def toggle(self):
        self.pause() if self.playing else self.play()

    def advance(self, frames):
        self.seek(self.pos + frames)


@pytest.fixture(scope="module")
def samples():
    return speech_like(SECONDS, RATE, seed=3)


def open_editor(qtbot, samples, player=None) -> EditorWidget:
    editor = EditorWidget(player=player)
    qtbot.addWidget(editor)
    editor.load(EditList.whole(SOURCE, len(samples), RATE), {SOURCE: samples})
    editor.resize(1200, 700)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


@pytest.fixture
def editor(qtbot, english, samples):
    return open_editor(qtbot, samples, ManualPlayer())


def key(editor: EditorWidget, k, modifiers=Qt.KeyboardModifier.NoModifier):
    """A key press on the waveform, where the operator's focus is while editing."""
    editor.activateWindow()
    editor.view.plot.setFocus()
    QTest.keyClick(editor.view.plot, k, modifiers)


@pytest.fixture(autouse=True)
def every_mouse_move():
    """pyqtgraph drops mouse moves closer than 1/100 s to the last; the synthetic ones come faster."""
    limit = pg.getConfigOption("mouseRateLimit")
    pg.setConfigOption("mouseRateLimit", -1)
    yield
    pg.setConfigOption("mouseRateLimit", limit)


def drag(view, x0: float, x1: float):
    """Press, move and release the left button across the waveform, between two times in seconds."""
    vb, viewport = view.vb, view.plot.viewport()

    def at(seconds):
        scene = vb.mapViewToScene(QPointF(seconds, 0.0))
        return QPointF(view.plot.mapFromScene(scene))

    def send(kind, pos, buttons):
        event = QMouseEvent(kind, pos, viewport.mapToGlobal(pos.toPoint()).toPointF(), Qt.MouseButton.LeftButton,
                            buttons, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(viewport, event)

    left = Qt.MouseButton.LeftButton
    send(QEvent.Type.MouseButtonPress, at(x0), left)
    for i in range(1, 11):
        send(QEvent.Type.MouseMove, at(x0 + (x1 - x0) * i / 10), left)
    send(QEvent.Type.MouseButtonRelease, at(x1), Qt.MouseButton.NoButton)


def test_drag_selects_then_cut_undo_redo(qtbot, editor):
    original = editor.edit_list()
    drag(editor.view, 4.0, 7.0)
    a, b = editor.view.selection()
    assert abs(a - 4 * RATE) < RATE // 20 and abs(b - 7 * RATE) < RATE // 20
    assert editor.view.selection_item.isVisible()

    editor.cut_action.trigger()
    cut = editor.edit_list()
    assert cut.frames == original.frames - (b - a)
    assert editor.view.selection() is None
    np.testing.assert_array_equal(mix(cut, {SOURCE: editor._sources[SOURCE]}),
                                  np.concatenate([editor._sources[SOURCE][:a], editor._sources[SOURCE][b:]]))

    editor.undo_stack.undo()
    assert editor.edit_list() == original
    assert editor.view.selection() == (a, b)
    editor.undo_stack.redo()
    assert editor.edit_list() == cut
    assert editor.view.duration() == pytest.approx(cut.frames / RATE)


def test_dragging_a_handle_changes_the_selection(qtbot, editor):
    editor.view.set_selection(2 * RATE, 5 * RATE)
    drag(editor.view, 5.0, 6.5)  # grabs the right-hand handle
    a, b = editor.view.selection()
    assert a == 2 * RATE and abs(b - 6.5 * RATE) < RATE // 20
    assert f"00:02.000 – {format_time(b / RATE)} ({format_time((b - a) / RATE)})" in editor.selection_label.text()
    drag(editor.view, 3.0, 4.0)  # inside the selection: a new one
    a, b = editor.view.selection()
    assert abs(a - 3 * RATE) < RATE // 20 and abs(b - 4 * RATE) < RATE // 20


def test_keyboard_shortcuts_edit(qtbot, editor):
    original = editor.edit_list()
    editor.view.set_selection(1 * RATE, 3 * RATE)
    key(editor, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)
    assert editor.edit_list().frames == original.frames - 2 * RATE
    key(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.edit_list() == original
    key(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert editor.edit_list().frames == original.frames - 2 * RATE

    editor.view.set_cursor(5 * RATE)
    key(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)  # the cut two seconds, back in at 5 s
    assert editor.edit_list().frames == original.frames
    assert editor.view.selection() == (5 * RATE, 7 * RATE)
    key(editor, Qt.Key.Key_Delete)
    assert editor.edit_list().frames == original.frames - 2 * RATE

    editor.view.set_cursor(2 * RATE)
    key(editor, Qt.Key.Key_M)
    assert [m.frame for m in editor.edit_list().markers] == [2 * RATE]
    editor.view.select_marker(0)
    key(editor, Qt.Key.Key_Delete)
    assert editor.edit_list().markers == ()

    editor.view.set_cursor(4 * RATE)
    key(editor, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert len(editor.edit_list().segments) == 3  # split at 4 s, after the cut's join at 1 s

    editor.view.set_selection(2 * RATE, 6 * RATE)
    key(editor, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    key(editor, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert editor.edit_list().frames == 4 * RATE

    with qtbot.waitSignal(editor.saveRequested) as saved:
        key(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert saved.args[0] == editor.edit_list()


def test_space_plays_and_pauses(qtbot, editor):
    key(editor, Qt.Key.Key_Space)
    assert editor.player.is_playing() and editor.play_action.text() == "Pause"
    key(editor, Qt.Key.Key_Space)
    assert not editor.player.is_playing() and editor.play_action.text() == "Play"


def test_zoom_keys_and_limits(qtbot, editor):
    start, end = editor.view.visible_range()
    assert (start, end) == (0, SECONDS * RATE)
    key(editor, Qt.Key.Key_Plus)
    qtbot.waitUntil(lambda: editor.view.visible_range()[1] - editor.view.visible_range()[0] == SECONDS * RATE // 2)
    key(editor, Qt.Key.Key_Minus)
    qtbot.waitUntil(lambda: editor.view.visible_range() == (0, SECONDS * RATE))
    for _ in range(40):
        editor.view.zoom_in()
    a, b = editor.view.visible_range()
    assert MIN_VISIBLE_SAMPLES <= b - a <= MIN_VISIBLE_SAMPLES + 2
    editor.view.set_selection(3 * RATE, 4 * RATE)
    key(editor, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert editor.view.visible_range() == (3 * RATE, 4 * RATE)
    key(editor, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert editor.view.visible_range() == (0, SECONDS * RATE)


def wheel(view, seconds: float, notches: int, modifiers=Qt.KeyboardModifier.NoModifier):
    viewport = view.plot.viewport()
    pos = QPointF(view.plot.mapFromScene(view.vb.mapViewToScene(QPointF(seconds, 0.0))))
    event = QWheelEvent(pos, viewport.mapToGlobal(pos.toPoint()).toPointF(), QPoint(0, 0), QPoint(0, 120 * notches),
                        Qt.MouseButton.NoButton, modifiers, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(viewport, event)


def test_wheel_zooms_around_the_mouse_and_shift_wheel_scrolls(qtbot, editor):
    wheel(editor.view, 10.0, 3)
    a, b = editor.view.visible_range()
    assert b - a < SECONDS * RATE * 0.9 and a < 10 * RATE < b

    def redrawn():  # by the view's timer, once for the whole burst
        x, _y = editor.view.peaks_item.getData()
        return x.min() >= a / RATE - 0.01 and x.max() <= b / RATE + 0.01

    qtbot.waitUntil(redrawn)
    wheel(editor.view, 10.0, -1, Qt.KeyboardModifier.ShiftModifier)
    assert editor.view.visible_range()[0] > a


def test_playhead_follows_the_player(qtbot, editor):
    player = editor.player
    line = editor.view.playhead_line
    key(editor, Qt.Key.Key_Space)
    player.advance(2 * RATE)
    qtbot.waitUntil(lambda: line.value() == pytest.approx(2.0))
    player.advance(RATE // 2)
    qtbot.waitUntil(lambda: line.value() == pytest.approx(2.5))
    # Zoomed in, the view turns the page when the playhead runs off its right edge.
    editor.view.set_visible_range(0, 3 * RATE)
    player.advance(RATE)
    qtbot.waitUntil(lambda: editor.view.visible_range()[0] <= 3.5 * RATE <= editor.view.visible_range()[1])


def test_clicking_moves_the_playhead_without_a_sound_device(qtbot, english, samples):
    editor = open_editor(qtbot, samples)  # the real player: no output device on a test machine
    assert isinstance(editor.player, Player)
    if not editor.player.available:
        assert not editor.play_action.isEnabled()
        assert editor.play_action.toolTip() == editor.player.unavailable_reason() != ""
    editor.view.vb.clicked.emit(6.0)
    assert editor.view.cursor() == 6 * RATE
    qtbot.waitUntil(lambda: editor.view.playhead_line.value() == pytest.approx(6.0))


def test_zoom_to_single_samples_shows_sample_values(qtbot, editor, samples):
    editor.apply_gain(-6.0)  # the drawing shows the gain too
    first = 5 * RATE + 123
    editor.view.set_visible_range(first, first + 40)
    editor.view.refresh()
    x, y = editor.view.samples_item.getData()
    frames = np.round(x * RATE).astype(int)
    assert frames[0] <= first and frames[-1] >= first + 39
    np.testing.assert_allclose(y, samples[frames] * 10 ** (-6 / 20), rtol=1e-5)
    assert editor.view.samples_item.opts["symbol"] == "o"  # 40 samples over ~850 px: each one a dot
    assert editor.view.peaks_item.getData()[0] is None or len(editor.view.peaks_item.getData()[0]) == 0


def test_whole_view_draws_peaks_with_fades_and_silence(qtbot, editor, samples):
    editor.fade.length.setValue(2.0)
    editor.fade.fade_in.click()
    editor.view.set_cursor(10 * RATE)
    editor.silence.insert_length.setValue(3.0)
    editor.silence.insert.click()
    editor.view.zoom_to_fit()
    editor.view.refresh()
    x, y = editor.view.peaks_item.getData()
    assert len(x) % 2 == 0 and 0 < len(x) <= 4 * editor.view.vb.width() + 8
    top = y[1::2]
    silent = (x[::2] >= 10.0) & (x[::2] < 13.0)
    assert silent.any() and np.all(top[silent] == 0)
    early = x[::2] < 0.2
    assert top[early].max() < 0.25 * np.abs(samples).max()  # the fade-in brings it up from nothing
    ex, ey = editor.view.envelope_item.getData()
    assert np.nanmax(ex) == pytest.approx(2.0) and np.nanmin(ey) == pytest.approx(-1.0)
    assert len(editor.view.boundaries.getData()[0]) == 4  # two joins around the inserted silence


def test_a_fade_over_several_segments_is_drawn_whole(qtbot, editor):
    editor.view.set_cursor(1 * RATE)
    editor.split_action.trigger()
    editor.fade.length.setValue(3.0)
    editor.fade.fade_in.click()
    assert len(editor.edit_list().segments) == 2
    editor.view.refresh()
    x, y = editor.view.envelope_item.getData()
    top = y[np.isfinite(y) & (y >= 0)]
    assert np.nanmin(x) == 0 and np.nanmax(x) == pytest.approx(3.0)
    assert top.min() == 0 and top.max() == pytest.approx(1.0) and np.all(np.diff(x[np.isfinite(x)][:64]) > 0)


def test_markers_follow_a_cut(qtbot, editor):
    for seconds in (3, 12):
        editor.view.set_cursor(seconds * RATE)
        editor.marker_action.trigger()
    editor.view.set_selection(5 * RATE, 8 * RATE)
    editor.cut_action.trigger()
    assert [m.frame for m in editor.edit_list().markers] == [3 * RATE, 9 * RATE]
    lines = [line for line in editor.view.marker_lines if line.isVisible()]
    assert [line.value() for line in lines] == [pytest.approx(3.0), pytest.approx(9.0)]
    editor.undo_stack.undo()
    assert [line.value() for line in editor.view.marker_lines if line.isVisible()] == [3.0, 12.0]


def test_loudness_is_measured_and_normalising_reaches_the_target(qtbot, editor):
    qtbot.waitUntil(lambda: editor.measured() is not None, timeout=20_000)
    before = editor.measured()
    gain = normalize_gain(before.lufs, -16.0, before.true_peak_db, -1.0)
    assert editor.loudness.gain() == pytest.approx(gain)
    assert editor.loudness.after_lufs.text() == f"{before.lufs + gain:.1f} LUFS"
    with qtbot.waitSignal(editor.analysed, timeout=20_000) as measured:
        editor.loudness.normalise.click()
    after = measured.args[0]
    assert after.lufs == pytest.approx(before.lufs + gain, abs=0.05)
    assert after.true_peak_db == pytest.approx(before.true_peak_db + gain, abs=0.05)
    assert editor.loudness.measured_lufs.text() == f"{after.lufs:.1f} LUFS"


def test_playback_of_a_normalised_loud_item_is_limited_at_the_ceiling(qtbot, english, samples):
    loud = samples / np.abs(samples).max()  # peaks at full scale
    player = ManualPlayer()
    editor = open_editor(qtbot, loud, player)
    qtbot.waitUntil(lambda: editor.measured() is not None, timeout=20_000)
    editor.loudness.target_lufs.setValue(-10.0)
    editor.loudness.normalise.click()
    gain = editor.edit_list().segments[0].gain_db
    assert gain > 3  # peaks pushed past full scale
    ceiling = 10 ** ((editor.loudness.target_tp.value() - LIMITER_MARGIN_DB) / 20)
    assert np.abs(mix(editor.edit_list(), {SOURCE: loud})).max() > 10 ** (gain / 20) * 0.99  # unlimited
    played = player.render(0, player.frames)
    assert len(played) == player.frames and np.abs(played).max() <= ceiling + 1e-6
    editor.loudness.target_tp.setValue(-3.0)  # a lower target lowers the ceiling of what is played
    played = player.render(0, player.frames)
    assert np.abs(played).max() <= 10 ** ((-3.0 - LIMITER_MARGIN_DB) / 20) + 1e-6


def test_trim_silence_removes_the_quiet_ends(qtbot, editor):
    qtbot.waitUntil(lambda: editor.measured() is not None, timeout=20_000)
    editor.silence.threshold.setValue(-40)
    head, tail = (region.getRegion() for region in editor.view.trimmed)
    assert 1.0 <= head[1] <= 1.4 and SECONDS - 2.0 <= tail[0] <= SECONDS - 1.6  # speech_like's room tone
    assert editor.view.threshold_lines[0].value() == pytest.approx(0.01)
    assert editor.view.threshold_lines[0].isVisible()
    frames = editor.edit_list().frames
    editor.silence.trim.click()
    assert editor.edit_list().frames == frames - round(head[1] * RATE) - round((SECONDS - tail[0]) * RATE)


def test_format_time():
    assert format_time(0) == "00:00.000"
    assert format_time(61.2346) == "01:01.235"
    assert format_time(3725.5, 0) == "62:06"
