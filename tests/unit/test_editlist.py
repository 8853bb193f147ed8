"""The edit list: operations, round trips, markers, and random sequences against a per-frame model.

The model (``Model``) is the timeline as a plain list with one entry per frame: where the frame
comes from, its gain, and where it sits in a fade-in and a fade-out curve. Every operation is done
on that list directly, frame by frame. An edit list "renders" to the same list by expanding its
segments (``frames_of``), so a random sequence of operations applied to both must give equal lists,
equal markers and equal rejections.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field, replace

import pytest

from console.core.editlist import (
    MAX_LIMITING_DB,
    EditList,
    Marker,
    Segment,
    normalize_gain,
    trim_silence,
)

A, B, C = "a" * 64, "b" * 64, "c" * 64
RATE = 48000


# -- expanding an edit list to frames ----------------------------------------------------------------

@dataclass(frozen=True)
class Frame:
    source: str
    index: int  # frame of the source (0 for silence)
    gain_db: float = 0.0
    fade_in: tuple[int, int, str] | None = None  # (curve length, position in it, curve)
    fade_out: tuple[int, int, str] | None = None  # (curve length, frames to the curve's end, curve)


SILENT = Frame("", 0)


def frames_of(el: EditList) -> list[Frame]:
    out = []
    for s in el.segments:
        for t in range(s.frames):
            if s.is_silence:
                out.append(SILENT)
                continue
            fin = (s.fade_in, s.fade_in_offset + t, s.fade_curve) if s.fade_in_offset + t < s.fade_in else None
            rest = s.frames + s.fade_out_offset - t
            fout = (s.fade_out, rest, s.fade_out_curve) if rest < s.fade_out else None
            out.append(Frame(s.source, s.start + t, s.gain_db, fin, fout))
    return out


CURVES = {  # ffmpeg's afade curves (libavfilter/af_afade.c), a few of them
    "tri": lambda x: x,
    "qsin": lambda x: math.sin(x * math.pi / 2),
    "hsin": lambda x: (1 - math.cos(x * math.pi)) / 2,
    "exp": lambda x: math.exp(-11.512925464970227 * (1 - x)),
    "log": lambda x: min(1.0, max(0.0, 1 + 0.2 * math.log10(x))) if x > 0 else 0.0,
}


def sample(f: Frame, sources: dict[str, list[float]]) -> float:
    if not f.source:
        return 0.0
    value = sources[f.source][f.index] * 10 ** (f.gain_db / 20)
    if f.fade_in:
        n, pos, curve = f.fade_in
        value *= CURVES[curve](pos / n)
    if f.fade_out:
        n, rest, curve = f.fade_out
        value *= CURVES[curve](rest / n)
    return value


def audio(el: EditList, sources: dict[str, list[float]]) -> list[float]:
    return [sample(f, sources) for f in frames_of(el)]


# -- the per-frame model ------------------------------------------------------------------------------

@dataclass
class Model:
    frames: list[Frame]
    markers: list[tuple[int, str]] = field(default_factory=list)

    @classmethod
    def whole(cls, source: str, n: int) -> Model:
        return cls([Frame(source, i) for i in range(n)])

    def _selection(self, a, b):
        if not 0 <= a < b <= len(self.frames):
            raise ValueError

    def _position(self, at):
        if not 0 <= at <= len(self.frames):
            raise ValueError

    def _replace(self, a, b, frames, markers=()):
        shift = len(frames) - (b - a)
        self.markers = ([m for m in self.markers if m[0] < a] + [(a + f, label) for f, label in markers]
                        + [(f + shift, label) for f, label in self.markers if f >= b])
        self.frames[a:b] = frames

    def copy(self, a, b):
        self._selection(a, b)
        return Model(self.frames[a:b], [(f - a, label) for f, label in self.markers if a <= f < b])

    def delete(self, a, b):
        self._selection(a, b)
        self._replace(a, b, [])

    def trim(self, a, b):
        self._selection(a, b)
        self._replace(b, len(self.frames), [])
        self._replace(0, a, [])

    def paste(self, at, clip):
        self._position(at)
        self._replace(at, at, clip.frames, clip.markers)

    def insert_silence(self, at, n):
        self._position(at)
        if n <= 0:
            raise ValueError
        self._replace(at, at, [SILENT] * n)

    def split(self, at):
        self._position(at)

    def append(self, other):
        self._replace(len(self.frames), len(self.frames), other.frames, other.markers)

    def prepend(self, other):
        self._replace(0, 0, other.frames, other.markers)

    def gain(self, a, b, db):
        self._selection(a, b)
        self.frames[a:b] = [f if not f.source else replace(f, gain_db=round(f.gain_db + db, 6))
                            for f in self.frames[a:b]]

    def fade_in(self, n, curve):
        self._position(n)
        for t, f in enumerate(self.frames):
            if not f.source:
                continue
            if f.fade_in and t - f.fade_in[1] == 0:  # part of the timeline's fade-in: replaced
                f = replace(f, fade_in=None)
            if t < n:
                f = replace(f, fade_in=(n, t, curve))
            self.frames[t] = f

    def fade_out(self, n, curve):
        self._position(n)
        total = len(self.frames)
        for t, f in enumerate(self.frames):
            if not f.source:
                continue
            if f.fade_out and t + f.fade_out[1] == total:
                f = replace(f, fade_out=None)
            if total - t < n:  # (at n frames from the end the curve is at 1: no fade)
                f = replace(f, fade_out=(n, total - t, curve))
            self.frames[t] = f

    def add_marker(self, frame, label):
        self._position(frame)
        self.markers = sorted([*self.markers, (frame, label)], key=lambda m: m[0])


def markers_of(el: EditList) -> list[tuple[int, str]]:
    return [(m.frame, m.label) for m in el.markers]


def mergeable_neighbours(el: EditList) -> bool:
    return el.normalized().segments != el.segments


# -- single operations ------------------------------------------------------------------------------

def base() -> EditList:
    return EditList.whole(A, 1000, RATE)


def test_whole_and_frames():
    el = base()
    assert el.frames == 1000 and el.sources() == {A} and el.bounds == (0, 1000)
    assert EditList(RATE, 1, ()).frames == 0
    assert frames_of(el) == Model.whole(A, 1000).frames


def test_trim_delete_copy_cut():
    el = base()
    assert el.trim(100, 300).segments == (Segment(A, 100, 300),)
    assert el.delete(100, 300).segments == (Segment(A, 0, 100), Segment(A, 300, 1000))
    assert el.copy(100, 300).segments == (Segment(A, 100, 300),)
    rest, clip = el.cut(100, 300)
    assert rest == el.delete(100, 300) and clip == el.copy(100, 300)
    assert el.delete(0, 1000).frames == 0


def test_paste_insert_silence_split_append_prepend():
    el = base()
    jingle = EditList.whole(B, 50, RATE)
    assert el.paste(10, jingle).segments == (Segment(A, 0, 10), Segment(B, 0, 50), Segment(A, 10, 1000))
    assert el.insert_silence(0, 48).segments == (Segment("", 0, 48), Segment(A, 0, 1000))
    assert el.split(400).segments == (Segment(A, 0, 400), Segment(A, 400, 1000))
    assert el.split(0) == el.split(1000) == el
    assert el.append(jingle).segments == (Segment(A, 0, 1000), Segment(B, 0, 50))
    assert el.prepend(jingle).segments == (Segment(B, 0, 50), Segment(A, 0, 1000))
    assert el.join(jingle) == el.append(jingle)


def test_gain_touches_only_the_selection_and_not_silence():
    el = base().insert_silence(500, 100).gain(400, 700, -6)
    assert [(s.source, s.start, s.end, s.gain_db) for s in el.segments] == [
        (A, 0, 400, 0.0), (A, 400, 500, -6.0), ("", 0, 100, 0.0), (A, 500, 600, -6.0), (A, 600, 1000, 0.0)]
    assert el.gain(400, 700, 6).normalized() == base().insert_silence(500, 100)


def test_fades_span_segments_and_replace_each_other():
    el = EditList.whole(A, 100, RATE).append(EditList.whole(B, 100, RATE))
    faded = el.fade_in(150, "qsin").fade_out(120)
    first, second = faded.segments
    assert (first.fade_in, first.fade_in_offset, first.fade_curve) == (150, 0, "qsin")
    assert (second.fade_in, second.fade_in_offset) == (150, 100)
    assert (first.fade_out, first.fade_out_offset) == (120, 100)
    assert (second.fade_out, second.fade_out_offset) == (120, 0)
    shorter = faded.fade_in(50)
    assert shorter.segments[0].fade_in == 50 and shorter.segments[1].fade_in == 0
    assert faded.fade_in(0).fade_out(0) == el


def test_fade_gain_follows_ffmpegs_afade():
    el = EditList.whole(A, 10, RATE).fade_in(4).fade_out(5)
    src = {A: [1.0] * 10}
    assert audio(el, src) == pytest.approx([0, 0.25, 0.5, 0.75, 1, 1, 0.8, 0.6, 0.4, 0.2])


def test_markers_follow_edits():
    el = base().add_marker(100, "intro").add_marker(500, "news").add_marker(900, "weather")
    assert markers_of(el.delete(400, 600)) == [(100, "intro"), (700, "weather")]
    assert markers_of(el.insert_silence(200, 50)) == [(100, "intro"), (550, "news"), (950, "weather")]
    assert markers_of(el.copy(450, 950)) == [(50, "news"), (450, "weather")]
    assert markers_of(el.trim(450, 950)) == [(50, "news"), (450, "weather")]
    assert markers_of(el.gain(0, 1000, 3).split(300)) == markers_of(el)
    assert markers_of(el.remove_marker(Marker(500, "news"))) == [(100, "intro"), (900, "weather")]
    assert markers_of(base().add_marker(1000, "end").prepend(base().add_marker(0, "start"))) == [
        (0, "start"), (2000, "end")]


@pytest.mark.parametrize("op", [
    lambda el: el.trim(5, 5), lambda el: el.delete(-1, 10), lambda el: el.copy(0, 1001),
    lambda el: el.cut(600, 500), lambda el: el.paste(1001, base()), lambda el: el.insert_silence(10, 0),
    lambda el: el.split(-1), lambda el: el.fade_in(1001), lambda el: el.fade_out(10, "bogus"),
    lambda el: el.gain(0, 10, math.inf), lambda el: el.add_marker(1001),
    lambda el: el.remove_marker(Marker(3)), lambda el: el.append(EditList.whole(B, 10, 44100)),
])
def test_out_of_range_is_a_clear_value_error(op):
    with pytest.raises(ValueError):
        op(base())


def test_invalid_segments_are_refused():
    for bad in ({"start": 5, "end": 5}, {"start": -1, "end": 3}, {"start": 0.5, "end": 3},
                {"start": 0, "end": 3, "fade_in": 2, "fade_in_offset": 2}, {"start": 0, "end": 3, "fade_curve": "nope"},
                {"start": 0, "end": 3, "gain_db": math.nan}):
        with pytest.raises(ValueError):
            Segment(A, **bad)
    with pytest.raises(ValueError):
        Segment("", 0, 10, gain_db=3)
    with pytest.raises(ValueError):
        EditList(RATE, 1, (Segment(A, 0, 10),), (Marker(11),))


# -- round trips --------------------------------------------------------------------------------------

def test_json_round_trip_and_bad_json():
    el = (base().split(300).insert_silence(10, 20).paste(600, EditList.whole(B, 80, RATE)).gain(50, 700, -3.5)
          .fade_in(400, "esin").fade_out(90, "log").add_marker(42, "tin tức"))
    assert EditList.from_json(el.to_json()) == el
    for text in ("", "[]", '{"version": 2}', '{"version": 1, "rate": 48000}',
                 '{"version": 1, "rate": 48000, "channels": 1, "segments": [{"source": "x"}], "markers": []}'):
        with pytest.raises(ValueError):
            EditList.from_json(text)


def test_cut_then_paste_at_the_same_place_is_the_original():
    el = base().paste(300, EditList.whole(B, 200, RATE)).gain(100, 250, 2).fade_in(150).normalized()
    for a, b in ((0, 50), (120, 400), (299, 301), (450, el.frames), (0, el.frames)):
        rest, clip = el.cut(a, b)
        assert rest.paste(a, clip) == el


def test_split_is_inaudible_and_merging_undoes_it():
    el = base().fade_in(300).fade_out(200, "hsin").gain(0, 1000, -2)
    src = {A: [math.sin(i / 7) for i in range(1000)]}
    for at in (1, 150, 299, 300, 500, 850, 999):
        split = el.split(at)
        assert len(split.segments) == 2 and audio(split, src) == audio(el, src)
        assert split.normalized() == el
    assert el.split(100).split(700).split(400).normalized() == el


def test_insert_silence_then_delete_is_the_original():
    el = base().add_marker(500, "m")
    for at in (0, 500, 1000):
        assert el.insert_silence(at, 77).delete(at, at + 77) == el


# -- random sequences against the model ---------------------------------------------------------------

def random_step(rng: random.Random, el: EditList, model: Model, library: dict[str, EditList]):
    """One random operation (sometimes out of range) on both; returns the new edit list."""
    n = el.frames
    def pos(): return rng.randint(-2, n + 2) if rng.random() < 0.1 else rng.randint(0, n)
    def sel():
        a, b = sorted((pos(), pos()))
        return (a, b + (rng.random() < 0.9 and b < n)) if rng.random() < 0.95 else (b, a)
    other = rng.choice(list(library))
    op = rng.choice(["trim", "delete", "cut_paste", "paste", "insert_silence", "split", "append", "prepend",
                     "gain", "fade_in", "fade_out", "marker"])
    curve = rng.choice(list(CURVES))
    if op in ("trim", "delete", "gain"):
        a, b = sel()
        db = rng.choice([-6.0, -1.5, 0.25, 3.0])
        args = (a, b, db) if op == "gain" else (a, b)
        return apply_both(el, model, op, args)
    if op == "cut_paste":
        a, b = sel()
        try:
            rest, clip = el.cut(a, b)
        except ValueError:
            with pytest.raises(ValueError):
                model.copy(a, b)
            return el
        mclip = model.copy(a, b)
        model.delete(a, b)
        at = rng.randint(0, rest.frames)
        model.paste(at, mclip)
        return rest.paste(at, clip)
    if op == "paste":
        src, at = library[other], pos()
        return apply_both(el, model, "paste", (at, src), (at, Model(frames_of(src), markers_of(src))))
    if op == "insert_silence":
        return apply_both(el, model, op, (pos(), rng.randint(-1, 9)))
    if op == "split":
        return apply_both(el, model, op, (pos(),))
    if op in ("append", "prepend"):
        src = library[other]
        return apply_both(el, model, op, (src,), (Model(frames_of(src), markers_of(src)),))
    if op in ("fade_in", "fade_out"):
        return apply_both(el, model, op, (rng.randint(0, n + 1), curve))
    return apply_both(el, model, "add_marker", (pos(), rng.choice(["x", "y", ""])))


def apply_both(el, model, op, args, model_args=None):
    try:
        result = getattr(el, op)(*args)
    except ValueError:
        with pytest.raises(ValueError):
            getattr(model, op)(*(model_args or args))
        return el
    getattr(model, op)(*(model_args or args))
    return result


@pytest.mark.parametrize("seed", range(40))
def test_random_edits_match_the_per_frame_model(seed):
    rng = random.Random(seed)
    library = {A: EditList.whole(A, rng.randint(5, 40), RATE),
               B: EditList.whole(B, rng.randint(1, 12), RATE).add_marker(0, "jingle"),
               C: EditList.whole(C, 20, RATE).fade_out(7, "exp")}
    sources = {k: [rng.uniform(-1, 1) for _ in range(40)] for k in library}
    el = library[A]
    model = Model(frames_of(el))
    for _ in range(30):
        el = random_step(rng, el, model, library)
        assert frames_of(el) == model.frames
        assert markers_of(el) == model.markers
        assert el.frames == sum(s.frames for s in el.segments) == len(model.frames)
        assert EditList.from_json(el.to_json()) == el
        normal = el.normalized()
        assert frames_of(normal) == model.frames and not mergeable_neighbours(normal)
        assert audio(normal, sources) == audio(el, sources)


# -- helpers for the editor --------------------------------------------------------------------------

def test_trim_silence_keeps_the_blocks_above_the_threshold():
    levels = [-90, -80, -30, -20, -75, -25, -90, -90]
    assert trim_silence(levels, 100, -60, 790) == (200, 600)
    assert trim_silence([-10, -90], 100, -60, 150) == (0, 100)
    assert trim_silence([-90, -10], 100, -60, 150) == (100, 150)  # the last block is short
    assert trim_silence([-90] * 3, 100, -60, 300) == (0, 300)  # all silent: nothing trimmed


def test_normalize_gain_reaches_the_target_within_the_limiting_cap():
    assert normalize_gain(-23.0, -16.0, -6.0, -1.0) == 7.0
    assert normalize_gain(-12.0, -16.0, -0.5, -1.0) == -4.0
    # a recording whose true peak sits 30 dB over its loudness: the limiter may take MAX_LIMITING_DB at most
    assert normalize_gain(-30.0, -16.0, 0.0, -1.0) == -1.0 + MAX_LIMITING_DB
    with pytest.raises(ValueError):
        normalize_gain(-math.inf, -16.0, -math.inf, -1.0)
