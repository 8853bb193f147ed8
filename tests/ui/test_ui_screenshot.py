"""Offscreen rendering of the main window to PNG."""

import pytest
from fleetdata import Station
from PySide6.QtGui import QImage

from console.ui import i18n
from console.ui.screenshot import render


@pytest.fixture
def restore_english(qapp):
    yield
    i18n.install(qapp, "en")


def test_render_main_window_to_png(tmp_path, restore_english):
    out = render("main", tmp_path / "shots" / "main.png", Station(60, site="52-quynhon"), "vi", size=(1200, 800),
                 device="TT4G-00007")
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1200, 800)
    # The demo banner's amber strip is near the top; the table area is mostly white.
    assert any(image.pixelColor(600, y).name() == "#f5b800" for y in range(0, 80))
    colours = {image.pixelColor(x, y).name() for x in range(0, 1200, 37) for y in range(100, 800, 29)}
    assert len(colours) > 10  # filled with rows and text, not blank


def test_unknown_view_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown view"):
        render("no-such-view", tmp_path / "x.png", Station(1))
