"""Topic parsing and payload schemas, good and bad."""

import pytest

from console.fleet import schemas, topics


@pytest.mark.parametrize("topic,expected", [
    ("tt/v1/52-qn/d/SPK1/state", ("52-qn", "d", "SPK1", "state")),
    ("tt/v1/52-qn/d/SPK1/tele", ("52-qn", "d", "SPK1", "tele")),
    ("tt/v1/s/d/x/cmd", ("s", "d", "x", "cmd")),
    ("tt/v1/s/g/all/sched", ("s", "g", "all", "sched")),
    ("tt/v1/s/console/state", ("s", "console", "", "state")),
])
def test_parse_good_topics(topic, expected):
    assert tuple(topics.parse(topic)) == expected
    assert topics.device("52-qn", "SPK1", "state") == "tt/v1/52-qn/d/SPK1/state"


@pytest.mark.parametrize("topic", [
    "", "tt", "tt/v2/s/d/x/state", "tt/v1/s/d/x/unknown", "tt/v1/s/d//state", "tt/v1/s/d/x/state/extra",
    "tt/v1/s/g/x/tele", "tt/v1/s/x/y/state", "tt/v1/s/console/tele", "tt/v1/ /d/x/state",
    "tt/v1/s/d/" + "x" * 65 + "/state", "tt/v1/s/d/a+b/state",
])
def test_parse_bad_topics(topic):
    with pytest.raises(topics.TopicError):
        topics.parse(topic)


def test_roundtrip_all_payloads():
    msgs = [
        schemas.make(schemas.State, state="online", session=3, fw="1.2", groups=["all"],
                     loc=schemas.Loc(13.77, 109.22), net=schemas.Net(type="4g", operator="Viettel")),
        schemas.make(schemas.Tele, seq=1, rssi=-80, temp=41.5, vol=70, power="mains", level_db=-20.5,
                     playing=schemas.Playing("news", "priority"), cache=schemas.Cache(3, 0), amp="ok"),
        schemas.make(schemas.Event, seq=7, ts=1, type="fault.raised", data={"fault": "amp"}),
        schemas.make(schemas.Ack, cid="c1", status="done", result={"x": 1}),
        schemas.make(schemas.Command, cid="c1", op="ping", exp=5),
        schemas.make(schemas.Config, rev=2, groups=["a", "b"], vol=60),
    ]
    for msg, leaf in zip(msgs, ["state", "tele", "evt", "ack", "cmd", "config"]):
        raw = schemas.encode(msg)
        assert b'"v":1' in raw
        assert schemas.decode(leaf, raw) == msg


def test_unknown_fields_are_ignored_for_vendor_extensions():
    msg = schemas.decode("tele", b'{"v":1,"seq":1,"vendor_x":{"a":1}}')
    assert msg.seq == 1


@pytest.mark.parametrize("leaf,payload,reason", [
    ("tele", b"", "json"),
    ("tele", b"{", "json"),
    ("tele", b"\xff\xfe", "json"),
    ("tele", b"[]", "schema"),
    ("tele", b'{"seq":1}', "schema"),  # v is required
    ("tele", b'{"v":2,"seq":1}', "version"),
    ("tele", b'{"v":1,"seq":-1}', "schema"),
    ("tele", b'{"v":1,"seq":1,"rssi":12}', "schema"),
    ("tele", b'{"v":1,"seq":1,"vol":101}', "schema"),
    ("tele", b'{"v":1,"seq":"1"}', "schema"),
    ("state", b'{"v":1,"state":"maybe","session":1}', "schema"),
    ("state", b'{"v":1,"state":"online"}', "schema"),
    ("evt", b'{"v":1,"seq":1,"type":"x"}', "schema"),  # ts required
    ("ack", b'{"v":1,"cid":"c","status":"ok"}', "schema"),
    ("state", b'{"v":1,"state":"online","session":1,"loc":{"lat":91,"lon":0}}', "schema"),
])
def test_bad_payloads_have_a_reason(leaf, payload, reason):
    with pytest.raises(schemas.PayloadError) as e:
        schemas.decode(leaf, payload)
    assert e.value.reason == reason


def test_json_schema_export_covers_every_payload():
    s = schemas.json_schemas()
    assert set(s["payloads"]) == {"state", "tele", "evt", "ack", "cmd", "config", "console"}
    assert "session" in s["$defs"]["State"]["required"]
