"""The live encoder, the fan-out channel and the broadcast (its archive, levels, t0, maximum duration)."""

from __future__ import annotations

import io
import json
import threading
import time
import wave

import av
import numpy as np
import pytest

from console.audio.wavjournal import find_unfinished
from console.live.source import BLOCK, END_OF_FILE, RATE, STOPPED, WavFileSource, chime
from console.live.stream import MAX_DURATION, LiveBroadcast, LiveChannel, LiveEncoder
from fixtures.audio import write_wav
from fixtures.waiting import wait_until
from livesignal import dominant_hz, markers, speech_bed, tone, with_marker

MP3_FRAME = 1152


def decode(data: bytes) -> np.ndarray:
    with av.open(io.BytesIO(data)) as container:
        frames = [f.to_ndarray().reshape(-1) for f in container.decode(audio=0)]
    return np.concatenate(frames)


def encode_all(encoder: LiveEncoder, signal: np.ndarray) -> list[bytes]:
    chunks = [encoder.encode(signal[i:i + BLOCK]) for i in range(0, signal.size, BLOCK)]
    return [encoder.header, *chunks, encoder.flush()]


def test_mp3_decodes_to_the_same_length():
    signal = with_marker(3.0, at_s=1.5)
    encoder = LiveEncoder()
    chunks = encode_all(encoder, signal)
    assert chunks[0] == b""  # no ID3 tag, no Xing frame: a stream
    # Every chunk is whole 64 kbit/s frames of mono 48 kHz MPEG-1 layer III, 192 bytes each.
    assert all(len(c) % 192 == 0 and c[:3] == b"\xff\xfb\x54" for c in chunks[1:] if c)
    assert not chunks[1] and not chunks[2]  # LAME holds ~2.6k samples before its first frame
    decoded = decode(b"".join(chunks))
    # The encoder's delay (1105 samples) stays at the start: no header tells a decoder to trim it.
    assert encoder.delay_samples == 1105
    assert abs(decoded.size - encoder.delay_samples - signal.size) <= MP3_FRAME
    audio = decoded[encoder.delay_samples:]
    assert markers(audio) == [pytest.approx(1.5, abs=0.02)]


def test_opus_in_ogg_decodes_to_the_same_length():
    signal = with_marker(2.0, at_s=1.0)
    encoder = LiveEncoder("opus")
    chunks = encode_all(encoder, signal)
    assert chunks[0].startswith(b"OggS") and b"OpusHead" in chunks[0]
    assert all(c.startswith(b"OggS") for c in chunks[1:] if c)
    decoded = decode(b"".join(chunks))
    assert abs(decoded.size - signal.size) <= BLOCK  # Ogg's pre-skip trims the delay
    assert markers(decoded) == [pytest.approx(1.0, abs=0.02)]


# --- the channel --------------------------------------------------------------------------------------

def test_listeners_start_now_and_end_with_the_channel():
    channel = LiveChannel()
    early = channel.listen()
    channel.publish(b"frame1")
    late = channel.listen()
    channel.publish(b"frame2")
    assert early.read(0) == b"frame1frame2"
    assert late.read(0) == b"frame2"  # no backlog
    assert late.read(0) is None  # nothing new: the timeout passed
    assert channel.listeners == 2
    channel.publish(b"frame3")
    channel.close()
    assert early.read(1) == b"frame3" and early.read(1) == b""
    assert late.read(1) == b"frame3" and late.read(1) == b""
    assert channel.listen().read(0) == b""  # a closed channel ends a new listener at once
    assert channel.listeners == 0 and channel.joined == 2 and channel.dropped == 0


def test_header_first_for_every_listener():
    channel = LiveChannel("opus")
    channel.header = b"OggS-head"
    channel.publish(b"page1")
    listener = channel.listen()
    channel.publish(b"page2")
    assert listener.read(0) == b"OggS-headpage2"


def test_a_slow_listener_is_dropped_not_waited_for():
    channel = LiveChannel(bitrate=64000, max_lag_s=1.0)  # 8000 bytes of queue per listener
    slow, fast = channel.listen(), channel.listen()
    got = bytearray()
    for _ in range(100):
        channel.publish(b"x" * 192)
        got += fast.read(0)
    assert len(got) == 100 * 192
    assert slow.dropped and not fast.dropped and channel.dropped == 1 and channel.listeners == 1
    assert len(slow.read(0)) <= 8000 and slow.read(0) == b""


def test_asyncio_listener_woken_from_another_thread():
    import asyncio

    async def main() -> list[bytes]:
        channel = LiveChannel()
        listener = channel.listen(asyncio.get_running_loop())
        read = threading.Semaphore(0)

        def produce() -> None:  # each chunk once the previous one was read: every read waits for a wake-up
            for i in range(5):
                channel.publish(b"%d" % i)
                read.acquire()
            channel.close()

        threading.Thread(target=produce).start()
        got = []
        while chunk := await listener.aread():
            got.append(chunk)
            read.release()
        return got

    assert asyncio.run(main()) == [b"0", b"1", b"2", b"3", b"4"]


# --- the broadcast ------------------------------------------------------------------------------------

def test_archive_holds_the_pcm_sent(tmp_path):
    signal = with_marker(2.0, at_s=1.0)
    levels = []
    ended = []
    channel = LiveChannel(name="s1")
    listener = channel.listen()
    b = LiveBroadcast(WavFileSource(write_wav(tmp_path / "in.wav", signal), realtime=False), channel,
                      archive_path=tmp_path / "archive" / "s1.wav", chime=False,
                      on_level=lambda *lv: levels.append(lv), on_end=ended.append).start()
    assert b.wait(30)
    assert ended == [END_OF_FILE] and b.end_reason == END_OF_FILE and not b.running
    with wave.open(str(tmp_path / "archive" / "s1.wav")) as w:
        assert (w.getnchannels(), w.getframerate()) == (1, RATE)
        archived = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float32) / 32768
    assert archived.size == signal.size  # 2 s is 100 whole blocks
    assert np.allclose(archived, signal, atol=1.5 / 32767)
    journal = json.loads((tmp_path / "archive" / "s1.json").read_text())
    assert journal["state"] == "finished" and journal["stop_reason"] == END_OF_FILE
    assert journal["kind"] == "live" and journal["duration_s"] == 2.0 and journal["t0"] == b.t0
    assert find_unfinished(tmp_path / "archive") == []
    # The listener got the whole stream, and the channel was closed at the end.
    data = b""
    while chunk := listener.read(5):
        data += chunk
    assert channel.closed and markers(decode(data)[b.encoder.delay_samples:]) == [pytest.approx(1.0, abs=0.02)]
    # A level for every block: the 1 kHz burst (amplitude 0.5) reads -6 dBFS peak, -9 dBFS RMS.
    assert len(levels) == 100
    assert levels[52] == pytest.approx((-6.0, -9.0), abs=0.1)


def test_chime_first_and_t0(tmp_path):
    channel = LiveChannel()
    before = time.time()
    b = LiveBroadcast(WavFileSource(write_wav(tmp_path / "in.wav", tone(300, 0.4)), realtime=False), channel,
                      archive_path=tmp_path / "a.wav").start()
    assert b.t0 is not None and before * 1000 <= b.t0 <= time.time() * 1000  # known when start() returns
    assert b.wait(30) and b.end_reason == END_OF_FILE
    with wave.open(str(tmp_path / "a.wav")) as w:
        archived = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float32) / 32768
    ding = chime()
    assert archived.size == ding.size + 0.4 * RATE
    assert np.allclose(archived[:ding.size], ding, atol=1.5 / 32767)
    assert dominant_hz(archived[ding.size:]) == pytest.approx(300, abs=3)


def test_max_duration_stops_it_and_says_why(tmp_path):
    ended = []
    b = LiveBroadcast(WavFileSource(write_wav(tmp_path / "in.wav", speech_bed(5)), realtime=False),
                      LiveChannel(), archive_path=tmp_path / "a.wav", chime=False, max_s=1.01,
                      on_end=ended.append)
    assert b.remaining_s == 1.01
    b.start()
    assert b.wait(30) and ended == [MAX_DURATION]
    assert b.elapsed_s == pytest.approx(1.01) and b.remaining_s == 0
    with wave.open(str(tmp_path / "a.wav")) as w:
        assert w.getnframes() == round(1.01 * RATE)  # cut to the sample
    assert json.loads((tmp_path / "a.json").read_text())["stop_reason"] == MAX_DURATION


def test_stop_ends_it_during_the_chime_or_after(tmp_path):
    wav = write_wav(tmp_path / "in.wav", speech_bed(30))
    for chime_first in (True, False):
        channel = LiveChannel()
        b = LiveBroadcast(WavFileSource(wav), channel, chime=chime_first).start()
        assert wait_until(lambda b=b: b.elapsed_s >= 0.1)
        b.stop()
        assert b.wait(10) and b.end_reason == STOPPED and channel.closed
        assert b.elapsed_s < 30


def test_a_source_that_cannot_start_raises_before_air(tmp_path):
    channel = LiveChannel()
    b = LiveBroadcast(WavFileSource(tmp_path / "missing.wav"), channel, archive_path=tmp_path / "a.wav")
    with pytest.raises(Exception, match="missing.wav"):
        b.start()
    assert not b.running
    assert list(tmp_path.iterdir()) == []  # the archive it had opened is gone: nothing went on air
