"""The fleet service: MQTT client + ingest worker + fleet state + commands, for one site.

Used alike by the GUI, ``serve`` and the ``fleet`` CLI commands. It owns its threads (paho's loop,
the ingest worker, the command timer) and exposes plain methods; the GUI adapts it to Qt signals.
"""

from __future__ import annotations

import logging
import time
from typing import Callable

from console.fleet import topics
from console.fleet.client import MqttClient
from console.fleet.commands import Command, CommandManager
from console.fleet.ingest import EventSink, Ingest
from console.fleet.state import FleetState
from console.settings import BrokerConfig

log = logging.getLogger(__name__)

# Telemetry is QoS 0 by protocol; everything else is QoS 1.
SUBSCRIPTIONS = {"state": 1, "tele": 0, "evt": 1, "ack": 1}
REBIRTH_EVERY_S = 60.0


class FleetService:
    def __init__(self, broker: BrokerConfig, site: str, *, sink: EventSink | None = None,
                 commands_need_adoption: bool = True, keepalive: int = 30,
                 client_id: str | None = None, session_expiry_s: int = 0,
                 on_connection: Callable[[bool], None] | None = None,
                 on_command: Callable[[Command], None] | None = None):
        self.site = site
        self.state = FleetState()
        self._rebirth_asked: dict[str, float] = {}
        self._on_connection = on_connection
        self.ingest = Ingest(site, self.state, sink, on_ack=self._on_ack, on_unborn=self._ask_rebirth)
        self.client = MqttClient(broker, site=site, on_message=self.ingest.on_message,
                                 on_connection=self._connection_changed, keepalive=keepalive,
                                 client_id=client_id, session_expiry_s=session_expiry_s)
        self.commands = CommandManager(
            self.client, site, on_update=on_command,
            allowed=self._adopted if commands_need_adoption else None)

    def _adopted(self, dev_id: str) -> bool:
        d = self.state.get(dev_id)
        return d is not None and d.adopted

    def _on_ack(self, dev_id: str, ack) -> None:
        self.commands.handle_ack(dev_id, ack)

    def _ask_rebirth(self, dev_id: str) -> None:
        """Data from a device whose birth we don't hold (e.g. the console joined after a lost retained
        birth): ask it to publish its birth again, at most once a minute per device."""
        now = time.monotonic()
        if now - self._rebirth_asked.get(dev_id, -1e9) < REBIRTH_EVERY_S or not self._adopted(dev_id):
            return
        self._rebirth_asked[dev_id] = now
        try:
            self.commands.send(dev_id, "rebirth")
        except Exception as e:  # noqa: BLE001 - best effort
            log.debug("rebirth request to %s failed: %s", dev_id, e)

    def _connection_changed(self, connected: bool) -> None:
        if self._on_connection:
            self._on_connection(connected)

    def start(self, timeout: float = 10.0) -> "FleetService":
        """Start the ingest worker and connect; raises ``ConnectError`` if the broker is unreachable."""
        self.ingest.start()
        for leaf, qos in SUBSCRIPTIONS.items():
            self.client.subscribe(topics.device_wildcard(self.site, leaf), qos)
        try:
            self.client.connect(timeout)
        except Exception:
            self.ingest.stop()
            raise
        self.commands.start()
        return self

    def stop(self) -> None:
        self.commands.stop()
        self.client.disconnect()
        self.ingest.stop()

    def send(self, dev_id: str, op: str, args: dict | None = None, **kw) -> Command:
        return self.commands.send(dev_id, op, args, **kw)
