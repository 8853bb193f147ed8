"""Availability (per device, commune and group) and "what to fix first", with CSV/XLSX export.

Availability is online time over watched time (``monitor_device_days``): the hours the console was
not running count neither way. "What to fix first" orders the offline devices by impact, the people
they serve times the hours they have been down, grouped by commune; people served come from
``people_served`` (a device's own figure, else its unit's figure shared by the unit's devices,
else a default per device).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from console.monitor.rollup import upsert
from console.settings import QT_TRANSLATE_NOOP
from console.store.models import PEOPLE_SCOPES, PeopleServed

DEFAULT_PEOPLE = 1000  # people served by one cluster when nothing else is known
NO_UNIT = ""


def percent(online_s: float, observed_s: float) -> float | None:
    return 100.0 * online_s / observed_s if observed_s > 0 else None


def availability_by(totals: Mapping[str, tuple[float, float]], devices: Iterable, kind: str,
                    group_names: Mapping[str, str] | None = None) -> list[dict]:
    """Availability of each unit (``kind="unit"``) or group (``kind="group"``, named by ``group_names``)
    of adopted devices: the online time of its devices over their watched time. Rows ``{key, name,
    devices, online_s, observed_s, availability}``, worst first (units never watched last)."""
    if kind not in ("unit", "group"):
        raise ValueError(f"availability by unit or group, not {kind!r}")
    acc: dict[str, dict] = {}
    for d in devices:
        if not d.adopted:
            continue
        keys = ([(d.unit_code, d.unit_name)] if kind == "unit"
                else [(g, (group_names or {}).get(g, g)) for g in d.groups])
        on, obs = totals.get(d.id, (0.0, 0.0))
        for key, name in keys:
            row = acc.setdefault(key, {"key": key, "name": name, "devices": 0, "online_s": 0.0, "observed_s": 0.0})
            row["devices"] += 1
            row["online_s"] += on
            row["observed_s"] += obs
    rows = list(acc.values())
    for row in rows:
        row["availability"] = percent(row["online_s"], row["observed_s"])
    rows.sort(key=lambda r: (r["availability"] is None, r["availability"] or 0.0, r["key"]))
    return rows


# -- people served ---------------------------------------------------------------------------------

def people_overrides(session: Session) -> dict[tuple[str, str], int]:
    return {(r.scope, r.ref): r.people for r in session.scalars(select(PeopleServed))}


def set_people(session: Session, scope: str, ref: str, people: int | None) -> None:
    """Set (or with ``None`` remove) the people served by a device (``scope="device"``, its id) or by
    the devices of a unit together (``scope="unit"``, its code)."""
    if scope not in PEOPLE_SCOPES:
        raise ValueError(f"scope must be one of {', '.join(PEOPLE_SCOPES)}, not {scope!r}")
    if people is None:
        session.execute(delete(PeopleServed).where(PeopleServed.scope == scope, PeopleServed.ref == ref))
    elif people < 0:
        raise ValueError("people served cannot be negative")
    else:
        upsert(session, PeopleServed.__table__, [{"scope": scope, "ref": ref, "people": int(people)}],
               ("scope", "ref"))


def people_served(devices: Iterable, overrides: Mapping[tuple[str, str], int],
                  default: int = DEFAULT_PEOPLE) -> dict[str, float]:
    """People served per adopted device: its own figure, else its unit's figure divided among the
    unit's adopted devices that have no figure of their own, else ``default``."""
    adopted = [d for d in devices if d.adopted]
    sharing: dict[str, int] = {}
    for d in adopted:
        if ("device", d.id) not in overrides:
            sharing[d.unit_code] = sharing.get(d.unit_code, 0) + 1
    out = {}
    for d in adopted:
        own = overrides.get(("device", d.id))
        unit = overrides.get(("unit", d.unit_code)) if d.unit_code else None
        out[d.id] = float(own if own is not None else unit / sharing[d.unit_code] if unit is not None else default)
    return out


# -- what to fix first ----------------------------------------------------------------------------

def fix_first(devices: Iterable, served: Mapping[str, float], now: int,
              alarms: Mapping[str, list[str]] | None = None) -> list[dict]:
    """Offline adopted devices grouped by commune, communes and devices by impact (people served x
    hours down), highest first. Each group: ``{unit, unit_name, impact, people, devices: [...]}``."""
    alarms = alarms or {}
    groups: dict[str, dict] = {}
    for d in devices:
        if not d.adopted or d.state != "offline":
            continue
        hours = max(0.0, (now - d.state_since_ms) / 3_600_000)
        people = served.get(d.id, DEFAULT_PEOPLE)
        row = {"device": d.id, "name": d.name, "unit": d.unit_code or NO_UNIT, "unit_name": d.unit_name,
               "lat": d.lat, "lon": d.lon, "down_since": d.state_since_ms, "down_h": hours, "people": people,
               "impact": people * hours, "reason": d.offline_reason or "", "faults": sorted(d.faults),
               "alarms": list(alarms.get(d.id, ())), "last_seen": d.last_seen_ms or None}
        g = groups.setdefault(row["unit"], {"unit": row["unit"], "unit_name": d.unit_name, "impact": 0.0,
                                            "people": 0.0, "devices": []})
        g["impact"] += row["impact"]
        g["people"] += people
        g["devices"].append(row)
    out = sorted(groups.values(), key=lambda g: (-g["impact"], g["unit"]))
    for g in out:
        g["devices"].sort(key=lambda r: (-r["impact"], r["device"]))
    return out


# Columns of the export: key, label (translated by the UI's "Monitor" context when it passes a
# translate function).
COLUMNS = (
    ("rank", QT_TRANSLATE_NOOP("Monitor", "Rank")),
    ("unit_name", QT_TRANSLATE_NOOP("Monitor", "Commune")),
    ("unit", QT_TRANSLATE_NOOP("Monitor", "Commune code")),
    ("device", QT_TRANSLATE_NOOP("Monitor", "Device")),
    ("name", QT_TRANSLATE_NOOP("Monitor", "Name")),
    ("down_since", QT_TRANSLATE_NOOP("Monitor", "Offline since")),
    ("down_h", QT_TRANSLATE_NOOP("Monitor", "Hours down")),
    ("people", QT_TRANSLATE_NOOP("Monitor", "People served")),
    ("impact", QT_TRANSLATE_NOOP("Monitor", "Impact (people x hours)")),
    ("reason", QT_TRANSLATE_NOOP("Monitor", "Reason")),
    ("alarms", QT_TRANSLATE_NOOP("Monitor", "Alarms")),
    ("lat", QT_TRANSLATE_NOOP("Monitor", "Latitude")),
    ("lon", QT_TRANSLATE_NOOP("Monitor", "Longitude")),
)


def fix_first_rows(groups: list[dict], tz: str,
                   describe: Callable[[str, str], str] = lambda _kind, code: code) -> list[dict[str, Any]]:
    """The devices of :func:`fix_first` in order, one flat row each, ready to export: ``down_since``
    as a local time, numbers rounded for reading, codes in words by ``describe(kind, code)`` (kind:
    ``"reason"``, ``"alarm"`` or ``"fault"``; the UI passes its translated labels)."""
    zone = ZoneInfo(tz)
    rows = []
    for g in groups:
        for r in g["devices"]:
            since = datetime.fromtimestamp(r["down_since"] / 1000, zone).replace(tzinfo=None, microsecond=0)
            rows.append({**r, "rank": len(rows) + 1, "down_since": since, "down_h": round(r["down_h"], 1),
                         "people": round(r["people"]), "impact": round(r["impact"]),
                         "reason": describe("reason", r["reason"]) if r["reason"] else "",
                         "alarms": ", ".join([describe("alarm", a) for a in r["alarms"]]
                                             or [describe("fault", f) for f in r["faults"]])})
    return rows


def export_rows(rows: list[dict[str, Any]], path: str | Path, fmt: str | None = None,
                translate: Callable[[str], str] = lambda s: s, title: str = "Fix first") -> Path:
    """Write rows (of :func:`fix_first_rows`) as CSV (UTF-8 with BOM, which Excel opens correctly)
    or XLSX, chosen by ``fmt`` or the file's extension."""
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    header = [translate(label) for _, label in COLUMNS]
    keys = [k for k, _ in COLUMNS]
    if fmt == "csv":
        with path.open("w", newline="", encoding="utf-8-sig") as f:
            out = csv.writer(f)
            out.writerow(header)
            for r in rows:
                out.writerow(["" if r[k] is None else r[k].isoformat(sep=" ") if isinstance(r[k], datetime)
                              else r[k] for k in keys])
    elif fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        wb = Workbook()
        ws = wb.active
        ws.title = title[:31]
        ws.append(header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        since = keys.index("down_since") + 1
        for r in rows:
            ws.append([r[k] for k in keys])
            ws.cell(ws.max_row, since).number_format = "yyyy-mm-dd hh:mm"
        for i, h in enumerate(header, start=1):
            ws.column_dimensions[ws.cell(1, i).column_letter].width = max(12, min(40, len(h) + 2))
        ws.freeze_panes = "A2"
        wb.save(path)
    else:
        raise ValueError(f"export as csv or xlsx, not {fmt!r}")
    return path
