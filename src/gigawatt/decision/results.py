"""What the main job reports: results.json's document and the assumptions table, for the CLI, the report and the page.

:func:`results_document` is the one place that lays out ``results.json`` (documented in docs/outlook.md);
:func:`assumptions_table` lists every assumption with its value and source, and says which a scenario changed.
"""

from __future__ import annotations

import math

from gigawatt.decision.run import Decision
from gigawatt.decision.zonal import zonal_document
from gigawatt.outlook import OutlookAssumptions, timezone_of
from gigawatt.systems import pjm

#: what results.json says the embedded system is (docs/outlook.md explains it)
SYSTEM_NOTE = ("A PJM-like system built from public figures: {n} real weather years of hourly load, "
               "PJM's installed capacity by class with published outage rates and correlated cold, "
               "{zones}; not PJM's own model. See docs/outlook.md.")
#: the zones of each zone set, as SYSTEM_NOTE says them
ZONES_NOTE = {"two": "two zones (Dominion and the rest)",
              "lda": "PJM's LDAs where the data centers land (ten zones, MAAC and SWMAAC nested, import limits "
                     "[est] but PPL's and MAAC's)"}


def _by_year(table: dict, fmt) -> str:
    return ", ".join(f"{y}: {fmt(v)}" for y, v in sorted(table.items()))


def _hours(h: float) -> str:
    return "no limit" if math.isinf(h) else f"{h:g} h"


def _dr_limits(o) -> str:
    """Demand-response limits; ``None`` is PJM's rule of each study year (``PJMAssumptions.dr_limits``)."""
    hours = "yearly hours by PJM's rule of each year" if o.dr_max_hours_per_year is None else \
        f"{_hours(o.dr_max_hours_per_year)}/yr"
    event = "event length by PJM's rule" if o.dr_max_event_h is None else f"events up to {_hours(o.dr_max_event_h)}"
    return f"{hours}, {event}"


def _load_forecast(o: OutlookAssumptions) -> str:
    """The peak trajectory in words: the vintage's table, or a 2025 peak and its growth."""
    lf = o.forecast()
    if o.peak_2025_mw is None and o.peak_growth_per_yr is None:
        return f"{lf.name}: {o.forecast_peak_mw(2026):,.0f} MW in 2026, {lf.peak_mw(2036):,.0f} MW in 2036"
    return f"{o.forecast_peak_mw(2025):,.0f} MW in 2025, +{o.forecast_peak_mw(2026) / o.forecast_peak_mw(2025) - 1:.1%}/yr"


def assumptions_table(outlook: OutlookAssumptions, scenario_name: str | None = None) -> list[dict]:
    """The assumptions table of the report: each value with its source; values a scenario changed say so."""
    base = OutlookAssumptions.from_model(outlook.model, years=outlook.years)
    mine = f"scenario '{scenario_name}'" if scenario_name else "[est]"

    def src(*names, default: str) -> str:
        return mine if any(getattr(outlook, n) != getattr(base, n) for n in names) else default

    o, p, pb = outlook, outlook.policy, base.policy
    # the vintage a description names (an edited pjm.toml may take the 2025 report as its own default)
    lf = o.forecast()
    dc_default = ("PJM 2026 forecast: 22-30 GW of data centers by 2031, the midpoint (sources.md P7) [est beyond 2031]"
                  if o.load_forecast == "2026" else f"{lf.name}: its large loads (sources.md P7) [est]")
    rows = [
        {"name": "load forecast", "value": _load_forecast(o),
         "source": src("load_forecast", "peak_2025_mw", "peak_growth_per_yr",
                       default=f"{lf.name}: its peaks by year, geometric between them (sources.md P7)")},
        {"name": "data centers", "value": f"{o.dc_growth_mw_per_year:,.0f} MW added a year from {lf.dc_base_year}",
         "source": src("dc_growth_mw_per_year", default=dc_default)},
        {"name": "installed reserve margin 2026/27, 2027/28", "value": f"{o.model.irm_of(2026):.1%}, {o.model.irm_of(2027):.1%}",
         "source": "PJM BRA parameters (sources.md P1)"},
        {"name": "2027/28 capacity short of requirement", "value": f"{o.shortfall_2027_mw:,.0f} MW UCAP",
         "source": src("shortfall_2027_mw", default="PJM BRA 2027/28; to ICAP on the model's class ELCCs of "
                                                            "2027/28 (an input: the 2027 gap is not a check of it)")},
        {"name": "capacity after 2027",
         "value": ("deactivations and new entry by class, each with a completion rate"
                   + (f" (new entry x {o.entry_completion_scale:g})" if o.entry_completion_scale != 1.0 else "")
                   if o.net_additions_mw_per_year is None else f"{o.net_additions_mw_per_year:,.0f} MW/yr net"),
         "source": src("net_additions_mw_per_year", "entry_completion_scale",
                       default="PJM deactivations, RRI, Expedited Interconnection Track, queue (sources.md P3, "
                               "P10) [est completion]")},
    ]
    for field, label, fmt in (("peak_mw_by_year", "peak by year", lambda v: f"{v:,.0f} MW"),
                              ("dc_mw_by_year", "data centers by year", lambda v: f"{v:,.0f} MW"),
                              ("net_additions_mw_by_year", "net capacity additions by year", lambda v: f"{v:,.0f} MW"),
                              ("reserve_margin_by_year", "reserve margin by year", lambda v: f"{v:.1%}")):
        if getattr(o, field):
            rows.append({"name": label, "value": _by_year(getattr(o, field), fmt), "source": mine})
    rows += [
        {"name": "fleet", "value": "PJM's 2026/27 installed capacity by class (RRS Table 5), scaled to the "
         "ICAP of 2026 and 2027, then changed by class; ELCC class ratings for accredited capacity", "source": "PJM 2025 ELCC/RRS report (sources.md P2, P3)"},
        {"name": "class forced-outage rates",
         "value": ("nuclear 1.8 %, coal 12 %, gas and oil 8 %" + (f", x {o.outage_multiplier:g}"
                                                                  if o.outage_multiplier != 1.0 else "")),
         "source": src("outage_multiplier", default="NERC GADS class averages (sources.md P4); no factor")},
        {"name": "correlated cold outages",
         "value": (f"{o.cold_scale:g} x the Jan 2014 / Dec 2022 outages at every hour of equal cold severity"
                   + (" (fitted: PJM's 0.1 d/yr at the IRM)" if o.cold_scale == o.model.cold_scale else "")),
         "source": src("cold_scale", default="2014 and 2022 replays (sources.md P5); tools/calibrate_outlook.py")},
        {"name": "planned outages, heat",
         "value": ("planned outages in the lowest-load weeks; " + (
             "no heat outages beyond the class rates" if o.heat_scale == 0 else
             f"{o.heat_scale:g} x (gas turbines derated and +2.6 pts outages) in the hottest hours")
             + (" (fitted: PJM's summer share)" if o.heat_scale == o.model.heat_scale else "")),
         "source": src("heat_scale", default="[est]; heat_scale fitted with the cold factor to PJM's 0.1 d/yr and "
                                             "winter share; June 2025 heat wave 9.65 % (sources.md P4, P5)")},
        {"name": "load forecast error",
         "value": ("one factor on the residents' load per sample, sd " + (
             "1-2.5 % by lead year" if o.load_forecast_sd is None else f"{o.load_forecast_sd:.1%}")),
         "source": src("load_forecast_sd", default="[est] (PJM's distribution not found; sources.md P1)")},
        {"name": "capacity benefit of ties",
         "value": f"{o.cbot_frac:.1%} of the forecast peak as emergency imports",
         "source": src("cbot_frac", default="PJM's IRM formula, 1.5 % (sources.md P1, secondary)")},
        _zones_row(o, src),
        {"name": "load shapes", "value": f"weather years {', '.join(map(str, o.weather_years))}",
         "source": src("weather_years", default="real hourly load: PJM zonal 2003-2015, EIA-930 2016-2024, "
                                                "PJM metered 2025, scaled to the forecast")},
        {"name": "demand response",
         "value": (f"{o.demand_response_mw:,.0f} MW, {_dr_limits(o)}; dispatched after data-center curtailment, "
                   "before backup generation" + (f", {o.voltage_reduction_frac:.0%} voltage reduction" if o.voltage_reduction_frac > 0
                                                else "") + " and load shed" if o.demand_response_mw > 0 else "none"),
         "source": src("demand_response_mw", "dr_max_hours_per_year", "dr_max_event_h",
                       default="RRS Table 5, 8,184 MW ICAP inside the requirement; 60 h/yr [est] through "
                               "2026/27, all hours from 2027/28 (sources.md P9)")},
        {"name": "yearly limits", "value": "contract, demand-response and on-site generation hours start again "
         "in each weather year", "source": "per-year contracts and programs"},
        {"name": "people per MW of peak", "value": f"{o.rotation.people_per_mw:.0f}",
         "source": src("rotation", default="67 million people / 160 GW peak (PJM)")},
        {"name": "rotating outages",
         "value": (f"{o.rotation.n_blocks} blocks, {o.rotation.critical_frac:.0%} critical load never rotated, "
                   f"{o.rotation.rotation_h:g} h turns, collapse above {o.rotation.max_rotation_frac:.0%} of blocks"),
         "source": src("rotation", default="[est]; ERCOT Feb 2021 for the collapse")},
        {"name": "policies",
         "value": (f"connect-and-manage: curtailed first, as deep as needed; {p.name('capped')}: "
                   f"{p.capped_hours_per_year:g} h/yr, events <= {_hours(p.capped_max_event_h)}, up to "
                   f"{p.capped_max_depth_frac:.0%} of the load; firm+battery: Megapack 2 XL fleet of "
                   f"{p.battery_power_frac:.0%} of the data-center load ({p.battery_duration_h:.2g} h); "
                   f"firm+onsite-gen: gas turbines of {p.onsite_gen_frac:.0%} of the data-center load in "
                   f"{p.onsite_gen_unit_mw:g} MW units ({_hours(p.onsite_gen_max_hours_per_year)}/yr), "
                   "directed before load shed"),
         "source": (mine if p != pb else
                    "PJM large-load process and hyperscaler offers; Megapack and turbine figures (sources.md F1, F5)")},
    ]
    return rows


def _zones_row(o, src) -> dict:
    """The assumptions row of the zones: Dominion's import limit by year with the RTEP upgrades."""
    first = {}  # limit -> first study year with it
    for y in o.years:
        first.setdefault(o.dom_import_limit_mw_in(y), y)
    steps = ", ".join(f"{mw / 1e3:g} GW from {y}" for mw, y in first.items())
    dom = (f"Dominion's import limit {steps} (RTEP upgrades x {o.dom_transfer_upgrades:g}); "
           f"{o.model.dc_dom_share:.0%} of the data centers in Dominion")
    if o.zone_set == "lda":
        headroom = o.model.import_headroom if o.lda_import_headroom is None else o.lda_import_headroom
        return {"name": "zones", "value": (
            "PJM's LDAs where the data centers land (WEST, COMED, DOM, REST, MAAC as WMAAC, PPL and EMAAC, "
            "SWMAAC as BGE and PEPCO), each LDA held to 0.04 d/yr on its own; " + dom + ", the rest by the "
            f"utilities' requests; the other LDAs' import limits {1 + headroom:.2f} x the model's own import "
            "objective, but PPL's and MAAC's (PJM's 2026/27 CETLs)"
            + "".join(f"; a tie {t.from_zone}-{t.to_zone} of {t.limit_mw / 1e3:g} GW" for t in o.model.lda_ties)),
            "source": src("dom_import_limit_mw", "dom_transfer_upgrades", "lda_import_headroom",
                          default="[est] but PPL's and MAAC's CETL (sources.md P8, secondary); RTEP approvals "
                                  "(sources.md P8); docs/outlook.md, Zones")}
    return {"name": "zones", "value": "Dominion and the rest of PJM; " + dom,
            "source": src("dom_import_limit_mw", "dom_transfer_upgrades",
                          default="[est]: no public CETL (sources.md P8); RTEP approvals (sources.md P8); "
                                  "Aurora (sources.md P7)")}


def results_document(dec: Decision, outlook: OutlookAssumptions, *, samples: int, seed: int, scenario=None,
                     range_result: dict | None = None, run_time_s: float | None = None) -> dict:
    """``results.json`` of the main job: the decision (:meth:`Decision.to_dict`), the detail of every year
    and policy, the range, the assumptions and the run's settings.

    ``scenario``: the :class:`~gigawatt.outlook.OutlookScenario` the assumptions came from (None: the
    embedded default); ``range_result``: :func:`~gigawatt.decision.run_range`'s (None without ``--range``).
    """
    grid = getattr(outlook, "system_name", None)  # a grid from a description names itself
    return {
        "system": grid or ("pjm-default" if outlook.model is pjm.MODEL else outlook.model.name), "samples": samples, "seed": seed,
        "weather_years": len(outlook.weather_years), "timezone": timezone_of(outlook),
        "scenario": {"name": scenario.name if scenario else (outlook.name if grid else "PJM default"),
                     "path": scenario.path if scenario else None,
                     "description": scenario.description if scenario else "", "assumptions": outlook.to_dict()},
        "system_note": outlook.system_note if grid else SYSTEM_NOTE.format(
            n=len(outlook.weather_years), zones=ZONES_NOTE[outlook.zone_set]),
        "policies": list(dec.policies),
        **dec.to_dict(),
        **zonal_document(dec),
        "scenarios": range_result,
        "results": [r.to_dict() for r in dec.results],
        "assumptions": (outlook.assumptions_table(scenario.name if scenario else None) if grid
                        else assumptions_table(outlook, scenario.name if scenario else None)),
        # a grid from a description: its calibration events replayed on the first study year's fleet
        **({"calibration": outlook.replays()} if grid and hasattr(outlook, "replays") else {}),
        "run_time_s": None if run_time_s is None else round(run_time_s, 1),
    }
