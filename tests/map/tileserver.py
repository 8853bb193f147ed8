"""A tile server on loopback for the tests, and tiny PNG and MBTiles makers. Never the real OSM."""

from __future__ import annotations

import re
import sqlite3
import struct
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from console.core.tiles import tms_row


def png(rgb: tuple[int, int, int], size: int = 256) -> bytes:
    """A solid-colour RGB PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * size
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * size)) + chunk(b"IEND", b""))


def tile_colour(z: int, x: int, y: int) -> tuple[int, int, int]:
    """A colour per tile, far from the map's own colours, so a test can tell which tile it sees."""
    return (40 + (x * 37) % 60, 150 + (y * 29) % 60, 200 + z % 50)


class TileServer:
    """Serves /{z}/{x}/{y}.png with an ETag and ``Cache-Control: max-age``; counts and records requests."""

    def __init__(self, max_age: int = 86400) -> None:
        self.requests: list[tuple[str, dict]] = []
        self.max_age = max_age
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append((self.path, dict(self.headers)))
                m = re.fullmatch(r"/(\d+)/(\d+)/(\d+)\.png", self.path)
                if not m:
                    self.send_error(404)
                    return
                etag = '"t-{}-{}-{}"'.format(*m.groups())
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("Cache-Control", f"max-age={server.max_age}")
                    self.end_headers()
                    return
                body = png(tile_colour(*map(int, m.groups())))
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", etag)
                self.send_header("Cache-Control", f"max-age={server.max_age}")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/{{z}}/{{x}}/{{y}}.png"
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="tile-server", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=10)


def make_mbtiles(path: Path, tiles: dict[tuple[int, int, int], bytes], fmt: str = "png",
                 attribution: str = "Test tiles") -> Path:
    """An MBTiles archive holding ``tiles`` keyed by XYZ (z, x, y); rows are stored TMS-flipped."""
    con = sqlite3.connect(path)
    with con:
        con.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
        con.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
        zooms = [z for z, _, _ in tiles] or [0]
        con.executemany("INSERT INTO metadata VALUES (?, ?)", [
            ("name", "test"), ("format", fmt), ("attribution", f"<a href='https://example.org'>{attribution}</a>"),
            ("minzoom", str(min(zooms))), ("maxzoom", str(max(zooms)))])
        con.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)",
                        [(z, x, tms_row(z, y), data) for (z, x, y), data in tiles.items()])
    con.close()
    return path


def make_pmtiles(path: Path, tiles: dict[tuple[int, int, int], bytes], tile_type: int = 2,
                 compression: int = 1, attribution: str = "Test tiles") -> Path:
    """A PMTiles v3 archive holding ``tiles`` keyed by XYZ, written with the Protomaps writer
    (tile_type 2: png, 1: vector; compression 1: none, 2: gzip)."""
    import gzip

    from pmtiles.tile import Compression, TileType, zxy_to_tileid
    from pmtiles.writer import Writer

    zooms = [z for z, _, _ in tiles] or [0]
    with path.open("wb") as f:
        w = Writer(f)
        for tile_id, data in sorted((zxy_to_tileid(*k), v) for k, v in tiles.items()):
            w.write_tile(tile_id, gzip.compress(data) if compression == 2 else data)
        w.finalize({"tile_type": TileType(tile_type), "tile_compression": Compression(compression),
                    "min_zoom": min(zooms), "max_zoom": max(zooms), "min_lon_e7": -1800000000,
                    "min_lat_e7": -850000000, "max_lon_e7": 1800000000, "max_lat_e7": 850000000,
                    "center_zoom": min(zooms), "center_lon_e7": 0, "center_lat_e7": 0},
                   {"name": "test", "attribution": f"<a href='https://example.org'>{attribution}</a>"})
    return path
