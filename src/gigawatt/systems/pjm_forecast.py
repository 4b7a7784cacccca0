"""PJM's load forecasts by vintage: the summer peak, net energy and data-center load of each year.

One vintage is one PJM Load Forecast Report: its published points (sources.md P7), joined
geometrically between them (constant growth from one point to the next, [derived]) and carried
past its last point at a stated rate ([est]). The model takes every load figure of a study from one
vintage (:data:`DEFAULT_LOAD_FORECAST`, the 2026 report); the range's "load forecast" case takes
them all from the 2025 report (:data:`LOAD_FORECASTS`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from gigawatt.errors import InputError


@dataclass(frozen=True)
class LoadForecast:
    """One vintage of PJM's load forecast.

    Parameters
    ----------
    name : str
        The report, e.g. ``"PJM 2026 Load Forecast Report"``.
    peak_points : tuple of (int, float)
        Published 50/50 summer peaks of the RTO [MW] by year, data centers included, increasing years.
    energy_points : tuple of (int, float)
        Published net energy for load of the RTO [MWh/yr] by year, increasing years.
    peak_growth_after : float
        Growth of the peak after the last point [fraction/yr] [est].
    energy_growth_after : float
        Growth of the energy after its last point [fraction/yr] [est].
    dc_growth_mw_per_year : float
        Data-center load added a year from zero in 2024 [MW/yr] (the vintage's large-load adjustments).
    """

    name: str
    peak_points: tuple
    energy_points: tuple
    peak_growth_after: float
    energy_growth_after: float
    dc_growth_mw_per_year: float

    def peak_mw(self, year: int) -> float:
        """50/50 summer peak of ``year`` [MW]: the published points, geometric between them."""
        return _geometric(self.peak_points, year, self.peak_growth_after)

    def energy_mwh(self, year: int) -> float:
        """Net energy for load of ``year`` [MWh/yr]: the published points, geometric between them."""
        return _geometric(self.energy_points, year, self.energy_growth_after)

    def dc_mw(self, year: int) -> float:
        """Data-center load at the summer peak of ``year`` [MW], from zero in 2024."""
        return max(0.0, (int(year) - DC_BASE_YEAR) * self.dc_growth_mw_per_year)

    def growth_per_yr(self, first: int, last: int) -> float:
        """Mean growth of the peak from ``first`` to ``last`` [fraction/yr]."""
        return (self.peak_mw(last) / self.peak_mw(first)) ** (1.0 / (last - first)) - 1.0


def _geometric(points, year: int, growth_after: float) -> float:
    """The value of ``year`` on the points joined by constant growth; before the first point at the
    first segment's growth, after the last at ``growth_after``."""
    ys = [p[0] for p in points]
    if year >= ys[-1]:
        return float(points[-1][1]) * (1.0 + growth_after) ** (year - ys[-1])
    i = max(0, next(k for k in range(1, len(ys)) if year < ys[k]) - 1)
    (y0, v0), (y1, v1) = points[i], points[i + 1]
    return float(v0) * math.exp(math.log(v1 / v0) * (year - y0) / (y1 - y0))


#: the year from which the forecasts' data-center growth is counted (the zones' reference year,
#: :data:`gigawatt.systems.pjm_load.ZONE_REFERENCE_YEAR`)
DC_BASE_YEAR = 2024

# --- PJM 2026 Load Forecast Report (January 2026) ----------------------------------------------
#: summer 2026 peak [MW]: PJM's 2026 summer outlook, built on the 2026 forecast ([S21], secondary)
LF2026_PEAK_2026_MW = 156_400.0
#: summer 2027 peak [MW]: "~160 GW", lowered from 164 GW ([S59], secondary)
LF2026_PEAK_2027_MW = 160_000.0
#: summer 2028 peak [MW] ([S59], [S2]); the winter 2028/29 peak is 147,800 MW (not used: the model's
#: winter peaks come from the weather years' shapes)
LF2026_PEAK_2028_MW = 165_600.0
LF2026_WINTER_PEAK_2028_MW = 147_800.0
#: summer 2030 peak [MW] [derived]: "17 % growth by 2030" over this year's (2026) peak ([S59])
LF2026_PEAK_2030_MW = 1.17 * LF2026_PEAK_2026_MW
#: summer 2036 peak [MW] and the ten-year growth, 3.6 %/yr ([S58])
LF2026_PEAK_2036_MW = 222_106.0
LF2026_PEAK_GROWTH_PER_YR = 0.036
#: net energy for load 2036 [MWh] and its ten-year growth, 5.3 %/yr ([S58]); 2026 [derived] from both
LF2026_ENERGY_2036_MWH = 1_437_629e3
LF2026_ENERGY_GROWTH_PER_YR = 0.053
LF2026_ENERGY_2026_MWH = LF2026_ENERGY_2036_MWH / (1.0 + LF2026_ENERGY_GROWTH_PER_YR) ** 10
#: data centers added 2026-2031 [MW]: PJM expects 22-30 GW of new data-center demand by 2031 ([S96],
#: secondary; with the 2026 report's +30 GW of peak over five years, [S59]); the midpoint [est]
LF2026_DC_ADDED_2026_2031_MW = 26_000.0
#: data-center load added a year from zero in 2024 [MW/yr] [derived]: the 2026-2031 addition over five
#: years, the same pace before 2026 and after 2031 [est]
LF2026_DC_GROWTH_MW_PER_YEAR = LF2026_DC_ADDED_2026_2031_MW / 5.0

LF_2026 = LoadForecast(
    name="PJM 2026 Load Forecast Report",
    peak_points=((2026, LF2026_PEAK_2026_MW), (2027, LF2026_PEAK_2027_MW), (2028, LF2026_PEAK_2028_MW),
                 (2030, LF2026_PEAK_2030_MW), (2036, LF2026_PEAK_2036_MW)),
    energy_points=((2026, LF2026_ENERGY_2026_MWH), (2036, LF2026_ENERGY_2036_MWH)),
    # after 2036: the peak at the report's ten-year rate [est]; the energy at the peak's rate [est]
    # (at its own 5.3 %/yr the load factor would pass 1 before 2060)
    peak_growth_after=LF2026_PEAK_GROWTH_PER_YR,
    energy_growth_after=LF2026_PEAK_GROWTH_PER_YR,
    dc_growth_mw_per_year=LF2026_DC_GROWTH_MW_PER_YEAR,
)

# --- PJM 2025 Load Forecast Report (January 2025) ----------------------------------------------
#: summer peaks [MW]: 154,144 (2025), 220,224 (2040), 228,544 (2045) ([S54]); 2035 [derived] at the
#: report's ten-year growth of 3.1 %/yr ([S55])
LF2025_PEAK_2025_MW = 154_144.0
LF2025_PEAK_GROWTH_PER_YR = 0.031
LF2025_PEAK_2035_MW = LF2025_PEAK_2025_MW * (1.0 + LF2025_PEAK_GROWTH_PER_YR) ** 10
LF2025_PEAK_2040_MW = 220_224.0
LF2025_PEAK_2045_MW = 228_544.0
#: net energy [MWh]: 1,328,045 GWh in 2035 (+4.8 %/yr), 1,482,068 GWh in 2045, ~832,781 GWh in 2025
#: [derived] from the ten-year increase of 495,264 GWh ([S55])
LF2025_ENERGY_2025_MWH = 832_781e3
LF2025_ENERGY_2035_MWH = 1_328_045e3
LF2025_ENERGY_2045_MWH = 1_482_068e3
#: data-center load added a year [MW/yr]: ~30 GW of the 32 GW of peak growth 2024-2030 ([S56]), over
#: six years, the same pace after 2030 [est]
LF2025_DC_GROWTH_MW_PER_YEAR = 30_000.0 / 6.0

LF_2025 = LoadForecast(
    name="PJM 2025 Load Forecast Report",
    peak_points=((2025, LF2025_PEAK_2025_MW), (2035, LF2025_PEAK_2035_MW), (2040, LF2025_PEAK_2040_MW),
                 (2045, LF2025_PEAK_2045_MW)),
    energy_points=((2025, LF2025_ENERGY_2025_MWH), (2035, LF2025_ENERGY_2035_MWH), (2045, LF2025_ENERGY_2045_MWH)),
    # after 2045: the 2040-2045 growth of the peak for both [est]
    peak_growth_after=(LF2025_PEAK_2045_MW / LF2025_PEAK_2040_MW) ** 0.2 - 1.0,
    energy_growth_after=(LF2025_PEAK_2045_MW / LF2025_PEAK_2040_MW) ** 0.2 - 1.0,
    dc_growth_mw_per_year=LF2025_DC_GROWTH_MW_PER_YEAR,
)

#: the vintages by name
LOAD_FORECASTS = {"2026": LF_2026, "2025": LF_2025}
#: the vintage of every load figure by default
DEFAULT_LOAD_FORECAST = "2026"


def load_forecast(name: str) -> LoadForecast:
    """The vintage called ``name`` (``"2026"`` or ``"2025"``); an unknown name raises :class:`InputError`."""
    if name not in LOAD_FORECASTS:
        raise InputError(f"load_forecast: expected one of {list(LOAD_FORECASTS)}, got {name!r}")
    return LOAD_FORECASTS[name]


__all__ = ["DEFAULT_LOAD_FORECAST", "LF_2025", "LF_2026", "LOAD_FORECASTS", "LoadForecast", "load_forecast"]
