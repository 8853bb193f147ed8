"""Crash-safe recording files: the incrementally written WAV, its journal, finding and recovering."""

import wave

import numpy as np
import pytest

from console.audio.wavjournal import (
    WavWriter,
    discard,
    find_unfinished,
    read_journal,
    recover,
    write_journal,
)

RATE = 48000


def pcm(frames: int, start: int = 0) -> bytes:
    return (np.arange(start, start + frames) % 20000).astype("<i2").tobytes()


def frames_in(path) -> int:
    with wave.open(str(path)) as w:
        return w.getnframes()


def interrupted(directory, synced: int, unsynced: bytes) -> WavWriter:
    """A recording as a killed process leaves it: the header counts ``synced`` frames, more follow."""
    writer = WavWriter.create(directory / "rec-1.wav", RATE)
    write_journal(writer.path, {"state": "recording", "device": "Desk mic", "user": "lan",
                                "started_at": "2025-07-01T08:00:00+00:00"})
    writer.write(pcm(synced))
    writer.close()
    with open(writer.path, "ab") as f:
        f.write(unsynced)
    return writer


def test_the_header_is_valid_after_each_sync(tmp_path):
    writer = WavWriter.create(tmp_path / "a.wav", RATE)
    assert frames_in(writer.path) == 0  # a valid, empty WAV from the start
    writer.write(pcm(1000))
    writer.sync()
    assert frames_in(writer.path) == 1000
    writer.write(pcm(500, 1000))
    assert frames_in(writer.path) == 1000  # not yet synced
    writer.close()
    with wave.open(str(writer.path)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()) == (1, 2, RATE, 1500)
        assert w.readframes(1500) == pcm(1500)


def test_a_new_recording_never_overwrites_one(tmp_path):
    WavWriter.create(tmp_path / "a.wav", RATE).close()
    with pytest.raises(FileExistsError):
        WavWriter.create(tmp_path / "a.wav", RATE)


def test_an_interrupted_recording_is_found_and_recovered_whole(tmp_path):
    writer = interrupted(tmp_path, 48000, pcm(24000, 48000) + b"\x01")  # and half a frame
    assert frames_in(writer.path) == 48000  # what the stale header says

    [found] = find_unfinished(tmp_path)
    assert (found.wav, found.device, found.user, found.duration_s) == (writer.path, "Desk mic", "lan", 1.5)
    assert found.started_at.isoformat() == "2025-07-01T08:00:00+00:00"

    assert recover(found.wav) == writer.path
    with wave.open(str(writer.path)) as w:
        assert w.getnframes() == 72000 and w.readframes(72000) == pcm(72000)
    assert writer.path.stat().st_size == 44 + 72000 * 2  # the partial frame is cut off
    journal = read_journal(writer.path)
    assert (journal["state"], journal["duration_s"]) == ("recovered", 1.5)
    assert find_unfinished(tmp_path) == []


def test_only_unfinished_recordings_of_ours_are_offered(tmp_path):
    paused = interrupted(tmp_path, 100, b"").path
    write_journal(paused, {**read_journal(paused), "state": "paused"})
    for name, state in (("done", "finished"), ("again", "recovered")):
        w = WavWriter.create(tmp_path / f"{name}.wav", RATE)
        w.close()
        write_journal(w.path, {"state": state})
    write_journal(tmp_path / "nowav.wav", {"state": "recording"})  # its WAV is gone
    (tmp_path / "other.wav").write_bytes(b"RIFF not ours")
    write_journal(tmp_path / "other.wav", {"state": "recording"})
    (tmp_path / "notes.json").write_text("not a journal")

    assert [u.wav for u in find_unfinished(tmp_path)] == [paused]
    with pytest.raises(ValueError):
        recover(tmp_path / "other.wav")


def test_discard_removes_the_recording_and_its_journal(tmp_path):
    writer = interrupted(tmp_path, 100, b"")
    discard(writer.path)
    assert list(tmp_path.iterdir()) == []
