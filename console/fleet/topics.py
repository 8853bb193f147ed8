"""Topic names of the device protocol (docs/protocol.md, "Names").

All topics live under ``tt/v1/{site}/``. Parsing is strict: a topic that does not match one of the
known shapes raises :class:`TopicError`, which the ingest worker counts under the reason ``topic``.
"""

from __future__ import annotations

from typing import NamedTuple

ROOT = "tt/v1"

# Leaves a device publishes (device -> console).
DEVICE_UP = ("state", "tele", "evt", "ack")
# Leaves the console publishes to one device, and to a group.
DEVICE_DOWN = ("cmd", "config")
GROUP_DOWN = ("sched", "cmd")

_MAX_ID = 64


class TopicError(ValueError):
    """A topic that is not part of the protocol."""


class Topic(NamedTuple):
    site: str
    scope: str  # "d" (device), "g" (group) or "console"
    ident: str  # device or group id; "" for the console
    leaf: str


def check_id(value: str, what: str) -> str:
    if not value or len(value) > _MAX_ID or any(c in value for c in "/+#$ ") or not value.isprintable():
        raise TopicError(f"bad {what} id {value!r}")
    return value


def device(site: str, dev: str, leaf: str) -> str:
    return f"{ROOT}/{site}/d/{dev}/{leaf}"


def group(site: str, grp: str, leaf: str) -> str:
    return f"{ROOT}/{site}/g/{grp}/{leaf}"


def console_state(site: str) -> str:
    return f"{ROOT}/{site}/console/state"


def device_wildcard(site: str, leaf: str = "+") -> str:
    """Subscription filter for one leaf (or all leaves with ``+``) of every device of a site."""
    return f"{ROOT}/{site}/d/+/{leaf}"


def parse(topic: str) -> Topic:
    """Split a protocol topic; raise :class:`TopicError` for anything else."""
    parts = topic.split("/")
    if len(parts) < 5 or parts[0] != "tt" or parts[1] != "v1":
        raise TopicError(f"not a tt/v1 topic: {topic[:80]!r}")
    site = check_id(parts[2], "site")
    if len(parts) == 6 and parts[3] == "d" and parts[5] in DEVICE_UP + DEVICE_DOWN:
        return Topic(site, "d", check_id(parts[4], "device"), parts[5])
    if len(parts) == 6 and parts[3] == "g" and parts[5] in GROUP_DOWN:
        return Topic(site, "g", check_id(parts[4], "group"), parts[5])
    if len(parts) == 5 and parts[3] == "console" and parts[4] == "state":
        return Topic(site, "console", "", "state")
    raise TopicError(f"unknown topic shape: {topic[:80]!r}")
