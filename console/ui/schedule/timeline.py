"""The timeline: a day or a week of airings, one row per group (or administrative unit).

:class:`TimelineCanvas` paints itself (a QAbstractScrollArea: the time axis and the row names stay
put while the rows scroll). Blocks are coloured by priority, hatched red where two schedules of the
same priority overlap on shared clusters, dashed while awaiting approval, and carry a readiness
badge "N/M" (clusters of the row holding every file of the programme; red when it airs within
half an hour and is not everywhere). Click a block to edit its schedule; drag it sideways to move
the schedule (a one-off to the new time, a recurring rule by the same amount): the conflict check
runs on the airings already loaded while dragging, the service checks again on drop.

Nothing is drawn per event: mouse moves, scrolling and new data only mark the canvas dirty and a
single-shot timer repaints (and recomputes the drag's conflicts) once per tick.
:class:`TimelineView` adds navigation, the schedule list and the status line, and loads through the
task API.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStyle,
    QToolButton,
    QToolTip,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.schedule.model import Conflict, Occurrence
from console.schedule.service import ConflictError
from console.ui import formatting as fmt
from console.ui import theme
from console.ui.library.library_model import STATE_COLOURS, STATE_LABELS
from console.ui.library.library_model import label as state_label
from console.ui.library.refusals import reason
from console.ui.schedule import labels as lb
from console.ui.schedule.data import (
    Block,
    Layout,
    TimelineData,
    drag_check,
    layout,
    load_timeline,
    move,
)
from console.ui.tasks import Task, TaskManager

LABEL_W = 220  # the row names
HEADER_H = 44  # day names above the hours
ROW_PAD = 4
REPAINT_MS = 30
MIN_BLOCK_W = 4.0
MAX_ZOOM = 16.0
SNAP_MIN = {"day": 5, "week": 15}
GRID = QColor("#e3e6ea")
GRID_DAY = QColor("#9aa0a8")
ROW_ALT = QColor("#f6f7f9")
HEADER_BG = QColor("#eef0f3")
NOW = theme.OFFLINE
REFRESH_MS = 30_000  # readiness and the "now" line move on by themselves
LIST_MIN_W = 360
RELOAD_DELAY_MS = 60  # bursts of navigation clicks make one load


@dataclass
class _Placed:
    block: Block
    rect: QRectF  # content coordinates: x from the start of the range, y from the first row
    room: float  # free width to the right, up to the next block of the lane


class TimelineCanvas(QAbstractScrollArea):
    """Signals: ``editRequested(schedule_id)`` on a click, ``moveRequested(schedule_id, timedelta)``
    on a drop, ``newRequested(datetime, row_key)`` on a double click in an empty place,
    ``dayRequested(date)`` on a day of the week's header, ``statusChanged(text, warning)``."""

    editRequested = Signal(int)
    moveRequested = Signal(int, object)
    newRequested = Signal(object, object)
    dayRequested = Signal(object)
    statusChanged = Signal(str, bool)

    def __init__(self, clock: Callable[[], datetime], parent=None):
        super().__init__(parent)
        self.clock = clock
        self.start = clock().replace(hour=0, minute=0, second=0, microsecond=0)
        self.end = self.start + timedelta(days=1)
        self.snap = timedelta(minutes=SNAP_MIN["day"])
        self.layout_: Layout = Layout((), (), ())
        self.occurrences: tuple[Occurrence, ...] = ()
        self.zoom = 1.0
        self._placed: list[_Placed] = []
        self._row_y: list[float] = [0.0]
        self._press: _Placed | None = None  # the block under the mouse button
        self._origin = QPointF()  # where the button went down
        self._drag_x: float | None = None  # mouse x while dragging
        self.drag_id: int | None = None  # the schedule being dragged (or waiting for the service)
        self.drag_delta = timedelta(0)
        self.drag_clashes: list[Conflict] = []
        self._clash_keys: set[tuple[int, datetime]] = set()
        self._drag_occ: Occurrence | None = None  # the airing under the mouse
        self._checked: timedelta | None = None  # the delta the conflicts were computed for
        self._pending = False  # dropped, the service is deciding
        self._tick = QTimer(self)
        self._tick.setSingleShot(True)
        self._tick.setInterval(REPAINT_MS)
        self._tick.timeout.connect(self._on_tick)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.horizontalScrollBar().setSingleStep(20)
        self.verticalScrollBar().setSingleStep(20)

    # -- content ----------------------------------------------------------------------------------

    def set_range(self, start: datetime, end: datetime, snap_min: int) -> None:
        self.start, self.end, self.snap = start, end, timedelta(minutes=snap_min)
        self.zoom = 1.0
        self._relayout()

    def set_layout(self, layout_: Layout, occurrences: tuple[Occurrence, ...]) -> None:
        """New data: a pending move is over (the service decided, the data shows the result)."""
        self.layout_, self.occurrences = layout_, occurrences
        self._pending = False
        self._end_drag()
        self._relayout()

    def cancel_move(self) -> None:
        """The service refused the move: the blocks go back."""
        self._pending = False
        self._end_drag()
        self.schedule_repaint()

    @property
    def dragging(self) -> bool:
        """The user is dragging a block (new data would pull it from under the mouse)."""
        return self.drag_id is not None and not self._pending

    def schedule_repaint(self) -> None:
        if not self._tick.isActive():
            self._tick.start()

    def blocks(self) -> list[tuple[Block, QRectF]]:
        """Every block with its rectangle in viewport coordinates (for tests and tools)."""
        return [(p.block, self._to_view(p.rect)) for p in self._placed]

    # -- geometry ---------------------------------------------------------------------------------

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600

    @property
    def hour_px(self) -> float:
        return max(1.0, (self.viewport().width() - LABEL_W) / self.hours) * self.zoom

    def lane_h(self) -> int:
        return self.fontMetrics().height() + 12

    def x_of(self, t: datetime) -> float:
        """Content x of a moment."""
        return (t - self.start).total_seconds() / 3600 * self.hour_px

    def time_at(self, view_x: float) -> datetime:
        hours = (view_x - LABEL_W + self.horizontalScrollBar().value()) / self.hour_px
        return self.start + timedelta(hours=hours)

    def _to_view(self, r: QRectF) -> QRectF:
        return r.translated(LABEL_W - self.horizontalScrollBar().value(), HEADER_H - self.verticalScrollBar().value())

    def _relayout(self) -> None:
        lane_h, px = self.lane_h(), self.hour_px
        y, self._row_y = 0.0, []
        for lanes in self.layout_.lanes:
            self._row_y.append(y)
            y += lanes * lane_h + 2 * ROW_PAD
        self._row_y.append(y)
        placed = []
        for b in self.layout_.blocks:
            x = self.x_of(b.occ.start)
            w = max(MIN_BLOCK_W, (b.occ.end - b.occ.start).total_seconds() / 3600 * px)
            top = self._row_y[b.row] + ROW_PAD + b.lane * lane_h + 1
            placed.append(_Placed(b, QRectF(x, top, w, lane_h - 2), 0.0))
        lanes: dict[tuple[int, int], list[_Placed]] = {}
        for p in placed:
            lanes.setdefault((p.block.row, p.block.lane), []).append(p)
        width = self.hours * px
        for same in lanes.values():
            same.sort(key=lambda p: p.rect.x())
            for p, after in zip(same, [*same[1:], None]):
                p.room = (after.rect.x() if after else width) - p.rect.right()
        self._placed = placed
        self.horizontalScrollBar().setRange(0, max(0, round(width - (self.viewport().width() - LABEL_W))))
        self.horizontalScrollBar().setPageStep(max(1, self.viewport().width() - LABEL_W))
        self.verticalScrollBar().setRange(0, max(0, round(y - (self.viewport().height() - HEADER_H))))
        self.verticalScrollBar().setPageStep(max(1, self.viewport().height() - HEADER_H))
        self.schedule_repaint()

    def _placed_at(self, pos: QPointF) -> _Placed | None:
        if pos.x() < LABEL_W or pos.y() < HEADER_H:
            return None
        return next((p for p in reversed(self._placed) if self._to_view(p.rect).contains(pos)), None)

    def _row_at(self, view_y: float) -> int | None:
        y = view_y - HEADER_H + self.verticalScrollBar().value()
        return next((i for i in range(len(self._row_y) - 1) if self._row_y[i] <= y < self._row_y[i + 1]), None)

    def scroll_to(self, t: datetime) -> None:
        """Scroll so that ``t`` is near the left edge (when the range is wider than the view)."""
        self.horizontalScrollBar().setValue(round(self.x_of(t)))

    # -- events -----------------------------------------------------------------------------------

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._relayout()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.schedule_repaint()

    def wheelEvent(self, event) -> None:
        if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            super().wheelEvent(event)
            return
        anchor = event.position().x()
        t = self.time_at(anchor)
        self.zoom = min(MAX_ZOOM, max(1.0, self.zoom * (1.25 if event.angleDelta().y() > 0 else 0.8)))
        self._relayout()
        self.horizontalScrollBar().setValue(round(self.x_of(t) - (anchor - LABEL_W)))
        event.accept()

    def mousePressEvent(self, event) -> None:
        pos = event.position()
        if event.button() != Qt.MouseButton.LeftButton or self._pending:
            return
        if pos.y() < HEADER_H and pos.x() >= LABEL_W and self.hours > 24:
            self.dayRequested.emit(self.time_at(pos.x()).date())
            return
        placed = self._placed_at(pos)
        if placed is not None:
            self._press, self._origin = placed, pos

    def mouseMoveEvent(self, event) -> None:
        pos = event.position()
        if self._press is None:
            return
        if self.drag_id is None and abs(pos.x() - self._origin.x()) >= QApplication.startDragDistance():
            self.drag_id = self._press.block.occ.schedule_id
            self._drag_occ = self._press.block.occ
        if self.drag_id is not None:
            self._drag_x = pos.x()
            self.schedule_repaint()  # the tick computes the move and its conflicts

    def mouseReleaseEvent(self, event) -> None:
        if self._press is None:
            return
        if self.drag_id is None:
            self.editRequested.emit(self._press.block.occ.schedule_id)
            self._press = None
            return
        self._drag_x = event.position().x()
        self._on_tick()
        self._press = None
        if self.drag_delta:
            self._pending = True
            self.moveRequested.emit(self.drag_id, self.drag_delta)
        else:
            self._end_drag()
            self.statusChanged.emit("", False)

    def mouseDoubleClickEvent(self, event) -> None:
        pos = event.position()
        if pos.x() < LABEL_W or pos.y() < HEADER_H or self._placed_at(pos) is not None:
            return
        row = self._row_at(pos.y())
        key = self.layout_.rows[row].key if row is not None else None
        self.newRequested.emit(self._snapped(self.time_at(pos.x()) - self.start) + self.start, key)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape and self.drag_id is not None and not self._pending:
            self._press = None
            self._end_drag()
            self.statusChanged.emit("", False)
            self.schedule_repaint()
            return
        super().keyPressEvent(event)

    def viewportEvent(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            placed = self._placed_at(event.position() if hasattr(event, "position") else QPointF(event.pos()))
            if placed is not None and self.drag_id is None:
                QToolTip.showText(event.globalPos(), self.describe(placed.block), self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    # -- dragging ---------------------------------------------------------------------------------

    def _snapped(self, delta: timedelta) -> timedelta:
        steps = round(delta / self.snap)
        return self.snap * steps

    def _on_tick(self) -> None:
        if self.drag_id is not None and self._drag_x is not None and self._press is not None:
            delta = self._snapped(timedelta(hours=(self._drag_x - self._origin.x()) / self.hour_px))
            if delta != self._checked:
                self.drag_delta = self._checked = delta
                self.drag_clashes, self._clash_keys = drag_check(self.occurrences, self.drag_id, delta)
                self._drag_status()
        self.viewport().update()

    def _drag_status(self) -> None:
        sid, moved = self.drag_id, self._drag_occ
        start, end = moved.start + self.drag_delta, moved.end + self.drag_delta
        text = self.tr("Move “{title}” to {day} {span}").format(title=moved.title, day=f"{start:%d/%m}",
                                                               span=lb.span(start, end))
        if self.drag_clashes:
            first = lb.conflict_text(self.drag_clashes[0], sid)
            more = len(self.drag_clashes) - 1
            text += " — " + self.tr("conflicts with {conflict}").format(conflict=first)
            if more:
                text += " " + self.tr("(and {n} more)").format(n=more)
        self.statusChanged.emit(text, bool(self.drag_clashes))
        if self._drag_x is not None:
            pos = self.viewport().mapToGlobal(QPointF(self._drag_x, self._origin.y()).toPoint())
            QToolTip.showText(pos, text, self.viewport())

    def _end_drag(self) -> None:
        self.drag_id, self._drag_x = None, None
        self.drag_delta, self.drag_clashes, self._clash_keys = timedelta(0), [], set()
        self._checked = None
        QToolTip.hideText()

    # -- text -------------------------------------------------------------------------------------

    def describe(self, b: Block) -> str:
        o = b.occ
        lines = [f"<b>{html.escape(o.title)}</b>", f"{o.start:%d/%m/%Y} {lb.span(o.start, o.end)}",
                 f"{fmt.label(fmt.PRIORITIES, o.prio)} · {state_label(STATE_LABELS, b.state)}",
                 self.tr("{n} cluster(s) in all").format(n=len(o.devices))]
        if b.readiness is not None:
            lines.append(self.tr("{ready} of {total} cluster(s) of this row have the audio").format(
                ready=b.readiness.ready, total=b.readiness.total))
        if b.conflict:
            lines.append(self.tr("Overlaps another schedule of the same priority"))
        lines.append(self.tr("Click to edit, drag sideways to move"))
        return "<br>".join(lines)

    # -- painting ---------------------------------------------------------------------------------

    def paintEvent(self, event) -> None:
        p = QPainter(self.viewport())
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        vw, vh = self.viewport().width(), self.viewport().height()
        p.fillRect(0, 0, vw, vh, self.palette().base())
        sx, sy = self.horizontalScrollBar().value(), self.verticalScrollBar().value()
        ox, oy = LABEL_W - sx, HEADER_H - sy
        body = QRectF(LABEL_W, HEADER_H, vw - LABEL_W, vh - HEADER_H)
        p.save()
        p.setClipRect(body)
        self._paint_rows(p, ox, oy, vw)
        self._paint_grid(p, ox, HEADER_H, vh)
        self._paint_blocks(p, ox, oy, body)
        self._paint_now(p, ox, HEADER_H, vh)
        p.restore()
        self._paint_header(p, ox, vw)
        self._paint_names(p, oy, vh)
        p.end()

    def _paint_rows(self, p: QPainter, ox: float, oy: float, vw: int) -> None:
        for i in range(len(self.layout_.rows)):
            top, bottom = self._row_y[i] + oy, self._row_y[i + 1] + oy
            if i % 2:
                p.fillRect(QRectF(LABEL_W, top, vw - LABEL_W, bottom - top), ROW_ALT)
            p.setPen(QPen(GRID, 1))
            p.drawLine(QPointF(LABEL_W, bottom - 0.5), QPointF(vw, bottom - 0.5))

    def _hour_step(self) -> int:
        """Hours between labels, so that labels do not touch."""
        room = self.fontMetrics().horizontalAdvance("00:00") + 14
        return next((h for h in (1, 2, 3, 6, 12, 24) if h * self.hour_px >= room), 24)

    def _ticks(self) -> list[tuple[datetime, bool]]:
        """(moment, is midnight) of every labelled hour in the range."""
        step, out = self._hour_step(), []
        day = self.start.date()
        zone = self.start.tzinfo
        while True:
            midnight = datetime.combine(day, time(0), zone)
            if midnight >= self.end:
                return out
            for h in range(0, 24, step):
                t = midnight + timedelta(hours=h)
                if self.start <= t < self.end:
                    out.append((t, h == 0))
            day += timedelta(days=1)

    def _paint_grid(self, p: QPainter, ox: float, top: float, vh: int) -> None:
        for t, midnight in self._ticks():
            x = ox + self.x_of(t)
            p.setPen(QPen(GRID_DAY if midnight else GRID, 1))
            p.drawLine(QPointF(x + 0.5, top), QPointF(x + 0.5, vh))

    def _paint_now(self, p: QPainter, ox: float, top: float, vh: int) -> None:
        now = self.clock()
        if self.start <= now < self.end:
            x = ox + self.x_of(now)
            p.setPen(QPen(NOW, 2))
            p.drawLine(QPointF(x, top), QPointF(x, vh))

    def _paint_header(self, p: QPainter, ox: float, vw: int) -> None:
        p.fillRect(QRectF(0, 0, vw, HEADER_H), HEADER_BG)
        p.setPen(QPen(GRID_DAY, 1))
        p.drawLine(QPointF(0, HEADER_H - 0.5), QPointF(vw, HEADER_H - 0.5))
        p.save()
        p.setClipRect(QRectF(LABEL_W, 0, vw - LABEL_W, HEADER_H))
        fm = self.fontMetrics()
        half = HEADER_H / 2
        week = self.hours > 24
        for t, midnight in self._ticks():
            x = ox + self.x_of(t)
            if midnight:
                p.setPen(QPen(GRID_DAY, 1))
                p.drawLine(QPointF(x + 0.5, 0), QPointF(x + 0.5, HEADER_H))
                if week:
                    bold = p.font()
                    bold.setBold(t.date() == self.clock().date())
                    p.setFont(bold)
                    p.setPen(theme.PENDING if t.date() == self.clock().date() else lb.TEXT)
                    width = 24 * self.hour_px - 8
                    p.drawText(QRectF(x + 5, 2, width, half - 2), Qt.AlignmentFlag.AlignVCenter,
                               fm.elidedText(lb.weekday(t.date()), Qt.TextElideMode.ElideRight, int(width)))
                    p.setFont(self.font())
            p.setPen(theme.MUTED)
            top = half if week else 0
            p.drawText(QRectF(x + 4, top, 60, HEADER_H - top), Qt.AlignmentFlag.AlignVCenter, f"{t:%H:%M}")
        now = self.clock()
        if self.start <= now < self.end:
            x = ox + self.x_of(now)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(NOW)
            p.drawPolygon([QPointF(x - 5, HEADER_H - 7), QPointF(x + 5, HEADER_H - 7), QPointF(x, HEADER_H)])
        p.restore()

    def _paint_names(self, p: QPainter, oy: float, vh: int) -> None:
        p.fillRect(QRectF(0, 0, LABEL_W, vh), HEADER_BG)
        p.setPen(QPen(GRID_DAY, 1))
        p.drawLine(QPointF(LABEL_W - 0.5, 0), QPointF(LABEL_W - 0.5, vh))
        p.save()
        p.setClipRect(QRectF(0, HEADER_H, LABEL_W, vh - HEADER_H))
        fm = self.fontMetrics()
        for i, row in enumerate(self.layout_.rows):
            top, bottom = self._row_y[i] + oy, self._row_y[i + 1] + oy
            if bottom < HEADER_H or top > vh:
                continue
            count = str(len(row.devices)) if row.key is not None else ""
            count_w = fm.horizontalAdvance(count) + 8 if count else 0
            title = self.row_title(row)
            band = QRectF(10, top, LABEL_W - 18 - count_w, min(bottom - top, self.lane_h() + 2 * ROW_PAD))
            p.setPen(lb.TEXT)
            p.drawText(band, Qt.AlignmentFlag.AlignVCenter,
                       fm.elidedText(title, Qt.TextElideMode.ElideRight, int(band.width())))
            if count:
                p.setPen(theme.MUTED)
                p.drawText(QRectF(LABEL_W - 8 - count_w, band.top(), count_w, band.height()),
                           Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, count)
            p.setPen(QPen(GRID, 1))
            p.drawLine(QPointF(0, bottom - 0.5), QPointF(LABEL_W, bottom - 0.5))
        p.restore()
        p.setPen(theme.MUTED)
        p.drawText(QRectF(10, 0, LABEL_W - 16, HEADER_H), Qt.AlignmentFlag.AlignVCenter,
                   fm.elidedText(self.corner_text, Qt.TextElideMode.ElideRight, LABEL_W - 16))

    corner_text = ""

    def row_title(self, row) -> str:
        if row.key is None:
            return self.tr("Other clusters")
        if row.key == "":
            return self.tr("Without an administrative unit")
        return lb.group_name(row.key, row.title)

    def _paint_blocks(self, p: QPainter, ox: float, oy: float, body: QRectF) -> None:
        fm = QFontMetrics(self.font())
        dragging = self.drag_id is not None
        shift = self.x_of(self.start + self.drag_delta) if dragging else 0.0
        for placed in self._placed:
            b = placed.block
            r = placed.rect.translated(ox, oy)
            start = b.occ.start
            if b.occ.schedule_id == self.drag_id:
                self._paint_block(p, fm, placed, r, ghost=True)
                r, start = r.translated(shift, 0), start + self.drag_delta
            if r.right() < body.left() or r.left() > body.right() or r.bottom() < body.top() or r.top() > body.bottom():
                continue
            clash = (b.occ.schedule_id, start) in self._clash_keys if dragging else b.conflict
            self._paint_block(p, fm, placed, r, clash=clash, room=b.occ.schedule_id != self.drag_id)

    def _paint_block(self, p: QPainter, fm: QFontMetrics, placed: _Placed, r: QRectF, *, ghost: bool = False,
                     clash: bool = False, room: bool = True) -> None:
        b = placed.block
        edge = lb.CONFLICT if clash else lb.PRIORITY if b.occ.prio == "priority" else lb.NORMAL
        if ghost:
            p.setPen(QPen(edge, 1, Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(r.adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
            return
        awaiting = b.state != "approved"
        p.setPen(QPen(edge, 1.5, Qt.PenStyle.DashLine if awaiting else Qt.PenStyle.SolidLine))
        p.setBrush(lb.fill(edge) if not awaiting else QColor(255, 255, 255))
        p.drawRoundedRect(r.adjusted(0.75, 0.75, -0.75, -0.75), 3, 3)
        if clash:
            hatch = QColor(edge)
            hatch.setAlpha(110)
            p.setBrush(QBrush(hatch, Qt.BrushStyle.BDiagPattern))
            p.setPen(Qt.PenStyle.NoPen)
            p.drawRoundedRect(r.adjusted(1.5, 1.5, -1.5, -1.5), 3, 3)
        if r.width() < MIN_BLOCK_W + 1:  # a thin line: a solid stroke so it shows
            p.fillRect(r.adjusted(0.5, 0.5, -0.5, -0.5), edge)
        self._paint_label(p, fm, b, r, placed.room if room else 0.0)

    def _paint_label(self, p: QPainter, fm: QFontMetrics, b: Block, r: QRectF, room: float) -> None:
        """Title and badge inside the block when they fit, else to its right when there is room."""
        badge = f"{b.readiness.ready}/{b.readiness.total}" if b.readiness is not None else ""
        badge_w = fm.horizontalAdvance(badge) + 10 if badge else 0
        inside = r.width() - 10 >= badge_w + min(fm.horizontalAdvance(b.occ.title), 48)
        if inside:
            area = r.adjusted(5, 0, -5, 0)
        else:
            area = QRectF(r.right() + 4, r.top(), max(0.0, room - 10), r.height())
        if badge and area.width() >= badge_w:
            pill = QRectF(area.right() - badge_w + 2 if inside else area.left(), r.center().y() - fm.height() / 2 - 1,
                          badge_w - 2, fm.height() + 2)
            self._paint_badge(p, pill, badge, b)
            area = area.adjusted(0, 0, -badge_w, 0) if inside else area.adjusted(badge_w + 2, 0, 0, 0)
        elif b.readiness is not None and b.readiness.alarm:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(lb.CONFLICT)
            p.drawEllipse(QPointF(r.right(), r.top()), 4, 4)
        if area.width() >= 16:
            p.setPen(lb.TEXT)
            p.drawText(area, Qt.AlignmentFlag.AlignVCenter,
                       fm.elidedText(b.occ.title, Qt.TextElideMode.ElideRight, int(area.width())))

    @staticmethod
    def _paint_badge(p: QPainter, pill: QRectF, text: str, b: Block) -> None:
        ready = b.readiness
        if ready.alarm:
            back, fore = lb.CONFLICT, QColor("white")
        elif ready.ready == ready.total:
            back, fore = QColor("white"), theme.ONLINE.darker(130)
        else:
            back, fore = QColor("white"), lb.TEXT
        p.setPen(QPen(fore if not ready.alarm else back, 1))
        p.setBrush(back)
        p.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
        p.setPen(fore)
        p.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)


class TimelineView(QWidget):
    """The timeline of ``scheduler``'s schedules with navigation, the list of schedules and a status
    line; the editor opens from here. Signal ``changed()`` after a schedule was saved or moved."""

    changed = Signal()
    loaded = Signal()

    def __init__(self, scheduler, library, parent=None, refresh_ms: int = REFRESH_MS):
        super().__init__(parent)
        self.scheduler, self.library = scheduler, library
        self.zone = ZoneInfo(scheduler.tz)
        self.tasks = TaskManager(self)
        self.data: TimelineData | None = None
        self.mode = "day"
        self.day = scheduler.now().date()
        self.editor = None  # the editor opened last
        self._loading: Task | None = None

        self.canvas = TimelineCanvas(scheduler.now)
        icon = self.style().standardIcon
        self.new_button = QPushButton(icon(QStyle.StandardPixmap.SP_FileIcon), "")
        self.prev_button = QToolButton()
        self.prev_button.setArrowType(Qt.ArrowType.LeftArrow)
        self.next_button = QToolButton()
        self.next_button.setArrowType(Qt.ArrowType.RightArrow)
        self.today_button = QPushButton()
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.day_button, self.week_button = QPushButton(), QPushButton()
        self.period = QButtonGroup(self)
        for b in (self.day_button, self.week_button):
            b.setCheckable(True)
            self.period.addButton(b)
        self.day_button.setChecked(True)
        self.rows = QComboBox()
        self.list = QTreeWidget()
        self.list.setRootIsDecorated(False)
        self.list.setColumnCount(3)
        self.list.setAlternatingRowColors(True)
        self.list.setMinimumWidth(LIST_MIN_W)
        self.list.header().setStretchLastSection(False)
        self.list.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2):
            self.list.header().setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.legend = QLabel()

        bar = QHBoxLayout()
        bar.addWidget(self.new_button)
        bar.addSpacing(12)
        for w in (self.prev_button, self.today_button, self.next_button):
            bar.addWidget(w)
        bar.addSpacing(8)
        bar.addWidget(self.title, 1)
        bar.addWidget(self.day_button)
        bar.addWidget(self.week_button)
        bar.addSpacing(8)
        bar.addWidget(self.rows)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.canvas)
        splitter.addWidget(self.list)
        splitter.setStretchFactor(0, 1)  # the list keeps its width, the timeline takes the rest
        splitter.setStretchFactor(1, 0)
        splitter.setCollapsible(0, False)
        foot = QHBoxLayout()
        foot.addWidget(self.status, 1)
        foot.addWidget(self.legend)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addLayout(bar)
        lay.addWidget(splitter, 1)
        lay.addLayout(foot)

        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self.reload)
        self._refresh = QTimer(self)
        self._refresh.setInterval(refresh_ms)
        self._refresh.timeout.connect(self._periodic)
        self._refresh.start()

        self.new_button.clicked.connect(lambda: self.open_editor())
        self.prev_button.clicked.connect(lambda: self._step(-1))
        self.next_button.clicked.connect(lambda: self._step(1))
        self.today_button.clicked.connect(lambda: self.show_day(self.scheduler.now().date(), self.mode))
        self.day_button.clicked.connect(lambda: self.show_day(self.day, "day"))
        self.week_button.clicked.connect(lambda: self.show_day(self.day, "week"))
        self.rows.currentIndexChanged.connect(lambda _i: self._apply())
        self.list.itemDoubleClicked.connect(lambda item, _col: self.open_editor(item.data(0, Qt.ItemDataRole.UserRole)))
        self.canvas.editRequested.connect(self.open_editor)
        self.canvas.moveRequested.connect(self._move)
        self.canvas.newRequested.connect(lambda at, key: self.open_editor(None, at, key))
        self.canvas.dayRequested.connect(lambda d: self.show_day(d, "day"))
        self.canvas.statusChanged.connect(self._say)
        self.retranslate()
        self.show_day(self.day, self.mode)

    # -- language ---------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.new_button.setText(self.tr("New schedule…"))
        self.prev_button.setToolTip(self.tr("Earlier"))
        self.next_button.setToolTip(self.tr("Later"))
        self.today_button.setText(self.tr("Today"))
        self.day_button.setText(self.tr("Day"))
        self.week_button.setText(self.tr("Week"))
        current = self.rows.currentIndex()
        self.rows.blockSignals(True)
        self.rows.clear()
        self.rows.addItem(self.tr("Rows: groups"))
        self.rows.addItem(self.tr("Rows: administrative units"))
        self.rows.setCurrentIndex(max(0, current))
        self.rows.blockSignals(False)
        self.list.setHeaderLabels([self.tr("Schedule"), self.tr("Status"), self.tr("Next airing")])
        self.canvas.setToolTip("")
        self._name_rows()
        swatch = '<span style="color:{c}">{s}</span>&nbsp;{t}'
        self.legend.setText("&nbsp;&nbsp;&nbsp;".join([
            swatch.format(c=lb.NORMAL.name(), s="&#9632;", t=self.tr("Normal")),
            swatch.format(c=lb.PRIORITY.name(), s="&#9632;", t=self.tr("Priority")),
            swatch.format(c=lb.CONFLICT.name(), s="&#9632;", t=self.tr("Overlap")),
            swatch.format(c=lb.NORMAL.name(), s="&#9633;", t=self.tr("Awaiting approval")),
            self.tr("N/M: clusters that have the audio")]))
        self.legend.setToolTip(self.tr("A red badge: it airs within {n} minutes and some clusters do not have "
                                       "the audio yet.").format(n=30))
        self._show_title()
        self._fill_list()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- what is shown ----------------------------------------------------------------------------

    @property
    def by_unit(self) -> bool:
        return self.rows.currentIndex() == 1

    def set_by_unit(self, on: bool) -> None:
        self.rows.setCurrentIndex(1 if on else 0)

    def range(self) -> tuple[datetime, datetime]:
        first = self.day - timedelta(days=self.day.weekday()) if self.mode == "week" else self.day
        days = 7 if self.mode == "week" else 1
        return (datetime.combine(first, time(0), self.zone),
                datetime.combine(first + timedelta(days=days), time(0), self.zone))

    def show_day(self, day: date, mode: str) -> None:
        """Show the day (or its week) and load it."""
        self.day, self.mode = day, mode
        (self.day_button if mode == "day" else self.week_button).setChecked(True)
        start, end = self.range()
        self.canvas.set_range(start, end, SNAP_MIN[mode])
        if self.data is not None and (self.data.start, self.data.end) != (start, end):
            rows = self.canvas.layout_.rows
            self.canvas.set_layout(Layout(rows, (1,) * len(rows), ()), ())
        self._show_title()
        self.request_reload()

    def _step(self, n: int) -> None:
        self.show_day(self.day + timedelta(days=n * (7 if self.mode == "week" else 1)), self.mode)

    def _show_title(self) -> None:
        start, end = self.range()
        if self.mode == "day":
            text = lb.day(self.day, long=True)
        else:
            text = f"{start:%d/%m} – {(end - timedelta(days=1)):%d/%m/%Y}"
        if start.date() <= self.scheduler.now().date() < end.date():
            text += "  ·  " + self.tr("today")
        self.title.setText(text)

    # -- loading ----------------------------------------------------------------------------------

    def request_reload(self) -> None:
        self._reload_timer.start()

    def shutdown(self) -> None:
        """Stop loading: no more timers, running tasks are asked to stop."""
        self._reload_timer.stop()
        self._refresh.stop()
        self.tasks.shutdown()

    def _periodic(self) -> None:
        self.canvas.schedule_repaint()  # the "now" line
        if not self.canvas.dragging:
            self.request_reload()

    def reload(self) -> Task:
        self._reload_timer.stop()
        if self._loading is not None:
            self._loading.cancel()
        start, end = self.range()
        if self.data is None:
            self._say(self.tr("Reading the schedules…"), False)
        task = self.tasks.run(lambda progress, cancel: load_timeline(self.scheduler, start, end),
                              on_done=lambda data: self._loaded(task, data),
                              on_error=lambda exc: self._load_failed(task, exc))
        self._loading = task
        return task

    def _loaded(self, task: Task, data: TimelineData) -> None:
        if task is not self._loading:
            return
        self._loading = None
        if (data.start, data.end) != self.range():
            return
        if self.data is None:
            self._say("", False)
        self.data = data
        self._apply()
        self._fill_list()
        self.loaded.emit()

    def _load_failed(self, task: Task, exc: BaseException) -> None:
        if task is self._loading:
            self._loading = None
            self._say(self.tr("Could not read the schedules: {reason}").format(reason=reason(exc)), True)

    def _name_rows(self) -> None:
        self.canvas.corner_text = self.tr("Administrative units") if self.by_unit else self.tr("Groups")

    def _apply(self) -> None:
        self._name_rows()
        if self.data is not None and not self.canvas.dragging:
            self.canvas.set_layout(layout(self.data, self.by_unit, self.scheduler.now()), self.data.occurrences)
        self.canvas.schedule_repaint()

    def _fill_list(self) -> None:
        self.list.clear()
        if self.data is None:
            return
        for spec in self.data.schedules:
            nxt = self.data.next_airing.get(spec.id)
            item = QTreeWidgetItem([spec.title, state_label(STATE_LABELS, spec.state),
                                    f"{nxt:%d/%m %H:%M}" if nxt is not None else "—"])
            item.setData(0, Qt.ItemDataRole.UserRole, spec.id)
            item.setIcon(1, theme.dot_icon(STATE_COLOURS[spec.state].name()))
            item.setToolTip(0, spec.title)
            self.list.addTopLevelItem(item)

    # -- actions ----------------------------------------------------------------------------------

    def open_editor(self, schedule_id: int | None = None, start: datetime | None = None,
                    group: str | None = None):
        """The editor of a schedule (None: a new one, at ``start`` for ``group`` when given)."""
        from console.ui.schedule.editor import ScheduleEditor

        editor = ScheduleEditor(self.scheduler, self.library, schedule_id, parent=self, start=start,
                                group=group if not self.by_unit else None)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.saved.connect(lambda _id: (self.request_reload(), self.changed.emit()))
        editor.show()
        self.editor = editor
        return editor

    def _move(self, schedule_id: int, delta: timedelta) -> None:
        title = next((s.title for s in (self.data.schedules if self.data else ()) if s.id == schedule_id), "")
        self._say(self.tr("Moving “{title}”…").format(title=title), False)
        self.tasks.run(lambda progress, cancel: move(self.scheduler, schedule_id, delta),
                       on_done=self._moved, on_error=lambda exc: self._move_failed(schedule_id, title, exc))

    def _moved(self, spec) -> None:
        nxt = [spec.rule.start] if not spec.rule.is_recurring else spec.rule.next(self.scheduler.now(), 1)
        when = f"{nxt[0]:%d/%m %H:%M}" if nxt else "—"
        text = self.tr("“{title}” moved ({when}).").format(title=spec.title, when=when)
        if spec.state != "approved":
            text += " " + self.tr("It is {state} now.").format(state=state_label(STATE_LABELS, spec.state).lower())
        self._say(text, False)
        self.request_reload()
        self.changed.emit()

    def _move_failed(self, schedule_id: int, title: str, exc: BaseException) -> None:
        self.canvas.cancel_move()
        if isinstance(exc, ConflictError):
            first = lb.conflict_text(exc.conflicts[0], schedule_id)
            text = self.tr("“{title}” was not moved: it would conflict with {conflict}.").format(
                title=title, conflict=first)
        else:
            text = self.tr("“{title}” was not moved: {reason}").format(title=title, reason=reason(exc))
        self._say(text, True)

    def _say(self, text: str, warning: bool) -> None:
        self.status.setStyleSheet(f"color:{theme.OFFLINE.name()};" if warning else "")
        self.status.setText(text)
