"""Ingest throughput: the console's ingest into fleet state against a raw paho subscriber, same run.

N telemetry messages from M device ids (after one birth per device) are received twice through an
embedded Mosquitto: once by a bare paho subscriber whose on_message only counts (the baseline: what
paho can receive here), once by the console's FleetService (paho -> bounded deque -> ingest worker ->
validated -> FleetState). So that the publishers (on the same two cores) never limit the figure, each
subscriber first opens a persistent session and goes away; the messages are published and queued by
the broker (queue_qos0_messages); then the subscriber comes back and drains the backlog as fast as it
can. Rates are messages per second between the first and the last message received (raw) or landed
in fleet state (console); the ratio of the median rates over ``--rounds`` alternating rounds is the
figure of merit (target >= 0.8 at 10,000). Alternating rounds keep a noisy machine from favouring one.

    python bench/ingest.py --devices 10000 --messages 200000 [--rounds 3] [--publishers 2] [--json]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import paho.mqtt.client as mqtt  # noqa: E402

from console.fleet import schemas, topics  # noqa: E402
from console.fleet.broker import start_embedded_broker  # noqa: E402
from console.fleet.client import MqttClient  # noqa: E402
from console.fleet.service import FleetService  # noqa: E402
from console.settings import parse_broker_url  # noqa: E402

SITE = "bench"


def _publisher(url: str, dev_ids: list[str], n: int, start_evt, done_q) -> None:
    cfg = parse_broker_url(url)
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"pub-{os.getpid()}", protocol=mqtt.MQTTv5)
    c.max_queued_messages_set(0)
    c.connect(cfg.host, cfg.port, keepalive=60)
    c.loop_start()
    births = [(topics.device(SITE, d, "state"),
               schemas.encode(schemas.make(schemas.State, state="online", session=1, fw="1.0", model="bench")))
              for d in dev_ids]
    teles = [(topics.device(SITE, d, "tele"),
              schemas.encode(schemas.make(schemas.Tele, seq=i, rssi=-60 - i % 50, temp=35.5, vol=70, power="mains",
                                          uptime=1000 + i, level_db=-90.0, amp="ok", clock_offset_ms=3)))
             for i, d in enumerate(dev_ids)]
    start_evt.wait()
    for t, p in births:
        c.publish(t, p, qos=0)
    for i in range(n):
        t, p = teles[i % len(teles)]
        c.publish(t, p, qos=0)
    c.loop_stop()
    c.disconnect()
    done_q.put(n + len(births))


def _publish_all(url: str, devices: int, messages: int, publishers: int):
    """Start publisher processes; returns (start(), wait() -> total sent)."""
    ctx = mp.get_context("spawn")
    start_evt, done_q = ctx.Event(), ctx.Queue()
    ids = [f"B{i:06d}" for i in range(devices)]
    shards = [ids[k::publishers] for k in range(publishers)]
    procs = [ctx.Process(target=_publisher, args=(url, shard, messages // publishers, start_evt, done_q))
             for shard in shards]
    for p in procs:
        p.start()
    time.sleep(1.5)  # let them connect and pre-encode

    def wait():
        total = sum(done_q.get(timeout=600) for _ in procs)
        for p in procs:
            p.join()
        return total
    return start_evt.set, wait


def _quiet(count_fn, settle_s: float = 1.0, limit_s: float = 300) -> None:
    """Wait until the count stops moving for ``settle_s``."""
    last, t_last, t0 = -1, time.monotonic(), time.monotonic()
    while time.monotonic() - t0 < limit_s:
        n = count_fn()
        if n != last:
            last, t_last = n, time.monotonic()
        elif time.monotonic() - t_last > settle_s:
            return
        time.sleep(0.05)


def _backlog(url: str, devices: int, messages: int, publishers: int) -> int:
    go, wait = _publish_all(url, devices, messages, publishers)
    go()
    sent = wait()
    time.sleep(1.0)  # let the broker queue the tail
    return sent


def _drop_session(url: str, client_id: str) -> None:
    """Connect once with a clean start, so the broker stops queueing for this persistent session."""
    MqttClient(parse_broker_url(url), client_id=client_id).connect().disconnect()


def run_raw(url: str, devices: int, messages: int, publishers: int) -> dict:
    cfg = parse_broker_url(url)
    state = {"n": 0, "first": 0.0, "last": 0.0}

    def on_message(client, userdata, msg):  # paho's thread only: no lock needed
        now = time.perf_counter()
        if state["n"] == 0:
            state["first"] = now
        state["n"] += 1
        state["last"] = now

    # The same client the console uses (persistent session, MQTT 5), with a counting callback.
    c = MqttClient(cfg, client_id="raw-sub", on_message=on_message, session_expiry_s=3600)
    c.subscribe(topics.device_wildcard(SITE, "state"), 1)
    c.subscribe(topics.device_wildcard(SITE, "tele"), 0)
    c.connect()
    c.disconnect()
    sent = _backlog(url, devices, messages, publishers)
    c.connect()
    _quiet(lambda: state["n"])
    c.disconnect()
    _drop_session(url, "raw-sub")
    dt = max(state["last"] - state["first"], 1e-9)
    return {"sent": sent, "received": state["n"], "seconds": dt, "rate": state["n"] / dt}


def run_console(url: str, devices: int, messages: int, publishers: int) -> dict:
    svc = FleetService(parse_broker_url(url), SITE, client_id="console-sub", session_expiry_s=3600)
    marks = {"first": None, "last": 0.0, "n": 0}
    inner = svc.ingest.process

    def timed_process(items):  # when the last message landed in fleet state
        if marks["first"] is None:
            marks["first"] = time.perf_counter()
        inner(items)
        marks["n"] += len(items)
        marks["last"] = time.perf_counter()

    svc.ingest.process = timed_process
    svc.start()
    svc.client.disconnect()
    sent = _backlog(url, devices, messages, publishers)
    marks["first"] = None
    marks["n"] = 0
    first_wall = time.perf_counter()
    svc.client.connect()
    _quiet(lambda: svc.ingest.processed)
    stats = svc.ingest.stats()
    online = sum(d.online for d in svc.state.devices.values())
    svc.stop()
    _drop_session(url, "console-sub")
    dt = max(marks["last"] - (marks["first"] or first_wall), 1e-9)
    return {"sent": sent, "received": stats["received"], "ingested": marks["n"], "seconds": dt,
            "rate": marks["n"] / dt, "overflow": stats["overflow"], "rejected": stats["rejected"],
            "devices_online": online}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--devices", type=int, default=10_000)
    ap.add_argument("--messages", type=int, default=200_000)
    ap.add_argument("--publishers", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--json", action="store_true", help="print only the JSON line")
    a = ap.parse_args()
    broker = start_embedded_broker("mosquitto", max_queued_messages=0,  # 0: unlimited
                                   extra_config="queue_qos0_messages true\nmax_queued_bytes 0\n")
    raws, cons = [], []
    try:
        for _ in range(a.rounds):
            raws.append(run_raw(broker.url, a.devices, a.messages, a.publishers))
            cons.append(run_console(broker.url, a.devices, a.messages, a.publishers))
    finally:
        broker.stop()
    raw_rate = statistics.median(r["rate"] for r in raws)
    con_rate = statistics.median(c["rate"] for c in cons)
    raw, con = raws[-1], cons[-1]
    result = {"bench": "ingest", "devices": a.devices, "messages": a.messages, "rounds": a.rounds,
              "raw_rate": round(raw_rate), "console_rate": round(con_rate),
              "ratio": round(con_rate / raw_rate, 3),
              "raw_rates": [round(r["rate"]) for r in raws], "console_rates": [round(c["rate"]) for c in cons],
              "raw_received": raw["received"], "console_ingested": con["ingested"],
              "console_overflow": sum(c["overflow"] for c in cons),
              "devices_online": con["devices_online"], "sent": raw["sent"]}
    if not a.json:
        print(f"raw paho subscriber : median {raw_rate:,.0f} msg/s over {a.rounds} rounds {result['raw_rates']}")
        print(f"console ingest      : median {con_rate:,.0f} msg/s over {a.rounds} rounds {result['console_rates']}"
              f"  (overflow {result['console_overflow']}, online {con['devices_online']}/{a.devices},"
              f" {con['ingested']} of {con['sent']} ingested)")
        print(f"ratio console/raw   : {result['ratio']:.3f}   (target >= 0.8)")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
