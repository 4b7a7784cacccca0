"""PJM's load forecasts by vintage: the summer peak, net energy and data-center load of each year.

One vintage is one PJM Load Forecast Report (:class:`~gigawatt.systems.pjm_description.LoadForecast`):
its published points (sources.md P7), joined geometrically between them (constant growth from one
point to the next, [derived]) and carried past its last point at a stated rate ([est]). The points and
their sources are in the PJM description (``gigawatt/data/pjm.toml``, ``[forecast.vintages]``). The
model takes every load figure of a study from one vintage (:data:`DEFAULT_LOAD_FORECAST`, the 2026
report); the range's "load forecast" case takes them all from the 2025 report (:data:`LOAD_FORECASTS`).
"""

from __future__ import annotations

from gigawatt.systems.pjm_constants import MODEL
from gigawatt.systems.pjm_description import LoadForecast, _geometric  # noqa: F401 - public here too

#: the year from which the forecasts' data-center growth is counted (the zones' reference year,
#: :data:`gigawatt.systems.pjm_load.ZONE_REFERENCE_YEAR`)
DC_BASE_YEAR = MODEL.forecasts[MODEL.default_vintage].dc_base_year
#: the vintages by name
LOAD_FORECASTS = MODEL.forecasts
LF_2026 = LOAD_FORECASTS["2026"]
LF_2025 = LOAD_FORECASTS["2025"]
#: data-center load added a year by the 2026 report [MW/yr] [derived]
LF2026_DC_GROWTH_MW_PER_YEAR = LF_2026.dc_growth_mw_per_year
#: the vintage of every load figure by default
DEFAULT_LOAD_FORECAST = MODEL.default_vintage


def load_forecast(name: str, model=None) -> LoadForecast:
    """The vintage called ``name`` (``"2026"`` or ``"2025"``) of ``model`` (default the embedded PJM model);
    an unknown name raises :class:`InputError`."""
    return (MODEL if model is None else model).forecast(name)


__all__ = ["DEFAULT_LOAD_FORECAST", "LF_2025", "LF_2026", "LOAD_FORECASTS", "LoadForecast", "load_forecast"]
