"""ffmpeg: finding the binaries, probing a file (duration, streams, tags), decoding it to float32.

The binaries are found in this order (see docs/audio.md):

1. ``TT_FFMPEG`` / ``TT_FFPROBE`` in the environment (paths to the executables);
2. ``ffmpeg`` / ``ffprobe`` on ``PATH`` (a system ffmpeg);
3. the ffmpeg shipped in the ``imageio-ffmpeg`` wheel (ffmpeg only).

That wheel has no ffprobe, and neither do some others, so nothing here needs it: without one,
:func:`probe` reads ffmpeg's own description of the input (``ffmpeg -i FILE``). pydub is not used
to read files at all; :func:`decode` pipes raw float32 samples out of ffmpeg.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import numpy as np

PROBE_TIMEOUT_S = 120
DECODE_GUESS_MS = 10 * 60 * 1000  # room decode() makes at first for a file that announces no duration


class FfmpegNotFound(RuntimeError):
    """No usable ffmpeg on this machine; the message says how to provide one."""


class AudioError(Exception):
    """A file that cannot be used as audio: ``str()`` is one line naming the file and the reason."""

    def __init__(self, file: str | os.PathLike, reason: str) -> None:
        self.file = str(file)
        self.reason = reason
        super().__init__(f"{self.file}: {reason}")


@dataclass(frozen=True)
class Tools:
    ffmpeg: str
    ffprobe: str | None  # None: probe with ffmpeg alone


def _executable(path: str, variable: str) -> str:
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise FfmpegNotFound(f"{variable} is set to {path}, which is not an executable file")
    return path


def find_tools() -> Tools:
    """The ffmpeg (and ffprobe, if any) to use, in the documented order of precedence."""
    ffmpeg = os.environ.get("TT_FFMPEG")
    if ffmpeg:
        ffmpeg = _executable(ffmpeg, "TT_FFMPEG")
    else:
        ffmpeg = shutil.which("ffmpeg")
    if not ffmpeg:
        try:
            import imageio_ffmpeg

            ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
        except (ImportError, RuntimeError):
            raise FfmpegNotFound(
                "ffmpeg was not found: install ffmpeg, or the imageio-ffmpeg package, "
                "or set TT_FFMPEG to the path of an ffmpeg executable") from None
    ffprobe = os.environ.get("TT_FFPROBE")
    ffprobe = _executable(ffprobe, "TT_FFPROBE") if ffprobe else shutil.which("ffprobe")
    return Tools(ffmpeg, ffprobe)


# -- probing ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Probe:
    """What a file holds, before decoding it."""

    duration_ms: int | None  # None when the container does not say
    sample_rate: int | None  # of the first audio stream
    channels: int | None
    codec: str | None  # of the first audio stream, e.g. "mp3", "aac", "opus"
    has_audio: bool
    has_video: bool  # a real video stream; cover art does not count
    format: str  # ffmpeg's container name, e.g. "mp3", "mov,mp4,m4a,3gp,3g2,mj2"
    tags: Mapping[str, str] = field(default_factory=dict)  # lower-case keys: container, then audio stream
    duration_estimated: bool = False  # ffmpeg guessed the duration from the bit rate


# Leading bytes of media containers (offset, bytes). A file ffmpeg cannot open is "corrupt" if it
# starts like one of these, and "not an audio file" otherwise.
_MAGIC = (
    (0, b"ID3"), (0, b"RIFF"), (0, b"RF64"), (0, b"FORM"), (0, b"fLaC"), (0, b"OggS"), (0, b"#!AMR"),
    (0, b"caff"), (0, b".snd"), (0, b"MAC "), (0, b"wvpk"), (0, b"FLV"), (0, b"\x1a\x45\xdf\xa3"),
    (0, b"\x30\x26\xb2\x75\x8e\x66\xcf\x11"), (0, b"\x00\x00\x01\xba"),
    (4, b"ftyp"), (4, b"moov"), (4, b"mdat"), (4, b"free"), (4, b"wide"), (4, b"skip"),
)


def looks_like_media(path: str | os.PathLike) -> bool:
    """True if the file starts like an audio/video container or an MPEG audio stream."""
    with open(path, "rb") as f:
        head = f.read(16)
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:  # MPEG audio / ADTS frame sync
        return True
    return any(head[offset:offset + len(magic)] == magic for offset, magic in _MAGIC)


_LOG_PREFIX = re.compile(r"^(\[[^\]]+ @ (0x)?[0-9a-fA-F]+\] )+")


def input_arg(path: str | os.PathLike) -> str:
    """``path`` as an ffmpeg input: with the ``file:`` protocol, so that a name with a colon
    ("tin:30.mp3") is not taken for a protocol."""
    return "file:" + os.fspath(path)


def ffmpeg_reasons(stderr: str, path: str | os.PathLike | None = None) -> list[str]:
    """ffmpeg's diagnostics as distinct short lines, without "[mp3 @ 0x...]" or file-name prefixes."""
    reasons: list[str] = []
    for line in stderr.splitlines():
        line = _LOG_PREFIX.sub("", line.strip())
        if path is not None:
            for prefix in (f"{input_arg(path)}: ", f"{os.fspath(path)}: "):
                line = line.removeprefix(prefix)
        if line and line not in reasons:
            reasons.append(line)
    return reasons


def _check_file(path: Path) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise AudioError(path, "file not found") from None
    except OSError as exc:
        raise AudioError(path, f"cannot read the file ({exc.strerror or exc})") from None
    if not path.is_file():
        raise AudioError(path, "not a file")
    if size == 0:
        raise AudioError(path, "file is empty (0 bytes)")


def _unreadable(path: Path, stderr: str) -> AudioError:
    if not looks_like_media(path):
        return AudioError(path, "not an audio file")
    reasons = [r for r in ffmpeg_reasons(stderr, path) if "misdetection possible" not in r]
    return AudioError(path, "truncated or corrupt: " + ("; ".join(reasons[:2]) or "ffmpeg cannot open it"))


def probe(path: str | os.PathLike) -> Probe:
    """Describe ``path``: duration, first audio stream, video, container, tags.

    Raises :class:`AudioError` for a missing, empty, non-media or unreadable file (a file with no
    audio track probes fine: ``has_audio`` is False).
    """
    path = Path(path)
    _check_file(path)
    tools = find_tools()
    if tools.ffprobe:
        return _probe_ffprobe(tools.ffprobe, path)
    return _probe_ffmpeg(tools.ffmpeg, path)


def _run(cmd: list[str], path: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=PROBE_TIMEOUT_S,
                              check=False)
    except subprocess.TimeoutExpired:
        raise AudioError(path, f"ffmpeg could not read it within {PROBE_TIMEOUT_S} s") from None


def _probe_ffprobe(ffprobe: str, path: Path) -> Probe:
    proc = _run([ffprobe, "-hide_banner", "-v", "warning", "-print_format", "json",
                 "-show_format", "-show_streams", input_arg(path)], path)
    stderr = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        raise _unreadable(path, stderr)
    info = json.loads(proc.stdout.decode("utf-8", "replace"))
    fmt = info.get("format", {})
    streams = info.get("streams", [])
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    video = any(s.get("codec_type") == "video" and not s.get("disposition", {}).get("attached_pic")
                for s in streams)
    duration = fmt.get("duration") or (audio or {}).get("duration")
    tags = {k.lower(): v for k, v in (audio or {}).get("tags", {}).items()}
    tags.update({k.lower(): v for k, v in fmt.get("tags", {}).items()})
    return Probe(
        duration_ms=round(float(duration) * 1000) if duration not in (None, "N/A") else None,
        sample_rate=int(audio["sample_rate"]) if audio and audio.get("sample_rate") else None,
        channels=int(audio["channels"]) if audio and audio.get("channels") else None,
        codec=audio.get("codec_name") if audio else None,
        has_audio=audio is not None,
        has_video=video,
        format=fmt.get("format_name", ""),
        tags=tags,
        duration_estimated="Estimating duration from bitrate" in stderr,
    )


_INPUT = re.compile(r"^Input #0, (.+), from '")
_DURATION = re.compile(r"^\s+Duration: (?:(\d+):(\d\d):(\d\d(?:\.\d+)?)|N/A)")
_STREAM = re.compile(r"^\s+Stream #0:\d+\S*: (Audio|Video|Data|Subtitle|Attachment): (.*)$")
_META = re.compile(r"^\s*([^:]*?)\s*: (.*)$")
_LAYOUTS = {"mono": 1, "stereo": 2, "downmix": 2, "quad": 4, "hexagonal": 6, "octagonal": 8,
            "hexadecagonal": 16}


def _channels(layout: str) -> int | None:
    layout = layout.strip()
    name = layout.split("(")[0]
    if name in _LAYOUTS:
        return _LAYOUTS[name]
    if m := re.fullmatch(r"(\d+) channels", layout):
        return int(m[1])
    if m := re.fullmatch(r"(\d+)\.(\d+)", name):
        return int(m[1]) + int(m[2])
    return None


def _probe_ffmpeg(ffmpeg: str, path: Path) -> Probe:
    """Probe from ``ffmpeg -i FILE`` (which exits non-zero: it was given no output)."""
    proc = _run([ffmpeg, "-nostdin", "-hide_banner", "-i", input_arg(path)], path)
    stderr = proc.stderr.decode("utf-8", "replace")
    lines = stderr.splitlines()
    start = next((i for i, line in enumerate(lines) if _INPUT.match(line)), None)
    if start is None:
        raise _unreadable(path, stderr)
    fmt = _INPUT.match(lines[start])[1]
    duration_ms = sample_rate = channels = codec = None
    has_audio = has_video = False
    format_tags: dict[str, str] = {}
    audio_tags: dict[str, str] = {}
    target: dict[str, str] | None = format_tags  # where the next Metadata block belongs
    meta_indent: int | None = None  # indentation of the "Metadata:" line of the open block
    last_key = None
    for line in lines[start + 1:]:
        indent = len(line) - len(line.lstrip())
        if meta_indent is not None and indent > meta_indent:
            if target is not None and (m := _META.match(line)):
                key = m[1].lower()
                if key:  # "key : value"
                    last_key = key
                    target.setdefault(key, m[2])
                elif last_key:  # ": more" continues a multi-line value
                    target[last_key] += "\n" + m[2]
            continue
        meta_indent = None
        if line.strip() == "Metadata:":
            meta_indent = indent
            last_key = None
        elif m := _DURATION.match(line):
            if m[1] is not None:
                duration_ms = round((int(m[1]) * 3600 + int(m[2]) * 60 + float(m[3])) * 1000)
            target = None
        elif m := _STREAM.match(line):
            kind, desc = m[1], m[2]
            target = None
            if kind == "Audio" and not has_audio:
                has_audio = True
                target = audio_tags
                codec = desc.split(",")[0].split()[0]
                parts = [p.strip() for p in re.split(r",(?![^(]*\))", desc)]
                for i, part in enumerate(parts):
                    if rate := re.fullmatch(r"(\d+) Hz", part):
                        sample_rate = int(rate[1])
                        if i + 1 < len(parts):
                            channels = _channels(parts[i + 1])
            elif kind == "Video" and "(attached pic)" not in desc:
                has_video = True
        elif not line.startswith(" "):  # the end of the input's description
            break
    tags = {**audio_tags, **format_tags}
    return Probe(duration_ms, sample_rate, channels, codec, has_audio, has_video, fmt, tags,
                 "Estimating duration from bitrate" in stderr)


# -- decoding --------------------------------------------------------------------------------------


def _read_into(stream, view: memoryview) -> int:
    """Fill ``view`` from ``stream``; fewer bytes only at the end of the stream."""
    filled = 0
    while filled < len(view):
        n = stream.readinto(view[filled:])
        if not n:
            break
        filled += n
    return filled


@contextmanager
def _pcm(path: Path, rate: int, channels: int) -> Iterator[IO[bytes]]:
    """ffmpeg decoding the first audio track of ``path`` to raw float32 (native order) on the pipe
    yielded. On leaving, ffmpeg is killed if it still runs; once the body has read the stream to its
    end, a decoding error (ffmpeg's exit status or any error it reports) raises :class:`AudioError`.
    ffmpeg's diagnostics go to a temporary file, so a chatty ffmpeg can never block on a full pipe."""
    cmd = [find_tools().ffmpeg, "-nostdin", "-hide_banner", "-v", "error", "-i", input_arg(path),
           "-map", "0:a:0", "-vn", "-sn", "-dn", "-ac", str(channels), "-ar", str(rate), "-f", "f32le", "-"]
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors)
        try:
            yield proc.stdout
            proc.wait()
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()
        errors.seek(0)
        reasons = ffmpeg_reasons(errors.read().decode("utf-8", "replace"), path)
    if proc.returncode != 0 or reasons:
        raise AudioError(path, "truncated or corrupt: " + ("; ".join(reasons[:2])
                                                           or f"ffmpeg exited with status {proc.returncode}"))


def decode_chunks(path: str | os.PathLike, rate: int = 48000, channels: int = 1,
                  chunk_frames: int | None = None) -> Iterator[np.ndarray]:
    """The first audio track of ``path`` as float32 chunks of ``chunk_frames`` frames (1 s by
    default; the last one shorter), shape ``(n,)`` for mono, ``(n, channels)`` otherwise.

    Memory stays at one chunk whatever the file's length. Closing the generator early stops
    ffmpeg. A decoding error (ffmpeg's exit status or any error it reports) raises
    :class:`AudioError` ("truncated or corrupt: ...") once the stream has ended.
    """
    path = Path(path)
    _check_file(path)
    chunk_frames = chunk_frames or rate
    with _pcm(path, rate, channels) as stream:
        while True:
            buf = np.empty(chunk_frames * channels, np.float32)
            got = _read_into(stream, memoryview(buf).cast("B"))
            frames = got // (4 * channels)
            if frames:
                chunk = buf[:frames * channels]
                yield chunk if channels == 1 else chunk.reshape(frames, channels)
            if got < buf.nbytes:
                break


def decode(path: str | os.PathLike, rate: int = 48000, channels: int = 1) -> np.ndarray:
    """The whole first audio track as one float32 array, shape ``(n,)`` for mono, ``(n, channels)``
    otherwise (errors as :func:`decode_chunks`).

    ffmpeg's output is read straight into the result, which is allocated once for the probed
    duration (and a margin; pages not written are never touched), grown by ``realloc`` if the stream
    turns out longer (large blocks are remapped by the kernel, not copied), and cut to size at the
    end: the samples are held once.
    """
    path = Path(path)
    announced = probe(path).duration_ms  # (checks the file too)
    frames = (announced or DECODE_GUESS_MS) * rate // 1000
    out = np.empty((frames + frames // 50 + rate) * channels, np.float32)  # 2 % and 1 s to spare
    filled = 0  # bytes
    with _pcm(path, rate, channels) as stream:
        while True:
            with memoryview(out) as whole, whole.cast("B") as view:
                filled += _read_into(stream, view[filled:])
            if filled < out.nbytes:
                break
            out.resize(len(out) + len(out) // 2, refcheck=False)
    frames = filled // (4 * channels)
    out.resize((frames,) if channels == 1 else (frames, channels), refcheck=False)
    return out


def format_duration(ms: int) -> str:
    """``H:MM:SS`` for messages, e.g. 43380000 -> "12:03:00"."""
    seconds = ms // 1000
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
