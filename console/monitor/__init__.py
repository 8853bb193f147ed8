"""Monitoring without widgets: status history rollups, alarms, availability, what to fix first
(docs/monitoring.md). The station runs one :class:`Monitor`."""

from console.monitor.alarms import RULES, AlarmEngine, Thresholds
from console.monitor.rollup import RANGES_MS, Retention, Sampler
from console.monitor.service import Monitor, MonitorConfig

__all__ = ["RANGES_MS", "RULES", "AlarmEngine", "Monitor", "MonitorConfig", "Retention", "Sampler", "Thresholds"]
