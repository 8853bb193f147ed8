"""Province sync: ship N outbox records to the reference collector on loopback, then, in the same run,
the same records as uncompressed JSON with one request per record.

The collector (``python -m console province``, SQLite by default, ``--collector-db`` for PostgreSQL)
runs in a child process, as it would on another machine; this process is the station: a SQLite
database holding N as-run records (written before the clock starts) and the sync worker, which
reads them in order and ships gzip batches of up to 1,000 records or 1 MB.

* batched: the sync worker's ``drain()`` from an empty cursor to the end (N records and the
  inventory record it adds); the time, and the HTTP bytes on the wire, request line, headers and
  bodies, counted in aiohttp's request tracing, up and down;
* one request per record: the same records, each POSTed alone, uncompressed, on one keep-alive
  connection, to a second station id at the same collector. Only ``--sample`` records are sent
  (all with ``--sample 0``) and time and bytes are extrapolated to N linearly: each request costs
  the same (one small transaction at the collector), so the rate is steady after a few requests.

    python bench/sync.py --records 100000 [--sample 2000] [--collector-db URL] [--json]

Target: N = 100,000 in under 10 s batched.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aiohttp
import msgspec

from console.store.db import open_database
from console.store.models import now_ms
from console.sync import api, outbox
from console.sync.client import HttpProvince
from console.sync.worker import SyncWorker


class Wire:
    """HTTP bytes of the requests made through a session: request line, headers, bodies; and answers."""

    def __init__(self) -> None:
        self.up = self.down = self.requests = 0
        self.trace = aiohttp.TraceConfig()
        self.trace.on_request_headers_sent.append(self._headers)
        self.trace.on_request_chunk_sent.append(self._chunk)
        self.trace.on_request_end.append(self._end)

    async def _headers(self, _session, _ctx, p) -> None:
        self.requests += 1
        self.up += len(f"{p.method} {p.url.raw_path_qs} HTTP/1.1\r\n") + 2
        self.up += sum(len(k) + len(v) + 4 for k, v in p.headers.items())

    async def _chunk(self, _session, _ctx, p) -> None:
        self.up += len(p.chunk)

    async def _end(self, _session, _ctx, p) -> None:
        r = p.response
        self.down += len(f"HTTP/1.1 {r.status} {r.reason}\r\n") + 2 + sum(len(k) + len(v) + 4 for k, v in r.raw_headers)
        self.down += r.content_length or 0


def fill(db, n: int) -> int:
    """N as-run records like the station writes (one per device and scheduled part); their JSON bytes."""
    size = 0
    for first in range(0, n, 20_000):
        now = now_ms()
        rows = [("asrun", now, {"item": f"s{i % 40}.20261126T{6 + i % 12:02d}0000.{i % 4}", "device": f"GL-{i % 1500:05d}",
                                "schedule": i % 40, "start": now - 3_600_000, "dur_ms": 300_000, "status": "played",
                                "played_ms": 299_870, "reason": "", "ts": now})
                for i in range(first, min(n, first + 20_000))]
        size += sum(len(msgspec.json.encode({"seq": 0, "type": t, "ts": ts, "data": d})) for t, ts, d in rows)
        with db.sessions.begin() as s:
            outbox.append(s, rows)
    return size


def start_collector(db_url: str) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-m", "console", "province", "--db", db_url, "--port", "0"], cwd=ROOT,
                            stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()
    m = re.search(r"listening on (\S+),", line)
    if not m:
        proc.kill()
        raise SystemExit(f"the collector did not start: {line}{proc.stderr.read()}")
    threading.Thread(target=proc.stderr.read, daemon=True).start()  # keep its pipe from filling up
    return proc, m.group(1)


def token(db_url: str, station: str) -> str:
    out = subprocess.run([sys.executable, "-m", "console", "province", "token", "add", station, "--db", db_url,
                          "--json"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return json.loads(out)["token"]


async def one_by_one(url: str, station: str, tok: str, db, sample: int, wire: Wire) -> tuple[int, float]:
    """POST each record alone, uncompressed; (records sent, seconds)."""
    with db.sessions() as s:
        records, _ = outbox.read_batch(s, 0, sample, 1 << 40)
    path = url + api.station_path(station, "records")
    headers = {"Authorization": f"Bearer {tok}", "Content-Type": "application/json"}
    async with aiohttp.ClientSession(trace_configs=[wire.trace]) as http:
        t0 = time.perf_counter()
        for r in records:
            async with http.post(path, data=msgspec.json.encode({"records": [r]}), headers=headers) as resp:
                await resp.read()
                if resp.status != 200:
                    raise SystemExit(f"one-by-one: {resp.status} {await resp.text()}")
        return len(records), time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--sample", type=int, default=2000, help="records sent one per request (0: all), extrapolated")
    ap.add_argument("--collector-db", metavar="URL", help="the collector's database (default: SQLite in a temp dir)")
    ap.add_argument("--json", action="store_true", help="print only the JSON line")
    args = ap.parse_args()
    say = (lambda *a: None) if args.json else print

    with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp:
        station = open_database(f"sqlite:///{Path(tmp) / 'station.db'}", seed=False)
        json_bytes = fill(station, args.records)
        collector_db = args.collector_db or f"sqlite:///{Path(tmp) / 'province.db'}"
        proc, url = start_collector(collector_db)
        try:
            tok, tok1 = token(collector_db, "bench"), token(collector_db, "bench-1by1")
            wire = Wire()
            worker = SyncWorker(station, HttpProvince(url, "bench", tok, trace_configs=[wire.trace]))
            t0 = time.perf_counter()
            result = asyncio.run(worker.drain())
            batched_s = time.perf_counter() - t0
            if result["acked_through"] != args.records + 1:
                raise SystemExit(f"batched: the collector holds {result['acked_through']}, not {args.records + 1}")
            say(f"batched: {args.records:,} records in {batched_s:.2f} s ({args.records / batched_s:,.0f}/s), "
                f"{wire.requests} requests, {wire.up:,} B up ({json_bytes / max(1, wire.up):.1f}x smaller than the "
                f"JSON), {wire.down:,} B down")
            one = Wire()
            n, secs = asyncio.run(one_by_one(url, "bench-1by1", tok1, station, args.sample or args.records, one))
            scale = args.records / n
            say(f"one per record: {n:,} records in {secs:.2f} s ({n / secs:,.0f}/s), {one.up:,} B up"
                + (f"; for {args.records:,}: {secs * scale:.1f} s, {one.up * scale:,.0f} B up" if scale != 1 else ""))
        finally:
            proc.terminate()
            proc.wait(10)
            station.close()
    figures = {"records": args.records, "collector_db": "postgresql" if collector_db.startswith("postgres") else "sqlite",
               "batched_s": round(batched_s, 3), "batched_records_per_s": round(args.records / batched_s),
               "batched_requests": wire.requests, "batched_bytes_up": wire.up, "batched_bytes_down": wire.down,
               "json_bytes": json_bytes,
               "one_by_one_sample": n, "one_by_one_s": round(secs * scale, 2),
               "one_by_one_records_per_s": round(n / secs), "one_by_one_bytes_up": round(one.up * scale),
               "one_by_one_bytes_down": round(one.down * scale), "extrapolated": scale != 1,
               "speedup": round(secs * scale / batched_s, 1), "target_s": 10.0, "within_target": batched_s < 10.0}
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TT_DATA_DIR", tempfile.gettempdir())
    sys.exit(main())
