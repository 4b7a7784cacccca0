"""The range: the gap of 2030 and 2035 under scenarios that bracket the assumptions (a tornado chart)."""

from __future__ import annotations

import dataclasses
import math
from typing import Callable

from gigawatt.decision.cell import assess_cell
from gigawatt.decision.method import DecisionMethod
from gigawatt.decision.run import Decision
from gigawatt.outlook import FIRST_STUDY_YEAR, OutlookAssumptions
from gigawatt.systems import pjm_forecast

#: the load forecast of the range's "load forecast" case: PJM's 2025 report as its own vintage (its
#: peaks, energy and data-center growth; [S54]-[S56])
ALTERNATIVE_LOAD_FORECAST = "2025"
#: data-center growth, low [est]: half the central 5.2 GW/yr (PJM's 2026 forecast cut large loads
#: after vetting, [S60]); high: ~50 GW of new large loads by ~2032 in the preliminary
#: 2025 forecast, 6.25 GW/yr over 2024-2032 ([S57], secondary)
DC_GROWTH_LOW_MW_PER_YEAR = 2_500.0
DC_GROWTH_HIGH_MW_PER_YEAR = 50_000.0 / 8.0
#: new entry, low end of the range [est]: half the fleet schedule's completion rates
#: (:data:`gigawatt.systems.pjm_fleet.FLEET_SCHEDULE`)
ENTRY_COMPLETION_LOW = 0.5
#: the reliability backstop procurement: 6.8 GW in service June 2032 (as filed, secondary) and
#: 14.9 GW by June 2031 (April 2026 proposal) ([S44], [S74]-[S76])
BACKSTOP_FILED = (6_800.0, 2032)
BACKSTOP_PROPOSED = (14_900.0, 2031)
#: study years of the tornado chart
RANGE_YEARS = (2030, 2035)
#: the cold model's range: factors on the cold-weather extra outages (central: the fitted
#: ``COLD_SCALE_FITTED``, 0.46). On the model the forced outages at an event's hour are ~12 GW plus
#: the factor times the event's cold part (7 Jan 2014: 29.7 GW; 24 Dec 2022: 28.4 GW; 22 Jan 2025:
#: 21.1 GW; ``describe``'s ``cold_replay``). High [est]: 1.0 replays 2014 (41.8 GW, observed 40.2
#: [S28]) and Elliott (40.0 GW, observed ~46 [S22], [S24]) within 13 %: "2014/2022 again". Low [est]:
#: 0.2 replays the post-winterization January 2025 (9.2 % of ICAP, observed ~9 % [S44], [S34],
#: secondary): cold outages as small as the winters since. sources.md P5; docs/outlook.md, "Reading the range"
COLD_SCALE_LOW = 0.2
COLD_SCALE_HIGH = 1.0
#: the heat model's high case: the summer heat elements at 1 (the gas turbines' hot-hour derate and
#: the June 2025 heat wave's 9.65 % outage rate, 2.6 points over the class rates, at every year's hottest
#: hours, [S37]); central ``HEAT_SCALE_FITTED`` (0: what PJM's summer share allows, sources.md P5)
HEAT_SCALE_HIGH = 1.0


def _with_dc_growth(o: OutlookAssumptions, per_year: float) -> OutlookAssumptions:
    """``o`` with its data-center trajectory scaled to ``per_year`` growth (by-year values too); the total
    peak moves by the same MW in every year (the data centers are in it), and the capacity already procured
    for 2026 and 2027 (PJM's auctions) stays as it was: those years keep the central capacity."""
    k = per_year / o.dc_growth_mw_per_year if o.dc_growth_mw_per_year > 0 else 0.0
    years = range(FIRST_STUDY_YEAR, max(o.years) + 1)
    dc = {y: o.dc_load_mw(y) * k if o.dc_growth_mw_per_year > 0 else max(0.0, (y - 2024) * per_year)
          for y in years}
    peak = {y: o.forecast_peak_mw(y) + dc[y] - o.dc_load_mw(y) for y in years}
    rm = dict(o.reserve_margin_by_year)
    for y in (2026, 2027):
        if y <= max(o.years):
            rm[y] = o.capacity_mw(y) / peak[y] - 1.0
    return dataclasses.replace(o, dc_growth_mw_per_year=per_year, dc_mw_by_year=dc, peak_mw_by_year=peak,
                               reserve_margin_by_year=rm)


def _with_backstop(o: OutlookAssumptions, mw: float, year: int) -> OutlookAssumptions:
    """``o`` with ``mw`` of installed capacity more in ``year`` (placed like the fleet), and after."""
    adds = dict(o.net_additions_mw_by_year)
    if year not in adds:
        adds[year] = sum(o.fleet_changes_mw(year, o.fleet_icap_mw(year - 1)).values())
    adds[year] += mw
    return dataclasses.replace(o, net_additions_mw_by_year=adds)


def transfer_limit_scenarios(o: OutlookAssumptions) -> list[tuple[str, str, OutlookAssumptions]]:
    """The "transfer limits" factor: Dominion's import limit low (6 GW in 2026/27 and frozen: the RTEP
    upgrades late) and high (10 GW, the upgrades on time); :data:`gigawatt.systems.pjm_zones.DOM_IMPORT_LIMIT_LOW_MW`."""
    low, high = o.model.dom_import_limit_low_mw, o.model.dom_import_limit_high_mw
    return [
        ("transfer limits", f"low (DOM {low / 1e3:g} GW, upgrades late)",
         dataclasses.replace(o, dom_import_limit_mw=low, dom_transfer_upgrades=0.0)),
        ("transfer limits", f"high (DOM {high / 1e3:g} GW, upgrades on time)",
         dataclasses.replace(o, dom_import_limit_mw=high, dom_transfer_upgrades=1.0)),
    ]


def _cold_model_cases(o: OutlookAssumptions) -> list[tuple[str, str, OutlookAssumptions]]:
    """The cold model's range: the cold-weather outages as small as January 2025's and as large as 2014's
    and Elliott's (:data:`COLD_SCALE_LOW`, :data:`COLD_SCALE_HIGH`); every year, 2026 included, moves."""
    return [("cold model", f"low ({COLD_SCALE_LOW:g} x the 2014/2022 cold outages: Jan 2025 replayed)",
             dataclasses.replace(o, cold_scale=COLD_SCALE_LOW)),
            ("cold model", f"high ({COLD_SCALE_HIGH:g} x: 2014 and Elliott replayed)",
             dataclasses.replace(o, cold_scale=COLD_SCALE_HIGH))]


def _heat_model_cases(o: OutlookAssumptions) -> list[tuple[str, str, OutlookAssumptions]]:
    """The heat model's high case (:data:`HEAT_SCALE_HIGH`): June 2025's heat-wave outages at every year's
    hottest hours; its low end is the central case (no heat outages beyond the class rates)."""
    return [("heat model", f"high ({HEAT_SCALE_HIGH:g}: June 2025's heat-wave outages in the hottest hours)",
             dataclasses.replace(o, heat_scale=HEAT_SCALE_HIGH))]


def _with_load_forecast(o: OutlookAssumptions, name: str) -> OutlookAssumptions:
    """``o`` with every load figure from the forecast vintage ``name``: its peaks, energy and data-center growth."""
    lf = pjm_forecast.load_forecast(name, o.model)
    return dataclasses.replace(o, load_forecast=name, dc_growth_mw_per_year=lf.dc_growth_mw_per_year)


def range_scenarios(o: OutlookAssumptions) -> list[tuple[str, str, OutlookAssumptions]]:
    """(factor, case, assumptions) pairs that bracket the central assumptions ``o`` (a grid from a description
    brackets its own: :meth:`gigawatt.grids.GridOutlook.range_scenarios`)."""
    if hasattr(o, "range_scenarios"):
        return o.range_scenarios()
    return [
        ("load forecast", "PJM 2025 forecast (its peaks, energy and data centers)",
         _with_load_forecast(o, ALTERNATIVE_LOAD_FORECAST)),
        ("data-center growth", f"low ({DC_GROWTH_LOW_MW_PER_YEAR / 1e3:g} GW/yr)",
         _with_dc_growth(o, DC_GROWTH_LOW_MW_PER_YEAR)),
        ("data-center growth", f"high ({DC_GROWTH_HIGH_MW_PER_YEAR / 1e3:g} GW/yr)",
         _with_dc_growth(o, DC_GROWTH_HIGH_MW_PER_YEAR)),
        ("net additions", f"low (new entry at {ENTRY_COMPLETION_LOW:g} x the completion)",
         dataclasses.replace(o, entry_completion_scale=ENTRY_COMPLETION_LOW * o.entry_completion_scale)),
        ("backstop procurement", f"as filed ({BACKSTOP_FILED[0] / 1e3:g} GW in {BACKSTOP_FILED[1]})",
         _with_backstop(o, *BACKSTOP_FILED)),
        ("backstop procurement", f"as proposed ({BACKSTOP_PROPOSED[0] / 1e3:g} GW in {BACKSTOP_PROPOSED[1]})",
         _with_backstop(o, *BACKSTOP_PROPOSED)),
        *transfer_limit_scenarios(o),
        *_cold_model_cases(o),
        *_heat_model_cases(o),
    ]


def _range_guess(central: OutlookAssumptions, a: OutlookAssumptions, year: int, gap_mw: float | None) -> float | None:
    """A first trial for a scenario's gap: the central gap, plus the scenario's extra peak at the installed
    reserve margin, less its extra installed capacity [MW] (a capacity balance; the search does the rest)."""
    if gap_mw is None or not math.isfinite(gap_mw):
        return None
    d_peak = a.forecast_peak_mw(year) - central.forecast_peak_mw(year)
    d_cap = a.capacity_mw(year) - central.capacity_mw(year)
    guess = gap_mw + (1.0 + IRM_FOR_GUESS) * d_peak - d_cap
    return guess if guess > 0 else None


#: reserve margin of the range's first trials [fraction] (PJM's 2027/28 IRM; only aims the search)
IRM_FOR_GUESS = 0.20


def run_range(o: OutlookAssumptions, method: DecisionMethod, central: Decision | None = None,
              years=RANGE_YEARS, progress: Callable | None = None) -> dict:
    """The firm gap in ``years`` under the central assumptions and each range scenario (tornado data)."""
    years = tuple(y for y in years if o.years[0] <= y <= o.years[-1]) or (o.years[-1],)
    scen = range_scenarios(o)
    out = {"years": list(years), "central": {}, "scenarios": []}
    total = len(years) * (len(scen) + (central is None))
    done = 0
    for y in years:
        if central is not None and (y, "firm") in central.cells:
            out["central"][str(y)] = central.cells[(y, "firm")].gap.to_dict()
        else:
            out["central"][str(y)] = assess_cell(o, y, "firm", method).gap.to_dict()
            done += 1
    for factor, case, a in scen:
        row = {"factor": factor, "case": case, "gap_mw": {}}
        for y in years:
            row["gap_mw"][str(y)] = assess_cell(a, y, "firm", method, guess_mw=_range_guess(
                o, a, y, out["central"][str(y)].get("estimate"))).gap.to_dict()
            done += 1
            if progress is not None:
                progress(done, total, f"range: {case} {y}")
        out["scenarios"].append(row)
    return out
