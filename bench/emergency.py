"""Emergency reaction: from the operator's confirmation to the fleet playing the emergency.

The station (fleet service, live service) runs in this process against a real Mosquitto; N simulated
devices (``python -m console sim``) run in a child process. One emergency with a prepared item goes to
every device; measured: the time from ``start_emergency()`` (the confirmation) until 95 % and 100 % of
the devices are reported playing it, as the console sees it (``play.started`` through MQTT, ingest and
the live service).

Baseline in the same run: the same ``emergency.start`` published with a raw paho client and the
devices' ``play.started`` counted by a raw paho subscriber, without the console. Target: 95 % < 1 s.

    python bench/emergency.py --devices 1000 [--rounds 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import paho.mqtt.client as mqtt  # noqa: E402

from console import settings as st  # noqa: E402
from console.fleet import topics  # noqa: E402
from console.fleet.schemas import Command, encode, make  # noqa: E402
from console.schedule.model import Targets  # noqa: E402
from console.station import Station  # noqa: E402

from _station import bench_station, register_adopted, sim_process  # noqa: E402

SITE = "bench-emergency"


def wav(path: Path, secs: float = 20.0) -> Path:
    import wave

    t = np.arange(int(48000 * secs)) / 48000
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(48000)
        w.writeframes((0.3 * np.sin(2 * np.pi * 880 * t) * 32767).astype("<i2").tobytes())
    return path


def percentiles(times: list[float], n: int) -> tuple[float | None, float | None]:
    times = sorted(times)
    k95 = max(1, int(np.ceil(0.95 * n)))
    return (times[k95 - 1] if len(times) >= k95 else None), (times[n - 1] if len(times) >= n else None)


def console_round(station: Station, item_id: int, n: int, timeout: float) -> tuple[float | None, float | None]:
    t0 = time.perf_counter()
    session = station.live.start_emergency(Targets(), item_id=item_id)
    marks: list[float] = []
    seen = 0
    while time.perf_counter() - t0 < timeout and seen < n:
        playing = session.counts()["playing"]
        marks += [time.perf_counter() - t0] * (playing - seen)
        seen = max(seen, playing)
        time.sleep(0.002)
    station.live.stop(session.id)
    return percentiles(marks, n)


def raw_round(broker_url: str, item: dict, n: int, timeout: float) -> tuple[float | None, float | None]:
    cfg = st.parse_broker_url(broker_url)
    session = "raw-" + uuid.uuid4().hex[:8]
    marks: list[float] = []
    ready, done = threading.Event(), threading.Event()
    t0 = [0.0]
    devices: set[str] = set()

    def on_message(c, u, msg):
        if b'"play.started"' in msg.payload and session.encode() in msg.payload:
            dev = msg.topic.split("/")[4]
            if dev not in devices:
                devices.add(dev)
                marks.append(time.perf_counter() - t0[0])
                if len(devices) >= n:
                    done.set()

    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    c.on_message = on_message
    c.on_subscribe = lambda *a: ready.set()
    c.connect(cfg.host, cfg.port)
    c.loop_start()
    c.subscribe(topics.device_wildcard(SITE, "evt"), 1)
    ready.wait(10)
    cmd = make(Command, cid=uuid.uuid4().hex[:16], op="emergency.start", exp=int(time.time() * 1000) + 60_000,
               args={"session": session, "item": item, "max_s": 60})
    t0[0] = time.perf_counter()
    c.publish(topics.group(SITE, "all", "cmd"), encode(cmd), qos=1)
    done.wait(timeout)
    stop = make(Command, cid=uuid.uuid4().hex[:16], op="emergency.stop", exp=int(time.time() * 1000) + 60_000,
                args={"session": session})
    c.publish(topics.group(SITE, "all", "cmd"), encode(stop), qos=1).wait_for_publish(5)
    c.loop_stop()
    c.disconnect()
    return percentiles(marks, n)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--devices", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--json", action="store_true", help="print only the JSON line")
    args = ap.parse_args()
    say = (lambda *a: None) if args.json else (lambda *a: print(*a, file=sys.stderr, flush=True))
    with bench_station(SITE) as (station, broker, tmp):
        register_adopted(station, [f"SIM-{i:05d}" for i in range(1, args.devices + 1)])
        [item] = station.library.import_files([wav(tmp / "alert.wav")])
        station.library.submit(item.id)
        station.library.approve(item.id)
        d = station.scheduler.distribution(item.id)
        ref = {"sha256": d["sha256"], "url": f"{station.media_server.base_url}/{d['name']}", "bytes": d["bytes"],
               "codec": d["codec"], "dur_ms": d["duration_ms"]}
        station.dispatcher.publish()  # configs: every device subscribes to "all"
        say(f"starting {args.devices} simulated devices ...")
        with sim_process(broker.url, SITE, args.devices, "--tele-s", "600", "--connect-rate", "0",
                         "--live-decoders", "0"):
            deadline = time.monotonic() + 120
            while station.fleet.state.counts()["online"] < args.devices and time.monotonic() < deadline:
                time.sleep(0.2)
            time.sleep(3.0)  # the devices subscribe to their groups from the retained configs
            console, raw = [], []
            for r in range(args.rounds):
                raw.append(raw_round(broker.url, ref, args.devices, args.timeout))
                time.sleep(1.0)
                console.append(console_round(station, item.id, args.devices, args.timeout))
                time.sleep(1.0)
                say(f"round {r + 1}: console 95% {console[-1][0]} s, 100% {console[-1][1]} s; "
                    f"raw paho 95% {raw[-1][0]} s, 100% {raw[-1][1]} s")

    def med(rows, i):
        vals = [x[i] for x in rows if x[i] is not None]
        return round(statistics.median(vals), 3) if len(vals) == len(rows) else None
    figures = {"devices": args.devices, "rounds": args.rounds,
               "console_p95_s": med(console, 0), "console_all_s": med(console, 1),
               "raw_p95_s": med(raw, 0), "raw_all_s": med(raw, 1), "target_p95_s": 1.0}
    print(json.dumps(figures))
    return 0 if figures["console_p95_s"] is not None and figures["console_p95_s"] < 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
