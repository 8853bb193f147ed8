"""Dispatch: one new item scheduled for a whole fleet, pre-distributed and verified before air.

The station (database, DB writer, fleet service, media server, scheduler, dispatcher, as-run) runs
in this process against a real Mosquitto; the simulated devices run in a child process
(``python -m console sim``) so that they do not share our GIL, and download the media over real HTTP
from the station's media server, hashing every byte. Measured:

* publish: compiling the approved schedules and publishing what changed (the media is rendered
  before, and timed apart), and how many messages that took (target: one per group);
* ready: time from the start of the publish until the console has a hash-verified ``media.ready``
  from every device (target: within 10 s on loopback);
* media server throughput while the fleet downloads, next to a plain file copy of the same bytes
  measured in the same run (the baseline: what the disk and memory do without HTTP).

    python bench/dispatch.py --devices 1000 --groups 50 --minutes 5 [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from console.schedule.model import Part, Targets  # noqa: E402
from console.schedule.rules import Rule  # noqa: E402
from console.schedule.service import ScheduleSpec  # noqa: E402

from _station import bench_station, register_adopted, sim_process  # noqa: E402

SITE = "bench-dispatch"


def speech_like(path: Path, minutes: float, rate: int = 48000) -> Path:
    """Noise shaped by a syllable-rate envelope, written as 16-bit mono WAV with ffmpeg-free numpy."""
    import wave

    rng = np.random.default_rng(1)
    n = int(rate * 60 * minutes)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        for start in range(0, n, rate * 10):
            m = min(rate * 10, n - start)
            t = (np.arange(m) + start) / rate
            env = 0.5 * (1 + np.sin(2 * np.pi * 4 * t)) * (0.6 + 0.4 * np.sin(2 * np.pi * 0.3 * t))
            w.writeframes((np.clip(0.25 * env * rng.standard_normal(m), -1, 1) * 32767).astype("<i2").tobytes())
    return path


def copy_baseline(src: Path, copies: int, folder: Path) -> float:
    """MB/s of plain file copies of ``src`` (the same bytes the fleet downloads)."""
    t0 = time.perf_counter()
    for i in range(copies):
        dst = folder / f"copy-{i}"
        shutil.copyfile(src, dst)
        dst.unlink()
    return src.stat().st_size * copies / (time.perf_counter() - t0) / 1e6


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--devices", type=int, default=1000)
    ap.add_argument("--groups", type=int, default=50)
    ap.add_argument("--minutes", type=float, default=5.0, help="length of the scheduled item")
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--json", action="store_true", help="print only the JSON line")
    args = ap.parse_args()
    say = (lambda *a: None) if args.json else (lambda *a: print(*a, file=sys.stderr, flush=True))

    with bench_station(SITE) as (station, broker, tmp):
        station.dispatcher.stop()  # this benchmark publishes by itself, once
        station.asrun.interval_s = 0.2
        ids = [f"SIM-{i:05d}" for i in range(1, args.devices + 1)]
        register_adopted(station, ids)
        groups = [f"zone-{g:02d}" for g in range(args.groups)]
        for g, name in enumerate(groups):
            station.scheduler.set_group(name, devices=ids[g::args.groups])

        say(f"generating and importing a {args.minutes:g}-minute item ...")
        [item] = station.library.import_files([speech_like(tmp / "item.wav", args.minutes)])
        station.library.submit(item.id)
        station.library.approve(item.id)
        t0 = time.perf_counter()
        dist = station.scheduler.distribution(item.id, **station.dispatcher.render_options)
        render_s = time.perf_counter() - t0
        media_file = station.library.store.path(dist["sha256"])

        say(f"starting {args.devices} simulated devices ...")
        with sim_process(broker.url, SITE, args.devices, "--tele-s", "600", "--connect-rate", "0"):
            result, ready_s = measure(station, args, ids, groups, item, dist, render_s, media_file, tmp, say)
    return 0 if ready_s is not None and ready_s <= 10 and len(result.groups) == args.groups else 1


def measure(station, args, ids, groups, item, dist, render_s, media_file, tmp, say):
    """With the fleet running: publish the configs, then one schedule for every group; until all ready."""
    state = station.fleet.state
    deadline = time.monotonic() + args.timeout
    while state.counts()["online"] < args.devices and time.monotonic() < deadline:
        time.sleep(0.2)
    # Group membership first (one config per device, once): then only the schedule changes.
    first = station.dispatcher.publish()
    say(f"{state.counts()['online']} online; {len(first.configs)} configs published")
    time.sleep(2.0)  # devices subscribe to their groups' topics

    at = station.scheduler.now() + timedelta(minutes=30)
    station.scheduler.add(ScheduleSpec("Bench", Rule.once(at), Targets(groups=tuple(groups)),
                                       (Part("media", item_id=item.id),)))
    served0 = station.media_server.stats()
    t_pub = time.perf_counter()
    result = station.dispatcher.publish()
    publish_s = time.perf_counter() - t_pub
    devices = frozenset(ids)
    ready_s = None
    while time.perf_counter() - t_pub < args.timeout:
        if len(station.scheduler.readiness([(dist["sha256"], devices)])[dist["sha256"]]["ready"]) == len(ids):
            ready_s = time.perf_counter() - t_pub
            break
        time.sleep(0.1)
    served = station.media_server.stats()
    sent = served["bytes"] - served0["bytes"]
    http_mb_s = sent / ready_s / 1e6 if ready_s else None
    copy_mb_s = copy_baseline(media_file, min(args.devices, 200), tmp)
    figures = {
        "devices": args.devices, "groups": args.groups, "minutes": args.minutes, "media_bytes": dist["bytes"],
        "render_s": round(render_s, 2), "publish_s": round(publish_s, 3),
        "messages": result.messages, "sched_messages": len(result.groups),
        "ready_s": round(ready_s, 2) if ready_s else None,
        "downloads": served["requests"] - served0["requests"], "served_mb": round(sent / 1e6, 1),
        "http_mb_s": round(http_mb_s, 1) if http_mb_s else None, "copy_mb_s": round(copy_mb_s, 1),
        "http_vs_copy": round(http_mb_s / copy_mb_s, 3) if http_mb_s else None,
        "targets": {"ready_s": 10, "sched_messages": args.groups},
    }
    say(f"publish {publish_s * 1000:.0f} ms, {result.messages} messages ({len(result.groups)} schedules); "
        f"all {args.devices} ready in {ready_s if ready_s is None else round(ready_s, 2)} s; "
        f"media server {figures['http_mb_s']} MB/s vs file copy {figures['copy_mb_s']} MB/s")
    print(json.dumps(figures))
    return result, ready_s


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main())
