"""The report as an Excel workbook (openpyxl): a summary sheet, then one sheet per section with its
table, its total row and, for broadcast hours by category and availability by commune, a native
Excel bar chart. Cells hold numbers (rounded as in the PDF), formatted by Excel in the reader's locale.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from console.report import fmt
from console.report import labels as L
from console.report.compute import Label, Report, Section

NUMBER_FORMATS = {"int": "#,##0", "hours": "#,##0.0", "pct": "0.0", "minutes": "#,##0.0"}
HEAD_FILL = PatternFill("solid", fgColor="DCE6F1")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
FIRST_ROW = 4  # of a section's table: title, period, blank line above it


def sheet_name(text: str, taken: set[str]) -> str:
    """At most 31 characters, none of []:*?/\\ , unique in the workbook."""
    base = re.sub(r"[\[\]:*?/\\]", "-", text)[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        name = f"{base[:28]} {n}"
        n += 1
    taken.add(name.lower())
    return name


def write_xlsx(report: Report, path: str | Path, lang: str, tr: L.Translate,
               progress: Callable[[float], None] | None = None) -> Path:
    path = Path(path)
    wb = Workbook()
    taken: set[str] = set()
    date_format = "dd/mm/yyyy hh:mm" if lang == "vi" else "yyyy-mm-dd hh:mm"
    for i, section in enumerate(report.sections):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = sheet_name(tr(section.sheet), taken)
        ws.cell(1, 1, fmt.title(report, tr) if i == 0 else tr(section.title)).font = Font(bold=True, size=14)
        ws.cell(2, 1, fmt.period_label(report.period, tr) + " · " + fmt.period_dates(report.period, tr, lang))
        first = FIRST_ROW
        if i == 0:  # the summary sheet also says what the report covers
            for j, (label, value) in enumerate(fmt.header(report, tr, lang)):
                ws.cell(4 + j, 1, label).font = Font(bold=True)
                ws.cell(4 + j, 2, value)
            first = 4 + len(fmt.header(report, tr, lang)) + 1
        last = _table(ws, section, first, tr, date_format, report.tz)
        if section.note:
            ws.cell(last + 2, 1, tr(section.note)).font = Font(italic=True)
        if section.chart and section.rows:
            _chart(ws, section, first, tr)
        if progress is not None:
            progress((i + 1) / len(report.sections))
    wb.save(path)
    return path


def _table(ws, section: Section, first: int, tr: L.Translate, date_format: str, tz: str) -> int:
    """The header, rows and total row from row ``first``; returns the last row written."""
    widths = []
    for c, col in enumerate(section.columns, start=1):
        cell = ws.cell(first, c, tr(col.label))
        cell.font, cell.fill = Font(bold=True), HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        widths.append(min(max(len(cell.value) + 2, 10), 18))
    r = first
    if not section.rows:
        ws.cell(first + 1, 1, tr(L.NO_DATA)).font = Font(italic=True)
        return first + 1
    for row in section.table():
        r += 1
        for c, col in enumerate(section.columns, start=1):
            value = row.get(col.key)
            kind = section.kind_of(row, col)
            if isinstance(value, Label):
                value = tr(value)
            elif kind == "datetime" and isinstance(value, int):
                value = fmt.local_time(value, tz)
            cell = ws.cell(r, c, value)
            if kind == "datetime":
                cell.number_format = date_format
            elif kind in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[kind]
            if row.get("_total"):
                cell.font, cell.fill = Font(bold=True), TOTAL_FILL
            if isinstance(value, str) and not row.get("_total"):
                widths[c - 1] = max(widths[c - 1], min(len(value) + 2, 48))
            elif kind == "datetime":
                widths[c - 1] = max(widths[c - 1], 17)
    if section.total is not None and section.lead > 1:
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=section.lead)
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = ws.cell(first + 1, 1)
    return r


def _chart(ws, section: Section, first: int, tr: L.Translate) -> None:
    keys = [c.key for c in section.columns]
    label_col, value_col = (keys.index(k) + 1 for k in section.chart)
    n = len(section.rows)
    chart = BarChart()
    chart.type = "bar"  # horizontal bars: long names stay readable
    chart.style = 10
    chart.title = tr(L.CHARTS.get(section.key, section.title))
    chart.legend = None
    chart.x_axis.delete = chart.y_axis.delete = False  # else recent Excel hides both axes
    chart.y_axis.title = tr(section.columns[value_col - 1].label)
    chart.x_axis.scaling.orientation = "maxMin"  # the first row on top, as in the table
    data = Reference(ws, min_col=value_col, min_row=first, max_row=first + n)
    cats = Reference(ws, min_col=label_col, min_row=first + 1, max_row=first + n)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    chart.width, chart.height = 18, max(7.5, min(0.55 * n + 3, 60))
    ws.add_chart(chart, ws.cell(first, len(keys) + 2).coordinate)
