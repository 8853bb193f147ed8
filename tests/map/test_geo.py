"""The shipped province outlines, their attribution, the simplifying tool, and commune centroids."""

import importlib.util
import json
from datetime import date

import numpy as np
import pytest

from console.core.hierarchy import Unit
from console.core.tiles import lonlat_to_xy, xy_to_lonlat
from console.map import geo

TOOL = geo.ROOT / "tools" / "simplify_provinces.py"


def test_province_outlines_are_small_complete_and_in_vietnam():
    assert geo.PROVINCES_FILE.stat().st_size < 1_000_000
    provinces = geo.load_provinces()
    assert len(provinces.names) == 34 and "Gia Lai" in provinces.names and "TP Hà Nội" in provinces.names
    lon, lat = xy_to_lonlat(np.array(provinces.bounds[::2]), np.array(provinces.bounds[1::2]))
    # The mainland and the islands, Hoàng Sa (~112 E) and Trường Sa (~116.9 E, ~7 N), all there.
    assert 102.0 < lon[0] < 102.3 and 116.5 < lon[1] < 117.1 and 6.8 < lat[0] < 7.2 and 23.3 < lat[1] < 23.5
    label_lon, label_lat = xy_to_lonlat(provinces.label_x, provinces.label_y)
    assert ((label_lon > 102) & (label_lon < 110) & (label_lat > 8) & (label_lat < 23.5)).all()  # on the mainland
    assert np.isnan(provinces.x).sum() > 800  # one gap after each ring: islands kept


def test_attribution_is_shipped_and_named_in_the_data():
    text = (geo.GEO_DIR / "ATTRIBUTION").read_text(encoding="utf-8")
    assert "Open Development Mekong" in text and "CC BY-SA 4.0" in text
    assert "Open Development Mekong" in geo.load_provinces().attribution


@pytest.mark.skipif(not (geo.ROOT.parent / "shared" / "data" / "vn-provinces-2025.geojson").exists(),
                    reason="the full-resolution source is not beside the repository")
def test_the_shipped_file_is_what_the_tool_makes(tmp_path):
    spec = importlib.util.spec_from_file_location("simplify_provinces", TOOL)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    out = tmp_path / "p.geojson"
    assert tool.main(["--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(geo.PROVINCES_FILE.read_text(encoding="utf-8"))


def test_communes_from_units_keep_current_communes_with_a_centroid():
    units = [
        Unit(1, "52", "Tỉnh Gia Lai", "province", None, 13.9, 108.3, date(2025, 7, 1)),
        Unit(2, "21550", "Phường Quy Nhơn", "commune", 1, 13.78, 109.22, date(2025, 7, 1)),
        Unit(3, "21553", "Xã An Nhơn", "commune", 1, 13.88, 109.10, date(2025, 7, 1)),
        Unit(4, "21600", "Xã cũ", "commune", None, 13.9, 109.0, None, date(2025, 7, 1)),  # before the reform
        Unit(5, "21700", "Xã không tọa độ", "commune", 1, None, None, date(2025, 7, 1)),
    ]
    communes = geo.communes_from_units(units, date(2026, 1, 1))
    assert communes.codes == ["21550", "21553"] and len(communes) == 2
    assert communes.position("21550") == pytest.approx(tuple(float(v) for v in lonlat_to_xy(109.22, 13.78)))
    assert communes.position("21600") is None and communes.name("21553") == "Xã An Nhơn"
    near = lonlat_to_xy(109.11, 13.87)
    assert communes.nearest(float(near[0]), float(near[1])) == "21553"
    far = lonlat_to_xy(105.8, 21.0)
    assert communes.nearest(float(far[0]), float(far[1])) is None
    assert geo.Communes().nearest(0.0, 0.0) is None


def test_communes_load_from_the_station_database(tmp_path):
    from console.store.db import open_database

    db = open_database(f"sqlite:///{tmp_path / 'c.db'}")
    try:
        communes = geo.load_communes(db, date(2026, 1, 1))
    finally:
        db.close()
    assert len(communes) == 3321
    lon, lat = xy_to_lonlat(communes.x, communes.y)
    assert (lon > 102).all() and (lon < 118).all() and (lat > 6).all() and (lat < 24).all()
