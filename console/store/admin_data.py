"""Read Vietnam's administrative units from the ``vietnamadminunits`` package (MIT).

Pure reading: yields plain records and knows nothing of our database. The package ships
``data/dataset.db`` (SQLite) with two tables:

- ``admin_units``: the 3,321 communes of the 34 provinces in force since 1 July 2025;
- ``admin_units_legacy``: the 63 provinces, 696 districts and 10,035 wards before that date.
  Five island districts have no wards: their single row has NULL ward columns, which we skip.

and ``data/converter_2025.json``, which maps old units to the new ones they merged into
(keyed by the package's accent-free name keys, which we resolve to GSO codes here).
See docs/hierarchy.md.
"""

from __future__ import annotations

import importlib.resources
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

PACKAGE = "vietnamadminunits"
REFORM_DATE = date(2025, 7, 1)  # the two-level local government (Resolution 202/2025/QH15)


@dataclass(frozen=True)
class UnitRecord:
    level: str
    code: str
    name: str
    short_name: str
    type: str
    parent_level: str | None
    parent_code: str | None
    lat: float | None
    lon: float | None
    area_km2: float | None
    valid_from: date | None
    valid_to: date | None


@dataclass(frozen=True)
class SuccessorRecord:
    """Old unit (pre-2025) -> new unit (post-2025); a split old unit has several, one default."""

    old_level: str
    old_code: str
    new_level: str
    new_code: str
    is_default: bool


@contextmanager
def _data_file(name: str) -> Iterator[Path]:
    with importlib.resources.as_file(importlib.resources.files(PACKAGE) / "data" / name) as path:
        yield path


@contextmanager
def _dataset() -> Iterator[sqlite3.Connection]:
    with _data_file("dataset.db") as path, closing(
        sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    ) as conn:
        yield conn


def _prefix(name: str, short: str) -> str:
    """The unit type written before the short name: "Thành phố Hà Nội" -> "Thành phố"."""
    return name.removesuffix(short).strip()


def post_2025_units() -> Iterator[UnitRecord]:
    """The 34 provinces, then their 3,321 communes (wards, communes, special zones)."""
    with _dataset() as db:
        for code, name, short, lat, lon in db.execute(
            "SELECT DISTINCT provinceCode, province, provinceShort, provinceLat, provinceLon"
            " FROM admin_units ORDER BY provinceCode"
        ):
            yield UnitRecord("province", code, name, short, _prefix(name, short), None, None,
                             lat, lon, None, REFORM_DATE, None)
        for row in db.execute(
            "SELECT wardCode, ward, wardShort, wardType, provinceCode, wardLat, wardLon, wardAreaKm2"
            " FROM admin_units ORDER BY wardCode"
        ):
            code, name, short, type_, province, lat, lon, area = row
            yield UnitRecord("commune", code, name, short, type_, "province", province,
                             lat, lon, area, REFORM_DATE, None)


def legacy_units() -> Iterator[UnitRecord]:
    """The 63 provinces, their districts, then the wards, as they were until 1 July 2025."""
    with _dataset() as db:
        for code, name, short, lat, lon in db.execute(
            "SELECT DISTINCT provinceCode, province, provinceShort, provinceLat, provinceLon"
            " FROM admin_units_legacy ORDER BY provinceCode"
        ):
            yield UnitRecord("province", code, name, short, _prefix(name, short), None, None,
                             lat, lon, None, None, REFORM_DATE)
        for row in db.execute(
            "SELECT DISTINCT districtCode, district, districtShort, districtType, provinceCode,"
            " districtLat, districtLon FROM admin_units_legacy ORDER BY districtCode"
        ):
            code, name, short, type_, province, lat, lon = row
            yield UnitRecord("district", code, name, short, type_, "province", province,
                             lat, lon, None, None, REFORM_DATE)
        for row in db.execute(
            "SELECT DISTINCT wardCode, ward, wardShort, wardType, districtCode, wardLat, wardLon"
            " FROM admin_units_legacy WHERE wardCode IS NOT NULL ORDER BY wardCode"
        ):
            code, name, short, type_, district, lat, lon = row
            yield UnitRecord("commune", code, name, short, type_, "district", district,
                             lat, lon, None, None, REFORM_DATE)


def successors() -> Iterator[SuccessorRecord]:
    """Old provinces -> new provinces; old communes (and ward-less island districts) -> new communes."""
    with _dataset() as db:
        new_provinces = dict(db.execute("SELECT DISTINCT provinceKey, provinceCode FROM admin_units"))
        old_provinces = dict(db.execute("SELECT DISTINCT provinceKey, provinceCode FROM admin_units_legacy"))
        new_communes = {
            (p, w): code for p, w, code in db.execute("SELECT provinceKey, wardKey, wardCode FROM admin_units")
        }
        # The converter's old key is "province_district_ward", with an empty ward for island districts.
        old_units = {
            f"{p}_{d}_{w or ''}": ("commune", w_code) if w_code else ("district", d_code)
            for p, d, w, d_code, w_code in db.execute(
                "SELECT provinceKey, districtKey, wardKey, districtCode, wardCode FROM admin_units_legacy"
            )
        }
    with _data_file("converter_2025.json") as path:
        converter = json.loads(path.read_text(encoding="utf-8"))

    for new_key, old_keys in converter["DICT_PROVINCE"].items():
        for old_key in old_keys:
            yield SuccessorRecord("province", old_provinces[old_key], "province", new_provinces[new_key], True)
    for province_key, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward_key, old_keys in wards.items():
            new_code = new_communes[(province_key, new_ward_key)]
            for old_key in old_keys:
                old_level, old_code = old_units[old_key]
                yield SuccessorRecord(old_level, old_code, "commune", new_code, True)
    for province_key, divided in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in divided.items():
            old_level, old_code = old_units[old_key]
            for part in parts:
                new_code = new_communes[(province_key, part["newWardKey"])]
                yield SuccessorRecord(old_level, old_code, "commune", new_code, bool(part["isDefaultNewWard"]))
