"""Live announcements and emergency broadcasts: sessions, group commands, device status, receipts,
archive (docs/live.md).

:class:`LiveService` starts a :class:`~console.live.stream.LiveBroadcast` (microphone or file →
MP3 stream on the media server), sends ``live.start``/``emergency.start`` to the target groups, follows
the devices' events (``on_events``, called by the ingest worker) and, when the session ends, writes a
receipt per target device and archives the audio into the library. Permission checks live here.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterable

from console.fleet import topics
from console.fleet.schemas import Command, encode, make
from console.schedule import compile as comp
from console.schedule.model import Targets
from console.schedule.service import ALL_GROUP, Scheduler
from console.store.models import now_ms

log = logging.getLogger(__name__)

LIVE_MAX_S = 15 * 60
EMERGENCY_MAX_S = 30 * 60
COMMAND_TTL_S = 60  # a device that gets live.start later than this ignores it
RECEIPT_GRACE_S = 5.0  # wait this long after the end for the devices' last reports


class LiveRefused(Exception):
    """A live or emergency action that was not carried out; the message is one sentence for the user.
    ``code`` says why for the interface: ``may_not_live``, ``may_not_emergency``, ``no_targets``,
    ``no_media``."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass
class DeviceStatus:
    joined_ms: int | None = None  # live.joined / play.started
    left_ms: int | None = None
    reason: str = ""
    played_ms: int | None = None
    latency_ms: int | None = None  # of the first marker (the chime) after t0
    responded: bool = False

    @property
    def playing(self) -> bool:
        return self.joined_ms is not None and self.left_ms is None


@dataclass
class Session:
    id: str
    kind: str  # "live" or "emergency"
    prio: str  # "live" or "emergency"
    targets: Targets
    groups: list[str]
    devices: frozenset[str]
    user: str
    started_ms: int
    url: str = ""  # the live stream, if any
    item_id: int | None = None  # a prepared library item (emergency)
    item_ms: int | None = None  # and how long it plays
    t0: int | None = None
    max_s: float = LIVE_MAX_S
    ended_ms: int | None = None
    end_reason: str = ""
    archive_item_id: int | None = None
    status: dict[str, DeviceStatus] = field(default_factory=dict)
    broadcast: Any = None  # console.live.stream.LiveBroadcast
    push: Any = None  # console.live.icecast.IcecastPush, when Icecast relays the stream
    start_args: dict[str, Any] = field(default_factory=dict)  # of emergency.start, sent again to renew
    max_s_each: int = 0  # what a renewal grants, from the moment of renewal

    def counts(self) -> dict[str, int]:
        st = [self.status.get(d) for d in self.devices]
        return {"targets": len(self.devices), "playing": sum(bool(s and s.playing) for s in st),
                "responded": sum(bool(s and s.responded) for s in st),
                "silent": sum(not (s and s.responded) for s in st)}

    @property
    def remaining_s(self) -> float:
        if self.ended_ms is not None:
            return 0.0
        return max(0.0, self.max_s - (now_ms() - self.started_ms) / 1000)

    def as_json(self) -> dict[str, Any]:
        return {"session": self.id, "kind": self.kind, "prio": self.prio, "url": self.url, "item": self.item_id,
                "groups": self.groups, "started_ms": self.started_ms, "t0": self.t0, "ended_ms": self.ended_ms,
                "end_reason": self.end_reason, "archive_item": self.archive_item_id, **self.counts(),
                "devices": {d: _device_json(self.status.get(d, DeviceStatus())) for d in sorted(self.devices)}}


def _device_json(s: DeviceStatus) -> dict[str, Any]:
    return {"joined": s.joined_ms is not None, "playing": s.playing, "left_reason": s.reason,
            "played_ms": s.played_ms, "latency_ms": s.latency_ms}


def _roles(value: str | Iterable[str]) -> frozenset[str]:
    return frozenset(r.strip() for r in (value.split(",") if isinstance(value, str) else value) if r.strip())


class LiveService:
    """``publish(topic, payload) -> bool`` sends one QoS 1 message; ``server`` is the media server that
    carries the live streams (``add_channel``/``remove_channel``/``live_url``)."""

    def __init__(self, scheduler: Scheduler, site: str, publish: Callable[[str, bytes], bool], server=None, *,
                 live_roles: str | Iterable[str] = "editor,approver,admin",
                 emergency_roles: str | Iterable[str] = "approver,admin", archive_dir: Path | None = None,
                 asrun=None, on_change: Callable[[], None] | None = None, live_max_s: int = LIVE_MAX_S,
                 emergency_max_s: int = EMERGENCY_MAX_S, icecast: tuple[str, str] | None = None) -> None:
        self.scheduler = scheduler
        self.library = scheduler.library
        self.site = site
        self._publish = publish
        self.server = server
        self.live_roles = _roles(live_roles)
        self.emergency_roles = _roles(emergency_roles)
        self.archive_dir = archive_dir
        self.asrun = asrun
        self._on_change = on_change
        self.live_max_s = live_max_s
        self.emergency_max_s = emergency_max_s
        self.icecast = icecast  # (url, source password): relay live streams through Icecast
        self._lock = threading.RLock()
        self.live: Session | None = None
        self.emergency: Session | None = None
        self.history: list[Session] = []  # ended sessions, newest last

    # -- targets --------------------------------------------------------------------------------

    def groups_for(self, targets: Targets) -> list[str]:
        """Group topics that reach ``targets``: every device's standing groups (docs/live.md)."""
        if not targets:
            return [ALL_GROUP]
        out = list(targets.groups)
        with self.scheduler._db.sessions() as session:
            from console.store import repo
            for code in targets.units:
                units = repo.unit_by_code(session, code) or []
                out += [comp.unit_group(u.code) for u in units] or [comp.unit_group(code)]
        out += [comp.device_group(d) for d in targets.devices]
        return sorted(set(out))

    def devices_for(self, targets: Targets) -> frozenset[str]:
        with self.scheduler._db.sessions() as session:
            m = self.scheduler.membership(session)
            return m.resolve(session, targets) if targets else frozenset(m.devices)

    def summary(self, targets: Targets) -> dict[str, Any]:
        """What an emergency would interrupt, for the confirmation: device count, the live session and
        the scheduled programmes airing now on those devices."""
        devices = self.devices_for(targets)
        now = self.scheduler.now()
        airing = [o for o in self.scheduler.occurrences(now, now) if o.devices & devices and o.start <= now < o.end]
        return {"devices": len(devices), "groups": self.groups_for(targets),
                "live": self.live.id if self.live else None,
                "airing": [{"schedule": o.schedule_id, "title": o.title, "end": o.end.isoformat()} for o in airing]}

    # -- commands -------------------------------------------------------------------------------

    def _send(self, groups: list[str], op: str, args: dict[str, Any]) -> list[str]:
        """Publish a group command to each group; returns the groups the broker did not acknowledge."""
        failed = []
        for g in groups:
            cmd = make(Command, cid=uuid.uuid4().hex[:16], op=op, args=args, exp=now_ms() + COMMAND_TTL_S * 1000)
            if not self._publish(topics.group(self.site, g, "cmd"), encode(cmd)):
                failed.append(g)
        if failed:
            log.warning("%s not acknowledged by the broker for group(s) %s", op, ", ".join(failed))
        return failed

    def check(self, kind: str) -> None:
        """Raise LiveRefused unless the user may take ``kind`` ("live" or "emergency")."""
        roles = self.emergency_roles if kind == "emergency" else self.live_roles
        if self.scheduler.role not in roles:
            what = "start an emergency broadcast" if kind == "emergency" else "go live"
            raise LiveRefused(f"may_not_{kind}", f"{self.scheduler.user} ({self.scheduler.role}) may not {what}.")

    def _new_session(self, kind: str, targets: Targets, max_s: int, **kw) -> Session:
        groups = self.groups_for(targets)
        devices = self.devices_for(targets)
        if not devices:
            raise LiveRefused("no_targets", "The chosen targets hold no adopted loudspeaker cluster.")
        sid = f"{'L' if kind == 'live' else 'E'}{datetime.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
        return Session(sid, kind, kind, targets, groups, devices, self.scheduler.user, now_ms(), max_s=max_s, **kw)

    def _start_broadcast(self, s: Session, source, chime: bool, on_level) -> None:
        from console.live.stream import LiveBroadcast, LiveChannel

        if self.server is None:
            raise LiveRefused("no_server", "There is no media server to carry the live stream.")
        channel = LiveChannel()
        self.server.add_channel(s.id, channel)
        s.url = self.server.live_url(s.id)
        archive = (self.archive_dir / f"{s.id}.wav") if self.archive_dir is not None else None
        if archive is not None:
            archive.parent.mkdir(parents=True, exist_ok=True)
        s.broadcast = LiveBroadcast(source, channel, archive_path=archive, chime=chime, max_s=s.max_s,
                                    on_level=on_level, on_end=lambda reason: self._ended(s, reason))
        if self.icecast is not None:
            # Devices play the stream from Icecast (an existing relay the station runs), fed from ours.
            from console.live.icecast import IcecastPush

            url, password = self.icecast
            s.push = IcecastPush(url, f"/{s.id}.mp3", password=password, name=f"{self.site} {s.kind}").start(channel)
            s.url = s.push.public_url
        s.broadcast.start()
        s.t0 = s.broadcast.t0

    def go_live(self, source, targets: Targets = Targets(), *, chime: bool = True, max_s: int | None = None,
                on_level: Callable | None = None) -> Session:
        """Start a live announcement from ``source`` (console.live.source) to ``targets`` (nothing:
        every device). A running live session is taken over (last wins)."""
        self.check("live")
        max_s = max_s or self.live_max_s
        if self.live is not None:
            self.stop(self.live.id, "taken over")  # outside the lock: it publishes
        with self._lock:
            s = self._new_session("live", targets, max_s)
            self._start_broadcast(s, source, chime, on_level)
            self.live = s
        self._send(s.groups, "live.start", {"session": s.id, "url": s.url, "prio": "live", "chime": chime,
                                            "t0": s.t0, "max_s": max_s})
        self._changed()
        return s

    def start_emergency(self, targets: Targets = Targets(), *, item_id: int | None = None, source=None,
                        max_s: int | None = None, chime: bool = True, on_level: Callable | None = None) -> Session:
        """An emergency broadcast of a prepared library item, or live from ``source``, to ``targets``
        (nothing: every device). It preempts everything below it on the devices; a running emergency is
        taken over (last wins)."""
        self.check("emergency")
        max_s = max_s or self.emergency_max_s
        if (item_id is None) == (source is None):
            raise LiveRefused("no_media", "Choose a prepared emergency item or a live input, not both or neither.")
        args: dict[str, Any] = {"max_s": max_s}
        if item_id is not None:
            d = self.scheduler.distribution(item_id)  # approved only; rendered if needed
            base = self.server.base_url if self.server is not None else ""
            args["item"] = {"sha256": d["sha256"], "url": f"{base}/{d['name']}", "bytes": d["bytes"],
                            "codec": d["codec"], "dur_ms": d["duration_ms"]}
        if self.emergency is not None:
            self.stop(self.emergency.id, "taken over")  # outside the lock: it publishes
        with self._lock:
            s = self._new_session("emergency", targets, max_s, item_id=item_id,
                                  item_ms=args["item"]["dur_ms"] if item_id is not None else None)
            if source is not None:
                self._start_broadcast(s, source, chime, on_level)
                args["url"] = s.url
            self.emergency = s
        s.start_args = {"session": s.id, "t0": s.t0, **args}
        s.max_s_each = max_s
        self._send(s.groups, "emergency.start", s.start_args)
        if item_id is not None:
            dur = args["item"]["dur_ms"] / 1000
            self._later(min(dur, max_s) + 1, self._ended, s, "ended")
        self._changed()
        return s

    def prepare(self, item_id: int) -> dict[str, Any]:
        """Render an emergency item for distribution ahead of need (the dialog calls this when the
        item is chosen), so that confirming sends it at once."""
        return self.scheduler.distribution(item_id)

    def renew(self) -> Session | None:
        """Give the running emergency its full maximum duration again, from now (devices renew it
        when they get ``emergency.start`` for the session they play)."""
        with self._lock:
            s = self.emergency
            if s is None:
                return None
            s.max_s = (now_ms() - s.started_ms) / 1000 + s.max_s_each
            args = dict(s.start_args, max_s=s.max_s_each)
        if s.broadcast is not None:
            s.broadcast.set_max_s(s.max_s)
        self._send(s.groups, "emergency.start", args)
        self._changed()
        return s

    def stop(self, session_id: str | None = None, reason: str = "stopped") -> Session | None:
        """Stop a session (default: the emergency if one runs, else the live one)."""
        with self._lock:
            s = next((x for x in (self.emergency, self.live) if x is not None and session_id in (None, x.id)), None)
        if s is None:
            return None
        if s.broadcast is not None:
            s.broadcast.stop()
        self._ended(s, reason)
        return s

    def _ended(self, s: Session, reason: str) -> None:
        """The session is over (stopped, its source ended, max duration): tell the devices once, then
        finish it after a grace period for their last reports."""
        with self._lock:
            if s.ended_ms is not None:
                return
            s.ended_ms, s.end_reason = now_ms(), reason
            if self.live is s:
                self.live = None
            if self.emergency is s:
                self.emergency = None
            self.history.append(s)
        self._send(s.groups, f"{s.kind}.stop", {"session": s.id})
        if s.push is not None:
            s.push.stop(5)
        if self.server is not None and s.broadcast is not None:
            self.server.remove_channel(s.id)
        log.info("%s session %s ended: %s", s.kind, s.id, reason)
        self._later(RECEIPT_GRACE_S, self._finish, s)
        self._changed()

    @staticmethod
    def _later(delay: float, fn: Callable, *args) -> None:
        timer = threading.Timer(delay, fn, args)
        timer.daemon = True  # a command line that is done need not wait for it
        timer.start()

    def _finish(self, s: Session) -> None:
        try:
            self._receipts(s)
        except Exception as e:  # noqa: BLE001 - the archive still matters
            log.warning("receipts of %s failed: %s", s.id, e)
        try:
            self._archive(s)
        except Exception as e:  # noqa: BLE001
            log.warning("archiving %s failed: %s", s.id, e)
        self._changed()

    def _receipts(self, s: Session) -> None:
        if self.asrun is None:
            return
        dur = (s.ended_ms or now_ms()) - s.started_ms
        rows = []
        for dev in sorted(s.devices):
            st = s.status.get(dev)
            if st is None or not st.responded:
                rows.append((dev, "missed", 0, "no response"))
            elif st.joined_ms is None:
                rows.append((dev, "failed", 0, st.reason or "did not play"))
            else:
                played = st.played_ms if st.played_ms is not None else max(0, (st.left_ms or s.ended_ms or now_ms()) - st.joined_ms)
                full = st.reason in ("", "stopped", "ended", "finished", "stream ended")
                rows.append((dev, "played" if full else "partial", played, "" if full else st.reason))
        part = (None, s.started_ms, dur)
        self.asrun.scheduler._write(lambda ses: [self.asrun.put_receipt(ses, s.id, dev, part, *r) for dev, *r in rows])

    def _archive(self, s: Session) -> None:
        if s.broadcast is None or not getattr(s.broadcast, "archive_path", None):
            return
        path = Path(s.broadcast.archive_path)
        if not path.exists() or path.stat().st_size <= 44:
            return
        [r] = self.library.import_files([path])
        if not r.ok:
            log.warning("the archive of %s was not imported: %s", s.id, r.error)
            return
        when = datetime.fromtimestamp(s.started_ms / 1000)
        kind = "Emergency" if s.kind == "emergency" else "Live"
        self.library.update_metadata(
            r.id, title=f"{kind} {when:%Y-%m-%d %H:%M}", source="live", author=s.user,
            category="emergency" if s.kind == "emergency" else "news", tags=["live", s.kind],
            notes=f"{s.id}; by {s.user}; targets: {', '.join(s.groups)}; {len(s.devices)} devices; ended: {s.end_reason}")
        s.archive_item_id = r.id
        path.unlink(missing_ok=True)

    # -- device events (the ingest worker calls this) ------------------------------------------

    def on_events(self, events: list[dict]) -> None:
        with self._lock:
            sessions = {s.id: s for s in (self.live, self.emergency, *self.history[-4:]) if s is not None}
        if not sessions:
            return
        changed = False
        for e in events:
            data = e.get("data") or {}
            sid = data.get("session") or data.get("item")
            s = sessions.get(sid) if isinstance(sid, str) else None
            if s is None:
                continue
            st = s.status.setdefault(e["device_id"], DeviceStatus())
            st.responded = True
            typ, ts = e["type"], e["ts"]
            if typ in ("live.joined", "play.started"):
                st.joined_ms = st.joined_ms or ts
            elif typ in ("live.left", "play.finished", "play.preempted", "play.failed"):
                st.left_ms = ts
                st.reason = str(data.get("reason") or ("preempted by " + str(data.get("by"))
                                                       if typ == "play.preempted" else ""))
                if isinstance(data.get("played_ms"), int):
                    st.played_ms = data["played_ms"]
            elif typ == "live.marker" and st.latency_ms is None and s.t0 is not None:
                st.latency_ms = ts - s.t0
            changed = True
        if changed:
            self._changed()

    def _changed(self) -> None:
        if self._on_change is not None:
            self._on_change()

    def latencies(self) -> dict[str, int]:
        """Each device's last measured live latency (ms), newest session first."""
        out: dict[str, int] = {}
        with self._lock:
            sessions = [s for s in (self.live, self.emergency) if s] + list(reversed(self.history))
        for s in sessions:
            for dev, st in s.status.items():
                if st.latency_ms is not None:
                    out.setdefault(dev, st.latency_ms)
        return out

    def shutdown(self) -> None:
        for s in (self.live, self.emergency):
            if s is not None:
                self.stop(s.id, "console closed")


def wait_for(predicate: Callable[[], bool], timeout: float, step: float = 0.05) -> bool:
    """Poll ``predicate`` until true or ``timeout`` (for the CLI, which has no event loop)."""
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() >= end:
            return False
        time.sleep(step)
    return True
