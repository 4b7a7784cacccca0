"""Result specs (what to report) and result objects."""

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
from gigawatt.results.stats import Estimate

__all__ = ["Estimate", "EventStats", "Flow", "ResultSpec", "Shortfall", "ShortfallResult", "ShortfallSamples",
           "StorageEnergy", "Surplus"]
