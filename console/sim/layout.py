"""Where the demo fleet stands: real communes of one post-2025 province.

The communes (wards) come from the SQLite file bundled with ``vietnamadminunits`` (GSO codes and
centroids). Devices are spread over about ``n / 5`` communes, a few hundred metres around each
commune's centroid, and join one group per commune (``c-<wardCode>``) plus ``all``.
"""

from __future__ import annotations

import importlib.resources
import math
import random
import sqlite3
from typing import NamedTuple

from console.sim.device import DeviceSpec, device_ids

DEFAULT_PROVINCE = "52"  # Gia Lai (includes Quy Nhơn since the 2025 merger)
DEVICES_PER_COMMUNE = 5
JITTER_M = 400.0
METRES_PER_DEGREE = 111_320.0
MODELS = (("TT-4G-100", "1.4.2"), ("TT-4G-100", "1.5.0"), ("TT-4G-200", "2.1.0"))


class Commune(NamedTuple):
    code: str
    name: str
    lat: float
    lon: float


def communes(province_code: str) -> list[Commune]:
    """The communes and wards of a province, by GSO code; ``ValueError`` for an unknown province."""
    db = importlib.resources.files("vietnamadminunits") / "data" / "dataset.db"
    with importlib.resources.as_file(db) as path:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = con.execute(
                "SELECT wardCode, ward, wardLat, wardLon FROM admin_units "
                "WHERE provinceCode = ? AND wardLat IS NOT NULL AND wardLon IS NOT NULL ORDER BY wardCode",
                (province_code,)).fetchall()
            if not rows:
                codes = [r[0] for r in con.execute("SELECT DISTINCT provinceCode FROM admin_units ORDER BY 1")]
                raise ValueError(f"unknown province code {province_code!r}; known: {', '.join(codes)}")
        finally:
            con.close()
    return [Commune(*row) for row in rows]


def demo_layout(n: int, seed: int = 1, province_code: str = DEFAULT_PROVINCE,
                id_prefix: str = "SIM") -> list[DeviceSpec]:
    """``n`` device specs at real commune locations of one province, reproducible from ``seed``."""
    rng = random.Random(f"{seed}:layout:{province_code}")
    every = communes(province_code)
    chosen = sorted(rng.sample(every, min(len(every), max(1, math.ceil(n / DEVICES_PER_COMMUNE)))))
    specs = []
    for i, dev_id in enumerate(device_ids(n, id_prefix)):
        commune = chosen[i % len(chosen)]
        dist, bearing = JITTER_M * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
        lat = commune.lat + dist * math.cos(bearing) / METRES_PER_DEGREE
        lon = commune.lon + dist * math.sin(bearing) / (METRES_PER_DEGREE * math.cos(math.radians(commune.lat)))
        model, fw = rng.choice(MODELS)
        specs.append(DeviceSpec(id=dev_id, groups=(f"c-{commune.code}", "all"), lat=round(lat, 6),
                                lon=round(lon, 6), model=model, fw=fw, unit_code=commune.code,
                                unit_name=commune.name))
    return specs
