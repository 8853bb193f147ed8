"""console.sim.cli: run until SIGTERM with progress lines; one-line errors for bad input."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest

from console.fleet.broker import free_port
from console.fleet.schemas import decode
from console.sim import cli
from fixtures.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
RUN = ("import argparse, sys\nfrom console.sim import cli\np = argparse.ArgumentParser()\n"
       "cli.add_arguments(p)\nsys.exit(cli.run(p.parse_args()))")



def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    return parser.parse_args(argv)


def test_runs_until_sigterm_then_stops_cleanly(mosquitto, site):
    states: dict[str, bytes] = {}
    watcher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    watcher.on_message = lambda c, u, m: states.__setitem__(m.topic, m.payload)
    watcher.connect(mosquitto.host, mosquitto.port)
    watcher.subscribe(f"tt/v1/{site}/d/+/state", 1)
    watcher.loop_start()
    proc = subprocess.Popen(
        [sys.executable, "-c", RUN, "--broker", mosquitto.url, "--site", site, "--devices", "5",
         "--tele-s", "5", "--fault-rate", "1"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True)
    reader.start()
    try:
        assert wait_until(lambda: any("5/5 connected (MQTT 5)" in line for line in lines), 15), lines
        assert wait_until(lambda: len(states) == 5, 5)
        births = [decode("state", p) for p in states.values()]
        assert all(b.state == "online" and b.loc is not None for b in births)
        assert all(b.groups[-1] == "all" and b.groups[0].startswith("c-") for b in births)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        reader.join(5)
    assert wait_until(lambda: all(decode("state", p).reason == "shutdown" for p in states.values()), 5)
    assert lines[-1].startswith("sim: stopped")
    assert not any("Traceback" in line for line in lines)
    watcher.disconnect()
    watcher.loop_stop()


@pytest.mark.parametrize("argv, code, message", [
    (("--broker", "http://nowhere", "--site", "s"), 2, "sim: bad broker URL 'http://nowhere'"),
    (("--broker", "mqtt://127.0.0.1:1", "--site", "s", "--province", "99"), 2, "sim: unknown province code '99'"),
    (("--broker", "mqtt://127.0.0.1:1", "--site", "a/b"), 2, "sim: bad site id 'a/b'"),
])
def test_bad_options_are_one_line(capsys, argv, code, message):
    assert cli.run(parse(*argv)) == code
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1


def test_unreachable_broker_is_one_line(capsys):
    port = free_port()
    assert cli.run(parse("--broker", f"mqtt://127.0.0.1:{port}", "--site", "s", "--devices", "3")) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"sim: cannot connect to broker mqtt://127.0.0.1:{port}") and err.count("\n") == 1
