"""Plain data of scheduling, shared by the service, the dispatcher, the UI and the CLI (docs/scheduling.md).

No database, MQTT or Qt here: these are immutable values that the pure modules (rules, conflicts,
compile) compute on and the service stores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

PRIORITIES = ("normal", "priority")  # scheduled levels (TT39); live and emergency are issue #5
PRIO_RANK = {"normal": 0, "priority": 1, "live": 2, "emergency": 3}
STATES = ("draft", "submitted", "approved", "rejected", "archived")
PART_KINDS = ("media", "stream", "gap")
DEFAULT_TZ = "Asia/Ho_Chi_Minh"

PartKind = Literal["media", "stream", "gap"]


@dataclass(frozen=True)
class Part:
    """One element of a programme. ``dur_ms`` of a media part is its rendered duration (filled in by
    the service from the library); a stream or a gap declares its own."""

    kind: PartKind
    dur_ms: int = 0
    item_id: int | None = None  # media
    url: str | None = None  # stream
    title: str = ""

    def as_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind}
        if self.kind == "media":
            d["item_id"] = self.item_id
        else:
            d["dur_ms"] = self.dur_ms
        if self.kind == "stream":
            d["url"] = self.url
        if self.title:
            d["title"] = self.title
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Part:
        return cls(kind=d["kind"], dur_ms=int(d.get("dur_ms", 0)), item_id=d.get("item_id"), url=d.get("url"),
                   title=d.get("title", ""))


@dataclass(frozen=True)
class Targets:
    groups: tuple[str, ...] = ()
    units: tuple[str, ...] = ()  # administrative unit codes (any level)
    devices: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.groups or self.units or self.devices)

    def as_json(self) -> dict[str, list[str]]:
        return {"groups": list(self.groups), "units": list(self.units), "devices": list(self.devices)}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Targets:
        return cls(tuple(d.get("groups", ())), tuple(d.get("units", ())), tuple(d.get("devices", ())))


@dataclass(frozen=True)
class Occurrence:
    """One airing of a schedule: its whole programme from ``start`` to ``end`` on ``devices``."""

    schedule_id: int
    title: str
    start: datetime  # aware
    end: datetime  # aware
    prio: str
    devices: frozenset[str] = field(default_factory=frozenset, compare=False, hash=False)


@dataclass(frozen=True)
class Conflict:
    """Two same-priority occurrences that overlap on shared devices."""

    a: Occurrence
    b: Occurrence
    devices: tuple[str, ...]  # sorted
    start: datetime  # the overlap
    end: datetime

    def as_json(self) -> dict[str, Any]:
        return {"a": {"schedule": self.a.schedule_id, "title": self.a.title, "start": self.a.start.isoformat(),
                      "end": self.a.end.isoformat()},
                "b": {"schedule": self.b.schedule_id, "title": self.b.title, "start": self.b.start.isoformat(),
                      "end": self.b.end.isoformat()},
                "start": self.start.isoformat(), "end": self.end.isoformat(), "devices": list(self.devices)}
