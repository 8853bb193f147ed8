"""One report from start to finish: read the facts, compute, write the file; with progress (0..1) and
cancellation, for the command line and for the dialog's worker thread alike.

The file is written beside its destination under a temporary name and moved into place at the end, so
a cancelled or failed report leaves no half-written file behind (and never clobbers an older one).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

from console.report import labels as L
from console.report.compute import Report, compute
from console.report.facts import Facts
from console.report.sources import Cancelled

FORMATS = ("xlsx", "pdf")
Progress = Callable[[float], None]
Source = Callable[[Progress, threading.Event], Facts]  # reads the facts: station_facts or province_facts
READ, COMPUTE = 0.5, 0.6  # progress at the end of reading and of computing


def check_output(path: str | Path, fmt: str) -> Path:
    """The output file, or ValueError with one line saying why it cannot be written."""
    if fmt not in FORMATS:
        raise ValueError(f"bad format {fmt!r}: give xlsx or pdf")
    path = Path(path).expanduser()
    if path.is_dir():
        raise ValueError(f"{path} is a folder: give the file to write")
    if not path.parent.is_dir():
        raise ValueError(f"cannot write {path}: the folder {path.parent} does not exist")
    if not os.access(path.parent, os.W_OK):
        raise ValueError(f"cannot write {path}: the folder is not writable")
    return path


def generate(source: Source, fmt: str, out: str | Path, lang: str = "vi", *,
             progress: Progress | None = None, cancel: threading.Event | None = None) -> Report:
    """Read, compute and write the report to ``out`` as ``fmt`` (xlsx or pdf) in ``lang``; raises
    :class:`Cancelled` if ``cancel`` is set before it is done."""
    from console.report.pdf import write_pdf
    from console.report.xlsx import write_xlsx

    out = check_output(out, fmt)
    tr = L.translator(lang)
    cancel = cancel or threading.Event()
    report_progress = progress or (lambda _f: None)

    def part(lo: float, hi: float) -> Progress:
        def step(fraction: float) -> None:
            if cancel.is_set():
                raise Cancelled()
            report_progress(lo + (hi - lo) * fraction)
        return step

    report_progress(0.0)
    facts = source(part(0.0, READ), cancel)
    report = compute(facts)
    part(READ, COMPUTE)(1.0)
    temp = out.with_name(f".{out.name}.part")
    try:
        (write_xlsx if fmt == "xlsx" else write_pdf)(report, temp, lang, tr, part(COMPUTE, 1.0))
        if cancel.is_set():
            raise Cancelled()
        os.replace(temp, out)
    finally:
        temp.unlink(missing_ok=True)
    report_progress(1.0)
    return report
