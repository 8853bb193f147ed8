"""Crash-safe recording files: a PCM16 WAV written incrementally, plus a small JSON journal beside it.

The recorder's writer thread appends audio to the WAV, and about once a second patches the header's
sizes, flushes and fsyncs (:meth:`WavWriter.sync`), so after a crash or power cut at most about a
second is lost. The journal (``rec-....json`` next to ``rec-....wav``) says who recorded from which
device and when, and whether the recording finished. At the next start, :func:`find_unfinished`
lists recordings whose journal never reached ``finished``; :func:`recover` rewrites the WAV header
from the file's length and returns the repaired WAV for import; :func:`discard` deletes one.

Pure Python and no Qt: usable from the CLI and unit tests.
"""

from __future__ import annotations

import json
import os
import struct
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

HEADER_BYTES = 44  # RIFF + fmt (16 bytes of PCM format) + data chunk header
SAMPLE_BYTES = 2  # PCM16

# Journal states. "recording" and "paused" mean the recording never finished cleanly.
RECORDING, PAUSED, FINISHED, RECOVERED = "recording", "paused", "finished", "recovered"
_UNFINISHED = (RECORDING, PAUSED)


def _header(rate: int, channels: int, data_bytes: int) -> bytes:
    block = channels * SAMPLE_BYTES
    return (b"RIFF" + struct.pack("<I", 36 + data_bytes) + b"WAVE"
            + b"fmt " + struct.pack("<IHHIIHH", 16, 1, channels, rate, rate * block, block, 8 * SAMPLE_BYTES)
            + b"data" + struct.pack("<I", data_bytes))


def _fsync_dir(path: Path) -> None:
    """Make a new or renamed directory entry durable (POSIX; a no-op where directories cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class WavWriter:
    """A PCM16 WAV file that is valid up to its last :meth:`sync`; create it with :meth:`create`."""

    def __init__(self, path: Path, rate: int, channels: int, file) -> None:
        self.path = path
        self.rate = rate
        self.channels = channels
        self.data_bytes = 0
        self._file = file

    @classmethod
    def create(cls, path: Path, rate: int, channels: int = 1) -> WavWriter:
        """A new file (never overwrites one) whose header is already on disk."""
        file = open(path, "xb")  # noqa: SIM115 - closed by close()
        file.write(_header(rate, channels, 0))
        file.flush()
        os.fsync(file.fileno())
        _fsync_dir(path.parent)
        return cls(path, rate, channels, file)

    @property
    def frames(self) -> int:
        return self.data_bytes // (self.channels * SAMPLE_BYTES)

    def write(self, pcm: bytes) -> None:
        self._file.write(pcm)
        self.data_bytes += len(pcm)

    def sync(self) -> None:
        """Patch the header's sizes, flush and fsync: everything written so far survives a power cut."""
        f = self._file
        f.seek(4)
        f.write(struct.pack("<I", 36 + self.data_bytes))
        f.seek(40)
        f.write(struct.pack("<I", self.data_bytes))
        f.seek(0, os.SEEK_END)
        f.flush()
        os.fsync(f.fileno())

    def close(self) -> None:
        try:
            self.sync()
        finally:
            self._file.close()


def journal_path(wav: Path) -> Path:
    return wav.with_suffix(".json")


def read_journal(wav: Path) -> dict[str, Any]:
    return json.loads(journal_path(wav).read_text(encoding="utf-8"))


def write_journal(wav: Path, data: dict[str, Any]) -> None:
    """Replace the journal atomically (temporary file, fsync, rename)."""
    path = journal_path(wav)
    tmp = path.with_suffix(".json.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


@dataclass(frozen=True)
class Unfinished:
    """A recording interrupted by a crash or power cut, as the next start finds it."""

    wav: Path
    device: str
    user: str
    started_at: datetime | None
    duration_s: float  # what recover() will keep, from the file's length


def _wav_format(f) -> tuple[int, int]:
    """(rate, channels) of one of our WAV files; ValueError if the header is not ours."""
    head = f.read(HEADER_BYTES)
    if len(head) < HEADER_BYTES or head[:4] != b"RIFF" or head[8:16] != b"WAVEfmt " or head[36:40] != b"data":
        raise ValueError("not a PCM16 WAV written by the recorder")
    fmt_size, tag, channels, rate, _, _, bits = struct.unpack("<IHHIIHH", head[16:36])
    if (fmt_size, tag, bits) != (16, 1, 8 * SAMPLE_BYTES) or channels < 1 or rate < 1:
        raise ValueError("not a PCM16 WAV written by the recorder")
    return rate, channels


def _audio_frames(wav: Path) -> tuple[int, int, int]:
    """(frames on disk, rate, channels), counted from the file's length rather than its header."""
    with open(wav, "rb") as f:
        rate, channels = _wav_format(f)
        size = os.fstat(f.fileno()).st_size
    return (size - HEADER_BYTES) // (channels * SAMPLE_BYTES), rate, channels


def find_unfinished(directory: str | os.PathLike) -> list[Unfinished]:
    """Recordings in ``directory`` whose journal says they never finished, oldest first.

    Call it at start-up, before recording: the recording in progress looks unfinished too.
    """
    found = []
    for journal in sorted(Path(directory).glob("*.json")):
        wav = journal.with_suffix(".wav")
        try:
            data = json.loads(journal.read_text(encoding="utf-8"))
            if data.get("state") not in _UNFINISHED:
                continue
            frames, rate, _ = _audio_frames(wav)
        except (OSError, ValueError):
            continue
        started = data.get("started_at")
        found.append(Unfinished(wav=wav, device=data.get("device", ""), user=data.get("user", ""),
                                started_at=datetime.fromisoformat(started) if started else None,
                                duration_s=frames / rate))
    return found


def recover(wav: str | os.PathLike) -> Path:
    """Repair an interrupted recording's header from the file's length and mark it recovered.

    A trailing partial frame is cut off. Returns the WAV, now valid, ready for import.
    """
    wav = Path(wav)
    frames, rate, channels = _audio_frames(wav)
    data_bytes = frames * channels * SAMPLE_BYTES
    with open(wav, "r+b") as f:
        f.truncate(HEADER_BYTES + data_bytes)
        f.write(_header(rate, channels, data_bytes))
        f.flush()
        os.fsync(f.fileno())
    journal = read_journal(wav)
    journal.update(state=RECOVERED, duration_s=frames / rate)
    write_journal(wav, journal)
    return wav


def discard(wav: str | os.PathLike) -> None:
    """Delete a recording and its journal (for example an unfinished one the operator does not want)."""
    wav = Path(wav)
    wav.unlink(missing_ok=True)
    journal_path(wav).unlink(missing_ok=True)
