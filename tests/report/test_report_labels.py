"""Reports are Vietnamese by default: every string has its Vietnamese."""

from __future__ import annotations

import re
from pathlib import Path

from console.report import labels


def test_every_report_string_has_its_vietnamese():
    source = "".join(p.read_text(encoding="utf-8") for p in Path(labels.__file__).parent.glob("*.py"))
    marked = re.findall(r'QT_TRANSLATE_NOOP\("Report",\s*((?:"[^"]*"\s*)+)\)', source)
    texts = {"".join(re.findall(r'"([^"]*)"', m)) for m in marked}
    assert len(texts) > 100
    missing = sorted(t for t in texts if t not in labels.VI)
    assert missing == []
    tr = labels.translator("vi")
    assert tr(labels.TOTAL) == "Tổng cộng" and labels.translator("en")(labels.TOTAL) == "Total"
