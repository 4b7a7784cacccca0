"""The range: the gap of 2030 and 2035 under scenarios that bracket the assumptions (a tornado chart)."""

from __future__ import annotations

import dataclasses
import math
from typing import Callable

from gigawatt.decision.cell import assess_cell
from gigawatt.decision.method import DecisionMethod
from gigawatt.decision.run import Decision
from gigawatt.outlook import FIRST_STUDY_YEAR, OutlookAssumptions
from gigawatt.systems import pjm_constants, pjm_forecast

# the cases of the embedded PJM description ([range] in gigawatt/data/pjm.toml, with their sources); an
# outlook of another PJM description brackets with its own (``o.model.range``)
_R = pjm_constants.MODEL.range
#: the load forecast of the range's "load forecast" case: PJM's 2025 report as its own vintage
ALTERNATIVE_LOAD_FORECAST = _R.load_forecast
#: data-center growth, low and high [MW/yr]
DC_GROWTH_LOW_MW_PER_YEAR = _R.dc_growth_low_mw_per_year
DC_GROWTH_HIGH_MW_PER_YEAR = _R.dc_growth_high_mw_per_year
#: new entry, low end of the range [est]: the fleet schedule's completion rates times this
ENTRY_COMPLETION_LOW = _R.entry_completion_low
#: the reliability backstop procurement (MW, first year in service): as filed and as proposed
BACKSTOP_FILED = _R.backstop_filed
BACKSTOP_PROPOSED = _R.backstop_proposed
#: study years of the tornado chart
RANGE_YEARS = (2030, 2035)
#: the cold model's range: factors on the cold-weather extra outages (central: the fitted
#: ``COLD_SCALE_FITTED``, 0.46). On the model the forced outages at an event's hour are ~12 GW plus
#: the factor times the event's cold part (7 Jan 2014: 29.7 GW; 24 Dec 2022: 28.4 GW; 22 Jan 2025:
#: 21.1 GW; ``describe``'s ``cold_replay``): 1.0 replays 2014 and Elliott within 13 %, 0.2 the
#: post-winterization January 2025; sources.md P5; docs/outlook.md, "Reading the range"
COLD_SCALE_LOW = _R.cold_scale_low
COLD_SCALE_HIGH = _R.cold_scale_high
#: the heat model's high case: the summer heat elements at 1 (the June 2025 heat wave's outages at every
#: year's hottest hours); central ``HEAT_SCALE_FITTED`` (0: what PJM's summer share allows, sources.md P5)
HEAT_SCALE_HIGH = _R.heat_scale_high


def _with_dc_growth(o: OutlookAssumptions, per_year: float) -> OutlookAssumptions:
    """``o`` with its data-center trajectory scaled to ``per_year`` growth (by-year values too); the total
    peak moves by the same MW in every year (the data centers are in it), and the capacity already procured
    for 2026 and 2027 (PJM's auctions) stays as it was: those years keep the central capacity."""
    k = per_year / o.dc_growth_mw_per_year if o.dc_growth_mw_per_year > 0 else 0.0
    years = range(FIRST_STUDY_YEAR, max(o.years) + 1)
    dc = {y: o.dc_load_mw(y) * k if o.dc_growth_mw_per_year > 0 else max(0.0, (y - o.forecast().dc_base_year) * per_year)
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
    upgrades late) and high (10 GW, the upgrades on time); :data:`gigawatt.systems.pjm_zones.DOM_IMPORT_LIMIT_LOW_MW`.
    On the LDA set the other estimated LDA limits move with it, at the same ratio to their import objective
    as Dominion's (0.86 and 1.43 x; ``lda_import_headroom``); the published CETLs stay."""
    low, high = o.model.dom_import_limit_low_mw, o.model.dom_import_limit_high_mw
    lda = {}
    if getattr(o, "zone_set", "two") == "lda":
        ceto = o.model.fitted_ceto_mw["DOM"]
        lda = {"low": {"lda_import_headroom": low / ceto - 1.0}, "high": {"lda_import_headroom": high / ceto - 1.0}}
    others = (lambda k: f", the other estimated LDA limits {1 + lda[k]['lda_import_headroom']:.2f} x their "
              "import objective") if lda else (lambda k: "")
    return [
        ("transfer limits", f"low (DOM {low / 1e3:g} GW, upgrades late{others('low')})",
         dataclasses.replace(o, dom_import_limit_mw=low, dom_transfer_upgrades=0.0, **lda.get("low", {}))),
        ("transfer limits", f"high (DOM {high / 1e3:g} GW, upgrades on time{others('high')})",
         dataclasses.replace(o, dom_import_limit_mw=high, dom_transfer_upgrades=1.0, **lda.get("high", {}))),
    ]


def _cold_model_cases(o: OutlookAssumptions) -> list[tuple[str, str, OutlookAssumptions]]:
    """The cold model's range: the cold-weather outages as small as January 2025's and as large as 2014's
    and Elliott's (:data:`COLD_SCALE_LOW`, :data:`COLD_SCALE_HIGH`); every year, 2026 included, moves."""
    r = o.model.range
    return [("cold model", f"low ({r.cold_scale_low:g} x the 2014/2022 cold outages: Jan 2025 replayed)",
             dataclasses.replace(o, cold_scale=r.cold_scale_low)),
            ("cold model", f"high ({r.cold_scale_high:g} x: 2014 and Elliott replayed)",
             dataclasses.replace(o, cold_scale=r.cold_scale_high))]


def _heat_model_cases(o: OutlookAssumptions) -> list[tuple[str, str, OutlookAssumptions]]:
    """The heat model's high case (:data:`HEAT_SCALE_HIGH`): June 2025's heat-wave outages at every year's
    hottest hours; its low end is the central case (no heat outages beyond the class rates)."""
    high = o.model.range.heat_scale_high
    return [("heat model", f"high ({high:g}: June 2025's heat-wave outages in the hottest hours)",
             dataclasses.replace(o, heat_scale=high))]


def _with_load_forecast(o: OutlookAssumptions, name: str) -> OutlookAssumptions:
    """``o`` with every load figure from the forecast vintage ``name``: its peaks, energy and data-center growth."""
    lf = pjm_forecast.load_forecast(name, o.model)
    return dataclasses.replace(o, load_forecast=name, dc_growth_mw_per_year=lf.dc_growth_mw_per_year)


def range_scenarios(o: OutlookAssumptions) -> list[tuple[str, str, OutlookAssumptions]]:
    """(factor, case, assumptions) pairs that bracket the central assumptions ``o`` (a grid from a description
    brackets its own: :meth:`gigawatt.grids.GridOutlook.range_scenarios`)."""
    if hasattr(o, "range_scenarios"):
        return o.range_scenarios()
    r = o.model.range
    return [
        ("load forecast", f"PJM {r.load_forecast} forecast (its peaks, energy and data centers)",
         _with_load_forecast(o, r.load_forecast)),
        ("data-center growth", f"low ({r.dc_growth_low_mw_per_year / 1e3:g} GW/yr)",
         _with_dc_growth(o, r.dc_growth_low_mw_per_year)),
        ("data-center growth", f"high ({r.dc_growth_high_mw_per_year / 1e3:g} GW/yr)",
         _with_dc_growth(o, r.dc_growth_high_mw_per_year)),
        ("net additions", f"low (new entry at {r.entry_completion_low:g} x the completion)",
         dataclasses.replace(o, entry_completion_scale=r.entry_completion_low * o.entry_completion_scale)),
        ("backstop procurement", f"as filed ({r.backstop_filed[0] / 1e3:g} GW in {r.backstop_filed[1]})",
         _with_backstop(o, *r.backstop_filed)),
        ("backstop procurement", f"as proposed ({r.backstop_proposed[0] / 1e3:g} GW in {r.backstop_proposed[1]})",
         _with_backstop(o, *r.backstop_proposed)),
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
