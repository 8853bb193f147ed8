"""The station without GUI: database, single writer, broker (demo), fleet service, simulator (demo).

``Station`` is what ``serve`` runs and what the GUI displays. ``fleet_snapshot`` and ``send_command``
back the ``fleet`` CLI commands: short-lived clients with the same presence logic as the console.
"""

from __future__ import annotations

import logging
import time
import uuid
from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from console.fleet.broker import EmbeddedBroker, start_embedded_broker
from console.fleet.service import FleetService
from console.settings import BrokerConfig, Settings, parse_broker_url

log = logging.getLogger(__name__)


DEMO_TELE_S = 10  # the demo looks alive; real devices default to 30 s
DEMO_KEEPALIVE_S = 10  # so a power cut shows within ~15 s
# The station's MQTT session outlives a restart of the console by this much: the broker keeps the
# QoS 1 device events and acks that arrive meanwhile, and delivers them when the console is back.
SESSION_EXPIRY_S = 7 * 24 * 3600


def station_client_id(data_dir: Path, site: str) -> str:
    """A client id stable across restarts of this station (one per data directory)."""
    path = data_dir / "instance-id"
    try:
        instance = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        instance = uuid.uuid4().hex[:12]
        path.write_text(instance + "\n", encoding="ascii")
    return f"tt-console-{site}-{instance}"[:64]


def load_registry(db) -> list[dict]:
    """Every device of the station's database with its unit and groups."""
    from console.store.models import AdminUnit, Device

    with db.sessions() as s:
        rows = s.execute(
            select(Device, AdminUnit.code, AdminUnit.name)
            .outerjoin(AdminUnit, Device.unit_id == AdminUnit.id)
            .options(selectinload(Device.groups))).all()
        return [{"id": d.id, "adopted": d.adoption == "adopted", "name": d.name or "", "unit_code": code or "",
                 "unit_name": name or "", "lat": d.lat, "lon": d.lon, "groups": [g.id for g in d.groups]}
                for d, code, name in rows if d.adoption != "retired"]


def apply_registry(state, registry: list[dict]) -> None:
    for r in registry:
        state.register(r["id"], adopted=r["adopted"], name=r["name"], unit_code=r["unit_code"],
                       unit_name=r["unit_name"], lat=r["lat"], lon=r["lon"], groups=r["groups"])


def _existing_registry(settings: Settings) -> list[dict]:
    """The registry of the station in ``settings``' data dir, without creating a database."""
    if not settings.database_url and not (settings.data_path / "console.db").exists():
        return []
    from console.store.db import open_database

    db = open_database(settings.db_url, seed=False)
    try:
        return load_registry(db)
    finally:
        db.close()


class TeeSink:
    """The ingest worker's sink: everything to the DB writer, and device events also to listeners
    (which must return at once: they run on the ingest thread)."""

    def __init__(self, writer) -> None:
        self.writer = writer
        self.listeners: list = []

    def device_seen(self, dev_id: str, ts_ms: int, **fields) -> None:
        self.writer.device_seen(dev_id, ts_ms, **fields)

    def add_events(self, events: list[dict]) -> None:
        self.writer.add_events(events)
        for listener in self.listeners:
            try:
                listener(events)
            except Exception:  # noqa: BLE001 - a listener must not stop the ingest
                log.exception("event listener failed")


class Station:
    def __init__(self, settings: Settings, *, demo_devices: int | None = None):
        self.settings = settings
        self.demo = settings.demo
        self.site = settings.site_id
        self.demo_devices = settings.demo_devices if demo_devices is None else demo_devices
        self.broker: EmbeddedBroker | None = None
        self.broker_url = ""
        self.db = None
        self.writer = None
        self.fleet: FleetService | None = None
        self.sim = None
        self.library = None  # the audio library (console.audio.library.Library)
        self.scheduler = None  # console.schedule.service.Scheduler
        self.media_server = None  # console.media.server.MediaServer
        self.media_error = ""  # why there is no media server
        self.dispatcher = None  # console.schedule.dispatch.Dispatcher
        self.asrun = None  # console.schedule.asrun.AsRun
        self.live = None  # console.live.service.LiveService
        self.monitor = None  # console.monitor.Monitor: history, alarms, availability
        self.sync = None  # console.sync.worker.SyncWorker (None: no province_url)
        self.sync_error = ""
        self.sink = None  # device facts: to the DB writer, and events to the live service
        self.recordings_dir = settings.data_path / "recordings"
        self.user = settings.user
        self.render_options = {"fmt": settings.render_format, "bitrate_k": settings.render_bitrate_k,
                               "lufs": settings.target_lufs, "true_peak": settings.target_true_peak}

    @property
    def db_url_display(self) -> str:
        url = self.settings.db_url
        return url.split("@")[-1] if "@" in url else url

    def start(self) -> "Station":
        from console.store.db import open_database
        from console.store.writer import DbWriter

        data = self.settings.data_path
        data.mkdir(parents=True, exist_ok=True)
        try:
            self.db = open_database(self.settings.db_url)
            self.writer = DbWriter(self.db)
            self.writer.start()
            self.sink = TeeSink(self.writer)
            if self.demo:
                self.broker = start_embedded_broker(workdir=data / "broker")
                broker = parse_broker_url(self.broker.url)
            else:
                broker = self.settings.broker()
            self.broker_url = broker.url
            self.fleet = FleetService(broker, self.site, sink=self.sink, session_expiry_s=SESSION_EXPIRY_S,
                                      client_id=station_client_id(data, self.site))
            from console.audio.library import Library
            from console.media.store import MediaStore

            self.library = Library(self.db, MediaStore(self.settings.media_path), self.settings.user,
                                   self.settings.user_role)
            self._start_scheduling()
            specs = self._prepare_demo() if self.demo else []
            apply_registry(self.fleet.state, load_registry(self.db))
            self.fleet.start()
            self._start_monitor()
            self.dispatcher.start()
            self.asrun.start()
            self._start_sync()
            if self.demo:
                self._start_sim(broker, specs)
        except BaseException:
            self.stop()
            raise
        return self

    def _start_scheduling(self) -> None:
        from console.media.server import MediaServer
        from console.schedule.asrun import AsRun
        from console.schedule.service import Scheduler

        s = self.settings
        self.scheduler = Scheduler(self.db, self.library, s.user, s.user_role, writer=self.writer,
                                   on_change=lambda: self.dispatcher and self.dispatcher.request())
        # The demo's media server listens on loopback only, on any free port.
        host, port = ("127.0.0.1", 0) if self.demo else (s.media_host, s.media_port)
        server = MediaServer(s.media_path, host=host, port=port, secret=s.media_secret or None,
                             public_base=s.media_base or None, logs_dir=s.logs_path)
        try:
            self.media_server = server.start()
            server.public_base = media_base(s, server)  # what the devices use (not 0.0.0.0)
        except OSError as e:
            # The station still runs (devices keep what they hold); the reason is shown and logged.
            self.media_error = f"the media server cannot listen on {host}:{port}: {e.strerror or e}"
            log.error("%s", self.media_error)
        self.dispatcher = make_dispatcher(s, self.scheduler, self._publish_retained, self.media_server)
        self.asrun = AsRun(self.scheduler, alarm_min=s.readiness_alarm_min)
        from console.live.service import LiveService

        self.live = LiveService(self.scheduler, self.site, self._publish_command, self.media_server,
                                live_roles=s.live_roles, emergency_roles=s.emergency_roles,
                                archive_dir=self.recordings_dir / "live", asrun=self.asrun,
                                live_max_s=s.live_max_s, emergency_max_s=s.emergency_max_s,
                                icecast=(s.icecast_url, s.icecast_password) if s.icecast_url else None)
        self.sink.listeners.append(self.live.on_events)

    def _start_sync(self) -> None:
        from console.sync.service import SyncConfigError, make_worker

        if not self.settings.province_url:
            return
        try:
            self.sync = make_worker(self.settings, self.db, writer=self.writer, library=self.library,
                                    scheduler=self.scheduler, live=self.live).start()
        except SyncConfigError as e:  # the station runs; the reason is logged and shown
            self.sync_error = str(e)
            log.error("province sync: %s", e)

    def _start_monitor(self) -> None:
        from console.monitor import Monitor

        self.monitor = Monitor(self.db, self.writer, self.fleet.state, self.settings,
                               messages=lambda: self.fleet.ingest.processed)
        self.sink.listeners.append(self.monitor.on_events)  # faults raised before a restart can clear
        self.monitor.start()

    def _publish_command(self, topic: str, payload: bytes) -> bool:
        return self.fleet.client.publish_wait(topic, payload, qos=1, retain=False, timeout=5.0,
                                              expiry_s=60)

    def _publish_retained(self, topic: str, payload: bytes) -> bool:
        return self.fleet.client.publish_wait(topic, payload, qos=1, retain=True, timeout=10.0)

    # Demo -----------------------------------------------------------------------------------------
    def _prepare_demo(self) -> list:
        """Register the demo fleet (adopted, at real communes) unless it is registered already.

        A few extra simulated devices are left unregistered, so the demo shows pending adoption.
        """
        from console.sim.layout import demo_layout
        from console.store import demo

        specs = demo_layout(self.demo_devices, seed=self.settings.demo_seed)
        demo.register_demo_fleet(self.db, specs)
        return specs

    def _start_sim(self, broker: BrokerConfig, specs: list) -> None:
        from console.sim.device import numbered_specs
        from console.sim.fleet import SimFleet
        from console.sim.scenarios import ScenarioMix

        # Three devices nobody registered: the demo shows pending adoption.
        strays = [replace(sp, lat=near.lat + 0.004, lon=near.lon + 0.004)
                  for sp, near in zip(numbered_specs(3, "NEW"), specs)]
        self.sim = SimFleet(broker, self.site, specs + strays, seed=self.settings.demo_seed, tele_s=DEMO_TELE_S,
                            keepalive=DEMO_KEEPALIVE_S,
                            # per device per hour: with 100 devices, a flap every few minutes and a
                            # new fault now and then
                            scenarios=ScenarioMix(flap_rate=0.05, fault_rate=0.02, dark_rate=0.005,
                                                  drift_rate=0.005))
        self.sim.start()
        # A few things a technician would look at, from the first minute.
        if len(specs) >= 10:
            self.sim.raise_fault(specs[3].id, "amp")
            self.sim.raise_fault(specs[8].id, "speaker_line")
            self.sim.drift_clock(specs[5].id, ms_per_min=3000)
            self.sim.power_cut(specs[6].id)

    # Actions --------------------------------------------------------------------------------------
    def adopt(self, dev_id: str, name: str | None = None) -> Future:
        """Adopt a pending device: written by the single DB writer, then applied to the fleet state by
        the ingest worker. Returns at once; the future fails with the reason if the write fails."""
        from console.store import repo

        def register(_done: Future) -> None:
            if _done.exception() is None:
                self.fleet.ingest.call(lambda: self.fleet.state.set_adopted(dev_id, name))
                if self.dispatcher is not None:
                    self.dispatcher.request()  # its groups, and the units it is in, may have schedules

        future = self.writer.call(lambda s: repo.adopt_device(s, dev_id, name=name) and None)
        future.add_done_callback(register)
        return future

    def stop(self) -> None:
        for step in (lambda: self.sync and self.sync.stop(), lambda: self.live and self.live.shutdown(),
                     lambda: self.sim and self.sim.stop(), lambda: self.asrun and self.asrun.stop(),
                     lambda: self.dispatcher and self.dispatcher.stop(),
                     lambda: self.media_server and self.media_server.stop(),
                     lambda: self.monitor and self.monitor.stop(),
                     lambda: self.fleet and self.fleet.stop(),
                     lambda: self.writer and self.writer.stop(), lambda: self.broker and self.broker.stop(),
                     lambda: self.db and self.db.close()):
            try:
                step()
            except Exception:  # noqa: BLE001 - stop everything we can
                log.exception("stopping the station")
        self.sim = self.fleet = self.writer = self.broker = self.db = None
        self.asrun = self.dispatcher = self.media_server = self.live = self.monitor = self.sync = None


# Short-lived CLI helpers ------------------------------------------------------------------------
def fleet_snapshot(settings: Settings, broker: BrokerConfig, wait_s: float = 3.0) -> dict:
    """Listen ``wait_s`` seconds to retained state and live traffic; summarise presence as JSON-able."""
    svc = FleetService(broker, settings.site_id, commands_need_adoption=False)
    apply_registry(svc.state, _existing_registry(settings))
    svc.start()
    try:
        time.sleep(max(0.0, wait_s))
        svc.ingest.wait_idle(5)
    finally:
        svc.stop()
    devices = []
    for d in sorted(svc.state.devices.values(), key=lambda d: d.id):
        row = d.as_dict()
        row["state"] = "online" if d.online else "offline"
        devices.append(row)
    return {
        "site": settings.site_id,
        "online": sum(r["state"] == "online" for r in devices),
        "offline": sum(r["state"] == "offline" for r in devices),
        "pending": sum(not r["adopted"] for r in devices),
        "rejected": dict(svc.ingest.rejected),
        "devices": devices,
    }


def send_command(settings: Settings, broker: BrokerConfig, dev_id: str, op: str, args: dict,
                 timeout: float = 30.0) -> dict:
    """Send one command and wait for its final ack (or the timeout)."""
    registry = {r["id"]: r for r in _existing_registry(settings)}
    if registry and not registry.get(dev_id, {}).get("adopted"):
        log.warning("device %s is not adopted in this station's database; sending anyway (CLI)", dev_id)
    svc = FleetService(broker, settings.site_id, commands_need_adoption=False)
    svc.start()
    try:
        cmd = svc.send(dev_id, op, args, ttl=timeout)
        cmd.wait(timeout + 1)
        return cmd.as_dict()
    finally:
        svc.stop()


def lan_address() -> str:
    """This machine's address on its default route (no packet is sent), else loopback."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("10.255.255.255", 1))
            return sock.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def media_base(settings: Settings, server=None) -> str:
    """The media URL devices use: the setting, else this station's media server."""
    if settings.media_base:
        return settings.media_base.rstrip("/")
    host, port = (server.host, server.port) if server is not None else (settings.media_host, settings.media_port)
    if host in ("", "0.0.0.0", "::"):
        host = lan_address()
    return f"http://{host}:{port}/media"


def make_dispatcher(settings: Settings, scheduler, publish, server=None):
    from console.media.server import UrlSigner, media_path
    from console.schedule.dispatch import Dispatcher

    base = media_base(settings, server)
    signer = UrlSigner(settings.media_secret) if settings.media_secret else None

    def url(name: str, expires_at: float | None) -> str:
        plain = f"{base}/{name}"
        if signer is None or expires_at is None:
            return plain
        return f"{plain}?{signer.sign(media_path(*name.split('.', 1)), expires_at)}"

    render = {"fmt": settings.render_format, "bitrate_k": settings.render_bitrate_k,
              "lufs": settings.target_lufs, "true_peak": settings.target_true_peak}
    return Dispatcher(scheduler, settings.site_id, publish, base, url, render_options=render,
                      window_days=settings.schedule_window_days)


def publish_schedules(settings: Settings, scheduler, timeout: float = 10.0) -> dict:
    """Compile and publish now with a short-lived MQTT client (``schedule publish``)."""
    from console.fleet.client import MqttClient

    client = MqttClient(_require(settings), client_id=f"tt-publish-{uuid.uuid4().hex[:8]}")
    client.connect(timeout)
    try:
        dispatcher = make_dispatcher(
            settings, scheduler, lambda t, p: client.publish_wait(t, p, qos=1, retain=True, timeout=timeout))
        return dispatcher.publish().as_json()
    finally:
        client.disconnect()


def _require(settings: Settings) -> BrokerConfig:
    from console.settings import SettingsError

    if not settings.broker_url:
        raise SettingsError("no broker: give --broker mqtt://host:port (or set broker_url / TT_BROKER_URL)")
    return settings.broker()


__all__ = ["Station", "fleet_snapshot", "media_base", "publish_schedules", "send_command"]
