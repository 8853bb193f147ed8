"""The waveform of an edit list, drawn from per-source peak caches, with selection, cursor, playhead and markers.

Only the visible range is computed, at the view's pixel width: for each segment in view, its
part of the source's :class:`PeakCache` (min/max per pixel column, raw samples when zoomed past
one sample per pixel), scaled by the segment's gain and fades. Each item is created once and gets
``setData`` when the range changes; range changes only mark the view dirty, and a ~30 Hz timer
redraws once per tick (and moves the playhead), so a wheel burst costs one redraw per tick, not
one per event. As the data already matches the screen, pyqtgraph's clipping and downsampling are
not used. Times on the axis are seconds on the edited timeline; the API speaks frames.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QScrollBar, QVBoxLayout, QWidget

from console.audio.peaks import PeakCache
from console.audio.preview import segment_gain
from console.core.editlist import EditList

BACKGROUND = "#fbfcfd"
WAVE = QColor("#2f6db5")
SELECTION = QColor(58, 111, 216, 45)
PLAYHEAD = QColor("#d13438")
MARKER = QColor("#c76a00")
MARKER_SELECTED = QColor("#7a3d00")
ENVELOPE = QColor("#e07a00")
THRESHOLD = QColor("#2e9d44")
TRIMMED = QColor(120, 124, 132, 60)
GRID = QColor("#c9ccd1")

MIN_VISIBLE_SAMPLES = 16   # deepest zoom: this many samples across the view
SAMPLE_DOTS_PX = 6.0       # samples at least this far apart are drawn as dots on the line
Y_LIMIT = 1.05
ZOOM_STEP = 2.0


def format_time(seconds: float, decimals: int = 3) -> str:
    """``mm:ss.mmm`` (minutes keep counting past 59, as on a radio desk's clock of the programme)."""
    scale = 10 ** decimals
    ticks = round(max(seconds, 0.0) * scale)
    minutes, rest = divmod(ticks, 60 * scale)
    whole, fraction = divmod(rest, scale)
    text = f"{minutes:02d}:{whole:02d}"
    return f"{text}.{fraction:0{decimals}d}" if decimals else text


class TimeAxis(pg.AxisItem):
    """A ruler in minutes and seconds, with steps a person would choose (1, 5, 15, 30 s, 1, 5 min...)."""

    STEPS = ((1e-4, 2e-5), (2e-4, 5e-5), (5e-4, 1e-4), (1e-3, 2e-4), (2e-3, 5e-4), (5e-3, 1e-3),
             (0.01, 0.002), (0.02, 0.005), (0.05, 0.01), (0.1, 0.02), (0.2, 0.05), (0.5, 0.1), (1, 0.2),
             (2, 0.5), (5, 1), (10, 2), (15, 5), (30, 5), (60, 10), (120, 30), (300, 60), (600, 120),
             (900, 300), (1800, 300), (3600, 600))
    LABEL_PX = 110  # room for one label

    def tickSpacing(self, minVal, maxVal, size):  # noqa: N802,N803 - pyqtgraph override
        span = maxVal - minVal
        if span <= 0 or size <= 0:
            return []
        wanted = span * self.LABEL_PX / size
        major, minor = next((s for s in self.STEPS if s[0] >= wanted), self.STEPS[-1])
        return [(major, 0), (minor, 0)]

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph override
        decimals = 0 if spacing >= 1 else min(4, math.ceil(-math.log10(spacing) - 1e-9))
        return [format_time(v, decimals) for v in values]


class _ViewBox(pg.ViewBox):
    """Left click places the cursor, left drag selects, middle drag pans, the wheel zooms in time.

    Shift+wheel and a horizontal wheel scroll. pyqtgraph's context menu is off: its plot options
    mean nothing to an operator.
    """

    clicked = Signal(float)                # seconds
    dragged = Signal(float, float, bool)   # from, to (seconds), finished
    scrolled = Signal(float)               # by this fraction of the visible span

    def __init__(self):
        super().__init__(enableMenu=False)
        self.setMouseEnabled(x=True, y=False)

    def mouseClickEvent(self, ev):  # noqa: N802 - pyqtgraph override
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        ev.accept()
        self.clicked.emit(self.mapSceneToView(ev.scenePos()).x())

    def mouseDragEvent(self, ev, axis=None):  # noqa: N802 - pyqtgraph override
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            start = self.mapSceneToView(ev.buttonDownScenePos()).x()
            self.dragged.emit(start, self.mapSceneToView(ev.scenePos()).x(), ev.isFinish())
        elif ev.button() == Qt.MouseButton.MiddleButton:
            super().mouseDragEvent(ev, axis)
        else:
            ev.ignore()

    def wheelEvent(self, ev, axis=None):  # noqa: N802 - pyqtgraph override
        if ev.orientation() == Qt.Orientation.Horizontal or ev.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            ev.accept()
            self.scrolled.emit(-ev.delta() / 1200)  # one notch: a tenth of the view
        else:
            super().wheelEvent(ev, axis=0)


class WaveformView(QWidget):
    """Shows an edit list; the selection, cursor and markers are edited here, the edit list is not.

    ``set_player(player)`` makes the playhead follow ``player.position()`` (frames) on the timer
    and scroll the view along while ``player.is_playing()``.
    """

    selectionChanged = Signal()
    cursorMoved = Signal(int)        # frame
    markerSelected = Signal(int)     # index into edit_list().markers, -1 for none
    clickedAt = Signal(int)          # frame where the user clicked or started a selection

    def __init__(self, parent=None, interval_ms: int = 33):
        super().__init__(parent)
        self._edit: EditList | None = None
        self._caches: Mapping[str, PeakCache] = {}
        self._starts = np.zeros(1, dtype=np.int64)  # timeline start of each segment, then the end
        self._selection: tuple[int, int] | None = None
        self._cursor = 0
        self._marker = -1
        self._player = None
        self._playhead = -1
        self._dirty = False
        self._syncing = False

        self.axis = TimeAxis("top")
        self.vb = _ViewBox()
        self.plot = pg.PlotWidget(viewBox=self.vb, axisItems={"top": self.axis}, background=BACKGROUND)
        item = self.plot.getPlotItem()
        item.hideButtons()
        item.hideAxis("left")
        item.hideAxis("bottom")
        item.showAxis("top")
        self.axis.setTextPen(pg.mkPen("#30343b"))
        self.axis.setPen(pg.mkPen(GRID))
        self.vb.setYRange(-Y_LIMIT, Y_LIMIT, padding=0)
        self.vb.setLimits(yMin=-Y_LIMIT, yMax=Y_LIMIT)

        self.trimmed = [pg.LinearRegionItem(movable=False, brush=pg.mkBrush(TRIMMED), pen=pg.mkPen(None))
                        for _ in range(2)]
        self.selection_item = pg.LinearRegionItem(brush=pg.mkBrush(SELECTION), pen=pg.mkPen("#3a6fd8", width=2),
                                                  hoverBrush=pg.mkBrush(QColor(58, 111, 216, 70)),
                                                  hoverPen=pg.mkPen("#1d4fb8", width=3))
        # Only the handles move: a drag inside the selection starts a new one, as in every audio editor.
        self.selection_item.setMovable(False)
        for handle in self.selection_item.lines:
            handle.setMovable(True)
        self.zero_line = pg.InfiniteLine(0, angle=0, pen=pg.mkPen(GRID))
        self.boundaries = pg.PlotDataItem(connect="pairs", pen=pg.mkPen(GRID, width=1, style=Qt.PenStyle.DashLine))
        self.peaks_item = pg.PlotDataItem(connect="pairs", pen=pg.mkPen(WAVE, width=1))
        self.samples_item = pg.PlotDataItem(pen=pg.mkPen(WAVE, width=1.5), symbolBrush=WAVE, symbolPen=None,
                                            symbolSize=5)
        self.envelope_item = pg.PlotDataItem(connect="finite", pen=pg.mkPen(ENVELOPE, width=2))
        # Two lines at ±threshold; the upper one says the level.
        self.threshold_lines = [pg.InfiniteLine(angle=0, pen=pg.mkPen(THRESHOLD, width=1, style=Qt.PenStyle.DashLine),
                                                label=label, labelOpts={"position": 0.995, "color": THRESHOLD,
                                                                        "fill": pg.mkBrush(255, 255, 255, 220),
                                                                        "anchors": [(1, 1), (1, 1)]})
                                for label in ("", None)]
        self.cursor_line = pg.InfiniteLine(0, pen=pg.mkPen("#1f2328", width=1))
        self.playhead_line = pg.InfiniteLine(0, pen=pg.mkPen(PLAYHEAD, width=2))
        self.marker_lines: list[pg.InfiniteLine] = []
        for z, it in enumerate((*self.trimmed, self.selection_item, self.zero_line, self.boundaries, self.peaks_item,
                                self.samples_item, self.envelope_item, *self.threshold_lines, self.cursor_line,
                                self.playhead_line)):
            it.setZValue(z)
            self.vb.addItem(it, ignoreBounds=True)
        for it in (*self.trimmed, self.selection_item, *self.threshold_lines):
            it.hide()
        self.playhead_line.hide()

        self.scrollbar = QScrollBar(Qt.Orientation.Horizontal)
        self.corner = QHBoxLayout()  # beside the scroll bar, for the owner's zoom buttons
        self.corner.setContentsMargins(0, 0, 0, 0)
        self.corner.addWidget(self.scrollbar, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.plot, 1)
        lay.addLayout(self.corner)

        self.vb.clicked.connect(self._clicked)
        self.vb.dragged.connect(self._dragged)
        self.vb.scrolled.connect(self.scroll_by)
        self.vb.sigXRangeChanged.connect(self._range_changed)
        self.vb.sigResized.connect(self._mark_dirty)
        self.selection_item.sigRegionChanged.connect(self._handles_moved)
        self.scrollbar.valueChanged.connect(self._scrolled)

        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    # -- content ---------------------------------------------------------------------------------

    def set_edit_list(self, edit: EditList, caches: Mapping[str, PeakCache] | None = None, *,
                      fit: bool = False) -> None:
        """Show ``edit``; ``caches`` (by source) when they change. ``fit`` zooms out to the whole list.

        The cursor, selection and view are kept within the new length; the drawing happens now.
        """
        first = self._edit is None
        self._edit = edit
        if caches is not None:
            self._caches = caches
        self._starts = np.asarray(edit.bounds, dtype=np.int64)
        duration = self.duration()
        self.vb.setLimits(xMin=0, xMax=max(duration, MIN_VISIBLE_SAMPLES / edit.rate),
                          minXRange=MIN_VISIBLE_SAMPLES / edit.rate)
        self.selection_item.setBounds((0, duration))
        self._cursor = min(self._cursor, edit.frames)
        self._marker = -1
        self._update_markers()
        if self._selection is not None:
            self.set_selection(*self._selection)
        self._place_line(self.cursor_line, self._cursor)
        if fit or first:
            self.zoom_to_fit()
        self.refresh()

    def edit_list(self) -> EditList | None:
        return self._edit

    def rate(self) -> int:
        return self._edit.rate if self._edit is not None else 48000

    def frames(self) -> int:
        return self._edit.frames if self._edit is not None else 0

    def duration(self) -> float:
        return self.frames() / self.rate()

    def set_player(self, player) -> None:
        """Follow ``player`` (``position()`` in frames, ``is_playing()``) with the playhead."""
        self._player = player
        self.playhead_line.setVisible(player is not None)
        self._playhead = -1

    # -- selection, cursor, markers --------------------------------------------------------------

    def selection(self) -> tuple[int, int] | None:
        """The selected frames ``(start, end)``, or None."""
        return self._selection

    def set_selection(self, start: int, end: int) -> None:
        start, end = sorted((self._clamp(start), self._clamp(end)))
        if start == end:
            self.clear_selection()
            return
        changed = self._selection != (start, end)
        self._selection = (start, end)
        self._syncing = True
        self.selection_item.setRegion((start / self.rate(), end / self.rate()))
        self._syncing = False
        self.selection_item.show()
        if changed:
            self.selectionChanged.emit()

    def clear_selection(self) -> None:
        self.selection_item.hide()
        if self._selection is not None:
            self._selection = None
            self.selectionChanged.emit()

    def cursor(self) -> int:
        return self._cursor

    def set_cursor(self, frame: int) -> None:
        self._cursor = self._clamp(frame)
        self._place_line(self.cursor_line, self._cursor)
        self.cursorMoved.emit(self._cursor)

    def selected_marker(self) -> int:
        """Index of the marker the user clicked (into ``edit_list().markers``), or -1."""
        return self._marker

    def select_marker(self, index: int) -> None:
        self._marker = index
        self._update_markers()
        if index >= 0:
            self.set_cursor(self._edit.markers[index].frame)
        self.markerSelected.emit(index)

    def set_threshold(self, db: float, trimmed: tuple[int, int] = (0, 0)) -> None:
        """Show ±``db`` dBFS as two lines and shade the ``trimmed`` frames at the start and the end."""
        for line, sign in zip(self.threshold_lines, (1, -1)):
            line.setPos(sign * 10 ** (db / 20))
            line.show()
        self.threshold_lines[0].label.setFormat(f"{db:g} dBFS".replace("-", "−"))
        head, tail = trimmed
        for region, (a, b) in zip(self.trimmed, ((0, head), (self.frames() - tail, self.frames()))):
            region.setVisible(b > a)
            region.setRegion((a / self.rate(), b / self.rate()))

    # -- zoom and scroll -------------------------------------------------------------------------

    def visible_range(self) -> tuple[int, int]:
        """The frames in view ``(start, end)``."""
        x0, x1 = self.vb.viewRange()[0]
        return self._clamp(math.floor(x0 * self.rate())), self._clamp(math.ceil(x1 * self.rate()))

    def set_visible_range(self, start: int, end: int) -> None:
        self.vb.setXRange(start / self.rate(), end / self.rate(), padding=0)

    def zoom(self, factor: float, center: int | None = None) -> None:
        """Zoom in by ``factor`` (below 1 zooms out) around ``center`` (default: the cursor if in view)."""
        start, end = self.visible_range()
        if center is None:
            center = self._cursor if start <= self._cursor <= end else (start + end) // 2
        span = max(MIN_VISIBLE_SAMPLES, (end - start) / factor)
        left = center - (center - start) / factor
        self.set_visible_range(round(left), round(left + span))

    def zoom_in(self) -> None:
        self.zoom(ZOOM_STEP)

    def zoom_out(self) -> None:
        self.zoom(1 / ZOOM_STEP)

    def zoom_to_fit(self) -> None:
        self.set_visible_range(0, max(self.frames(), MIN_VISIBLE_SAMPLES))

    def zoom_to_selection(self) -> None:
        if self._selection is not None:
            self.set_visible_range(*self._selection)

    def scroll_by(self, fraction: float) -> None:
        start, end = self.visible_range()
        shift = round((end - start) * fraction)
        shift = max(-start, min(shift, self.frames() - end))
        self.set_visible_range(start + shift, end + shift)

    # -- drawing ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Recompute the waveform of the visible range now (the timer calls this when it changed)."""
        self._dirty = False
        edit = self._edit
        if edit is None or edit.frames == 0:
            for it in (self.peaks_item, self.samples_item, self.envelope_item, self.boundaries):
                it.setData([], [])
            return
        f0, f1 = self.visible_range()
        width = max(1, int(self.vb.width()))
        if f1 <= f0:
            return
        as_samples = (f1 - f0) < width
        xs, ys_lo, ys_hi, env_x, env_y = [], [], [], [], []
        first = max(0, int(np.searchsorted(self._starts, f0, side="right")) - 1)
        for i in range(first, len(edit.segments)):
            t0, t1 = int(self._starts[i]), int(self._starts[i + 1])
            if t0 >= f1:
                break
            a, b = max(f0, t0), min(f1, t1)
            if a >= b:
                continue
            seg = edit.segments[i]
            if seg.source:
                x, lo, hi = self._caches[seg.source].view(seg.start + a - t0, seg.start + b - t0,
                                                          max(1, round(width * (b - a) / (f1 - f0))))
                # Blocks are aligned to the cache's levels: the first and last may reach past the segment.
                offsets = np.clip(np.asarray(x) * edit.rate - seg.start, a - t0, b - t0 - 1)
                gain = segment_gain(seg, offsets)
                xs.append(offsets / edit.rate + t0 / edit.rate)
                ys_lo.append(np.asarray(lo) * gain)
                ys_hi.append(np.asarray(hi) * gain)
            else:  # silence: a flat line
                frames = np.arange(a, b) if as_samples else np.array([a, b - 1])
                xs.append(frames / edit.rate)
                ys_lo.append(np.zeros(len(frames)))
                ys_hi.append(np.zeros(len(frames)))
            # This segment's pieces of the fade curves (a fade may span several segments).
            length = t1 - t0
            fades = ((0, seg.fade_in - seg.fade_in_offset) if seg.fade_in else (0, 0),
                     (length + seg.fade_out_offset - seg.fade_out, length) if seg.fade_out else (0, 0))
            for fade_a, fade_b in fades:
                lo_f, hi_f = max(fade_a, a - t0, 0), min(fade_b, b - t0, length)
                if lo_f < hi_f:
                    offsets = np.linspace(lo_f, hi_f, 64)
                    gain = segment_gain(seg, offsets)
                    env_x += [(t0 + offsets) / edit.rate, [np.nan], (t0 + offsets) / edit.rate, [np.nan]]
                    env_y += [gain, [np.nan], -gain, [np.nan]]
        x = np.concatenate(xs)
        if as_samples:
            self.peaks_item.setData([], [])
            dots = width / max(1, f1 - f0) >= SAMPLE_DOTS_PX
            self.samples_item.setData(x, np.concatenate(ys_lo), symbol="o" if dots else None)
        else:
            self.samples_item.setData([], [])
            self.peaks_item.setData(np.repeat(x, 2), np.column_stack((np.concatenate(ys_lo),
                                                                       np.concatenate(ys_hi))).ravel())
        if env_x:
            self.envelope_item.setData(np.concatenate(env_x), np.concatenate(env_y))
        else:
            self.envelope_item.setData([], [])
        inner = self._starts[1:-1]
        inner = inner[(inner > f0) & (inner < f1)] / edit.rate
        self.boundaries.setData(np.repeat(inner, 2), np.tile([-1.0, 1.0], len(inner)))

    # -- internals -------------------------------------------------------------------------------

    def showEvent(self, event):  # noqa: N802 - Qt override
        super().showEvent(event)
        self._timer.start()

    def hideEvent(self, event):  # noqa: N802 - Qt override
        self._timer.stop()
        super().hideEvent(event)

    def _tick(self) -> None:
        if self._player is not None:
            position = self._player.position()
            if position != self._playhead:
                self._playhead = position
                self._place_line(self.playhead_line, position)
                if self._player.is_playing():
                    self._follow(position)
        if self._dirty:
            self.refresh()

    def _follow(self, frame: int) -> None:
        """Keep the playhead in view while playing: turn the page when it runs off the right edge."""
        start, end = self.visible_range()
        if not start <= frame <= end:
            span = end - start
            left = max(0, min(frame - span // 20, self.frames() - span))
            self.set_visible_range(left, left + span)

    def _mark_dirty(self, *_args) -> None:
        self._dirty = True

    def _range_changed(self, *_args) -> None:
        self._dirty = True
        self._sync_scrollbar()

    def _sync_scrollbar(self) -> None:
        x0, x1 = self.vb.viewRange()[0]
        span_ms = max(1, round((x1 - x0) * 1000))
        self._syncing = True
        self.scrollbar.setRange(0, max(0, round(self.duration() * 1000) - span_ms))
        self.scrollbar.setPageStep(span_ms)
        self.scrollbar.setSingleStep(max(1, span_ms // 10))
        self.scrollbar.setValue(round(x0 * 1000))
        self._syncing = False

    def _scrolled(self, value: int) -> None:
        if self._syncing:
            return
        x0, x1 = self.vb.viewRange()[0]
        self.vb.setXRange(value / 1000, value / 1000 + (x1 - x0), padding=0)

    def _clamp(self, frame: float) -> int:
        return max(0, min(round(frame), self.frames()))

    def _place_line(self, line: pg.InfiniteLine, frame: int) -> None:
        line.setPos(frame / self.rate())

    def _clicked(self, seconds: float) -> None:
        frame = self._clamp(seconds * self.rate())
        self.clear_selection()
        if self._marker >= 0:
            self.select_marker(-1)
        self.set_cursor(frame)
        self.clickedAt.emit(frame)

    def _dragged(self, start: float, end: float, finished: bool) -> None:
        a, b = self._clamp(start * self.rate()), self._clamp(end * self.rate())
        if a == b:
            self.clear_selection()
            return
        self.set_selection(a, b)
        if finished:
            self.set_cursor(min(a, b))
            self.clickedAt.emit(min(a, b))

    def _handles_moved(self) -> None:
        if self._syncing:
            return
        a, b = self.selection_item.getRegion()
        self.set_selection(round(a * self.rate()), round(b * self.rate()))

    def _update_markers(self) -> None:
        markers = self._edit.markers if self._edit is not None else ()
        while len(self.marker_lines) < len(markers):
            line = pg.InfiniteLine(pen=pg.mkPen(MARKER, width=2), label="",
                                   labelOpts={"position": 0.97, "color": "#ffffff", "fill": MARKER,
                                              "anchors": [(0, 0), (0, 0)]})
            line.setZValue(20)
            line.sigClicked.connect(self._marker_clicked)
            self.vb.addItem(line, ignoreBounds=True)
            self.marker_lines.append(line)
        for i, line in enumerate(self.marker_lines):
            line.setVisible(i < len(markers))
            if i < len(markers):
                selected = i == self._marker
                colour = MARKER_SELECTED if selected else MARKER
                line.setPen(pg.mkPen(colour, width=3 if selected else 2))
                line.label.fill = pg.mkBrush(colour)
                text = markers[i].label.replace("{", "{{").replace("}", "}}") or str(i + 1)
                line.label.setFormat(f" {text} ")
                self._place_line(line, markers[i].frame)

    def _marker_clicked(self, line: pg.InfiniteLine, ev) -> None:
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            self.select_marker(self.marker_lines.index(line))

