"""The audio editor: waveform, toolbar, side panel, keyboard shortcuts, undo/redo and playback.

Edits are made on an immutable :class:`EditList` through a ``QUndoStack``; every change shows the
new list, plays it, emits ``editListChanged`` and has it analysed off the GUI thread (loudness and
block levels, for the loudness panel and silence trimming). Playback goes through the render's
limiter at the target true peak, so a normalised item is heard limited as it will be broadcast, not
clipped. "Save revision" emits ``saveRequested`` and "Add item" (once :meth:`EditorWidget.offer_items`
is on) ``itemRequested``: the caller stores the list, or picks and loads the item to add. The widget
does no I/O.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QScrollArea,
    QStyle,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console.audio.loudness import Loudness
from console.audio.peaks import PeakCache
from console.audio.preview import LimitedPreview, analyse
from console.audio.render import LIMITER_MARGIN_DB
from console.core.editlist import EditList, trim_silence
from console.ui import theme
from console.ui.editor.commands import EditCommand, Selection
from console.ui.editor.panels import FadeGroup, GainGroup, LoudnessGroup, SilenceGroup
from console.ui.editor.player import Player
from console.ui.editor.waveform_view import WaveformView, format_time

log = logging.getLogger(__name__)

LEVEL_BLOCK_S = 0.01  # silence trimming works in 10 ms blocks
SIDE_PANEL_PX = 340


class _Analyser(QObject):
    """Analyses edit lists one at a time on a worker thread; a newer request cancels the older one.

    It has no parent, so the worker's reference keeps it alive until the job ends; ``done`` is
    delivered on the GUI thread.
    """

    done = Signal(object, object, object)  # EditList, Loudness, levels (dBFS per block)

    def __init__(self):
        super().__init__()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="editor-analysis")
        self._generation = 0
        self._lock = threading.Lock()

    def request(self, edit: EditList, sources: Mapping[str, np.ndarray], block: int) -> None:
        with self._lock:
            self._generation += 1
            generation = self._generation
        self._executor.submit(self._run, generation, edit, dict(sources), block)

    def stop(self) -> None:
        with self._lock:
            self._generation += 1
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _current(self, generation: int) -> bool:
        with self._lock:
            return generation == self._generation

    def _run(self, generation: int, edit: EditList, sources: dict, block: int) -> None:
        try:
            result = analyse(edit, sources, block, cancelled=lambda: not self._current(generation))
        except Exception:  # noqa: BLE001 - the executor would swallow it silently
            log.exception("cannot analyse the edit list")
            return
        if result is not None and self._current(generation):
            self.done.emit(edit, *result)


class EditorWidget(QWidget):
    """Edits one item. ``load()`` it with its edit list and decoded sources.

    ``player`` defaults to a :class:`Player` on the default output; tests and other callers may pass
    any object with the same methods.
    """

    editListChanged = Signal(object)  # EditList
    saveRequested = Signal(object)    # EditList
    analysed = Signal(object)         # Loudness of the current edit list, measured off the GUI thread
    itemRequested = Signal(str)       # "start" or "end": the user wants another item added there

    def __init__(self, parent=None, player: Player | None = None):
        super().__init__(parent)
        self._edit: EditList | None = None
        self._sources: dict[str, np.ndarray] = {}
        self._caches: dict[str, PeakCache] = {}
        self._clipboard: EditList | None = None
        self._levels: np.ndarray | None = None  # block levels of the current edit list, once analysed
        self.undo_stack = QUndoStack(self)
        self.player = player if player is not None else Player(self)
        self.view = WaveformView()
        self.view.set_player(self.player)
        self._analyser = _Analyser()
        self._analyser.done.connect(self._analysed)
        self.destroyed.connect(self._analyser.stop)

        self.fade = FadeGroup()
        self.gain = GainGroup()
        self.silence = SilenceGroup()
        self.loudness = LoudnessGroup()
        self._actions()
        self.toolbar = self._toolbar()

        self.position_label = QLabel()
        self.selection_label = QLabel()
        self.length_label = QLabel()
        self.playback_note = QLabel()
        self.playback_note.setStyleSheet(f"color: {theme.WARNING.name()};")
        self.playback_note.setWordWrap(True)
        status = QHBoxLayout()
        for label in (self.position_label, self.selection_label, self.length_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            status.addWidget(label)
            status.addSpacing(18)
        status.addStretch(1)

        side = QVBoxLayout()
        for group in (self.fade, self.gain, self.silence, self.loudness):
            side.addWidget(group)
        side.addStretch(1)
        panel = QWidget()
        panel.setLayout(side)
        side_widget = QScrollArea()  # on a low screen the groups scroll; the waveform keeps its height
        side_widget.setWidget(panel)
        side_widget.setWidgetResizable(True)
        side_widget.setFrameShape(QFrame.Shape.NoFrame)
        side_widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        side_widget.setFixedWidth(SIDE_PANEL_PX)
        left = QVBoxLayout()
        left.addWidget(self.view, 1)
        left.addLayout(status)
        left.addWidget(self.playback_note)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addWidget(side_widget)
        top = QHBoxLayout()
        top.addWidget(self.toolbar, 1)
        top.addWidget(self.save_button)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(body, 1)

        self.view.selectionChanged.connect(self._selection_changed)
        self.view.cursorMoved.connect(self._update_status)
        self.view.clickedAt.connect(self.player.seek)
        self.view.markerSelected.connect(lambda _index: self._update_enabled())
        self.player.stateChanged.connect(lambda _playing: self._update_play())
        # Straight to the actions: QUndoStack emits these from its destructor too, when Python slots
        # of a half-destroyed editor must not run.
        self.undo_stack.cleanChanged.connect(self.save_action.setDisabled)
        self.undo_stack.canUndoChanged.connect(self.undo_action.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_action.setEnabled)
        self.fade.fadeIn.connect(lambda s, curve: self._fade(s, curve, out=False))
        self.fade.fadeOut.connect(lambda s, curve: self._fade(s, curve, out=True))
        self.gain.gainRequested.connect(self.apply_gain)
        self.silence.insertRequested.connect(lambda s: self.insert_silence(round(s * self._rate())))
        self.silence.trimRequested.connect(self.trim_silence)
        self.silence.thresholdChanged.connect(lambda _db: self._show_threshold())
        self.loudness.normaliseRequested.connect(self.normalise)
        self.loudness.target_tp.valueChanged.connect(lambda _db: self._edit is not None and self._play_source())
        self.retranslate()
        self._update_enabled()

    # -- actions ---------------------------------------------------------------------------------

    def _actions(self) -> None:
        def action(slot, *keys) -> QAction:
            act = QAction(self)
            act.setShortcuts([QKeySequence(k) for k in keys])
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(lambda _checked=False: slot())
            self.addAction(act)
            return act

        self.play_action = action(self.toggle_playback, Qt.Key.Key_Space)
        self.undo_action = action(self.undo_stack.undo, QKeySequence.StandardKey.Undo)
        self.redo_action = action(self.undo_stack.redo, "Ctrl+Shift+Z", "Ctrl+Y")
        self.cut_action = action(self.cut, QKeySequence.StandardKey.Cut)
        self.copy_action = action(self.copy, QKeySequence.StandardKey.Copy)
        self.paste_action = action(self.paste, QKeySequence.StandardKey.Paste)
        self.delete_action = action(self.delete, Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
        self.trim_action = action(self.trim_to_selection, "Ctrl+T")
        self.split_action = action(self.split_at_cursor, "Ctrl+I")
        self.marker_action = action(self.add_marker, Qt.Key.Key_M)
        self.zoom_in_action = action(self.view.zoom_in, Qt.Key.Key_Plus, Qt.Key.Key_Equal)
        self.zoom_out_action = action(self.view.zoom_out, Qt.Key.Key_Minus)
        self.zoom_selection_action = action(self.view.zoom_to_selection, "Ctrl+E")
        self.zoom_fit_action = action(self.view.zoom_to_fit, "Ctrl+F")
        self.start_action = action(lambda: self._jump(0), Qt.Key.Key_Home)
        self.end_action = action(lambda: self._jump(self._frames()), Qt.Key.Key_End)
        self.save_action = action(self._save, QKeySequence.StandardKey.Save)
        self.prepend_item_action = action(lambda: self.itemRequested.emit("start"))
        self.append_item_action = action(lambda: self.itemRequested.emit("end"))
        style = self.style()
        self.play_action.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
        self.save_action.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton))

    def _toolbar(self) -> QToolBar:
        """The editing actions on top; zoom beside the scroll bar; "Save revision" always in sight."""
        bar = QToolBar()
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        groups = ((self.play_action,), (self.undo_action, self.redo_action),
                  (self.cut_action, self.copy_action, self.paste_action, self.delete_action),
                  (self.trim_action, self.split_action, self.marker_action))
        for i, group in enumerate(groups):
            if i:
                bar.addSeparator()
            bar.addActions(group)
        self.add_item_button = QToolButton()  # "Add item" opens a menu: at the start, at the end
        self.add_item_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.add_item_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        menu = QMenu(self.add_item_button)
        menu.addActions((self.prepend_item_action, self.append_item_action))
        self.add_item_button.setMenu(menu)
        self._add_item_separator = bar.addSeparator()
        self._add_item_widget = bar.addWidget(self.add_item_button)
        self.offer_items(False)
        zoom = QToolBar()
        zoom.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        zoom.addActions((self.zoom_out_action, self.zoom_in_action, self.zoom_selection_action, self.zoom_fit_action))
        self.view.corner.addWidget(zoom)
        self.save_button = QToolButton()
        self.save_button.setDefaultAction(self.save_action)
        self.save_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        return bar

    def retranslate(self) -> None:
        texts = (
            (self.undo_action, self.tr("Undo"), self.tr("Undo the last edit")),
            (self.redo_action, self.tr("Redo"), self.tr("Redo the edit just undone")),
            (self.cut_action, self.tr("Cut"), self.tr("Remove the selection and keep it for pasting")),
            (self.copy_action, self.tr("Copy"), self.tr("Keep a copy of the selection for pasting")),
            (self.paste_action, self.tr("Paste"), self.tr("Insert what was cut or copied at the cursor "
                                                          "(replaces the selection)")),
            (self.delete_action, self.tr("Delete"), self.tr("Remove the selection, or the chosen marker")),
            (self.trim_action, self.tr("Keep selection"), self.tr("Keep only the selection; remove the rest")),
            (self.split_action, self.tr("Split"), self.tr("Split the sound at the cursor (for later edits)")),
            (self.marker_action, self.tr("Marker"), self.tr("Add a marker at the cursor")),
            (self.zoom_in_action, self.tr("Zoom in"), self.tr("Zoom in (mouse wheel); down to single samples")),
            (self.zoom_out_action, self.tr("Zoom out"), self.tr("Zoom out (mouse wheel)")),
            (self.zoom_selection_action, self.tr("Zoom to selection"), self.tr("Show the selection across the view")),
            (self.zoom_fit_action, self.tr("Whole item"), self.tr("Show the whole item")),
            (self.start_action, self.tr("To start"), self.tr("Cursor to the start")),
            (self.end_action, self.tr("To end"), self.tr("Cursor to the end")),
            (self.save_action, self.tr("Save revision"), self.tr("Save the edits as a new revision; the original "
                                                                 "recording stays as it was")),
            (self.prepend_item_action, self.tr("Prepend item…"),
             self.tr("Put another library item (an intro chime, a jingle) before this one")),
            (self.append_item_action, self.tr("Append item…"),
             self.tr("Put another library item (a jingle, a sign-off) after this one")),
        )
        for act, text, tip in texts:
            act.setText(text)
            shortcut = act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            act.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)
        # The zoom buttons beside the scroll bar are short; their tooltips say the rest.
        self.zoom_in_action.setIconText("+")
        self.zoom_out_action.setIconText("−")
        self.zoom_selection_action.setIconText(self.tr("Selection"))
        self.zoom_fit_action.setIconText(self.tr("All"))
        self.add_item_button.setText(self.tr("Add item"))
        self.add_item_button.setToolTip(self.tr("Put another library item before or after this one"))
        self._update_play()
        self._update_status()

    def changeEvent(self, event):  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- content ---------------------------------------------------------------------------------

    def load(self, edit: EditList, sources: Mapping[str, np.ndarray],
             caches: Mapping[str, PeakCache] | None = None) -> None:
        """Edit ``edit``, whose sources are decoded mono float32 at its rate; builds missing peak caches.

        Clears the undo history and the clipboard; the loaded list counts as saved.
        """
        self._clipboard = None
        self._sources = dict(sources)
        self._caches = dict(caches or {})
        self._add_caches(edit.rate)
        self.undo_stack.clear()
        self.view.clear_selection()
        self.view.set_cursor(0)
        self._show(edit, None, fit=True)
        self.player.seek(0)

    def edit_list(self) -> EditList | None:
        return self._edit

    def offer_items(self, on: bool) -> None:
        """Show "Add item" (prepend or append another item): for a caller that answers ``itemRequested``."""
        self._add_item_separator.setVisible(on)
        self._add_item_widget.setVisible(on)

    def loaded_sources(self) -> set[str]:
        """The sources whose decoded audio the editor holds (no need to decode them again)."""
        return set(self._sources)

    def measured(self) -> Loudness | None:
        """The loudness of the current edit list, once measured (``analysed`` says when)."""
        return self.loudness.measured()

    def mark_saved(self) -> None:
        """The current edit list was stored: "Save revision" stays off until the next edit."""
        self.undo_stack.setClean()

    def closeEvent(self, event):  # noqa: N802 - Qt override
        self.player.pause()
        super().closeEvent(event)

    # -- operations ------------------------------------------------------------------------------

    def toggle_playback(self) -> None:
        self.player.toggle()

    def cut(self) -> None:
        if (sel := self.view.selection()) is None:
            return
        after, self._clipboard = self._edit.cut(*sel)
        self._push(self.tr("Cut"), after, None, cursor=sel[0])

    def copy(self) -> None:
        if (sel := self.view.selection()) is not None:
            self._clipboard = self._edit.copy(*sel)
            self._update_enabled()

    def paste(self) -> None:
        if self._clipboard is None:
            return
        edit, at = self._edit, self.view.cursor()
        if (sel := self.view.selection()) is not None:
            edit, at = edit.delete(*sel), sel[0]
        self._push(self.tr("Paste"), edit.paste(at, self._clipboard), (at, at + self._clipboard.frames))

    def delete(self) -> None:
        if self.view.selected_marker() >= 0:
            self.remove_marker()
        elif (sel := self.view.selection()) is not None:
            self._push(self.tr("Delete"), self._edit.delete(*sel), None, cursor=sel[0])

    def trim_to_selection(self) -> None:
        if (sel := self.view.selection()) is not None:
            self._push(self.tr("Keep selection"), self._edit.trim(*sel), None, cursor=0)

    def split_at_cursor(self) -> None:
        self._push(self.tr("Split"), self._edit.split(self.view.cursor()), self.view.selection())

    def insert_silence(self, frames: int) -> None:
        at = self.view.cursor()
        self._push(self.tr("Insert silence"), self._edit.insert_silence(at, frames), (at, at + frames))

    def add_marker(self, label: str = "") -> None:
        self._push(self.tr("Add marker"), self._edit.add_marker(self.view.cursor(), label), self.view.selection())

    def remove_marker(self) -> None:
        index = self.view.selected_marker()
        if index >= 0:
            marker = self._edit.markers[index]
            self._push(self.tr("Remove marker"), self._edit.remove_marker(marker), self.view.selection())

    def apply_gain(self, db: float) -> None:
        """Change the volume of the selection, or of the whole item when nothing is selected."""
        a, b = self.view.selection() or (0, self._frames())
        if b > a:
            self._push(self.tr("Change volume"), self._edit.gain(a, b, db), self.view.selection())

    def normalise(self, db: float) -> None:
        if self._frames():
            self._push(self.tr("Normalise loudness"), self._edit.gain(0, self._frames(), db), self.view.selection())

    def trim_silence(self) -> None:
        keep = self._silence_keep()
        if keep is not None and keep != (0, self._frames()) and keep[1] > keep[0]:
            self._push(self.tr("Trim silence"), self._edit.trim(*keep), None, cursor=0)

    def prepend(self, other: EditList, sources: Mapping[str, np.ndarray]) -> None:
        """Put ``other`` (an intro chime, a jingle) before the item; ``sources`` are its decoded sources."""
        self._add_sources(sources)
        self._push(self.tr("Add at the start"), self._edit.prepend(other), None, cursor=0)

    def append(self, other: EditList, sources: Mapping[str, np.ndarray]) -> None:
        """Put ``other`` (another item, a sign-off) after the item."""
        self._add_sources(sources)
        self._push(self.tr("Add at the end"), self._edit.append(other), None, cursor=self._frames())

    def _fade(self, seconds: float, curve: str, out: bool) -> None:
        frames = min(round(seconds * self._rate()), self._frames())
        edit = self._edit.fade_out(frames, curve) if out else self._edit.fade_in(frames, curve)
        self._push(self.tr("Fade out") if out else self.tr("Fade in"), edit, self.view.selection())

    # -- internals -------------------------------------------------------------------------------

    def _rate(self) -> int:
        return self._edit.rate if self._edit is not None else 48000

    def _frames(self) -> int:
        return self._edit.frames if self._edit is not None else 0

    def _push(self, text: str, after: EditList, selection: Selection, cursor: int | None = None) -> None:
        """Do an edit as an undoable command (nothing happens if it changes nothing)."""
        if self._edit is None or after == self._edit:
            return
        if cursor is not None:
            self.view.set_cursor(cursor)
        self.undo_stack.push(EditCommand(text, self._show, self._edit, after, self.view.selection(), selection))

    def _show(self, edit: EditList, selection: Selection, fit: bool = False) -> None:
        """Make ``edit`` the current list (commands call this on redo and undo)."""
        self._edit = edit
        self.view.set_edit_list(edit, self._caches, fit=fit)
        if selection is None:
            self.view.clear_selection()
        else:
            self.view.set_selection(*selection)
            self.view.set_cursor(selection[0])
        self._play_source()
        self._levels = None
        self.loudness.set_measured(None)
        self._show_threshold()
        self._analyser.request(edit, self._sources, max(1, round(edit.rate * LEVEL_BLOCK_S)))
        self._update_enabled()
        self._update_status()
        self.editListChanged.emit(edit)

    def _play_source(self) -> None:
        """Play the current list through the render's limiter at the target true peak (less its margin)."""
        ceiling = self.loudness.target_tp.value() - LIMITER_MARGIN_DB
        self.player.set_source(LimitedPreview(self._edit, self._sources, ceiling), self._edit.frames, self._edit.rate)

    def _analysed(self, edit: EditList, loudness: Loudness, levels: np.ndarray) -> None:
        if edit is not self._edit:
            return
        self._levels = levels
        self.loudness.set_measured(loudness)
        self._show_threshold()
        self.analysed.emit(loudness)

    def _silence_keep(self) -> tuple[int, int] | None:
        """The frames trimming the silent ends would keep, once the levels are known."""
        if self._levels is None:
            return None
        block = max(1, round(self._rate() * LEVEL_BLOCK_S))
        return trim_silence(self._levels, block, self.silence.threshold.value(), self._frames())

    def _show_threshold(self) -> None:
        keep = self._silence_keep()
        trimmed = (keep[0], self._frames() - keep[1]) if keep is not None else (0, 0)
        self.view.set_threshold(self.silence.threshold.value(), trimmed)
        self.silence.set_trim(None if keep is None else (trimmed[0] / self._rate(), trimmed[1] / self._rate()))

    def _add_sources(self, sources: Mapping[str, np.ndarray]) -> None:
        self._sources.update(sources)
        self._add_caches(self._rate())

    def _add_caches(self, rate: int) -> None:
        for sha, samples in self._sources.items():
            if sha not in self._caches:
                self._caches[sha] = PeakCache.build(samples, rate)

    def _save(self) -> None:
        if self._edit is not None:
            self.saveRequested.emit(self._edit)

    def _jump(self, frame: int) -> None:
        self.view.clear_selection()
        self.view.set_cursor(frame)
        self.player.seek(frame)

    def _selection_changed(self) -> None:
        self.gain.set_has_selection(self.view.selection() is not None)
        self._update_enabled()
        self._update_status()

    def _update_enabled(self) -> None:
        loaded, selected = self._edit is not None and self._frames() > 0, self.view.selection() is not None
        for act in (self.cut_action, self.copy_action, self.trim_action, self.zoom_selection_action):
            act.setEnabled(loaded and selected)
        self.delete_action.setEnabled(loaded and (selected or self.view.selected_marker() >= 0))
        self.paste_action.setEnabled(self._edit is not None and self._clipboard is not None)
        for act in (self.split_action, self.marker_action):
            act.setEnabled(loaded)
        for act in (self.prepend_item_action, self.append_item_action):
            act.setEnabled(self._edit is not None)
        self.save_action.setEnabled(not self.undo_stack.isClean())
        self.undo_action.setEnabled(self.undo_stack.canUndo())
        self.redo_action.setEnabled(self.undo_stack.canRedo())
        for group in (self.fade, self.gain, self.silence, self.loudness):
            group.setEnabled(loaded)
        self._update_play()

    def _update_play(self) -> None:
        playing = self.player.is_playing()
        self.play_action.setText(self.tr("Pause") if playing else self.tr("Play"))
        self.play_action.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaPause if playing
                                                           else QStyle.StandardPixmap.SP_MediaPlay))
        reason = self.player.unavailable_reason()
        self.play_action.setEnabled(not reason and self._frames() > 0)
        self.play_action.setToolTip(reason or self.tr("Play from the playhead, or pause (Space)"))
        self.playback_note.setText(reason)
        self.playback_note.setVisible(bool(reason))

    def _update_status(self, *_args) -> None:
        rate = self._rate()
        self.position_label.setText(self.tr("Cursor {time}").format(time=format_time(self.view.cursor() / rate)))
        sel = self.view.selection()
        self.selection_label.setText(
            self.tr("Selection {start} – {end} ({length})").format(
                start=format_time(sel[0] / rate), end=format_time(sel[1] / rate),
                length=format_time((sel[1] - sel[0]) / rate)) if sel else self.tr("No selection"))
        self.length_label.setText(self.tr("Length {time}").format(time=format_time(self._frames() / rate)))
