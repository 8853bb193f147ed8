"""Wire payloads of the device protocol as typed structs (docs/protocol.md).

Every payload is UTF-8 JSON with ``"v": 1``. Decoding and validation happen in one pass with
msgspec; unknown fields are ignored so that vendors may extend payloads (forward compatible), but a
known field with the wrong type or out of range is an error. :func:`decode` maps every failure to a
short *reason* string, which the ingest worker counts.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeVar

import msgspec
from msgspec import Meta, Struct

PROTOCOL_VERSION = 1

NonNeg = Annotated[int, Meta(ge=0)]
Session = Annotated[int, Meta(ge=0, le=2**53)]
Seq = Annotated[int, Meta(ge=0, le=2**53)]
EpochMs = Annotated[int, Meta(ge=0, le=2**53)]
Ident = Annotated[str, Meta(min_length=1, max_length=64)]
Percent = Annotated[int, Meta(ge=0, le=100)]

# Reasons a message is rejected; the ingest worker counts each of them (and overflow apart).
REASONS = ("topic", "json", "schema", "version")

# Event types a device may report (docs/protocol.md, "Events"). Others are accepted and stored
# (vendors extend), but these drive the console's state.
EVENT_TYPES = (
    "play.started", "play.finished", "play.failed", "play.preempted",
    "media.ready", "media.failed", "fault.raised", "fault.cleared",
    "live.joined", "live.left", "live.marker",
)
# Faults a device may raise; ``fault.raised``/``fault.cleared`` carry one of these in ``data.fault``.
FAULTS = ("amp", "speaker_line", "power", "storage", "clock", "other")

COMMAND_OPS = (
    "ping", "volume.set", "test_tone", "reboot", "resync", "rebirth",
    "play.now", "stop", "logs.upload",
)
ACK_STATUSES = ("accepted", "done", "error")


class _Msg(Struct, kw_only=True, omit_defaults=True, gc=False):
    # gc=False: payloads hold no reference cycles, so the garbage collector need not track the
    # hundreds of thousands of them the ingest decodes (msgspec's documented speed-up).
    # Required on the wire, so it has no default (a default would be omitted when encoding).
    # Build messages with :func:`make`, which fills it in.
    v: int


M = TypeVar("M", bound=_Msg)


class Loc(Struct, omit_defaults=True, gc=False):
    """Optional position from the device's GPS (an extension; see docs/protocol.md)."""

    lat: Annotated[float, Meta(ge=-90, le=90)]
    lon: Annotated[float, Meta(ge=-180, le=180)]


class Net(Struct, kw_only=True, omit_defaults=True, gc=False):
    type: str | None = None  # "4g", "eth", "wifi"
    operator: str | None = None
    ip: str | None = None
    iccid: str | None = None


class State(_Msg, kw_only=True):
    """Retained birth (``online``) or death (``offline``, also the last will)."""

    state: Literal["online", "offline"]
    session: Session
    ts: EpochMs | None = None
    reason: str | None = None  # offline: "lost" (will), "shutdown", "reboot"
    fw: str | None = None
    model: str | None = None
    caps: list[str] = []
    groups: list[Ident] = []
    net: Net | None = None
    loc: Loc | None = None
    tele_s: Annotated[int, Meta(ge=1, le=3600)] | None = None


class Playing(Struct, omit_defaults=True, gc=False):
    item: str
    prio: Literal["normal", "priority", "live", "emergency"] = "normal"


class Cache(Struct, omit_defaults=True, gc=False):
    ready: NonNeg = 0
    missing: NonNeg = 0


class Tele(_Msg, kw_only=True):
    """Periodic telemetry (QoS 0)."""

    seq: Seq
    ts: EpochMs | None = None
    rssi: Annotated[int, Meta(ge=-150, le=0)] | None = None  # dBm
    temp: Annotated[float, Meta(ge=-50, le=150)] | None = None  # degrees C, inside the box
    vol: Percent | None = None
    power: Literal["mains", "battery", "solar"] | None = None
    vbat: Annotated[float, Meta(ge=0, le=60)] | None = None
    uptime: NonNeg | None = None  # seconds
    playing: Playing | None = None
    level_db: Annotated[float, Meta(ge=-150, le=20)] | None = None  # output RMS, dBFS
    amp: Literal["ok", "fault", "off"] | None = None
    clock_offset_ms: int | None = None
    cache: Cache | None = None


class Event(_Msg, kw_only=True):
    """A device event with a per-device monotonic ``seq``."""

    seq: Seq
    ts: EpochMs
    type: Annotated[str, Meta(min_length=1, max_length=64)]
    data: dict[str, Any] = {}


class Ack(_Msg, kw_only=True):
    """Two-stage command reply: ``accepted``, then ``done`` or ``error``."""

    cid: Ident
    status: Literal["accepted", "done", "error"]
    ts: EpochMs | None = None
    err: str | None = None
    result: dict[str, Any] | None = None


class Command(_Msg, kw_only=True):
    """A command to one device (or a group): never retained, always expiring at ``exp``."""

    cid: Ident
    op: Annotated[str, Meta(min_length=1, max_length=64)]
    args: dict[str, Any] = {}
    exp: EpochMs


class Config(_Msg, kw_only=True):
    """Retained per-device configuration: the device subscribes to its groups from this."""

    rev: NonNeg
    groups: list[Ident] = []
    vol: Percent | None = None
    media_base: str | None = None
    tele_s: Annotated[int, Meta(ge=1, le=3600)] | None = None


class ConsoleState(_Msg, kw_only=True):
    state: Literal["online", "offline"]
    ts: EpochMs | None = None


LEAF_TYPES: dict[str, type[_Msg]] = {
    "state": State, "tele": Tele, "evt": Event, "ack": Ack, "cmd": Command, "config": Config,
}

_decoders = {leaf: msgspec.json.Decoder(t) for leaf, t in LEAF_TYPES.items()}
_decoders["console"] = msgspec.json.Decoder(ConsoleState)
_encoder = msgspec.json.Encoder()


class PayloadError(ValueError):
    """A payload that is not valid for its topic; ``reason`` is one of :data:`REASONS`."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def decode(leaf: str, payload: bytes) -> _Msg:
    """Decode and validate ``payload`` for a topic leaf (``state``, ``tele``, ...)."""
    try:
        msg = _decoders[leaf].decode(payload)
    except msgspec.ValidationError as e:
        raise PayloadError("schema", str(e)) from None
    except msgspec.DecodeError as e:
        raise PayloadError("json", str(e)) from None
    if msg.v != PROTOCOL_VERSION:
        raise PayloadError("version", f"unsupported protocol version {msg.v!r}")
    return msg


def make(cls: type[M], **fields: Any) -> M:
    """Build a payload of the current protocol version: ``make(Command, cid=..., op=..., exp=...)``."""
    return cls(v=PROTOCOL_VERSION, **fields)


def encode(msg: _Msg) -> bytes:
    return _encoder.encode(msg)


def json_schemas() -> dict[str, Any]:
    """JSON Schema of every payload, for docs/protocol.md and for vendors."""
    types = list(LEAF_TYPES.values()) + [ConsoleState]
    schemas, components = msgspec.json.schema_components(types, ref_template="#/$defs/{name}")
    return {"$defs": components, "payloads": dict(zip([*LEAF_TYPES, "console"], schemas))}
