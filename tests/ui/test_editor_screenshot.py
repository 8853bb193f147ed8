"""The editor renders offscreen to PNG without a station."""

from PySide6.QtGui import QImage

from console.ui import i18n
from console.ui.editor.waveform_view import MARKER, WAVE
from console.ui.screenshot import STATIONLESS, render


def test_render_editor_to_png(tmp_path, qapp):
    assert "editor" in STATIONLESS
    try:
        out = render("editor", tmp_path / "editor.png", lang="vi", size=(1200, 760))
    finally:
        i18n.install(qapp, "en")
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1200, 760)
    colours = {image.pixelColor(x, y).name() for x in range(0, 1200, 3) for y in range(60, 700, 7)}
    assert WAVE.name() in colours and MARKER.name() in colours


def test_the_main_view_still_needs_a_station(tmp_path):
    try:
        render("main", tmp_path / "x.png")
    except ValueError as e:
        assert "station" in str(e)
    else:
        raise AssertionError("rendered the main window without a station")
