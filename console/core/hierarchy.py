"""The administrative hierarchy as an in-memory tree (pure: no database, no Qt, no I/O).

Units come from the store (``console.store.repo.load_units``) or are built by hand in tests.
Levels are plain strings and the tree follows ``parent_id`` only, so a village or cluster level
below the commune needs no change here. Units from before and after the 1 July 2025 reform may
share one tree (their ids differ); :meth:`Hierarchy.at` keeps those valid at a date.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Unit:
    id: int
    code: str
    name: str
    level: str
    parent_id: int | None
    lat: float | None = None
    lon: float | None = None
    valid_from: date | None = None  # inclusive; None: since before our records
    valid_to: date | None = None  # exclusive; None: still in force

    def valid_at(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day < self.valid_to
        )


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced text for matching: "Thành phố  Hà Nội" -> "thanh pho ha noi".

    đ/Đ have no decomposition in Unicode (they are letters of their own), so they are mapped to d.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.lower().split())


class Hierarchy:
    """Children, ancestors, descendants, containment and search over a set of units."""

    def __init__(self, units: Iterable[Unit]) -> None:
        self._units: dict[int, Unit] = {u.id: u for u in units}
        self._folded = {u.id: fold(u.name) for u in self._units.values()}
        self._children: dict[int | None, list[Unit]] = {}
        for unit in sorted(self._units.values(), key=self._order):
            # A unit whose parent is not in this set (e.g. filtered out) becomes a root.
            parent = unit.parent_id if unit.parent_id in self._units else None
            self._children.setdefault(parent, []).append(unit)

    def _order(self, unit: Unit) -> tuple[str, str, int]:
        """By name, accents aside (code point order would put every "Đ..." after "Z...")."""
        return self._folded[unit.id], unit.name, unit.id

    def __len__(self) -> int:
        return len(self._units)

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self._units

    def __iter__(self) -> Iterator[Unit]:
        return iter(self._units.values())

    def get(self, unit_id: int) -> Unit:
        """The unit with this id; KeyError if it is not in the tree."""
        return self._units[unit_id]

    def roots(self) -> list[Unit]:
        """Units without a parent in this tree (the provinces), by name."""
        return list(self._children.get(None, ()))

    def children(self, unit_id: int) -> list[Unit]:
        """Direct children, by name."""
        return list(self._children.get(unit_id, ()))

    def ancestors(self, unit_id: int) -> list[Unit]:
        """From the parent up to the root (the province); empty for a root."""
        path = []
        unit = self._units[unit_id]
        while unit.parent_id in self._units:
            unit = self._units[unit.parent_id]
            path.append(unit)
        return path

    def path(self, unit_id: int) -> list[Unit]:
        """From the root down to the unit itself (for breadcrumbs: province > district > commune)."""
        return [*reversed(self.ancestors(unit_id)), self._units[unit_id]]

    def descendants(self, unit_id: int) -> list[Unit]:
        """Every unit below, depth-first, children by name."""
        out: list[Unit] = []
        stack = list(reversed(self._children.get(unit_id, ())))
        while stack:
            unit = stack.pop()
            out.append(unit)
            stack.extend(reversed(self._children.get(unit.id, ())))
        return out

    def contains(self, ancestor_id: int, unit_id: int) -> bool:
        """True if ``unit_id`` is ``ancestor_id`` or lies below it (e.g. a commune in a province)."""
        if unit_id not in self._units:
            return False
        return unit_id == ancestor_id or any(u.id == ancestor_id for u in self.ancestors(unit_id))

    def at(self, day: date) -> Hierarchy:
        """The tree of units valid at ``day``."""
        return Hierarchy(u for u in self._units.values() if u.valid_at(day))

    def search(self, text: str, level: str | None = None, limit: int | None = None) -> list[Unit]:
        """Units whose name contains ``text``, ignoring case, accents and extra spaces ("ha noi"
        finds "Thành phố Hà Nội"). Names ending with the text come first ("Hà Nội" before
        "Hà Nội Mới"), then matches at a word start, then any; ties by name.
        """
        query = fold(text)
        if not query:
            return []
        word = re.compile(r"\b" + re.escape(query))
        ranked = []
        for unit in self._units.values():
            name = self._folded[unit.id]
            if (level is None or unit.level == level) and query in name:
                if name == query or name.endswith(" " + query):
                    rank = 0
                else:
                    rank = 1 if word.search(name) else 2
                ranked.append((rank, *self._order(unit), unit))
        ranked.sort(key=lambda r: r[:4])
        return [r[4] for r in ranked[:limit]]
