"""A realistic fleet fed through the real ingest path (births, telemetry, events), for UI tests and renders.

Nothing is written into DeviceState directly: devices are registered like the registry does and every
other value arrives as a protocol message through :meth:`Ingest.process`.
"""

from __future__ import annotations

import random
import time

from console.fleet import schemas
from console.fleet.ingest import Ingest
from console.fleet.service import FleetService
from console.settings import parse_broker_url

# Communes of the former Bình Định province (Gia Lai since the 2025 reform), with GSO-style codes.
COMMUNES = [
    ("21553", "Xã An Nhơn", "an-nhon"), ("21610", "Xã Tuy Phước", "tuy-phuoc"),
    ("21652", "Xã Phù Cát", "phu-cat"), ("21700", "Xã Tây Sơn", "tay-son"),
    ("21745", "Phường Hoài Nhơn", "hoai-nhon"), ("21808", "Xã Vân Canh", "van-canh"),
    ("21850", "Xã Phù Mỹ", "phu-my"), ("21892", "Xã Đề Gi", "de-gi"),
    ("21925", "Xã Cát Tiến", "cat-tien"), ("21961", "Phường Quy Nhơn Đông", "quy-nhon-dong"),
]
PLACES = ["Thôn Phú Hòa", "Thôn An Lộc", "Thôn Trung Lương", "Chợ trung tâm", "UBND xã", "Trường tiểu học",
          "Thôn Đông", "Thôn Tây", "Xóm Bến", "Thôn Hưng Thạnh", "Ngã ba Cầu Đôi", "Thôn Vĩnh Lợi"]
OPERATORS = ["Viettel", "VinaPhone", "MobiFone"]
ITEMS = ["bantin-sang-2611", "thoisu-trua-2611", "phong-chong-bao-so13", "nhac-cach-mang-07"]


def enc(cls, **kw) -> bytes:
    return schemas.encode(schemas.make(cls, **kw))


def device_id(i: int) -> str:
    return f"TT4G-{i:05d}"


def fleet_messages(site: str, n: int, seed: int = 1) -> tuple[list[dict], list[tuple[str, bytes]]]:
    """Registry rows and the messages ``n`` devices would send: most online, some offline, pending, faulty."""
    rng = random.Random(seed)
    now = int(time.time() * 1000)
    registry, msgs = [], []
    for i in range(1, n + 1):
        dev = device_id(i)
        code, unit, slug = COMMUNES[i % len(COMMUNES)]
        pending = i % 17 == 0
        if not pending:
            groups = [slug] + (["ven-bien"] if slug in ("de-gi", "cat-tien", "quy-nhon-dong") else [])
            registry.append(dict(dev_id=dev, adopted=True, name=f"{rng.choice(PLACES)} {i % 5 + 1}",
                                 unit_code=code, unit_name=unit, groups=groups))
        if i % 23 == 0:
            continue  # registered, never heard from
        t = f"tt/v1/{site}/d/{dev}/"
        session = rng.randint(1, 40)
        uptime = rng.randint(600, 30 * 86400)
        offline_at = now - rng.randint(60, 7200) * 1000
        born = offline_at - rng.randint(300, 3600) * 1000 if i % 11 == 0 else now - uptime * 1000
        msgs.append((t + "state", enc(
            schemas.State, state="online", session=session, ts=born,
            fw=rng.choice(["2.4.1", "2.4.1", "2.5.0", "2.3.7"]), model="TTS-4G-60W", caps=["tts", "live", "gps"],
            groups=[slug], net=schemas.Net(type="4g", operator=rng.choice(OPERATORS)), tele_s=30)))
        if i % 11 == 0:  # offline: the will fired, or a clean shutdown
            msgs.append((t + "state", enc(schemas.State, state="offline", session=session, ts=offline_at,
                                          reason=rng.choice(["lost", "lost", "shutdown"]))))
            continue
        playing = None
        if rng.random() < 0.3:
            playing = schemas.Playing(item=rng.choice(ITEMS), prio="priority" if i % 29 == 0 else "normal")
        msgs.append((t + "tele", enc(
            schemas.Tele, seq=rng.randint(1, 5000), rssi=rng.choice([rng.randint(-110, -90), rng.randint(-89, -55)]),
            temp=round(rng.uniform(32, 58) + (14 if i % 31 == 0 else 0), 1), vol=rng.choice([60, 70, 75, 80, 90]),
            power="solar" if i % 7 == 0 else "mains", vbat=round(rng.uniform(12.1, 13.4), 1), uptime=uptime,
            playing=playing, level_db=round(rng.uniform(-24, -12), 1) if playing else -90.0,
            amp="fault" if i % 19 == 0 else "ok", clock_offset_ms=3400 if i % 13 == 0 else rng.choice([12, -40, 85, 150]),
            cache=schemas.Cache(ready=rng.randint(3, 12), missing=0 if rng.random() < 0.9 else 1))))
        seq = 0
        for k in range(rng.randint(1, 5)):
            seq += 1
            item = rng.choice(ITEMS)
            kind = rng.choice(["play.started", "play.finished", "media.ready"])
            msgs.append((t + "evt", enc(schemas.Event, seq=seq, ts=now - (10 - k) * 600_000, type=kind,
                                        data={"item": item})))
        if i % 19 == 0 or i % 37 == 0:
            seq += 1
            fault = "amp" if i % 19 == 0 else "speaker_line"
            msgs.append((t + "evt", enc(schemas.Event, seq=seq, ts=now - 240_000, type="fault.raised",
                                        data={"fault": fault})))
    return registry, msgs


def populate(ingest: Ingest, n: int, seed: int = 1) -> None:
    """Register ``n`` devices in the ingest's fleet state and feed their messages synchronously."""
    registry, msgs = fleet_messages(ingest.site, n, seed)
    for row in registry:
        ingest.state.register(row.pop("dev_id"), **row)
    ingest.process(msgs)


class Station:
    """Test-only holder with the attributes of console.station.Station, around a real FleetService."""

    def __init__(self, n: int = 0, *, site: str = "demo", demo: bool = True, broker_url: str = "mqtt://127.0.0.1:1883",
                 adopt=None, fleet: FleetService | None = None):
        self.site = site
        self.demo = demo
        self.broker_url = broker_url
        self.fleet = fleet or FleetService(parse_broker_url(broker_url), site)
        if adopt is not None:
            self.adopt = adopt
        if n:
            populate(self.fleet.ingest, n)
