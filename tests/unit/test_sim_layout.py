"""Demo layout: devices at real commune locations of one province."""

import math

import pytest

from console.sim.layout import communes, demo_layout


def test_gia_lai_communes_come_from_the_dataset():
    gia_lai = communes("52")
    assert len(gia_lai) > 100
    names = {c.name for c in gia_lai}
    assert "Phường Quy Nhơn" in names
    for c in gia_lai:
        assert 12.5 < c.lat < 15.0 and 107.3 < c.lon < 109.5  # inside Gia Lai (with the former Bình Định)


def test_layout_spreads_devices_over_communes_near_their_centroids():
    specs = demo_layout(100, seed=3)
    by_code = {c.code: c for c in communes("52")}
    assert [s.id for s in specs[:2]] == ["SIM-00001", "SIM-00002"] and len({s.id for s in specs}) == 100
    assert len({s.unit_code for s in specs}) == 20  # about n / 5 communes
    for s in specs:
        commune = by_code[s.unit_code]
        assert s.unit_name == commune.name
        assert s.groups == (f"c-{commune.code}", "all")
        dy = (s.lat - commune.lat) * 111_320
        dx = (s.lon - commune.lon) * 111_320 * math.cos(math.radians(commune.lat))
        assert math.hypot(dx, dy) <= 401


def test_layout_is_reproducible_and_depends_on_the_seed():
    assert demo_layout(30, seed=1) == demo_layout(30, seed=1)
    assert demo_layout(30, seed=1) != demo_layout(30, seed=2)


def test_layout_caps_communes_and_uses_the_prefix():
    specs = demo_layout(2000, seed=1, province_code="52", id_prefix="QN")
    assert len({s.unit_code for s in specs}) == len(communes("52"))
    assert specs[0].id == "QN-00001"


def test_unknown_province_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown province code '99'"):
        demo_layout(10, province_code="99")
