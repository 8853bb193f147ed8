"""What the live views show and decide, without widgets.

Texts are translated where they are shown (context "Live"); everything here is cheap enough for
the GUI thread and reads the service's sessions without calling the service.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from console.schedule.model import Targets

COUNTDOWN_S = 60  # the last minute before the maximum duration shows a countdown
METER_FLOOR_DB = -60.0
METER_FALL_DB_S = 24.0  # a meter falls this fast (dB per second); it rises at once
PEAK_HOLD_S = 1.5

END_REASONS = {
    "stopped": QT_TRANSLATE_NOOP("Live", "stopped"),
    "taken over": QT_TRANSLATE_NOOP("Live", "taken over by a newer broadcast"),
    "max duration": QT_TRANSLATE_NOOP("Live", "maximum duration reached"),
    "end of file": QT_TRANSLATE_NOOP("Live", "the audio file ended"),
    "device lost": QT_TRANSLATE_NOOP("Live", "the microphone stopped delivering sound"),
    "console closed": QT_TRANSLATE_NOOP("Live", "the console was closed"),
    "interrupted": QT_TRANSLATE_NOOP("Live", "interrupted"),
    "ended": QT_TRANSLATE_NOOP("Live", "the item finished"),
    "emergency stop": QT_TRANSLATE_NOOP("Live", "emergency stop"),
}
ERROR_PREFIX = "error: "

REFUSALS = {
    "may_not_live": QT_TRANSLATE_NOOP("Live", "Your role ({role}) does not allow going live."),
    "may_not_emergency": QT_TRANSLATE_NOOP("Live", "Your role ({role}) does not allow starting an emergency "
                                                   "broadcast."),
    "no_media": QT_TRANSLATE_NOOP("Live", "Choose a prepared emergency item or the microphone."),
    "no_server": QT_TRANSLATE_NOOP("Live", "There is no media server to carry the live stream, so nothing can "
                                           "go live."),
    "no_targets": QT_TRANSLATE_NOOP("Live", "The chosen targets hold no cluster."),
}

KINDS_ORDER = ("live", "emergency")


def translate(text: str) -> str:
    return QCoreApplication.translate("Live", text)


def end_reason_text(reason: str) -> str:
    """Why a session ended, in the interface language (an unknown reason as it is)."""
    if reason.startswith(ERROR_PREFIX):
        return QCoreApplication.translate("Live", "error: {message}").format(message=reason[len(ERROR_PREFIX):])
    text = END_REASONS.get(reason)
    return translate(text) if text else reason


def refusal_text(exc: BaseException, role: str = "") -> str:
    """A ``LiveRefused`` in the interface language; anything else in its own words."""
    from console.ui.library.library_model import label
    from console.ui.library.refusals import ROLE_LABELS

    text = REFUSALS.get(getattr(exc, "code", ""))
    if text is None:
        return str(exc) or type(exc).__name__
    return translate(text).format(role=label(ROLE_LABELS, role) if role else "?")


def clock_text(seconds: float) -> str:
    """A running time: "04:07", "1:02:03"; a countdown rounds up, so call it with ``ceil`` applied."""
    s = max(0, int(seconds))
    h, m, s = s // 3600, s % 3600 // 60, s % 60
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


@dataclass(frozen=True)
class Snapshot:
    """One look at a session, for the banner, the desk and the emergency dialog."""

    id: str
    kind: str  # live / emergency
    elapsed_s: float
    remaining_s: float
    max_s: float  # how long it can last: the maximum duration, or a prepared message's length
    targets: int
    playing: int
    responded: int
    silent: int
    ended: bool
    end_reason: str

    limited: bool = True  # it ends at the maximum duration (not at the end of a prepared message)

    @property
    def countdown(self) -> bool:
        """In the last minute before the maximum duration (the stuck-microphone guard)."""
        return self.limited and not self.ended and self.remaining_s <= COUNTDOWN_S

    @property
    def countdown_s(self) -> int:
        return math.ceil(self.remaining_s)

    def shown(self) -> tuple:
        """What is on screen, to repaint only when it changes (seconds, counts, state)."""
        return (self.id, int(self.elapsed_s), self.countdown_s, self.targets, self.playing, self.responded,
                self.ended, self.end_reason)


def snapshot(session, now_ms: int, length_s: float | None = None) -> Snapshot:
    """A session (``console.live.service.Session``) as shown at ``now_ms``; ``length_s``: how long it
    plays when that is less than its maximum (a prepared emergency message plays once)."""
    end = session.ended_ms if session.ended_ms is not None else now_ms
    elapsed = max(0.0, (end - session.started_ms) / 1000)
    counts = session.counts()
    length = min(float(session.max_s), length_s) if length_s else float(session.max_s)
    remaining = 0.0 if session.ended_ms is not None else max(0.0, length - elapsed)
    return Snapshot(session.id, session.kind, elapsed, remaining, length, counts["targets"],
                    counts["playing"], counts["responded"], counts["silent"], session.ended_ms is not None,
                    session.end_reason, limited=length >= session.max_s)


def targets_text(targets: Targets) -> str:
    """A short description of a choice of targets."""
    if not targets:
        return QCoreApplication.translate("Live", "every cluster")
    parts = []
    if targets.groups:
        parts.append(QCoreApplication.translate("Live", "{n} group(s)").format(n=len(targets.groups)))
    if targets.units:
        parts.append(QCoreApplication.translate("Live", "{n} administrative unit(s)").format(n=len(targets.units)))
    if targets.devices:
        parts.append(QCoreApplication.translate("Live", "{n} single cluster(s)").format(n=len(targets.devices)))
    return ", ".join(parts)


# -- levels ---------------------------------------------------------------------------------------

class Levels:
    """The latest (peak, RMS) dBFS of a broadcast. :meth:`put` is the service's ``on_level``, called on
    the broadcast's worker thread 50 times a second; the meter reads :attr:`value` on its timer."""

    def __init__(self) -> None:
        self.value = (-100.0, -100.0)
        self.count = 0  # blocks measured since reset()

    def put(self, peak_dbfs: float, rms_dbfs: float) -> None:
        self.value = (float(peak_dbfs), float(rms_dbfs))  # one tuple, replaced whole: no lock needed
        self.count += 1

    def reset(self) -> None:
        self.value = (-100.0, -100.0)
        self.count = 0


class Ballistics:
    """A meter's needle: rises at once, falls at :data:`METER_FALL_DB_S`; the peak is held for
    :data:`PEAK_HOLD_S`. Fed with the time (seconds) so tests need not wait."""

    def __init__(self) -> None:
        self.peak = self.rms = self.held = METER_FLOOR_DB
        self._held_at = 0.0
        self._t: float | None = None

    def feed(self, peak_db: float, rms_db: float, t: float) -> tuple[float, float, float]:
        dt = 0.0 if self._t is None else max(0.0, t - self._t)
        self._t = t
        fall = METER_FALL_DB_S * dt
        peak_db, rms_db = (max(METER_FLOOR_DB, min(0.0, v)) for v in (peak_db, rms_db))
        self.peak = max(peak_db, self.peak - fall)
        self.rms = max(rms_db, self.rms - fall)
        if peak_db >= self.held or t - self._held_at > PEAK_HOLD_S:
            self.held, self._held_at = peak_db, t
        return self.peak, self.rms, self.held

    def reset(self) -> None:
        self.__init__()


# -- push to talk ---------------------------------------------------------------------------------

class PushToTalk:
    """Hold to talk: a press starts a session, the release stops it, whatever the order in which the
    service answers. Each method returns what to do: ``"start"``, ``"stop"`` or None.

    ``idle`` -press-> ``starting`` -started-> ``on_air`` -release-> ``stopping`` -ended-> ``idle``;
    a release while starting is remembered and stops the session as soon as it has started.
    Used on the GUI thread only.
    """

    def __init__(self) -> None:
        self.state = "idle"
        self.held = False
        self.session_id: str | None = None

    def press(self) -> str | None:
        self.held = True
        if self.state == "idle":
            self.state = "starting"
            return "start"
        return None

    def release(self) -> str | None:
        self.held = False
        if self.state == "on_air":
            self.state = "stopping"
            return "stop"
        return None  # starting: stopped once started; idle/stopping: nothing to do

    def started(self, session_id: str) -> str | None:
        self.session_id = session_id
        if self.state != "starting":
            return None
        if not self.held:
            self.state = "stopping"
            return "stop"
        self.state = "on_air"
        return None

    def failed(self) -> None:
        """The start failed or was refused."""
        self.state, self.session_id = "idle", None

    def ended(self) -> None:
        """The session is over (stopped, taken over, maximum duration...)."""
        if self.state != "starting":
            self.state, self.session_id = "idle", None
