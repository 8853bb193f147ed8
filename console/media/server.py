"""The built-in media server: devices download scheduled media from it over HTTP.

``GET``/``HEAD /media/{sha256}.{ext}`` serves the content-addressed store (console/media/store.py,
``{root}/{sha[:2]}/{sha}.{ext}``) with aiohttp's ``FileResponse`` (sendfile, ``Range``), in an
asyncio loop of its own in a daemon thread, so hundreds of concurrent downloads cost one thread.

A name is its content, so the ``ETag`` is the strong ``"<sha256>"`` and responses may be cached
forever. aiohttp derives its ETag from mtime and size and knows only dates in ``If-Range``, so the
conditional headers are evaluated here, against the sha256, and the file is then sent for a copy
of the request without them.

With a secret, URLs carry ``exp`` (epoch seconds) and ``sig`` = hex HMAC-SHA256 of
``"{path}\\n{exp}"`` (``path`` = ``/media/{sha256}.{ext}``, whatever the public base); a request
without a valid, unexpired signature gets 403. See docs/scheduling.md, "Media".

``GET /live/{session}.{ext}`` streams a live broadcast from a registered
:class:`~console.live.stream.LiveChannel` (:meth:`MediaServer.add_channel`): ``200`` with the
channel's content type, ``Cache-Control: no-cache``, ``icy-name``, no ``Content-Length``; the body is
the stream from the listener's arrival on (chunked for HTTP/1.1 clients, ended by closing the
connection for HTTP/1.0 ones, as Icecast does), until the channel closes. A listener that cannot take
the stream as fast as it is made is disconnected after the channel's ``max_lag_s``. Live URLs are
signed like media URLs when the server has a secret (``path`` = ``/live/{session}.{ext}``).

``PUT /logs/{device}/{name}`` (when the server has a ``logs_dir``) takes a device's log archive, which
the technician asks for with the ``logs.upload`` command (:meth:`MediaServer.logs_url`). The body is
written to ``{logs_dir}/{device}/{name}`` through a temporary file, so a cut upload, one over
:data:`MAX_LOG_BYTES` (413) or a full disk (507) leaves nothing behind. Signed like media URLs.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import math
import os
import re
import threading
import time
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

from aiohttp import hdrs, web

from console.aioserver import start_loop, stop_loop
from console.media.store import _EXT, _SHA256

PREFIX = "/media"
LIVE_PREFIX = "/live"
CACHE_FOREVER = "public, max-age=31536000, immutable"
DEFAULT_URL_TTL_S = 86400  # signed URLs asked for without an expiry
SHUTDOWN_GRACE_S = 2.0  # downloads still running at stop() get this long
CONTENT_TYPES = {"mp3": "audio/mpeg", "opus": "audio/ogg", "ogg": "audio/ogg", "m4a": "audio/mp4",
                 "aac": "audio/aac", "wav": "audio/wav", "flac": "audio/flac"}
FALLBACK_TYPE = "application/octet-stream"
# Answered here; the copy of the request that FileResponse sees has none of them.
CONDITIONAL = (hdrs.IF_MATCH, hdrs.IF_NONE_MATCH, hdrs.IF_MODIFIED_SINCE, hdrs.IF_UNMODIFIED_SINCE,
               hdrs.IF_RANGE, hdrs.ACCEPT_ENCODING)

_NAME = re.compile(f"({_SHA256.pattern})\\.({_EXT.pattern})")
_SESSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,127}")
_LIVE_NAME = re.compile(f"({_SESSION.pattern})\\.({_EXT.pattern})")
LOGS_PREFIX = "/logs"
MAX_LOG_BYTES = 64 << 20
_LOG_DEVICE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_LOG_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


class MediaServerError(OSError):
    """The server cannot listen (the port is taken, the address is not ours, ...)."""


def media_path(sha256: str, ext: str) -> str:
    """The URL path of a media file, which signatures cover: ``/media/{sha256}.{ext}``."""
    return f"{PREFIX}/{sha256}.{ext}"


class UrlSigner:
    """HMAC-SHA256 signatures of media paths with an expiry (docs/scheduling.md, "Media")."""

    def __init__(self, secret: str | bytes):
        if not secret:
            raise ValueError("the media secret must not be empty")
        self._key = secret.encode() if isinstance(secret, str) else bytes(secret)

    def signature(self, path: str, exp: int) -> str:
        return hmac.new(self._key, f"{path}\n{exp}".encode(), hashlib.sha256).hexdigest()

    def sign(self, path: str, expires_at: float) -> str:
        """The query string ``exp=<epoch s>&sig=<hex>`` that makes ``path`` valid until ``expires_at``."""
        exp = math.ceil(expires_at)
        return f"exp={exp}&sig={self.signature(path, exp)}"

    def verify(self, path: str, exp: str | int | None, sig: str | None, now: float | None = None) -> bool:
        """True if ``sig`` signs ``path`` with ``exp`` and ``exp`` has not passed (constant-time compare)."""
        if exp is None or sig is None:
            return False
        exp = str(exp)
        if not exp.isascii() or not exp.isdigit() or len(exp) > 12:
            return False
        expected = self.signature(path, int(exp)).encode()
        ok = hmac.compare_digest(expected, sig.encode("utf-8", "replace"))
        return ok and int(exp) >= (time.time() if now is None else now)


class _MediaFile(web.FileResponse):
    """A FileResponse whose ETag is ``"<sha256>"``, sent once (the handler prepares it itself)."""

    def __init__(self, path: Path, sha256: str, headers: dict[str, str]):
        super().__init__(path, headers=headers)
        self._strong_etag = f'"{sha256}"'

    def _pin_etag(self, value) -> None:
        self._headers[hdrs.ETAG] = self._strong_etag

    etag = property(web.FileResponse.etag.fget, _pin_etag)

    def set_status(self, status: int, reason: str | None = None) -> None:
        super().set_status(status, reason)
        if status >= 400:  # 416, or the file went away: nothing to cache
            self._headers.popall(hdrs.CACHE_CONTROL, None)

    async def prepare(self, request: web.BaseRequest):
        if self.prepared:  # by the handler, for the request without conditional headers
            return None
        return await super().prepare(request)


def _discard(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:  # its folder cannot be written either: nothing was left there
        pass


def _http_date(value: str | None) -> float | None:
    try:
        return parsedate_to_datetime(value).timestamp() if value else None
    except (TypeError, ValueError):
        return None


class MediaServer:
    """Serves ``root`` (a media store) at ``http://host:port/media/``. ``port=0`` picks a free one."""

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 0, secret: str | None = None,
                 public_base: str | None = None, logs_dir: Path | None = None):
        self.root = Path(root)
        self.logs_dir = Path(logs_dir) if logs_dir is not None else None
        self.host = host
        self.port = port  # the bound port once started
        self.signer = UrlSigner(secret) if secret else None
        self.public_base = public_base.rstrip("/") if public_base else None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._requests = self._bytes = self._errors = 0
        self._channels: dict = {}  # session -> LiveChannel
        self._listeners: set = set()  # the live listeners being served (Listener)
        self._live_dropped = 0

    # --- life ------------------------------------------------------------------------------------

    def start(self) -> MediaServer:
        """Listen and serve in a daemon thread; raise :class:`MediaServerError` if it cannot listen."""
        if self._thread is not None:
            raise RuntimeError("the media server is already running")
        try:
            loop, thread = start_loop("media-server", self._listen, self._cleanup)
        except OSError as e:
            raise MediaServerError(f"cannot serve media on {self.host}:{self.port}: {os.strerror(e.errno) if e.errno else e}") from e
        self._loop, self._thread = loop, thread
        return self

    def stop(self) -> None:
        """Stop listening; downloads still running get :data:`SHUTDOWN_GRACE_S`. Safe to call twice."""
        if self._thread is not None:
            loop, thread, self._loop, self._thread = self._loop, self._thread, None, None
            stop_loop(loop, thread, self._cleanup)

    def __enter__(self) -> MediaServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    async def _listen(self) -> None:
        runner = web.AppRunner(self._app(), access_log=None, shutdown_timeout=SHUTDOWN_GRACE_S)
        runner.app.on_shutdown.append(self._end_live)
        await runner.setup()
        self._runner = runner
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        self.port = runner.addresses[0][1]

    async def _cleanup(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # --- addresses -------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``http://host:port/media``, or ``public_base`` when given (devices see another address)."""
        if self.public_base:
            return self.public_base
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{PREFIX}"

    def url(self, sha256: str, ext: str, expires_at: float | None = None) -> str:
        """The URL of a media file; signed when the server has a secret (``expires_at`` defaults
        to :data:`DEFAULT_URL_TTL_S` from now; without a secret it is ignored)."""
        if not _SHA256.fullmatch(sha256) or not _EXT.fullmatch(ext):
            raise ValueError(f"bad media name {sha256!r}.{ext!r}")
        url = f"{self.base_url}/{sha256}.{ext}"
        if self.signer is None:
            return url
        expires_at = time.time() + DEFAULT_URL_TTL_S if expires_at is None else expires_at
        return f"{url}?{self.signer.sign(media_path(sha256, ext), expires_at)}"

    def stats(self) -> dict[str, int]:
        """``requests`` received, body ``bytes`` sent, ``errors`` (4xx/5xx answers, aborted transfers)."""
        return {"requests": self._requests, "bytes": self._bytes, "errors": self._errors}

    # --- live streams ----------------------------------------------------------------------------

    def add_channel(self, session: str, channel) -> str:
        """Serve ``channel`` (a LiveChannel) at ``/live/{session}.{channel.ext}``; returns :meth:`live_url`.
        A channel already registered under ``session`` is replaced (its listeners keep it)."""
        if not _SESSION.fullmatch(session):
            raise ValueError(f"bad live session id {session!r}: letters, digits, '-' and '_', at most 128")
        self._channels[session] = channel
        return self.live_url(session)

    def remove_channel(self, session: str) -> None:
        """Stop offering a session to new listeners; those listening end when its channel closes."""
        self._channels.pop(session, None)

    def live_path(self, session: str) -> str:
        return f"{LIVE_PREFIX}/{session}.{self._channels[session].ext}"

    def live_url(self, session: str, expires_at: float | None = None) -> str:
        """The URL devices stream a registered session from (signed as :meth:`url` is)."""
        path = self.live_path(session)
        url = self.base_url.removesuffix(PREFIX) + path  # beside /media, also behind a public base
        if self.signer is None:
            return url
        expires_at = time.time() + DEFAULT_URL_TTL_S if expires_at is None else expires_at
        return f"{url}?{self.signer.sign(path, expires_at)}"

    # --- device logs -----------------------------------------------------------------------------

    def logs_url(self, dev_id: str, expires_at: float | None = None) -> str:
        """Where a device uploads its logs now: ``.../logs/{device}/{UTC time}.tar.gz`` (signed as
        :meth:`url` is); the file lands in ``logs_dir/{device}/``."""
        if self.logs_dir is None:
            raise RuntimeError("this media server takes no logs (no logs_dir)")
        if not _LOG_DEVICE.fullmatch(dev_id):
            raise ValueError(f"bad device id {dev_id!r}")
        path = f"{LOGS_PREFIX}/{dev_id}/{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}.tar.gz"
        url = self.base_url.removesuffix(PREFIX) + path
        if self.signer is None:
            return url
        expires_at = time.time() + DEFAULT_URL_TTL_S if expires_at is None else expires_at
        return f"{url}?{self.signer.sign(path, expires_at)}"

    async def _upload(self, request: web.Request) -> web.Response:
        dev, name = request.match_info["device"], request.match_info["name"]
        if not _LOG_DEVICE.fullmatch(dev) or not _LOG_NAME.fullmatch(name):
            raise web.HTTPBadRequest(text="bad log name: want /logs/{device}/{file}\n")
        if self.signer is not None and not self.signer.verify(
                f"{LOGS_PREFIX}/{dev}/{name}", request.query.get("exp"), request.query.get("sig")):
            raise web.HTTPForbidden(text="missing, bad or expired signature\n")
        if (request.content_length or 0) > MAX_LOG_BYTES:
            raise web.HTTPRequestEntityTooLarge(MAX_LOG_BYTES, request.content_length)
        folder = self.logs_dir / dev
        part = folder / f".{name}.part"
        size = 0
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with part.open("wb") as f:
                async for chunk in request.content.iter_chunked(1 << 16):
                    size += len(chunk)
                    if size > MAX_LOG_BYTES:
                        raise web.HTTPRequestEntityTooLarge(MAX_LOG_BYTES, size)
                    f.write(chunk)
            os.replace(part, folder / name)
        except OSError as e:
            _discard(part)
            raise web.HTTPInsufficientStorage(text=f"cannot store the logs: {e.strerror or e}\n") from e
        except BaseException:  # too large, or the device went away half-way
            _discard(part)
            raise
        return web.json_response({"stored": f"{dev}/{name}", "bytes": size}, status=201)

    def live_stats(self) -> dict[str, int]:
        """``channels`` registered, ``listeners`` being served now, ``dropped``: disconnected for lagging."""
        return {"channels": len(self._channels), "listeners": len(self._listeners), "dropped": self._live_dropped}

    # --- serving (in the server's thread) ------------------------------------------------------

    def _app(self) -> web.Application:
        @web.middleware
        async def count(request: web.Request, handler) -> web.StreamResponse:
            self._requests += 1
            try:
                resp = await handler(request)
            except Exception:  # HTTPException answers, and transfers the client aborted
                self._errors += 1
                raise
            if resp.status >= 400:
                self._errors += 1
            return resp

        app = web.Application(middlewares=[count])
        app.router.add_get(PREFIX + "/{name}", self._serve)  # and HEAD
        app.router.add_get(LIVE_PREFIX + "/{name}", self._live)
        if self.logs_dir is not None:
            app.router.add_put(LOGS_PREFIX + "/{device}/{name}", self._upload)
        return app

    async def _live(self, request: web.Request) -> web.StreamResponse:
        m = _LIVE_NAME.fullmatch(request.match_info["name"])
        if m is None:
            raise web.HTTPBadRequest(text="bad live stream name: want {session}.{ext}\n")
        session, ext = m.groups()
        if self.signer is not None and not self.signer.verify(
                f"{LIVE_PREFIX}/{session}.{ext}", request.query.get("exp"), request.query.get("sig")):
            raise web.HTTPForbidden(text="missing, bad or expired signature\n")
        channel = self._channels.get(session)
        if channel is None or channel.ext != ext or channel.closed:
            raise web.HTTPNotFound(text="no such live stream\n")
        resp = web.StreamResponse(headers={hdrs.CONTENT_TYPE: channel.content_type,
                                           hdrs.CACHE_CONTROL: "no-cache, no-store",
                                           "icy-name": channel.name or session,
                                           "icy-br": str(channel.bitrate // 1000)})
        resp.force_close()  # one stream per connection
        if request.method == "HEAD":
            await resp.prepare(request)
            return resp
        listener = channel.listen(asyncio.get_running_loop())
        self._listeners.add(listener)
        try:
            await resp.prepare(request)
            while data := await listener.aread():
                # A listener that cannot take the stream in time is cut off (it reconnects at "now").
                await asyncio.wait_for(resp.write(data), channel.max_lag_s)
                self._bytes += len(data)
            if not listener.dropped:
                await resp.write_eof()
                return resp
        except TimeoutError:
            pass
        except ConnectionError:  # the listener went away
            self._errors += 1
            return resp
        finally:
            listener.close()
            self._listeners.discard(listener)
        self._live_dropped += 1
        self._errors += 1
        if request.transport is not None:
            request.transport.abort()
        return resp

    async def _end_live(self, app: web.Application) -> None:
        """At stop: end the live responses now rather than after the shutdown grace."""
        for listener in list(self._listeners):
            listener.close()

    async def _serve(self, request: web.Request) -> web.StreamResponse:
        m = _NAME.fullmatch(request.match_info["name"])
        if m is None:
            raise web.HTTPBadRequest(text="bad media name: want {sha256}.{ext}\n")
        sha, ext = m.groups()
        if self.signer is not None and not self.signer.verify(
                media_path(sha, ext), request.query.get("exp"), request.query.get("sig")):
            raise web.HTTPForbidden(text="missing, bad or expired signature\n")
        path = self.root / sha[:2] / f"{sha}.{ext}"
        try:
            mtime = int(os.stat(path).st_mtime)  # a local stat: quick enough for the loop
        except OSError:
            raise web.HTTPNotFound(text="no such media\n") from None
        etag = f'"{sha}"'
        headers = {hdrs.CACHE_CONTROL: CACHE_FOREVER, hdrs.CONTENT_TYPE: CONTENT_TYPES.get(ext, FALLBACK_TYPE)}

        status = self._precondition(request, sha, mtime)
        if status == 412:
            raise web.HTTPPreconditionFailed()
        if status == 304:
            return web.Response(status=304, headers={hdrs.ETAG: etag, hdrs.CACHE_CONTROL: CACHE_FOREVER,
                                                     hdrs.LAST_MODIFIED: formatdate(mtime, usegmt=True)})
        plain = request.headers.copy()
        for name in CONDITIONAL:
            plain.popall(name, None)
        if_range = request.headers.get(hdrs.IF_RANGE)
        if if_range is not None and not _range_still_valid(if_range, etag, mtime):
            plain.popall(hdrs.RANGE, None)  # changed since (per If-Range): the whole file
        resp = _MediaFile(path, sha, headers)
        await resp.prepare(request.clone(headers=plain))
        if request.method == "GET" and resp.status in (200, 206):
            self._bytes += resp.content_length or 0
        return resp

    @staticmethod
    def _precondition(request: web.Request, sha: str, mtime: int) -> int | None:
        """412 or 304 as RFC 9110 §13.2.2 orders the preconditions, or None to send the content."""
        if request.if_match is not None:
            if not any(e.value in ("*", sha) and not e.is_weak for e in request.if_match):
                return 412
        elif (since := _http_date(request.headers.get(hdrs.IF_UNMODIFIED_SINCE))) is not None and mtime > since:
            return 412
        if request.if_none_match is not None:
            return 304 if any(e.value in ("*", sha) for e in request.if_none_match) else None
        since = _http_date(request.headers.get(hdrs.IF_MODIFIED_SINCE))
        return 304 if since is not None and mtime <= since else None


def _range_still_valid(if_range: str, etag: str, mtime: int) -> bool:
    """If-Range holds an entity tag (strong comparison) or a date (not modified since)."""
    if if_range.startswith(('"', "W/")):
        return if_range == etag
    since = _http_date(if_range)
    return since is not None and mtime <= since
