"""The main window: a thin composition of the fleet views. Each view owns its model and timers."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import (QApplication, QDockWidget, QMainWindow, QMenuBar, QMessageBox, QTabWidget,
                               QVBoxLayout, QWidget)

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
        self.devices = DeviceListView(fleet.state)
        self.detail = DeviceDetailView(fleet.state)
        self.commands = CommandPanel(fleet, getattr(station, "adopt", None))
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.tabCloseRequested.connect(self._close_tab)
        self.tabs.addTab(self.devices, "")
        self.library = self._library_tab(getattr(station, "library", None))
        self.schedule, self.asrun = self._schedule_tabs(getattr(station, "scheduler", None))
        self.setCentralWidget(self.tabs)
        self.detail_dock = self._dock("detailDock", self.detail)
        self.commands_dock = self._dock("commandsDock", self.commands)
        self.setStatusBar(FleetStatusBar(fleet, station.broker_url))
        self.banner = DemoBanner() if station.demo else None
        self._menus()
        self.devices.deviceSelected.connect(self.detail.set_device)
        self.devices.deviceSelected.connect(self.commands.set_device)
        self.retranslate()
        self.resize(1400, 860)
        self.resizeDocks([self.detail_dock], [390], Qt.Orientation.Horizontal)
        self.resizeDocks([self.detail_dock, self.commands_dock], [560, 300], Qt.Orientation.Vertical)
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
        if self.tabs.widget(index) not in (self.devices, self.library, self.schedule, self.asrun):
            widget = self.tabs.widget(index)
            self.tabs.removeTab(index)
            widget.deleteLater()

    def _dock(self, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(self)
        dock.setObjectName(name)  # saveState() needs it
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        return dock

    def _menus(self) -> None:
        bar = QMenuBar()
        self.view_menu = bar.addMenu("")
        self.view_menu.addAction(self.detail_dock.toggleViewAction())
        self.view_menu.addAction(self.commands_dock.toggleViewAction())
        self.language_menu = self.view_menu.addMenu("")
        group = QActionGroup(self)
        # Each language is named in itself, so anyone can find their own.
        for code, name in (("vi", "Tiếng Việt"), ("en", "English")):
            action = group.addAction(name)
            action.setCheckable(True)
            action.setChecked(code == i18n.current())
            action.triggered.connect(lambda _checked=False, c=code: i18n.install(QApplication.instance(), c))
            self.language_menu.addAction(action)
        if self.banner is None:
            self.setMenuBar(bar)
            return
        top = QWidget()  # the demo banner spans the whole window, under the menu bar
        lay = QVBoxLayout(top)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(bar)
        lay.addWidget(self.banner)
        self.setMenuWidget(top)

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
        self.detail_dock.setWindowTitle(self.tr("Cluster details"))
        self.commands_dock.setWindowTitle(self.tr("Remote commands"))
        self.view_menu.setTitle(self.tr("&View"))
        self.language_menu.setTitle(self.tr("Language"))

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
