"""Tile sources: the disk cache against a tile server on loopback, MBTiles, and the settings."""

import json
import sqlite3

import pytest
from tileserver import TileServer, make_mbtiles, make_pmtiles, png, tile_colour

from console.core.tiles import Tile
from console.map.tiles import (
    OSM_ATTRIBUTION,
    OSM_URL,
    HttpTileSource,
    MBTilesSource,
    PMTilesSource,
    TileSourceError,
    source_from_settings,
)
from console.settings import load

UA = "tt-console-tests/1 (loopback)"


@pytest.fixture
def server():
    s = TileServer()
    yield s
    s.stop()


def test_second_fetch_comes_from_the_cache_and_a_stopped_server_still_shows_cached_tiles(server, tmp_path):
    source = HttpTileSource(server.url, UA, tmp_path / "tiles")
    tile = Tile(10, 812, 451)
    first = source.get(tile)
    assert first == png(tile_colour(*tile))
    assert len(server.requests) == 1
    path, headers = server.requests[0]
    assert path == "/10/812/451.png" and headers["User-Agent"] == UA
    assert source.get(tile) == first and len(server.requests) == 1  # from the disk cache
    server.stop()
    again = HttpTileSource(server.url, UA, tmp_path / "tiles")  # a new session, same cache
    assert again.get(tile) == first
    assert again.get(Tile(10, 813, 451)) is None  # never fetched, and no server: nothing
    assert source.requests == 1


def test_a_stale_tile_is_revalidated_and_served_when_the_server_is_gone(server, tmp_path):
    source = HttpTileSource(server.url, UA, tmp_path / "tiles")
    tile = Tile(3, 6, 3)
    data = source.get(tile)
    meta_file = next((tmp_path / "tiles").rglob("3.json"))
    meta = json.loads(meta_file.read_text())
    assert meta["etag"] == '"t-3-6-3"' and meta["expires"] > 0
    meta_file.write_text(json.dumps(dict(meta, expires=0)))  # make it stale
    assert source.get(tile) == data
    assert server.requests[-1][1].get("If-None-Match") == '"t-3-6-3"'  # a conditional request: 304
    assert json.loads(meta_file.read_text())["expires"] > 0  # fresh again
    meta_file.write_text(json.dumps(dict(meta, expires=0)))
    server.stop()
    assert source.get(tile) == data  # stale beats nothing


def test_missing_tiles_and_bad_templates(server, tmp_path):
    source = HttpTileSource(server.url.replace(".png", ".jpg"), UA, tmp_path)
    assert source.get(Tile(1, 0, 0)) is None  # 404
    for url in ("ftp://x/{z}/{x}/{y}.png", "https://tiles.example/{z}/{x}.png", "tile.openstreetmap.org"):
        with pytest.raises(TileSourceError):
            HttpTileSource(url, UA, tmp_path)
    with pytest.raises(TileSourceError):
        HttpTileSource(server.url, "", tmp_path)
    with pytest.raises(TileSourceError):
        HttpTileSource(server.url, "trạm/1", tmp_path)  # headers are ASCII


def test_mbtiles_rows_are_flipped_and_metadata_read(tmp_path):
    red, blue = png((255, 0, 0), 8), png((0, 0, 255), 8)
    path = make_mbtiles(tmp_path / "t.mbtiles", {(1, 0, 0): red, (1, 1, 1): blue, (2, 3, 1): blue})
    with sqlite3.connect(path) as con:  # the archive counts rows from the south
        assert con.execute("SELECT tile_row FROM tiles WHERE zoom_level = 1 AND tile_column = 0").fetchone() == (1,)
    source = MBTilesSource(path)
    assert source.get(Tile(1, 0, 0)) == red and source.get(Tile(1, 1, 1)) == blue
    assert source.get(Tile(1, 0, 1)) is None
    assert (source.min_zoom, source.max_zoom) == (1, 2)
    assert source.attribution == "Test tiles" and source.name == "test"
    source.close()


def test_mbtiles_refusals(tmp_path):
    with pytest.raises(TileSourceError, match="not found"):
        MBTilesSource(tmp_path / "none.mbtiles")
    (tmp_path / "junk.mbtiles").write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(TileSourceError):
        MBTilesSource(tmp_path / "junk.mbtiles")
    with pytest.raises(TileSourceError, match="raster"):
        MBTilesSource(make_mbtiles(tmp_path / "v.mbtiles", {(0, 0, 0): b"\x1f\x8b"}, fmt="pbf"))


@pytest.mark.parametrize("compression", [1, 2])
def test_pmtiles_archives_are_read_like_mbtiles(tmp_path, compression):
    tiles = {(z, x, y): png(tile_colour(z, x, y), 4) for z in range(3) for x in range(2 ** z) for y in range(2 ** z)}
    src = PMTilesSource(make_pmtiles(tmp_path / "t.pmtiles", tiles, compression=compression, attribution="Sở TT&TT"))
    try:
        assert (src.min_zoom, src.max_zoom, src.attribution) == (0, 2, "Sở TT&TT")
        assert src.get(Tile(2, 3, 1)) == tiles[2, 3, 1] and src.get(Tile(1, 0, 1)) == tiles[1, 0, 1]
        assert src.get(Tile(5, 0, 0)) is None
    finally:
        src.close()


def test_pmtiles_refusals(tmp_path):
    with pytest.raises(TileSourceError, match="not found"):
        PMTilesSource(tmp_path / "none.pmtiles")
    (tmp_path / "junk.pmtiles").write_bytes(b"PMTiles? no" * 100)
    with pytest.raises(TileSourceError, match="not a PMTiles archive"):
        PMTilesSource(tmp_path / "junk.pmtiles")
    with pytest.raises(TileSourceError, match="raster"):
        PMTilesSource(make_pmtiles(tmp_path / "v.pmtiles", {(0, 0, 0): b"\x1a\x00"}, tile_type=1))


def test_settings_keep_the_map_offline_by_default(tmp_path):
    settings = load({"data_dir": str(tmp_path)}, env={})
    assert settings.map_tiles is False and settings.map_tile_url == OSM_URL
    assert source_from_settings(settings) is None
    settings.set("map_tiles", "on")
    source = source_from_settings(settings)
    assert isinstance(source, HttpTileSource) and source.url_template == OSM_URL
    assert source.attribution == OSM_ATTRIBUTION and source.user_agent.startswith("tt-console/")
    assert source.cache.directory.parent == tmp_path / "tiles"
    assert source.requests == 0  # building a source fetches nothing
    settings.set("map_mbtiles", str(make_mbtiles(tmp_path / "m.mbtiles", {(0, 0, 0): png((1, 2, 3), 4)})))
    assert isinstance(source_from_settings(settings), MBTilesSource)  # local: preferred, no network
    settings.set("map_mbtiles", str(make_pmtiles(tmp_path / "m.pmtiles", {(0, 0, 0): png((1, 2, 3), 4)})))
    assert isinstance(source_from_settings(settings), PMTilesSource)
