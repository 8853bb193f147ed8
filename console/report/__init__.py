"""Periodic reports (monthly, quarterly, yearly) from a station's database or, across stations, from
the provincial collector's; XLSX and PDF (docs/reports.md). No widgets here."""

from console.report.compute import Report, Section, compute
from console.report.generate import FORMATS, check_output, generate
from console.report.period import Period, PeriodError, parse_period
from console.report.sources import Cancelled, province_facts, station_facts

__all__ = ["FORMATS", "Cancelled", "Period", "PeriodError", "Report", "Section", "check_output", "compute",
           "generate", "parse_period", "province_facts", "station_facts"]
