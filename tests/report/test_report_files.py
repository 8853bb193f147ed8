"""The XLSX and PDF files: the same numbers in both, Vietnamese by default, charts, the first page
rendered, cancellation that leaves no file."""

from __future__ import annotations

import re
import threading
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
import reportdata as rd
from openpyxl import load_workbook
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtPdf import QPdfDocument

from console.report import Cancelled, generate, parse_period, station_facts
from console.report import fmt as F
from console.report import labels as L

NOVEMBER = parse_period("2026-11")


def write(db, tmp_path: Path, kind: str, lang: str = "vi", period=NOVEMBER, **kw):
    def source(progress, cancel):
        return station_facts(db, period, rd.STATION, tz=rd.TZ, now=rd.NOW, progress=progress, cancel=cancel)
    out = tmp_path / f"report-{lang}.{kind}"
    return generate(source, kind, out, lang, **kw), out


def pdf_document(path: Path) -> QPdfDocument:
    doc = QPdfDocument()
    doc.load(str(path))
    assert doc.status() == QPdfDocument.Status.Ready
    return doc


def pdf_text(path: Path) -> str:
    doc = pdf_document(path)
    return " ".join(doc.getAllText(i).text() for i in range(doc.pageCount()))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def cell_text(cell, lang: str) -> str | None:
    """An XLSX cell as the PDF should print it, going by the cell's own number format."""
    value, form = cell.value, cell.number_format
    if isinstance(value, datetime):
        return F.clock(value, lang)
    if value is None:
        return None if form == "General" else F.MISSING
    if isinstance(value, str):
        return value
    decimals = {"#,##0": 0, "#,##0.0": 1, "0.0": 1}[form]
    return F.number(value, decimals, lang)


def table_rows(ws, header_row: int, lang: str) -> list[str]:
    """The data and total rows under ``header_row`` as lines of text, up to the first empty row."""
    lines = []
    for row in ws.iter_rows(min_row=header_row + 1):
        texts = [cell_text(c, lang) for c in row]
        if all(t is None for t in texts):
            break
        lines.append(" ".join(t for t in texts if t is not None))
    return lines


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_xlsx_and_pdf_agree(station_db, tmp_path, qapp, lang):
    report, xlsx = write(station_db, tmp_path, "xlsx", lang)
    _, pdf = write(station_db, tmp_path, "pdf", lang)
    text = squash(pdf_text(pdf))
    tr = L.translator(lang)
    wb = load_workbook(xlsx)
    assert len(wb.worksheets) == len(report.sections)
    checked = 0
    for ws, section in zip(wb.worksheets, report.sections):
        assert ws.title == tr(section.sheet)[:31]
        if section.key == "summary":
            header = next(c.row for c in ws["A"] if c.value == tr(L.FIGURE))
        else:
            header = 4
            assert ws.cell(1, 1).value == tr(section.title) and squash(tr(section.title)) in text
        lines = table_rows(ws, header, lang)
        assert len(lines) == len(section.rows) + (section.total is not None)
        position = 0
        for line in lines:  # every row, in the same order
            found = text.find(squash(line), position)
            assert found >= 0, f"{section.key}: {line!r} is not in the PDF"
            position = found + len(line)
            checked += 1
    assert checked > 40
    if lang == "vi":
        assert "Số giờ phát sóng theo xã/phường" in text and "Phường Quy Nhơn Bắc 2 4 2,0 2,7" in text
        assert "Tỷ lệ hoạt động của thiết bị, % 92,0" in text and "Trang 1/" in text
    else:
        assert "Broadcast hours by commune" in text and "Phường Quy Nhơn Bắc 2 4 2.0 2.7" in text


def test_the_xlsx_has_charts_and_numbers(station_db, tmp_path):
    _, xlsx = write(station_db, tmp_path, "xlsx")
    with zipfile.ZipFile(xlsx) as z:
        charts = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        xml = [z.read(n).decode() for n in charts]
    assert len(charts) == 2
    assert "Giờ phát theo thể loại'!$C$5:$C$12" in xml[0] and "Hoạt động theo xã'!$F$5:$F$6" in xml[1]
    ws = load_workbook(xlsx)["Giờ phát theo xã"]
    assert [ws.cell(r, 5).value for r in (5, 6, 7)] == [1.1, 2.0, 2.1]  # hours are numbers, not text
    assert ws.cell(7, 1).value == "Toàn đài (mỗi phần tính một lần)"
    start = load_workbook(xlsx)["Khẩn cấp"].cell(5, 1)
    assert start.value == datetime(2026, 11, 10, 8) and start.number_format == "dd/mm/yyyy hh:mm"


def test_the_first_page_renders(station_db, tmp_path, qapp):
    _, pdf = write(station_db, tmp_path, "pdf")
    doc = pdf_document(pdf)
    size = doc.pagePointSize(0)
    assert (round(size.width()), round(size.height())) == (595, 842)  # A4
    image = QImage(QSize(1190, 1684), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))  # the page is rendered on a transparent background
    painter = QPainter(image)
    painter.drawImage(0, 0, doc.render(0, image.size()))
    painter.end()
    png = tmp_path / "page1.png"
    assert image.save(str(png)) and png.stat().st_size > 20_000
    # Ink where the title, the summary table and the charts are; white margins.
    dark = [sum(QColor(image.pixel(x, y)).lightness() < 128 for x in range(0, 1190, 2)) for y in range(0, 1684, 4)]
    assert sum(dark[: 60 // 4]) == 0  # the top margin
    assert sum(dark[80 // 4: 130 // 4]) > 200  # the title
    assert sum(dark[900 // 4: 1200 // 4]) > 500  # the charts
    def blue(y):
        return sum(QColor(image.pixel(x, y)).blue() > 150 > QColor(image.pixel(x, y)).red() for x in range(1190))
    assert max(blue(y) for y in range(880, 1100, 4)) > 400  # the longest bar of broadcast hours (relay, 1 h)


def test_a_quiet_period_says_so(station_db, tmp_path, qapp):
    _, pdf = write(station_db, tmp_path, "pdf", period=parse_period("2025-Q1"))
    text = pdf_text(pdf)
    assert "Quý I năm 2025" in text and text.count("Không có số liệu trong kỳ.") == 2  # emergency, faults


def test_cancelling_leaves_no_file(station_db, tmp_path):
    out = tmp_path / "report-vi.pdf"
    out.write_bytes(b"an older report")
    seen = []
    cancel = threading.Event()

    def progress(fraction):
        seen.append(fraction)
        if fraction > 0.3:
            cancel.set()
    with pytest.raises(Cancelled):
        write(station_db, tmp_path, "pdf", progress=progress, cancel=cancel)
    assert out.read_bytes() == b"an older report" and list(tmp_path.glob(".*.part")) == []
    assert seen == sorted(seen) and 0.3 < seen[-1] < 1


def test_progress_goes_to_the_end(station_db, tmp_path):
    seen = []
    write(station_db, tmp_path, "xlsx", progress=seen.append)
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen) and len(seen) > 10


@pytest.mark.parametrize(("out", "message"), [("missing/r.pdf", "does not exist"), (".", "is a folder")])
def test_bad_output_paths(station_db, tmp_path, out, message):
    with pytest.raises(ValueError, match=message):
        generate(lambda p, c: None, "pdf", tmp_path / out)
    with pytest.raises(ValueError, match="xlsx or pdf"):
        generate(lambda p, c: None, "docx", tmp_path / "r.docx")
