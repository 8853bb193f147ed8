"""Colours, small painted icons and the application font, shared by every view.

Icons are painted once with QPainter and cached, so the table's ``data()`` hands out the same
QIcon objects for 10,000 rows. The font is chosen among families that carry Vietnamese
diacritics (Noto Sans, DejaVu Sans) and falls back to Qt's default when none is installed.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QApplication

# Families that render Vietnamese (Latin Extended Additional), best first.
FONT_FAMILIES = ("Noto Sans", "Segoe UI", "DejaVu Sans", "Liberation Sans", "Arial")

ONLINE = QColor("#2e9d44")
OFFLINE = QColor("#d13438")
UNKNOWN = QColor("#8a8f98")
PENDING = QColor("#3a6fd8")
FAULTY = QColor("#e07a00")
WARNING = QColor("#b85c00")
MUTED = QColor("#6b7079")
PLAYING = QColor("#7b3fc4")  # clusters on air (map markers, fleet graphs)

PRESENCE_COLOURS = {"online": ONLINE, "offline": OFFLINE, "unknown": UNKNOWN}
DEMO_BANNER_STYLE = "background:#f5b800; color:#2b2100; font-weight:600; padding:6px 12px;"


def pick_font_family(available: list[str] | None = None) -> str | None:
    """The first family of :data:`FONT_FAMILIES` installed here, or None."""
    have = set(QFontDatabase.families() if available is None else available)
    return next((f for f in FONT_FAMILIES if f in have), None)


def apply(app: QApplication) -> None:
    """Fusion style and a font that has Vietnamese glyphs."""
    app.setStyle("Fusion")
    family = pick_font_family()
    if family:
        font = QFont(family)
        font.setPointSizeF(max(app.font().pointSizeF(), 9.5))
        app.setFont(font)


@cache
def dot_icon(colour: str, hollow: bool = False, size: int = 12) -> QIcon:
    """A filled (or ring-shaped, for pending devices) status dot."""
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    c = QColor(colour)
    rect = QRectF(1.5, 1.5, size - 3, size - 3)
    if hollow:
        p.setPen(QPen(c, 2.2))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(rect.adjusted(0.6, 0.6, -0.6, -0.6))
    else:
        p.setPen(QPen(c.darker(130), 1))
        p.setBrush(c)
        p.drawEllipse(rect)
    p.end()
    return QIcon(pm)


def rssi_bars(rssi: int | None) -> int:
    """0-4 bars for a 4G RSSI in dBm (the usual LTE grading)."""
    if rssi is None:
        return 0
    for bars, floor in ((4, -65), (3, -75), (2, -85), (1, -95)):
        if rssi >= floor:
            return bars
    return 0


def rssi_colour(rssi: int | None) -> QColor:
    bars = rssi_bars(rssi)
    return ONLINE if bars >= 3 else WARNING if bars == 2 else OFFLINE if rssi is not None else UNKNOWN


@cache
def bars_icon(bars: int, colour: str, width: int = 18, height: int = 12) -> QIcon:
    """Four rising bars, the first ``bars`` of them filled."""
    pm = QPixmap(width, height)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    on, off = QColor(colour), QColor("#c9ccd1")
    bw = (width - 3 * 1.5) / 4
    for i in range(4):
        h = height * (i + 1) / 4
        p.fillRect(QRectF(QPointF(i * (bw + 1.5), height - h), QPointF(i * (bw + 1.5) + bw, height)),
                   on if i < bars else off)
    p.end()
    return QIcon(pm)


def coloured_dot_html(colour: QColor, text: str) -> str:
    """Rich text for labels: a coloured bullet before ``text``."""
    return f'<span style="color:{colour.name()}">&#9679;</span>&nbsp;{text}'
