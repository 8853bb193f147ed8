"""Helpers of the province sync tests: a real collector on loopback (SQLite or PostgreSQL), records, and a
fault-injecting proxy between station and collector."""

from __future__ import annotations

import asyncio
import threading
from collections import deque

from aiohttp import ClientSession, web
from sqlalchemy import select

from console.province import store
from console.province.models import Record
from console.province.server import CollectorServer
from console.store.models import OutboxEntry, now_ms
from console.sync import api, outbox
from console.sync.client import HttpProvince


class Collector:
    """The reference collector over one database, restartable on the same port."""

    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        self.port = 0
        self.server: CollectorServer | None = None
        self.start()

    def start(self) -> None:
        self.db = store.open_collector(self.db_url)
        self.server = CollectorServer(self.db, port=self.port).start()
        self.port = self.server.port

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.db.close()
            self.server = None

    def restart(self) -> None:
        self.stop()
        self.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def token(self, station: str) -> str:
        with self.db.sessions.begin() as s:
            return store.add_token(s, station)

    def records(self, station: str) -> list[tuple[int, str, int, str]]:
        """(seq, type, ts, digest recomputed from what is stored), in seq order."""
        with self.db.sessions() as s:
            rows = s.execute(select(Record.seq, Record.type, Record.ts, Record.data, Record.digest)
                             .where(Record.station_id == station).order_by(Record.seq)).all()
        for seq, kind, ts, data, digest in rows:
            assert digest == api.record_digest(seq, kind, ts, data), f"record {seq} changed in storage"
        return [(seq, kind, ts, digest) for seq, kind, ts, data, digest in rows]

    def receipts(self, station: str, bulletin: int) -> dict[str, str]:
        with self.db.sessions() as s:  # a new transaction each time: SQLite reads a snapshot
            return store.receipts(s, station, bulletin)

    def count(self, station: str) -> int:
        with self.db.sessions() as s:
            row = s.get(store.Station, station)
            return row.acked_through if row is not None else 0


def add_records(db, n: int, kind: str = "asrun", chunk: int = 20_000) -> None:
    """``n`` as-run-like records through the outbox's bulk path."""
    for first in range(0, n, chunk):
        now = now_ms()
        rows = [(kind, now, {"item": f"s{i % 50}.20261126T0600{i % 60:02d}.{i % 3}", "device": f"LOA-{i % 997:04d}",
                             "schedule": i % 50, "start": now - 3_600_000, "dur_ms": 180_000, "status": "played",
                             "played_ms": 180_000, "reason": "", "ts": now, "n": first + i})
                for i in range(min(chunk, n - first))]
        with db.sessions.begin() as s:
            outbox.append(s, rows)


def station_records(db) -> list[tuple[int, str, int, str]]:
    with db.sessions() as s:
        rows = s.execute(select(OutboxEntry.seq, OutboxEntry.type, OutboxEntry.ts, OutboxEntry.data)
                         .order_by(OutboxEntry.seq)).all()
    return [(seq, kind, ts, api.record_digest(seq, kind, ts, data)) for seq, kind, ts, data in rows]


def province(url: str, station: str, token: str, **kw) -> HttpProvince:
    return HttpProvince(url, station, token, **kw)


class FaultProxy:
    """An HTTP proxy in front of the collector. Each POST of records takes the next fault from
    ``faults`` (none left: forwarded as it is):

    - ``"500"``: answered 500 without forwarding;
    - ``"timeout"``: forwarded, then the answer is held back for ``hold_s`` (the client times out);
    - ``"drop"``: forwarded, then the connection is closed without an answer;
    - ``"half"``: half of the body is read, then the connection is closed (nothing forwarded);
    - ``"hold"``: forwarded, then held until ``release`` is set (``holding`` is set meanwhile).
    """

    def __init__(self, target: str, hold_s: float = 3.0) -> None:
        self.target = target
        self.hold_s = hold_s
        self.faults: deque[str] = deque()
        self.seen: list[str] = []  # the fault applied to each POST of records ("" for none)
        self.holding = threading.Event()
        self.release = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self.port = asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _start(self) -> int:
        self._http = ClientSession(auto_decompress=False)
        app = web.Application(client_max_size=64 << 20)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, auto_decompress=False, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        return self._runner.addresses[0][1]

    async def _forward(self, request: web.Request, body: bytes) -> web.Response:
        headers = {k: v for k, v in request.headers.items() if k.lower() in
                   ("authorization", "content-type", "content-encoding")}
        async with self._http.request(request.method, self.target + request.path_qs, data=body,
                                      headers=headers) as r:
            data = await r.read()
            return web.Response(body=data, status=r.status, content_type=r.content_type)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        fault = ""
        if request.method == "POST" and request.path.endswith("/records"):
            fault = self.faults.popleft() if self.faults else ""
            self.seen.append(fault)
        if fault == "500":
            await request.read()
            return web.json_response({"error": "internal", "message": "injected"}, status=500)
        if fault == "half":
            await request.content.read(max(1, (request.content_length or 2) // 2))
            request.transport.close()
            return web.Response()
        answer = await self._forward(request, await request.read())
        if fault == "timeout":
            await asyncio.sleep(self.hold_s)
        elif fault == "drop":
            request.transport.close()
        elif fault == "hold":
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait)
        return answer

    def close(self) -> None:
        self.release.set()

        async def stop() -> None:
            await self._http.close()
            await self._runner.cleanup()
        asyncio.run_coroutine_threadsafe(stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
