"""The device table, its filters, the detail panel, the command panel and the status bar over a real FleetState."""

import time

import pytest
from fleetdata import COMMUNES, Station, enc, populate
from PySide6.QtCore import QRegularExpression, QSettings, Qt

from console.fleet import schemas
from console.fleet.ingest import Ingest
from console.fleet.state import FleetState
from console.ui.main_window import MainWindow
from console.ui.models.device_table_model import (
    DEVICE_ID_ROLE,
    FILTER_ROLE,
    SORT_ROLE,
    Column,
    ranges,
)
from console.ui.views.command_panel import CommandPanel
from console.ui.views.device_detail import DeviceDetailView
from console.ui.views.device_list import DeviceListView
from console.ui.views.status_bar import FleetStatusBar


def shown_ids(view: DeviceListView) -> list[str]:
    p = view.proxy
    return [p.index(r, 0).data(DEVICE_ID_ROLE) for r in range(p.rowCount())]


@pytest.fixture
def listed(qtbot, english):
    station = Station(120)
    view = DeviceListView(station.fleet.state)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.model.rowCount() == len(station.fleet.state.devices))
    return station, view


def test_ranges_coalesce_rows():
    assert ranges([]) == []
    assert ranges([1, 2, 3, 7, 9, 10]) == [(1, 3), (7, 7), (9, 10)]


def test_table_fills_from_fleet_state(listed):
    station, view = listed
    state = station.fleet.state
    assert sorted(shown_ids(view)) == sorted(state.devices)
    d = next(d for d in state.devices.values() if d.rssi is not None and d.name)
    row = view.model.row_of(d.id)
    m = view.model
    assert m.index(row, Column.NAME).data() == d.name
    assert m.index(row, Column.SIGNAL).data() == f"{d.rssi} dBm"
    assert m.index(row, Column.SIGNAL).data(SORT_ROLE) == d.rssi
    assert m.index(row, Column.UNIT).data() == d.unit_name
    assert m.index(row, Column.STATUS).data(Qt.ItemDataRole.DecorationRole) is not None
    key = m.filter_key(row)
    assert (key.presence, key.unit, key.groups) == (d.state, d.unit_code, d.groups)
    assert m.index(row, Column.ID).data(FILTER_ROLE) == key.line
    pending = next(d for d in state.devices.values() if d.pending)
    assert m.index(m.row_of(pending.id), Column.STATUS).data() == "Pending"


def test_status_filters(listed):
    station, view = listed
    state = station.fleet.state
    for status, pred in [("online", lambda d: d.state == "online"), ("offline", lambda d: d.state == "offline"),
                         ("pending", lambda d: d.pending), ("faulty", lambda d: d.faulty)]:
        view.proxy.set_filters(status=status)
        expected = sorted(i for i, d in state.devices.items() if pred(d))
        assert expected and sorted(shown_ids(view)) == expected, status
    view.proxy.set_filters(status="all")
    assert len(shown_ids(view)) == len(state.devices)


def test_text_search_is_accent_insensitive(listed):
    station, view = listed
    view.filters.search.setText("xa an nhon")
    expected = sorted(i for i, d in station.fleet.state.devices.items() if d.unit_name == "Xã An Nhơn")
    assert expected and sorted(shown_ids(view)) == expected
    view.filters.search.setText("TT4G-00007")
    assert shown_ids(view) == ["TT4G-00007"]
    view.filters.search.setText("Đề Gi")  # with accents, and đ
    assert all(station.fleet.state.get(i).unit_name == "Xã Đề Gi" for i in shown_ids(view))
    assert "of" in view.filters.count.text()


def test_unit_and_group_filters_list_what_the_fleet_has(listed):
    station, view = listed
    units = [view.filters.unit.itemData(i) for i in range(1, view.filters.unit.count())]
    assert sorted(units) == sorted(code for code, _, _ in COMMUNES)
    code = COMMUNES[3][0]
    view.filters.unit.setCurrentIndex(view.filters.unit.findData(code))
    expected = sorted(i for i, d in station.fleet.state.devices.items() if d.unit_code == code)
    assert expected and sorted(shown_ids(view)) == expected
    view.filters.unit.setCurrentIndex(0)
    view.filters.group.setCurrentIndex(view.filters.group.findData("ven-bien"))
    expected = sorted(i for i, d in station.fleet.state.devices.items() if "ven-bien" in (d.groups or d.reported_groups))
    assert expected and sorted(shown_ids(view)) == expected


def test_sorting_is_numeric_and_puts_missing_values_last(listed):
    _, view = listed
    view.table.sortByColumn(Column.SIGNAL, Qt.SortOrder.AscendingOrder)
    values = [view.proxy.index(r, Column.SIGNAL).data(SORT_ROLE) for r in range(view.proxy.rowCount())]
    present = [v for v in values if v is not None]
    assert present == sorted(present) and len(set(present)) > 5
    assert all(v is None for v in values[len(present):])
    view.table.sortByColumn(Column.SIGNAL, Qt.SortOrder.DescendingOrder)
    values = [view.proxy.index(r, Column.SIGNAL).data(SORT_ROLE) for r in range(len(present))]
    assert values == sorted(present, reverse=True)


def test_dirty_updates_change_rows_without_a_reset(listed, qtbot):
    station, view = listed
    resets, inserted = [], []
    view.model.modelReset.connect(lambda: resets.append(1))
    view.model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    view.table.sortByColumn(Column.SIGNAL, Qt.SortOrder.AscendingOrder)
    assert view.select_device("TT4G-00005")
    ingest = station.fleet.ingest
    ingest.process([("tt/v1/demo/d/TT4G-00005/tele", enc(schemas.Tele, seq=999, rssi=-51, temp=61.5)),
                    ("tt/v1/demo/d/NEW-1/state", enc(schemas.State, state="online", session=1, fw="9.9"))])
    m = view.model
    qtbot.waitUntil(lambda: m.index(m.row_of("TT4G-00005"), Column.SIGNAL).data() == "-51 dBm")
    qtbot.waitUntil(lambda: m.row_of("NEW-1") is not None)
    assert len(inserted) == 1 and inserted[0][0] == inserted[0][1]  # one new row, appended
    assert not resets

    def still_sorted():  # live re-sorting happens at most once a second
        values = [view.proxy.index(r, Column.SIGNAL).data(SORT_ROLE) for r in range(view.proxy.rowCount())]
        present = [v for v in values if v is not None]
        return present == sorted(present)

    qtbot.waitUntil(still_sorted, timeout=3000)
    assert view.current_device() == "TT4G-00005"  # the selection follows the re-sorted row


def test_one_tick_with_10000_devices_and_1000_dirty(qtbot, english):
    state = FleetState()
    ingest = Ingest("s", state)
    populate(ingest, 10_000)
    view = DeviceListView(state, interval_ms=0)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    qtbot.waitUntil(lambda: view.model.rowCount() == len(state.devices))  # filled in slices
    view.table.sortByColumn(Column.SIGNAL, Qt.SortOrder.AscendingOrder)
    resets = []
    view.model.modelReset.connect(lambda: resets.append(1))
    ids = sorted(state.devices)[::10]
    ingest.process([(f"tt/v1/s/d/{i}/tele", enc(schemas.Tele, seq=10**6, rssi=-60 - n % 50))
                    for n, i in enumerate(ids)])
    started = time.perf_counter()
    view.model.refresh()  # the first slice; the rest follow on the next turns of the event loop
    elapsed = time.perf_counter() - started
    print(f"\none table tick, 10,000 devices, {len(ids)} dirty, sorted by signal: {elapsed * 1000:.0f} ms")
    m = view.model
    qtbot.waitUntil(lambda: not m._pending)
    assert all(m.index(m.row_of(i), Column.SIGNAL).data() == f"{-60 - n % 50} dBm" for n, i in enumerate(ids))
    assert not resets  # (timing is bench/storm.py's job, not a test's)


def test_detail_panel_follows_the_selected_device(qtbot, english):
    station = Station(40)
    detail = DeviceDetailView(station.fleet.state, interval_ms=50)
    qtbot.addWidget(detail)
    d = next(d for d in station.fleet.state.devices.values() if d.online and d.adopted and d.clock_skewed)
    detail.set_device(d.id)
    assert detail.title.text() == d.name
    assert detail.values["id"].text() == d.id
    assert "more than 2 s" in detail.values["clock"].text()
    assert detail.events.topLevelItemCount() == len(d.events)
    station.fleet.ingest.process([(f"tt/v1/demo/d/{d.id}/tele", enc(schemas.Tele, seq=10**6, temp=71.0,
                                                                     clock_offset_ms=20))])
    qtbot.waitUntil(lambda: "71.0 °C" in detail.values["temp"].text())
    assert "more than 2 s" not in detail.values["clock"].text()
    off = next(d for d in station.fleet.state.devices.values() if d.state == "offline" and d.offline_reason == "lost")
    detail.set_device(off.id)
    assert "Offline since" in detail.subtitle.text() and "up to 120 s late" in detail.subtitle.text()


def test_pending_device_offers_adopt_instead_of_commands(qtbot, english):
    adopted = []
    station = Station(40, adopt=adopted.append)
    panel = CommandPanel(station.fleet, station.adopt)
    qtbot.addWidget(panel)
    pending = next(d for d in station.fleet.state.devices.values() if d.pending)
    panel.set_device(pending.id)
    assert not panel.ping.isEnabled() and not panel.reboot.isEnabled()
    assert not panel.adopt.isHidden()
    panel.adopt.click()
    assert adopted == [pending.id]
    normal = next(d for d in station.fleet.state.devices.values() if d.adopted)
    panel.set_device(normal.id)
    assert panel.ping.isEnabled() and panel.adopt.isHidden()
    without = CommandPanel(Station(40).fleet)  # a station without adopt(): no such action
    qtbot.addWidget(without)
    without.set_device(pending.id)
    assert without.adopt.isHidden() and not without.ping.isEnabled()


def test_status_bar_counts_match_the_fleet(qtbot, english):
    station = Station(80)
    station.fleet.ingest.process([("tt/v1/demo/d/x/tele", b"{not json"), ("junk/topic", b"{}")])
    bar = FleetStatusBar(station.fleet, station.broker_url)
    qtbot.addWidget(bar)
    c = station.fleet.state.counts()
    for key in ("online", "offline", "pending", "faulty"):
        assert f"<b>{c[key]}</b>" in bar.counts[key].text(), key
    assert "disconnected" in bar.broker.text() and station.broker_url in bar.broker.text()
    assert "Rejected messages: 2" in bar.rejected.text()
    assert "not valid JSON: 1" in bar.rejected.toolTip() and "topic: 1" in bar.rejected.toolTip()
    station.fleet.ingest.process([("tt/v1/demo/d/TT4G-00001/state",
                                   enc(schemas.State, state="offline", session=10**6, reason="lost"))])
    c = station.fleet.state.counts()
    qtbot.waitUntil(lambda: f"<b>{c['offline']}</b>" in bar.counts["offline"].text())


def test_main_window_composes_and_keeps_its_layout(qtbot, english, tmp_path):
    station = Station(30, site="52-quynhon")
    settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    win = MainWindow(station, settings)
    qtbot.addWidget(win)
    assert "52-quynhon" in win.windowTitle()
    assert win.banner is not None and "DEMO STATION" in win.banner.text()
    qtbot.waitUntil(lambda: win.devices.model.rowCount() == len(station.fleet.state.devices))
    assert win.devices.select_device("TT4G-00003")
    assert win.detail.device_id == "TT4G-00003"
    win.devices.table.horizontalHeader().setSectionHidden(Column.FIRMWARE, False)
    win.close()
    again = MainWindow(station, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(again)
    assert not again.devices.table.horizontalHeader().isSectionHidden(Column.FIRMWARE)
    live = MainWindow(Station(5, demo=False), settings)
    qtbot.addWidget(live)
    assert live.banner is None


def test_font_falls_back_to_an_installed_vietnamese_family():
    from console.ui.theme import pick_font_family

    assert pick_font_family(["Foo", "DejaVu Sans", "Noto Sans"]) == "Noto Sans"
    assert pick_font_family(["DejaVu Sans"]) == "DejaVu Sans"
    assert pick_font_family(["Foo"]) is None


def test_the_filter_expression_matches_exactly_the_rows_a_plain_check_would():
    from itertools import product

    from console.ui.models.device_table_model import filter_key, filter_pattern

    keys = [filter_key(p, pend, f, u, g, t) for p, pend, f, u, g, t in product(
        ("online", "offline", "unknown"), (False, True), (False, True), ("21553", "2155", ""),
        ((), ("a.b+",), ("a.b+", "ven-bien")), ("xa an nhon (1)", "loa s:online"))]

    def plain(k, status, unit, group, words):
        ok = {"all": True, "pending": k.pending, "faulty": k.faulty}.get(status, k.presence == status)
        return ok and (not unit or k.unit == unit) and (not group or group in k.groups) and all(
            w in k.text for w in words)

    for status, unit, group, words in product(("all", "online", "offline", "pending", "faulty"), ("", "2155"),
                                              ("", "a.b+", "a"), ([], ["(1)"], ["an", "nhon"], ["online"])):
        rx = QRegularExpression(filter_pattern(status, unit, group, words))
        got = [not rx.pattern() or rx.match(k.line).hasMatch() for k in keys]
        assert got == [plain(k, status, unit, group, words) for k in keys], (status, unit, group, words)


def test_the_report_dialog_opens_from_the_menu(qtbot, english, tmp_path):
    station = Station(5)
    station.db = object()  # the dialog only reads it when a report is written
    station.site = "52-quynhon"
    win = MainWindow(station, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    assert win.report_menu.title() == "&Reports"
    win.report_action.trigger()
    from console.ui.report.dialog import ReportDialog

    dialog = win.findChild(ReportDialog)
    assert dialog is not None and dialog.isVisible() and "52-quynhon" in dialog.path.text()
    dialog.close()
