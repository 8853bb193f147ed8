"""Human-readable, translated values shared by the table, the detail panel and the command log."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale

from console.core.presence import offline_detect_s

# The worst case of the protocol's guidance (docs/protocol.md, "Presence"): Keep Alive up to 60 s on
# 4G and a will delay up to 30 s, so an outage may show up to 1.5 x 60 + 30 = 120 s late.
DEVICE_KEEPALIVE_S = 60
DEVICE_WILL_DELAY_S = 30
OFFLINE_DETECT_S = round(offline_detect_s(DEVICE_KEEPALIVE_S, DEVICE_WILL_DELAY_S))

PRESENCE = {
    "online": QT_TRANSLATE_NOOP("Format", "Online"),
    "offline": QT_TRANSLATE_NOOP("Format", "Offline"),
    "unknown": QT_TRANSLATE_NOOP("Format", "Not heard yet"),
}
OFFLINE_REASONS = {
    "lost": QT_TRANSLATE_NOOP("Format", "connection lost"),
    "shutdown": QT_TRANSLATE_NOOP("Format", "shut down"),
    "reboot": QT_TRANSLATE_NOOP("Format", "rebooting"),
}
FAULTS = {
    "amp": QT_TRANSLATE_NOOP("Format", "Amplifier"),
    "speaker_line": QT_TRANSLATE_NOOP("Format", "Speaker line"),
    "power": QT_TRANSLATE_NOOP("Format", "Power"),
    "storage": QT_TRANSLATE_NOOP("Format", "Storage"),
    "clock": QT_TRANSLATE_NOOP("Format", "Clock"),
    "other": QT_TRANSLATE_NOOP("Format", "Other"),
}
PRIORITIES = {
    "normal": QT_TRANSLATE_NOOP("Format", "Normal"),
    "priority": QT_TRANSLATE_NOOP("Format", "Priority"),
    "live": QT_TRANSLATE_NOOP("Format", "Live"),
    "emergency": QT_TRANSLATE_NOOP("Format", "Emergency"),
}
POWER = {
    "mains": QT_TRANSLATE_NOOP("Format", "Mains"),
    "battery": QT_TRANSLATE_NOOP("Format", "Battery"),
    "solar": QT_TRANSLATE_NOOP("Format", "Solar"),
}
AMP = {
    "ok": QT_TRANSLATE_NOOP("Format", "OK"),
    "fault": QT_TRANSLATE_NOOP("Format", "Fault"),
    "off": QT_TRANSLATE_NOOP("Format", "Off"),
}
EVENTS = {
    "play.started": QT_TRANSLATE_NOOP("Format", "Playback started"),
    "play.finished": QT_TRANSLATE_NOOP("Format", "Playback finished"),
    "play.failed": QT_TRANSLATE_NOOP("Format", "Playback failed"),
    "play.preempted": QT_TRANSLATE_NOOP("Format", "Preempted by a higher priority"),
    "media.ready": QT_TRANSLATE_NOOP("Format", "Media downloaded"),
    "media.failed": QT_TRANSLATE_NOOP("Format", "Media download failed"),
    "fault.raised": QT_TRANSLATE_NOOP("Format", "Fault raised"),
    "fault.cleared": QT_TRANSLATE_NOOP("Format", "Fault cleared"),
    "live.joined": QT_TRANSLATE_NOOP("Format", "Joined live broadcast"),
    "live.left": QT_TRANSLATE_NOOP("Format", "Left live broadcast"),
    "online": QT_TRANSLATE_NOOP("Format", "Came online"),
    "offline": QT_TRANSLATE_NOOP("Format", "Went offline"),
}
COMMAND_OPS = {
    "ping": QT_TRANSLATE_NOOP("Format", "Ping"),
    "volume.set": QT_TRANSLATE_NOOP("Format", "Set volume"),
    "test_tone": QT_TRANSLATE_NOOP("Format", "Test tone"),
    "reboot": QT_TRANSLATE_NOOP("Format", "Reboot"),
    "resync": QT_TRANSLATE_NOOP("Format", "Resync"),
    "rebirth": QT_TRANSLATE_NOOP("Format", "Rebirth"),
    "play.now": QT_TRANSLATE_NOOP("Format", "Play now"),
    "stop": QT_TRANSLATE_NOOP("Format", "Stop"),
    "logs.upload": QT_TRANSLATE_NOOP("Format", "Upload logs"),
}
COMMAND_STATUS = {
    "sending": QT_TRANSLATE_NOOP("Format", "sending"),
    "sent": QT_TRANSLATE_NOOP("Format", "sent"),
    "accepted": QT_TRANSLATE_NOOP("Format", "accepted"),
    "done": QT_TRANSLATE_NOOP("Format", "done"),
    "error": QT_TRANSLATE_NOOP("Format", "error"),
    "timeout": QT_TRANSLATE_NOOP("Format", "timed out"),
    "refused": QT_TRANSLATE_NOOP("Format", "refused"),
}

REJECT_REASONS = {
    "topic": QT_TRANSLATE_NOOP("Format", "unknown or malformed topic"),
    "json": QT_TRANSLATE_NOOP("Format", "not valid JSON"),
    "schema": QT_TRANSLATE_NOOP("Format", "fields missing or out of range"),
    "version": QT_TRANSLATE_NOOP("Format", "unsupported protocol version"),
    "overflow": QT_TRANSLATE_NOOP("Format", "queue overflow"),
}


def _translated(text: str) -> str:
    return QCoreApplication.translate("Format", text)


def label(table: dict[str, str], key: str | None) -> str:
    """The translated label of ``key`` in one of the tables above; unknown keys show as they are."""
    if key is None:
        return ""
    text = table.get(key)
    return _translated(text) if text else key


def number(value: float, decimals: int = 1) -> str:
    """A number in the UI language's notation (Vietnamese writes 41,5)."""
    return QLocale().toString(float(value), "f", decimals)


def age(seconds: float) -> str:
    """How long ago, coarsened: "12 s ago", "3 min ago", "2 h ago", "4 days ago"."""
    s = max(0, int(seconds))
    if s < 60:
        return QCoreApplication.translate("Format", "{n} s ago").format(n=s)
    if s < 3600:
        return QCoreApplication.translate("Format", "{n} min ago").format(n=s // 60)
    if s < 86400:
        return QCoreApplication.translate("Format", "{n} h ago").format(n=s // 3600)
    return QCoreApplication.translate("Format", "{n} days ago").format(n=s // 86400)


def duration(seconds: float) -> str:
    """A span: "45 s", "12 min", "5 h 20 min", "3 days 4 h"."""
    s = max(0, int(seconds))
    if s < 60:
        return QCoreApplication.translate("Format", "{s} s").format(s=s)
    if s < 3600:
        return QCoreApplication.translate("Format", "{m} min").format(m=s // 60)
    if s < 86400:
        return QCoreApplication.translate("Format", "{h} h {m} min").format(h=s // 3600, m=s % 3600 // 60)
    return QCoreApplication.translate("Format", "{d} days {h} h").format(d=s // 86400, h=s % 86400 // 3600)


def clock(ts_ms: int, now_ms: int | None = None) -> str:
    """Local wall-clock time; with the date when it is not today."""
    t = datetime.fromtimestamp(ts_ms / 1000)
    today = datetime.fromtimestamp(now_ms / 1000).date() if now_ms else datetime.now().date()
    return t.strftime("%H:%M:%S") if t.date() == today else t.strftime("%d/%m %H:%M")
