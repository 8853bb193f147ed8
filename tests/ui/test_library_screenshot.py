"""The library renders offscreen to PNG without a station, over a generated demo library."""

import numpy as np
from PySide6.QtGui import QImage

from console.ui import i18n, theme
from console.ui.library.demo import ITEMS
from console.ui.library.library_model import STATE_COLOURS
from console.ui.screenshot import STATIONLESS, VIEWS, render


def colours(image: QImage) -> set[str]:
    rgb = image.convertToFormat(QImage.Format.Format_RGB32)
    pixels = np.frombuffer(rgb.constBits(), np.uint32, rgb.width() * rgb.height())
    return {f"#{p & 0xFFFFFF:06x}" for p in np.unique(pixels)}


def test_render_library_to_png(tmp_path, qapp):
    assert "library" in VIEWS and "library" in STATIONLESS
    try:
        out = render("library", tmp_path / "library.png", lang="vi", size=(1400, 860))
    finally:
        i18n.install(qapp, "en")
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1400, 860)
    found = colours(image)
    # A status dot of every state the demo items are in, and the red of an expired date.
    for state in {state for _title, _category, state, *_rest in ITEMS}:
        assert STATE_COLOURS[state].name() in found, state
    assert theme.OFFLINE.name() in found
