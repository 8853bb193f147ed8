"""Compile the approved schedules and publish what devices hold (docs/scheduling.md, "Dispatch").

For each group a retained ``sched`` document with the window's occurrences; for each device a
retained ``config`` with its groups. A document is published only when its hash changed, with the
next ``rev`` (kept in the ``publications`` table so revisions only grow across restarts): one message
per changed group, not per device. :class:`Dispatcher` also runs a thread that republishes when asked
(a schedule approved, a group changed), when the local date changes (the window rolls) and every
minute as a safety net for changes made by other processes (the CLI).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Callable

import msgspec
from sqlalchemy import select

from console.fleet import topics
from console.fleet.schemas import Config, encode, make
from console.schedule import compile as comp
from console.schedule.service import Scheduler
from console.store.models import Publication, now_ms

log = logging.getLogger(__name__)

RECHECK_S = 60.0
SIGNATURE_GRACE = timedelta(days=2)  # signed media URLs stay valid this long after the window


@dataclass
class Published:
    groups: dict[str, int] = field(default_factory=dict)  # group -> rev, for documents published now
    configs: dict[str, int] = field(default_factory=dict)  # device -> rev
    unchanged: int = 0
    failed: list[str] = field(default_factory=list)  # topics the broker did not acknowledge
    errors: list[str] = field(default_factory=list)  # schedules that could not be compiled

    @property
    def messages(self) -> int:
        return len(self.groups) + len(self.configs)

    def as_json(self) -> dict[str, Any]:
        return {"groups": self.groups, "configs": len(self.configs), "messages": self.messages,
                "unchanged": self.unchanged, "failed": self.failed, "errors": self.errors}


def _hash(obj: Any) -> str:
    return hashlib.sha256(msgspec.json.encode(obj, order="sorted")).hexdigest()


class Dispatcher:
    """``publish(topic, payload) -> bool`` sends one retained QoS 1 message and says if the broker
    acknowledged it; ``media_url(name, expires_at)`` gives a device's URL for a file of the store."""

    def __init__(self, scheduler: Scheduler, site: str, publish: Callable[[str, bytes], bool],
                 media_base: str, media_url: Callable[[str, float | None], str] | None = None, *,
                 render_options: dict[str, Any] | None = None, window_days: int = 7) -> None:
        self.scheduler = scheduler
        self.site = site
        self._publish = publish
        self.media_base = media_base.rstrip("/")
        self._media_url = media_url or (lambda name, exp: f"{self.media_base}/{name}")
        self.render_options = render_options or {}
        self.window_days = window_days
        self.last: Published | None = None
        self.last_error = ""
        self._lock = threading.Lock()  # one publication at a time
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- compile and publish --------------------------------------------------------------------

    def publish(self) -> Published:
        with self._lock:
            start, end = self.scheduler.window(self.window_days)
            expires = (end + SIGNATURE_GRACE).timestamp()
            refs: dict[int, comp.MediaRef] = {}

            def media(item_id: int) -> comp.MediaRef:
                if item_id not in refs:
                    d = self.scheduler.distribution(item_id, **self.render_options)
                    refs[item_id] = comp.MediaRef(d["sha256"], self._media_url(d["name"], expires), d["bytes"],
                                                  d["codec"], d["duration_ms"])
                return refs[item_id]

            plan = self.scheduler.plan(start, end, media)
            out = Published(errors=plan.errors)
            with self.scheduler._db.sessions() as session:
                known = {p.topic: (p.rev, p.hash) for p in session.scalars(select(Publication))}
            wanted: dict[str, tuple[str, Callable[[int], bytes]]] = {}
            tz = self.scheduler.tz
            sched_prefix = topics.group(self.site, "", "")[:-2]
            for grp, items in plan.items.items():
                if grp in plan.blocked:
                    continue
                wanted[topics.group(self.site, grp, "sched")] = self._sched(items, start, end, tz)
            # Groups published before but gone now get an empty document, so devices drop their items.
            for topic in known:
                if topic.startswith(sched_prefix) and topic.endswith("/sched") and topic not in wanted \
                        and topics.parse(topic).ident not in plan.blocked:
                    wanted[topic] = self._sched([], start, end, tz)
            for dev, groups in plan.configs.items():
                doc = {"groups": groups, "media_base": self.media_base}
                wanted[topics.device(self.site, dev, "config")] = (
                    _hash(doc), lambda rev, g=groups: encode(make(Config, rev=rev, groups=g, media_base=self.media_base)))
            records = []
            for topic, (digest, build) in wanted.items():
                old_rev, old_hash = known.get(topic, (0, ""))
                if digest == old_hash:
                    out.unchanged += 1
                    continue
                rev = old_rev + 1
                payload = build(rev)
                if not self._publish(topic, payload):
                    out.failed.append(topic)
                    continue
                records.append((topic, rev, digest))
                t = topics.parse(topic)
                (out.groups if t.leaf == "sched" else out.configs)[t.ident] = rev
            if records:
                self.scheduler._write(lambda s: self._record(s, records))
            self.last = out
            return out

    @staticmethod
    def _sched(items: list[dict[str, Any]], start, end, tz: str) -> tuple[str, Callable[[int], bytes]]:
        doc = comp.sched_document(items, start, end, tz, 0)
        return doc["hash"], lambda rev: msgspec.json.encode(doc | {"rev": rev})

    @staticmethod
    def _record(session, records: list[tuple[str, int, str]]) -> None:
        ts = now_ms()
        for topic, rev, digest in records:
            row = session.get(Publication, topic)
            if row is None:
                session.add(Publication(topic=topic, rev=rev, hash=digest, published_at=ts, doc={}))
            else:
                row.rev, row.hash, row.published_at = rev, digest, ts

    # -- background -----------------------------------------------------------------------------

    def request(self) -> None:
        """Republish soon (something that affects the devices' documents changed)."""
        self._wake.set()

    def start(self) -> Dispatcher:
        self._thread = threading.Thread(target=self._run, name="dispatch", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        next_check = 0.0
        while not self._stop.is_set():
            self._wake.wait(max(0.0, next_check - time.monotonic()))
            if self._stop.is_set():
                break
            self._wake.clear()
            try:
                result = self.publish()
                self.last_error = "; ".join(result.errors)
                if result.messages or result.failed:
                    log.info("published %d schedule and %d config documents (%d failed)",
                             len(result.groups), len(result.configs), len(result.failed))
            except Exception as e:  # noqa: BLE001 - keep the loop; say why
                self.last_error = str(e)
                log.warning("publishing schedules failed: %s", e)
            next_check = time.monotonic() + RECHECK_S
            # The window rolls at local midnight: wake then, too.
            now = self.scheduler.now()
            midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=5, microsecond=0)
            next_check = min(next_check, time.monotonic() + (midnight - now).total_seconds())
