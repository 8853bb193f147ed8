"""``python -m console report`` in a subprocess: the station's report, the province's across stations,
one clear line and exit code 2 on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import reportdata as rd
from openpyxl import load_workbook

from console.province.store import open_collector

ROOT = Path(__file__).resolve().parents[2]


def report(*args: str, data: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "TT_DATA_DIR": str(data), "TT_SITE_ID": rd.STATION}
    return subprocess.run([sys.executable, "-m", "console", "report", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_the_station_report(station_db, tmp_path):
    out = tmp_path / "bao-cao.pdf"
    r = report("--period", "2026-11", "--out", str(out), "--db", str(station_db.engine.url), "--json", data=tmp_path)
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    assert (result["format"], result["period"], result["lang"]) == ("pdf", "2026-11", "vi")
    assert out.read_bytes()[:5] == b"%PDF-" and result["bytes"] == out.stat().st_size
    sections = result["report"]["sections"]
    # Figures that do not depend on today's date (availability does, while November 2026 is not over)
    assert sections["hours_station"]["total"]["hours"] == rd.EXPECTED["hours"]
    assert {k: sections["receipts"]["total"][k] for k in rd.EXPECTED["receipts"]} == rd.EXPECTED["receipts"]
    assert sections["faults"]["total"]["raised"] == 4
    assert result["report"]["stations"] == {rd.STATION: rd.STATION}


def test_the_province_report(station_db, tmp_path):
    url = f"sqlite:///{tmp_path / 'province.db'}"
    collector = open_collector(url)
    rd.ship(station_db, collector)
    rd.ship(station_db, collector, station="53-other")
    collector.close()
    out = tmp_path / "tinh.xlsx"
    r = report("--period", "2026-Q4", "--province-db", url, "--station", "53-other", "--out", str(out), "--lang", "en",
               data=tmp_path)
    assert r.returncode == 0, r.stderr
    ws = load_workbook(out)["Hours by station"]
    # the quarter adds the parts of 31 October and 1 December: 30 minutes each, on one device
    assert [c.value for c in ws[5]] == ["Đài Quy Nhơn (53-other)", 3, 5 + 2, rd.EXPECTED["hours"] + 1.0,
                                        rd.EXPECTED["device_hours"] + 1.0]
    assert ws.max_row == 8  # one station, the total, a blank line, the note


@pytest.mark.parametrize(("args", "message"), [
    (["--period", "2026-13", "--out", "r.pdf"], "error: bad period '2026-13'"),
    (["--period", "2026", "--out", "nowhere/r.pdf"], "error: cannot write"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, args, message):
    r = report(*[str(tmp_path / a) if a.endswith(".pdf") else a for a in args], data=tmp_path)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.startswith(message) and r.stderr.count("\n") == 1, r.stderr
    assert not (tmp_path / "console.db").exists()  # a report creates no database
