"""What the monitoring views compute without widgets: their words, the arrays they plot (from the
Monitor's series, docs/monitoring.md), alarm texts, and the reads they run on workers."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QColor

from console.monitor.rollup import RANGES_MS
from console.ui import formatting as fmt
from console.ui import theme

RANGES = ("1h", "24h", "7d", "30d")
WINDOWS = ("24h", "7d", "30d")  # availability
RANGE_LABELS = {
    "1h": QT_TRANSLATE_NOOP("MonitorModel", "1 h"),
    "24h": QT_TRANSLATE_NOOP("MonitorModel", "24 h"),
    "7d": QT_TRANSLATE_NOOP("MonitorModel", "7 days"),
    "30d": QT_TRANSLATE_NOOP("MonitorModel", "30 days"),
}
RULES = {
    "offline": QT_TRANSLATE_NOOP("MonitorModel", "Offline too long"),
    "never_seen": QT_TRANSLATE_NOOP("MonitorModel", "Never seen since adoption"),
    "fault.amp": QT_TRANSLATE_NOOP("MonitorModel", "Amplifier fault"),
    "fault.speaker_line": QT_TRANSLATE_NOOP("MonitorModel", "Speaker line fault"),
    "fault.power": QT_TRANSLATE_NOOP("MonitorModel", "Mains power lost"),
    "fault.storage": QT_TRANSLATE_NOOP("MonitorModel", "Storage fault"),
    "fault.clock": QT_TRANSLATE_NOOP("MonitorModel", "Clock fault"),
    "fault.other": QT_TRANSLATE_NOOP("MonitorModel", "Other fault"),
    "silent": QT_TRANSLATE_NOOP("MonitorModel", "Playing but silent"),
    "clock": QT_TRANSLATE_NOOP("MonitorModel", "Clock off time"),
    "weak_signal": QT_TRANSLATE_NOOP("MonitorModel", "Weak signal"),
}
STATES = {
    "new": QT_TRANSLATE_NOOP("MonitorModel", "New"),
    "acknowledged": QT_TRANSLATE_NOOP("MonitorModel", "Acknowledged"),
    "resolved": QT_TRANSLATE_NOOP("MonitorModel", "Resolved"),
}
SEVERITIES = {
    "major": QT_TRANSLATE_NOOP("MonitorModel", "Major"),
    "minor": QT_TRANSLATE_NOOP("MonitorModel", "Minor"),
}
# The per-device metrics plotted, in order: series field, title, unit.
METRICS = (
    ("rssi", QT_TRANSLATE_NOOP("MonitorModel", "Signal"), "dBm"),
    ("temp", QT_TRANSLATE_NOOP("MonitorModel", "Temperature"), "°C"),
    ("level_db", QT_TRANSLATE_NOOP("MonitorModel", "Output level"), "dBFS"),
    ("vol", QT_TRANSLATE_NOOP("MonitorModel", "Volume"), "%"),
    ("vbat", QT_TRANSLATE_NOOP("MonitorModel", "Battery"), "V"),
    ("clock_offset_ms", QT_TRANSLATE_NOOP("MonitorModel", "Clock offset"), "ms"),
)
# Events on the device's time axis, by kind: trouble, trouble cleared, playback, the rest.
EVENT_KINDS = ("trouble", "cleared", "play", "other")
TROUBLE = frozenset({"fault.raised", "play.failed", "media.failed", "offline"})
CLEARED = frozenset({"fault.cleared", "online"})


def translated(text: str) -> str:
    """A string marked above with QT_TRANSLATE_NOOP, translated."""
    return QCoreApplication.translate("MonitorModel", text)


def label(table: dict[str, str], key: str | None) -> str:
    """A translated label of one of the tables above; unknown keys as they are."""
    return translated(table[key]) if key in table else key or ""


def percent(value: float | None) -> str:
    return "—" if value is None else f"{fmt.number(value)} %"


AVAILABILITY_GOOD = 98.0  # at or above: green; at or above FAIR: amber; below: red
AVAILABILITY_FAIR = 90.0


def availability_colour(value: float | None) -> QColor:
    if value is None:
        return theme.UNKNOWN
    if value >= AVAILABILITY_GOOD:
        return theme.ONLINE
    return theme.WARNING if value >= AVAILABILITY_FAIR else theme.OFFLINE


# -- plot arrays ------------------------------------------------------------------------------------

def seconds(t_ms: np.ndarray) -> np.ndarray:
    """Epoch ms to the plots' x (epoch seconds, what pyqtgraph's DateAxisItem reads)."""
    return np.asarray(t_ms, dtype=float) / 1000.0


def with_gaps(x: np.ndarray, *ys: np.ndarray) -> tuple[np.ndarray, ...]:
    """Break the lines where buckets are missing: a NaN point after every step longer than 1.5 times
    the usual one (the series hold only buckets with data; the plots draw with ``connect="finite"``)."""
    if len(x) < 2:
        return (x, *ys)
    steps = np.diff(x)
    breaks = np.flatnonzero(steps > 1.5 * np.median(steps)) + 1
    if not len(breaks):
        return (x, *ys)
    x = np.insert(x, breaks, x[breaks - 1] + np.median(steps))
    return (x, *(np.insert(np.asarray(y, dtype=float), breaks, np.nan) for y in ys))


def fleet_curves(series: dict[str, np.ndarray]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """x and y of every fleet curve: ``online_pct``, the counts per status, ``msgs_per_min``, ``alarms``."""
    x = seconds(series["t"])
    keys = ("online_pct", "online", "offline", "unknown", "playing", "faulty", "pending", "msgs_per_min", "alarms")
    return {k: with_gaps(x, series[k]) for k in keys}


def latest(x: np.ndarray, y: np.ndarray) -> float | None:
    """The last finite value of a curve (the figure beside a plot's title)."""
    finite = np.flatnonzero(np.isfinite(y))
    return float(y[finite[-1]]) if len(finite) else None


def metric_curves(series: dict[str, np.ndarray], metric: str) -> tuple[np.ndarray, ...]:
    """x, min, avg, max of one device metric, with gaps where buckets are missing."""
    return with_gaps(seconds(series["t"]), series[f"{metric}_min"], series[f"{metric}_avg"], series[f"{metric}_max"])


def band_bars(bands: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Presence bands as bars: x0, x1 (seconds) and online (bool)."""
    return seconds(bands["start"]), seconds(bands["end"]), np.asarray(bands["online"], dtype=bool)


def event_kind(type_: str) -> str:
    if type_ in TROUBLE:
        return "trouble"
    if type_ in CLEARED:
        return "cleared"
    if type_.startswith(("play.", "live.")):
        return "play"
    return "other"


def event_details(type_: str, data: Any) -> str:
    """An event's data in words (a fault by its name), for the detail panel and the graphs' tips."""
    if type_.startswith("fault.") and isinstance(data, dict) and "fault" in data:
        return fmt.label(fmt.FAULTS, data["fault"])
    if type_ in ("online", "offline") and isinstance(data, dict):
        return fmt.label(fmt.OFFLINE_REASONS, data.get("reason")) if type_ == "offline" else ""
    return ", ".join(f"{k}: {v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)}"
                     for k, v in (data or {}).items() if v is not None and k != "demo")


def event_points(events: list[dict]) -> dict[str, tuple[np.ndarray, list[str]]]:
    """The events of :meth:`Monitor.events` per kind: x (seconds) and a tip for each."""
    out: dict[str, tuple[list, list]] = {k: ([], []) for k in EVENT_KINDS}
    for e in events:
        xs, tips = out[event_kind(e["type"])]
        xs.append(e["ts"] / 1000.0)
        details = event_details(e["type"], e.get("data"))
        tip = f"{fmt.clock(e['ts'])}  {fmt.label(fmt.EVENTS, e['type'])}"
        tips.append(tip + (f" — {details}" if details else ""))
    return {k: (np.array(xs, dtype=float), tips) for k, (xs, tips) in out.items()}


# -- alarms -----------------------------------------------------------------------------------------

# Alarm texts (translated where shown).
PHRASES = {
    "offline": QT_TRANSLATE_NOOP("MonitorModel", "offline since {time}"),
    "clock": QT_TRANSLATE_NOOP("MonitorModel", "offset {s} s"),
    "silent": QT_TRANSLATE_NOOP("MonitorModel", "{db} dBFS while playing {item}"),
    "fault.power": QT_TRANSLATE_NOOP("MonitorModel", "on battery, {v} V"),
    "never_seen": QT_TRANSLATE_NOOP("MonitorModel", "adopted {time}"),
    "acked": QT_TRANSLATE_NOOP("MonitorModel", "Acknowledged by {user} at {time}"),
    "resolved": QT_TRANSLATE_NOOP("MonitorModel", "Resolved by {user} at {time}"),
    "cleared": QT_TRANSLATE_NOOP("MonitorModel", "Cleared by itself at {time}"),
}


def phrase(key: str, **values) -> str:
    return translated(PHRASES[key]).format(**values)


def alarm_detail(alarm: dict) -> str:
    """What the alarm's ``detail`` says, in words."""
    d = alarm.get("detail") or {}
    rule = alarm.get("rule", "")
    if rule == "offline" and d.get("since"):
        reason = fmt.label(fmt.OFFLINE_REASONS, d.get("reason"))
        text = phrase("offline", time=fmt.clock(d["since"]))
        return f"{text} ({reason})" if reason else text
    if rule == "clock" and d.get("offset_ms") is not None:
        return phrase("clock", s=fmt.number(d["offset_ms"] / 1000, 1))
    if rule == "weak_signal" and d.get("rssi") is not None:
        return f"{d['rssi']} dBm"
    if rule == "silent" and d.get("level_db") is not None:
        return phrase("silent", db=fmt.number(d["level_db"]), item=d.get("item") or "")
    if rule == "fault.power" and d.get("vbat") is not None:
        return phrase("fault.power", v=fmt.number(d["vbat"]))
    if rule == "never_seen" and d.get("adopted_at"):
        return phrase("never_seen", time=fmt.clock(d["adopted_at"]))
    return ""


def alarm_handling(alarm: dict) -> str:
    """Who acknowledged or resolved the alarm, when, with what note."""
    parts = []
    if alarm.get("acked_at"):
        text = phrase("acked", user=alarm["acked_by"], time=fmt.clock(alarm["acked_at"]))
        parts.append(text + (f": {alarm['ack_note']}" if alarm.get("ack_note") else ""))
    if alarm.get("resolved_at"):
        if alarm.get("resolved_by"):
            text = phrase("resolved", user=alarm["resolved_by"], time=fmt.clock(alarm["resolved_at"]))
            parts.append(text + (f": {alarm['resolve_note']}" if alarm.get("resolve_note") else ""))
        else:
            parts.append(phrase("cleared", time=fmt.clock(alarm["resolved_at"])))
    return " · ".join(parts)


def alarm_summary(alarm: dict, name: str = "") -> str:
    """One line for a notification or the detail panel: rule, device, detail."""
    who = f"{name} ({alarm['device']})" if name else alarm["device"]
    detail = alarm_detail(alarm)
    return f"{label(RULES, alarm['rule'])} — {who}" + (f": {detail}" if detail else "")


# -- reads (run on workers) -------------------------------------------------------------------------

def read_device(monitor, dev: str, range_: str) -> dict:
    """Everything the device graphs draw: the series, the presence bands and the events."""
    return {"series": monitor.device_series(dev, range_), "bands": monitor.presence_bands(dev, range_),
            "events": monitor.events(dev, range_)}


def read_health(monitor, dev: str) -> dict:
    """The detail panel's health: availability over 24 h / 7 d / 30 d and the open alarms."""
    return {"availability": monitor.device_availability(dev), "alarms": monitor.open_alarms(dev)}


def read_alarms(monitor, show: str) -> list[dict]:
    """The open alarms (``show="open"``) or the alarms raised within a window (``"24h"``...)."""
    if show == "open":
        return monitor.open_alarms()
    return monitor.alarm_history(since_ms=monitor.now() - RANGES_MS[show])


def act_on_alarms(monitor, action: str, ids: list[int], user: str, note: str) -> tuple[list[dict], list[str]]:
    """Acknowledge or resolve alarms; returns the changed alarms and the refusals in words (an alarm
    acknowledged or resolved meanwhile by someone else)."""
    act = monitor.acknowledge if action == "acknowledge" else monitor.resolve
    done, refused = [], []
    for alarm_id in ids:
        try:
            done.append(act(alarm_id, user, note))
        except (KeyError, ValueError) as e:
            refused.append(str(e).strip("'\""))
    return done, refused
