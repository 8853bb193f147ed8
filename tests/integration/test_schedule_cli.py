"""``python -m console group|schedule|asrun`` as real subprocesses, in the forms other checks rely on,
publishing to a real Mosquitto."""

import json
import os
import subprocess
import sys
import threading
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import paho.mqtt.client as mqtt

from console.fleet import topics
from console.store import repo
from console.store.db import open_database
from fixtures.audio import write_wav

ROOT = Path(__file__).resolve().parents[2]
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def cli(*args, data_dir, role="admin"):
    env = {**os.environ, "TT_DATA_DIR": str(data_dir), "TT_USER_NAME": "lan", "TT_USER_ROLE": role,
           "TT_MEDIA_PORT": "8123", "TT_MEDIA_HOST": "127.0.0.1"}
    return subprocess.run([sys.executable, "-m", "console", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def ok(r) -> dict | list:
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def retained(broker, topic: str) -> dict:
    got, done = {}, threading.Event()
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    c.on_message = lambda cl, u, m: (got.update(json.loads(m.payload)), done.set())
    c.on_connect = lambda cl, u, f, rc, p: cl.subscribe(topic, 1)
    c.connect(broker.host, broker.port)
    c.loop_start()
    try:
        assert done.wait(10), f"nothing retained on {topic}"
    finally:
        c.loop_stop()
        c.disconnect()
    return got


def test_group_schedule_publish_and_asrun(tmp_path, mosquitto, site):
    data = tmp_path / "station"
    data.mkdir()
    db = open_database(f"sqlite:///{data / 'console.db'}")
    with db.sessions.begin() as s:
        for dev in ("D1", "D2", "D3", "D4"):
            repo.register_device(s, dev, adoption="adopted")
    db.close()
    t = np.arange(48000 * 2) / 48000
    wav = write_wav(tmp_path / "tin.wav", (0.3 * np.sin(2 * np.pi * 500 * t)).astype(np.float32))
    [item] = [json.loads(line) for line in cli("audio", "import", wav, "--json", data_dir=data).stdout.splitlines()]
    assert item["ok"], item
    ok(cli("audio", "submit", item["id"], "--json", data_dir=data))
    ok(cli("audio", "approve", item["id"], "--json", data_dir=data))

    g1 = ok(cli("group", "set", "g1", "--device", "D1", "D2", "--json", data_dir=data))
    assert g1["id"] == "g1" and g1["devices"] == ["D1", "D2"]
    ok(cli("group", "set", "g2", "--device", "D3", "D4", "--json", data_dir=data))
    r = cli("group", "set", "g3", "--device", "NOPE", "--json", data_dir=data)
    assert r.returncode == 1 and "NOPE" in r.stderr and "Traceback" not in r.stderr

    at = (datetime.now(VN) + timedelta(hours=2)).replace(microsecond=0)
    added = ok(cli("schedule", "add", "--content", item["id"], "--group", "g1", "--group", "g2",
                   "--at", at.isoformat(), "--json", data_dir=data))
    assert added["state"] == "approved" and added["next"] == [at.isoformat()]

    # 1 s later on g1 at the same priority: refused, listing the conflict; nothing saved.
    r = cli("schedule", "add", "--content", item["id"], "--group", "g1", "--at", (at + timedelta(seconds=1)).isoformat(),
            "--json", data_dir=data)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    out = json.loads(r.stdout)
    assert out["ok"] is False and out["conflicts"][0]["devices"] == ["D1", "D2"]
    assert "conflict" in r.stderr
    # As a priority item it wins by the declared rule: accepted.
    pri = ok(cli("schedule", "add", "--content", item["id"], "--group", "g1", "--priority", "priority",
                 "--at", (at + timedelta(seconds=1)).isoformat(), "--json", data_dir=data))
    # Recurring: every weekday for two weeks, the next occurrences are listed.
    start = datetime(2030, 1, 7, 17, 0, tzinfo=VN)  # a Monday
    rec = ok(cli("schedule", "add", "--content", item["id"], "--device", "D4", "--at", start.isoformat(),
                 "--rrule", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "--until", (start + timedelta(days=13)).isoformat(),
                 "--json", data_dir=data))
    assert rec["next"] == [(start + timedelta(days=d)).isoformat() for d in (0, 1, 2, 3, 4)]
    listed = ok(cli("schedule", "list", "--json", data_dir=data))
    assert [s["id"] for s in listed] == [added["id"], pri["id"], rec["id"]]

    result = ok(cli("schedule", "publish", "--broker", mosquitto.url, "--site", site, "--json", data_dir=data))
    # One document per group (and "all", every device, still empty), one config per device.
    assert result["groups"] == {"all": 1, "g1": 1, "g2": 1, "d-D4": 1} and result["configs"] == 4
    assert result["messages"] == 8 and not result["failed"]
    doc = retained(mosquitto, topics.group(site, "g1", "sched"))
    assert doc["rev"] == 1 and doc["tz"] == "Asia/Ho_Chi_Minh"
    assert [(it["start"], it["prio"]) for it in doc["items"]] == [(at.isoformat(), "normal"),
                                                                 ((at + timedelta(seconds=1)).isoformat(), "priority")]
    media = doc["items"][0]["media"]
    assert media["url"] == f"http://127.0.0.1:8123/media/{media['sha256']}.mp3" and media["bytes"] > 0
    config = retained(mosquitto, topics.device(site, "D4", "config"))
    assert config["groups"] == ["all", "d-D4", "g2"] and config["rev"] == 1
    # Nothing changed: nothing is published again.
    again = ok(cli("schedule", "publish", "--broker", mosquitto.url, "--site", site, "--json", data_dir=data))
    assert again["messages"] == 0 and again["unchanged"] == 8

    assert ok(cli("asrun", "--since", "2026-01-01T00:00", "--json", data_dir=data)) == []
    r = cli("schedule", "publish", "--json", data_dir=data)
    assert r.returncode == 2 and "no broker" in r.stderr
