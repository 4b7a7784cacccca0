"""Result specs (what to report) and result objects."""

from gigawatt.results.datacenter import DataCenterResult, DataCenters
from gigawatt.results.specs import (
    EventStats,
    Flow,
    ResultSpec,
    Shortfall,
    ShortfallResult,
    ShortfallSamples,
    StorageEnergy,
    Surplus,
)
from gigawatt.stats import Estimate

__all__ = ["DataCenterResult", "DataCenters", "Estimate", "EventStats", "Flow", "ResultSpec", "Shortfall", "ShortfallResult", "ShortfallSamples",
           "StorageEnergy", "Surplus"]
