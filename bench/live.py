"""Live latency: microphone → device output, for N simulated devices that really decode the stream.

The microphone path is fed from a file (``WavFileSource``, paced in real time like a microphone) with a
1 kHz marker burst every second; the time each burst entered the path is known (the source's block
clock). The station runs in this process against a real Mosquitto and serves the MP3 stream; N
simulated devices (``python -m console sim --live-decoders N``, a child process) pull and decode it and
report ``live.marker`` with the moment the burst came out of their decoder. Latency = that moment
(corrected by the device's reported clock offset) minus the moment the burst entered. The first
burst of each device is left out (it measures the stream's start-up, not the steady state).

Comparison in the same run: the same session relayed by a default-configured Icecast (Debian's
``icecast2``), the devices pulling from Icecast. Target: p95 < 300 ms through our server.

    python bench/live.py --devices 20 --seconds 20 [--json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import numpy as np  # noqa: E402

from console.live.source import WavFileSource  # noqa: E402
from console.schedule.model import Targets  # noqa: E402
from console.station import Station  # noqa: E402

from _station import bench_station, register_adopted, sim_process  # noqa: E402

SITE = "bench-live"
RATE = 48000
BURST_S = 0.08


def marker_wav(path: Path, seconds: float) -> tuple[Path, list[float]]:
    """Quiet noise with a 1 kHz burst every second from 0.5 s; returns the burst offsets."""
    rng = np.random.default_rng(3)
    x = 0.02 * rng.standard_normal(int(RATE * seconds))
    t = np.arange(int(RATE * BURST_S)) / RATE
    offsets = [o + 0.5 for o in range(int(seconds - 1))]
    for o in offsets:
        i = int(o * RATE)
        x[i:i + len(t)] += 0.3 * np.sin(2 * np.pi * 1000 * t)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes((np.clip(x, -1, 1) * 32767).astype("<i2").tobytes())
    return path, offsets


def run_session(station: Station, wav: Path, offsets: list[float], devices: list[str], timeout: float) -> list[float]:
    """One live session; the latencies (ms) of every marker after each device's first."""
    markers: list[tuple[str, int]] = []
    listener = lambda events: markers.extend((e["device_id"], e["ts"]) for e in events  # noqa: E731
                                             if e["type"] == "live.marker")
    station.sink.listeners.append(listener)
    try:
        s = station.live.go_live(WavFileSource(wav), Targets(), chime=False)
        end = time.monotonic() + timeout
        while s.ended_ms is None and time.monotonic() < end:
            time.sleep(0.1)
        time.sleep(2.0)  # the last markers
    finally:
        station.sink.listeners.remove(listener)
    entered = [s.t0 + o * 1000 for o in offsets]  # epoch ms each burst entered the microphone path
    offsets_ms = {d: (station.fleet.state.get(d).clock_offset_ms or 0) if station.fleet.state.get(d) else 0
                  for d in devices}
    out: list[float] = []
    seen: set[str] = set()
    for dev, ts in sorted(markers, key=lambda m: m[1]):
        true_ts = ts - offsets_ms.get(dev, 0)
        before = [e for e in entered if e <= true_ts]
        if not before:
            continue
        if dev not in seen:
            seen.add(dev)  # start-up, not steady state
            continue
        out.append(true_ts - before[-1])
    return out


def stats(values: list[float]) -> dict:
    if not values:
        return {"n": 0, "p50_ms": None, "p95_ms": None, "max_ms": None}
    a = np.array(values)
    return {"n": len(values), "p50_ms": round(float(np.percentile(a, 50)), 1),
            "p95_ms": round(float(np.percentile(a, 95)), 1), "max_ms": round(float(a.max()), 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--devices", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--no-icecast", action="store_true")
    ap.add_argument("--json", action="store_true", help="print only the JSON line")
    args = ap.parse_args()
    say = (lambda *a: None) if args.json else (lambda *a: print(*a, file=sys.stderr, flush=True))
    icecast = None
    with bench_station(SITE) as (station, broker, tmp), \
            sim_process(broker.url, SITE, args.devices, "--tele-s", "2", "--live-decoders", str(args.devices)):
        try:
            ids = [f"SIM-{i:05d}" for i in range(1, args.devices + 1)]
            register_adopted(station, ids)
            station.dispatcher.publish()
            deadline = time.monotonic() + 60
            state = station.fleet.state
            while time.monotonic() < deadline and not all(
                    state.get(d) is not None and state.get(d).clock_offset_ms is not None for d in ids):
                time.sleep(0.2)
            time.sleep(2.0)
            wav, offsets = marker_wav(tmp / "markers.wav", args.seconds)
            say(f"live session through the station's server, {args.devices} decoding devices ...")
            ours = stats(run_session(station, wav, offsets, ids, args.seconds + 30))
            figures = {"devices": args.devices, "seconds": args.seconds, "ours": ours, "icecast": None,
                       "target_p95_ms": 300}
            binary = shutil.which("icecast2") or shutil.which("icecast")
            if binary and not args.no_icecast:
                from fixtures.icecast import IcecastServer

                icecast = IcecastServer(binary)
                station.live.icecast = (icecast.url, icecast.source_password)
                say("the same through a default-configured Icecast ...")
                figures["icecast"] = stats(run_session(station, wav, offsets, ids, args.seconds + 30))
        finally:
            if icecast is not None:
                icecast.stop()
    say(f"ours: {ours}; icecast: {figures['icecast']}")
    print(json.dumps(figures))
    return 0 if ours["p95_ms"] is not None and ours["p95_ms"] < 300 else 1


if __name__ == "__main__":
    sys.exit(main())
