"""Scenario plans: seeded, with the configured rates and durations."""

import statistics

import pytest

from console.sim.scenarios import KINDS, ScenarioMix, ScenarioPlan


def test_default_mix_is_healthy():
    mix = ScenarioMix()
    assert mix.healthy
    assert ScenarioPlan(mix, 1, "SIM-00001").kinds() == []


def test_plan_is_reproducible_per_seed_and_device():
    mix = ScenarioMix(flap_rate=2, fault_rate=1)

    def draws(seed, dev):
        plan = ScenarioPlan(mix, seed, dev)
        return [plan.delay("flap"), plan.duration("flap"), plan.fault(), plan.delay("fault")]

    assert draws(1, "SIM-00001") == draws(1, "SIM-00001")
    assert draws(1, "SIM-00001") != draws(2, "SIM-00001")
    assert draws(1, "SIM-00001") != draws(1, "SIM-00002")


def test_rates_and_durations():
    mix = ScenarioMix(flap_rate=6, dark_rate=0.5, flap_s=(2, 4), drift_ms_per_min=(100, 200))
    plan = ScenarioPlan(mix, 1, "SIM-00001")
    assert plan.kinds() == ["flap", "dark"]
    delays = [plan.delay("flap") for _ in range(4000)]
    assert statistics.mean(delays) == pytest.approx(600, rel=0.1)  # 6 per hour
    assert all(2 <= plan.duration("flap") <= 4 for _ in range(100))
    assert {plan.fault() for _ in range(100)} == {"amp", "speaker_line"}
    assert all(100 <= abs(plan.drift_rate()) <= 200 for _ in range(100))


@pytest.mark.parametrize("kind", KINDS)
def test_bad_mix_is_refused(kind):
    with pytest.raises(ValueError):
        ScenarioMix(**{f"{kind}_rate": -1})
    with pytest.raises(ValueError):
        ScenarioMix(**{f"{kind}_s": (5, 1)})
