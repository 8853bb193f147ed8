"""Everything known about the selected device, refreshed on a timer when it changed."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import (QFormLayout, QFrame, QGroupBox, QLabel, QScrollArea, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from console.fleet.state import DeviceState, FleetState, now_ms
from console.ui import formatting as fmt
from console.ui import theme
from console.ui.models.device_table_model import HOT_C, groups_of, offline_since
from console.ui.monitor import model as monitoring
from console.ui.monitor.loader import Loader
from console.ui.tasks import TaskManager

# (section, field) pairs in display order; labels are set in retranslate().
SECTIONS = {
    "health": ("availability", "uptime", "alarms"),
    "identity": ("id", "name", "model", "fw", "session", "adoption"),
    "place": ("unit", "coords", "groups"),
    "network": ("presence", "last_seen", "net", "ip", "rssi", "latency"),
    "telemetry": ("playing", "temp", "vol", "power", "level", "amp", "clock", "cache"),
}
MONITORED = ("availability", "alarms")  # rows shown only when there is a monitor
HEALTH_REFRESH_MS = 10_000


class DeviceDetailView(QScrollArea):
    """Call :meth:`set_device`; the panel then follows that device on its own timer.

    ``latency(device_id) -> ms | None`` gives the device's last measured live latency (the live
    control's cached ``LiveService.latencies()``); the row shows only when there is one.

    With the station's ``monitor`` (console.monitor.Monitor) the panel also shows the device's
    availability over 24 h / 7 days / 30 days and its open alarms, read on a worker when the device is
    chosen, every 10 s, and on :meth:`reload_health`."""

    def __init__(self, state: FleetState, parent=None, interval_ms: int = 500,
                 latency: Callable[[str], int | None] | None = None, monitor=None):
        super().__init__(parent)
        self._state = state
        self._latency = latency
        self._tracker = state.tracker()
        self._dev_id = ""
        self._events_shown: tuple | None = None
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        lay = QVBoxLayout(body)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.title.setWordWrap(True)
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.subtitle.setTextFormat(Qt.TextFormat.RichText)
        lay.addWidget(self.title)
        lay.addWidget(self.subtitle)
        self.boxes: dict[str, QGroupBox] = {}
        self.labels: dict[str, QLabel] = {}  # field -> its caption
        self.values: dict[str, QLabel] = {}
        self.forms: dict[str, QFormLayout] = {}
        for section, fields in SECTIONS.items():
            box = self.boxes[section] = QGroupBox()
            form = self.forms[section] = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
            for f in fields:
                caption, value = QLabel(), QLabel()
                value.setWordWrap(True)
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.labels[f], self.values[f] = caption, value
                form.addRow(caption, value)
            lay.addWidget(box)
        self.boxes["faults"] = QGroupBox()
        self.faults = QLabel()
        self.faults.setWordWrap(True)
        QVBoxLayout(self.boxes["faults"]).addWidget(self.faults)
        lay.addWidget(self.boxes["faults"])
        self.boxes["events"] = QGroupBox()
        self.events = QTreeWidget()
        self.events.setRootIsDecorated(False)
        self.events.setColumnCount(3)
        self.events.setMinimumHeight(160)
        self.events.header().setStretchLastSection(True)
        QVBoxLayout(self.boxes["events"]).addWidget(self.events)
        lay.addWidget(self.boxes["events"], 1)
        self.setWidget(body)
        for f in MONITORED:
            self.forms["health"].setRowVisible(self.values[f], monitor is not None)
        self._health = None
        if monitor is not None:
            self._health = Loader(TaskManager(self, workers=1), lambda: self._dev_id or None,
                                  lambda dev: monitoring.read_health(monitor, dev), self._show_health, view=self,
                                  refresh_ms=HEALTH_REFRESH_MS, parent=self)
        self.retranslate()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._timer.start(interval_ms)

    @property
    def device_id(self) -> str:
        return self._dev_id

    def set_device(self, dev_id: str) -> None:
        self._dev_id = dev_id
        self._events_shown = None
        for f in MONITORED:
            self.values[f].setText("…")
        self.refresh()
        self.reload_health()

    def reload_health(self, *_args) -> None:
        """Read the availability and open alarms again (e.g. when alarms changed)."""
        if self._health is not None:
            self._health.refresh()

    def _tick(self) -> None:
        dirty = self._tracker.take()
        if self._dev_id and self._dev_id in dirty:
            self.refresh()
        else:
            self._refresh_times()  # "12 s ago" moves on even when nothing arrives

    def retranslate(self) -> None:
        titles = {"health": self.tr("Health"), "identity": self.tr("Identity"), "place": self.tr("Location"),
                  "network": self.tr("Connection"), "telemetry": self.tr("Telemetry"), "faults": self.tr("Faults"),
                  "events": self.tr("Recent events")}
        for key, box in self.boxes.items():
            box.setTitle(titles[key])
        captions = {
            "id": self.tr("Device ID"), "name": self.tr("Name"), "model": self.tr("Model"),
            "fw": self.tr("Firmware"), "session": self.tr("Session"), "adoption": self.tr("Adoption"),
            "unit": self.tr("Commune/Ward"), "coords": self.tr("Coordinates"), "groups": self.tr("Groups"),
            "presence": self.tr("Status"), "last_seen": self.tr("Last seen"), "net": self.tr("Network"),
            "ip": self.tr("IP address"), "rssi": self.tr("Signal strength"),
            "availability": self.tr("Availability"), "alarms": self.tr("Open alarms"),
            "latency": self.tr("Live latency"), "playing": self.tr("Playing"), "temp": self.tr("Temperature"),
            "vol": self.tr("Volume"), "power": self.tr("Power"), "uptime": self.tr("Uptime"),
            "level": self.tr("Output level"),
            "amp": self.tr("Amplifier"), "clock": self.tr("Clock offset"), "cache": self.tr("Media cache"),
        }
        for f, caption in captions.items():
            self.labels[f].setText(caption + ":")
        self.events.setHeaderLabels([self.tr("Time"), self.tr("Event"), self.tr("Details")])
        self._events_shown = None
        self.refresh()

    # Filling in -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        d = self._state.get(self._dev_id) if self._dev_id else None
        for box in self.boxes.values():
            box.setVisible(d is not None)
        if d is None:
            self.title.setText(self.tr("No cluster selected"))
            self.subtitle.setText(self.tr("Select a loudspeaker cluster in the table to see its details."))
            return
        v, none = self.values, "—"
        self.title.setText(d.name or d.id)
        self._fill_status(d)
        v["id"].setText(d.id)
        v["name"].setText(d.name or none)
        v["model"].setText(d.model or none)
        v["fw"].setText(d.fw or none)
        v["session"].setText(str(d.session) if d.session >= 0 else none)
        v["adoption"].setText(self.tr("Adopted") if d.adopted else self._warn(self.tr("Pending: waiting to be adopted")))
        v["unit"].setText(f"{d.unit_name} ({d.unit_code})" if d.unit_name and d.unit_code else d.unit_code or none)
        v["coords"].setText(f"{d.lat:.5f}, {d.lon:.5f}" if d.lat is not None and d.lon is not None
                            else self.tr("none: shown at its commune's centre"))
        v["groups"].setText(", ".join(groups_of(d)) or none)
        v["net"].setText(" · ".join(x for x in (d.net_type.upper(), d.operator) if x) or none)
        v["ip"].setText(d.ip or none)
        if d.rssi is None:
            v["rssi"].setText(none)
        else:
            quality = (self.tr("very weak"), self.tr("weak"), self.tr("fair"), self.tr("good"),
                       self.tr("excellent"))[theme.rssi_bars(d.rssi)]
            v["rssi"].setText(theme.coloured_dot_html(theme.rssi_colour(d.rssi), f"{d.rssi} dBm ({quality})"))
        if d.playing:
            v["playing"].setText(f"{d.playing} ({fmt.label(fmt.PRIORITIES, d.playing_prio or 'normal')})")
        else:
            v["playing"].setText(self.tr("Idle"))
        v["temp"].setText(self._temp(d))
        v["vol"].setText(none if d.vol is None else f"{d.vol} %")
        power = fmt.label(fmt.POWER, d.power) or none
        v["power"].setText(power + (f" · {fmt.number(d.vbat)} V" if d.vbat is not None else ""))
        v["uptime"].setText(none if d.uptime is None else fmt.duration(d.uptime))
        v["level"].setText(none if d.level_db is None else f"{fmt.number(d.level_db)} dBFS")
        amp = fmt.label(fmt.AMP, d.amp) or none
        v["amp"].setText(self._warn(amp) if d.amp == "fault" else amp)
        v["clock"].setText(self._clock(d))
        v["cache"].setText(none if d.cache_ready is None else self.tr("{ready} files ready, {missing} missing").format(
            ready=d.cache_ready, missing=d.cache_missing or 0))
        self._fill_faults(d)
        self._fill_events(d)
        self._refresh_times()

    def _refresh_times(self) -> None:
        d = self._state.get(self._dev_id) if self._dev_id else None
        if d is None:
            return
        self._show_latency(d.id)
        if d.last_seen_ms:
            self.values["last_seen"].setText(f"{fmt.clock(d.last_seen_ms)} ({fmt.age((now_ms() - d.last_seen_ms) / 1000)})")
        else:
            self.values["last_seen"].setText(self.tr("never"))

    def _show_health(self, health: dict) -> None:
        """Availability per window and the open alarms (from the monitor, read on a worker)."""
        parts = []
        for window, pct in health["availability"].items():
            text = f"{monitoring.label(monitoring.RANGE_LABELS, window)}: <b>{monitoring.percent(pct)}</b>"
            parts.append(f'<span style="color:{monitoring.availability_colour(pct).name()}">{text}</span>')
        self.values["availability"].setText(" · ".join(parts))
        lines = []
        for a in health["alarms"]:
            when = self.tr("{state} since {time}").format(state=monitoring.label(monitoring.STATES, a["state"]),
                                                          time=fmt.clock(a["raised_at"]))
            detail = monitoring.alarm_detail(a)
            text = html.escape(monitoring.label(monitoring.RULES, a["rule"]) + (f": {detail}" if detail else "")
                               + f" ({when})")
            lines.append(self._warn(text) if a["state"] == "new" else f"⚠ {text}")
        self.values["alarms"].setText("<br>".join(lines) or self.tr("None"))

    def _show_latency(self, dev_id: str) -> None:
        """The device's last measured live latency (chime marker to loudspeaker), when there is one."""
        ms = self._latency(dev_id) if self._latency is not None else None
        self.forms["network"].setRowVisible(self.values["latency"], ms is not None)
        if ms is not None:
            self.values["latency"].setText(self.tr("{ms} ms (last live announcement)").format(ms=ms))

    def _fill_status(self, d: DeviceState) -> None:
        colour = theme.PRESENCE_COLOURS.get(d.state, theme.UNKNOWN)
        if d.state == "online" and d.state_since_ms:
            text = self.tr("Online since {time}").format(time=fmt.clock(d.state_since_ms))
        elif d.state == "online":
            text = self.tr("Online")
        elif d.state == "offline":
            text = offline_since(d)
        else:
            text = self.tr("Nothing heard from this device yet")
        text = html.escape(text)
        self.values["presence"].setText(theme.coloured_dot_html(colour, text))
        lines = [theme.coloured_dot_html(colour, f"<b>{text}</b>") + f" &nbsp;·&nbsp; {html.escape(d.id)}"]
        if d.state == "offline" and (d.offline_reason or "lost") == "lost":  # the will: detected late
            lines.append('<span style="color:{c}">{t}</span>'.format(c=theme.MUTED.name(), t=self.tr(
                "The broker notices a lost connection up to {n} s late (1.5 × keep-alive + will delay): "
                "the cluster may have gone silent before this time.").format(n=fmt.OFFLINE_DETECT_S)))
        if d.pending:
            lines.append('<span style="color:{c}">{t}</span>'.format(c=theme.PENDING.name(), t=self.tr(
                "Waiting to be adopted: it receives no commands until then.")))
        self.subtitle.setText("<br>".join(lines))

    def _temp(self, d: DeviceState) -> str:
        if d.temp is None:
            return "—"
        text = f"{fmt.number(d.temp)} °C"
        return self._warn(text + " — " + self.tr("hot")) if d.temp >= HOT_C else text

    def _clock(self, d: DeviceState) -> str:
        if d.clock_offset_ms is None:
            return "—"
        text = f"{fmt.number(d.clock_offset_ms / 1000, 2)} s"
        if d.clock_skewed:
            return self._warn(text + " — " + self.tr("more than 2 s: scheduled playback will be off time"))
        return text

    def _fill_faults(self, d: DeviceState) -> None:
        faults = sorted(d.faults | ({"amp"} if d.amp == "fault" else set()))
        if faults:
            self.faults.setText(self._warn(", ".join(fmt.label(fmt.FAULTS, f) for f in faults)))
        else:
            self.faults.setText(self.tr("No faults"))

    def _fill_events(self, d: DeviceState) -> None:
        events = tuple(d.events)
        if events == self._events_shown:
            return
        self._events_shown = events
        self.events.clear()
        now = now_ms()
        for ts, type_, data in events:
            details = monitoring.event_details(type_, data)
            item = QTreeWidgetItem([fmt.clock(ts, now), fmt.label(fmt.EVENTS, type_), details])
            if type_ in ("fault.raised", "play.failed", "media.failed", "offline"):
                item.setForeground(1, theme.WARNING)
            self.events.addTopLevelItem(item)
        self.events.resizeColumnToContents(0)
        self.events.resizeColumnToContents(1)

    @staticmethod
    def _warn(text: str) -> str:
        return f'<span style="color:{theme.WARNING.name()}; font-weight:600">⚠ {text}</span>'

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
