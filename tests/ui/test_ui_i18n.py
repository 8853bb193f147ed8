"""The Vietnamese translation is complete and current, and the window switches language live."""

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from fleetdata import Station
from PySide6.QtCore import QSettings, Qt

from console.ui import i18n
from console.ui.main_window import MainWindow
from console.ui.models.device_table_model import Column

TS = i18n.TRANSLATIONS_DIR / "console_vi.ts"


def messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(path).getroot()
    return {(ctx.findtext("name"), m.findtext("source")): m.find("translation")
            for ctx in root.iter("context") for m in ctx.iter("message")}


def test_every_vietnamese_translation_is_finished():
    found = messages(TS)
    assert len(found) > 150
    unfinished = [k for k, t in found.items() if t.get("type") in ("unfinished", "vanished", "obsolete") or not t.text]
    assert not unfinished


def test_committed_ts_holds_every_string_of_the_sources(tmp_path):
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in (i18n.ROOT / "console").rglob("*.py"))
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    subprocess.run([str(lupdate), "-locations", "none", *sources, "-ts", str(fresh)], check=True,
                   capture_output=True)
    wanted = set(messages(fresh))
    assert ("Settings", "Data directory") in wanted  # lupdate saw console/settings.py too
    missing = wanted - set(messages(TS))
    assert not missing, f"run `python -m console.ui.i18n` and translate: {sorted(missing)[:10]}"


def test_qm_is_built_from_the_ts():
    qm = TS.with_suffix(".qm")
    assert qm.exists() and qm.stat().st_mtime >= TS.stat().st_mtime - 1


def test_switching_to_vietnamese_translates_the_window(qtbot, english, tmp_path):
    station = Station(10, site="52-quynhon")
    win = MainWindow(station, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    header = win.devices.model
    assert header.headerData(Column.UNIT, Qt.Orientation.Horizontal) == "Commune/Ward"
    assert i18n.install(english, "vi") == ["console_vi"]
    qtbot.waitUntil(lambda: win.commands.tone.text() == "Phát thử")
    assert header.headerData(Column.UNIT, Qt.Orientation.Horizontal) == "Xã/Phường"
    assert win.devices.filters.status.itemText(1) == "Trực tuyến"
    assert "Điều hành cụm loa" in win.windowTitle()
    assert win.banner.text().startswith("ĐÀI THỬ NGHIỆM")
    i18n.install(english, "en")
    qtbot.waitUntil(lambda: win.commands.tone.text() == "Test tone")


def test_pseudo_translation_stretches_strings(qtbot, english):
    i18n.install(english, "en", pseudo=True)
    text = english.translate("Format", "Online")
    assert text.startswith("[Online") and len(text) >= len("Online") * 1.4


def test_unknown_language_is_refused(english):
    try:
        i18n.install(english, "fr")
    except ValueError as e:
        assert "fr" in str(e)
    else:
        raise AssertionError("fr accepted")


def test_language_menu_switches_the_running_window(qtbot, english, tmp_path):
    win = MainWindow(Station(5), QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    actions = {a.text(): a for a in win.language_menu.actions()}
    assert actions["English"].isChecked()
    actions["Tiếng Việt"].trigger()
    qtbot.waitUntil(lambda: win.language_menu.title() == "Ngôn ngữ")
    assert i18n.current() == "vi" and win.commands.tone.text() == "Phát thử"
    actions["English"].trigger()
    qtbot.waitUntil(lambda: win.commands.tone.text() == "Test tone")
