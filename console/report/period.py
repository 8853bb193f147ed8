"""Report periods: a year (``2026``), a quarter (``2026-Q4``) or a month (``2026-11``).

A period's boundaries are local midnights in the station's time zone: ``2026-11`` in
Asia/Ho_Chi_Minh runs from 2026-11-01 00:00 +07:00 up to, not including, 2026-12-01 00:00 +07:00.
No Qt here; labels are English sources marked for translation (``console/report/labels.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

KINDS = ("year", "quarter", "month")
ROMAN = ("I", "II", "III", "IV")
_FORMS = (
    (re.compile(r"(\d{4})"), "year"),
    (re.compile(r"(\d{4})-[Qq]([1-4])"), "quarter"),
    (re.compile(r"(\d{4})-(\d{1,2})"), "month"),
)


class PeriodError(ValueError):
    """A period that cannot be read; the message is one line for the user."""


@dataclass(frozen=True, order=True)
class Period:
    kind: str  # "year", "quarter" or "month"
    year: int
    index: int = 0  # the quarter (1-4) or the month (1-12); 0 for a year

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise PeriodError(f"a period is a year, a quarter or a month, not {self.kind!r}")
        if not 1970 <= self.year <= 9998:
            raise PeriodError(f"year {self.year} is out of range")
        top = {"year": 0, "quarter": 4, "month": 12}[self.kind]
        if (self.kind == "year" and self.index != 0) or (self.kind != "year" and not 1 <= self.index <= top):
            raise PeriodError(f"there is no {self.kind} {self.index}")

    @property
    def text(self) -> str:
        """The form the command line takes: ``2026``, ``2026-Q4``, ``2026-11``."""
        if self.kind == "year":
            return f"{self.year}"
        return f"{self.year}-Q{self.index}" if self.kind == "quarter" else f"{self.year}-{self.index:02d}"

    @property
    def first_day(self) -> date:
        month = 1 if self.kind == "year" else 3 * self.index - 2 if self.kind == "quarter" else self.index
        return date(self.year, month, 1)

    @property
    def next_day(self) -> date:
        """The first day after the period."""
        months = {"year": 12, "quarter": 3, "month": 1}[self.kind]
        first = self.first_day
        total = first.month - 1 + months
        return date(first.year + total // 12, total % 12 + 1, 1)

    @property
    def last_day(self) -> date:
        return date.fromordinal(self.next_day.toordinal() - 1)

    def bounds(self, tz: str) -> tuple[int, int]:
        """[start, end) in UTC epoch ms: the local midnights that open and close the period in ``tz``."""
        zone = zone_of(tz)
        start = datetime.combine(self.first_day, time(0), zone)
        end = datetime.combine(self.next_day, time(0), zone)
        return int(start.timestamp() * 1000), int(end.timestamp() * 1000)

    def previous(self) -> Period:
        if self.kind == "year":
            return Period("year", self.year - 1)
        top = 4 if self.kind == "quarter" else 12
        return Period(self.kind, self.year - 1, top) if self.index == 1 else Period(self.kind, self.year, self.index - 1)


def zone_of(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise PeriodError(f"unknown time zone {tz!r}") from None


def parse_period(text: str) -> Period:
    """``2026`` (a year), ``2026-Q4`` (a quarter) or ``2026-11`` (a month)."""
    value = (text or "").strip()
    for pattern, kind in _FORMS:
        m = pattern.fullmatch(value)
        if m:
            year = int(m[1])
            index = 0 if kind == "year" else int(m[2])
            if kind == "month" and not 1 <= index <= 12:
                break
            return Period(kind, year, index)
    raise PeriodError(f"bad period {text!r}: give a year (2026), a quarter (2026-Q4) or a month (2026-11)")


def current(kind: str, today: date) -> Period:
    """The period of ``kind`` that contains ``today``."""
    if kind == "year":
        return Period("year", today.year)
    if kind == "quarter":
        return Period("quarter", today.year, (today.month - 1) // 3 + 1)
    return Period("month", today.year, today.month)
