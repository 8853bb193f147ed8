"""Commands to devices with correlation ids, the two-stage ack, retries and expiry.

A command is published (QoS 1, never retained) with a ``cid`` and an absolute ``exp``; on MQTT 5 also
with a message expiry, the device's ack topic as response topic and the cid as correlation data. The
device answers ``accepted`` when it takes the command, then ``done`` or ``error``. Without
``accepted`` in ``accept_timeout`` the command is sent again with the *same* cid (devices dedup),
up to ``retries`` times; past its ``ttl`` it ends as ``timeout``.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

from console.fleet import schemas, topics

log = logging.getLogger(__name__)

FINAL = ("done", "error", "timeout", "refused")


class CommandRefused(RuntimeError):
    """The command cannot be sent (unknown or pending device, bad op)."""


@dataclass
class Command:
    cid: str
    device: str
    op: str
    args: dict[str, Any]
    exp_ms: int
    status: str = "sending"  # sending, sent, accepted, done, error, timeout
    err: str | None = None
    result: dict[str, Any] | None = None
    attempts: int = 0
    sent_at: float = 0.0
    accepted_at: float | None = None
    finished_at: float | None = None
    history: list[tuple[float, str]] = field(default_factory=list)
    _done: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def final(self) -> bool:
        return self.status in FINAL

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a final status (done, error, timeout)."""
        return self._done.wait(timeout)

    def as_dict(self) -> dict[str, Any]:
        return {"cid": self.cid, "device": self.device, "op": self.op, "status": self.status,
                "err": self.err, "result": self.result, "attempts": self.attempts,
                "latency_ms": round((self.finished_at - self.sent_at) * 1000) if self.finished_at else None}


class CommandManager:
    """Sends commands and tracks their acks. ``handle_ack`` is fed by the ingest worker.

    ``on_update(command)`` is called (on the ingest or timer thread) whenever a command's status changes.
    """

    def __init__(self, client, site: str, *, accept_timeout: float = 5.0, retries: int = 2,
                 ttl: float = 30.0, on_update: Callable[[Command], None] | None = None,
                 allowed: Callable[[str], bool] | None = None, clock: Callable[[], float] = time.time):
        self.client = client
        self.site = site
        self.accept_timeout = accept_timeout
        self.retries = retries
        self.ttl = ttl
        self.on_update = on_update
        self.allowed = allowed  # e.g. "is this device adopted?"
        self.clock = clock
        self._lock = threading.Lock()
        self._open: dict[str, Command] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="fleet-commands", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(2)

    def send(self, device: str, op: str, args: dict | None = None, *, ttl: float | None = None) -> Command:
        if op not in schemas.COMMAND_OPS:
            raise CommandRefused(f"unknown command {op!r}")
        if self.allowed is not None and not self.allowed(device):
            raise CommandRefused(f"device {device} is not adopted: adopt it before sending commands")
        now = self.clock()
        cmd = Command(uuid.uuid4().hex[:16], device, op, dict(args or {}), int((now + (ttl or self.ttl)) * 1000))
        with self._lock:
            self._open[cmd.cid] = cmd
        self._publish(cmd)
        return cmd

    def _publish(self, cmd: Command) -> None:
        cmd.attempts += 1
        cmd.sent_at = cmd.sent_at or self.clock()
        payload = schemas.encode(schemas.make(schemas.Command, cid=cmd.cid, op=cmd.op, args=cmd.args, exp=cmd.exp_ms))
        remaining = max(1, int(cmd.exp_ms / 1000 - self.clock()))
        try:
            self.client.publish(topics.device(self.site, cmd.device, "cmd"), payload, qos=1, retain=False,
                                expiry_s=remaining, response_topic=topics.device(self.site, cmd.device, "ack"),
                                correlation=cmd.cid.encode())
        except Exception as e:  # noqa: BLE001 - not connected: the retry timer tries again
            log.warning("command %s to %s not sent yet: %s", cmd.op, cmd.device, e)
        if cmd.status == "sending":
            self._set(cmd, "sent")

    def _set(self, cmd: Command, status: str, err: str | None = None, result: dict | None = None) -> None:
        now = self.clock()
        cmd.status, cmd.err = status, err
        if result is not None:
            cmd.result = result
        cmd.history.append((now, status))
        if status == "accepted":
            cmd.accepted_at = now
        if status in FINAL:
            cmd.finished_at = now
            with self._lock:
                self._open.pop(cmd.cid, None)
            cmd._done.set()
        if self.on_update:
            try:
                self.on_update(cmd)
            except Exception:  # noqa: BLE001
                log.exception("command update callback failed")

    def handle_ack(self, device: str, ack: schemas.Ack) -> None:
        with self._lock:
            cmd = self._open.get(ack.cid)
        if cmd is None or cmd.device != device:
            return  # late, duplicate or foreign ack
        if ack.status == "accepted":
            if cmd.status == "sent":
                self._set(cmd, "accepted")
        else:
            self._set(cmd, ack.status, ack.err, ack.result)

    def tick(self) -> None:
        """Retry commands not yet accepted, time out expired ones (called every 0.25 s by the thread)."""
        now = self.clock()
        with self._lock:
            pending = list(self._open.values())
        for cmd in pending:
            if now * 1000 >= cmd.exp_ms:
                self._set(cmd, "timeout", "no answer from the device before the command expired")
            elif (cmd.status == "sent" and cmd.attempts <= self.retries
                  and now - cmd.sent_at >= self.accept_timeout * cmd.attempts):
                log.info("retrying %s to %s (attempt %d)", cmd.op, cmd.device, cmd.attempts + 1)
                self._publish(cmd)

    def _run(self) -> None:
        while not self._stop.wait(0.25):
            try:
                self.tick()
            except Exception:  # noqa: BLE001
                log.exception("command timer failed")
