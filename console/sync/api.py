"""The station ↔ province API, v1: paths, limits and wire types shared by the station's client and the
reference collector (docs/province-api.md; the normative text is docs/province-api.yaml).

The wire types are msgspec structs, as for the device protocol: decoding validates in one pass, and
encoding a batch of 1,000 records takes about a millisecond.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any, Literal

import msgspec

from console.store.models import (
    BULLETIN_PRIORITIES,
    BULLETIN_RECEIPT_STATUSES,
    OUTBOX_TYPES,
)

PREFIX = "/v1"
RECORD_TYPES = OUTBOX_TYPES  # the types a station sends; a collector stores any type of the right form
PRIORITIES = BULLETIN_PRIORITIES
RECEIPT_STATUSES = BULLETIN_RECEIPT_STATUSES

# What a station sends at most per batch (about: one record may exceed the bytes on its own).
BATCH_RECORDS = 1000
BATCH_BYTES = 1 << 20  # uncompressed JSON
# What the reference collector accepts.
MAX_REQUEST_BYTES = 4 << 20  # the body as sent (compressed or not)
MAX_DECODED_BYTES = 16 << 20  # the JSON after decompression (an inventory of ~100,000 devices)
MAX_RECORDS = 5000  # per request
MAX_WAIT_S = 60  # long-poll
MAX_MEDIA_BYTES = 200 << 20

STATION_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
TYPE_PATTERN = r"^[a-z][a-z0-9_.]{0,31}$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"


def station_path(station: str, *rest: str) -> str:
    return "/".join((f"{PREFIX}/stations/{station}", *rest))


class Record(msgspec.Struct, forbid_unknown_fields=True):
    seq: Annotated[int, msgspec.Meta(ge=1)]
    type: Annotated[str, msgspec.Meta(pattern=TYPE_PATTERN)]
    ts: int  # epoch ms
    data: dict[str, Any]


class Batch(msgspec.Struct, forbid_unknown_fields=True):
    records: list[Record]
    backlog: Annotated[int, msgspec.Meta(ge=0)] | None = None  # what the station still holds after these


class Ack(msgspec.Struct):
    acked_through: int
    stored: int = 0
    duplicates: int = 0


class ReceiptIn(msgspec.Struct, forbid_unknown_fields=True):
    status: Literal["received", "scheduled", "played", "rejected"]
    note: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class Media(msgspec.Struct):
    url: str
    sha256: Annotated[str, msgspec.Meta(pattern=SHA256_PATTERN)]
    bytes: Annotated[int, msgspec.Meta(ge=0)]


class Bulletin(msgspec.Struct):
    id: Annotated[int, msgspec.Meta(ge=1)]
    priority: Literal["normal", "priority", "emergency"]
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=256)]
    text: str = ""
    media: Media | None = None
    targets: list[str] = []  # administrative unit codes; empty: the whole station
    valid_from: int | None = None  # epoch ms
    valid_to: int | None = None
    issued_by: str = ""
    issued_at: int | None = None


class Bulletins(msgspec.Struct):
    bulletins: list[Bulletin]


def record_digest(seq: int, type: str, ts: int, data: Any) -> str:
    """The checksum of one record: sha256 of its canonical JSON (sorted keys, no spaces)."""
    return hashlib.sha256(msgspec.json.encode({"seq": seq, "type": type, "ts": ts, "data": data},
                                              order="sorted")).hexdigest()


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    """Every error answer: ``{"error": code, "message": one sentence, ...}``."""
    return {"error": code, "message": message, **extra}
