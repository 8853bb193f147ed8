"""Cell values as text in the report's language: the PDF prints these, and the tests format the XLSX
cells with them to check that both files agree. No Qt.

Vietnamese writes 1.234,5 and dates as 31/12/2026; English 1,234.5 and 2026-12-31.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from console.report import labels as L
from console.report.compute import Label, station_label
from console.report.period import ROMAN, Period, zone_of

DECIMALS = {"int": 0, "hours": 1, "pct": 1, "minutes": 1}
MISSING = "–"  # no value (nothing watched, nothing repaired)


def number(value: float, decimals: int, lang: str) -> str:
    text = f"{value:,.{decimals}f}"
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def day(d: date, lang: str) -> str:
    return f"{d:%d/%m/%Y}" if lang == "vi" else d.isoformat()


def local_time(ms: int, tz: str) -> datetime:
    """Epoch ms as the station's wall-clock time (naive: what a spreadsheet shows)."""
    return datetime.fromtimestamp(ms / 1000, zone_of(tz)).replace(tzinfo=None, microsecond=0)


def clock(value: datetime, lang: str) -> str:
    return f"{value:%d/%m/%Y %H:%M}" if lang == "vi" else f"{value:%Y-%m-%d %H:%M}"


def cell(value: Any, kind: str, lang: str, tr: L.Translate, tz: str) -> str:
    """A cell as the PDF prints it: ``value`` of a column of ``kind`` (compute.KINDS)."""
    if value is None:
        return MISSING
    if isinstance(value, Label):
        return tr(value)
    if kind == "datetime":
        return clock(value if isinstance(value, datetime) else local_time(value, tz), lang)
    if kind in DECIMALS and isinstance(value, (int, float)):
        return number(value, DECIMALS[kind], lang)
    return str(value)


def period_label(period: Period, tr: L.Translate) -> str:
    if period.kind == "year":
        return tr(L.YEAR).format(year=period.year)
    if period.kind == "quarter":
        return tr(L.QUARTER).format(roman=ROMAN[period.index - 1], year=period.year, quarter=period.index)
    return tr(L.MONTH).format(month_name=tr(L.MONTHS[period.index - 1]), month=period.index, year=period.year)


def period_dates(period: Period, tr: L.Translate, lang: str) -> str:
    return tr(L.DATES).format(start=day(period.first_day, lang), end=day(period.last_day, lang))


def header(report, tr: L.Translate, lang: str) -> list[tuple[str, str]]:
    """The lines under the title: (label, value), the same in both files."""
    names = [station_label(sid, n) for sid, n in sorted(report.stations.items())]
    lines = [(tr(L.STATION_LIST if report.scope == "province" else L.STATION), ", ".join(names) or MISSING),
             (tr(L.PERIOD), f"{period_label(report.period, tr)} ({period_dates(report.period, tr, lang)})"),
             (tr(L.TIME_ZONE), report.tz),
             (tr(L.SOURCE), tr(L.SOURCE_PROVINCE if report.scope == "province" else L.SOURCE_STATION)),
             (tr(L.GENERATED), clock(local_time(report.now, report.tz), lang))]
    if not report.over:
        lines.append(("", tr(L.NOT_OVER).format(time=clock(local_time(report.now, report.tz), lang))))
    return lines


def title(report, tr: L.Translate) -> str:
    return tr(L.TITLE_PROVINCE if report.scope == "province" else L.TITLE_STATION)
