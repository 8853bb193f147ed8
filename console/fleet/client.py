"""The console's MQTT client: paho 2.x with the habits of Home Assistant's client.

* MQTT 5 when the broker offers it, 3.1.1 otherwise (probed at the first connect).
* TLS and username/password from :class:`~console.settings.BrokerConfig`.
* Automatic reconnect with backoff (paho's loop thread), and re-subscription after every connect.
* Its own presence topic: retained ``online`` at connect, and a last will ``offline``.
* ``publish_wait`` waits for the broker's acknowledgement with a timeout.
* Callbacks never touch widgets and are wrapped so that one failing handler cannot kill paho's loop.
"""

from __future__ import annotations

import logging
import socket
import ssl
import threading
import uuid
from typing import Callable

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from console.fleet import schemas, topics
from console.fleet.state import now_ms
from console.settings import BrokerConfig

log = logging.getLogger(__name__)

UNSUPPORTED_PROTOCOL = 132  # MQTT 5 reason code; 3.1.1 brokers answer CONNACK rc 1, which paho maps here


class ConnectError(RuntimeError):
    """The broker cannot be reached or refused us; the message is one clear line."""


def _reason_value(rc) -> int:
    return rc.value if hasattr(rc, "value") else int(rc)


class MqttClient:
    """A connected paho client with subscriptions kept across reconnects.

    ``on_message(client, userdata, msg)`` is called on paho's thread for every subscribed message.
    ``on_connection(connected: bool)`` is called on paho's thread at every (dis)connect.
    """

    def __init__(self, broker: BrokerConfig, *, client_id: str | None = None, site: str | None = None,
                 on_message: Callable | None = None, on_connection: Callable[[bool], None] | None = None,
                 keepalive: int = 30, protocol: str = "auto", session_expiry_s: int = 0):
        self.broker = broker
        self.client_id = client_id or f"tt-console-{uuid.uuid4().hex[:10]}"
        self.site = site
        self.keepalive = keepalive
        self.on_message = on_message
        self.on_connection = on_connection
        self._protocol = protocol  # "auto", "5" or "3.1.1"
        # > 0: a persistent session, so the broker keeps QoS 1 messages (device events, acks) for us
        # while we are away, e.g. across a console restart. Needs a stable client id.
        self.session_expiry_s = session_expiry_s
        self._subs: dict[str, int] = {}
        self._lock = threading.Lock()
        self._connected = threading.Event()
        self._first = threading.Event()
        self._first_error: str | None = None
        self._closing = False
        self.connects = 0
        self.mqtt5 = False
        self._client: mqtt.Client | None = None

    # Set-up -------------------------------------------------------------------------------------
    def _make(self, v5: bool) -> mqtt.Client:
        b = self.broker
        c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=self.client_id,
                        protocol=mqtt.MQTTv5 if v5 else mqtt.MQTTv311, transport=b.transport,
                        reconnect_on_failure=True,
                        **({} if v5 else {"clean_session": not self.session_expiry_s}))
        if b.username:
            c.username_pw_set(b.username, b.password)
        if b.tls:
            c.tls_set(ca_certs=b.ca_file or None, certfile=b.cert_file or None, keyfile=b.key_file or None,
                      cert_reqs=ssl.CERT_REQUIRED)
            c.tls_insecure_set(bool(b.tls_insecure))
        if self.site:
            c.will_set(topics.console_state(self.site), self._presence("offline"), qos=1, retain=True)
        c.reconnect_delay_set(1, 30)
        c.max_queued_messages_set(100_000)
        c.on_connect = self._on_connect
        c.on_disconnect = self._on_disconnect
        c.on_message = self._on_message
        return c

    @staticmethod
    def _presence(state: str) -> bytes:
        return schemas.encode(schemas.make(schemas.ConsoleState, state=state, ts=now_ms()))

    def connect(self, timeout: float = 10.0) -> "MqttClient":
        """Connect (probing MQTT 5 first) and start paho's loop thread. Raise :class:`ConnectError`."""
        attempts = [True, False] if self._protocol == "auto" else [self._protocol == "5"]
        for v5 in attempts:
            self._first.clear()
            self._first_error = None
            self._client = self._make(v5)
            kw = {}
            if v5:
                kw["clean_start"] = not self.session_expiry_s
                if self.session_expiry_s:
                    kw["properties"] = Properties(PacketTypes.CONNECT)
                    kw["properties"].SessionExpiryInterval = self.session_expiry_s
            try:
                self._client.connect(self.broker.host, self.broker.port, keepalive=self.keepalive, **kw)
            except (OSError, socket.gaierror, ssl.SSLError, ValueError) as e:
                raise ConnectError(f"cannot reach the MQTT broker at {self.broker.url}: {e}") from None
            self._client.loop_start()
            # Some 3.1.1-only brokers (amqtt) never answer an MQTT 5 CONNECT that carries a will:
            # wait a little for the probe, then fall back.
            probing = v5 and len(attempts) > 1
            if not self._first.wait(min(timeout, 3.0) if probing else timeout):
                self._stop_loop()
                if probing:
                    continue
                raise ConnectError(f"no answer from the MQTT broker at {self.broker.url} within {timeout:.0f} s")
            if self._first_error is None:
                self.mqtt5 = v5
                return self
            self._stop_loop()
            if self._first_error != "protocol":
                raise ConnectError(f"the MQTT broker at {self.broker.url} refused the connection: {self._first_error}")
        raise ConnectError(f"the MQTT broker at {self.broker.url} speaks neither MQTT 5 nor 3.1.1")

    def _stop_loop(self) -> None:
        c, self._client = self._client, None
        if c is not None:
            c.disconnect()
            c.loop_stop()

    def disconnect(self) -> None:
        """Publish the console's own ``offline`` (clean shutdown) and disconnect."""
        self._closing = True
        c = self._client
        if c is None:
            return
        if self.site and self._connected.is_set():
            info = c.publish(topics.console_state(self.site), self._presence("offline"), qos=1, retain=True)
            try:
                info.wait_for_publish(2)
            except (RuntimeError, ValueError):
                pass
        self._stop_loop()
        self._connected.clear()
        self._closing = False

    # paho callbacks (network thread) ------------------------------------------------------------
    def _on_connect(self, client, userdata, flags, reason_code, properties) -> None:
        rc = _reason_value(reason_code)
        if rc != 0:
            if not self._first.is_set():
                self._first_error = "protocol" if rc == UNSUPPORTED_PROTOCOL else str(reason_code)
                self._first.set()
            else:
                log.warning("broker refused reconnect: %s", reason_code)
            return
        self.connects += 1
        with self._lock:
            subs = list(self._subs.items())
        if subs:
            client.subscribe(subs)
        if self.site:
            client.publish(topics.console_state(self.site), self._presence("online"), qos=1, retain=True)
        self._connected.set()
        self._first.set()
        if self.connects > 1:
            log.info("reconnected to %s (%d subscriptions restored)", self.broker.url, len(subs))
        self._notify(True)

    def _on_disconnect(self, client, userdata, flags, reason_code, properties) -> None:
        was = self._connected.is_set()
        self._connected.clear()
        if was and not self._closing:
            log.warning("lost the MQTT broker at %s (%s); reconnecting", self.broker.url, reason_code)
        if was:
            self._notify(False)

    def _notify(self, connected: bool) -> None:
        if self.on_connection:
            try:
                self.on_connection(connected)
            except Exception:  # noqa: BLE001
                log.exception("connection callback failed")

    def _on_message(self, client, userdata, msg) -> None:
        if self.on_message:
            try:
                self.on_message(client, userdata, msg)
            except Exception:  # noqa: BLE001 - one bad message must not kill the loop
                log.exception("message handler failed on %r", msg.topic)

    # API ----------------------------------------------------------------------------------------
    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    def wait_connected(self, timeout: float) -> bool:
        return self._connected.wait(timeout)

    def subscribe(self, topic_filter: str, qos: int = 1) -> None:
        """Subscribe now (if connected) and after every reconnect."""
        with self._lock:
            self._subs[topic_filter] = qos
        if self._client is not None and self.connected:
            self._client.subscribe(topic_filter, qos)

    def publish(self, topic: str, payload: bytes, qos: int = 1, retain: bool = False, *,
                expiry_s: int | None = None, response_topic: str | None = None,
                correlation: bytes | None = None) -> mqtt.MQTTMessageInfo:
        if self._client is None:
            raise ConnectError("not connected to the MQTT broker")
        props = None
        if self.mqtt5 and (expiry_s or response_topic or correlation):
            props = Properties(PacketTypes.PUBLISH)
            if expiry_s:
                props.MessageExpiryInterval = int(expiry_s)
            if response_topic:
                props.ResponseTopic = response_topic
            if correlation:
                props.CorrelationData = correlation
        return self._client.publish(topic, payload, qos=qos, retain=retain, properties=props)

    def publish_wait(self, topic: str, payload: bytes, qos: int = 1, retain: bool = False,
                     timeout: float = 5.0, **kw) -> bool:
        """Publish and wait for the broker's acknowledgement (PUBACK for QoS 1); False on timeout."""
        info = self.publish(topic, payload, qos, retain, **kw)
        try:
            info.wait_for_publish(timeout)
        except (RuntimeError, ValueError):
            return False
        return info.is_published()
