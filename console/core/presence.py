"""Session-safe presence (docs/protocol.md, "Presence").

A device publishes a retained birth ``online`` with a ``session`` number that grows at every connect;
the broker publishes its last will ``offline`` with the session of the connection that died. Messages
can arrive late or out of order (retained replay, QoS 1 redelivery, a will fired after the device
already reconnected through another path), so a state message is applied only if its session is not
older than the session held: a late will never marks a freshly reborn device offline.
"""

from __future__ import annotations

from enum import Enum


class Verdict(Enum):
    APPLIED = "applied"  # presence changed (or a new session started)
    REPEATED = "repeated"  # same state, same session: a rebirth or a retained replay
    STALE = "stale"  # older session than the one held: ignored


def judge(held_state: str, held_session: int, state: str, session: int) -> Verdict:
    """Decide what a state message (``state``, ``session``) does to presence held as (state, session).

    ``held_session`` is -1 when nothing is known yet.
    """
    if session < held_session:
        return Verdict.STALE
    if session == held_session and state == held_state:
        return Verdict.REPEATED
    if session == held_session and held_state == "offline" and state == "online":
        # The will of this very session already fired: a birth of the same session can only be a
        # retained replay that lost the race. A live device reconnects with a new session.
        return Verdict.STALE
    return Verdict.APPLIED


def offline_detect_s(keepalive_s: float, will_delay_s: float = 0.0) -> float:
    """How late an outage shows: the broker waits 1.5 x keepalive, then the will delay."""
    return 1.5 * keepalive_s + will_delay_s
