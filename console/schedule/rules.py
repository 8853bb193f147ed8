"""When a schedule airs: a start, an optional RFC 5545 recurrence, an end and exception dates
(docs/scheduling.md, "Times").

Expansion runs on naive wall-clock datetimes with ``dateutil.rrule`` and attaches the rule's zone
afterwards, so a 05:30 programme stays at 05:30 local across a DST change. A wall time that does not
exist (in a spring-forward gap) is read with the offset before the gap, as RFC 5545 says (02:30 becomes
03:30); a repeated wall time (fall-back) airs once, at its first instance.

Guards against expansions that never end or explode:

- at most :data:`MAX_OCCURRENCES` starts are returned per call (the earliest ones);
- sub-hourly frequencies (MINUTELY, SECONDLY) are rejected, and so are BYxxx values out of range;
- daily, weekly and hourly rules without COUNT are expanded from the last whole period before the
  window instead of from their start, so a window far from the start costs what a window near it costs;
- :meth:`Rule.validate` rejects a rule without any occurrence (dateutil would search until year 9999
  for one on every call). Finding that out for an impossible combination such as ``BYMONTH=2;
  BYMONTHDAY=30`` expands the rule that far once, which takes dateutil a few seconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from itertools import islice, takewhile
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrule as _rrule
from dateutil.rrule import rrulestr

from console.schedule.model import DEFAULT_TZ

MAX_OCCURRENCES = 100_000  # per call of Rule.between() and Rule.next()

_FREQS = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY")
# Periods of a fixed length, for starting the expansion close to the window.
_PERIOD = {"WEEKLY": timedelta(weeks=1), "DAILY": timedelta(days=1), "HOURLY": timedelta(hours=1)}
# Largest absolute value of numeric BYxxx parts that dateutil does not check (always): times start at
# 0, the others at 1 (or -1 from the end).
_LIMITS = {"BYMONTH": 12, "BYMONTHDAY": 31, "BYYEARDAY": 366, "BYWEEKNO": 53,
           "BYHOUR": 23, "BYMINUTE": 59, "BYSECOND": 59}
_TIME_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND")
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Wall-clock bounds are widened by this much, then compared exactly as instants (offsets differ by hours).
_MARGIN = timedelta(days=1)
_ONCE = "FREQ=DAILY;COUNT=1"


class _Parsed(NamedTuple):
    body: str  # RRULE text for dateutil, without UNTIL
    freq: str
    interval: int
    counted: bool  # has COUNT: expansion must start at the start
    end: datetime | None  # the last possible start: the earlier of ``until`` and the text's UNTIL


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(f"Unknown time zone {tz!r}.") from None


def _aware(value: Any) -> bool:
    return isinstance(value, datetime) and value.utcoffset() is not None


def _require_aware(value: Any, what: str) -> None:
    if not _aware(value):
        raise ValueError(f"The {what} needs a date, a time and a time zone.")


def _parse_until(value: str, zone: ZoneInfo) -> datetime:
    """UNTIL of the RRULE text: UTC with ``Z``, else wall clock in the rule's zone; a date alone
    includes that whole local day."""
    m = re.fullmatch(r"(\d{8})(?:T(\d{6})(Z?))?", value)
    if not m:
        raise ValueError(f"UNTIL={value} is not a date (YYYYMMDD) or a date and time (YYYYMMDDTHHMMSS[Z]).")
    if m[2] is None:
        return datetime.combine(datetime.strptime(m[1], "%Y%m%d").date(), time.max, zone)
    return datetime.strptime(m[1] + m[2], "%Y%m%d%H%M%S").replace(tzinfo=UTC if m[3] else zone)


@dataclass(frozen=True)
class Rule:
    """When a schedule airs.

    ``start`` is the first airing (aware; its wall clock in ``tz`` is what recurs). ``rrule`` is an RFC
    5545 RRULE body without the ``RRULE:`` prefix (``FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR``), None for a
    one-off. ``until`` (aware, inclusive) is the last moment an occurrence may start. COUNT or UNTIL may
    also be part of the RRULE text (not both, per RFC 5545); when the text's UNTIL and ``until`` are
    both given, the earlier one ends the rule, and COUNT with ``until`` ends it at whichever comes
    first. ``exdates`` are local dates on which nothing airs.
    """

    start: datetime
    rrule: str | None = None
    until: datetime | None = None
    exdates: tuple[date, ...] = ()
    tz: str = DEFAULT_TZ

    def __post_init__(self) -> None:
        if self.rrule is not None and not self.rrule.strip():
            object.__setattr__(self, "rrule", None)  # a blank rule from a form: a one-off
        object.__setattr__(self, "exdates", tuple(sorted(set(self.exdates))))
        if isinstance(self.start, datetime) and self.start.microsecond:
            # Air times are whole seconds: dateutil drops microseconds, and item ids name the second.
            object.__setattr__(self, "start", self.start.replace(microsecond=0))

    # -- the UI's rule kinds --------------------------------------------------------------------

    @classmethod
    def once(cls, start: datetime, tz: str | None = None) -> Rule:
        return cls._make(start, None, None, tz)

    @classmethod
    def daily(cls, start: datetime, until: datetime | None = None, interval: int = 1, tz: str | None = None) -> Rule:
        """Every ``interval``-th day."""
        return cls._make(start, "FREQ=DAILY" + _interval(interval), until, tz)

    @classmethod
    def weekdays(cls, start: datetime, days: Iterable[int], until: datetime | None = None,
                 tz: str | None = None) -> Rule:
        """Every week on ``days`` (Monday = 0 … Sunday = 6)."""
        days = sorted(set(days))
        if not days or not all(isinstance(d, int) and 0 <= d <= 6 for d in days):
            raise ValueError("Choose at least one day of the week (Monday to Sunday).")
        return cls._make(start, "FREQ=WEEKLY;BYDAY=" + ",".join(_WEEKDAYS[d] for d in days), until, tz)

    @classmethod
    def weekly(cls, start: datetime, interval: int = 1, until: datetime | None = None, tz: str | None = None) -> Rule:
        """Every ``interval``-th week on the start's day of the week."""
        return cls._make(start, "FREQ=WEEKLY" + _interval(interval), until, tz)

    @classmethod
    def monthly(cls, start: datetime, last_day: bool = False, until: datetime | None = None,
                tz: str | None = None) -> Rule:
        """Every month on the start's day of the month (months without that day are skipped), or on
        the last day of every month."""
        return cls._make(start, "FREQ=MONTHLY" + (";BYMONTHDAY=-1" if last_day else ""), until, tz)

    @classmethod
    def _make(cls, start: datetime, rrule: str | None, until: datetime | None, tz: str | None) -> Rule:
        """A validated rule; without ``tz``, the zone of ``start`` when it is a named zone."""
        rule = cls(start, rrule, until, tz=tz or getattr(start.tzinfo, "key", None) or DEFAULT_TZ)
        rule.validate()
        return rule

    # -- checking -------------------------------------------------------------------------------

    @property
    def is_recurring(self) -> bool:
        return self.rrule is not None

    @property
    def zone(self) -> ZoneInfo:
        return _zone(self.tz)

    def validate(self) -> None:
        """Raise ValueError with a sentence for the user when the rule cannot be used."""
        _zone(self.tz)
        _require_aware(self.start, "start")
        if self.until is not None:
            _require_aware(self.until, "end")
        if not all(isinstance(d, date) and not isinstance(d, datetime) for d in self.exdates):
            raise ValueError("Exception dates are calendar days, without a time.")
        end = self._parsed.end
        if end is not None and end < self.start:
            raise ValueError("The rule ends before it starts.")
        try:
            first = next(self._iter(self.start), None)
        except (TypeError, ValueError) as e:  # dateutil finds some contradictions only when expanding
            raise ValueError(f"The recurrence rule {self.rrule!r} cannot be used ({e}).") from None
        if first is None:
            raise ValueError("The rule never airs: check its days, its end and its exception dates.")

    @cached_property
    def _parsed(self) -> _Parsed:
        if self.rrule is None:
            return _Parsed(_ONCE, "DAILY", 1, True, self.until)
        text = self.rrule.strip()
        parts: dict[str, str] = {}
        for item in text.upper().split(";"):
            key, sep, value = item.partition("=")
            if not sep:
                raise ValueError(f"{text!r} is not a recurrence rule: write KEY=VALUE parts separated by ';', "
                                 "such as FREQ=WEEKLY;BYDAY=MO,WE (without 'RRULE:').")
            parts[key.strip()] = value.strip()
        freq = parts.get("FREQ")
        if freq in ("MINUTELY", "SECONDLY"):
            raise ValueError("A programme cannot repeat every minute or every second.")
        if freq not in _FREQS:
            raise ValueError(f"The recurrence rule {text!r} needs FREQ=YEARLY, MONTHLY, WEEKLY, DAILY or HOURLY.")
        if "COUNT" in parts and "UNTIL" in parts:
            raise ValueError("A recurrence rule ends after a number of airings (COUNT) or on a date (UNTIL), not both.")
        text_end = _parse_until(parts.pop("UNTIL"), self.zone) if "UNTIL" in parts else None
        body = ";".join(f"{k}={v}" for k, v in parts.items())
        try:
            rrulestr(body, dtstart=datetime(2000, 1, 1))  # syntax
            interval = int(parts.get("INTERVAL", "1"))
            values = {k: [int(v) for v in parts[k].split(",")] for k in _LIMITS if k in parts}
        except (ValueError, TypeError) as e:
            raise ValueError(f"{text!r} is not a valid recurrence rule ({e}).") from None
        if interval < 1:
            raise ValueError("The interval of a recurrence rule is at least 1.")
        for key, numbers in values.items():
            low = 0 if key in _TIME_PARTS else 1
            if not all(low <= (v if key in _TIME_PARTS else abs(v)) <= _LIMITS[key] for v in numbers):
                raise ValueError(f"{key}={parts[key]} is out of range in the recurrence rule {text!r}.")
        ends = [e for e in (self.until, text_end) if e is not None]
        return _Parsed(body, freq, interval, "COUNT" in parts, min(ends) if ends else None)

    # -- expansion ------------------------------------------------------------------------------

    def between(self, start: datetime, end: datetime) -> list[datetime]:
        """Occurrence starts in [start, end) (aware bounds in any zone), in the rule's zone, in order;
        at most :data:`MAX_OCCURRENCES`."""
        _require_aware(end, "end of the window")
        return list(islice(takewhile(lambda t: t < end, self._iter(start)), MAX_OCCURRENCES))

    def next(self, after: datetime, n: int = 1) -> list[datetime]:
        """The next ``n`` (at most :data:`MAX_OCCURRENCES`) occurrence starts strictly after ``after``."""
        return list(islice((t for t in self._iter(after) if t > after), min(n, MAX_OCCURRENCES)))

    def _wall(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone).replace(tzinfo=None)

    def _expansion(self, lo_wall: datetime) -> _rrule:
        """The naive rule, started at its last whole period before ``lo_wall`` when the periods have a
        fixed length and nothing is counted from the start (same occurrences from there on)."""
        p = self._parsed
        dtstart = self._wall(self.start)
        period = _PERIOD.get(p.freq)
        if period is not None and not p.counted and lo_wall > dtstart:
            period *= p.interval
            dtstart += (lo_wall - dtstart) // period * period
        return rrulestr(p.body, dtstart=dtstart)

    def _iter(self, lo: datetime) -> Iterator[datetime]:
        """Aware occurrence starts at or after ``lo``, in order, with the end and exception dates applied."""
        _require_aware(lo, "start of the window")
        zone, end = self.zone, self._parsed.end
        lo_wall = self._wall(lo) - _MARGIN
        stop = None if end is None else self._wall(end) + _MARGIN
        skip = set(self.exdates)
        prev = None
        for naive in self._expansion(lo_wall).xafter(lo_wall, inc=True):
            if stop is not None and naive > stop:
                return
            if naive.date() in skip:
                continue
            t = naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)  # moves times in a gap
            if t >= lo and (end is None or t <= end) and t != prev:
                prev = t
                yield t

    # -- storage --------------------------------------------------------------------------------

    def as_json(self) -> dict[str, Any]:
        zone = self.zone
        return {"start": self.start.astimezone(zone).isoformat(), "rrule": self.rrule,
                "until": None if self.until is None else self.until.astimezone(zone).isoformat(),
                "exdates": [d.isoformat() for d in self.exdates], "tz": self.tz}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Rule:
        """The inverse of :meth:`as_json`; a time without an offset is wall clock in the rule's zone."""
        tz = d.get("tz") or DEFAULT_TZ
        zone = _zone(tz)

        def moment(s: str | None) -> datetime | None:
            if s is None:
                return None
            t = datetime.fromisoformat(s)
            return t.replace(tzinfo=zone) if t.tzinfo is None else t.astimezone(zone)

        return cls(moment(d["start"]), d.get("rrule"), moment(d.get("until")),
                   tuple(date.fromisoformat(x) for x in d.get("exdates", ())), tz)


def _interval(n: int) -> str:
    return "" if n == 1 else f";INTERVAL={n}"
