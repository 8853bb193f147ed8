"""The pure administrative tree: navigation, containment, validity at a date, accent-free search."""

from datetime import date

import pytest

from console.core.hierarchy import Hierarchy, Unit, fold

REFORM = date(2025, 7, 1)


def new(id_, name, level, parent=None):
    return Unit(id_, f"{id_:05d}", name, level, parent, 21.0, 105.8, valid_from=REFORM)


def old(id_, name, level, parent=None):
    return Unit(id_, f"{id_:05d}", name, level, parent, 21.0, 105.8, valid_to=REFORM)


UNITS = [
    new(1, "Thành phố Hà Nội", "province"),
    new(10, "Phường Ba Đình", "commune", 1),
    new(11, "Xã Đông Anh", "commune", 1),
    new(100, "Thôn Đoài", "village", 11),  # a level below the commune is just data
    new(101, "Thôn Đông", "village", 11),
    new(2, "Thành phố Đà Nẵng", "province"),
    new(20, "Phường Hải Châu", "commune", 2),
    new(21, "Xã Hòa Vang", "commune", 2),
    old(5, "Thành phố Hà Nội", "province"),
    old(50, "Quận Ba Đình", "district", 5),
    old(500, "Phường Trúc Bạch", "commune", 50),
    old(6, "Tỉnh Hà Nam", "province"),
    old(7, "Tỉnh Hà Nội Mới", "province"),
]


@pytest.fixture
def tree():
    return Hierarchy(UNITS)


def ids(units):
    return [u.id for u in units]


def test_roots_and_children_are_sorted_by_name(tree):
    # By name, accents aside: "Thành phố Đà Nẵng" < "Thành phố Hà Nội" < "Tỉnh ...".
    assert ids(tree.roots()) == [2, 1, 5, 6, 7]
    assert ids(tree.children(1)) == [10, 11]
    assert ids(tree.children(11)) == [100, 101]
    assert tree.children(100) == []


def test_ancestors_and_path(tree):
    assert ids(tree.ancestors(100)) == [11, 1]
    assert ids(tree.ancestors(500)) == [50, 5]
    assert tree.ancestors(1) == []
    assert ids(tree.path(100)) == [1, 11, 100]
    with pytest.raises(KeyError):
        tree.ancestors(999)


def test_descendants_depth_first(tree):
    assert ids(tree.descendants(1)) == [10, 11, 100, 101]
    assert ids(tree.descendants(5)) == [50, 500]
    assert tree.descendants(10) == []


def test_contains(tree):
    assert tree.contains(1, 100)  # province contains a village of its commune
    assert tree.contains(11, 101)
    assert tree.contains(1, 1)  # a unit contains itself (devices placed at the province level)
    assert not tree.contains(2, 100)
    assert not tree.contains(100, 1)  # not upwards
    assert not tree.contains(1, 500)  # the old Hà Nội tree is a different one
    assert not tree.contains(1, 999)


def test_units_valid_at_a_date(tree):
    before, after = tree.at(date(2025, 6, 30)), tree.at(REFORM)
    assert sorted(ids(before)) == [5, 6, 7, 50, 500]
    assert sorted(ids(after)) == [1, 2, 10, 11, 20, 21, 100, 101]
    assert ids(after.roots()) == [2, 1]
    assert after.contains(1, 100)
    assert 500 not in after and 500 in before and len(before) == 5


def test_a_unit_whose_parent_is_missing_is_a_root():
    tree = Hierarchy([new(10, "Phường Ba Đình", "commune", 1)])
    assert ids(tree.roots()) == [10]
    assert tree.ancestors(10) == []


def test_fold_removes_accents_case_and_extra_spaces():
    assert fold("Thành phố  Hà Nội ") == "thanh pho ha noi"
    assert fold("ĐÔNG ANH, Đắk Lắk") == "dong anh, dak lak"
    assert fold("Quảng Ngãi") == "quang ngai"


def test_search_is_accent_and_case_insensitive(tree):
    assert set(ids(tree.search("ha noi"))) == {1, 5, 7}
    assert ids(tree.search("HÀ NỘI")) == ids(tree.search("ha noi"))
    assert ids(tree.search("dong anh")) == [11]  # đ is matched by d
    assert ids(tree.search("đông anh")) == [11]
    assert ids(tree.search("da nang")) == [2]
    assert tree.search("hanoi") == []
    assert tree.search("   ") == []


def test_search_ranks_name_endings_then_word_starts(tree):
    # "Thành phố Hà Nội" (both eras) ends with the text; "Tỉnh Hà Nội Mới" only contains it.
    assert ids(tree.search("ha noi")) == [1, 5, 7]
    # "Thôn Đông" ends with "dong", "Xã Đông Anh" has it at a word start; "Thôn Đoài" neither.
    assert ids(tree.search("dong")) == [101, 11]
    # "an" starts the word "Anh" in Đông Anh and is inside "Hòa Vang", "Đà Nẵng"...
    assert ids(tree.search("an"))[0] == 11


def test_search_by_level_and_limit(tree):
    assert ids(tree.search("ba dinh", level="commune")) == [10]
    assert ids(tree.search("ba dinh", level="district")) == [50]
    # Word starts ("Hà ...") before "ha" inside "Thành"; equal names by id.
    assert ids(tree.search("ha", level="province")) == [1, 5, 6, 7, 2]
    assert ids(tree.search("ha", level="province", limit=2)) == [1, 5]
    assert ids(tree.search("thon", level="village")) == [100, 101]
