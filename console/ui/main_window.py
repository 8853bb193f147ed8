"""The main window: a thin composition of the fleet views. Each view owns its model and timers."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import (QApplication, QDockWidget, QMainWindow, QMenuBar, QMessageBox, QTabWidget,
                               QToolBar, QVBoxLayout, QWidget)

from console.settings import APP_NAME
from console.ui import i18n
from console.ui.views.command_panel import CommandPanel
from console.ui.views.demo_banner import DemoBanner
from console.ui.views.device_detail import DeviceDetailView
from console.ui.views.device_list import DeviceListView
from console.ui.views.status_bar import FleetStatusBar

STATE_VERSION = 1


class MainWindow(QMainWindow):
    """``station`` has ``.fleet`` (FleetService), ``.demo``, ``.site``, ``.broker_url`` and maybe ``.adopt(id)``.

    Geometry, dock layout and table columns are kept in ``settings`` (default: the user's QSettings).
    """

    def __init__(self, station, settings: QSettings | None = None, parent=None):
        super().__init__(parent)
        self.station = station
        self.settings = settings if settings is not None else QSettings(APP_NAME, "console")
        fleet = station.fleet
        self.live_control = self._live_control(getattr(station, "live", None))
        self.devices = DeviceListView(fleet.state)
        self.detail = DeviceDetailView(fleet.state, latency=self.live_control.latency if self.live_control else None,
                                       monitor=getattr(station, "monitor", None))
        media = getattr(station, "media_server", None)
        self.commands = CommandPanel(fleet, getattr(station, "adopt", None),
                                     logs=media)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.tabCloseRequested.connect(self._close_tab)
        self.tabs.addTab(self.devices, "")
        self.library = self._library_tab(getattr(station, "library", None))
        self.schedule, self.asrun = self._schedule_tabs(getattr(station, "scheduler", None))
        self.live_desk = self._live_tab()
        self.monitor_panel = self._monitor_tab(getattr(station, "monitor", None))
        self.province_panel, self.province_badge, self.province_banner = self._province_tab()
        self.setCentralWidget(self.tabs)
        self.detail_dock = self._dock("detailDock", self.detail)
        self.commands_dock = self._dock("commandsDock", self.commands)
        self.map = self._map()
        # The map under the table; the right-hand docks keep the full height.
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.map_dock = self._dock("mapDock", self.map, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.setStatusBar(FleetStatusBar(fleet, station.broker_url))
        if self.monitor_panel is not None:
            self.statusBar().addPermanentWidget(self.monitor_panel.badge)
        if self.province_badge is not None:
            self.statusBar().addPermanentWidget(self.province_badge)
        self.banner = DemoBanner() if station.demo else None
        self.on_air = None
        if self.live_control is not None:
            from console.ui.live.widgets import OnAirBanner

            self.on_air = OnAirBanner(self.live_control)
        self._menus()
        self.devices.deviceSelected.connect(self.detail.set_device)
        self.devices.deviceSelected.connect(self.commands.set_device)
        self.devices.deviceSelected.connect(self.map.select_device)
        self.map.deviceClicked.connect(self.select_device)
        self.map.deviceActivated.connect(self.open_device)
        self.retranslate()
        self.resize(1400, 860)
        self.resizeDocks([self.detail_dock], [390], Qt.Orientation.Horizontal)
        self.resizeDocks([self.detail_dock, self.commands_dock], [560, 300], Qt.Orientation.Vertical)
        self.resizeDocks([self.map_dock], [360], Qt.Orientation.Vertical)
        self._restore()

    def _library_tab(self, library):
        """The audio library (and editors opened from it), when the station has one."""
        if library is None:
            self.tabs.tabBar().setVisible(False)
            return None
        from console.ui.library.editing import ItemEditor
        from console.ui.library.library_view import LibraryView

        view = LibraryView(library, render_options=getattr(self.station, "render_options", None))
        self.tabs.addTab(view, "")
        for fixed in (0, 1):  # the fleet and the library stay; editors close
            self.tabs.tabBar().setTabButton(fixed, self.tabs.tabBar().ButtonPosition.RightSide, None)
        self.item_editor = ItemEditor(library, view.tasks, self)
        view.editRequested.connect(self.item_editor.open)
        self.item_editor.opened.connect(lambda editor, title: self.tabs.setCurrentIndex(
            self.tabs.addTab(editor, title)))
        self.item_editor.saved.connect(lambda _id: view.refresh())
        recordings = getattr(self.station, "recordings_dir", None)
        if recordings is not None:
            self.record_action = view.toolbar.addAction("")
            self.record_action.triggered.connect(lambda: self._record(view, recordings))
            QTimer.singleShot(0, lambda: self._offer_recovery(view, recordings))
        return view

    def _schedule_tabs(self, scheduler):
        """The timeline (with the schedule editor) and the as-run records, when the station schedules."""
        if scheduler is None or self.library is None:
            return None, None
        from console.ui.schedule.asrun_view import AsRunView
        from console.ui.schedule.timeline import TimelineView

        timeline = TimelineView(scheduler, self.station.library)
        asrun = AsRunView(self.station.asrun, scheduler)
        for view in (timeline, asrun):  # they stay, like the fleet and the library
            index = self.tabs.addTab(view, "")
            self.tabs.tabBar().setTabButton(index, self.tabs.tabBar().ButtonPosition.RightSide, None)
        timeline.changed.connect(asrun.request_reload)  # new schedule names
        return timeline, asrun

    def _live_control(self, live):
        """The one link between the live views and the station's live service, when it has one."""
        if live is None or getattr(self.station, "library", None) is None:
            return None
        from console.ui.live.control import LiveControl

        return LiveControl(live, self)

    def _live_tab(self):
        """The live desk, when the station can go live (it stays, like the fleet and the library)."""
        if self.live_control is None or self.library is None:
            return None
        from console.ui.live.desk import LiveDesk

        desk = LiveDesk(self.live_control)
        index = self.tabs.addTab(desk, "")
        self.tabs.tabBar().setTabButton(index, self.tabs.tabBar().ButtonPosition.RightSide, None)
        return desk

    def _monitor_tab(self, monitor):
        """Graphs, alarms, what to fix first and availability (console/ui/monitor), when the station
        monitors; the alarm count goes in the status bar and opens the alarms."""
        if monitor is None:
            return None
        from console.ui.monitor.panel import MonitorPanel

        panel = MonitorPanel(monitor, self.station.fleet.state, getattr(self.station, "user", "") or "console",
                             self.settings)
        index = self.tabs.addTab(panel, "")
        self.tabs.tabBar().setTabButton(index, self.tabs.tabBar().ButtonPosition.RightSide, None)
        self.tabs.tabBar().setVisible(True)
        self.devices.deviceSelected.connect(panel.set_device)
        panel.deviceSelected.connect(self.select_device)
        panel.feed.changed.connect(self.detail.reload_health)
        panel.badge.clicked.connect(lambda: self.tabs.setCurrentWidget(panel))
        return panel

    def _province_tab(self):
        """The Province tab (console/ui/sync): the bulletin inbox and the sync page when the station syncs
        with the province, else how to set the link up; the link's badge in the status bar and the
        bulletins' banner across the window. A station object without a ``sync`` attribute gets none."""
        if not hasattr(self.station, "sync"):
            return None, None, None
        worker = self.station.sync
        error = getattr(self.station, "sync_error", "") or ""
        if worker is None:
            from console.settings import default_config_file
            from console.ui.sync.panel import ProvinceHint
            from console.ui.sync.status import SyncBadge

            settings = getattr(self.station, "settings", None)
            config = getattr(settings, "config_file", None) or default_config_file()
            panel = ProvinceHint(error, str(config))
            badge = SyncBadge(None, error=error) if error else None  # configured, but it could not start
            banner = None
        else:
            from console.ui.sync.panel import ProvincePanel

            panel = ProvincePanel(worker)
            badge, banner = panel.badge, panel.banner
            panel.attention.connect(self._bulletin_attention)
            panel.inbox.loaded.connect(self._province_tab_text)
        index = self.tabs.addTab(panel, "")
        self.tabs.tabBar().setTabButton(index, self.tabs.tabBar().ButtonPosition.RightSide, None)
        self.tabs.tabBar().setVisible(True)
        if badge is not None:
            badge.clicked.connect(lambda: self.tabs.setCurrentWidget(panel))
        return panel, badge, banner

    def _province_tab_text(self) -> None:
        """The tab's title, with the bulletins waiting for the operator: "Province (2)"."""
        panel = self.province_panel
        counts = panel.inbox.data.counts() if hasattr(panel, "inbox") else {}
        n = sum(counts.get(k, 0) for k in ("received", "waiting", "confirm"))
        self.tabs.setTabText(self.tabs.indexOf(panel), self.tr("Province ({n})").format(n=n) if n
                             else self.tr("Province"))

    def _bulletin_attention(self, bulletin_id: int) -> None:
        """An emergency bulletin waits for its one click: its tab forward, the window flashes and beeps."""
        self.tabs.setCurrentWidget(self.province_panel)
        self.province_panel.show_bulletin(bulletin_id)
        QApplication.alert(self)
        QApplication.beep()

    def show_live_desk(self) -> None:
        if self.live_desk is not None:
            self.tabs.setCurrentWidget(self.live_desk)
            self.live_desk.talk.setFocus()

    def open_emergency(self):
        """The emergency dialog (one at a time; not modal, so the broadcast can be followed and stopped
        while the rest of the console is used)."""
        from console.ui.live.emergency import EmergencyDialog

        dialog = getattr(self, "emergency_dialog", None)
        if dialog is None or not dialog.isVisible():
            if dialog is not None:
                dialog.deleteLater()
            dialog = self.emergency_dialog = EmergencyDialog(self.live_control, self)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def _record(self, view, recordings) -> None:
        from console.audio.capture import available
        from console.audio.recorder import Recorder
        from console.ui.library.record_dialog import RecordDialog

        ok, why = available()
        if not ok:
            QMessageBox.warning(self, self.tr("Record"), self.tr("Recording is not possible here: {0}").format(why))
            return
        recorder = Recorder(recordings, user=getattr(self.station, "user", ""))
        dialog = RecordDialog(recorder, view.import_files, self)
        dialog.finished.connect(recorder.shutdown)
        dialog.open()

    def _offer_recovery(self, view, recordings) -> None:
        """A recording cut short by a crash or power cut: offer to recover it into the library."""
        from console.audio.wavjournal import find_unfinished, recover

        unfinished = find_unfinished(recordings)
        if unfinished and QMessageBox.question(
                self, self.tr("Interrupted recordings"),
                self.tr("{n} recording(s) were cut short by a crash or power cut. Recover them into the "
                        "library?").format(n=len(unfinished))) == QMessageBox.StandardButton.Yes:
            view.import_files([str(recover(u.wav)) for u in unfinished])

    def _close_tab(self, index: int) -> None:
        if self.tabs.widget(index) not in (self.devices, self.library, self.schedule, self.asrun, self.live_desk,
                                           self.monitor_panel, self.province_panel):
            widget = self.tabs.widget(index)
            self.tabs.removeTab(index)
            widget.deleteLater()

    def _map(self):
        """The live map (docs/map.md): the table's filters, tiles only when configured, centroids from the DB."""
        from functools import partial

        from console.map.geo import load_communes
        from console.map.tiles import TileSourceError, source_from_settings
        from console.ui.map.view import MapView

        tiles, error = None, ""
        settings = getattr(self.station, "settings", None)
        if settings is not None:
            try:
                tiles = source_from_settings(settings)
            except TileSourceError as e:
                error = str(e)
        db = getattr(self.station, "db", None)
        return MapView(self.station.fleet.state, self.devices.proxy, tiles,
                       partial(load_communes, db) if db is not None else None, tiles_error=error)

    def select_device(self, dev_id: str) -> None:
        """Select a device everywhere (the table's selection drives the detail, commands and map)."""
        if not self.devices.select_device(dev_id):
            self.detail.set_device(dev_id)
            self.commands.set_device(dev_id)

    def open_device(self, dev_id: str) -> None:
        """Select a device and bring its detail panel forward."""
        self.select_device(dev_id)
        self.detail_dock.show()
        self.detail_dock.raise_()

    def _dock(self, name: str, widget: QWidget, area=Qt.DockWidgetArea.RightDockWidgetArea) -> QDockWidget:
        dock = QDockWidget(self)
        dock.setObjectName(name)  # saveState() needs it
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, dock)
        return dock

    def _menus(self) -> None:
        bar = QMenuBar()
        self.view_menu = bar.addMenu("")
        self.view_menu.addAction(self.detail_dock.toggleViewAction())
        self.view_menu.addAction(self.commands_dock.toggleViewAction())
        self.view_menu.addAction(self.map_dock.toggleViewAction())
        self.language_menu = self.view_menu.addMenu("")
        group = QActionGroup(self)
        # Each language is named in itself, so anyone can find their own.
        for code, name in (("vi", "Tiếng Việt"), ("en", "English")):
            action = group.addAction(name)
            action.setCheckable(True)
            action.setChecked(code == i18n.current())
            action.triggered.connect(lambda _checked=False, c=code: i18n.install(QApplication.instance(), c))
            self.language_menu.addAction(action)
        self.report_menu = self.report_action = None
        if getattr(self.station, "db", None) is not None:
            self.report_menu = bar.addMenu("")
            self.report_action = self.report_menu.addAction("")
            self.report_action.triggered.connect(self.open_report)
        self.broadcast_menu = None
        if self.live_control is not None:
            self._broadcast_actions(bar)
        if self.banner is None and self.on_air is None and self.province_banner is None:
            self.setMenuBar(bar)
            return
        top = QWidget()  # the ON AIR and demo banners span the whole window, under the menu bar
        lay = QVBoxLayout(top)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(bar)
        for banner in (self.on_air, self.province_banner, self.banner):
            if banner is not None:
                lay.addWidget(banner)
        self.setMenuWidget(top)

    def open_report(self) -> None:
        """The monthly, quarterly or yearly report (console/ui/report), written on a worker."""
        from console.ui.report.dialog import ReportDialog

        dialog = ReportDialog(self.station, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def _broadcast_actions(self, bar: QMenuBar) -> None:
        """The Broadcast menu and the toolbar: the live desk, and the red emergency button."""
        self.broadcast_menu = bar.addMenu("")
        self.live_action = self.broadcast_menu.addAction("")
        self.live_action.triggered.connect(self.show_live_desk)
        self.broadcast_menu.addSeparator()
        self.emergency_action = self.broadcast_menu.addAction("")
        self.emergency_action.triggered.connect(self.open_emergency)
        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("broadcastToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.addAction(self.live_action)
        self.toolbar.addAction(self.emergency_action)
        self.toolbar.widgetForAction(self.emergency_action).setStyleSheet(
            "QToolButton { background:#8b0000; color:#ffffff; font-weight:700; padding:4px 14px; border-radius:4px; }"
            "QToolButton:hover { background:#b00000; }")
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)

    def retranslate(self) -> None:
        site = self.station.site
        self.setWindowTitle(self.tr("{site} — Loudspeaker operations console").format(site=site))
        self.tabs.setTabText(0, self.tr("Loudspeaker clusters"))
        if self.library is not None:
            self.tabs.setTabText(1, self.tr("Audio library"))
            if hasattr(self, "record_action"):
                self.record_action.setText(self.tr("Record…"))
        if self.schedule is not None:
            self.tabs.setTabText(self.tabs.indexOf(self.schedule), self.tr("Schedule"))
            self.tabs.setTabText(self.tabs.indexOf(self.asrun), self.tr("As-run"))
        if self.live_desk is not None:
            self.tabs.setTabText(self.tabs.indexOf(self.live_desk), self.tr("Live"))
        if self.monitor_panel is not None:
            self.tabs.setTabText(self.tabs.indexOf(self.monitor_panel), self.tr("Monitoring"))
        if self.province_panel is not None:
            self._province_tab_text()
        if self.broadcast_menu is not None:
            self.broadcast_menu.setTitle(self.tr("&Broadcast"))
            self.live_action.setText("● " + self.tr("Live desk"))
            self.emergency_action.setText("⚠ " + self.tr("EMERGENCY"))
            self.emergency_action.setToolTip(self.tr("Emergency broadcast: interrupts everything on the chosen "
                                                     "clusters"))
            self.toolbar.setWindowTitle(self.tr("Broadcast"))
        self.detail_dock.setWindowTitle(self.tr("Cluster details"))
        self.commands_dock.setWindowTitle(self.tr("Remote commands"))
        self.map_dock.setWindowTitle(self.tr("Map"))
        self.view_menu.setTitle(self.tr("&View"))
        self.language_menu.setTitle(self.tr("Language"))
        if self.report_menu is not None:
            self.report_menu.setTitle(self.tr("&Reports"))
            self.report_action.setText(self.tr("Monthly, quarterly or yearly report…"))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # Window state ---------------------------------------------------------------------------------
    def _restore(self) -> None:
        s = self.settings
        if isinstance(geometry := s.value("main/geometry"), QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state := s.value("main/state"), QByteArray):
            self.restoreState(state, STATE_VERSION)
        if isinstance(columns := s.value("main/devices_header"), QByteArray):
            self.devices.table.horizontalHeader().restoreState(columns)

    def save_state(self) -> None:
        s = self.settings
        s.setValue("main/geometry", self.saveGeometry())
        s.setValue("main/state", self.saveState(STATE_VERSION))
        s.setValue("main/devices_header", self.devices.table.horizontalHeader().saveState())
        s.sync()

    def closeEvent(self, event) -> None:
        self.save_state()
        super().closeEvent(event)
