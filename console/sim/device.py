"""One simulated loudspeaker cluster: the device side of the protocol, without sockets.

:class:`SimDevice` turns what it receives (``handle``), the passing of time (``tick``) and the life
of its connection (``begin_connect``, ``on_connect``, ``on_disconnect``, ``boot``) into messages to
publish, which the transport collects with ``take()``. Events and acks are *reliable*: they stay
queued, across reconnects, until the transport reports the broker's PUBACK with ``confirm()``.
Telemetry is dropped while disconnected, as a real device would. Media downloads and live streams
are handed to the transport too (``take_fetches``, ``live_pull``), which reports back in the owner's
thread (``media_fetched``, ``live_audio``, ``live_marker``, ``live_ended``).

Numbering survives restarts of the simulator without a state file: ``session`` is
``max(previous + 1, epoch seconds)`` and the event ``seq`` of a device starts at the epoch
milliseconds at which the device object was created, so both only ever grow.
"""

from __future__ import annotations

import io
import math
import random
import tarfile
import time
from collections import OrderedDict, deque
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import msgspec

from console.fleet import topics
from console.fleet.schemas import (
    Ack, Cache, Config, Event, Loc, Net, PayloadError, Playing, State, Tele, decode, encode, make,
)

PRIO = {"normal": 0, "priority": 1, "live": 2, "emergency": 3}
CAPS = ["mp3", "opus", "stream", "live", "tone"]
OPERATORS = ("Viettel", "VNPT", "MobiFone")
OPERATOR_WEIGHTS = (55, 25, 20)
LIVE_MAX_S = 15 * 60
EMERGENCY_MAX_S = 30 * 60
PLAY_NOW_MS = 30_000
TONE_MAX_S = 300
FETCH_RETRY_S = 2.0  # a failed download is tried again after 2, 4, 8 ... s
FETCH_RETRY_MAX_S = 60.0
ACKS_REMEMBERED = 256
LOG_LINES = 500  # the simulated log keeps the latest events
INF = math.inf


@dataclass(frozen=True)
class DeviceSpec:
    """What the caller decides about a simulated device; the rest is drawn from the seed."""

    id: str
    groups: tuple[str, ...] = ("all",)
    lat: float | None = None
    lon: float | None = None
    model: str = "TT-4G-100"
    fw: str = "1.4.2"
    unit_code: str | None = None  # GSO code of the commune
    unit_name: str | None = None
    vol: int = 70


def device_ids(n: int, prefix: str = "SIM") -> list[str]:
    """``SIM-00001`` ... : deterministic ids, at least five digits."""
    width = max(5, len(str(n)))
    return [f"{prefix}-{i:0{width}d}" for i in range(1, n + 1)]


def numbered_specs(n: int, prefix: str = "SIM", groups: tuple[str, ...] = ("all",)) -> list[DeviceSpec]:
    return [DeviceSpec(dev_id, groups) for dev_id in device_ids(n, prefix)]


class Out:
    """One message to publish. ``reliable`` ones stay queued until :meth:`SimDevice.confirm`."""

    __slots__ = ("topic", "payload", "qos", "retain", "reliable")

    def __init__(self, topic: str, payload: bytes, qos: int = 0, retain: bool = False, reliable: bool = False):
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
        self.reliable = reliable

    def __repr__(self) -> str:
        return f"Out({self.topic!r}, {self.payload!r}, qos={self.qos}, retain={self.retain})"


@dataclass
class _Play:
    item: str  # the session of a live or emergency
    prio: str
    source: str  # "sched", "tone", "now", "live", "emergency"
    until: float  # when it stops by itself ...
    level_db: float
    cid: str | None = None  # a test_tone command that is "done" when the tone ends
    started: float | None = None  # when its audio started; None while a stream's has not come yet
    ends: str = "finished"  # ... and the reason it then reports
    end: float = INF  # when the media of an emergency item runs out (INF: a stream)
    url: str | None = None  # a live stream
    token: int = 0  # tells the transport's reports about this stream from those of an older one


@dataclass(frozen=True)
class _Item:
    start: float
    end: float
    id: str
    prio: str
    sha256: str | None  # None for a stream
    url: str | None = None  # where to download the media


def _loose_cid(payload: bytes) -> str | None:
    """The ``cid`` of a command that failed validation, if one can be read."""
    try:
        obj = msgspec.json.decode(payload)
    except msgspec.DecodeError:
        return None
    cid = obj.get("cid") if isinstance(obj, dict) else None
    return cid if isinstance(cid, str) and 0 < len(cid) <= 64 else None


def _remember(memory: OrderedDict, key: str, value: Any) -> None:
    """Keep ``key`` as the newest of the last :data:`ACKS_REMEMBERED` entries."""
    memory[key] = value
    memory.move_to_end(key)
    while len(memory) > ACKS_REMEMBERED:
        memory.popitem(last=False)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _positive(value: Any) -> bool:
    return _number(value) and value > 0


class SimDevice:
    """The protocol logic of one device. Not thread-safe: one owner calls it."""

    def __init__(self, spec: DeviceSpec, site: str, *, seed: int = 1, tele_s: int = 30, clock=time.time,
                 fetch_media: bool = False, pull_live: bool = False):
        self.spec = spec
        self.id = spec.id
        self.site = site
        self.clock = clock
        self.tele_s = tele_s
        self.groups = list(spec.groups)
        self.vol = spec.vol
        self.session = 0
        self.evt_seq = int(clock() * 1000)
        self.connected = False
        self.want_reboot = False  # the transport disconnects, waits, reconnects
        self.groups_changed = False  # the transport updates its subscriptions
        self.faults: dict[str, dict[str, Any]] = {}
        self.config_rev = -1
        self.expired = 0
        self.duplicates = 0
        self.rejected = 0
        self._topic = {leaf: topics.device(site, spec.id, leaf) for leaf in ("state", "tele", "evt", "ack")}
        self._pending: dict[Out, None] = {}  # reliable messages not yet confirmed, in order
        self._out: list[Out] = []
        self._acks: OrderedDict[str, bytes] = OrderedDict()  # cid -> latest ack payload
        self._group_cids: OrderedDict[str, None] = OrderedDict()
        self._reboot_cid: str | None = None
        self._sched: dict[str, list[_Item]] = {}
        self._upcoming: deque[_Item] = deque()
        self._started: set[str] = set()
        self._cached: set[str] = set()
        # Media downloads. With ``fetch_media`` the transport downloads for real what
        # :meth:`take_fetches` hands out and reports with :meth:`media_fetched`; otherwise (or
        # without a URL) a download is simulated: it just takes a while.
        self.fetch_media = fetch_media
        self._downloads: dict[str, float] = {}  # simulated: sha256 -> time it completes
        self._fetching: set[str] = set()  # handed out (or about to be), not reported yet
        self._fetches: list[tuple[str, str]] = []  # (sha256, url) for take_fetches()
        self._uploads: list[tuple[str, str, bytes]] = []  # (cid, url, archive) for take_uploads()
        self._log: deque[str] = deque(maxlen=LOG_LINES)  # what the device would have in its log
        self._failures: dict[str, int] = {}  # sha256 -> failed downloads in a row
        self._retry_at: dict[str, float] = {}  # sha256 -> when to try again
        self._drift: tuple[float, float] | None = None  # (since, ms per minute)
        # Live streams. With ``pull_live`` the transport pulls and decodes what :attr:`live_pull`
        # names and reports with live_audio/live_marker/live_ended; otherwise a stream plays at once,
        # silently.
        self.pull_live = pull_live
        self._tokens = 0

        rng = self._rng = random.Random(f"{seed}:{spec.id}")
        self._rssi_base = rng.uniform(-105.0, -62.0)
        self._rssi = self._rssi_base
        self._temp_offset = rng.uniform(-2.0, 4.0)
        self._power = "solar" if rng.random() < 0.15 else "mains"
        self._clock_base_ms = rng.randint(-40, 40)
        self._net = Net(type="4g", operator=rng.choices(OPERATORS, OPERATOR_WEIGHTS)[0],
                        ip=f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                        iccid="8984" + "".join(str(rng.randrange(10)) for _ in range(15)))
        self._loc = Loc(spec.lat, spec.lon) if spec.lat is not None and spec.lon is not None else None
        self.boot()

    # --- connection life -------------------------------------------------------------------------

    def boot(self) -> None:
        """Power on (again): uptime, telemetry counter and playback start over; events are kept."""
        self.boot_time = self.clock()
        self.tele_seq = 0
        self.playing: _Play | None = None
        self.next_tele = INF
        self._drift = None

    def begin_connect(self) -> Out:
        """A connection attempt starts: a new session; returns the last will to set for it."""
        self.session = max(self.session + 1, int(self.clock()))
        will = make(State, state="offline", session=self.session, reason="lost")
        return Out(self._topic["state"], encode(will), 1, True)

    def on_connect(self) -> None:
        """CONNACK received: the birth, then every unconfirmed event and ack, in order."""
        self.connected = True
        self._out = [self._birth(), *self._pending]
        if self._reboot_cid is not None:
            self._ack(self._reboot_cid, "done", result={"session": self.session})
            self._reboot_cid = None
        self.next_tele = self.clock() + self._rng.uniform(0, self.tele_s)

    def on_disconnect(self) -> None:
        self.connected = False
        self._out.clear()
        self.next_tele = INF

    def offline(self, reason: str) -> None:
        """Publish the retained offline state ourselves ("shutdown", "reboot")."""
        self._emit("state", make(State, state="offline", session=self.session, ts=self._ms(self.clock()),
                                 reason=reason), qos=1, retain=True)

    def subscriptions(self) -> list[str]:
        subs = [topics.device(self.site, self.id, "cmd"), topics.device(self.site, self.id, "config")]
        for grp in self.groups:
            subs += [topics.group(self.site, grp, "sched"), topics.group(self.site, grp, "cmd")]
        return subs

    def take(self) -> list[Out]:
        """Messages to publish now (empty while disconnected)."""
        out, self._out = self._out, []
        return out

    def confirm(self, out: Out) -> None:
        """The broker acknowledged ``out``: it will not be sent again."""
        self._pending.pop(out, None)

    @property
    def pending(self) -> int:
        return len(self._pending)

    # --- time ------------------------------------------------------------------------------------

    @property
    def due(self) -> float:
        """The epoch time at which :meth:`tick` has something to do (``inf``: nothing)."""
        t = self.next_tele
        if self.playing is not None:
            t = min(t, self.playing.until)
        if self._upcoming:
            t = min(t, self._upcoming[0].start)
        if self._downloads:
            t = min(t, min(self._downloads.values()))
        if self._retry_at:
            t = min(t, min(self._retry_at.values()))
        return t

    def tick(self) -> None:
        now = self.clock()
        for sha, t in list(self._downloads.items()):
            if t <= now:
                del self._downloads[sha]
                self._cached.add(sha)
                self.event("media.ready", sha256=sha)
        if any(t <= now for t in self._retry_at.values()):
            self._retry_at = {sha: t for sha, t in self._retry_at.items() if t > now}
            self._plan()
        if self.playing is not None and self.playing.until <= now:
            self._stop(self.playing.ends)
        while self._upcoming and self._upcoming[0].start <= now:
            self._begin_item(self._upcoming.popleft(), now)
        if self.next_tele <= now:
            self._emit("tele", self._telemetry(now))
            self.next_tele = max(self.next_tele + self.tele_s, now + self.tele_s / 2)

    def clock_offset_ms(self, now: float) -> int:
        offset = self._clock_base_ms
        if self._drift is not None:
            since, per_min = self._drift
            offset += int((now - since) / 60.0 * per_min)
        return offset

    def _ms(self, now: float) -> int:
        """The device's idea of the time, in epoch ms (its clock may drift)."""
        return int(now * 1000) + self.clock_offset_ms(now)

    # --- scenario hooks --------------------------------------------------------------------------

    def raise_fault(self, fault: str, detail: str | None = None) -> None:
        if fault in self.faults:
            return
        data: dict[str, Any] = {"fault": fault}
        if detail:
            data["detail"] = detail
        elif fault == "amp":
            data["detail"] = "amplifier protection tripped"
        elif fault == "speaker_line":
            data.update(detail="speaker line open circuit", line=self._rng.randint(1, 4))
        self.faults[fault] = data
        self.event("fault.raised", **data)

    def clear_fault(self, fault: str) -> None:
        if self.faults.pop(fault, None) is not None:
            self.event("fault.cleared", fault=fault)

    def start_drift(self, ms_per_min: float) -> None:
        """NTP is lost: the clock offset grows by ``ms_per_min`` every minute."""
        self._drift = (self.clock(), ms_per_min)

    def resync_clock(self) -> None:
        self._drift = None

    # --- output ----------------------------------------------------------------------------------

    def _queue(self, out: Out) -> None:
        if out.reliable:
            self._pending[out] = None
        if self.connected:
            self._out.append(out)

    def _emit(self, leaf: str, msg, qos: int = 0, retain: bool = False, reliable: bool = False) -> None:
        self._queue(Out(self._topic[leaf], encode(msg), qos, retain, reliable))

    def event(self, type_: str, at: float | None = None, **data: Any) -> None:
        """Report an event with the next ``seq`` (kept until confirmed, even across reconnects) that
        happened now, or ``at`` (epoch s)."""
        self.evt_seq += 1
        ts = self._ms(self.clock() if at is None else at)
        self._log.append(f"{datetime.fromtimestamp(ts / 1000, UTC):%Y-%m-%dT%H:%M:%S}Z {type_} {data}")
        self._emit("evt", make(Event, seq=self.evt_seq, ts=ts, type=type_, data=data), qos=1, reliable=True)

    def _ack(self, cid: str, status: str, err: str | None = None, result: dict | None = None) -> None:
        payload = encode(make(Ack, cid=cid, status=status, ts=self._ms(self.clock()), err=err, result=result))
        _remember(self._acks, cid, payload)
        self._queue(Out(self._topic["ack"], payload, 1, False, True))

    def _birth(self) -> Out:
        msg = make(State, state="online", session=self.session, ts=self._ms(self.clock()), fw=self.spec.fw,
                   model=self.spec.model, caps=CAPS, groups=self.groups, net=self._net, loc=self._loc,
                   tele_s=self.tele_s)
        return Out(self._topic["state"], encode(msg), 1, True)

    def rebirth(self) -> None:
        if self.connected:
            self._out.append(self._birth())

    def _telemetry(self, now: float) -> Tele:
        rng = self._rng
        self._rssi += rng.gauss(0, 1.5) + 0.1 * (self._rssi_base - self._rssi)
        self._rssi = min(-51.0, max(-113.0, self._rssi))
        hour = (now / 3600.0 + 7) % 24  # Vietnam local time
        playing = self.playing
        temp = 35 + 5 * math.sin(2 * math.pi * (hour - 9) / 24) + self._temp_offset + rng.gauss(0, 0.3)
        if playing is not None:
            temp += 4
        if self._power == "solar":
            vbat = 12.3 + 1.6 * max(0.0, math.sin(math.pi * (hour - 6) / 12)) + rng.gauss(0, 0.05)
        else:
            vbat = 13.5 + rng.gauss(0, 0.05)
        if playing is not None and "amp" not in self.faults:
            level = playing.level_db + rng.gauss(0, 0.3 if playing.source == "tone" else 2.0)
        else:
            level = -90.0 + rng.gauss(0, 1.0)
        needed = self._media().keys()
        self.tele_seq += 1
        return make(
            Tele, seq=self.tele_seq, ts=self._ms(now), rssi=round(self._rssi), temp=round(min(55.0, max(28.0, temp)), 1),
            vol=self.vol, power=self._power, vbat=round(vbat, 2), uptime=int(now - self.boot_time),
            playing=Playing(playing.item, playing.prio) if playing is not None else None,
            level_db=round(min(0.0, max(-120.0, level)), 1), amp="fault" if "amp" in self.faults else "ok",
            clock_offset_ms=self.clock_offset_ms(now),
            cache=Cache(ready=len(needed & self._cached), missing=len(needed - self._cached)))

    # --- input -----------------------------------------------------------------------------------

    def handle(self, topic: str, payload: bytes) -> None:
        """A message from the broker on one of :meth:`subscriptions`."""
        try:
            t = topics.parse(topic)
        except topics.TopicError:
            return
        if t.scope == "d" and t.ident == self.id:
            if t.leaf == "cmd":
                self._on_command(payload)
            elif t.leaf == "config":
                self._on_config(payload)
        elif t.scope == "g" and t.ident in self.groups:
            if t.leaf == "sched":
                self._on_sched(t.ident, payload)
            elif t.leaf == "cmd":
                self._on_group_command(payload)

    def _on_command(self, payload: bytes) -> None:
        try:
            cmd = decode("cmd", payload)
        except PayloadError as e:
            self.rejected += 1
            cid = _loose_cid(payload)
            if cid is not None:
                self._ack(cid, "error", err=f"bad command: {e}")
            return
        if cmd.cid in self._acks:  # QoS 1 redelivery or a console retry: never run twice
            self.duplicates += 1
            self._queue(Out(self._topic["ack"], self._acks[cmd.cid], 1, False, True))
            return
        if cmd.exp < self._ms(self.clock()):
            self.expired += 1
            return
        handler = self._OPS.get(cmd.op)
        if handler is None:
            self._ack(cmd.cid, "error", err=f"unknown op {cmd.op!r}")
            return
        self._ack(cmd.cid, "accepted")
        handler(self, cmd.cid, cmd.args)

    def _op_ping(self, cid: str, args: dict) -> None:
        self._ack(cid, "done", result={"uptime": int(self.clock() - self.boot_time), "session": self.session})

    def _op_volume_set(self, cid: str, args: dict) -> None:
        vol = args.get("vol")
        if not isinstance(vol, int) or isinstance(vol, bool) or not 0 <= vol <= 100:
            self._ack(cid, "error", err=f"vol must be an integer 0..100, got {vol!r}")
            return
        self.vol = vol
        self._ack(cid, "done", result={"vol": vol})

    def _op_test_tone(self, cid: str, args: dict) -> None:
        secs = args.get("secs", 5)
        if not _number(secs) or not 0 < secs <= TONE_MAX_S:
            self._ack(cid, "error", err=f"secs must be a number in (0, {TONE_MAX_S}], got {secs!r}")
            return
        tone = _Play("test_tone", "priority", "tone", self.clock() + secs, -12.0, cid)
        if not self._play(tone):
            self._ack(cid, "error", err=f"busy: {self.playing.prio} {self.playing.item!r} is playing")

    def _op_reboot(self, cid: str, args: dict) -> None:
        self._reboot_cid = cid
        self.offline("reboot")
        self.want_reboot = True

    def _op_rebirth(self, cid: str, args: dict) -> None:
        self.rebirth()
        self._ack(cid, "done")

    def _op_resync(self, cid: str, args: dict) -> None:
        self.resync_clock()
        self._ack(cid, "done", result={"clock_offset_ms": self.clock_offset_ms(self.clock())})

    def _op_play_now(self, cid: str, args: dict) -> None:
        err = self._play_now(args)
        if err:
            self._ack(cid, "error", err=err)
        else:
            self._ack(cid, "done", result={"item": self.playing.item})

    def _op_stop(self, cid: str, args: dict) -> None:
        item = self.playing.item if self.playing is not None else None
        if item is not None:
            self._stop("stopped")
        self._ack(cid, "done", result={"stopped": item})

    def _op_logs_upload(self, cid: str, args: dict) -> None:
        url = args.get("url")
        if not isinstance(url, str):
            self._ack(cid, "error", err="args.url (upload URL) is required")
            return
        if not self.fetch_media:  # no HTTP transport: say so rather than pretend it went
            self._ack(cid, "done", result={"simulated": True})
            return
        self._uploads.append((cid, url, self.log_archive()))

    def log_archive(self) -> bytes:
        """The device's logs as a gzip'd tar with one ``device.log``: who it is, then its recent events."""
        head = [f"device {self.spec.id} fw {self.spec.fw} model {self.spec.model} session {self.session}"]
        text = "\n".join(head + list(self._log)).encode() + b"\n"
        out = io.BytesIO()
        with tarfile.open(fileobj=out, mode="w:gz") as tar:
            info = tarfile.TarInfo("device.log")
            info.size, info.mtime = len(text), int(self.clock())
            tar.addfile(info, io.BytesIO(text))
        return out.getvalue()

    def take_uploads(self) -> list[tuple[str, str, bytes]]:
        """Log uploads to start now, as ``(cid, url, body)``; report each with :meth:`logs_uploaded`."""
        out, self._uploads = self._uploads, []
        return out

    def logs_uploaded(self, cid: str, error: str | None, size: int) -> None:
        if error is None:
            self._ack(cid, "done", result={"bytes": size})
        else:
            self._ack(cid, "error", err=f"log upload failed: {error}")

    _OPS = {
        "ping": _op_ping, "volume.set": _op_volume_set, "test_tone": _op_test_tone, "reboot": _op_reboot,
        "rebirth": _op_rebirth, "resync": _op_resync, "play.now": _op_play_now, "stop": _op_stop,
        "logs.upload": _op_logs_upload,
    }

    def _on_group_command(self, payload: bytes) -> None:
        """Group commands are not acked (a group may be 10,000 devices); they report events."""
        try:
            cmd = decode("cmd", payload)
        except PayloadError:
            self.rejected += 1
            return
        if cmd.cid in self._group_cids:
            self.duplicates += 1
            return
        _remember(self._group_cids, cmd.cid, None)
        if cmd.exp < self._ms(self.clock()):
            self.expired += 1
            return
        args, cur = cmd.args, self.playing
        url = args.get("url") or None
        if not isinstance(url, (str, type(None))):
            self.rejected += 1
        elif cmd.op == "live.start":
            prio = args.get("prio", "live")
            if prio not in ("live", "emergency"):
                self.rejected += 1
                return
            self._start_session(str(args.get("session") or cmd.cid), prio, "live", url, INF,
                                LIVE_MAX_S if prio == "live" else EMERGENCY_MAX_S)
        elif cmd.op in ("live.stop", "emergency.stop"):
            if cur is not None and cur.source == cmd.op.split(".")[0] and args.get("session") in (None, cur.item):
                self._stop("stopped")
        elif cmd.op == "emergency.start":
            item, max_s = args.get("item"), args.get("max_s", EMERGENCY_MAX_S)
            dur_ms = item.get("dur_ms") if isinstance(item, dict) else None
            if not _positive(max_s) or (isinstance(item, dict) and not _positive(dur_ms)):
                self.rejected += 1
                return
            # A media item plays for its dur_ms; a url is a stream. An item given as a string (the
            # old form) names the session.
            session = args.get("session") or (item if isinstance(item, str) else None) or cmd.cid
            end = INF if dur_ms is None else self.clock() + dur_ms / 1000
            self._start_session(str(session), "emergency", "emergency", url if dur_ms is None else None, end,
                                min(max_s, EMERGENCY_MAX_S))
        elif cmd.op == "play.now":
            self._play_now(args)
        else:
            self.rejected += 1

    def _start_session(self, session: str, prio: str, source: str, url: str | None, end: float,
                       max_s: float) -> None:
        """A live or emergency: plays at once (its level permitting); the same session again renews
        its maximum duration; another one at the same level takes over."""
        cur = self.playing
        if cur is not None and cur.source == source and cur.item == session:
            self._limit(cur, max_s)
            return
        new = _Play(session, prio, source, INF, -18.0 if source == "live" else -16.0, end=end, url=url)
        self._limit(new, max_s)
        self._play(new)

    def _limit(self, p: _Play, max_s: float) -> None:
        cap = self.clock() + max_s
        p.until, p.ends = (p.end, "finished") if p.end <= cap else (cap, "max_duration")

    def _play_now(self, args: dict) -> str | None:
        """Start ``args.item``; return an error message, or None when it plays."""
        item, prio, dur_ms = args.get("item"), args.get("prio", "priority"), args.get("dur_ms", PLAY_NOW_MS)
        if not isinstance(item, str) or not item:
            return "args.item is required"
        if prio not in PRIO:
            return f"args.prio must be one of {', '.join(PRIO)}"
        if not _number(dur_ms) or dur_ms <= 0:
            return "args.dur_ms must be a positive number"
        if not self._play(_Play(item, prio, "now", self.clock() + dur_ms / 1000, -20.0)):
            return f"busy: {self.playing.prio} {self.playing.item!r} is playing"
        return None

    def _on_config(self, payload: bytes) -> None:
        if not payload:
            return  # the retained config was cleared: keep the current one
        try:
            cfg: Config = decode("config", payload)
        except PayloadError:
            self.rejected += 1
            return
        if cfg.rev <= self.config_rev:
            return  # not newer than what we hold (e.g. the retained copy again after a reconnect)
        self.config_rev = cfg.rev
        if cfg.vol is not None:
            self.vol = cfg.vol
        if cfg.tele_s is not None and cfg.tele_s != self.tele_s:
            self.tele_s = cfg.tele_s
            if self.connected:
                self.next_tele = min(self.next_tele, self.clock() + self._rng.uniform(0, cfg.tele_s))
        if cfg.groups != self.groups:
            self.groups = list(cfg.groups)
            self.groups_changed = True
            for grp in [g for g in self._sched if g not in self.groups]:
                del self._sched[grp]
            self._plan()
            self.rebirth()

    def _on_sched(self, grp: str, payload: bytes) -> None:
        items: list[_Item] = []
        if payload:
            try:
                doc = msgspec.json.decode(payload)
                for it in doc.get("items", []):
                    start = datetime.fromisoformat(it["start"]).timestamp()
                    prio = it.get("prio", "normal")
                    if prio not in PRIO:
                        raise ValueError(prio)
                    media = it["media"] if it.get("kind", "media") == "media" else None
                    url = media.get("url") if media is not None else None
                    items.append(_Item(start, start + it["dur_ms"] / 1000, str(it["id"]), prio,
                                       media["sha256"] if media is not None else None,
                                       url if isinstance(url, str) and url else None))
            except (msgspec.DecodeError, AttributeError, KeyError, TypeError, ValueError):
                self.rejected += 1
                return
        self._sched[grp] = items
        self._plan()

    # --- playback --------------------------------------------------------------------------------

    def _media(self) -> dict[str, str | None]:
        """The media the schedules need: sha256 -> URL (None if the item has none)."""
        return {it.sha256: it.url for items in self._sched.values() for it in items if it.sha256}

    def _plan(self) -> None:
        """Rebuild the queue of scheduled items still to start, and fetch missing media (what is
        cached, being fetched or waiting for a retry is left alone, so a redelivered schedule costs
        nothing)."""
        now = self.clock()
        items = {it.id: it for group in self._sched.values() for it in group
                 if it.end > now and it.id not in self._started}
        self._upcoming = deque(sorted(items.values(), key=lambda it: (it.start, -PRIO[it.prio])))
        media = self._media()
        busy = self._cached | self._downloads.keys() | self._fetching | self._retry_at.keys()
        for sha in media.keys() - busy:
            if self.fetch_media and media[sha]:
                self._fetching.add(sha)
                self._fetches.append((sha, media[sha]))
            else:
                self._downloads[sha] = now + self._rng.uniform(1.0, 8.0)

    def take_fetches(self) -> list[tuple[str, str]]:
        """Downloads to start now, as ``(sha256, url)``; report each with :meth:`media_fetched`."""
        out, self._fetches = self._fetches, []
        return out

    def media_fetched(self, sha256: str, error: str | None) -> None:
        """A download from :meth:`take_fetches` ended: ``error`` None if the body's sha256 matched,
        else the reason (``hash mismatch``, ``http 404``, ``timeout`` ...). A failure is retried after
        2, 4, 8 ... 60 s while a schedule still needs the media."""
        self._fetching.discard(sha256)
        if error is None:
            self._failures.pop(sha256, None)
            self._cached.add(sha256)
            self.event("media.ready", sha256=sha256)
            return
        self.event("media.failed", sha256=sha256, reason=error)
        if sha256 not in self._media():
            self._failures.pop(sha256, None)
            return
        n = self._failures[sha256] = self._failures.get(sha256, 0) + 1
        self._retry_at[sha256] = self.clock() + min(FETCH_RETRY_MAX_S, FETCH_RETRY_S * 2 ** min(n - 1, 30))

    def _begin_item(self, it: _Item, now: float) -> None:
        self._started.add(it.id)
        if it.end <= now:
            return  # missed entirely (the device was off)
        if it.sha256 is not None and it.sha256 not in self._cached:
            self.event("play.failed", item=it.id, prio=it.prio, reason="media not ready")
            return
        self._play(_Play(it.id, it.prio, "sched", it.end, -20.0))

    def _play(self, new: _Play) -> bool:
        """Start ``new`` if its level allows: emergency > live > priority > normal. A higher level
        preempts at once (the preempted one reports and never resumes), the same level takes over
        (last wins) except for a scheduled item, a lower one is refused (reports ``preempted`` with
        ``played_ms`` 0). A stream to pull starts when its audio comes (:meth:`live_audio`)."""
        cur = self.playing
        if cur is not None:
            if PRIO[new.prio] < PRIO[cur.prio] or (PRIO[new.prio] == PRIO[cur.prio] and new.source == "sched"):
                self._report_end(new, "preempted", by=cur.item)
                return False
            self._stop("preempted", by=new.item)
        self.playing = new
        if new.url is not None and self.pull_live:
            self._tokens += 1
            new.token = self._tokens
        else:
            self._begin(new, self.clock())
        return True

    def _begin(self, p: _Play, t: float) -> None:
        p.started = t
        if p.source == "live":
            self.event("live.joined", at=t, session=p.item, prio=p.prio)
        else:
            self.event("play.started", at=t, item=p.item, prio=p.prio, source=p.source)

    def _stop(self, reason: str, by: str | None = None, err: str | None = None) -> None:
        """End the current playback: ``finished``, ``max_duration``, ``stopped``, ``preempted`` (by
        ``by``), or for a pulled stream ``ended`` or ``error`` (``err``)."""
        p, self.playing = self.playing, None
        self._report_end(p, reason, by, err)
        if p.cid is not None:
            if reason == "finished":
                self._ack(p.cid, "done")
            else:
                self._ack(p.cid, "error", err=f"test tone {reason}")

    def _report_end(self, p: _Play, reason: str, by: str | None = None, err: str | None = None) -> None:
        played_ms = 0 if p.started is None else max(0, round((min(self.clock(), p.until) - p.started) * 1000))
        extra = {key: value for key, value in (("by", by), ("err", err)) if value is not None}
        if p.source == "live":
            self.event("live.left", session=p.item, reason=reason, played_ms=played_ms, **extra)
        elif reason == "preempted":
            self.event("play.preempted", item=p.item, prio=p.prio, by=by, played_ms=played_ms)
        else:
            self.event("play.finished", item=p.item, prio=p.prio, reason=reason, played_ms=played_ms, **extra)

    # --- live streams (the transport's side) -----------------------------------------------------

    @property
    def live_pull(self) -> tuple[int, str] | None:
        """The stream to pull and decode now, as ``(token, url)`` (None: none); the transport reports
        on it with :meth:`live_audio`, :meth:`live_marker` and :meth:`live_ended`, passing the token."""
        p = self.playing
        return (p.token, p.url) if p is not None and p.token else None

    def _pulled(self, token: int) -> _Play | None:
        p = self.playing
        return p if p is not None and p.token == token else None

    def live_audio(self, token: int, t: float) -> None:
        """The stream's first audio came out of the decoder at ``t`` (epoch s): it has started."""
        p = self._pulled(token)
        if p is not None and p.started is None:
            self._begin(p, t)

    def live_marker(self, token: int, t: float) -> None:
        """A marker burst's onset came out of the decoder at ``t``."""
        p = self._pulled(token)
        if p is not None:
            self.event("live.marker", at=t, session=p.item)

    def live_ended(self, token: int, err: str | None) -> None:
        """The stream ended (``err`` None) or failed."""
        if self._pulled(token) is not None:
            self._stop("ended" if err is None else "error", err=err)
