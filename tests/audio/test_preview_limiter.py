"""What the editor plays goes through the render's limiter: a normalised loud item is limited at the
ceiling, not clipped, whatever pieces the sound card asks for."""

import numpy as np
import pytest

from console.audio.preview import LIMITED_BLOCK_S, LimitedPreview, limit, mix
from console.audio.render import limiter
from console.core.editlist import EditList
from console.ui.editor.demo import speech_like

RATE = 48000
CEILING_DB = -2.0
CEILING = 10 ** (CEILING_DB / 20) + 1e-6  # (the filter's limit has six decimals)


@pytest.fixture(scope="module")
def loud():
    """12 s of speech peaking at full scale, normalised by +9 dB: peaks near +9 dBFS."""
    x = speech_like(12, RATE, seed=5)
    x /= np.abs(x).max()
    return EditList.whole("a", len(x), RATE).gain(0, len(x), 9.0), {"a": x}


def test_the_preview_never_exceeds_the_ceiling(loud):
    edit, sources = loud
    assert np.abs(mix(edit, sources)).max() > 2.5  # what used to be played, clipped at 1
    played = LimitedPreview(edit, sources, CEILING_DB)(0, edit.frames)
    assert len(played) == edit.frames and played.dtype == np.float32
    assert np.abs(played).max() <= CEILING
    # Limited, not clipped: the loud parts keep their shape under the ceiling.
    assert np.count_nonzero(np.abs(played) >= 0.99 * CEILING) < 0.01 * edit.frames


def test_pieces_join_into_one_run_of_the_render_limiter(loud):
    edit, sources = loud
    preview = LimitedPreview(edit, sources, CEILING_DB)
    step = 7919  # pieces across block boundaries, as a sound card asks for them
    pieces = np.concatenate([preview(a, a + step) for a in range(0, edit.frames, step)])
    assert edit.frames > 2 * LIMITED_BLOCK_S * RATE
    one_run = limit(mix(edit, sources), RATE, CEILING_DB)
    np.testing.assert_allclose(pieces, one_run, atol=1e-4)
    assert "alimiter" in limiter(CEILING_DB)


def test_audio_under_the_ceiling_plays_as_it_is(loud):
    edit, sources = loud
    quiet = edit.gain(0, edit.frames, -12.0)
    np.testing.assert_array_equal(LimitedPreview(quiet, sources, CEILING_DB)(RATE, 8 * RATE),
                                  mix(quiet, sources, RATE, 8 * RATE))


def test_without_ffmpeg_playback_goes_on_clipped_at_the_ceiling(loud, monkeypatch, caplog):
    edit, sources = loud
    monkeypatch.setenv("TT_FFMPEG", "/nonexistent/ffmpeg")
    played = LimitedPreview(edit, sources, CEILING_DB)(0, 6 * RATE)
    assert len(played) == 6 * RATE and np.abs(played).max() <= CEILING
    assert "the preview limiter failed: TT_FFMPEG is set to /nonexistent/ffmpeg" in caplog.text
