"""Non-destructive edit list: a timeline of segments over sources in the media store.

Pure: no Qt, numpy or I/O. Every operation returns a new ``EditList``; the sources are never touched.
Positions are integer frames (samples per channel) at the list's rate; a selection is the half-open
range ``[a, b)`` of timeline frames.

Each segment is self-contained: its audio is ``source[start:end]`` times its gain and its fade
envelope, so a clip cut from one place and pasted elsewhere sounds the same. A fade that spans several
segments (a timeline fade-in longer than the first segment) is stored as one piece of the curve per
segment: ``fade_in`` is the length of the whole curve and ``fade_in_offset`` how much of it lies
before the segment; ``fade_out``/``fade_out_offset`` likewise, measured from the curve's end. The
gain of frame ``t`` of a segment of length ``L`` (the formula of ffmpeg's ``afade``, which renders it):

    fade-in:  curve((fade_in_offset + t) / fade_in)             clipped to [0, 1] before the curve
    fade-out: curve((L + fade_out_offset - t) / fade_out)

Operations merge adjacent segments where their junction is new and the two continue each other (same
source, contiguous range, same gain, continuing fades), so cut-then-paste at the same place gives back
the original list exactly. ``split`` is the one operation that adds a boundary on purpose;
``normalized()`` merges every mergeable neighbour (the normal form), which undoes splits.

Markers are sorted by frame (0..frames inclusive). They are deleted with the ranges that hold them,
shifted by inserts and deletes before them, and travel with copied clips.
"""

from __future__ import annotations

import json
import math
import operator
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from functools import cached_property
from itertools import accumulate

# Curves of ffmpeg's afade that every supported ffmpeg (5.1 and later) knows.
FADE_CURVES = frozenset({
    "tri", "qsin", "esin", "hsin", "log", "ipar", "qua", "cub", "squ", "cbr", "par", "exp",
    "iqsin", "ihsin", "dese", "desi", "losi", "sinc", "isinc",
})

MAX_LIMITING_DB = 12.0  # most the normalisation's true-peak limiter may take off (see normalize_gain)


@dataclass(frozen=True)
class Segment:
    source: str  # sha256 of a source in the media store; "" = silence
    start: int  # first frame in the source (at the edit list's rate)
    end: int  # one past the last frame
    gain_db: float = 0.0
    fade_in: int = 0  # length of the fade-in curve, frames (0 = none)
    fade_out: int = 0  # length of the fade-out curve, frames (0 = none)
    fade_curve: str = "tri"  # curve of the fade-in (an afade curve)
    fade_in_offset: int = 0  # frames of the fade-in curve that lie before this segment
    fade_out_offset: int = 0  # frames of the fade-out curve that lie after this segment
    fade_out_curve: str = "tri"

    def __post_init__(self) -> None:
        for name in ("start", "end", "fade_in", "fade_out", "fade_in_offset", "fade_out_offset"):
            try:
                object.__setattr__(self, name, operator.index(getattr(self, name)))
            except TypeError:
                value = getattr(self, name)
                raise ValueError(f"segment {name} must be an integer frame count, not {value!r}") from None
        object.__setattr__(self, "gain_db", float(self.gain_db))
        if not 0 <= self.start < self.end:
            raise ValueError(f"segment range [{self.start}, {self.end}) is empty or negative")
        if not math.isfinite(self.gain_db):
            raise ValueError(f"segment gain {self.gain_db} dB is not finite")
        for length, offset, curve, what in ((self.fade_in, self.fade_in_offset, self.fade_curve, "fade-in"),
                                             (self.fade_out, self.fade_out_offset, self.fade_out_curve, "fade-out")):
            if curve not in FADE_CURVES:
                raise ValueError(f"unknown {what} curve {curve!r}; one of {', '.join(sorted(FADE_CURVES))}")
            if length < 0 or offset < 0 or (offset >= length and (length or offset)):
                raise ValueError(f"{what} of {length} frames cannot start {offset} frames outside the segment")
        if self.source == "" and (self.start or self.gain_db or self.fade_in or self.fade_out):
            raise ValueError("a silence segment is Segment('', 0, frames): no offset, gain or fades")

    @classmethod
    def silence(cls, frames: int) -> Segment:
        return cls("", 0, frames)

    @property
    def frames(self) -> int:
        return self.end - self.start

    @property
    def is_silence(self) -> bool:
        return self.source == ""


@dataclass(frozen=True)
class Marker:
    frame: int
    label: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "frame", operator.index(self.frame))


def _fade_in_from(s: Segment, m: int) -> tuple[int, int]:
    """(fade_in, fade_in_offset) of the part of ``s`` that starts ``m`` frames in."""
    if s.fade_in and s.fade_in_offset + m < s.fade_in:
        return s.fade_in, s.fade_in_offset + m
    return 0, 0


def _fade_out_until(s: Segment, m: int) -> tuple[int, int]:
    """(fade_out, fade_out_offset) of the part of ``s`` that ends ``m`` frames in.

    A frame ``n`` frames before the curve's end has gain curve(n / fade_out): the curve reaches 1 at
    ``fade_out`` frames, so a part that ends ``fade_out - 1`` or more frames before it is not faded."""
    after = s.fade_out_offset + s.frames - m
    if s.fade_out and after < s.fade_out - 1:
        return s.fade_out, after
    return 0, 0


def _split(s: Segment, m: int) -> tuple[Segment, Segment]:
    """``s`` cut ``m`` frames in (0 < m < s.frames); the two halves sound like ``s``."""
    if s.is_silence:
        return Segment.silence(m), Segment.silence(s.frames - m)
    out_len, out_off = _fade_out_until(s, m)
    in_len, in_off = _fade_in_from(s, m)
    return (replace(s, end=s.start + m, fade_out=out_len, fade_out_offset=out_off),
            replace(s, start=s.start + m, fade_in=in_len, fade_in_offset=in_off))


def _merge(a: Segment, b: Segment) -> Segment | None:
    """One segment that sounds like ``a`` then ``b``, or None if they do not continue each other."""
    if a.is_silence and b.is_silence:
        return Segment.silence(a.frames + b.frames)
    if a.is_silence or a.source != b.source or a.end != b.start or a.gain_db != b.gain_db:
        return None
    if _fade_in_from(a, a.frames) != (b.fade_in, b.fade_in_offset) or (b.fade_in and a.fade_curve != b.fade_curve):
        return None
    if ((a.fade_out, a.fade_out_offset) != _fade_out_until(b, 0)
            or (a.fade_out and a.fade_out_curve != b.fade_out_curve)):
        return None
    return replace(a, end=b.end, fade_out=b.fade_out, fade_out_offset=b.fade_out_offset,
                   fade_out_curve=b.fade_out_curve)


def _concat(*parts: Sequence[Segment]) -> tuple[Segment, ...]:
    """The parts one after the other, merged at the junctions between parts."""
    out: list[Segment] = []
    for part in parts:
        for i, s in enumerate(part):
            merged = _merge(out[-1], s) if i == 0 and out else None
            if merged is None:
                out.append(s)
            else:
                out[-1] = merged
    return tuple(out)


@dataclass(frozen=True)
class EditList:
    rate: int
    channels: int
    segments: tuple[Segment, ...]
    markers: tuple[Marker, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "segments", tuple(self.segments))
        object.__setattr__(self, "markers", tuple(sorted(self.markers, key=lambda m: m.frame)))
        if self.rate <= 0 or self.channels <= 0:
            raise ValueError(f"an edit list needs a positive rate and channel count, "
                             f"not {self.rate} Hz x {self.channels}")
        if self.markers and not 0 <= self.markers[0].frame <= self.markers[-1].frame <= self.frames:
            raise ValueError(f"markers must lie within 0..{self.frames}")

    @classmethod
    def whole(cls, source: str, frames: int, rate: int, channels: int = 1) -> EditList:
        """All of one source, unedited."""
        if not source:
            raise ValueError("a whole-source edit list needs a source")
        return cls(rate, channels, (Segment(source, 0, frames),))

    # -- reading -------------------------------------------------------------------------------

    @cached_property
    def bounds(self) -> tuple[int, ...]:
        """Timeline frame where each segment starts, then the end: len(segments) + 1 values."""
        return (0, *accumulate(s.frames for s in self.segments))

    @property
    def frames(self) -> int:
        return self.bounds[-1]

    def sources(self) -> set[str]:
        return {s.source for s in self.segments if s.source}

    def normalized(self) -> EditList:
        """The normal form: every pair of neighbours that continue each other merged (undoes splits)."""
        return replace(self, segments=_concat(*([s] for s in self.segments)))

    def to_json(self) -> str:
        return json.dumps({"version": 1, "rate": self.rate, "channels": self.channels,
                           "segments": [asdict(s) for s in self.segments],
                           "markers": [asdict(m) for m in self.markers]}, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> EditList:
        try:
            d = json.loads(text)
            if d.get("version") != 1:
                raise ValueError(f"unknown edit list version {d.get('version')!r}")
            return cls(d["rate"], d["channels"], tuple(Segment(**s) for s in d["segments"]),
                       tuple(Marker(**m) for m in d["markers"]))
        except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as e:
            raise ValueError(f"not an edit list: {e}") from e

    # -- helpers -------------------------------------------------------------------------------

    def _check_frame(self, at: int, what: str = "position") -> None:
        if not 0 <= at <= self.frames:
            raise ValueError(f"{what} {at} is outside the timeline 0..{self.frames}")

    def _check_selection(self, a: int, b: int) -> None:
        if not 0 <= a < b <= self.frames:
            raise ValueError(f"selection [{a}, {b}) is empty or outside the timeline 0..{self.frames}")

    def _check_compatible(self, other: EditList) -> None:
        if other.rate != self.rate:
            raise ValueError(f"cannot combine an edit list at {other.rate} Hz with one at {self.rate} Hz")

    def _cut(self, at: int) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
        """The segments before and after timeline frame ``at``, splitting the one across it."""
        i = bisect_right(self.bounds, at) - 1
        segs = self.segments
        if i >= len(segs) or at == self.bounds[i]:
            return segs[:i], segs[i:]
        left, right = _split(segs[i], at - self.bounds[i])
        return (*segs[:i], left), (right, *segs[i + 1:])

    def _between(self, a: int, b: int) -> list[Segment]:
        """The segments of [a, b) (a < b), cut at both ends."""
        i, j = bisect_right(self.bounds, a) - 1, bisect_left(self.bounds, b) - 1
        segs = list(self.segments[i:j + 1])
        if b - self.bounds[j] < segs[-1].frames:
            segs[-1] = _split(segs[-1], b - self.bounds[j])[0]
        if a > self.bounds[i]:
            segs[0] = _split(segs[0], a - self.bounds[i])[1]
        return segs

    def _markers_in(self, a: int, b: int) -> tuple[Marker, ...]:
        return tuple(Marker(m.frame - a, m.label) for m in self.markers if a <= m.frame < b)

    def _splice(self, a: int, b: int, insert: Sequence[Segment] = (),
                insert_markers: Iterable[Marker] = ()) -> EditList:
        """Replace [a, b) by ``insert``: markers in [a, b) go, those after shift, ``insert_markers`` land at ``a``."""
        shift = sum(s.frames for s in insert) - (b - a)
        markers = ([m for m in self.markers if m.frame < a]
                   + [Marker(a + m.frame, m.label) for m in insert_markers]
                   + [Marker(m.frame + shift, m.label) for m in self.markers if m.frame >= b])
        return replace(self, segments=_concat(self._cut(a)[0], insert, self._cut(b)[1]), markers=tuple(markers))

    # -- operations ----------------------------------------------------------------------------

    def trim(self, a: int, b: int) -> EditList:
        """Keep only the selection."""
        self._check_selection(a, b)
        return self._splice(b, self.frames)._splice(0, a)

    def delete(self, a: int, b: int) -> EditList:
        self._check_selection(a, b)
        return self._splice(a, b)

    def copy(self, a: int, b: int) -> EditList:
        """The selection as a clip (an edit list of its own, with its markers)."""
        self._check_selection(a, b)
        return replace(self, segments=tuple(self._between(a, b)), markers=self._markers_in(a, b))

    def cut(self, a: int, b: int) -> tuple[EditList, EditList]:
        """(the list without the selection, the selection as a clip)."""
        return self.delete(a, b), self.copy(a, b)

    def paste(self, at: int, clip: EditList) -> EditList:
        self._check_frame(at)
        self._check_compatible(clip)
        return self._splice(at, at, clip.segments, clip.markers)

    def insert_silence(self, at: int, frames: int) -> EditList:
        self._check_frame(at)
        if frames <= 0:
            raise ValueError(f"cannot insert {frames} frames of silence")
        return self._splice(at, at, (Segment.silence(frames),))

    def split(self, at: int) -> EditList:
        """A segment boundary at ``at`` (no audible change; a no-op on an existing boundary)."""
        self._check_frame(at)
        left, right = self._cut(at)
        return replace(self, segments=left + right)

    def append(self, other: EditList) -> EditList:
        """``other`` (a jingle, a sign-off, another item) after this one."""
        self._check_compatible(other)
        return self._splice(self.frames, self.frames, other.segments, other.markers)

    join = append

    def prepend(self, other: EditList) -> EditList:
        """``other`` (an intro chime) before this one."""
        self._check_compatible(other)
        return self._splice(0, 0, other.segments, other.markers)

    def fade_in(self, frames: int, curve: str = "tri") -> EditList:
        """A fade-in of ``frames`` at the start of the timeline (0 removes it), over as many segments as it needs."""
        return self._fade(frames, curve, out=False)

    def fade_out(self, frames: int, curve: str = "tri") -> EditList:
        """A fade-out of ``frames`` at the end of the timeline (0 removes it)."""
        return self._fade(frames, curve, out=True)

    def _fade(self, frames: int, curve: str, out: bool) -> EditList:
        self._check_frame(frames, "fade length")
        if curve not in FADE_CURVES:
            raise ValueError(f"unknown fade curve {curve!r}; one of {', '.join(sorted(FADE_CURVES))}")
        total = self.frames
        # The first frame after the fade-in; the first frame of the fade-out (the curve is at 1 one
        # frame before, see _fade_out_until).
        edge = total - frames + 1 if out else frames
        segs: list[Segment] = []
        for s, p in zip(self.segments, self.bounds):
            if s.is_silence:
                segs.append(s)
                continue
            if not out and s.fade_in and s.fade_in_offset == p:  # a piece of the current timeline fade-in
                s = replace(s, fade_in=0, fade_in_offset=0, fade_curve="tri")
            if out and s.fade_out and s.fade_out_offset == total - p - s.frames:  # ... of the fade-out
                s = replace(s, fade_out=0, fade_out_offset=0, fade_out_curve="tri")
            # A segment across the edge is cut there: the part outside the new fade keeps its own.
            parts = list(zip((p, edge), _split(s, edge - p))) if p < edge < p + s.frames else [(p, s)]
            for q, part in parts:
                after = total - q - part.frames
                if not out and q < frames:
                    part = replace(part, fade_in=frames, fade_in_offset=q, fade_curve=curve)
                if out and after < frames - 1:
                    part = replace(part, fade_out=frames, fade_out_offset=after, fade_out_curve=curve)
                segs.append(part)
            if len(parts) == 2:
                segs[-2:] = _concat(segs[-2:-1], segs[-1:])
        return replace(self, segments=tuple(segs))

    def gain(self, a: int, b: int, db: float) -> EditList:
        """Add ``db`` to the gain of the selection (silence stays silence)."""
        self._check_selection(a, b)
        if not math.isfinite(db):
            raise ValueError(f"gain {db} dB is not finite")
        inside = [s if s.is_silence else replace(s, gain_db=round(s.gain_db + db, 6)) for s in self._between(a, b)]
        return self._splice(a, b, _concat(*([s] for s in inside)), self._markers_in(a, b))

    def add_marker(self, frame: int, label: str = "") -> EditList:
        self._check_frame(frame, "marker")
        return replace(self, markers=(*self.markers, Marker(frame, label)))

    def remove_marker(self, marker: Marker) -> EditList:
        if marker not in self.markers:
            raise ValueError(f"no marker {marker.label!r} at frame {marker.frame}")
        i = self.markers.index(marker)
        return replace(self, markers=self.markers[:i] + self.markers[i + 1:])


def trim_silence(levels_db: Sequence[float], block: int, threshold_db: float, frames: int) -> tuple[int, int]:
    """The (start, end) to keep when trimming silence at the ends of a timeline of ``frames``.

    ``levels_db`` are RMS levels of consecutive blocks of ``block`` frames (the last may be short), as
    ``console.audio.peaks.rms_blocks`` gives. Blocks above ``threshold_db`` are kept whole. If no block
    is above the threshold, nothing is trimmed: (0, frames).
    """
    loud = [i for i, level in enumerate(levels_db) if level > threshold_db]
    if not loud:
        return 0, frames
    return loud[0] * block, min(frames, (loud[-1] + 1) * block)


def normalize_gain(measured_lufs: float, target_lufs: float, measured_tp: float, true_peak: float) -> float:
    """The static gain (dB) that loudness normalisation applies before its true-peak limiter.

    Normally ``target_lufs - measured_lufs``; the limiter then takes ``measured_tp + gain - true_peak``
    off the peaks where that is positive. The gain is capped so that the limiter never takes off more
    than ``MAX_LIMITING_DB`` (sustained peaks squashed that far distort audibly): such an item comes out
    quieter than the target, and the editor can show that before rendering.
    """
    if not (math.isfinite(measured_lufs) and math.isfinite(measured_tp)):
        raise ValueError("cannot normalise silence (no measurable loudness)")
    return min(target_lufs - measured_lufs, true_peak + MAX_LIMITING_DB - measured_tp)
