"""The report as a PDF (ReportLab): A4, a first page with what the report covers, the summary and two
charts, then one table per section (headers repeated on every page, the total row in bold), page
numbers in the footer. Text is set in Noto Sans, shipped in ``resources/fonts`` (SIL OFL), so the
Vietnamese renders the same on every machine, with or without fonts installed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from console.report import fmt
from console.report import labels as L
from console.report.compute import Report, Section

FONT_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"
FONT, BOLD = "NotoSans", "NotoSans-Bold"
PAGE = A4
MARGIN = 15 * mm
WIDTH = PAGE[0] - 2 * MARGIN
CHART_ROWS = 20  # bars at most in a chart (the lowest availability first)
HEAD = colors.HexColor("#DCE6F1")
TOTAL = colors.HexColor("#EDEDED")
ZEBRA = colors.HexColor("#F7F9FC")
BAR = colors.HexColor("#2F6DB5")
BAR_LOW = colors.HexColor("#C0392B")
GRID = colors.HexColor("#9AA5B1")


def register_fonts(directory: Path = FONT_DIR) -> None:
    """Noto Sans regular and bold, once per process."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(FONT, str(directory / "NotoSans-Regular.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(directory / "NotoSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=11.5)
    return {
        "title": ParagraphStyle("title", base, fontName=BOLD, fontSize=15, leading=19, spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=11, leading=14, spaceAfter=8),
        "h": ParagraphStyle("h", base, fontName=BOLD, fontSize=11.5, leading=14, spaceBefore=10, spaceAfter=5,
                            keepWithNext=1),
        "body": base,
        "note": ParagraphStyle("note", base, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#555555"),
                               spaceBefore=3),
        "cell": ParagraphStyle("cell", base, fontSize=8, leading=9.8),
        "cell_num": ParagraphStyle("cell_num", base, fontSize=8, leading=9.8, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", base, fontName=BOLD, fontSize=7.5, leading=9.2),
        "head_num": ParagraphStyle("head_num", base, fontName=BOLD, fontSize=7.5, leading=9.2, alignment=TA_RIGHT),
    }


def write_pdf(report: Report, path: str | Path, lang: str, tr: L.Translate,
              progress: Callable[[float], None] | None = None) -> Path:
    register_fonts()
    path = Path(path)
    st = _styles()
    title = fmt.title(report, tr)
    period = fmt.period_label(report.period, tr)
    story: list[Flowable] = [Paragraph(escape(title.upper() if lang == "vi" else title), st["title"]),
                             Paragraph(escape(f"{period} · {fmt.period_dates(report.period, tr, lang)}"),
                                       st["subtitle"])]
    lines = [[Paragraph(f"<b>{escape(k)}</b>", st["cell"]), Paragraph(escape(v), st["cell"])]
             for k, v in fmt.header(report, tr, lang) if k != tr(L.PERIOD)]  # the period is the subtitle
    info = Table(lines, colWidths=[38 * mm, WIDTH - 38 * mm], hAlign="LEFT")
    info.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5), ("TOPPADDING", (0, 0), (-1, -1), 1.5)]))
    story += [info, Spacer(1, 4 * mm)]
    charts = [s for s in report.sections if s.chart and s.rows]
    for section in report.sections:
        story += _section(report, section, lang, tr, st)
        if section.key == "summary" and charts:
            for s in charts:
                story += [Spacer(1, 3 * mm), _chart(report, s, lang, tr)]
    done = [0]

    def after(_flowable) -> None:
        done[0] += 1
        if progress is not None:
            progress(min(0.99, done[0] / max(1, len(story))))

    doc = SimpleDocTemplate(str(path), pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=14 * mm,
                            bottomMargin=16 * mm, title=f"{title} – {period}", author=", ".join(report.stations),
                            creator="tt-console", lang="vi-VN" if lang == "vi" else "en-GB")
    doc.afterFlowable = after
    footer = f"{title} · {period}"
    doc.build(story, canvasmaker=_numbered(footer, tr))
    if progress is not None:
        progress(1.0)
    return path


def _section(report: Report, section: Section, lang: str, tr: L.Translate, st) -> list[Flowable]:
    heading = Paragraph(escape(tr(section.title)), st["h"])
    if not section.rows:
        return [KeepTogether([heading, Paragraph(escape(tr(L.NO_DATA)), st["body"])])]
    numeric = [c.kind not in ("text", "datetime") for c in section.columns]
    head = [Paragraph(escape(tr(c.label)), st["head_num" if num else "head"]) for c, num in zip(section.columns, numeric)]
    body, texts = [], []
    for row in section.table():
        cells = [fmt.cell(row.get(c.key), section.kind_of(row, c), lang, tr, report.tz) for c in section.columns]
        texts.append(cells)
        style = "cell"
        body.append([Paragraph(("<b>%s</b>" if row.get("_total") else "%s") % escape(text),
                               st["cell_num" if num and section.kind_of(row, c) != "text" else style])
                     for text, c, num in zip(cells, section.columns, numeric)])
    spans = section.total is not None and section.lead > 1
    if spans:  # the total's label spans the leading columns: it does not widen the first
        texts[-1] = ["" if j < section.lead else t for j, t in enumerate(texts[-1])]
    widths = _widths(section, [tr(c.label) for c in section.columns], texts, numeric)
    table = Table([head, *body], colWidths=widths, repeatRows=1, hAlign="LEFT")
    style: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, GRID),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#D5DBE1")),
        ("BOX", (0, 0), (-1, -1), 0.5, GRID),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
    ]
    if section.total is not None:
        style += [("BACKGROUND", (0, -1), (-1, -1), TOTAL), ("LINEABOVE", (0, -1), (-1, -1), 0.6, GRID)]
        if spans:
            style.append(("SPAN", (0, -1), (section.lead - 1, -1)))
    table.setStyle(TableStyle(style))
    out: list[Flowable] = [heading, table]
    if section.note:
        out.append(Paragraph(escape(tr(section.note)), st["note"]))
    return out


def _widths(section: Section, heads: list[str], texts: list[list[str]], numeric: list[bool]) -> list[float]:
    """Column widths from their content, fitted to the page: numbers keep what they need, text columns
    share the rest (and wrap)."""
    def need(text: str, bold: bool = False) -> float:
        return pdfmetrics.stringWidth(text, BOLD if bold else FONT, 8) + 8

    widths = []
    for j, num in enumerate(numeric):
        longest_word = max((need(w, True) for w in heads[j].split()), default=20)
        content = max((need(row[j], True) for row in texts), default=20)
        if num or section.columns[j].kind == "datetime":
            widths.append(max(content, longest_word, 14 * mm))
        else:
            widths.append(max(min(content, 80 * mm), longest_word, 14 * mm))
    spare = WIDTH - sum(widths)
    text_cols = [j for j, num in enumerate(numeric) if not num]
    if spare < 0:  # shrink the text columns (they wrap), then everything if need be
        shrinkable = sum(widths[j] for j in text_cols) or 1
        for j in text_cols:
            widths[j] = max(18 * mm, widths[j] + spare * widths[j] / shrinkable)
        over = sum(widths) - WIDTH
        if over > 0:
            widths = [w * WIDTH / sum(widths) for w in widths]
    elif len(section.columns) > 2:  # a table that is narrower than the page: spread it out a little
        grow = min(spare, 0.5 * sum(widths))
        widths = [w + grow / len(widths) for w in widths]
    return widths


def _chart(report: Report, section: Section, lang: str, tr: L.Translate) -> Flowable:
    label_key, value_key = section.chart
    rows = [r for r in section.rows if r.get(value_key) is not None]
    if section.key != "availability_commune":
        rows = [r for r in rows if r.get(value_key)]
    shown = rows[:CHART_ROWS]
    caption = tr(L.CHARTS.get(section.key, section.title))
    if len(rows) > len(shown):
        caption += " " + tr(L.CHART_TOP).format(n=len(shown))
    names = [_short(fmt.cell(r.get(label_key), "text", lang, tr, report.tz)) for r in shown]
    values = [float(r[value_key]) for r in shown]
    bar_h = 11
    height = max(1, len(shown)) * bar_h + 42
    d = Drawing(WIDTH, height)
    d.add(String(0, height - 12, caption, fontName=BOLD, fontSize=9.5))
    if not shown:
        return d
    chart = HorizontalBarChart()
    chart.x, chart.y = 150, 18
    chart.width, chart.height = WIDTH - chart.x - 45, len(shown) * bar_h
    chart.data = [list(reversed(values))]  # ReportLab draws the first category at the bottom
    chart.categoryAxis.categoryNames = list(reversed(names))
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = FONT, 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.strokeColor = GRID
    chart.valueAxis.valueMin = 0
    top = max(values) if values else 1
    if section.key == "availability_commune":
        chart.valueAxis.valueMax, chart.valueAxis.valueStep = 100, 20
        decimals = 0
    else:
        step, decimals = nice_step(top / 5 if top > 0 else 0.2)
        chart.valueAxis.valueStep = step
        chart.valueAxis.valueMax = step * (int(top / step) + 1)
    chart.valueAxis.labels.fontName, chart.valueAxis.labels.fontSize = FONT, 7
    chart.valueAxis.labelTextFormat = lambda v: fmt.number(v, decimals, lang)
    chart.valueAxis.strokeColor = GRID
    chart.valueAxis.visibleGrid, chart.valueAxis.gridStrokeColor = True, colors.HexColor("#E3E7EB")
    chart.barWidth = bar_h * 0.7
    chart.groupSpacing = bar_h * 0.3
    chart.bars[0].fillColor, chart.bars[0].strokeColor = BAR, None
    if section.key == "availability_commune":
        for i, v in enumerate(reversed(values)):
            if v < 90:
                chart.bars[(0, i)].fillColor = BAR_LOW
    chart.barLabelFormat = lambda v: fmt.number(v, 1, lang)
    chart.barLabels.fontName, chart.barLabels.fontSize = FONT, 7
    chart.barLabels.boxAnchor, chart.barLabels.dx = "w", 3
    d.add(chart)
    return d


def nice_step(rough: float) -> tuple[float, int]:
    """A round axis step near ``rough`` (1, 2 or 5 times a power of ten) and the decimals it needs."""
    power = math.floor(math.log10(rough))
    base = 10.0 ** power
    step = next(m * base for m in (1, 2, 5, 10) if m * base >= rough)
    return step, max(0, -math.floor(math.log10(step) + 1e-9))


def _short(text: str, n: int = 30) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _numbered(footer: str, tr: L.Translate):
    """A canvas that writes "page N of M" once it knows M."""
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(FONT, 7.5)
                self.setFillColor(colors.HexColor("#666666"))
                self.drawString(MARGIN, 9 * mm, footer)
                self.drawRightString(PAGE[0] - MARGIN, 9 * mm,
                                     tr(L.PAGE).format(page=self._pageNumber, pages=total))
                super().showPage()
            super().save()

    return NumberedCanvas
