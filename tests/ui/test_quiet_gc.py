"""QuietGc (console/ui/shell.py): long-lived objects frozen out of collections, cycles still found hourly."""

import gc
import weakref

from console.ui.shell import QuietGc


class Node:
    pass


def test_objects_are_frozen_and_the_full_collection_still_frees_cycles(qtbot):
    try:
        quiet = QuietGc(freeze_ms=50, full_ms=3_600_000)
        qtbot.waitUntil(lambda: gc.get_freeze_count() > 0)
        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle, then garbage
        alive = weakref.ref(a)
        del a, b
        frozen = gc.get_freeze_count()
        qtbot.waitUntil(lambda: gc.get_freeze_count() > frozen)  # the next tick froze it too
        gc.collect()
        assert alive() is not None  # frozen: out of reach of the collector
        quiet.full()
        assert alive() is None and gc.get_freeze_count() > 0  # found, and the survivors frozen again
    finally:
        gc.unfreeze()

