"""``python -m console live|emergency`` as real subprocesses against a real Mosquitto and simulated
devices that pull and decode the stream."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from console import settings as st
from console.sim.device import DeviceSpec
from console.sim.fleet import SimFleet
from console.store import repo
from console.store.db import open_database
from fixtures.audio import write_wav
from fixtures.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
DEVICES = ["LC-1", "LC-2"]


def cli(*args, data_dir, role="admin", timeout=120):
    env = {**os.environ, "TT_DATA_DIR": str(data_dir), "TT_USER_NAME": "minh", "TT_USER_ROLE": role,
           "TT_MEDIA_HOST": "127.0.0.1"}
    return subprocess.run([sys.executable, "-m", "console", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)


def test_live_and_emergency_commands(tmp_path, mosquitto, site):
    data = tmp_path / "station"
    data.mkdir()
    db = open_database(f"sqlite:///{data / 'console.db'}")
    with db.sessions.begin() as s:
        for dev in DEVICES:
            repo.register_device(s, dev, adoption="adopted")
    db.close()
    assert cli("group", "set", "loa-cho", "--device", *DEVICES, data_dir=data).returncode == 0
    r = cli("schedule", "publish", "--broker", mosquitto.url, "--site", site, "--json", data_dir=data)
    assert r.returncode == 0, r.stderr
    t = np.arange(48000 * 3) / 48000
    wav = write_wav(tmp_path / "loa.wav", (0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32))
    with SimFleet(st.parse_broker_url(mosquitto.url), site, [DeviceSpec(d, groups=()) for d in DEVICES],
                  keepalive=5) as sim:
        assert sim.wait_connected(20)
        assert wait_until(lambda: all("loa-cho" in sim.device(d).groups for d in DEVICES), 20)

        r = cli("live", "--broker", mosquitto.url, "--site", site, "--group", "loa-cho", "--input", wav, "--json",
                data_dir=data)
        assert r.returncode == 0, r.stderr
        out = json.loads(r.stdout)
        assert out["session"].startswith("L") and out["url"].startswith("http://127.0.0.1:")
        assert out["end_reason"] == "end of file" and out["targets"] == 2
        assert all(out["devices"][d]["joined"] for d in DEVICES), out["devices"]
        assert out["archive_item"] is not None

        r = cli("emergency", "start", "--broker", mosquitto.url, "--site", site, "--content", out["archive_item"],
                "--json", data_dir=data)
        assert r.returncode == 2 and "--yes" in r.stderr  # confirmation required
        r = cli("emergency", "start", "--broker", mosquitto.url, "--site", site, "--content", out["archive_item"],
                "--yes", "--json", data_dir=data, role="editor")
        assert r.returncode == 1 and "may not start an emergency" in r.stderr
        # The archive is a draft: approve it, then it can be the prepared emergency item.
        for step in ("submit", "approve"):
            assert cli("audio", step, out["archive_item"], data_dir=data).returncode == 0
        r = cli("emergency", "start", "--broker", mosquitto.url, "--site", site, "--content", out["archive_item"],
                "--yes", "--json", data_dir=data)
        assert r.returncode == 0, r.stderr
        em = json.loads(r.stdout)
        assert em["targets"] == 2 and em["playing"] == 2 and em["silent"] == 0
        r = cli("emergency", "stop", "--broker", mosquitto.url, "--site", site, "--json", data_dir=data)
        assert r.returncode == 0 and json.loads(r.stdout) == {"stopped": True}
        assert wait_until(lambda: all(sim.device(d).playing is None for d in DEVICES), 10)
