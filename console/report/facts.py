"""The facts a report is computed from, the same whichever database they were read from.

A station's database and the provincial collector's hold the same facts in different tables (the
collector has only what the stations sent: the records of docs/province-api.md). The sources
(``console/report/sources.py``) read either into :class:`Facts`; :func:`console.report.compute.compute`
knows nothing of databases. Every fact carries its station, so one report covers one station or many.
The receipts, the one fact that runs to millions (a province's year), are not kept: the sources feed
them to :class:`~console.report.compute.Airtime` as they read them. Times are UTC epoch ms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from console.report.period import Period

if TYPE_CHECKING:
    from console.report.compute import Airtime


@dataclass(frozen=True)
class DeviceFact:
    """A device in the station's registry (the collector: its newest inventory record)."""

    station: str
    id: str
    name: str = ""
    unit_code: str = ""
    unit_name: str = ""
    groups: tuple[str, ...] = ()
    adopted: bool = True


@dataclass(frozen=True)
class ScheduleFact:
    """A schedule's priority and its programme: per part, (kind, library item id or None)."""

    priority: str
    parts: tuple[tuple[str, int | None], ...]


@dataclass(frozen=True, slots=True)
class ReceiptFact:
    """As-run: what happened to one part (or one live or emergency session) on one device."""

    station: str
    item: str
    device: str
    schedule: int | None
    start: int
    dur_ms: int
    status: str  # played, partial, missed, failed
    played_ms: int


@dataclass(frozen=True)
class AlarmFact:
    station: str
    id: int
    device: str
    rule: str
    raised_at: int
    resolved_at: int | None


@dataclass(frozen=True)
class BulletinFact:
    """A bulletin from the province and what became of it: played, scheduled, pending (received,
    waiting for the operator), rejected, or undelivered (the collector has no receipt for it)."""

    station: str
    id: int
    priority: str
    issued_at: int
    outcome: str


@dataclass
class Facts:
    scope: str  # "station" or "province"
    period: Period
    tz: str
    start: int  # the period, [start, end)
    end: int
    now: int  # when the facts were read: a period not over yet is counted up to here
    stations: dict[str, str] = field(default_factory=dict)  # id -> name
    devices: list[DeviceFact] = field(default_factory=list)
    group_names: dict[tuple[str, str], str] = field(default_factory=dict)  # (station, group) -> name
    schedules: dict[tuple[str, int], ScheduleFact] = field(default_factory=dict)  # (station, schedule id)
    categories: dict[tuple[str, int], str] = field(default_factory=dict)  # (station, library item id)
    airtime: Airtime | None = None  # the receipts planned in the period, tallied as they are read
    presence_before: dict[tuple[str, str], bool] = field(default_factory=dict)  # online at the start?
    presence: dict[tuple[str, str], list[tuple[int, bool]]] = field(default_factory=dict)  # changes in it
    alarms: list[AlarmFact] = field(default_factory=list)  # raised in the period
    bulletins: list[BulletinFact] = field(default_factory=list)  # issued in the period

    @property
    def until(self) -> int:
        """The end of what is counted: the period's end, or now if it is not over."""
        return min(self.end, max(self.start, self.now))
