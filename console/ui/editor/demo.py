"""A speech-like test signal and an editor scene built on it, for screenshots and tests."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from scipy.signal import butter, sosfilt

from console.core.editlist import EditList

RATE = 48000
DEMO_SOURCE = "demo-speech"
DEMO_MARKERS = ((42.0, QT_TRANSLATE_NOOP("EditorDemo", "News")),
                (118.5, QT_TRANSLATE_NOOP("EditorDemo", "Notice")))


def speech_like(seconds: float, rate: int = RATE, seed: int = 0, lead_s: float = 1.2,
                tail_s: float = 1.8) -> np.ndarray:
    """Mono float32 that looks and measures like a voice: voice-band noise shaped into syllables
    (about 5 a second) and phrases of 1.5-5 s with pauses of 0.3-1.2 s, over room tone at about
    -60 dBFS, which alone fills ``lead_s`` at the start and ``tail_s`` at the end."""
    rng = np.random.default_rng(seed)
    n = int(seconds * rate)
    control = 200  # envelope points per second
    envelope = np.zeros(int(seconds * control) + 2)
    t, end = lead_s, seconds - tail_s
    while t < end:
        phrase_end = min(end, t + rng.uniform(1.5, 5.0))
        while t < phrase_end:
            length = rng.uniform(0.12, 0.3)
            i0, i1 = int(t * control), int(min(t + length, phrase_end) * control)
            if i1 > i0:
                envelope[i0:i1] = np.maximum(envelope[i0:i1], rng.uniform(0.35, 1.0) * np.hanning(i1 - i0))
            t += length * rng.uniform(0.8, 1.1)
        t = phrase_end + rng.uniform(0.3, 1.2)
    gain = np.interp(np.arange(n) / rate, np.arange(len(envelope)) / control, envelope)
    voice = sosfilt(butter(4, (150, 3400), btype="bandpass", fs=rate, output="sos"), rng.standard_normal(n))
    voice *= 0.35 / np.abs(voice).max()
    room = 0.001 * rng.standard_normal(n)
    return (voice * gain / max(gain.max(), 1e-9) * 2.2 + room).clip(-1, 1).astype(np.float32)


def demo_edit_list(frames: int, rate: int = RATE) -> EditList:
    """The whole demo source with a fade at each end and two markers."""
    edit = EditList.whole(DEMO_SOURCE, frames, rate).fade_in(3 * rate, "qsin").fade_out(4 * rate, "qsin")
    for seconds, label in DEMO_MARKERS:
        edit = edit.add_marker(int(seconds * rate), QCoreApplication.translate("EditorDemo", label))
    return edit
