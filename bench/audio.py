"""Audio library and editor: import, peaks, waveform paint and zoom, edits, render, peak RSS.

A speech-like file of ``--minutes`` (60 by default) is generated first (a glottal pulse train
through vowel formants in syllables of 0.1-0.3 s, fricative bursts, pauses between words and
phrases, a 7 kHz microphone band; 16-bit WAV at about -22 LUFS, like a desk recording), then:

- **import**: ``Library.import_files`` into a fresh library (probe, copy into the media store,
  decode, loudness);
- **editor load**: decoding the stored copy (``ffmpeg.decode``), building the ``PeakCache`` and
  loading a saved one;
- **first paint / zoom redraw**: ``PeakCache.view`` on an offscreen pyqtgraph ``PlotWidget``, timed
  through ``grab()``: the whole file, then zooming into the middle by 4x a step down to single samples;
- **edit**: single operations (delete, gain, split, copy+paste, trim, fade-out) on a list of
  ``--segments`` segments, median and max of 200;
- **render**: ``render()`` of the whole file to MP3 (64 kbit/s, -16 LUFS, -1 dBTP) next to the same
  work done with the ffmpeg CLI in the same run (a measuring pass, a gain+limiter+encode pass, and
  ``ebur128`` with true peak on the result), and next to a plain encode without normalisation; then
  ``render()`` of a list of ``--render-segments`` segments;
- **peak RSS** of this process (ffmpeg runs in child processes).

    python bench/audio.py [--minutes 60] [--segments 1000] [--render-segments 100] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from scipy.signal import butter, sosfilt  # noqa: E402

from console.audio.ffmpeg import decode, find_tools  # noqa: E402
from console.audio.library import Library  # noqa: E402
from console.audio.peaks import PeakCache  # noqa: E402
from console.audio.render import LIMITER_MARGIN_DB, limiter, render  # noqa: E402
from console.core.editlist import EditList  # noqa: E402
from console.media.store import MediaStore  # noqa: E402
from console.store.db import open_database  # noqa: E402

RATE = 48000
VOWELS = ((730, 1090, 2440), (270, 2290, 3010), (300, 870, 2240), (530, 1840, 2480), (570, 840, 2410))  # F1-F3, Hz
TILT = butter(2, 300, "lowpass", fs=RATE, output="sos")  # the glottal source's spectral tilt
FORMANTS = [[butter(1, (f * 0.9, f * 1.1), "bandpass", fs=RATE, output="sos") for f in v] for v in VOWELS]
FORMANT_GAINS = (8.0, 6.0, 3.0)  # parallel resonators, about level with each other after the tilt
FRICATIVE = butter(4, 3500, "highpass", fs=RATE, output="sos")
BAND = butter(4, 7000, "lowpass", fs=RATE, output="sos")  # a voice microphone's useful band


def speech_chunks(seconds: int, seed: int = 1, chunk_s: int = 60):
    """Mono float32 speech-like audio in chunks of ``chunk_s`` seconds, at about -22 LUFS."""
    rng = np.random.default_rng(seed)
    pos, total = 0.0, seconds * RATE
    carry = np.zeros(0, np.float32)
    state = np.zeros((BAND.shape[0], 2))
    for start in range(0, total, chunk_s * RATE):
        n = min(chunk_s * RATE, total - start)
        out = np.zeros(n + RATE, np.float32)  # room for the syllables of a word that crosses the end
        out[:len(carry)] = carry
        while pos < start + n:
            phrase_end = pos + rng.uniform(1.5, 4.0) * RATE
            while pos < min(phrase_end, start + n):  # (a chunk ends a phrase)
                for _ in range(rng.integers(1, 4)):  # a word of 1-3 syllables
                    length = int(rng.uniform(0.1, 0.3) * RATE)
                    at = int(pos) - start
                    f0 = rng.uniform(100, 220) * np.linspace(1.05, 0.95, length)
                    saw = 2 * ((np.cumsum(f0) / RATE) % 1.0) - 1
                    glottal = sosfilt(TILT, saw)
                    vowel = FORMANTS[rng.integers(len(FORMANTS))]
                    voiced = sum(g * sosfilt(f, glottal) for g, f in zip(FORMANT_GAINS, vowel)) * np.hanning(length)
                    out[at:at + length] += (rng.uniform(0.3, 1.0) * voiced).astype(np.float32)
                    if rng.random() < 0.25:  # a fricative onset
                        k = length // 3
                        noise = sosfilt(FRICATIVE, rng.standard_normal(k)) * np.hanning(k)
                        out[at:at + k] += (0.15 * rng.uniform(0.3, 1.0) * noise).astype(np.float32)
                    pos += length
                pos += rng.uniform(0.05, 0.2) * RATE  # between words
            pos += rng.uniform(0.3, 0.8) * RATE  # between phrases
        carry = out[n:].copy()
        band, state = sosfilt(BAND, out[:n], zi=state)
        yield np.tanh(band * 0.3).astype(np.float32)  # about -22 LUFS; tanh rounds off the rare peaks


def write_speech(path: Path, seconds: int) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        for chunk in speech_chunks(seconds):
            w.writeframes(np.clip(np.round(chunk * 32767), -32768, 32767).astype("<i2").tobytes())
    return path


def timed(fn, *args, **kwargs):
    t = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - t, result


def waveform(cache: PeakCache, width: int = 1600, height: int = 300) -> tuple[float, list[float]]:
    """(first paint, zoom redraws) in seconds of PeakCache.view on an offscreen PlotWidget, timed
    through grab(). The min/max band is drawn as the editor draws it, one vertical min-to-max line per
    block (at one block or more per pixel that is a filled band; pyqtgraph's FillBetweenItem between
    two curves takes 10-300 ms a frame on speech); single samples as a line."""
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    plot = pg.PlotWidget()
    plot.resize(width, height)
    plot.setMouseEnabled(x=False, y=False)
    plot.setYRange(-1, 1)
    band = pg.PlotCurveItem(pen=pg.mkPen("#2a6fb0"))
    plot.addItem(band)
    plot.show()
    app.processEvents()  # the window exists before the clock starts

    def draw(start: int, end: int) -> float:
        t = time.perf_counter()
        x, low, high = cache.view(start, end, width)
        if end - start <= width:
            band.setData(x, low, connect="all")
        else:
            band.setData(np.repeat(x, 2), np.column_stack((low, high)).ravel(), connect="pairs")
        plot.setXRange(start / cache.rate, end / cache.rate, padding=0)
        plot.grab()
        return time.perf_counter() - t

    first = draw(0, cache.frames)
    zooms, middle, span = [], cache.frames // 2, cache.frames
    while span > 100:  # from the whole file down to single samples, a factor 4 at a time
        span //= 4
        zooms.append(draw(middle - span // 2, middle + span // 2))
    plot.close()
    return first, zooms


def long_list(sha: str, frames: int, segments: int, seed: int = 1) -> EditList:
    """A list of about ``segments`` segments: cuts, pastes and gains spread over the source."""
    rng = random.Random(seed)
    el = EditList.whole(sha, frames, RATE)
    while len(el.segments) < segments:
        a = rng.randrange(0, el.frames - RATE)
        b = a + rng.randrange(RATE // 10, RATE)
        op = rng.random()
        if op < 0.4:
            el = el.delete(a, b)
        elif op < 0.7:
            rest, clip = el.cut(a, b)
            el = rest.paste(rng.randrange(0, rest.frames), clip)
        else:
            el = el.gain(a, b, rng.choice([-3.0, 2.0]))
    return el


def edit_times(el: EditList, n: int = 200, seed: int = 2) -> list[float]:
    rng = random.Random(seed)
    ops = [lambda a, b: el.delete(a, b), lambda a, b: el.gain(a, b, -2.0), lambda a, b: el.split(a),
           lambda a, b: el.paste(a, el.copy(a, b)), lambda a, b: el.trim(a, b), lambda a, b: el.fade_out(b - a)]
    times = []
    for i in range(n):
        a = rng.randrange(0, el.frames - RATE)
        times.append(timed(ops[i % len(ops)], a, a + rng.randrange(1, RATE))[0])
    return times


def ffmpeg_cli(*args: str) -> str:
    out = subprocess.run([find_tools().ffmpeg, "-nostdin", "-hide_banner", "-nostats", "-y", *args],
                         capture_output=True, text=True, check=True)
    return out.stderr


def cli_same_work(source: Path, out: Path, lufs: float, true_peak: float) -> None:
    """What one would type to do the render's work by hand: measure, normalise and encode, check."""
    log = ffmpeg_cli("-i", str(source), "-af", "ebur128=peak=sample:framelog=verbose", "-f", "null", "-")
    measured = float(re.search(r"I:\s+(-?[\d.]+) LUFS", log[log.rindex("Summary:"):])[1])
    ffmpeg_cli("-i", str(source), "-af", f"volume={lufs - measured:.2f}dB,{limiter(true_peak - LIMITER_MARGIN_DB)}",
               "-ac", "1", "-ar", str(RATE), "-c:a", "libmp3lame", "-b:a", "64k", str(out))
    ffmpeg_cli("-i", str(out), "-af", "ebur128=peak=true:framelog=verbose", "-f", "null", "-")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=60)
    ap.add_argument("--segments", type=int, default=1000, help="segments of the list the edit is timed on")
    ap.add_argument("--render-segments", type=int, default=100, help="segments of the edited list rendered")
    ap.add_argument("--json", action="store_true", help="print only the JSON line")
    a = ap.parse_args()
    say = (lambda *_: None) if a.json else print
    seconds = round(a.minutes * 60)
    r: dict[str, float | int | str] = {"minutes": a.minutes}
    with tempfile.TemporaryDirectory(prefix="tt-bench-audio-") as tmp:
        folder = Path(tmp)
        source = write_speech(folder / "speech.wav", seconds)
        say(f"generated {a.minutes:g} min of speech-like audio ({source.stat().st_size / 1e6:.0f} MB WAV)")

        db = open_database(f"sqlite:///{folder / 'bench.db'}", seed=False)
        store = MediaStore(folder / "media")
        r["import_s"], (imported,) = timed(Library(db, store, "bench", "admin").import_files, [source])
        assert imported.ok, imported.error
        say(f"import (probe, copy, decode, loudness) : {r['import_s']:.2f} s   "
            f"({imported.lufs:.1f} LUFS, {imported.true_peak_db:.1f} dBTP)")
        stored = store.path(imported.sha256)
        r["decode_s"], samples = timed(decode, stored, RATE)
        r["peaks_build_s"], cache = timed(PeakCache.build, samples, RATE)
        r["peaks_mb"] = round(sum(x.nbytes for x in (*cache.lo, *cache.hi)) / 1e6, 1)
        cache.save(folder / "peaks.npz")
        r["peaks_load_s"], _ = timed(PeakCache.load, folder / "peaks.npz", samples)
        say(f"decode for the editor                  : {r['decode_s']:.2f} s")
        say(f"peak cache build / load                : {r['peaks_build_s']:.2f} s / {r['peaks_load_s']:.3f} s"
            f"   ({r['peaks_mb']} MB beside {samples.nbytes / 1e6:.0f} MB of samples)")

        first, zooms = waveform(cache)
        r["first_paint_ms"] = round(first * 1000, 1)
        r["zoom_redraw_ms_median"] = round(statistics.median(zooms) * 1000, 1)
        r["zoom_redraw_ms_max"] = round(max(zooms) * 1000, 1)
        say(f"waveform first paint / zoom redraw     : {r['first_paint_ms']} ms / median "
            f"{r['zoom_redraw_ms_median']} ms, max {r['zoom_redraw_ms_max']} ms over {len(zooms)} zoom steps")

        frames = len(samples)
        el = long_list(imported.sha256, frames, a.segments)
        times = edit_times(el)
        r["edit_segments"] = len(el.segments)
        r["edit_ms_median"] = round(statistics.median(times) * 1000, 3)
        r["edit_ms_max"] = round(max(times) * 1000, 3)
        say(f"one edit on a {len(el.segments)}-segment list        : median {r['edit_ms_median']} ms, "
            f"max {r['edit_ms_max']} ms")
        del samples, cache

        sources = {imported.sha256: stored}
        r["render_s"], rendered = timed(render, EditList.whole(imported.sha256, frames, RATE), sources,
                                        folder / "render.mp3")
        r["render_lufs"], r["render_true_peak_db"] = round(rendered.lufs, 2), round(rendered.true_peak_db, 2)
        r["cli_same_work_s"], _ = timed(cli_same_work, stored, folder / "cli.mp3", -16.0, -1.0)
        r["cli_encode_s"], _ = timed(ffmpeg_cli, "-loglevel", "error", "-i", str(stored), "-ac", "1", "-ar",
                                     str(RATE), "-c:a", "libmp3lame", "-b:a", "64k", str(folder / "plain.mp3"))
        r["render_vs_cli_same_work"] = round(r["render_s"] / r["cli_same_work_s"], 3)
        r["render_vs_cli_encode"] = round(r["render_s"] / r["cli_encode_s"], 3)
        say(f"render to MP3 64k (-16 LUFS, -1 dBTP)  : {r['render_s']:.1f} s   "
            f"({rendered.lufs:.2f} LUFS, {rendered.true_peak_db:.2f} dBTP, {rendered.bytes / 1e6:.1f} MB)")
        say(f"the same work by the ffmpeg CLI        : {r['cli_same_work_s']:.1f} s   "
            f"ratio {r['render_vs_cli_same_work']:.2f} (target <= 1.2)")
        say(f"a plain ffmpeg encode (no loudness)    : {r['cli_encode_s']:.1f} s   "
            f"ratio {r['render_vs_cli_encode']:.2f}")

        edited = long_list(imported.sha256, frames, a.render_segments, seed=3)
        r["render_edited_segments"] = len(edited.segments)
        r["render_edited_s"], rendered = timed(render, edited, sources, folder / "edited.mp3")
        say(f"render of a {len(edited.segments)}-segment edit           : {r['render_edited_s']:.1f} s   "
            f"({rendered.lufs:.2f} LUFS, {rendered.true_peak_db:.2f} dBTP)")
        db.close()
    r["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    say(f"peak RSS of this process (ffmpeg runs in children) : {r['peak_rss_mb']} MB")
    print(json.dumps(r))


if __name__ == "__main__":
    main()
