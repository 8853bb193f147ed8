"""The map in the main window: a click selects the device in the table, a double-click opens its detail,
the table's selection rings it on the map, and the table's filters apply to the map."""

import pytest
from mapdata import DEVICES, add
from PySide6.QtCore import QPoint, QSettings, Qt

from console.fleet.service import FleetService
from console.settings import parse_broker_url
from console.ui.main_window import MainWindow

WAIT_MS = 15_000


class Station:
    """The attributes of console.station.Station the window uses, around a FleetService never started."""

    def __init__(self) -> None:
        self.site, self.demo, self.broker_url = "demo", False, "mqtt://127.0.0.1:1883"
        self.fleet = FleetService(parse_broker_url(self.broker_url), self.site)
        for spec in DEVICES:
            add(self.fleet.state, *spec)
        self.fleet.state.publish_changes()


@pytest.fixture
def window(qtbot, english, tmp_path):
    win = MainWindow(Station(), QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.map.is_loaded and len(win.map.markers.shown()) == len(DEVICES), timeout=WAIT_MS)
    yield win
    win.map.shutdown()


def device_pos(qtbot, win, dev_id):
    """Zoom the map to a device at street scale; its marker's position in the map's viewport."""
    lon, lat = next((d[1], d[2]) for d in DEVICES if d[0] == dev_id)
    win.map.center_on(lon, lat, 5.0)
    qtbot.waitUntil(lambda: win.map._aggregated is False and not win.map._view_timer.isActive(), timeout=WAIT_MS)
    return win.map.view_pos_of(dev_id)


def double_click(qtbot, widget, pos) -> None:
    """What a real double-click delivers: press, release, double-click, release.

    (QTest.mouseDClick sends the double-click event alone; pyqtgraph reports clicks on release.)
    """
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=pos)


def test_click_selects_in_the_table_and_double_click_opens_the_detail(qtbot, window):
    win = window
    assert win.map_dock.isVisible() and win.map_dock.windowTitle() == "Map"
    viewport = win.map.graphics.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=device_pos(qtbot, win, "MAP-FAULT"))
    qtbot.waitUntil(lambda: win.devices.current_device() == "MAP-FAULT", timeout=WAIT_MS)
    assert win.detail.device_id == "MAP-FAULT" and win.map.selected_device() == "MAP-FAULT"

    win.detail_dock.hide()
    double_click(qtbot, viewport, device_pos(qtbot, win, "MAP-OFFLINE"))
    qtbot.waitUntil(lambda: win.detail_dock.isVisible() and win.detail.device_id == "MAP-OFFLINE", timeout=WAIT_MS)
    assert win.devices.current_device() == "MAP-OFFLINE"

    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=device_pos(qtbot, win, "MAP-OFFLINE") + QPoint(40, 40))
    assert win.devices.current_device() == "MAP-OFFLINE"  # a click on empty map changes nothing


def test_table_selection_rings_the_device_on_the_map(qtbot, window):
    win = window
    win.map.center_on(105.8, 21.0, 50.0)  # far away: Hà Nội
    assert win.devices.select_device("MAP-PLAYING")
    assert win.map.selected_device() == "MAP-PLAYING"
    pos = win.map.view_pos_of("MAP-PLAYING")
    size = win.map.graphics.viewport().size()
    assert 0 <= pos.x() < size.width() and 0 <= pos.y() < size.height()  # panned to it
    assert len(win.map._ring.data) == 1


def test_the_table_filters_apply_to_the_map(qtbot, window):
    win = window
    shown = lambda: sorted(win.map.markers.ids[i] for i in win.map.markers.shown())
    win.devices.filters.status.setCurrentIndex(win.devices.filters.status.findData("offline"))
    qtbot.waitUntil(lambda: shown() == ["MAP-OFFLINE"], timeout=WAIT_MS)
    assert "1 of 5 clusters on the map" in win.map.legend.text()
    win.devices.proxy.set_filters(status="all", group="g-21600")
    qtbot.waitUntil(lambda: shown() == ["MAP-FAULT", "MAP-OFFLINE"], timeout=WAIT_MS)
    win.devices.proxy.set_filters(group="", text="pending")
    qtbot.waitUntil(lambda: shown() == ["MAP-PENDING"], timeout=WAIT_MS)
    win.devices.proxy.set_filters(text="")
    qtbot.waitUntil(lambda: len(shown()) == len(DEVICES), timeout=WAIT_MS)


def test_hover_names_the_device(qtbot, window):
    win = window
    pos = device_pos(qtbot, win, "MAP-PLAYING")
    tip = win.map._device_tip("MAP-PLAYING")
    assert "MAP-PLAYING" in tip and "bantin-sang" in tip and "21550" in tip
    target = win.map._target(win.map.graphics.mapToScene(pos))
    assert target == ("device", win.map.markers.index["MAP-PLAYING"])
