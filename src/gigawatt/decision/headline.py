"""What the headline says beside the gap: the model's range and the scenario that the figures rest on.

The report's headline and the terminal summary both state, from ``results.json`` alone, that the figures
are conditional on their scenario and not a forecast (:func:`conditions`), and give the model's range
across the assumptions (:func:`gap_range`, from ``--range``) beside the gap's sampling interval.
"""

from __future__ import annotations

from gigawatt.constants import STANDARD_LOLE_D
from gigawatt.outlook import OutlookAssumptions

#: the factors ``--range`` moves (docs/outlook.md, "Reading the range"), named where a run has no range
RANGE_FACTORS = "transfer limits, the cold and heat models, the load forecast, data-center growth, net additions"


def gap_range(rng: dict | None, year: int) -> tuple | None:
    """The lowest and highest gap of ``year`` over the central case and ``--range``'s scenarios:
    ``((low_mw, low_case), (high_mw, high_case))``; None without a range for that year. A gap that is only a
    lower bound counts at that bound."""
    if not rng or str(year) not in rng.get("central", {}):
        return None
    gaps = [(rng["central"][str(year)].get("estimate"), "central")]
    gaps += [(r["gap_mw"][str(year)].get("estimate"), f"{r['factor']}: {r['case']}") for r in rng["scenarios"]
             if str(year) in r["gap_mw"]]
    gaps = [(g, c) for g, c in gaps if g is not None]
    if not gaps:
        return None
    return min(gaps, key=lambda t: t[0]), max(gaps, key=lambda t: t[0])


def _gw(mw: float) -> str:
    return f"{mw / 1e3:g} GW"


def conditions(results: dict, listed: str = "below") -> str:
    """The scenario the figures are conditional on, as one phrase: the load forecast, the data-center
    trajectory, the net additions, the transfer limit and the cold model of the PJM-like system (for a grid
    from a description: its own assumptions, listed ``listed``: "below" in the report, "in report.html" on
    the terminal)."""
    if (results.get("system") or "pjm-default") != "pjm-default":
        scen = results.get("scenario") or {}
        grid = scen.get("description") or results.get("system")
        path = str(scen.get("path") or "").replace("\\", "/").rsplit("/", 1)[-1]
        return (f"the grid description of {grid}{f' ({path})' if path else ''}: its load forecast, data-center "
                f"trajectory and capacity{_weather_years(results)} (the assumptions {listed})")
    a = (results.get("scenario") or {}).get("assumptions") or {}
    base = OutlookAssumptions().to_dict()

    def changed(*keys) -> bool:
        return any(a.get(k, base[k]) != base[k] for k in keys)

    v = {k: a.get(k, base.get(k)) for k in ("peak_growth_per_yr", "dc_growth_mw_per_year",
                                             "net_additions_mw_per_year", "dom_import_limit_mw", "cold_scale",
                                             "load_forecast", "entry_completion_scale", "dom_transfer_upgrades",
                                             "heat_scale", "cbot_frac", "load_forecast_sd")}
    if a.get("peak_mw_by_year"):
        load = f"the scenario's peaks by year (PJM's {v['load_forecast']} load forecast otherwise)"
    elif v["peak_growth_per_yr"] is not None or a.get("peak_2025_mw") is not None:
        growth = "" if v["peak_growth_per_yr"] is None else f" ({v['peak_growth_per_yr']:.1%}/yr)"
        load = f"the scenario's peak growth{growth}"
    else:
        load = f"PJM's {v['load_forecast']} load forecast (its peaks and energy by year)"
    dc = ("the scenario's data centers by year" if a.get("dc_mw_by_year") else
          f"data centers growing {_gw(v['dc_growth_mw_per_year'])} a year")
    if a.get("net_additions_mw_by_year"):
        adds = "the scenario's net additions by year"
    elif v["net_additions_mw_per_year"] is not None:
        adds = f"net capacity additions of {_gw(v['net_additions_mw_per_year'])} a year after 2027"
    else:
        scale = v["entry_completion_scale"]
        adds = ("the fleet schedule (announced deactivations, new entry at its completion rates [est])"
                + ("" if scale == 1.0 else f" with new entry at {scale:g} x its completion"))
    upgrades = ("with the RTEP upgrades" if v["dom_transfer_upgrades"] == 1.0 else
                "frozen" if v["dom_transfer_upgrades"] == 0.0 else f"with {v['dom_transfer_upgrades']:g} x the RTEP upgrades")
    cold = (f"the cold model fitted to PJM's 2026 reserve criterion (factor {v['cold_scale']:g})"
            if not changed("cold_scale") else f"the scenario's cold model (factor {v['cold_scale']:g})")
    heat = (f"the heat model fitted to PJM's summer share (factor {v['heat_scale']:g})"
            if not changed("heat_scale") else f"the scenario's heat model (factor {v['heat_scale']:g})")
    moved = []
    if changed("cbot_frac"):
        moved.append(f"the scenario's capacity benefit of ties ({v['cbot_frac']:.1%} of the peak)")
    if changed("load_forecast_sd"):
        moved.append(f"the scenario's load forecast error (sd {v['load_forecast_sd']:.1%})")
    zones = ("PJM's LDAs with import limits [est] but PPL's and MAAC's, " if a.get("zone_set") == "lda" else "")
    return (f"{load}, {dc}, {adds}, {zones}Dominion's import limit of {_gw(v['dom_import_limit_mw'])} in 2026/27 "
            f"{upgrades} [est], " + "".join(f"{m}, " for m in moved) + f"{cold} and {heat}")


def _weather_years(results: dict) -> str:
    """``, and its N weather years ...``: how few weather years, and the cold event among them, weigh on a
    grid's verdicts (one day short in one of N years is 1/N d/yr; the gap is then the firm capacity that
    rides through that event again)."""
    n = results.get("weather_years")
    if not isinstance(n, int) or n <= 0:
        return ""
    events = []
    for c in results.get("calibration") or []:
        name = str(c.get("name", "")).split(",")[0].strip()
        if name and name not in events:
            events.append(name)
    per_day, standard = 1.0 / n, float(results.get("standard_lole_d") or STANDARD_LOLE_D)
    text = f", and its {n} weather year{'s' if n > 1 else ''}"
    if events:
        text += f" with {' and '.join(events)} among them"
    if per_day > standard:
        text += (f": one day short in one of them is {per_day:.2g} d/yr, above the {standard:g} d/yr "
                 f"standard, so the gap is the firm capacity that rides through {'that' if events else 'the worst'} "
                 f"weather again")
    return text


__all__ = ["RANGE_FACTORS", "conditions", "gap_range"]
