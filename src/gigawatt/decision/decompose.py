"""From PJM's capacity arithmetic to the model's gap, one modelling element at a time (issue 25).

The decomposition's first step is ``"capacity arithmetic"``: PJM's reliability requirement minus the
accredited capacity on the model's own inputs (:func:`gigawatt.decision.zonal.capacity_arithmetic_mw`).
Every later step is a gap search (:func:`gigawatt.decision.cell.capacity_gap`) on the search's samples,
on the model with one more of its elements switched on (:func:`pjm_elements`):

1. ``"sampled outages"``: the fleet's forced outages sampled hour by hour on a copper plate (no transfer
   limits), one weather year (the median one among the run's, its peak the 50/50 peak), no correlated
   cold, no heat outages, no load forecast error, demand response without limits (any hour, any length,
   any number of events) and no ties;
2. ``"+ weather years' tail"``: all the run's weather years, scaled together to the 50/50 peak (the hotter
   and colder years above it);
3. ``"+ correlated cold"``: the cold-weather outages at the model's ``cold_scale``;
4. ``"+ heat"``: the heat elements at the model's ``heat_scale``;
5. ``"+ load forecast error"``: the load forecast factor at the year's standard deviation;
6. ``"+ demand-response limits"``: the year's limits (hours, event length, events, windows);
7. ``"+ ties"``: the capacity benefit of ties as emergency imports (the model on a copper plate);
8. ``"+ transfer limits"``: the zones' import limits, capacity placed where it relieves risk: the model's
   gap itself (the same search, so the last step equals the gap exactly).

Each step's element toggles one assumption (:func:`element_knobs`); an element the model leaves off
(e.g. ``heat_scale = 0``) repeats the step before without a search (status ``"unchanged"``), and one that
changes no sample's LOLE at the step before's bracket repeats it too (status ``"no effect"``, e.g. the
10-hour event limit of demand response in 2030 on the default run, :func:`decompose`). The single
weather year of step 1 runs ``samples x weather years`` samples, the simulated years of the others.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Callable

from gigawatt.decision.search import Search

#: the study years whose gap is decomposed by default (the report's years; each costs ~6 gap searches)
DECOMPOSITION_YEARS = (2027, 2030, 2035)
#: the label of the first step (PJM's arithmetic) and of the last (the model's gap)
ARITHMETIC = "capacity arithmetic"
LAST = "+ transfer limits (the model's gap)"

#: the elements in the order they are switched on: (label, knob); the knob's "off" value is in
#: :func:`element_knobs`, its "on" value the model's
ELEMENTS = (
    ("sampled outages", None),
    ("+ weather years' tail", "weather_years"),
    ("+ correlated cold", "cold_scale"),
    ("+ heat", "heat_scale"),
    ("+ load forecast error", "load_forecast_sd"),
    ("+ demand-response limits", "dr_limits"),
    ("+ ties", "cbot_frac"),
    (LAST, "transfer_limits"),
)


@dataclass(frozen=True)
class Element:
    """One step of the decomposition: its ``label`` and ``system()``, which builds the system with it and every
    element before it (None: the step changes nothing the model runs, so it repeats the step before);
    ``samples_factor``: the step's search runs that many times the search's samples (1 weather year of a
    run of several)."""

    label: str
    system: Callable | None
    samples_factor: int = 1


def median_weather_year(weather_years) -> int:
    """The weather year whose peak (its RTO-equivalent shape's, relative to its mean) is the median of
    ``weather_years`` (the lower of the two middle ones for an even count)."""
    from gigawatt.systems import pjm_load as W

    ys = sorted(weather_years, key=lambda y: float(W.weather_year_shape(y, rto_equivalent=True).max()))
    return int(ys[(len(ys) - 1) // 2])


def element_knobs(outlook, year: int) -> list:
    """``[(label, knobs)]``: each step's assumptions, the first with every element off, each later one with
    one more at the model's value (``knobs``: weather_years, cold_scale, heat_scale, load_forecast_sd,
    dr_limits (None: no limits; else the year's (hours, event h, events, windows)), cbot_frac,
    transfer_limits)."""
    a = outlook.pjm(year)
    hours, event = a.dr_limits()
    from gigawatt.systems import pjm

    model = {"weather_years": tuple(a.weather_years), "cold_scale": float(a.cold_scale),
             "heat_scale": float(a.heat_scale), "load_forecast_sd": float(a.lfu_sd()),
             "dr_limits": (hours, event, a.dr_events_per_year(), pjm.dr_window(a) is not None),
             "cbot_frac": float(a.cbot_frac), "transfer_limits": True}
    if model["dr_limits"] == (math.inf, math.inf, math.inf, False):
        model["dr_limits"] = None
    knobs = {"weather_years": (median_weather_year(a.weather_years),), "cold_scale": 0.0, "heat_scale": 0.0,
             "load_forecast_sd": 0.0, "dr_limits": None, "cbot_frac": 0.0, "transfer_limits": False}
    out = []
    for label, knob in ELEMENTS:
        if knob is not None:
            knobs = {**knobs, knob: model[knob]}
        out.append((label, dict(knobs)))
    return out


def _unlimited_dr(dcs):
    """``dcs`` with its demand response free of limits: any hour, any length, any number of events."""
    order = dcs.order
    dr = tuple(dataclasses.replace(d, max_hours_per_year=math.inf, max_event_h=math.inf,
                                   max_events_per_year=math.inf, availability=None)
               for d in order.demand_response)
    return dataclasses.replace(dcs, order=dataclasses.replace(order, demand_response=dr))


def pjm_elements(outlook, year: int, policy: str, model_dcs) -> list:
    """The decomposition's steps after the arithmetic (:class:`Element`), for the PJM outlook ``outlook``:
    each builds the policy's system of ``year`` with the knobs of :func:`element_knobs`; the step before
    the transfer limits is ``model_dcs`` (the model's system) on a copper plate, the last step
    ``model_dcs`` itself."""
    from gigawatt.capacity.zonal import copper_plate
    from gigawatt.outlook import policy_system

    steps = element_knobs(outlook, year)
    n_years = len(steps[-1][1]["weather_years"])
    out = []
    prev = None
    for i, (label, knobs) in enumerate(steps):
        if i == len(steps) - 1:
            out.append(Element(label, lambda: model_dcs))
        elif i == len(steps) - 2:
            out.append(Element(label, lambda: copper_plate(model_dcs)))
        elif prev is not None and knobs == prev:
            out.append(Element(label, None))
        else:
            def build(k=knobs):
                a = outlook.pjm(year, weather_years=k["weather_years"], cold_scale=k["cold_scale"],
                                heat_scale=k["heat_scale"], load_forecast_sd=k["load_forecast_sd"],
                                cbot_frac=k["cbot_frac"])
                dcs = policy_system(outlook, year, policy, assumptions=a)
                return copper_plate(dcs if k["dr_limits"] is not None else _unlimited_dr(dcs))

            out.append(Element(label, build, n_years // len(knobs["weather_years"])))
        prev = knobs
    return out


def decompose(arithmetic_mw: float, elements, gap: Search, search: Callable, probe: Callable | None = None) -> list:
    """``[{step, gap_mw, low_mw, high_mw, status}]``: the capacity arithmetic, then each element's gap
    (``search(system, samples_factor, first_mw)`` returns a :class:`Search`; ``first_mw`` the step before's
    gap), the last element's being ``gap`` itself (no search of its own).

    ``probe(system, samples_factor, x_mw)``: LOLE ``(mean, stderr)`` of ``system`` with ``x_mw`` of capacity
    added, on the searches' samples. Given, a step whose system has the step before's LOLE, sample for
    sample, at the two trials around the step before's gap (the secant's bracket) repeats that search with
    status ``"no effect"``: an element that changes nothing near the crossing is not charged the noise of a
    second search's path (a search's estimate depends on its trials, up to its interval).
    """
    rows = [{"step": ARITHMETIC, "gap_mw": float(arithmetic_mw), "low_mw": float(arithmetic_mw),
             "high_mw": float(arithmetic_mw), "status": "arithmetic"}]
    last, last_factor = None, None
    for k, el in enumerate(elements):  # the arithmetic aims the first search, each step the next
        if k == len(elements) - 1:
            s = gap
        elif el.system is None and last is not None:
            s = dataclasses.replace(last, status="unchanged")
        else:
            system = el.system()
            if (probe is not None and last is not None and el.samples_factor == last_factor
                    and _same_at_bracket(last, system, el.samples_factor, probe)):
                s = dataclasses.replace(last, status="no effect")
            else:
                prev = float(arithmetic_mw) if last is None else last.x_mw
                first = prev if prev > 0 and math.isfinite(prev) else None
                s = search(system, el.samples_factor, first)
        rows.append(_row(el.label, s))
        last, last_factor = s, el.samples_factor
    return rows


def _same_at_bracket(prev: Search, system, factor: int, probe: Callable) -> bool:
    """Whether ``system`` has ``prev``'s LOLE (mean and standard error: the same per-sample LOLE) at the
    trials of ``prev`` next below and above its crossing (False when ``prev`` has no such trials)."""
    xs = sorted({float(t[0]) for t in prev.trials})
    below = [x for x in xs if x <= prev.x_mw]
    above = [x for x in xs if x >= prev.x_mw]
    if not below or not above or not math.isfinite(prev.x_mw):
        return False
    seen = {float(t[0]): (float(t[1]), float(t[2])) for t in prev.trials}
    for x in dict.fromkeys((max(below), min(above))):
        m, se = probe(system, factor, x)
        m0, se0 = seen[x]
        if not (math.isclose(m, m0, rel_tol=1e-12, abs_tol=1e-15) and math.isclose(se, se0, rel_tol=1e-9,
                                                                                   abs_tol=1e-15)):
            return False
    return True


def _row(step: str, s: Search) -> dict:
    hi = None if s.high_mw is None or not math.isfinite(s.high_mw) else float(s.high_mw)
    return {"step": step, "gap_mw": float(s.x_mw), "low_mw": float(s.low_mw), "high_mw": hi, "status": s.status}


__all__ = ["ARITHMETIC", "DECOMPOSITION_YEARS", "ELEMENTS", "Element", "LAST", "decompose", "element_knobs",
           "median_weather_year", "pjm_elements"]
