"""Make the province outlines the map ships: ``resources/geo/vn-provinces-2025.geojson``.

    .venv/bin/python tools/simplify_provinces.py [SOURCE] [--tolerance DEG] [--out PATH]

SOURCE is the full-resolution GeoJSON of the 34 provinces in force since 1 July 2025 (default:
``../shared/data/vn-provinces-2025.geojson``; CC BY-SA 4.0, derived from Open Development Mekong
data). The outlines are simplified with shapely's ``coverage_simplify`` (GEOS, Visvalingam-Whyatt
applied to the *coverage*): each border shared by two provinces is simplified once, so neighbours
still meet exactly, with no gaps or overlaps, which simplifying each polygon alone does not give.
No island is dropped (Hoàng Sa and Trường Sa included); the smallest become triangles.
Coordinates are then rounded to 1e-4 degrees (about 11 m), on a grid, so shared vertices stay shared.

Each feature keeps the province's name and code and gets a ``label`` point (the pole of
inaccessibility of its largest part, so Khánh Hoà's label stays on the mainland). The file is
written once and committed; the console only reads it (console/map/geo.py). See docs/map.md.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape
from shapely.ops import polylabel

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "data" / "vn-provinces-2025.geojson"
OUT = ROOT / "resources" / "geo" / "vn-provinces-2025.geojson"
TOLERANCE_DEG = 0.002  # roughly the square root of the area of the triangles removed: ~220 m
GRID_DEG = 1e-4
ATTRIBUTION = "Province outlines: Open Development Mekong, CC BY-SA 4.0"


def _largest(geom):
    parts = getattr(geom, "geoms", [geom])
    return max(parts, key=lambda p: p.area)


def _rounded(obj):
    """GeoJSON coordinates as plain lists with 4 decimals (json would print 105.12340000000002)."""
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], float):
            return [round(v, 4) for v in obj]
        return [_rounded(o) for o in obj]
    return obj


def simplify(source: Path, tolerance: float = TOLERANCE_DEG) -> dict:
    data = json.loads(source.read_text(encoding="utf-8"))
    features = data["features"]
    geoms = [shape(f["geometry"]) for f in features]
    simplified = shapely.coverage_simplify(geoms, tolerance)
    simplified = shapely.set_precision(simplified, GRID_DEG)
    out = []
    for f, geom in zip(features, simplified):
        if geom.is_empty:
            raise ValueError(f"{f['properties']} vanished at tolerance {tolerance}")
        label = polylabel(_largest(geom), tolerance=GRID_DEG * 10)
        props = f["properties"]
        out.append({"type": "Feature",
                    "properties": {"name": props["ten_tinh"], "code": props["code"],
                                   "label": [round(label.x, 4), round(label.y, 4)]},
                    "geometry": {"type": geom.geom_type, "coordinates": _rounded(mapping(geom)["coordinates"])}})
    return {"type": "FeatureCollection", "name": "vn-provinces-2025",
            "attribution": ATTRIBUTION, "license": "CC BY-SA 4.0",
            "simplified": f"shapely.coverage_simplify(tolerance={tolerance}), grid {GRID_DEG} degrees",
            "features": out}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("source", nargs="?", type=Path, default=SOURCE)
    p.add_argument("--tolerance", type=float, default=TOLERANCE_DEG)
    p.add_argument("--out", type=Path, default=OUT)
    args = p.parse_args(argv)
    collection = simplify(args.source, args.tolerance)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    args.out.write_text(text + "\n", encoding="utf-8")
    points = sum(shapely.get_num_coordinates(shape(f["geometry"])) for f in collection["features"])
    print(f"{args.out}: {len(collection['features'])} provinces, {points} points, {len(text) / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
