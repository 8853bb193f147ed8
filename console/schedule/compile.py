"""Compiling schedules for the devices: programme layout, occurrence item ids, the ``sched`` document
and its hash, and the names of implicit groups (docs/scheduling.md).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from console.fleet.topics import check_id
from console.schedule.model import Part

SCHED_VERSION = 1
_MAX_PLAIN_DEVICE_ID = 62  # "d-" + id fits the protocol's 64 characters


@dataclass(frozen=True)
class MediaRef:
    """The distribution file of a media part, as devices fetch it."""

    sha256: str
    url: str
    bytes: int
    codec: str
    dur_ms: int


def layout(parts: Iterable[Part]) -> list[tuple[int, Part]]:
    """Each part with its offset (ms) from the occurrence start, laid end to end; gaps take time too."""
    out, offset = [], 0
    for part in parts:
        out.append((offset, part))
        offset += part.dur_ms
    return out


def programme_ms(parts: Iterable[Part]) -> int:
    return sum(part.dur_ms for part in parts)


def item_id(schedule_id: int, local_start: datetime, index: int) -> str:
    """``s{schedule}.{YYYYMMDDTHHMMSS}.{index}``: ``local_start`` is the occurrence start in the schedule's
    zone, ``index`` the part's position in the programme (gaps count)."""
    return f"s{schedule_id}.{local_start:%Y%m%dT%H%M%S}.{index}"


def occurrence_items(schedule_id: int, start: datetime, parts: Iterable[Part], prio: str,
                     media: Mapping[int, MediaRef], vol: int | None = None) -> list[dict[str, Any]]:
    """The ``sched`` items of one occurrence starting at ``start`` (aware, in the schedule's zone): one per
    media or stream part; a media part lasts what its distribution file lasts."""
    parts = [replace(p, dur_ms=media[p.item_id].dur_ms) if p.kind == "media" else p for p in parts]
    utc = start.astimezone(UTC)
    items = []
    for index, (offset, part) in enumerate(layout(parts)):
        if part.kind == "gap":
            continue
        item: dict[str, Any] = {
            "id": item_id(schedule_id, start, index),
            "start": (utc + timedelta(milliseconds=offset)).astimezone(start.tzinfo).isoformat(),
            "dur_ms": part.dur_ms, "prio": prio, "kind": part.kind}
        if part.kind == "media":
            ref = media[part.item_id]
            item["media"] = {"sha256": ref.sha256, "url": ref.url, "bytes": ref.bytes, "codec": ref.codec}
        else:
            item["stream"] = {"url": part.url}
        if vol is not None:
            item["vol"] = vol
        items.append(item)
    return items


def _ordered(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda it: (datetime.fromisoformat(it["start"]), it["id"]))


def items_hash(tz: str, items: Iterable[dict[str, Any]]) -> str:
    """sha256 (hex) of the canonical JSON (sorted keys, no whitespace) of ``tz`` and the items in document
    order; ``rev`` and the window are not part of it, so rolling the window without a change keeps it."""
    canonical = json.dumps({"tz": tz, "items": _ordered(items)}, sort_keys=True, separators=(",", ":"),
                           ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def sched_document(items: Iterable[dict[str, Any]], window_from: datetime, window_to: datetime, tz: str,
                   rev: int) -> dict[str, Any]:
    """The retained ``sched`` document of a group: items ordered by start, then id."""
    items = _ordered(items)
    zone = ZoneInfo(tz)
    return {"v": SCHED_VERSION, "rev": rev, "hash": items_hash(tz, items), "tz": tz,
            "from": window_from.astimezone(zone).isoformat(), "to": window_to.astimezone(zone).isoformat(),
            "items": items}


def _group(prefix: str, ident: str) -> str:
    if not ident:
        raise ValueError(f"An implicit group {prefix}… needs a non-empty id.")
    return check_id(prefix + ident, "group")


def unit_group(code: str) -> str:
    """The implicit group of the devices in an administrative unit (and the units under it)."""
    return _group("u-", code)


def device_group(dev_id: str) -> str:
    """The implicit group of one device; a long id is replaced by a hash to fit 64 characters."""
    if len(dev_id) > _MAX_PLAIN_DEVICE_ID:
        dev_id = hashlib.sha1(dev_id.encode()).hexdigest()[:16]
    return _group("d-", dev_id)
