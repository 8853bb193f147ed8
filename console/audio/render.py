"""Render an edit list for distribution: loudness-normalised MP3 or Opus, mono.

Every pass is one ffmpeg process that decodes the sources itself (resampled to the edit list's
rate, mixed to mono) and runs the list's filter graph (:func:`filter_graph`): per segment ``atrim``,
``volume`` for its gain, ``afade`` for its piece of a fade; ``anullsrc`` for silence; ``concat``.

Normalisation is a static gain and a look-ahead limiter (``alimiter``) ``LIMITER_MARGIN_DB`` under
the true-peak ceiling: linear wherever the limiter is idle, so speech keeps its dynamics, and one
ordinary filter pass (ffmpeg's ``loudnorm`` does the job at 192 kHz, about 15 times slower). The
limiter and the codec both take some loudness away (the limiter more the harder it works, MP3 at
low bit rates some tenths of a LU), so the gain is found by trying:

1. **Measure** the mix with ffmpeg's ``ebur128`` (integrated loudness, sample peak), and keep
   ``EXCERPTS`` excerpts of ``EXCERPT_S`` seconds spread over it (all of a timeline of at most
   twice that).
2. **Trial encodes** of the excerpts, measured with ``console.audio.loudness`` after decoding, close
   in on the gain that reaches the target (secant steps) and on a limiter ceiling that keeps the
   codec's true peak under the target. A short timeline's best trial is the render itself.
3. **Encode** the whole timeline with that gain, and measure the encoded stream as it is written
   (a second ffmpeg decodes it, on the other core): that is the loudness reported. If it still
   misses by more than ``RETRY_LU`` (or its true peak is over), it is encoded once more with the
   miss corrected.

The file is written next to ``out`` under a temporary name and renamed when complete. Progress comes
from ffmpeg's ``-progress``; cancelling kills ffmpeg and removes the temporary file.
"""

from __future__ import annotations

import functools
import hashlib
import math
import os
import re
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from console.audio.ffmpeg import decode_chunks, find_tools, probe
from console.audio.loudness import Loudness, LoudnessMeter
from console.core.editlist import EditList, Segment, normalize_gain

FORMATS = {  # name -> (codec reported, encoder arguments, muxer)
    "mp3": ("mp3", ["-c:a", "libmp3lame"], "mp3"),
    "opus": ("opus", ["-c:a", "libopus", "-vbr", "constrained"], "ogg"),  # constrained: near the nominal rate
}
LIMITER_MARGIN_DB = 1.0  # the limiter's ceiling under the true-peak target: inter-sample and codec overshoot
EXCERPTS, EXCERPT_S = 12, 10  # trial encodes use 12 excerpts of 10 s (all of a timeline up to 4 minutes)
TRIALS = 5  # trial encodes at most
TOLERANCE_LU = 0.1  # a trial this close to the target ends the search
RETRY_LU = 0.3  # re-encode a long timeline once when it misses the target by more than this
SILENT_LUFS = -70.0  # ebur128's integrated loudness when nothing passes its gate

Progress = Callable[[float], None]


class RenderCancelled(Exception):
    """The render was cancelled; nothing was left behind."""


class RenderError(Exception):
    """ffmpeg could not render: ``str()`` says why in one line."""


@dataclass
class Rendered:
    path: Path
    sha256: str
    bytes: int
    duration_ms: int
    lufs: float | None  # None for a silent render
    true_peak_db: float | None
    lra: float
    codec: str


def filter_graph(editlist: EditList, inputs: list[str]) -> str:
    """The filtergraph that plays ``editlist`` as mono float at its rate, ending in the label [mix].

    ``inputs`` lists the sources in the order of ffmpeg's ``-i`` arguments. Each source is decoded
    once; the segments that use it are fed through a binary tree of ``asplit`` + ``atrim`` (ranges
    sorted by start), so a frame of a long source visits only the branches whose ranges hold it,
    not every one of a thousand segments. Timestamps count samples (time base 1/rate), and ``atrim``
    cuts by them: its ``start_sample``/``end_sample`` would count the samples each trim has seen.
    """
    rate = editlist.rate
    lines: list[str] = []
    taps: dict[int, str] = {}  # segment index -> label of its source's frames around its range

    def tree(label: str, uses: list[tuple[int, Segment]]) -> None:
        if len(uses) == 1:
            taps[uses[0][0]] = label
            return
        halves = uses[:len(uses) // 2], uses[len(uses) // 2:]
        labels = [f"{label[:-1]}{side}]" for side in "lr"]
        start, end = min(s.start for _, s in uses), max(s.end for _, s in uses)
        lines.append(f"{label}atrim=start_pts={start}:end_pts={end},asplit=2{''.join(labels)}")
        for half, sub in zip(halves, labels):
            tree(sub, half)

    for i, source in enumerate(inputs):
        lines.append(f"[{i}:a:0]aresample={rate},aformat=sample_fmts=flt:channel_layouts=mono,asettb=1/{rate},"
                     f"asetpts=N/SR/TB[s{i}]")
        tree(f"[s{i}]", sorted(((j, s) for j, s in enumerate(editlist.segments) if s.source == source),
                               key=lambda use: use[1].start))
    for j, s in enumerate(editlist.segments):
        if s.is_silence:
            chain = [f"anullsrc=r={rate}:cl=mono", f"atrim=end_sample={s.frames}"]
        else:
            chain = [f"{taps[j]}atrim=start_pts={s.start}:end_pts={s.end}"]
            if s.gain_db:
                chain.append(f"volume={s.gain_db}dB")
            if s.fade_in:  # afade reads its position in the curve from the timestamps
                chain += [f"asetpts=(N+{s.fade_in_offset})/SR/TB",
                          f"afade=t=in:ss=0:ns={s.fade_in}:curve={s.fade_curve}"]
            if s.fade_out:
                shift = max(0, s.fade_out - s.frames - s.fade_out_offset)  # afade cannot start before 0
                start = s.frames + s.fade_out_offset - s.fade_out + shift
                chain += [f"asetpts=(N+{shift})/SR/TB",
                          f"afade=t=out:ss={start}:ns={s.fade_out}:curve={s.fade_out_curve}"]
        chain.append("asetpts=N/SR/TB")
        lines.append(",".join(chain) + f"[g{j}]")
    n = len(editlist.segments)
    lines.append("".join(f"[g{j}]" for j in range(n)) + f"concat=n={n}:v=0:a=1[mix]")
    return ";\n".join(lines)


@functools.cache
def _graph_option(ffmpeg: str) -> str:
    """How this ffmpeg reads a filtergraph from a file: ``-/filter_complex`` since 7.0, before that
    ``-filter_complex_script`` (graphs of long edit lists exceed the limit of one argument)."""
    out = subprocess.run([ffmpeg, "-hide_banner", "-version"], capture_output=True, text=True, check=False).stdout
    m = re.match(r"ffmpeg version n?(\d+)\.", out)
    return "-filter_complex_script" if m and int(m[1]) < 7 else "-/filter_complex"


def limiter(ceiling_db: float) -> str:
    """The ffmpeg filter of normalisation's look-ahead limiter at ``ceiling_db`` (sample peak); the
    editor's preview plays through it too (``console.audio.preview.LimitedPreview``)."""
    limit = min(1.0, max(0.0625, 10 ** (ceiling_db / 20)))
    return f"alimiter=limit={limit:.6f}:attack=5:release=50:level=false:latency=true"


def _normalise(gain_db: float, ceiling_db: float) -> str:
    """Filters (ending in a comma) for a static gain and the limiter at ``ceiling_db``."""
    return f"volume={gain_db:.3f}dB,{limiter(ceiling_db)},"


def _encoder(fmt: str, rate: int, bitrate_k: int) -> list[str]:
    """Encoder arguments (bit-exact: the same render gives the same file)."""
    return ["-ac", "1", "-ar", str(rate), *FORMATS[fmt][1], "-b:a", f"{bitrate_k}k",
            "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact"]


def _excerpts(job: _Job) -> str:
    """Filters that keep ``EXCERPTS`` excerpts of ``EXCERPT_S`` spread over the timeline (all of a short one)."""
    if job.whole:
        return "anull"
    return f"aselect='lt(mod(t,{job.seconds / EXCERPTS:.3f}),{EXCERPT_S})',asetpts=N/SR/TB"


_PROBLEM = re.compile(r"\[(?:error|fatal)\] (.*)")


def _failure(what: str, log: str, code: int) -> RenderError:
    """The error for a failed ffmpeg run: its first two distinct error lines (a log at level+info or error)."""
    problems = list(dict.fromkeys(m[1].strip() for m in _PROBLEM.finditer(log)))
    return RenderError(f"ffmpeg failed to {what}: " + ("; ".join(problems[:2]) or f"exit status {code}"))


class _Job:
    """The ffmpeg runs and measurements of one render; ffmpeg is killed when it is cancelled or fails."""

    def __init__(self, editlist: EditList, sources: Mapping[str, Path], work: Path,
                 progress: Progress | None, cancel: threading.Event | None) -> None:
        self.work, self.progress, self.cancel = work, progress, cancel
        self.ffmpeg = find_tools().ffmpeg
        inputs = sorted(editlist.sources())
        self.seconds = editlist.frames / editlist.rate
        self.whole = self.seconds <= 2 * EXCERPTS * EXCERPT_S  # short enough to try out whole
        self.graph = filter_graph(editlist, inputs)
        self.input_args = [a for sha in inputs for a in ("-i", str(sources[sha]))]

    def cancelled(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()

    def report(self, fraction: float) -> None:
        if self.progress is not None:
            self.progress(min(1.0, max(0.0, fraction)))

    @contextmanager
    def stopping(self, *procs: subprocess.Popen) -> Iterator[None]:
        """Reads the processes' output in the body; kills them if it is cancelled or fails, then reaps them."""
        try:
            yield
        except BaseException:
            self.kill(procs)
            raise
        finally:
            if self.cancelled():
                self.kill(procs)
            for proc in procs:
                proc.wait()
                proc.stdout.close()

    @staticmethod
    def kill(procs: tuple[subprocess.Popen, ...]) -> None:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()

    def run(self, args: list[str], what: str, span: tuple[float, float], seconds: float) -> str:
        """ffmpeg with ``args``; progress from span[0] to span[1] over ``seconds`` of output.

        Returns ffmpeg's log (stderr, each line tagged with its level)."""
        if self.cancelled():
            raise RenderCancelled()
        cmd = [self.ffmpeg, "-nostdin", "-hide_banner", "-nostats", "-loglevel", "level+info", "-y",
               "-progress", "pipe:1", *args]
        log_path = self.work / "ffmpeg.log"
        with open(log_path, "wb") as log:  # a file, not a pipe: ffmpeg can never block on it
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log, text=True)
            with self.stopping(proc):
                for line in proc.stdout:  # a block of key=value lines every half second
                    if self.cancelled():
                        break
                    key, _, value = line.partition("=")
                    if key == "out_time_us" and value.strip().isdigit() and seconds:
                        self.report(span[0] + (span[1] - span[0]) * min(1.0, int(value) / 1e6 / seconds))
        if self.cancelled():
            raise RenderCancelled()
        text = log_path.read_text("utf-8", "replace")
        if proc.returncode != 0:
            raise _failure(what, text, proc.returncode)
        return text

    def mix(self, tail: str, outputs: list[str], what: str, span: tuple[float, float]) -> str:
        """ffmpeg over the edit list's graph, continued by ``[mix]tail``, into ``outputs``."""
        graph = self.work / "graph.txt"
        graph.write_text(f"{self.graph};\n[mix]{tail}")
        return self.run([*self.input_args, _graph_option(self.ffmpeg), str(graph), *outputs], what, span, self.seconds)

    def loudness(self, path: Path, rate: int) -> Loudness:
        """The loudness of a file as a decoder plays it."""
        meter = LoudnessMeter(rate)
        for chunk in decode_chunks(path, rate, 1, rate * 10):
            if self.cancelled():
                raise RenderCancelled()
            meter.add(chunk)
        return meter.result()

    def encode(self, tail: str, fmt: str, encoder: list[str], path: Path, rate: int,
               span: tuple[float, float]) -> Loudness:
        """The graph, then ``[mix]tail``, encoded into ``path`` and measured as it is written: ffmpeg's
        tee muxer hands the encoded stream to a second ffmpeg as well, which decodes it for the meter
        on the other core. (That stream lacks the MP3 file's Xing header, so its encoder delay and
        padding are played too: a few hundredths of a second of near silence.)"""
        graph = self.work / "graph.txt"
        graph.write_text(f"{self.graph};\n[mix]{tail}")
        muxer = FORMATS[fmt][2]
        cmd = [self.ffmpeg, "-nostdin", "-hide_banner", "-nostats", "-loglevel", "level+error", "-y",
               *self.input_args, _graph_option(self.ffmpeg), str(graph), "-map", "[out]", *encoder,
               "-f", "tee", f"[f={muxer}]{path.name}|[f={muxer}]pipe:1"]  # (relative: no escaping in tee)
        check = [self.ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "level+error", "-f", muxer, "-i", "pipe:0",
                 "-ac", "1", "-ar", str(rate), "-f", "f32le", "pipe:1"]
        meter, frames, total = LoudnessMeter(rate), 0, self.seconds * rate
        log_path = self.work / "ffmpeg.log"
        with open(log_path, "wb") as log:
            enc = subprocess.Popen(cmd, cwd=self.work, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log)
            dec = subprocess.Popen(check, stdin=enc.stdout, stdout=subprocess.PIPE, stderr=log)
            enc.stdout.close()  # the decoder holds the pipe now
            with self.stopping(enc, dec):
                while not self.cancelled() and (data := dec.stdout.read(rate * 4 * 10)):
                    meter.add(np.frombuffer(data, np.float32, len(data) // 4))
                    frames += len(data) // 4
                    self.report(span[0] + (span[1] - span[0]) * min(1.0, frames / total))
        if self.cancelled():
            raise RenderCancelled()
        if enc.returncode or dec.returncode:
            raise _failure(f"encode {fmt}", log_path.read_text("utf-8", "replace"), enc.returncode or dec.returncode)
        return meter.result()


def render(editlist: EditList, sources: Mapping[str, Path], out: Path, *, fmt: str = "mp3", bitrate_k: int = 64,
           rate: int = 48000, lufs: float = -16.0, true_peak: float = -1.0,
           progress: Progress | None = None, cancel: threading.Event | None = None) -> Rendered:
    """Render ``editlist`` (sources: sha256 -> file) to ``out``, normalised to ``lufs`` / ``true_peak``.

    Raises RenderCancelled, RenderError (ffmpeg failed) or ValueError (an empty list, a source
    missing from ``sources``, an unknown format).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown distribution format {fmt!r}; one of {', '.join(FORMATS)}")
    if editlist.frames == 0:
        raise ValueError("nothing to render: the edit list is empty")
    missing = editlist.sources() - set(sources)
    if missing:
        raise ValueError(f"no file for source(s) {', '.join(sorted(m[:12] for m in missing))}")
    out = Path(out)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".render-") as work:  # (on out's file system)
        job = _Job(editlist, sources, Path(work), progress, cancel)
        path, loudness = _render(job, fmt, bitrate_k, rate, lufs, true_peak)
        with open(path, "rb") as f:
            sha = hashlib.file_digest(f, "sha256").hexdigest()
        size, duration_ms = path.stat().st_size, probe(path).duration_ms
        os.replace(path, out)
    job.report(1.0)
    return Rendered(out, sha, size, duration_ms, loudness.lufs, loudness.true_peak_db, loudness.lra,
                    FORMATS[fmt][0])


@dataclass
class _Trial:
    gain: float
    ceiling: float
    lufs: float  # the loudness the whole timeline would have
    loudness: Loudness  # of the encoded excerpts
    path: Path


def _search(job: _Job, excerpt: Path, encoder: list[str], fmt: str, rate: int, target: float, true_peak: float,
            measured: float, sample_peak: float, span: tuple[float, float]) -> tuple[_Trial, float] | None:
    """Trial encodes of the excerpts, closing in on the gain that reaches ``target`` after the limiter
    and the codec (secant steps: where the limiter works, a dB of gain adds less than 1 LU), and on a
    limiter ceiling low enough for the codec's overshoot. Returns the best trial and the last slope
    (LU per dB), or None if the excerpts are silent."""
    raw = job.loudness(excerpt, rate).lufs
    if raw is None:
        return None
    offset = measured - raw  # how much louder the whole timeline measures than its excerpts
    seconds = job.seconds if job.whole else EXCERPTS * EXCERPT_S
    gain, ceiling, slope = normalize_gain(measured, target, sample_peak, true_peak), true_peak - LIMITER_MARGIN_DB, 1.0
    trials: list[_Trial] = []
    for n in range(TRIALS):
        path = job.work / f"trial{n}.{fmt}"
        step = (span[1] - span[0]) / TRIALS
        job.run(["-i", str(excerpt), "-af", f"{_normalise(gain, ceiling)}aresample={rate}", *encoder,
                 "-f", FORMATS[fmt][2], str(path)], "encode a trial", (span[0] + n * step, span[0] + (n + 1) * step),
                seconds)
        loudness = job.loudness(path, rate)
        if loudness.lufs is None:
            return None
        trials.append(_Trial(gain, ceiling, loudness.lufs + offset, loudness, path))
        over = loudness.true_peak_db - true_peak
        if over > 0:  # the codec overshoots more than the limiter's margin
            ceiling -= over + 0.2
            continue
        if abs(trials[-1].lufs - target) <= TOLERANCE_LU:
            break
        same = [t for t in trials if t.ceiling == ceiling]
        if len(same) >= 2:
            slope = min(1.5, max(0.1, (same[-1].lufs - same[-2].lufs) / (same[-1].gain - same[-2].gain)))
        wanted = gain + (target - trials[-1].lufs) / slope
        wanted = normalize_gain(target - wanted, target, sample_peak, true_peak)  # = min(wanted, the cap)
        if abs(wanted - gain) < 0.01:  # at the cap
            break
        gain = wanted
    fit = [t for t in trials if t.loudness.true_peak_db <= true_peak] or trials
    return min(fit, key=lambda t: abs(t.lufs - target)), slope


def _render(job: _Job, fmt: str, bitrate_k: int, rate: int, lufs: float, true_peak: float) -> tuple[Path, Loudness]:
    """The rendered file (in the job's folder) and its loudness."""
    encoder = _encoder(fmt, rate, bitrate_k)
    excerpt = job.work / "excerpt.wav"
    log = job.mix(f"asplit=2[m][x];[m]ebur128=peak=sample:framelog=verbose[out];[x]{_excerpts(job)}[excerpt]",
                  ["-map", "[out]", "-f", "null", "-", "-map", "[excerpt]", "-c:a", "pcm_f32le", str(excerpt)],
                  "measure the loudness", (0.0, 0.15))
    summary = log[log.rindex("Summary:"):]
    measured = float(re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)[1])
    sample_peak = float(re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)[1])
    found = None
    if measured > SILENT_LUFS:  # (silence stays silence)
        found = _search(job, excerpt, encoder, fmt, rate, lufs, true_peak, measured, sample_peak,
                        (0.15, 1.0) if job.whole else (0.15, 0.25))
    if found is not None and job.whole:  # the excerpt was the whole timeline: the best trial is the render
        return found[0].path, found[0].loudness
    gain, ceiling, slope = 0.0, true_peak - LIMITER_MARGIN_DB, 1.0
    if found is not None:
        gain, ceiling, slope = found[0].gain, found[0].ceiling, found[1]
    elif measured > SILENT_LUFS:  # silent excerpts of a timeline that is not
        gain = normalize_gain(measured, lufs, sample_peak, true_peak)
    path = job.work / f"render.{fmt}"
    loudness = job.encode(f"{_normalise(gain, ceiling)}aresample={rate}[out]", fmt, encoder, path, rate, (0.25, 0.95))
    over = (loudness.true_peak_db or -math.inf) - true_peak
    if loudness.lufs is not None and measured > SILENT_LUFS and (abs(loudness.lufs - lufs) > RETRY_LU or over > 0):
        # The whole differs from its excerpts: once more, with the miss corrected.
        wanted = normalize_gain(lufs - gain - (lufs - loudness.lufs) / slope, lufs, sample_peak, true_peak)
        loudness = job.encode(f"{_normalise(wanted, ceiling - max(0.0, over + 0.2))}aresample={rate}[out]", fmt,
                              encoder, path, rate, (0.95, 1.0))
    return path, loudness
