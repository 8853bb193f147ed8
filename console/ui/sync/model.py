"""What the Province views compute without widgets: their words and colours, the texts of the link's
status and history, and the reads they run on workers (console/sync: ``SyncWorker``, ``Inbox``)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale
from PySide6.QtGui import QColor

from console.sync.inbox import NOTES
from console.ui import formatting as fmt
from console.ui import theme

log = logging.getLogger(__name__)

# Circular 39/2020/TT-BTTTT, lowest to highest: thông thường, ưu tiên, khẩn cấp.
PRIORITIES = {
    "normal": QT_TRANSLATE_NOOP("SyncModel", "Normal"),
    "priority": QT_TRANSLATE_NOOP("SyncModel", "Priority"),
    "emergency": QT_TRANSLATE_NOOP("SyncModel", "Emergency"),
}
EMERGENCY = QColor("#c8102e")  # the ON AIR banner's red
PRIORITY = QColor("#d97800")  # amber-orange, as priority blocks on the timeline
PRIORITY_COLOURS = {"emergency": EMERGENCY, "priority": PRIORITY, "normal": theme.MUTED}
PRIORITY_FILLS = {"emergency": QColor("#fde3e3"), "priority": QColor("#fff0d9")}  # row tints; normal: none
PRIORITY_RANK = {"emergency": 0, "priority": 1, "normal": 2}

STATES = {
    "received": QT_TRANSLATE_NOOP("SyncModel", "Received"),
    "waiting": QT_TRANSLATE_NOOP("SyncModel", "Waiting"),  # for the operator
    "confirm": QT_TRANSLATE_NOOP("SyncModel", "Awaiting confirmation"),
    "scheduled": QT_TRANSLATE_NOOP("SyncModel", "Scheduled"),
    "played": QT_TRANSLATE_NOOP("SyncModel", "Played"),
    "rejected": QT_TRANSLATE_NOOP("SyncModel", "Rejected"),
}
STATE_COLOURS = {"received": theme.MUTED, "waiting": theme.WARNING, "confirm": EMERGENCY,
                 "scheduled": theme.PENDING, "played": theme.ONLINE, "rejected": theme.MUTED}
OPEN_STATES = ("received", "waiting", "confirm")  # the operator may still act on these
RECEIPTS = {
    "received": QT_TRANSLATE_NOOP("SyncModel", "received"),
    "scheduled": QT_TRANSLATE_NOOP("SyncModel", "scheduled"),
    "played": QT_TRANSLATE_NOOP("SyncModel", "played"),
    "rejected": QT_TRANSLATE_NOOP("SyncModel", "rejected"),
}
LINK_STATES = {
    "running": QT_TRANSLATE_NOOP("SyncModel", "Running"),
    "paused": QT_TRANSLATE_NOOP("SyncModel", "Paused"),
    "retrying": QT_TRANSLATE_NOOP("SyncModel", "Waiting to retry"),
    "stopped": QT_TRANSLATE_NOOP("SyncModel", "Stopped"),
}
LINK_COLOURS = {"running": theme.ONLINE, "paused": theme.WARNING, "retrying": theme.OFFLINE, "stopped": theme.MUTED}
RECORD_TYPES = {
    "asrun": QT_TRANSLATE_NOOP("SyncModel", "As-run receipts"),
    "device_event": QT_TRANSLATE_NOOP("SyncModel", "Cluster events"),
    "alarm": QT_TRANSLATE_NOOP("SyncModel", "Alarms"),
    "audit": QT_TRANSLATE_NOOP("SyncModel", "Audit trail"),
    "content": QT_TRANSLATE_NOOP("SyncModel", "Library changes"),
    "schedule": QT_TRANSLATE_NOOP("SyncModel", "Schedule changes"),
    "inventory": QT_TRANSLATE_NOOP("SyncModel", "Inventory"),
}
HISTORY_KINDS = {
    "batch": QT_TRANSLATE_NOOP("SyncModel", "Records shipped"),
    "error": QT_TRANSLATE_NOOP("SyncModel", "Failed"),
    "bulletin": QT_TRANSLATE_NOOP("SyncModel", "Bulletin received"),
    "receipt": QT_TRANSLATE_NOOP("SyncModel", "Receipt sent"),
    "paused": QT_TRANSLATE_NOOP("SyncModel", "Paused"),
    "resumed": QT_TRANSLATE_NOOP("SyncModel", "Resumed"),
}


def translated(text: str) -> str:
    """A string marked above with QT_TRANSLATE_NOOP, translated."""
    return QCoreApplication.translate("SyncModel", text)


def label(table: dict[str, str], key: str | None) -> str:
    """A translated label of one of the tables above; unknown keys as they are."""
    return translated(table[key]) if key in table else key or ""


def count(n: int) -> str:
    """An integer with the UI language's digit grouping (1.234 in Vietnamese, 1,234 in English)."""
    return QLocale().toString(int(n))


def size(nbytes: int) -> str:
    if nbytes < 1000:
        return f"{nbytes} B"
    if nbytes < 1_000_000:
        return f"{fmt.number(nbytes / 1000)} kB"
    return f"{fmt.number(nbytes / 1_000_000)} MB"


def clock(ts_ms: int | None, now_ms: int | None = None) -> str:
    """HH:MM today, else dd/mm HH:MM; a dash for never."""
    if ts_ms is None:
        return "—"
    text = fmt.clock(ts_ms, now_ms)
    return text[:5] if len(text) == 8 else text  # 12:03:04 -> 12:03; 26/11 12:03 stays


# -- the link's history -------------------------------------------------------------------------------

@dataclass(frozen=True)
class HistoryRow:
    ts: int
    kind: str
    records: int | None
    bytes: int | None
    detail: str
    failed: bool


def history_detail(entry: dict[str, Any]) -> str:
    kind = entry.get("kind")
    if kind == "batch":
        text = QCoreApplication.translate("SyncModel", "acknowledged through {seq}, {left} left").format(
            seq=count(entry.get("acked_through", 0)), left=count(entry.get("backlog", 0)))
        if entry.get("batches", 1) > 1:
            text += " " + QCoreApplication.translate("SyncModel", "({n} batches)").format(n=entry["batches"])
        return text
    if kind == "error":
        text = str(entry.get("message", ""))
        n = int(entry.get("count", 1))
        if n > 1:
            text += " " + QCoreApplication.translate("SyncModel", "(×{n} since {time})").format(
                n=n, time=fmt.clock(int(entry.get("first_ts", entry["ts"]))))
        return text
    if kind == "bulletin":
        return f"{label(PRIORITIES, entry.get('priority'))} · {entry.get('title', '')}"
    if kind == "receipt":
        pairs = entry.get("receipts") or [(entry.get("bulletin"), entry.get("status"))]
        text = ", ".join(QCoreApplication.translate("SyncModel", "bulletin {id}: {status}").format(
            id=bulletin, status=label(RECEIPTS, status)) for bulletin, status in reversed(pairs))
        if entry.get("refused"):
            text += " — " + QCoreApplication.translate("SyncModel", "refused: {why}").format(why=entry["refused"])
        return text
    return ""


MERGE_MS = 60_000  # batches (or receipts) in a row within a minute show as one line


def merged(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Batches in a row, less than a minute apart, as one entry (records and bytes summed, ``batches``
    counted); receipts in a row likewise (``receipts``: the (bulletin, status) pairs)."""
    out: list[dict[str, Any]] = []
    for e in entries:
        kind = e.get("kind")
        last = out[-1] if out else None
        if last is not None and kind == last["kind"] and kind in ("batch", "receipt") \
                and not e.get("refused") and not last.get("refused") and e["ts"] - last["ts"] < MERGE_MS:
            if kind == "batch":
                last.update(ts=e["ts"], records=last.get("records", 0) + e.get("records", 0),
                            bytes=last.get("bytes", 0) + e.get("bytes", 0), acked_through=e.get("acked_through", 0),
                            backlog=e.get("backlog", 0), batches=last.get("batches", 1) + 1)
            else:
                last["ts"] = e["ts"]
                last["receipts"].append((e.get("bulletin"), e.get("status")))
            continue
        e = dict(e)
        if kind == "receipt" and not e.get("refused"):
            e["receipts"] = [(e.get("bulletin"), e.get("status"))]
        out.append(e)
    return out


def history_rows(entries: list[dict[str, Any]]) -> list[HistoryRow]:
    """The worker's history (oldest first), merged, newest first."""
    rows = []
    for e in reversed(merged(entries)):
        kind = str(e.get("kind", ""))
        rows.append(HistoryRow(int(e["ts"]), kind, e.get("records") if kind == "batch" else None,
                               e.get("bytes") if kind == "batch" else None, history_detail(e),
                               kind == "error" or bool(e.get("refused"))))
    return rows


# -- the inbox ----------------------------------------------------------------------------------------

@dataclass
class InboxData:
    """One read of the inbox: the bulletins (action needed first, then newest), their receipts, the
    names of their target units, their audio (path, ms) and, for those awaiting confirmation, how many
    clusters they would reach."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    receipts: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    audio: dict[int, tuple[Path, int]] = field(default_factory=dict)
    devices: dict[int, int | None] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for b in self.rows:
            out[b["state"]] = out.get(b["state"], 0) + 1
        return out

    def confirming(self) -> list[dict[str, Any]]:
        """Emergency bulletins waiting for their one click, highest first."""
        return [b for b in self.rows if b["state"] == "confirm"]


def sort_key(b: dict[str, Any]) -> tuple:
    """Awaiting confirmation, then waiting, then the rest; higher priority first; newest first."""
    rank = {"confirm": 0, "received": 1, "waiting": 1}.get(b["state"], 2)
    return rank, PRIORITY_RANK.get(b["priority"], 3) if rank < 2 else 0, -b["id"]


def read_inbox(inbox) -> InboxData:
    """On a worker: everything the inbox view shows."""
    rows = sorted(inbox.list(), key=sort_key)
    data = InboxData(rows=rows)
    data.receipts = inbox.receipts([b["id"] for b in rows])
    data.units = inbox.unit_names({code for b in rows for code in b["targets"]})
    library = inbox.library
    for b in rows:
        if b["item_id"] is not None and library is not None:
            try:
                item = library.get(b["item_id"])
            except Exception as e:  # noqa: BLE001 - removed from the library meanwhile: no preview
                log.info("bulletin %d: its audio is not in the library: %s", b["id"], e)
                continue
            path = library.store.path(item.source_sha256)
            if path is not None:
                data.audio[b["id"]] = (path, item.duration_ms or 0)
        if b["state"] in ("confirm", "waiting") and b["priority"] == "emergency":
            try:
                data.devices[b["id"]] = inbox.devices_for(b)
            except Exception:  # noqa: BLE001 - an unknown unit: said when confirming
                data.devices[b["id"]] = None
    return data


def targets_text(codes: list[str], units: dict[str, str]) -> str:
    if not codes:
        return QCoreApplication.translate("SyncModel", "The whole station")
    return ", ".join(f"{units[c]} ({c})" if c in units else c for c in codes)


def receipts_text(receipts: list[dict[str, Any]], now_ms: int | None = None) -> str:
    """"received 12:03 ✓, rejected 12:10 (not sent yet)"."""
    parts = []
    for r in receipts:
        text = f"{label(RECEIPTS, r['status'])} {clock(r['ts'], now_ms)}"
        text += " ✓" if r["sent_at"] is not None else " " + QCoreApplication.translate("SyncModel", "(not sent yet)")
        parts.append(text)
    return ", ".join(parts) or "—"


def _note_pattern(template: str) -> re.Pattern:
    """``"Scheduled at {when} (...)"`` -> a regular expression with a named group per field."""
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.*?)" for i, p in enumerate(parts)) + "$",
                      re.DOTALL)


_NOTE_PATTERNS = [(template, _note_pattern(template)) for template in NOTES.values()]


def note_text(note: str) -> str:
    """A bulletin's note in the window's language when the inbox wrote it (console/sync/inbox.py,
    NOTES); an operator's note, or the province's, as it is."""
    for template, pattern in _NOTE_PATTERNS:
        if m := pattern.match(note or ""):
            return QCoreApplication.translate("InboxNote", template).format(**m.groupdict())
    return note or ""
