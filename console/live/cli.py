"""``python -m console live|emergency ...``: live announcements and emergency broadcasts from the
command line (docs/live.md).

    live --broker URL --site SITE [--group G...] [--unit CODE...] [--device ID...] --input DEVICE_OR_WAVFILE
         [--max-s S] [--no-chime] [--json]
    emergency start --broker URL --site SITE (--content ID | --input WAVFILE) [--group G...] [--unit CODE...]
         [--device ID...] [--max-s S] --yes [--json]
    emergency stop --broker URL --site SITE [--json]

``live`` and ``emergency start --input`` embed what they need: an MQTT client, a stream server on
``media_host`` (any free port unless ``--port``) and the live service; they run until interrupted or the
input ends. ``emergency start --content`` sends the prepared item's URL on the station's media server
(``serve`` or the GUI must be running to serve it; devices that hold it already play it at once).
Without targets, every device. Exit codes: 0 done; 1 refused or no device reacted; 2 bad input or no broker.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from console.settings import Settings

REPORT_WAIT_S = 5.0  # how long start commands wait for the devices' first reports


def add_arguments(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    def targets(p: argparse.ArgumentParser) -> None:
        p.add_argument("--broker", metavar="URL", help="MQTT broker URL")
        p.add_argument("--site", metavar="SITE", help="station (site) id")
        p.add_argument("--group", action="append", default=[], metavar="G")
        p.add_argument("--unit", action="append", default=[], metavar="CODE")
        p.add_argument("--device", action="append", default=[], metavar="ID")
        p.add_argument("--max-s", type=int, metavar="S", help="longest duration (default: the setting)")
        p.add_argument("--port", type=int, default=0, help="port of the stream server (default: any free)")
        p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("live", parents=[common], help="go live from a microphone or a WAV file")
    targets(p)
    p.add_argument("--input", required=True, metavar="DEVICE_OR_WAVFILE", help="an input device id or an audio file")
    p.add_argument("--no-chime", action="store_true", help="no chime before the voice")

    em = sub.add_parser("emergency", help="emergency broadcast")
    esub = em.add_subparsers(dest="emergency_command", required=True, metavar="EMERGENCY_COMMAND")
    p = esub.add_parser("start", parents=[common], help="start an emergency broadcast")
    targets(p)
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--content", type=int, metavar="ID", help="a prepared (approved) library item")
    src.add_argument("--input", metavar="WAVFILE", help="an audio file, streamed live at emergency level")
    p.add_argument("--yes", action="store_true", help="confirm: this interrupts everything on the targets")
    p = esub.add_parser("stop", parents=[common], help="stop the emergency broadcast on every device")
    p.add_argument("--broker", metavar="URL", help="MQTT broker URL")
    p.add_argument("--site", metavar="SITE", help="station (site) id")
    p.add_argument("--json", action="store_true", help="print JSON")


class _Desk:
    """What a live or emergency command needs, without a console: DB, MQTT, stream server, service."""

    def __init__(self, settings: Settings, port: int = 0):
        from console.audio.library import Library
        from console.fleet.client import MqttClient
        from console.fleet.ingest import Ingest
        from console.fleet.state import FleetState
        from console.fleet import topics
        from console.live.service import LiveService
        from console.media.server import MediaServer
        from console.media.store import MediaStore
        from console.schedule.asrun import AsRun
        from console.schedule.service import Scheduler
        from console.station import TeeSink, _require, media_base
        from console.store.db import open_database
        from console.store.writer import DbWriter

        self.db = open_database(settings.db_url)
        self.writer = DbWriter(self.db).start()
        lib = Library(self.db, MediaStore(settings.media_path), settings.user, settings.user_role)
        sched = Scheduler(self.db, lib, settings.user, settings.user_role, writer=self.writer)
        host = settings.media_host
        self.server = MediaServer(settings.media_path, host=host, port=port).start()
        self.server.public_base = media_base(settings, self.server)
        self.sink = TeeSink(self.writer)
        # Events are followed (and stored), presence is not published: this is not the console.
        self.ingest = Ingest(settings.site_id, FleetState(), self.sink)
        self.client = MqttClient(_require(settings), client_id=f"tt-live-{uuid.uuid4().hex[:8]}",
                                 on_message=self.ingest.on_message)
        self.client.subscribe(topics.device_wildcard(settings.site_id, "evt"), 1)
        self.ingest.start()
        self.client.connect(10)
        publish = lambda t, p: self.client.publish_wait(t, p, qos=1, timeout=5.0, expiry_s=60)  # noqa: E731
        self.service = LiveService(sched, settings.site_id, publish, self.server,
                                   live_roles=settings.live_roles, emergency_roles=settings.emergency_roles,
                                   archive_dir=settings.data_path / "recordings" / "live", asrun=AsRun(sched),
                                   live_max_s=settings.live_max_s, emergency_max_s=settings.emergency_max_s,
                                   icecast=(settings.icecast_url, settings.icecast_password)
                                   if settings.icecast_url else None)
        self.sink.listeners.append(self.service.on_events)

    def close(self, stop_sessions: bool = True) -> None:
        for step in ((self.service.shutdown,) if stop_sessions else ()) + (self.client.disconnect, self.ingest.stop, self.server.stop,
                     self.writer.stop, self.db.close):
            try:
                step()
            except Exception:  # noqa: BLE001 - close all we can
                pass


def _targets(args):
    from console.schedule.model import Targets

    return Targets(tuple(args.group), tuple(args.unit), tuple(args.device))


def _source(spec: str):
    from console.live.source import MicSource, WavFileSource

    return WavFileSource(Path(spec)) if Path(spec).is_file() else MicSource(spec or None)


def _run_until_end(desk: _Desk, session) -> None:
    """Until the source ends, the maximum duration, or Ctrl+C / SIGTERM."""
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    while session.ended_ms is None and not stop.wait(0.2):
        pass
    if session.ended_ms is None:
        desk.service.stop(session.id, "interrupted")


def _report(args, session, extra: dict | None = None) -> int:
    out = session.as_json() | (extra or {})
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        print(f"{session.kind} {session.id}: {out['playing']} playing, {out['responded']} of {out['targets']} "
              f"responded; {session.url or ''}")
    return 0 if out["responded"] or not out["targets"] else 1


def run(args: argparse.Namespace, settings: Settings) -> int:
    from console.live.service import RECEIPT_GRACE_S, LiveRefused, wait_for
    from console.schedule.service import ScheduleError

    if args.command == "emergency" and args.emergency_command == "start" and not args.yes:
        print("error: an emergency broadcast interrupts everything on its targets: add --yes to confirm",
              file=sys.stderr)
        return 2
    desk = _Desk(settings, getattr(args, "port", 0))
    keep_playing = False
    try:
        svc = desk.service
        if args.command == "emergency" and args.emergency_command == "stop":
            svc._send(["all"], "emergency.stop", {})
            print(json.dumps({"stopped": True}) if args.json else "emergency stop sent to every device")
            return 0
        targets = _targets(args)
        if args.command == "live":
            session = svc.go_live(_source(args.input), targets, chime=not args.no_chime, max_s=args.max_s)
        elif args.content is not None:
            session = svc.start_emergency(targets, item_id=args.content, max_s=args.max_s)
            keep_playing = True  # the devices play the item to its end (or emergency stop); we may go
            wait_for(lambda: session.counts()["silent"] == 0, REPORT_WAIT_S)
            return _report(args, session)
        else:
            session = svc.start_emergency(targets, source=_source(args.input), max_s=args.max_s)
        if not args.json:
            print(f"{session.kind} {session.id} on air: {session.url} to {len(session.devices)} device(s)",
                  file=sys.stderr, flush=True)
        _run_until_end(desk, session)
        wait_for(lambda: session.archive_item_id is not None, RECEIPT_GRACE_S + 10)
        return _report(args, session)
    except (LiveRefused, ScheduleError, ValueError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    finally:
        desk.close(stop_sessions=not keep_playing)
