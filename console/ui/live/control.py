"""The one object between the live widgets and ``LiveService`` (``station.live``).

Calls that may block (starting a broadcast opens the source and publishes to every target group,
stopping publishes too, the confirmation's summary and the device count query the database) run on
the task API; their results come back on the GUI thread as signals. The sessions' status (elapsed
time, devices joined, the end) is read from the service on one timer (:data:`POLL_MS`) and
``changed`` is emitted only when something shown changed: never per device event. The audio level
arrives on the broadcast's thread into :class:`~console.ui.live.model.Levels`, which the meter polls.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from console.schedule.model import Targets
from console.store.models import now_ms
from console.ui.live.model import KINDS_ORDER, Levels, Snapshot, refusal_text, snapshot
from console.ui.tasks import Task, TaskManager

log = logging.getLogger(__name__)

POLL_MS = 250
LATENCY_EVERY = 20  # poll ticks between two readings of the devices' live latencies (5 s)

EVERY_CLUSTER = Targets()  # no targets: every cluster of the station
SourceFactory = Callable[[], Any]  # makes a fresh console.live.source source (a source is used once)


class LiveControl(QObject):
    """``service`` is a ``console.live.service.LiveService``.

    Signals: ``changed()`` when a session's shown state changed (polled); ``started(kind, session)``;
    ``failed(kind, message, code)`` when a start or stop was refused or failed (the message in words;
    ``code`` is ``LiveRefused.code``, "" for other failures);
    ``ended(kind, session)`` when a session is over (its ``end_reason`` says why).
    """

    changed = Signal()
    started = Signal(str, object)
    failed = Signal(str, str, str)
    ended = Signal(str, object)

    def __init__(self, service, parent: QObject | None = None, interval_ms: int = POLL_MS):
        super().__init__(parent)
        self.service = service
        self.tasks = TaskManager(self)
        self.levels = Levels()
        self.latencies: dict[str, int] = {}  # device -> ms, refreshed every few seconds
        self.sessions: dict[str, Any] = {k: None for k in KINDS_ORDER}  # running, as last polled
        self.last: dict[str, Any] = {k: None for k in KINDS_ORDER}  # the newest session, running or ended
        self.busy: dict[str, bool] = {k: False for k in KINDS_ORDER}  # a start or stop is on its way
        self.lengths: dict[str, float] = {}  # session -> how long it plays (a prepared item: its length)
        self._shown: tuple = ()
        self._open: dict[str, Any] = {}  # sessions seen and not yet reported ended
        self._latency_task: Task | None = None
        self._ticks = 0
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        self.timer.start()
        self.refresh_latencies()

    # -- who may ----------------------------------------------------------------------------------

    @property
    def role(self) -> str:
        return self.service.scheduler.role

    def refusal(self, kind: str) -> str | None:
        """Why the user may not start a ``kind`` session, in words, or None when they may.
        (The service decides: its own permission check, which raises ``LiveRefused``.)"""
        check = self.service.check
        try:
            check(kind)
        except Exception as exc:  # noqa: BLE001 - LiveRefused, in words
            return self.message(exc)
        return None

    def message(self, exc: BaseException) -> str:
        return refusal_text(exc, self.role)

    @property
    def max_s(self) -> dict[str, int]:
        return {"live": self.service.live_max_s, "emergency": self.service.emergency_max_s}

    # -- actions (each on a worker) ---------------------------------------------------------------

    def go_live(self, make_source: SourceFactory, targets: Targets = EVERY_CLUSTER, *, chime: bool = True,
                max_s: int | None = None) -> Task:
        """Start a live announcement from a new source of ``make_source`` to ``targets`` (empty: every
        cluster); ``started``/``failed`` follow."""
        levels = self.levels

        def work(progress, cancel):
            return self.service.go_live(make_source(), targets, chime=chime, max_s=max_s, on_level=levels.put)

        levels.reset()
        return self._start("live", work)

    def start_emergency(self, targets: Targets = EVERY_CLUSTER, *, item_id: int | None = None,
                        item_ms: int | None = None, make_source: SourceFactory | None = None, chime: bool = True,
                        max_s: int | None = None) -> Task:
        """An emergency broadcast of a prepared item (``item_ms`` long: the devices play it once) or live
        from a new source of ``make_source``."""
        levels = self.levels

        def work(progress, cancel):
            source = make_source() if make_source is not None else None
            return self.service.start_emergency(targets, item_id=item_id, source=source, max_s=max_s, chime=chime,
                                                on_level=levels.put if source is not None else None)

        if make_source is not None:
            levels.reset()
        return self._start("emergency", work, item_ms / 1000 if item_ms else None)

    def _start(self, kind: str, work, length_s: float | None = None) -> Task:
        self.busy[kind] = True
        return self.tasks.run(work, on_done=lambda s: self._started(kind, s, length_s),
                              on_error=lambda exc: self._failed(kind, exc))

    def _started(self, kind: str, session, length_s: float | None = None) -> None:
        self.busy[kind] = False
        self.last[kind] = session
        self._open.setdefault(session.id, session)
        if length_s is not None:
            self.lengths[session.id] = min(length_s, session.max_s)
        self.started.emit(kind, session)
        self.poll()

    def _failed(self, kind: str, exc: BaseException) -> None:
        self.busy[kind] = False
        if not hasattr(exc, "code"):
            log.warning("%s: %s", kind, exc)
        self.failed.emit(kind, self.message(exc), str(getattr(exc, "code", "")))
        self.poll()

    def stop(self, kind: str, session_id: str | None = None, reason: str = "stopped") -> Task | None:
        """Stop the running ``kind`` session (or ``session_id``, if it still runs)."""
        session = self.service.emergency if kind == "emergency" else self.service.live
        if session is None or session_id not in (None, session.id):
            return None
        sid = session.id
        self.busy[kind] = True

        def done(_result) -> None:
            self.busy[kind] = False
            self.poll()

        return self.tasks.run(lambda progress, cancel: self.service.stop(sid, reason), on_done=done,
                              on_error=lambda exc: self._failed(kind, exc))

    # Reads for a view: run on the view's own TaskManager (``tasks``, parented to the view), so that a
    # result arriving after the view was closed never reaches a deleted widget (console/ui/tasks.py).

    def summary(self, tasks: TaskManager, targets: Targets, on_done: Callable[[dict], None],
                on_error: Callable[[BaseException], None]) -> Task:
        """What an emergency to ``targets`` would interrupt (``LiveService.summary``)."""
        return tasks.run(lambda progress, cancel: self.service.summary(targets), on_done=on_done, on_error=on_error)

    def count_devices(self, tasks: TaskManager, targets: Targets, on_done: Callable[[int], None],
                      on_error: Callable[[BaseException], None] | None = None) -> Task:
        """How many clusters ``targets`` reach (empty: every cluster)."""
        return tasks.run(lambda progress, cancel: len(self.service.devices_for(targets)), on_done=on_done,
                         on_error=on_error or (lambda exc: log.warning("counting the targets: %s", exc)))

    # -- status -----------------------------------------------------------------------------------

    def snapshot(self, kind: str) -> Snapshot | None:
        """The running ``kind`` session, else the last one (ended), as shown now."""
        s = self.sessions[kind] or self.last[kind]
        return snapshot(s, now_ms(), self.lengths.get(s.id)) if s is not None else None

    def running(self, kind: str) -> Snapshot | None:
        s = self.sessions[kind]
        return snapshot(s, now_ms(), self.lengths.get(s.id)) if s is not None else None

    def poll(self) -> None:
        """Read the service's sessions (cheap: attributes and counters, no lock, no I/O)."""
        for kind in KINDS_ORDER:
            current = getattr(self.service, kind)
            self.sessions[kind] = current
            if current is not None:
                self.last[kind] = current
                self._open.setdefault(current.id, current)
        # Every session seen (polled, or started here: it may have ended between two polls) ends once.
        for sid, session in list(self._open.items()):
            if session.ended_ms is not None:
                del self._open[sid]
                self.ended.emit(session.kind, session)
                self.refresh_latencies()
        shown = tuple((s.shown() if s else None) for s in map(self.snapshot, KINDS_ORDER)) + \
            tuple(self.busy.values())
        if shown != self._shown:
            self._shown = shown
            self.changed.emit()
        self._ticks += 1
        if self._ticks % LATENCY_EVERY == 0:
            self.refresh_latencies()

    def refresh_latencies(self) -> None:
        """Read ``LiveService.latencies()`` on a worker (it takes the service's lock); one at a time."""
        if self._latency_task is not None:
            return

        def done(result: dict[str, int]) -> None:
            self._latency_task = None
            self.latencies = result

        def failed(exc: BaseException) -> None:
            self._latency_task = None
            log.warning("reading the live latencies: %s", exc)

        self._latency_task = self.tasks.run(lambda progress, cancel: self.service.latencies(), on_done=done,
                                            on_error=failed)

    def latency(self, device: str) -> int | None:
        return self.latencies.get(device)

    def shutdown(self) -> None:
        self.timer.stop()
        self.tasks.shutdown()
