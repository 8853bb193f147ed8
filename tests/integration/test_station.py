"""The demo station end to end: embedded broker, simulated fleet at real communes, database."""


from sqlalchemy import func, select

from console import settings as st
from console.station import Station, load_registry
from console.store.models import DeviceEvent
from fixtures.waiting import wait_until



def test_demo_station_runs_adopts_and_persists(tmp_path):
    settings = st.load(cli={"data_dir": str(tmp_path)}, env={})
    station = Station(settings, demo_devices=20).start()
    try:
        state = station.fleet.state
        assert station.demo and station.broker is not None
        assert wait_until(lambda: state.counts()["online"] >= 22)  # 20 adopted + 3 strays, 1 power cut
        adopted = [d for d in state.devices.values() if d.adopted]
        assert len(adopted) == 20
        # Placed at real communes of Gia Lai (GSO province 52): inside Vietnam, with a commune name.
        assert all(d.unit_code and d.unit_name and 12 < d.lat < 16 and 107 < d.lon < 110 for d in adopted)
        assert state.counts()["pending"] == 3
        assert wait_until(lambda: state.counts()["faulty"] >= 2)
        # The power-cut device shows offline after 1.5 x keepalive (10 s in the demo).
        assert wait_until(lambda: state.counts()["offline"] >= 1, 30)

        stray = "NEW-00001"
        station.adopt(stray, name="Cụm loa chợ").result(10)
        assert wait_until(lambda: state.get(stray).adopted and state.get(stray).name == "Cụm loa chợ")
        cmd = station.fleet.send(stray, "ping")
        assert cmd.wait(10) and cmd.status == "done"

        assert station.writer.flush(10)
        with station.db.sessions() as s:
            faults = s.scalar(select(func.count()).select_from(DeviceEvent).where(DeviceEvent.type == "fault.raised"))
            onlines = s.scalar(select(func.count()).select_from(DeviceEvent).where(DeviceEvent.type == "online"))
        assert faults >= 2 and onlines >= 22
    finally:
        station.stop()

    # A restart keeps the registry: the adopted stray stays adopted, nothing is registered twice.
    station = Station(settings, demo_devices=20).start()
    try:
        registry = {r["id"]: r for r in load_registry(station.db)}
        assert len(registry) == 23 and registry["NEW-00001"]["adopted"]
        assert wait_until(lambda: station.fleet.state.counts()["online"] >= 22)
        assert station.fleet.state.counts()["pending"] == 2
    finally:
        station.stop()


def test_device_events_sent_while_the_console_is_down_arrive_after_restart(mosquitto, site, tmp_path):
    """The station keeps a persistent MQTT session: QoS 1 events published while it is stopped are
    queued by the broker and stored once it is back (nothing lost)."""
    import paho.mqtt.client as mqtt

    from console.fleet import schemas, topics

    settings = st.load(cli={"data_dir": str(tmp_path), "broker_url": mosquitto.url, "site_id": site}, env={})
    station = Station(settings).start()
    station.stop()
    pub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    pub.connect(mosquitto.host, mosquitto.port)
    pub.loop_start()
    for seq in range(1, 6):
        evt = schemas.encode(schemas.make(schemas.Event, seq=seq, ts=1000 + seq, type="play.finished"))
        pub.publish(topics.device(site, "late-1", "evt"), evt, qos=1).wait_for_publish(5)
    pub.loop_stop()
    pub.disconnect()
    station = Station(settings).start()
    try:
        assert wait_until(lambda: station.fleet.state.get("late-1") is not None
                          and station.fleet.state.get("late-1").last_evt_seq == 5)
        assert station.writer.flush(10)
        with station.db.sessions() as s:
            n = s.scalar(select(func.count()).select_from(DeviceEvent).where(DeviceEvent.device_id == "late-1"))
        assert n == 5
    finally:
        station.stop()
