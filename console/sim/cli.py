"""``python -m console sim``: run a simulated fleet until SIGINT/SIGTERM.

``add_arguments(parser)`` declares the options; ``run(args)`` returns the exit code: 0 after a clean
stop, 2 for bad options, 1 when the broker cannot be used. Errors are one line on stderr.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time

from console.settings import SettingsError, parse_broker_url
from console.sim.fleet import MEDIA_THREADS, SMALL_FLEET, SimError, SimFleet
from console.sim.layout import DEFAULT_PROVINCE, demo_layout
from console.sim.scenarios import ScenarioMix

PROGRESS_EVERY_S = 5.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--broker", required=True, metavar="URL",
                        help="broker URL, mqtt://[user:pass@]host[:port] or mqtts://...")
    parser.add_argument("--site", required=True, help="site (station) id, the root of the topics")
    parser.add_argument("--devices", type=int, default=100, metavar="N", help="number of devices (default 100)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--tele-s", type=int, default=30, metavar="T", help="telemetry period, s (default 30)")
    parser.add_argument("--keepalive", type=int, default=30, metavar="K", help="MQTT keepalive, s (default 30)")
    parser.add_argument("--will-delay", type=int, default=0, metavar="W",
                        help="MQTT 5 will delay interval, s (default 0; real devices use 15-30)")
    parser.add_argument("--connect-rate", type=float, default=1000, metavar="R",
                        help="connects per second, 0 = all at once (default 1000)")
    parser.add_argument("--province", default=DEFAULT_PROVINCE, metavar="CODE",
                        help=f"GSO code of the province whose communes host the devices (default {DEFAULT_PROVINCE})")
    parser.add_argument("--id-prefix", default="SIM", help="device id prefix (default SIM)")
    parser.add_argument("--media-threads", type=int, default=MEDIA_THREADS, metavar="N",
                        help=f"threads downloading scheduled media over HTTP, 0 = simulate downloads "
                             f"(default {MEDIA_THREADS})")
    parser.add_argument("--live-decoders", type=int, default=None, metavar="N",
                        help=f"devices that pull and decode live streams at a time, the others only pretend "
                             f"(default: up to {SMALL_FLEET}; 0 = none)")
    parser.add_argument("--ca-file", help="CA certificate for mqtts:// (default: system store)")
    parser.add_argument("--tls-insecure", action="store_true", help="skip TLS host name verification")
    for kind, what in (("flap", "link drops"), ("fault", "amplifier/speaker-line faults"),
                       ("dark", "power cuts"), ("drift", "clock-drift episodes")):
        parser.add_argument(f"--{kind}-rate", type=float, default=0.0, metavar="PER_H",
                            help=f"{what} per device per hour (default 0)")


def _fail(message: str, code: int) -> int:
    print(f"sim: {message}", file=sys.stderr)
    return code


def _progress(fleet: SimFleet, uptime: float) -> None:
    s = fleet.stats()
    note = f"; last error: {s['last_error']}" if s["connected"] < s["devices"] and s["last_error"] else ""
    print(f"sim: {s['connected']}/{s['devices']} connected (MQTT {s['protocol']}), {s['published']} published, "
          f"{s['dark']} dark, {s['down']} link down, {s['faults']} faulty, up {uptime:.0f} s{note}",
          file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    try:
        broker = parse_broker_url(args.broker, ca_file=args.ca_file, tls_insecure=args.tls_insecure)
        mix = ScenarioMix(flap_rate=args.flap_rate, fault_rate=args.fault_rate, dark_rate=args.dark_rate,
                          drift_rate=args.drift_rate)
        if args.devices < 1:
            raise ValueError("--devices must be at least 1")
        specs = demo_layout(args.devices, args.seed, args.province, args.id_prefix)
        fleet = SimFleet(broker, args.site, specs, seed=args.seed, tele_s=args.tele_s, keepalive=args.keepalive,
                         will_delay=args.will_delay, connect_rate=args.connect_rate, scenarios=mix,
                         id_prefix=args.id_prefix, media_threads=args.media_threads,
                         live_decoders=args.live_decoders)
    except (SettingsError, ValueError) as e:
        return _fail(str(e), 2)
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        try:
            fleet.start()
        except SimError as e:
            return _fail(str(e), 1)
        started = time.monotonic()
        next_report, all_seen = started + PROGRESS_EVERY_S, False
        while not stop.wait(0.2):
            now = time.monotonic()
            all_now = fleet.connected_count() == len(fleet.devices)
            if now >= next_report or (all_now and not all_seen):
                next_report, all_seen = now + PROGRESS_EVERY_S, all_seen or all_now
                _progress(fleet, now - started)
        fleet.stop()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print(f"sim: stopped ({fleet.stats()['devices']} devices)", file=sys.stderr)
    return 0
