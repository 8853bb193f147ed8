"""Live streams: encode 20 ms blocks as they come, fan the bytes out to listeners, run a broadcast.

- :class:`LiveEncoder`: PyAV (FFmpeg's libmp3lame, or libopus in Ogg) fed one block at a time; each
  call returns the whole frames (MP3) or pages (Ogg) the block completed, so every chunk it returns
  ends at a frame boundary. MP3 64 kbit/s mono 48 kHz by default: 1152-sample (24 ms) frames, no
  bit reservoir (a frame never borrows bits from earlier ones, so a listener can decode from any
  frame), no ID3 or Xing header (it is a stream). LAME holds about 2.6k samples (55 ms) before a
  frame comes out; :attr:`LiveEncoder.delay_samples` (1105 for LAME) is the leading padding that an
  MP3 decoder does not trim: stream sample p is input sample p - delay.
- :class:`LiveChannel`: any number of listeners, each with its own bounded queue. A listener starts
  with the next chunk published (so at a frame boundary, with no backlog; Ogg's header pages first),
  one that falls more than ``max_lag_s`` behind is dropped rather than slowing the others or using
  memory, and :meth:`LiveChannel.close` ends every listener once it has what was published. Readers
  are asyncio tasks (``await listener.aread()``, the media server) or plain threads
  (``listener.read()``, the Icecast push).
- :class:`LiveBroadcast`: source -> [chime] -> encoder -> channel on a worker thread, with the same
  PCM into a crash-safe WAV (console/audio/wavjournal.py), levels, ``t0``, and the maximum duration.
"""

from __future__ import annotations

import asyncio
import logging
import math
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import av
import numpy as np

from console.audio.recorder import dbfs
from console.audio.wavjournal import FINISHED, RECORDING, WavWriter, discard, write_journal
from console.live.source import BLOCK_S, END_OF_FILE, RATE, STOPPED, ArraySource, Source, chime

log = logging.getLogger(__name__)

MAX_DURATION = "max duration"  # LiveBroadcast.end_reason when max_s was reached
DEFAULT_MAX_S = 900  # a live announcement: 15 minutes (docs/live.md)
MAX_LAG_S = 2.0  # a listener this far behind is dropped
ARCHIVE_SYNC_BLOCKS = 50  # header patch + fsync of the archive about once a second
START_WAIT_S = 2.5  # start() waits this long at most for the first block, and so t0


@dataclass(frozen=True)
class StreamFormat:
    ext: str
    content_type: str
    muxer: str
    encoder: str
    sample_format: str
    bitrate: int
    muxer_options: dict = field(default_factory=dict)
    encoder_options: dict = field(default_factory=dict)


FORMATS = {
    "mp3": StreamFormat("mp3", "audio/mpeg", "mp3", "libmp3lame", "fltp", 64000,
                        {"id3v2_version": "0", "write_xing": "0"}, {"reservoir": "0"}),
    # Ogg pages of one 20 ms packet each (the muxer's default is a page a second).
    "opus": StreamFormat("opus", "audio/ogg", "ogg", "libopus", "flt", 32000,
                         {"page_duration": "20000"}, {"application": "lowdelay", "frame_duration": "20"}),
}


class _Collector:
    """The muxer's output file: keeps what it is given until taken."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self._parts = b"".join(self._parts), []
        return data


class LiveEncoder:
    """Encodes float32 mono 48 kHz blocks to ``codec`` ("mp3" or "opus") as they come.

    ``header`` is what every listener needs first (Ogg's header pages; empty for MP3); :meth:`encode`
    returns the bytes a block completed (maybe none yet), :meth:`flush` the rest at the end.
    """

    def __init__(self, codec: str = "mp3", bitrate: int | None = None) -> None:
        if codec not in FORMATS:
            raise ValueError(f"unknown stream codec {codec!r} (known: {', '.join(FORMATS)})")
        self.format = fmt = FORMATS[codec]
        self.bitrate = bitrate or fmt.bitrate
        self.delay_samples: int | None = None  # known from the first packet
        self._out = _Collector()
        self._container = av.open(self._out, "w", format=fmt.muxer,
                                  options={"flush_packets": "1", **fmt.muxer_options})
        self._stream = self._container.add_stream(fmt.encoder, rate=RATE, options=fmt.encoder_options)
        self._stream.layout = "mono"
        self._stream.bit_rate = self.bitrate
        self._stream.codec_context.format = fmt.sample_format
        self._container.start_encoding()
        self.header = self._out.take()
        self._pts = 0

    def _mux(self, frame: av.AudioFrame | None) -> bytes:
        for packet in self._stream.encode(frame):
            if self.delay_samples is None:
                self.delay_samples = max(0, -(packet.pts or 0))
            self._container.mux(packet)
        return self._out.take()

    def encode(self, samples: np.ndarray) -> bytes:
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples, np.float32).reshape(1, -1),
                                           format=self.format.sample_format, layout="mono")
        frame.sample_rate = RATE
        frame.pts = self._pts
        self._pts += frame.samples
        return self._mux(frame)

    def flush(self) -> bytes:
        """The last frames (the encoder pads the final one); the encoder is finished afterwards."""
        data = self._mux(None)
        self._container.close()
        return data + self._out.take()


def _set_all(events: list[asyncio.Event]) -> None:
    for event in events:
        event.set()


class Listener:
    """One reader of a :class:`LiveChannel`; made by :meth:`LiveChannel.listen`.

    :meth:`read` (threads) or :meth:`aread` (asyncio, in the loop given to ``listen``) return
    everything queued since the previous call, and ``b""`` once the listener has ended: the channel
    closed (after the last bytes), the listener was dropped for lagging (``dropped``), or it was closed.
    """

    def __init__(self, channel: LiveChannel, loop: asyncio.AbstractEventLoop | None) -> None:
        self.channel = channel
        self.dropped = False
        self.ended = False
        self._chunks: deque[bytes] = deque([channel.header] if channel.header else [])
        self._size = len(channel.header)
        self._ready = threading.Event()
        self._loop = loop
        self._aready = asyncio.Event() if loop is not None else None

    # under the channel's lock
    def _push(self, data: bytes) -> bool:
        if self._size + len(data) > self.channel.max_lag_bytes:
            return False
        self._chunks.append(data)
        self._size += len(data)
        return True

    def _take(self) -> bytes | None:
        with self.channel._lock:
            if self._chunks:
                data = b"".join(self._chunks)
                self._chunks.clear()
                self._size = 0
            elif self.ended:
                data = b""
            else:
                data = None
            self._ready.clear()
            if self._aready is not None:
                self._aready.clear()
            return data

    def read(self, timeout: float | None = None) -> bytes | None:
        """The bytes queued (waits for some); ``b""`` at the end; None if ``timeout`` passed first."""
        while (data := self._take()) is None:
            if not self._ready.wait(timeout):
                return None
        return data

    async def aread(self) -> bytes:
        """The bytes queued (waits for some); ``b""`` at the end."""
        while (data := self._take()) is None:
            await self._aready.wait()
        return data

    def close(self) -> None:
        """Leave the channel (a reader that stops reading must, or it is dropped in time)."""
        self.channel._remove(self)


class LiveChannel:
    """Fan-out of one encoded stream to its listeners (see the module's description).

    ``codec`` and ``bitrate`` say what the stream is (LiveBroadcast encodes with them); ``ext`` and
    ``content_type`` how it is served. ``header`` (set by the encoder's owner) goes first to every
    listener. Thread-safe: published from the encoder's thread, read from the server's.
    """

    def __init__(self, codec: str = "mp3", bitrate: int | None = None, max_lag_s: float = MAX_LAG_S,
                 name: str = "") -> None:
        if codec not in FORMATS:
            raise ValueError(f"unknown stream codec {codec!r} (known: {', '.join(FORMATS)})")
        fmt = FORMATS[codec]
        self.codec, self.ext, self.content_type = codec, fmt.ext, fmt.content_type
        self.bitrate = bitrate or fmt.bitrate
        self.max_lag_s = max_lag_s
        self.max_lag_bytes = max(4096, int(self.bitrate / 8 * max_lag_s))
        self.name = name
        self.header = b""
        self.closed = False
        self.joined = self.dropped = self.bytes = 0  # listeners ever joined, dropped; bytes published
        self._lock = threading.Lock()
        self._listeners: set[Listener] = set()

    @property
    def listeners(self) -> int:
        return len(self._listeners)

    def listen(self, loop: asyncio.AbstractEventLoop | None = None) -> Listener:
        """A new listener that gets what is published from now on (``loop``: for :meth:`Listener.aread`).
        On a closed channel it has ended at once."""
        listener = Listener(self, loop)
        with self._lock:
            if self.closed:
                listener.ended = True
            else:
                self._listeners.add(listener)
                self.joined += 1
        return listener

    def publish(self, data: bytes) -> None:
        """Hand whole frames (or pages) to every listener; a listener with no room is dropped."""
        if not data:
            return
        with self._lock:
            if self.closed:
                return
            self.bytes += len(data)
            woken = list(self._listeners)
            for listener in woken:
                if not listener._push(data):
                    listener.dropped = listener.ended = True
                    self._listeners.discard(listener)
                    self.dropped += 1
                    log.info("live %s: a listener fell %.1f s behind and was dropped", self.name, self.max_lag_s)
        self._wake(woken)

    def close(self) -> None:
        """End the stream: every listener ends once it has read what was published. Safe to call twice."""
        with self._lock:
            self.closed = True
            listeners, self._listeners = list(self._listeners), set()
            for listener in listeners:
                listener.ended = True
        self._wake(listeners)

    def _remove(self, listener: Listener) -> None:
        with self._lock:
            self._listeners.discard(listener)
            listener.ended = True
        self._wake([listener])

    @staticmethod
    def _wake(listeners: list[Listener]) -> None:
        by_loop: dict[asyncio.AbstractEventLoop, list[asyncio.Event]] = {}
        for listener in listeners:
            listener._ready.set()
            if listener._loop is not None:
                by_loop.setdefault(listener._loop, []).append(listener._aready)
        for loop, events in by_loop.items():
            try:
                loop.call_soon_threadsafe(_set_all, events)
            except RuntimeError:  # that loop is closed: its readers are gone
                pass


class LiveBroadcast:
    """One live broadcast: ``source`` -> [the chime first] -> :class:`LiveEncoder` -> ``channel``, on a
    worker thread, with the same PCM into a crash-safe WAV at ``archive_path``.

    ``start()`` opens the archive and the source (raising ``SourceError``/``OSError`` before anything
    goes on air) and returns once the first block has been sent (20 ms or a little more; at most
    :data:`START_WAIT_S`), so ``t0`` is known. The worker sends the chime, paced in real time, then
    the source's blocks (a microphone's blocks captured while the chime played are left out, so the
    stream's time line is continuous), until the source ends (``end of file``, ``device lost``), :meth:`stop` is
    called (``stopped``) or ``max_s`` of stream, chime included, have been sent (``max duration``,
    cut to the sample). Then it flushes the encoder, closes the channel (ending every listener's
    response after the last frame), finishes the archive and its journal, and calls
    ``on_end(reason)``. A failure ends it with ``error: <message>``.

    ``t0``: epoch ms at which the stream's first sample (the chime's, or the source's first block's)
    was captured, set as soon as it is sent (so by the time ``start()`` returns). With the chime, its
    first tone is a marker at ``t0`` (console/live/source.py, ``make_chime``).
    ``on_level(peak_dbfs, rms_dbfs)`` is called for every 20 ms block sent (50 times a second), on the
    worker thread; ``levels`` holds the latest (a UI may poll it instead). ``elapsed_s`` and
    ``remaining_s`` count stream time. Callbacks must return quickly.

    The archive is PCM16 mono 48 kHz, what went on air (the chime included), header-patched and
    fsynced about once a second; its journal (``.json`` beside it) says ``kind: live``, ``state``
    (``recording``, then ``finished`` with ``stop_reason``, ``duration_s``, ``t0``), so
    console/audio/wavjournal.py's ``find_unfinished``/``recover`` handle a crash. Failing to write it
    is logged and kept in ``archive_error``; the broadcast goes on.
    """

    def __init__(self, source: Source, channel: LiveChannel, archive_path: str | Path | None = None,
                 chime: bool = True, max_s: float = DEFAULT_MAX_S,
                 on_level: Callable[[float, float], None] | None = None,
                 on_end: Callable[[str], None] | None = None) -> None:
        self.source = source
        self.channel = channel
        self.archive_path = Path(archive_path) if archive_path is not None else None
        self.chime = chime
        self.max_s = max_s
        self.on_level = on_level
        self.on_end = on_end
        self.t0: int | None = None
        self.levels = (-100.0, -100.0)
        self.end_reason: str | None = None
        self.archive_error: str | None = None
        self.encoder: LiveEncoder | None = None
        self._sent = 0  # samples
        self._max_samples = round(max_s * RATE)
        self._chime_source: ArraySource | None = None
        self._archive: WavWriter | None = None
        self._journal: dict = {}
        self._unsynced = 0  # blocks written to the archive since its last sync
        self._stopping = threading.Event()
        self._has_t0 = threading.Event()
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    # --- control (any thread) -----------------------------------------------------------------------

    def start(self) -> LiveBroadcast:
        if self._thread is not None:
            raise RuntimeError("the broadcast has already started")
        self.encoder = LiveEncoder(self.channel.codec, self.channel.bitrate)
        self.channel.header = self.encoder.header
        if self.chime:
            self._chime_source = ArraySource(chime())
        if self.archive_path is not None:
            self._open_archive()
        try:
            self.source.start()
        except BaseException:
            if self._archive is not None:  # nothing went on air: no archive
                self._archive.close()
                discard(self._archive.path)
                self._archive = None
            raise
        self._thread = threading.Thread(target=self._run, name="live-broadcast", daemon=True)
        self._thread.start()
        self._has_t0.wait(START_WAIT_S)
        return self

    def stop(self) -> None:
        """Ask the broadcast to end (``stopped``); returns at once, ``on_end`` follows (see :meth:`wait`)."""
        self._stopping.set()
        if self._chime_source is not None:
            self._chime_source.stop()
        self.source.stop()

    def wait(self, timeout: float | None = None) -> bool:
        """True once the broadcast has ended and everything is closed."""
        return self._done.wait(timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and not self._done.is_set()

    @property
    def elapsed_s(self) -> float:
        return self._sent / RATE

    def set_max_s(self, max_s: float) -> None:
        """Change the maximum duration while running (an emergency renewed)."""
        self.max_s = max_s
        self._max_samples = round(max_s * RATE)

    @property
    def remaining_s(self) -> float:
        return max(0.0, self.max_s - self.elapsed_s)

    # --- the worker ---------------------------------------------------------------------------------

    def _run(self) -> None:
        reason = None
        try:
            reason = self._stream()
        except Exception as e:
            log.exception("live broadcast failed")
            reason = f"error: {e}"
        finally:
            self.source.stop()  # releases a microphone even if its blocks were never read
            try:
                self.channel.publish(self.encoder.flush())
            except Exception as e:
                log.error("live broadcast: flushing the encoder: %s", e)
            self.channel.close()
            self.end_reason = reason or STOPPED
            self._close_archive(self.end_reason)
            self._has_t0.set()
            self._done.set()
            log.info("live broadcast ended: %s after %.1f s", self.end_reason, self.elapsed_s)
            if self.on_end is not None:
                try:
                    self.on_end(self.end_reason)
                except Exception:
                    log.exception("live broadcast: on_end failed")

    def _stream(self) -> str:
        chime_end = None
        for source in (self._chime_source, self.source):
            if source is None:
                continue
            if self._stopping.is_set():
                return STOPPED
            blocks = source.blocks()
            try:
                for block in blocks:
                    if self._stopping.is_set():
                        return STOPPED
                    if source is self.source and chime_end is not None and block.t + BLOCK_S <= chime_end:
                        continue  # captured while the chime played
                    if self.t0 is None:
                        self.t0 = round(block.t * 1000)
                        self._has_t0.set()
                    self._send(block.samples[:self._max_samples - self._sent])
                    if self._sent >= self._max_samples:
                        return MAX_DURATION
                    if source is self._chime_source:
                        chime_end = block.t + BLOCK_S
            finally:
                blocks.close()
            if source is self.source or source.end_reason != END_OF_FILE:
                return STOPPED if self._stopping.is_set() else source.end_reason
        return STOPPED

    def _send(self, samples: np.ndarray) -> None:
        peak = float(np.abs(samples).max()) if samples.size else 0.0
        rms = math.sqrt(float(np.dot(samples, samples)) / samples.size) if samples.size else 0.0
        self.levels = (dbfs(peak), dbfs(rms))
        if self.on_level is not None:
            self.on_level(*self.levels)
        if self._archive is not None:
            self._write_archive(samples)
        self.channel.publish(self.encoder.encode(samples))
        self._sent += samples.size

    # --- the archive --------------------------------------------------------------------------------

    def _open_archive(self) -> None:
        path = self.archive_path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._archive = WavWriter.create(path, RATE)
        self._journal = {"kind": "live", "device": self.source.name, "started_at": datetime.now(UTC).isoformat(),
                         "rate": RATE, "channels": 1, "state": RECORDING}
        try:
            write_journal(path, self._journal)
        except OSError:
            self._archive.close()
            discard(path)
            self._archive = None
            raise

    def _write_archive(self, samples: np.ndarray) -> None:
        try:
            self._archive.write(np.round(np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes())
            self._unsynced += 1
            if self._unsynced >= ARCHIVE_SYNC_BLOCKS:
                self._archive.sync()
                self._unsynced = 0
        except OSError as e:
            log.error("live archive %s: %s; the broadcast goes on without it", self._archive.path, e)
            self.archive_error = str(e)
            self._close_archive(f"write failed: {e}")

    def _close_archive(self, reason: str) -> None:
        wav, self._archive = self._archive, None
        if wav is None:
            return
        try:
            wav.close()
            self._journal.update(state=FINISHED, stop_reason=reason, duration_s=wav.frames / RATE, t0=self.t0,
                                 stopped_at=datetime.now(UTC).isoformat())
            write_journal(wav.path, self._journal)
        except OSError as e:  # the journal stays "recording": find_unfinished offers it
            log.error("live archive %s: %s", wav.path, e)
            self.archive_error = self.archive_error or str(e)
