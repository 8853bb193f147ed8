"""The editor's in-memory render: what is heard and drawn matches the edit list and ffmpeg's fades."""

import subprocess

import numpy as np
import pytest

from console.audio.ffmpeg import find_tools
from console.audio.loudness import measure
from console.audio.preview import CURVES, analyse, fade_shape, mix, segment_gain
from console.core.editlist import FADE_CURVES, EditList

RATE = 8000


@pytest.fixture(scope="module")
def source():
    return np.random.default_rng(7).uniform(-0.5, 0.5, 10 * RATE).astype(np.float32)


def test_every_fade_curve_of_the_edit_list_is_known():
    assert set(CURVES) == set(FADE_CURVES)


@pytest.mark.parametrize("curve", sorted(FADE_CURVES))
def test_fade_curves_match_ffmpeg_afade(curve):
    """A fade-in over one second of a constant, through ffmpeg and here."""
    n = RATE
    cmd = [find_tools().ffmpeg, "-nostdin", "-v", "error", "-f", "lavfi", "-i",
           f"aevalsrc=0.5:s={RATE}:d=1", "-af", f"afade=t=in:ns={n}:curve={curve}", "-f", "f32le", "-"]
    ffmpeg = np.frombuffer(subprocess.run(cmd, capture_output=True, check=True).stdout, np.float32)
    ours = 0.5 * fade_shape(curve, np.arange(n) / n)
    np.testing.assert_allclose(ours, ffmpeg[:n], atol=2e-4)


def test_mix_applies_gain_fades_and_silence(source):
    edit = (EditList.whole("a", len(source), RATE).gain(2 * RATE, 4 * RATE, 6.0)
            .insert_silence(5 * RATE, RATE).fade_in(RATE, "tri").fade_out(2 * RATE, "qsin"))
    out = mix(edit, {"a": source})
    assert out.dtype == np.float32 and len(out) == 11 * RATE
    expected = np.concatenate([source[:5 * RATE], np.zeros(RATE, np.float32), source[5 * RATE:]])
    expected[2 * RATE:4 * RATE] *= 10 ** (6 / 20)
    expected[:RATE] *= np.arange(RATE) / RATE
    tail = np.arange(2 * RATE, 0, -1) / (2 * RATE)
    expected[-2 * RATE:] *= np.sin(tail * np.pi / 2)
    np.testing.assert_allclose(out, expected, atol=1e-6)
    # Any range renders the same samples as the whole.
    part = mix(edit, {"a": source}, 4 * RATE + 17, 7 * RATE + 3)
    np.testing.assert_array_equal(part, out[4 * RATE + 17:7 * RATE + 3])


def test_a_fade_split_across_segments_sounds_the_same(source):
    whole = EditList.whole("a", len(source), RATE).fade_in(3 * RATE, "hsin")
    split = whole.split(RATE).split(2 * RATE + 5)
    assert len(split.segments) == 3
    np.testing.assert_array_equal(mix(split, {"a": source}), mix(whole, {"a": source}))
    seg = split.segments[1]
    np.testing.assert_allclose(segment_gain(seg, np.array([0, 100])),
                               fade_shape("hsin", (RATE + np.array([0, 100])) / (3 * RATE)))


def test_analyse_measures_the_rendered_list(source):
    edit = EditList.whole("a", len(source), RATE).insert_silence(0, RATE).gain(RATE, 11 * RATE, -10)
    loudness, levels = analyse(edit, {"a": source}, RATE // 100)
    rendered = mix(edit, {"a": source})
    whole = measure(rendered, RATE)
    assert loudness.lufs == pytest.approx(whole.lufs, abs=1e-9) and loudness.true_peak_db == whole.true_peak_db
    assert len(levels) == 1100
    assert levels[:100].max() == -120.0 and levels[100:].min() > -40


def test_analyse_stops_when_cancelled(source):
    assert analyse(EditList.whole("a", len(source), RATE), {"a": source}, 80, cancelled=lambda: True) is None
