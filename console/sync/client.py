"""The province behind an adapter: :class:`Province` is what the sync worker needs, and
:class:`HttpProvince` speaks the documented API (docs/province-api.md) with aiohttp. A province
with a system of its own (e.g. behind its LGSP) gets another implementation of the same five calls.

Errors are :class:`ProvinceError`: ``transient`` ones (no answer, a timeout, a dropped connection,
5xx, 429) are retried by the worker with backoff; the others say what to fix.
"""

from __future__ import annotations

import gzip
import hashlib
import ssl
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit

import aiohttp
import msgspec

from console.sync import api

GZIP_LEVEL = 6  # about 10 ms for 1 MB of records, a tenth of its size on the wire


class ProvinceError(Exception):
    """The province did not take a request. ``status`` is None when no answer came."""

    def __init__(self, message: str, status: int | None = None, code: str = "", body: dict | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.body = status, code, body or {}

    @property
    def transient(self) -> bool:
        return self.status is None or self.status >= 500 or self.status == 429


class GapError(ProvinceError):
    """409 ``gap``: the province expects ``expected`` next."""

    def __init__(self, message: str, expected: int, body: dict) -> None:
        super().__init__(message, 409, "gap", body)
        self.expected = expected


class MediaMismatch(ProvinceError):
    """A bulletin's media arrived whole but is not what the bulletin says (sha256 or size)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, 422, "media_mismatch")


class Province(Protocol):
    """What the sync worker needs from a province (all coroutines, on the worker's loop)."""

    async def cursor(self) -> int:
        """The highest contiguous seq the province holds of this station."""

    async def send(self, records: list[dict[str, Any]], backlog: int) -> int:
        """Ship records (consecutive seqs); returns the new cursor. Raises GapError on a gap."""

    async def bulletins(self, after: int, wait: float) -> list[dict[str, Any]]:
        """Bulletins after the id ``after``, waiting up to ``wait`` seconds for one."""

    async def receipt(self, bulletin_id: int, status: str, note: str) -> None:
        """Report what became of a bulletin."""

    async def fetch(self, url: str, dest: Path, sha256: str, size: int) -> None:
        """Download a bulletin's media to ``dest``, verified by sha256 and size (MediaMismatch if not)."""

    async def close(self) -> None: ...


class HttpProvince:
    """The documented HTTP API at ``base_url`` as ``station``, with a bearer ``token`` and/or a client
    certificate (``cert``/``key``, mutual TLS); ``ca`` replaces the system's CAs for the server."""

    def __init__(self, base_url: str, station: str, token: str | None = None, *, cert: str | None = None,
                 key: str | None = None, ca: str | None = None, timeout_s: float = 30.0,
                 gzip_level: int = GZIP_LEVEL, trace_configs: list[aiohttp.TraceConfig] | None = None) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"the province URL must be http(s)://host[:port][/path], not {base_url!r}")
        if not token and not cert:
            raise ValueError("the province needs a token or a client certificate")
        self.base = base_url.rstrip("/") + "/"
        self.station = station
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._ssl: ssl.SSLContext | None = None
        if ca or cert:
            self._ssl = ssl.create_default_context(cafile=ca)
            if cert:
                self._ssl.load_cert_chain(cert, key)
        self.timeout_s = timeout_s
        self.gzip_level = gzip_level
        self.bytes_sent = 0  # gzip bodies of record batches
        self._trace_configs = trace_configs  # aiohttp request tracing (bench/sync.py counts bytes with it)
        self._session: aiohttp.ClientSession | None = None

    def _url(self, path: str) -> str:
        return urljoin(self.base, path.lstrip("/"))

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=self._ssl or True),
                                                  trace_configs=self._trace_configs)
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _call(self, method: str, path: str, *, read_s: float | None = None, **kw: Any) -> Any:
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=10, sock_read=read_s or self.timeout_s)
        try:
            async with self._http().request(method, self._url(path), headers={**self._headers, **kw.pop("headers", {})},
                                            timeout=timeout, **kw) as r:
                raw = await r.read()
                try:
                    body = msgspec.json.decode(raw) if raw else {}
                except msgspec.DecodeError:
                    body = {"message": raw[:200].decode("utf-8", "replace")}
                if r.status == 200:
                    return body
                body = body if isinstance(body, dict) else {}
                message = f"{r.status} {body.get('message') or r.reason}"
                if r.status == 409 and body.get("error") == "gap" and isinstance(body.get("expected"), int):
                    raise GapError(message, body["expected"], body)
                raise ProvinceError(f"the province answered {message}", r.status, str(body.get("error", "")), body)
        except (TimeoutError, aiohttp.ClientError, OSError) as e:
            raise ProvinceError(f"no answer from the province: {type(e).__name__}: {e}".rstrip(": ")) from None

    async def cursor(self) -> int:
        return int((await self._call("GET", api.station_path(self.station, "cursor")))["acked_through"])

    async def send(self, records: list[dict[str, Any]], backlog: int) -> int:
        body = gzip.compress(msgspec.json.encode({"records": records, "backlog": backlog}), self.gzip_level)
        self.bytes_sent += len(body)
        answer = await self._call("POST", api.station_path(self.station, "records"), data=body,
                                  headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
        return int(answer["acked_through"])

    async def bulletins(self, after: int, wait: float) -> list[dict[str, Any]]:
        answer = await self._call("GET", api.station_path(self.station, "bulletins"),
                                  params={"after": str(after), "wait": f"{wait:g}"}, read_s=wait + 15)
        return list(answer.get("bulletins", []))

    async def receipt(self, bulletin_id: int, status: str, note: str) -> None:
        await self._call("POST", api.station_path(self.station, "bulletins", str(bulletin_id), "receipt"),
                         json={"status": status, "note": note})

    async def fetch(self, url: str, dest: Path, sha256: str, size: int) -> None:
        full = self._url(url)
        # The token goes to the province's own origin only, never to a third party's.
        same = urlsplit(full)[:2] == urlsplit(self.base)[:2]
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=10, sock_read=self.timeout_s)
        h = hashlib.sha256()
        got = 0
        try:
            async with self._http().get(full, headers=self._headers if same else {}, timeout=timeout) as r:
                if r.status != 200:
                    raise ProvinceError(f"the media {url} answered {r.status} {r.reason}", r.status)
                dest.parent.mkdir(parents=True, exist_ok=True)
                with open(dest, "wb") as f:  # noqa: ASYNC230 - 64 KiB writes to a local file
                    async for chunk in r.content.iter_chunked(1 << 16):
                        got += len(chunk)
                        if got > size:
                            raise MediaMismatch(f"the media {url} is larger than the {size} bytes announced")
                        h.update(chunk)
                        f.write(chunk)
        except (TimeoutError, aiohttp.ClientError, OSError) as e:
            dest.unlink(missing_ok=True)
            raise ProvinceError(f"downloading {url} failed: {type(e).__name__}: {e}") from None
        except ProvinceError:
            dest.unlink(missing_ok=True)
            raise
        if got != size or h.hexdigest() != sha256:
            dest.unlink(missing_ok=True)
            raise MediaMismatch(f"the media {url} does not match the bulletin: {got} bytes, sha256 {h.hexdigest()[:12]}…"
                                f" (expected {size} bytes, {sha256[:12]}…)")
