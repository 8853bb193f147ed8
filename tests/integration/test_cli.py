"""The headless CLI in the exact forms other checks rely on, as real subprocesses."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]


def console(*args, data_dir, timeout=60, check=False):
    env = {**os.environ, "TT_DATA_DIR": str(data_dir)}
    r = subprocess.run([sys.executable, "-m", "console", *args], cwd=ROOT, env=env, capture_output=True,
                       text=True, timeout=timeout)
    if check:
        assert r.returncode == 0, r.stderr
    return r


def spawn(*args, data_dir):
    env = {**os.environ, "TT_DATA_DIR": str(data_dir)}
    return subprocess.Popen([sys.executable, "-m", "console", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def status(broker, site, data_dir, wait_s=2):
    r = console("fleet", "status", "--broker", broker.url, "--site", site, "--wait-s", str(wait_s), "--json",
                data_dir=data_dir, check=True)
    return json.loads(r.stdout)


def wait_status(pred, broker, site, data_dir, tries=8):
    for _ in range(tries):
        snap = status(broker, site, data_dir)
        if pred(snap):
            return snap
    return snap


def assert_one_line_error(r):
    assert r.returncode != 0
    assert "Traceback" not in r.stderr, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and ("error" in lines[0] or "cannot" in lines[0]), r.stderr


@pytest.fixture
def sim_process(mosquitto, site, tmp_path):
    procs = []

    def start(n=5):
        p = spawn("sim", "--broker", mosquitto.url, "--site", site, "--devices", str(n), "--seed", "3",
                  "--tele-s", "1", data_dir=tmp_path / "sim")
        procs.append(p)
        return p

    yield start
    for p in procs:
        if p.poll() is None:
            p.kill()
        p.wait()


def test_sim_status_command_and_kill(mosquitto, site, tmp_path, sim_process):
    data = tmp_path / "station"
    sim = sim_process(5)
    snap = wait_status(lambda s: s["online"] == 5, mosquitto, site, data)
    assert (snap["online"], snap["offline"], snap["pending"]) == (5, 0, 5)
    dev = snap["devices"][0]
    assert {"id", "state", "adopted", "session", "last_seen", "unit", "rssi"} <= set(dev)
    assert dev["state"] == "online" and dev["adopted"] is False and dev["session"] > 0

    r = console("fleet", "command", "--broker", mosquitto.url, "--site", site, "--device", dev["id"],
                "--op", "volume.set", "--args", '{"vol": 55}', "--json", data_dir=data)
    assert r.returncode == 0, r.stderr
    ack = json.loads(r.stdout)
    assert ack["status"] == "done" and ack["device"] == dev["id"] and ack["cid"]

    r = console("fleet", "command", "--broker", mosquitto.url, "--site", site, "--device", dev["id"],
                "--op", "volume.set", "--args", '{"vol": 555}', "--json", data_dir=data)
    assert r.returncode == 1 and json.loads(r.stdout)["status"] == "error"

    sim.send_signal(signal.SIGKILL)
    sim.wait()
    snap = wait_status(lambda s: s["offline"] == 5, mosquitto, site, data)
    assert (snap["online"], snap["offline"]) == (0, 5)


def test_command_to_nobody_times_out_non_zero(mosquitto, site, tmp_path):
    r = console("fleet", "command", "--broker", mosquitto.url, "--site", site, "--device", "ghost",
                "--op", "ping", "--timeout", "1.5", "--json", data_dir=tmp_path)
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert json.loads(r.stdout)["status"] == "timeout"
    assert "no final ack" in r.stderr


@pytest.mark.parametrize("args", [
    ("fleet", "status", "--broker", "http://example", "--site", "s"),
    ("fleet", "status", "--broker", "mqtt://127.0.0.1:1", "--site", "s", "--wait-s", "0"),
    ("fleet", "status", "--broker", "mqtt://host:notaport", "--site", "s"),
    ("fleet", "command", "--broker", "mqtt://127.0.0.1:1", "--site", "s", "--device", "x", "--op", "ping"),
    ("fleet", "command", "--broker", "mqtt://127.0.0.1:1", "--site", "s", "--device", "x", "--op", "ping",
     "--args", "not json"),
    ("fleet", "status", "--site", "s"),  # no broker at all
    ("sim", "--broker", "mqtt://127.0.0.1:1", "--site", "s", "--devices", "3"),
    ("serve", "--broker", "mqtt://127.0.0.1:1", "--site", "s"),
    ("fleet", "status", "--broker", "mqtt://127.0.0.1:1", "--site", "bad/site"),
])
def test_bad_input_gives_one_clear_line(args, tmp_path):
    assert_one_line_error(console(*args, data_dir=tmp_path, timeout=30))


def test_bad_arguments_exit_non_zero_without_traceback(tmp_path):
    r = console("fleet", "status", "--wait-s", "soon", data_dir=tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr and "invalid float value" in r.stderr


def test_serve_ingests_and_persists_then_stops_cleanly(mosquitto, site, tmp_path, sim_process):
    data = tmp_path / "station"
    serve = spawn("serve", "--broker", mosquitto.url, "--site", site, data_dir=data)
    try:
        sim_process(4)
        db = data / "console.db"

        def pending_in_db():
            try:
                with sqlite3.connect(db) as c:
                    return c.execute("select count(*) from devices where adoption='pending'").fetchone()[0]
            except sqlite3.OperationalError:  # not created or not migrated yet
                return 0

        assert wait_until(lambda: db.exists() and pending_in_db() == 4, 30)
        # The status command sees them as pending in this station's database.
        snap = wait_status(lambda s: s["online"] == 4, mosquitto, site, data)
        assert snap["pending"] == 4
    finally:
        serve.send_signal(signal.SIGTERM)
        out, err = serve.communicate(timeout=30)
    assert serve.returncode == 0, err
    assert "Traceback" not in err
