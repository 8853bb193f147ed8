"""The reference provincial collector's HTTP server (aiohttp), docs/province-api.md.

One asyncio loop in a thread of its own serves every station: long-polls cost a parked coroutine,
not a thread. Database work runs in executors: **one** writer thread (batches of a station, and of
all stations, are stored one after another, so neither SQLite nor PostgreSQL sees write contention
from this process) and a few reader threads. Long-polls do not query the database: a watcher
reads every station's newest bulletin id once a second (bulletins may be queued by another
process, ``province bulletin send``) and wakes the polls that wait for it.

Every error is a JSON body ``{"error", "message", ...}`` with its status; an unexpected exception
is logged and answered with 500, never taken further.

Beside the API, under ``/staff/``, the staff pages (``console/province/staff.py``): province staff
sign in and send bulletins. They are pages for people, not part of the API of
docs/province-api.yaml, which :meth:`CollectorServer.app` serves and the tests check route by route.
"""

from __future__ import annotations

import asyncio
import html
import logging
import ssl
import threading
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import msgspec
from aiohttp import web

from console.aioserver import start_loop, stop_loop
from console.province import staff, store
from console.province.store import ApiError
from console.store.db import Database
from console.sync import api

log = logging.getLogger(__name__)
T = TypeVar("T")

WATCH_INTERVAL_S = 1.0
SMALL_BODY = 64 << 10  # receipts
_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          409: "conflict", 413: "too_large", 415: "unsupported_media_type"}


def tls_context(cert: str, key: str, client_ca: str | None = None) -> ssl.SSLContext:
    """HTTPS with ``cert``/``key``; with ``client_ca``, stations may also authenticate by a client
    certificate issued by that CA whose common name is the station id (mutual TLS)."""
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    if client_ca:
        ctx.load_verify_locations(client_ca)
        ctx.verify_mode = ssl.CERT_OPTIONAL
    return ctx


def _gunzip(data: bytes) -> bytes:
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = d.decompress(data, api.MAX_DECODED_BYTES + 1)
    except zlib.error as e:
        raise ApiError(400, "malformed", f"The body is not valid gzip: {e}.") from None
    if len(out) > api.MAX_DECODED_BYTES:
        raise ApiError(413, "too_large", f"The body is larger than {api.MAX_DECODED_BYTES >> 20} MiB uncompressed.")
    if not d.eof:
        raise ApiError(400, "malformed", "The gzip body is truncated.")
    return out


def _decode(body: bytes, kind: type[T]) -> T:
    try:
        return msgspec.json.decode(body, type=kind)
    except msgspec.ValidationError as e:
        raise ApiError(400, "malformed", f"The body does not match the API: {e}.") from None
    except msgspec.DecodeError as e:
        raise ApiError(400, "malformed", f"The body is not JSON: {e}.") from None


def _int_param(request: web.Request, name: str, default: float, low: float, high: float | None = None) -> float:
    raw = request.query.get(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ApiError(400, "bad_request", f"{name} must be a number, not {raw!r}.") from None
    if value < low:
        raise ApiError(400, "bad_request", f"{name} must be at least {low:g}.")
    return value if high is None else min(value, high)


class CollectorServer:
    """The collector on ``host:port`` (0: any free port) over ``db`` (``store.open_collector``)."""

    def __init__(self, db: Database, host: str = "127.0.0.1", port: int = 8090, *,
                 ssl_context: ssl.SSLContext | None = None, tz: str = store.DEFAULT_TZ) -> None:
        ZoneInfo(tz)  # a bad zone fails here, not in the first summary
        self.db = db
        self.host, self.port = host, port
        self.ssl_context = ssl_context
        self.tz = tz
        self._write_pool = ThreadPoolExecutor(1, thread_name_prefix="collector-write")
        self._read_pool = ThreadPoolExecutor(4, thread_name_prefix="collector-read")
        self._latest: dict[str, int] = {}
        self._changed: asyncio.Condition | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self.staff = staff.StaffPages(self)

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("", "0.0.0.0") else self.host
        return f"{'https' if self.ssl_context else 'http'}://{host}:{self.port}"

    # -- life -------------------------------------------------------------------------------------

    def start(self) -> CollectorServer:
        """Listen (raises OSError if it cannot) and serve from a daemon thread."""
        loop, thread = start_loop("collector", self._listen, self._cleanup)
        self._loop, self._thread = loop, thread
        return self

    def stop(self) -> None:
        if self._loop is not None:
            loop, thread, self._loop, self._thread = self._loop, self._thread, None, None
            stop_loop(loop, thread, self._cleanup)
        self._write_pool.shutdown(wait=True)
        self._read_pool.shutdown(wait=True)

    async def _listen(self) -> None:
        app = self.app()
        app.router.add_get(staff.PREFIX, staff.to_index)  # /staff -> /staff/ (before the prefix takes it)
        app.add_subapp(staff.PREFIX, self.staff.app())
        runner = web.AppRunner(app, access_log=None, auto_decompress=False, shutdown_timeout=1.0)
        await runner.setup()
        self._runner = runner
        site = web.TCPSite(runner, self.host, self.port, ssl_context=self.ssl_context)
        await site.start()
        if self.port == 0:
            self.port = runner.addresses[0][1]

    async def _cleanup(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def app(self) -> web.Application:
        """The API of docs/province-api.yaml and the overview page (what is served is this plus the
        staff pages, :mod:`console.province.staff`)."""
        app = web.Application(middlewares=[self._errors], client_max_size=api.MAX_REQUEST_BYTES)
        p = api.PREFIX
        app.router.add_get(p + "/stations/{station}/cursor", self.get_cursor)
        app.router.add_post(p + "/stations/{station}/records", self.post_records)
        app.router.add_get(p + "/stations/{station}/bulletins", self.get_bulletins)
        app.router.add_post(p + r"/stations/{station}/bulletins/{id:\d+}/receipt", self.post_receipt)
        app.router.add_get(p + "/media/{sha256}", self.get_media)
        app.router.add_get(p + "/summary", self.get_summary)
        app.router.add_get("/", self.get_overview)
        app.cleanup_ctx.append(self._watcher)
        return app

    # -- plumbing ---------------------------------------------------------------------------------

    async def _write(self, fn: Callable[[Any], T]) -> T:
        def run() -> T:
            with self.db.sessions.begin() as session:
                return fn(session)
        return await asyncio.get_running_loop().run_in_executor(self._write_pool, run)

    async def _read(self, fn: Callable[[Any], T]) -> T:
        def run() -> T:
            with self.db.sessions() as session:
                return fn(session)
        return await asyncio.get_running_loop().run_in_executor(self._read_pool, run)

    @web.middleware
    async def _errors(self, request: web.Request, handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except ApiError as e:
            headers = {"WWW-Authenticate": 'Bearer realm="province"'} if e.status == 401 else None
            return web.json_response(e.body(), status=e.status, headers=headers)
        except web.HTTPException as e:
            if e.status < 400:
                raise
            return web.json_response(api.error_body(_CODES.get(e.status, "http_error"), e.reason), status=e.status)
        except (asyncio.CancelledError, ConnectionError):
            raise
        except Exception:
            log.exception("collector: %s %s failed", request.method, request.path)
            return web.json_response(api.error_body("internal", "The collector failed on this request; "
                                                    "it is logged. Try again later."), status=500)

    def _cert_station(self, request: web.Request) -> str | None:
        """The common name of a verified client certificate, if any."""
        transport = request.transport
        cert = transport.get_extra_info("peercert") if transport is not None else None
        for rdn in (cert or {}).get("subject", ()):
            for key, value in rdn:
                if key == "commonName":
                    return value
        return None

    async def _authorise(self, request: web.Request, station: str | None = None) -> str:
        """The station the request speaks for: its client certificate's or its bearer token's, which
        must be ``station`` when given."""
        owner = self._cert_station(request)
        if owner is None or (station is not None and owner != station):
            scheme, _, token = request.headers.get("Authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise ApiError(401, "unauthorized", "A bearer token (Authorization: Bearer TOKEN) or a client "
                               "certificate is required.")
            owner = await self._read(lambda s: store.station_for_token(s, token.strip()))
            if owner is None:
                raise ApiError(401, "unauthorized", "The token is not valid: unknown or revoked.")
        if station is not None and owner != station:
            raise ApiError(403, "forbidden", f"These credentials are not station {station}'s.")
        return owner

    # -- the API ----------------------------------------------------------------------------------

    async def get_cursor(self, request: web.Request) -> web.Response:
        station = await self._authorise(request, request.match_info["station"])
        return web.json_response({"acked_through": await self._write(lambda s: store.cursor(s, station))})

    async def post_records(self, request: web.Request) -> web.Response:
        station = await self._authorise(request, request.match_info["station"])
        encoding = request.headers.get("Content-Encoding", "identity").strip().lower()
        if encoding not in ("gzip", "identity"):
            raise ApiError(415, "unsupported_encoding", f"Content-Encoding {encoding!r}: send gzip or identity.")
        body = await request.read()  # 413 past MAX_REQUEST_BYTES
        if encoding == "gzip":
            body = _gunzip(body)
        batch = _decode(body, api.Batch)
        if len(batch.records) > api.MAX_RECORDS:
            raise ApiError(413, "too_many_records", f"At most {api.MAX_RECORDS} records per request, not "
                           f"{len(batch.records)}.")
        ack = await self._write(lambda s: store.ingest(s, station, batch))
        return web.json_response(msgspec.structs.asdict(ack))

    async def get_bulletins(self, request: web.Request) -> web.Response:
        station = await self._authorise(request, request.match_info["station"])
        after = int(_int_param(request, "after", 0, 0))
        wait = _int_param(request, "wait", 0, 0, api.MAX_WAIT_S)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while True:
            found = await self._read(lambda s: store.bulletins_after(s, station, after))
            remaining = deadline - loop.time()
            if found or remaining <= 0:
                return web.json_response({"bulletins": found})
            try:
                async with self._changed:
                    await asyncio.wait_for(self._changed.wait_for(lambda: self._latest.get(station, 0) > after),
                                           remaining)
            except TimeoutError:
                return web.json_response({"bulletins": []})

    async def wake_polls(self) -> None:
        """Wake the long-polls whose station has a new bulletin (the watcher does it within a second;
        the staff pages do it at once)."""
        latest = await self._read(store.latest_bulletins)
        if latest != self._latest and self._changed is not None:
            self._latest = latest
            async with self._changed:
                self._changed.notify_all()

    async def _watcher(self, _app: web.Application):
        self._changed = asyncio.Condition()

        async def watch() -> None:
            while True:
                try:
                    await self.wake_polls()
                except Exception as e:  # noqa: BLE001 - the database may be back in a second
                    log.warning("collector: cannot read the bulletins: %s", e)
                await asyncio.sleep(WATCH_INTERVAL_S)
        task = asyncio.create_task(watch())
        yield
        task.cancel()

    async def post_receipt(self, request: web.Request) -> web.Response:
        station = await self._authorise(request, request.match_info["station"])
        bulletin = int(request.match_info["id"])
        if request.content_length is not None and request.content_length > SMALL_BODY:
            raise ApiError(413, "too_large", "A receipt is a small JSON object.")
        receipt = _decode(await request.read(), api.ReceiptIn)
        await self._write(lambda s: store.put_receipt(s, station, bulletin, receipt.status, receipt.note))
        return web.json_response({"ok": True})

    async def get_media(self, request: web.Request) -> web.Response:
        await self._authorise(request)
        sha = request.match_info["sha256"].lower()
        media = await self._read(lambda s: store.get_media(s, sha)) if len(sha) == 64 else None
        if media is None:
            raise ApiError(404, "not_found", "There is no media file with that sha256.")
        return web.Response(body=media.data, content_type=media.content_type,
                            headers={"ETag": f'"{sha}"', "Cache-Control": "private, max-age=31536000, immutable"})

    async def get_summary(self, request: web.Request) -> web.Response:
        return web.json_response(await self._read(lambda s: store.summary(s, self.tz)))

    async def get_overview(self, request: web.Request) -> web.Response:
        lang = "en" if request.query.get("lang") == "en" else "vi"
        data = await self._read(lambda s: store.summary(s, self.tz))
        return web.Response(text=overview_html(data, lang), content_type="text/html", charset="utf-8")


# -- the overview page ------------------------------------------------------------------------------

LABELS = {
    "vi": {"title": "Tổng quan các đài truyền thanh cơ sở", "station": "Đài", "last_sync": "Đồng bộ lần cuối",
           "records": "Bản ghi đã nhận", "backlog": "Chưa gửi", "online": "Thiết bị trực tuyến",
           "hours": "Giờ phát hôm nay", "alarms": "Cảnh báo đang mở", "bulletins": "Bản tin đã gửi",
           "never": "chưa", "none": "Chưa có đài nào. Tạo mã truy cập: python -m console province token add ĐÀI",
           "updated": "Cập nhật", "total": "Tổng", "staff": "Gửi bản tin tới các đài (cán bộ tỉnh, cần đăng nhập)"},
    "en": {"title": "Grassroots broadcasting stations: overview", "station": "Station", "last_sync": "Last sync",
           "records": "Records received", "backlog": "Backlog", "online": "Devices online",
           "hours": "Broadcast hours today", "alarms": "Open alarms", "bulletins": "Bulletins sent",
           "never": "never", "none": "No stations yet. Create a token: python -m console province token add STATION",
           "updated": "Updated", "total": "Total", "staff": "Send a bulletin to the stations (province staff, sign-in needed)"},
}


def overview_html(data: dict[str, Any], lang: str = "vi") -> str:
    """A plain read-only page of :func:`store.summary`, refreshed every minute."""
    t = LABELS[lang]
    zone = ZoneInfo(data["tz"])

    def when(ms: int | None) -> str:
        return datetime.fromtimestamp(ms / 1000, zone).strftime("%H:%M %d/%m/%Y") if ms else t["never"]

    def hours(ms: int) -> str:
        return f"{ms / 3_600_000:.1f}"

    head = "".join(f"<th>{html.escape(t[k])}</th>" for k in
                   ("station", "last_sync", "records", "backlog", "online", "hours", "alarms", "bulletins"))
    rows = []
    for s in data["stations"]:
        d = s["devices"]
        rows.append("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in (
            s["name"] or s["station"], when(s["last_sync_at"]), s["acked_through"],
            "" if s["backlog"] is None else s["backlog"], f"{d['online']} / {d['total']}",
            hours(s["broadcast_ms_today"]), s["open_alarms"], s["bulletins"])) + "</tr>")
    tot = data["totals"]
    foot = (f"<tr><th>{html.escape(t['total'])}</th><td></td><td></td><td>{tot['backlog']}</td>"
            f"<td>{tot['online']} / {tot['devices']}</td><td>{hours(tot['broadcast_ms_today'])}</td>"
            f"<td>{tot['open_alarms']}</td><td></td></tr>")
    body = (f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody><tfoot>{foot}</tfoot></table>"
            if rows else f"<p>{html.escape(t['none'])}</p>")
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta http-equiv="refresh" content="60">
<title>{html.escape(t['title'])}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}
th,td{{border:1px solid #bbb;padding:.3em .7em;text-align:right}}th:first-child,td:first-child{{text-align:left}}
thead th{{background:#eee}}</style></head>
<body><h1>{html.escape(t['title'])}</h1>{body}
<p><small>{html.escape(t['updated'])}: {when(data['generated_at'])} ({html.escape(data['tz'])})</small></p>
<p><a href="{staff.PREFIX}/?lang={lang}">{html.escape(t['staff'])}</a></p>
</body></html>
"""
