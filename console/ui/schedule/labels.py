"""Words and colours of the scheduling views, translated where they are shown."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QLocale
from PySide6.QtGui import QColor

from console.schedule.model import Conflict
from console.schedule.service import ALL_GROUP
from console.ui import theme

RULE_KINDS = {
    "once": QT_TRANSLATE_NOOP("Schedule", "Once"),
    "daily": QT_TRANSLATE_NOOP("Schedule", "Every day"),
    "weekdays": QT_TRANSLATE_NOOP("Schedule", "On days of the week"),
    "weekly": QT_TRANSLATE_NOOP("Schedule", "Every week"),
    "nweekly": QT_TRANSLATE_NOOP("Schedule", "Every n-th week"),
    "monthly": QT_TRANSLATE_NOOP("Schedule", "Every month (same day)"),
    "monthly_last": QT_TRANSLATE_NOOP("Schedule", "Every month (last day)"),
    "custom": QT_TRANSLATE_NOOP("Schedule", "Other (recurrence rule)"),
}
RECEIPT_STATUSES = {
    "played": QT_TRANSLATE_NOOP("Schedule", "Played"),
    "partial": QT_TRANSLATE_NOOP("Schedule", "Partly played"),
    "missed": QT_TRANSLATE_NOOP("Schedule", "Missed"),
    "failed": QT_TRANSLATE_NOOP("Schedule", "Failed"),
}
RECEIPT_COLOURS = {"played": theme.ONLINE, "partial": theme.FAULTY, "missed": theme.MUTED, "failed": theme.OFFLINE}
# Reasons the as-run service writes (console/schedule/asrun.py) and devices report (docs/protocol.md).
REASONS = {
    "offline at air time": QT_TRANSLATE_NOOP("Schedule", "offline at air time"),
    "no report": QT_TRANSLATE_NOOP("Schedule", "no report from the cluster"),
    "no end reported": QT_TRANSLATE_NOOP("Schedule", "started, no end reported"),
    "media not ready": QT_TRANSLATE_NOOP("Schedule", "audio file not downloaded"),
    "stopped": QT_TRANSLATE_NOOP("Schedule", "stopped"),
}
PREEMPTED = "preempted by "
PART_KINDS = {
    "media": QT_TRANSLATE_NOOP("Schedule", "Audio"),
    "stream": QT_TRANSLATE_NOOP("Schedule", "Stream relay"),
    "gap": QT_TRANSLATE_NOOP("Schedule", "Pause"),
}

# Blocks: a light fill with a strong edge and dark text, readable on the light theme.
NORMAL = theme.PENDING
PRIORITY = theme.FAULTY
CONFLICT = theme.OFFLINE
TEXT = QColor("#1f2430")


def fill(edge: QColor) -> QColor:
    """The light fill that goes with an edge colour."""
    c = QColor(edge)
    return QColor.fromHsvF(c.hsvHueF(), 0.16, 1.0)


def label(table: dict[str, str], key: str) -> str:
    """The translated label of ``key`` in one of the tables above; unknown keys show as they are."""
    text = table.get(key)
    return QCoreApplication.translate("Schedule", text) if text else key


def group_name(group_id: str, name: str) -> str:
    """A group's name; the station's implicit group of every cluster has one in each language."""
    return QCoreApplication.translate("Schedule", "All clusters") if group_id == ALL_GROUP else name


def reason(text: str) -> str:
    if text.startswith(PREEMPTED):
        return QCoreApplication.translate("Schedule", "interrupted by {item}").format(item=text[len(PREEMPTED):])
    return label(REASONS, text)


def day(value: date, long: bool = False) -> str:
    """A date in the interface language: "24/11/2025", or with the weekday ("Monday 24/11/2025")."""
    return QLocale().toString(QDate(value.year, value.month, value.day), "dddd dd/MM/yyyy" if long else "dd/MM/yyyy")


def weekday(value: date) -> str:
    return QLocale().toString(QDate(value.year, value.month, value.day), "ddd dd/MM")


def span(start: datetime, end: datetime) -> str:
    """"05:30–05:41" (the end's date too when it is another day)."""
    return f"{start:%H:%M}–{end:%H:%M}" if start.date() == end.date() else f"{start:%H:%M}–{end:%d/%m %H:%M}"


def conflict_text(c: Conflict, own_id: int) -> str:
    """One conflict as seen from schedule ``own_id``: the other schedule, when, on how many clusters."""
    other = c.b if c.a.schedule_id == own_id else c.a
    return QCoreApplication.translate("Schedule", "“{title}” on {n} cluster(s), {day} {span}").format(
        title=other.title, n=len(c.devices), day=f"{c.start:%d/%m}", span=span(c.start, c.end))
