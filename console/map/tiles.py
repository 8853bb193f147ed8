"""Where map tiles come from: a tile server through a disk cache, or a local MBTiles archive.

A source's ``get(tile)`` blocks (network, disk), so the map calls it on worker threads only and
only for the tiles on screen (console/ui/map/tiles.py). Nothing here downloads ahead or in bulk:
that is the OpenStreetMap tile usage policy, and good manners towards any tile server.

- :class:`HttpTileSource`: a URL template (``https://tile.openstreetmap.org/{z}/{x}/{y}.png``), an
  identifying User-Agent, and a :class:`TileCache` on disk that honours the server's caching
  headers (at least a week when it sends none), revalidates stale tiles with ``If-None-Match`` /
  ``If-Modified-Since`` and, when the server cannot be reached, serves the stale copy.
- :class:`MBTilesSource`: a raster MBTiles archive (SQLite; rows counted from the south, TMS).

Pure: no Qt.
"""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import json
import logging
import os
import re
import sqlite3
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from console.core.tiles import Tile, tms_row

log = logging.getLogger(__name__)

OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "© OpenStreetMap contributors"
OSM_COPYRIGHT_URL = "https://www.openstreetmap.org/copyright"
MIN_FRESH_S = 7 * 86400  # the OSM policy's floor when the server sends no caching headers
TIMEOUT_S = 10.0
RASTER_FORMATS = ("png", "jpg", "jpeg", "webp")


class TileSourceError(ValueError):
    """A tile source cannot be used as configured; the message is one line for the user."""


class TileSource(Protocol):
    name: str  # shown to the user ("OpenStreetMap", the archive's name)
    attribution: str  # plain text, shown on the map
    attribution_url: str
    min_zoom: int
    max_zoom: int

    def get(self, tile: Tile) -> bytes | None:
        """The encoded image (PNG, JPEG, WebP) of a tile, or None when there is none. Blocking."""

    def close(self) -> None: ...


# Disk cache -------------------------------------------------------------------------------------
class TileCache:
    """Tiles of one source under ``directory/z/x/y`` with a small JSON sidecar (expiry and validators).

    Writes go to a temporary file renamed into place, so readers on other threads never see half a
    tile. The cache only grows with what was on screen; delete the folder to empty it.
    """

    def __init__(self, directory: str | os.PathLike) -> None:
        self.directory = Path(directory)

    def _path(self, tile: Tile) -> Path:
        return self.directory / str(tile.z) / str(tile.x) / f"{tile.y}.tile"

    def get(self, tile: Tile) -> tuple[bytes, dict] | None:
        """The cached bytes and their metadata (``expires``, ``etag``, ``last_modified``), if any."""
        path = self._path(tile)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:
            meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = {}
        return data, meta

    def put(self, tile: Tile, data: bytes | None, meta: dict) -> None:
        """Store a tile (``data`` None: only refresh the metadata of the cached one)."""
        path = self._path(tile)
        path.parent.mkdir(parents=True, exist_ok=True)
        if data is not None:
            self._write(path, data)
        self._write(path.with_suffix(".json"), json.dumps(meta).encode())

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _fresh_until(headers, now: float) -> float:
    """When a response stops being fresh: Cache-Control max-age, else Expires, never under a week."""
    cache_control = headers.get("Cache-Control", "") or ""
    if m := re.search(r"max-age=(\d+)", cache_control):
        until = now + int(m.group(1))
    elif expires := headers.get("Expires"):
        try:
            until = email.utils.parsedate_to_datetime(expires).timestamp()
        except (TypeError, ValueError):
            until = 0.0
    else:
        until = 0.0
    return max(until, now + MIN_FRESH_S)


# Tile server ------------------------------------------------------------------------------------
class HttpTileSource:
    """Tiles from a server's URL template, through a :class:`TileCache`."""

    def __init__(self, url_template: str, user_agent: str, cache_dir: str | os.PathLike,
                 timeout: float = TIMEOUT_S, max_zoom: int = 19) -> None:
        parts = urlsplit(url_template)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise TileSourceError(f"the tile URL must start with http:// or https://, not {url_template!r}")
        if not all(k in url_template for k in ("{z}", "{x}", "{y}")):
            raise TileSourceError(f"the tile URL must contain {{z}}, {{x}} and {{y}}: {url_template!r}")
        if not user_agent or not user_agent.isascii() or not user_agent.isprintable():
            raise TileSourceError("tile requests need a User-Agent of printable ASCII that names this application")
        self.url_template = url_template
        self.user_agent = user_agent
        self.timeout = timeout
        self.min_zoom, self.max_zoom = 0, max_zoom
        host = parts.hostname
        if host == "openstreetmap.org" or host.endswith(".openstreetmap.org"):
            self.name, self.attribution, self.attribution_url = "OpenStreetMap", OSM_ATTRIBUTION, OSM_COPYRIGHT_URL
        else:
            self.name, self.attribution = host, f"Map tiles: {host}"
            self.attribution_url = f"{parts.scheme}://{parts.netloc}/"
        # One folder per template, so switching servers never mixes their tiles.
        digest = hashlib.sha1(url_template.encode()).hexdigest()[:10]
        self.cache = TileCache(Path(cache_dir) / f"{re.sub(r'[^A-Za-z0-9.-]', '_', host)}-{digest}")
        self.requests = 0  # made to the server (for tests and the curious)
        self._lock = threading.Lock()

    def url(self, tile: Tile) -> str:
        return self.url_template.format(z=tile.z, x=tile.x, y=tile.y, s="abc"[(tile.x + tile.y) % 3])

    def get(self, tile: Tile) -> bytes | None:
        now = time.time()
        cached = self.cache.get(tile)
        if cached is not None and cached[1].get("expires", 0) > now:
            return cached[0]
        headers = {"User-Agent": self.user_agent}
        if cached is not None:
            if etag := cached[1].get("etag"):
                headers["If-None-Match"] = etag
            if modified := cached[1].get("last_modified"):
                headers["If-Modified-Since"] = modified
        with self._lock:
            self.requests += 1
        try:
            with urllib.request.urlopen(urllib.request.Request(self.url(tile), headers=headers),
                                        timeout=self.timeout) as response:
                data = response.read()
                meta = {"expires": _fresh_until(response.headers, now), "etag": response.headers.get("ETag"),
                        "last_modified": response.headers.get("Last-Modified")}
        except urllib.error.HTTPError as e:
            if e.code == 304 and cached is not None:  # still good: keep the bytes, renew the expiry
                meta = dict(cached[1], expires=_fresh_until(e.headers, now))
                try:
                    self.cache.put(tile, None, meta)
                except OSError as err:
                    log.warning("tile cache %s: %s", self.cache.directory, err)
                return cached[0]
            if e.code == 404:
                return None
            log.info("tile %s: HTTP %s", tile, e.code)
            return cached[0] if cached is not None else None
        except (OSError, ValueError) as e:  # no network, refused, timed out: a stale tile beats none
            log.debug("tile %s: %s", tile, e)
            return cached[0] if cached is not None else None
        try:
            self.cache.put(tile, data, meta)
        except OSError as e:  # a full or read-only disk: show the tile all the same
            log.warning("tile cache %s: %s", self.cache.directory, e)
        return data

    def close(self) -> None:
        pass


# MBTiles ----------------------------------------------------------------------------------------
class MBTilesSource:
    """A raster MBTiles archive (https://github.com/mapbox/mbtiles-spec): tables ``metadata`` and ``tiles``."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path).expanduser()
        if not self.path.is_file():
            raise TileSourceError(f"MBTiles file not found: {self.path}")
        try:
            # One connection shared by the workers, behind a lock: reads are short.
            self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            meta = dict(self._db.execute("SELECT name, value FROM metadata").fetchall())
            zooms = self._db.execute("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles").fetchone()
        except sqlite3.Error as e:
            raise TileSourceError(f"not an MBTiles archive: {self.path} ({e})") from None
        fmt = str(meta.get("format", "png")).lower()
        if fmt not in RASTER_FORMATS:
            self._db.close()
            raise TileSourceError(f"{self.path.name}: tiles in {fmt!r}; only raster archives (png, jpg, webp) are drawn")
        self._lock = threading.Lock()
        self.name = str(meta.get("name") or self.path.stem)
        # Attribution in MBTiles metadata is often HTML: keep the text.
        self.attribution = re.sub(r"<[^>]+>", "", str(meta.get("attribution") or "")).strip() or self.name
        self.attribution_url = ""
        self.min_zoom = int(meta.get("minzoom", zooms[0] if zooms[0] is not None else 0))
        self.max_zoom = int(meta.get("maxzoom", zooms[1] if zooms[1] is not None else 19))

    def get(self, tile: Tile) -> bytes | None:
        with self._lock:
            row = self._db.execute(
                "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                (tile.z, tile.x, tms_row(tile.z, tile.y))).fetchone()
        return bytes(row[0]) if row else None

    def close(self) -> None:
        with self._lock:
            self._db.close()


# PMTiles ----------------------------------------------------------------------------------------
class PMTilesSource:
    """A raster PMTiles v3 archive (https://github.com/protomaps/PMTiles), one file read through
    ``mmap`` with the Protomaps reader (the ``pmtiles`` package)."""

    TYPES = {2: "png", 3: "jpg", 4: "webp"}  # the header's tile_type (1 is vector: not drawn)

    def __init__(self, path: str | os.PathLike) -> None:
        from pmtiles.reader import MmapSource, Reader
        from pmtiles.tile import Compression

        self.path = Path(path).expanduser()
        if not self.path.is_file():
            raise TileSourceError(f"PMTiles file not found: {self.path}")
        self._file = self.path.open("rb")
        try:
            self._reader = Reader(MmapSource(self._file))
            header = self._reader.header()
            meta = self._reader.metadata()
        except Exception as e:  # noqa: BLE001 - the reader raises whatever the bytes provoke
            self._file.close()
            raise TileSourceError(f"not a PMTiles archive: {self.path} ({e})") from None
        tile_type = getattr(header["tile_type"], "value", header["tile_type"])
        if tile_type not in self.TYPES:
            self._file.close()
            raise TileSourceError(f"{self.path.name}: not raster tiles; only raster archives (png, jpg, webp) are drawn")
        self._gzip = header["tile_compression"] == Compression.GZIP
        self._lock = threading.Lock()
        self.name = str(meta.get("name") or self.path.stem)
        self.attribution = re.sub(r"<[^>]+>", "", str(meta.get("attribution") or "")).strip() or self.name
        self.attribution_url = ""
        self.min_zoom, self.max_zoom = int(header["min_zoom"]), int(header["max_zoom"])

    def get(self, tile: Tile) -> bytes | None:
        with self._lock:  # the reader is not documented as thread-safe; a read is a few slices
            data = self._reader.get(tile.z, tile.x, tile.y)
        if data and self._gzip:
            data = gzip.decompress(data)
        return bytes(data) if data else None

    def close(self) -> None:
        with self._lock:
            self._file.close()


def archive_source(path: str | os.PathLike) -> TileSource:
    """A local tile archive by its extension: ``.pmtiles``, else MBTiles."""
    return PMTilesSource(path) if str(path).lower().endswith(".pmtiles") else MBTilesSource(path)


# From the settings ------------------------------------------------------------------------------
def default_user_agent() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        v = version("tt-console")
    except PackageNotFoundError:
        v = "dev"
    return f"tt-console/{v} (operations console of grassroots broadcasting stations, Vietnam)"


def source_from_settings(settings) -> TileSource | None:
    """The configured tile source, or None for the offline map (the default).

    A local MBTiles or PMTiles archive (``map_mbtiles``) is used whenever it is set: it needs no
    network. A tile server is used only when ``map_tiles`` is switched on. Raises :class:`TileSourceError`.
    """
    if settings.map_mbtiles:
        return archive_source(settings.map_mbtiles)
    if not settings.map_tiles:
        return None
    cache_dir = Path(settings.map_tile_cache_dir).expanduser() if settings.map_tile_cache_dir \
        else settings.data_path / "tiles"
    return HttpTileSource(settings.map_tile_url or OSM_URL, settings.map_tile_user_agent or default_user_agent(),
                          cache_dir)
