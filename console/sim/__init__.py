"""Virtual loudspeaker clusters speaking the device side of the protocol (docs/simulator.md)."""

from console.sim.device import DeviceSpec, SimDevice, device_ids, numbered_specs
from console.sim.fleet import SimError, SimFleet
from console.sim.layout import demo_layout
from console.sim.scenarios import ScenarioMix

__all__ = ["DeviceSpec", "ScenarioMix", "SimDevice", "SimError", "SimFleet", "demo_layout", "device_ids",
           "numbered_specs"]
