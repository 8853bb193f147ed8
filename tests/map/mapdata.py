"""A small fleet at known places, one device per map status, built through FleetState's own API."""

from __future__ import annotations

from console.core.hierarchy import Unit
from console.fleet import schemas
from console.fleet.state import FleetState, now_ms
from console.map.geo import Communes, communes_from_units

# id, lon, lat, map status, commune code
DEVICES = [
    ("MAP-ONLINE", 109.20, 13.78, "online", "21550"),
    ("MAP-PLAYING", 109.10, 13.90, "playing", "21550"),
    ("MAP-FAULT", 108.95, 14.05, "fault", "21600"),
    ("MAP-OFFLINE", 108.80, 13.70, "offline", "21600"),
    ("MAP-PENDING", 109.05, 13.60, "pending", "21650"),
]
COMMUNES = [Unit(1, "21550", "Phường Quy Nhơn", "commune", None, 13.80, 109.15),
            Unit(2, "21600", "Xã Tây Sơn", "commune", None, 13.95, 108.90),
            Unit(3, "21650", "Xã Vân Canh", "commune", None, 13.62, 109.00)]


def communes() -> Communes:
    return communes_from_units(COMMUNES)


def add(state: FleetState, dev_id: str, lon: float | None, lat: float | None, status: str, unit: str) -> None:
    now = now_ms()
    state.register(dev_id, adopted=status != "pending", name=f"Cụm {dev_id[-4:]}", unit_code=unit,
                   unit_name=unit, lat=lat, lon=lon, groups=["g-" + unit])
    if status == "offline":
        state.apply_state(dev_id, schemas.make(schemas.State, state="online", session=1, ts=now - 60_000), now)
        state.apply_state(dev_id, schemas.make(schemas.State, state="offline", session=1, reason="lost"), now)
        return
    state.apply_state(dev_id, schemas.make(schemas.State, state="online", session=1), now)
    playing = schemas.Playing(item="bantin-sang") if status == "playing" else None
    state.apply_tele(dev_id, schemas.make(schemas.Tele, seq=1, playing=playing,
                                          amp="fault" if status == "fault" else "ok"), now)


def fleet(devices=DEVICES) -> FleetState:
    state = FleetState()
    for spec in devices:
        add(state, *spec)
    state.publish_changes()
    return state
