"""``python -m console <command>``: the headless command line.

Every command honours ``--data-dir`` (and ``TT_DATA_DIR``), so several stations, tests and checks can
run side by side, and exits non-zero with one clear line on bad input, never with a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import Sequence

from console import settings as settings_mod
from console.errors import CliError, wait_for_signal

log = logging.getLogger("console")


def _common() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    g = p.add_argument_group("common options")
    g.add_argument("--config", metavar="FILE", help="config file (TOML); default: the platform config dir")
    g.add_argument("--data-dir", metavar="DIR", help="data directory (also TT_DATA_DIR)")
    g.add_argument("--db", metavar="URL", dest="database_url", help="database URL (default: SQLite in the data dir)")
    g.add_argument("--log-level", default="warning", choices=["debug", "info", "warning", "error"])
    return p


def _station_args(p: argparse.ArgumentParser, broker_help: str = "MQTT broker URL") -> None:
    p.add_argument("--broker", metavar="URL", help=broker_help)
    p.add_argument("--site", metavar="SITE", help="station (site) id")


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(prog="python -m console", description="Station console, headless commands.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("gui", parents=[common], help="start the GUI (same as python main.py)")
    _station_args(p, "MQTT broker URL (empty: demo station)")
    p.add_argument("--lang", choices=settings_mod.LANGUAGES)

    from console.sim import cli as sim_cli
    p = sub.add_parser("sim", parents=[common], help="run simulated loudspeaker clusters until interrupted")
    sim_cli.add_arguments(p)

    fleet = sub.add_parser("fleet", help="look at and command the fleet")
    fsub = fleet.add_subparsers(dest="fleet_command", required=True, metavar="FLEET_COMMAND")
    p = fsub.add_parser("status", parents=[common], help="print the fleet's presence")
    _station_args(p)
    p.add_argument("--wait-s", type=float, default=3.0, help="seconds to listen (default 3)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = fsub.add_parser("command", parents=[common], help="send a command and print its final ack")
    _station_args(p)
    p.add_argument("--device", required=True, metavar="ID")
    p.add_argument("--op", required=True, metavar="OP")
    p.add_argument("--args", default="{}", metavar="JSON", help="command arguments as a JSON object")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for the final ack (default 30)")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("serve", parents=[common], help="the station service without GUI: ingest and persistence")
    _station_args(p, "MQTT broker URL (empty: demo station with embedded broker and simulated fleet)")

    from console.audio import cli as audio_cli
    audio_cli.add_arguments(sub, common)
    from console.schedule import cli as schedule_cli
    schedule_cli.add_arguments(sub, common)
    from console.live import cli as live_cli
    live_cli.add_arguments(sub, common)
    from console.province import cli as province_cli
    province_cli.add_arguments(sub, common)
    from console.sync import cli as sync_cli
    sync_cli.add_arguments(sub, common)
    from console.report import cli as report_cli
    report_cli.add_arguments(sub, common)

    p = sub.add_parser("screenshot", parents=[common], help="render a view offscreen to a PNG")
    p.add_argument("--view", default="main", help="view to render: main, editor, library, timeline, asrun, live, emergency, map, graphs, technician, alarms")
    p.add_argument("--out", required=True, metavar="PNG")
    p.add_argument("--demo-devices", type=int, default=100, metavar="N")
    p.add_argument("--lang", choices=settings_mod.LANGUAGES, default=None)
    p.add_argument("--width", type=int, default=1400)
    p.add_argument("--height", type=int, default=860)
    return parser


def load_settings(args: argparse.Namespace) -> settings_mod.Settings:
    cli = {
        "data_dir": getattr(args, "data_dir", None),
        "database_url": getattr(args, "database_url", None),
        "broker_url": getattr(args, "broker", None),
        "site_id": getattr(args, "site", None),
        "language": getattr(args, "lang", None),
    }
    return settings_mod.load(cli, config_file=getattr(args, "config", None))


def _require_broker(s: settings_mod.Settings) -> settings_mod.BrokerConfig:
    if not s.broker_url:
        raise CliError("no broker: give --broker mqtt://host:port (or set broker_url / TT_BROKER_URL)")
    return s.broker()


# Commands ---------------------------------------------------------------------------------------
def cmd_fleet_status(args, s) -> int:
    from console.station import fleet_snapshot

    snap = fleet_snapshot(s, _require_broker(s), wait_s=args.wait_s)
    if args.json:
        print(json.dumps(snap, ensure_ascii=False))
    else:
        print(f"online {snap['online']}  offline {snap['offline']}  pending {snap['pending']}")
        for d in snap["devices"]:
            print(f"{d['id']:<16} {d['state']:<8} {'adopted' if d['adopted'] else 'pending':<8} "
                  f"{d['unit'] or '-':<8} rssi {d['rssi'] if d['rssi'] is not None else '-'}")
    return 0


def cmd_fleet_command(args, s) -> int:
    from console.station import send_command

    try:
        cmd_args = json.loads(args.args)
    except json.JSONDecodeError as e:
        raise CliError(f"--args is not valid JSON: {e}") from None
    if not isinstance(cmd_args, dict):
        raise CliError("--args must be a JSON object, e.g. '{\"vol\": 60}'")
    result = send_command(s, _require_broker(s), args.device, args.op, cmd_args, timeout=args.timeout)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"{result['device']} {result['op']}: {result['status']}"
              + (f" ({result['err']})" if result.get("err") else ""))
    if result["status"] == "done":
        return 0
    if result["status"] == "timeout":
        print(f"error: no final ack from {args.device} within {args.timeout:g} s", file=sys.stderr)
        return 3
    return 1


def cmd_serve(args, s) -> int:
    from console.station import Station

    station = Station(s)
    station.start()
    print(f"station {station.site} serving: broker {station.broker_url}, database {station.db_url_display}"
          + (" (demo)" if station.demo else ""), file=sys.stderr, flush=True)
    try:
        wait_for_signal()
    finally:
        station.stop()
    return 0


def cmd_sim(args, s) -> int:
    from console.sim import cli as sim_cli

    if not args.broker:
        args.broker = _require_broker(s).url
    return sim_cli.run(args)


def cmd_screenshot(args, s) -> int:
    from console.app import screenshot

    return screenshot(s, view=args.view, out=args.out, devices=args.demo_devices, size=(args.width, args.height))


def cmd_audio(args, s) -> int:
    from console.audio import cli as audio_cli

    return audio_cli.run(args, s)


def cmd_schedule(args, s) -> int:
    from console.schedule import cli as schedule_cli

    return schedule_cli.run(args, s)


def cmd_live(args, s) -> int:
    from console.live import cli as live_cli

    return live_cli.run(args, s)


def cmd_province(args, s) -> int:
    from console.province import cli as province_cli

    return province_cli.run(args, s)


def cmd_sync(args, s) -> int:
    from console.sync import cli as sync_cli

    return sync_cli.run(args, s)


def cmd_report(args, s) -> int:
    from console.report import cli as report_cli

    return report_cli.run(args, s)


def cmd_gui(args, s) -> int:
    from console.app import run_gui

    return run_gui(s)


COMMAND_NAMES = ("gui", "sim", "fleet", "serve", "screenshot", "audio", "group", "schedule", "asrun", "live", "emergency",
                 "province", "sync", "report")
COMMANDS = {
    "gui": cmd_gui, "audio": cmd_audio, "group": cmd_schedule, "schedule": cmd_schedule, "asrun": cmd_schedule, "live": cmd_live, "emergency": cmd_live, "province": cmd_province, "sync": cmd_sync, "report": cmd_report, "sim": cmd_sim, "serve": cmd_serve, "screenshot": cmd_screenshot,
    ("fleet", "status"): cmd_fleet_status, ("fleet", "command"): cmd_fleet_command,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=getattr(logging, args.log_level.upper(), logging.WARNING),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    key = (args.command, args.fleet_command) if args.command == "fleet" else args.command
    from console.errors import user_message

    try:
        s = load_settings(args)
        return COMMANDS[key](args, s)
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # noqa: BLE001 - one clear line, never a traceback
        log.debug("failed", exc_info=True)
        message, code = user_message(e)
        print(f"error: {message}", file=sys.stderr)
        return code


if __name__ == "__main__":
    sys.exit(main())
