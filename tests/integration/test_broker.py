"""The embedded broker: Mosquitto when installed, amqtt otherwise, and no broker left behind."""

import pytest

from console.fleet import broker as broker_mod
from console.fleet.broker import BrokerError, MosquittoBroker, start_embedded_broker
from fixtures.waiting import wait_until


def test_falls_back_to_amqtt_without_mosquitto(monkeypatch):
    monkeypatch.setattr(broker_mod, "find_mosquitto", lambda: None)
    b = start_embedded_broker()
    try:
        assert b.kind == "amqtt" and not b.mqtt5 and b.url.startswith("mqtt://127.0.0.1:")
    finally:
        b.stop()
    with pytest.raises(BrokerError, match="not installed"):
        start_embedded_broker("mosquitto")


def test_a_broker_left_by_a_killed_console_is_stopped_at_the_next_start(mosquitto, tmp_path):
    workdir = tmp_path / "station-broker"
    orphan = MosquittoBroker(mosquitto.proc.args[0], workdir=workdir)
    broker_mod._running.discard(orphan)  # as if its console had died without stopping it
    successor = MosquittoBroker(mosquitto.proc.args[0], workdir=workdir)
    try:
        assert wait_until(lambda: orphan.proc.poll() is not None, 10)
        assert successor.proc.poll() is None
    finally:
        successor.stop()
        orphan.stop()
