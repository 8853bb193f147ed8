"""Misbehaviour of a simulated fleet: flapping links, power cuts, faults and clock drift.

A :class:`ScenarioMix` gives, for each kind of trouble, how often it starts on one device (episodes
per device per hour) and how long an episode lasts. Every device draws its own episodes from a
:class:`ScenarioPlan` seeded by the fleet seed and its id, so a run is reproducible. With the
default mix (all rates 0) the fleet is healthy.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

KINDS = ("flap", "dark", "fault", "drift")
# Faults the simulator raises; a subset of console.fleet.schemas.FAULTS.
SIM_FAULTS = ("amp", "speaker_line")


@dataclass(frozen=True)
class ScenarioMix:
    """Episode rates (per device per hour) and durations (seconds, uniform in ``(lo, hi)``).

    - ``flap``: the 4G link drops (TCP closed without DISCONNECT); the device reconnects after the
      episode.
    - ``dark``: power cut; the device stops servicing its socket (no DISCONNECT, no FIN), so the
      broker fires its will only after 1.5 x keepalive. It boots again after the episode.
    - ``fault``: an amplifier or speaker-line fault is raised, and cleared after the episode.
    - ``drift``: the device loses NTP and its clock drifts by ``drift_ms_per_min`` until resynced.
    """

    flap_rate: float = 0.0
    dark_rate: float = 0.0
    fault_rate: float = 0.0
    drift_rate: float = 0.0
    flap_s: tuple[float, float] = (2.0, 30.0)
    dark_s: tuple[float, float] = (60.0, 900.0)
    fault_s: tuple[float, float] = (120.0, 1800.0)
    drift_s: tuple[float, float] = (900.0, 3600.0)
    drift_ms_per_min: tuple[float, float] = (100.0, 400.0)

    def __post_init__(self) -> None:
        for kind in KINDS:
            if self.rate(kind) < 0:
                raise ValueError(f"{kind}_rate must be >= 0")
            lo, hi = getattr(self, f"{kind}_s")
            if not 0 < lo <= hi:
                raise ValueError(f"{kind}_s must be 0 < lo <= hi")

    def rate(self, kind: str) -> float:
        return getattr(self, f"{kind}_rate")

    @property
    def healthy(self) -> bool:
        return all(self.rate(kind) == 0 for kind in KINDS)


class ScenarioPlan:
    """The episodes of one device: when the next one of each kind starts and how long it lasts."""

    def __init__(self, mix: ScenarioMix, seed: int, dev_id: str):
        self.mix = mix
        self._rng = random.Random(f"{seed}:{dev_id}:scenario")

    def kinds(self) -> list[str]:
        return [kind for kind in KINDS if self.mix.rate(kind) > 0]

    def delay(self, kind: str) -> float:
        """Seconds until the next episode of ``kind`` starts (a Poisson process)."""
        return self._rng.expovariate(self.mix.rate(kind) / 3600.0)

    def duration(self, kind: str) -> float:
        return self._rng.uniform(*getattr(self.mix, f"{kind}_s"))

    def fault(self) -> str:
        return self._rng.choice(SIM_FAULTS)

    def drift_rate(self) -> float:
        """Clock drift in ms per minute, positive or negative."""
        return self._rng.choice((-1, 1)) * self._rng.uniform(*self.mix.drift_ms_per_min)
