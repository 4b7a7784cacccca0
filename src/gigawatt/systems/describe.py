"""Describe a system the way a planner audits it: capacity and outage rates by class, load by weather year, zones.

:func:`describe` works on any :class:`~gigawatt.system.SystemModel` (an embedded system, a
``.pras`` file); :func:`describe_pjm` builds the PJM model of a study year and adds PJM's
accounting and a replay of the cold events PJM reported. ``gigawatt system describe`` prints the
result; docs/outlook.md ("Describe a system") documents every key.

Effective forced-outage rate. Each two-state unit is out in period ``t`` with probability
``p_t``; per period ``p_t = p_{t-1} (1 - repair_t) + (1 - p_{t-1}) failure_t``, started at the
stationary value of period 0 (what the sequential Monte Carlo samples; the same recursion as
:func:`gigawatt.systems.pjm.expected_outages_mw`). A class's rate is the capacity-weighted mean
``sum_{i,t} cap_{i,t} p_{i,t} / sum_{i,t} cap_{i,t}`` over its units and the periods considered:
all periods (``efor``), the top 1 % load hours of December-February (``efor_winter_peak``) and of
June-August (``efor_summer_peak``). Planned outages and derates lower ``cap``; they are not
forced outages. Units with identical failure and repair series share one recursion.

Only numpy, :mod:`gigawatt.system`, :mod:`gigawatt.systems` and :mod:`gigawatt.errors`
are imported (layer ``systems``).
"""

from __future__ import annotations

import calendar
import dataclasses
import math

import numpy as np

from gigawatt.errors import InputError
from gigawatt.system import SystemModel
from gigawatt.systems import pjm
from gigawatt.systems import pjm_load as W
from gigawatt.systems import pjm_zones as Z

#: share of the season's hours counted as its peak hours (top 1 % by total load)
PEAK_SHARE = 0.01
#: months of the winter and summer peak seasons
WINTER_MONTHS = (12, 1, 2)
SUMMER_MONTHS = (6, 7, 8)
#: limits at or above this are "no limit" (Interfaces store inf as 1e300)
_NO_LIMIT_MW = 1e299

#: the cold events PJM reported: (label, weather year, local EPT peak hour, observed forced outages
#: [MW] or None, observed share of capacity or None, note); sources.md P5
COLD_EVENTS = pjm.MODEL.replays  # the embedded PJM description's [[replays]] (gigawatt/data/pjm.toml)


# ------------------------------------------------------------------------------------------ helpers
def _num(x):
    """A JSON-safe float: None for NaN, inf and None."""
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def _clean(obj):
    """Recursively: numpy scalars to Python numbers, NaN and inf to None (strict JSON)."""
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return _num(obj)
    return obj


def _row_key(row: np.ndarray):
    """A cheap key of a series: constant rows by value, others by a sample and their sum."""
    if row.strides[0] == 0 or row.min() == row.max():
        return ("const", float(row[0]))
    step = max(1, row.size // 512)
    return ("var", float(row.sum()), row[::step].tobytes())


def _group_rows(failure: np.ndarray, repair: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """Group units with identical (failure, repair) series.

    Returns ``group`` (n,) the group of each unit and ``reps``, one representative unit per group.
    Rows are compared exactly (a cheap key first, then ``array_equal`` against the group's first unit).
    """
    n = failure.shape[0]
    group = np.empty(n, dtype=np.int64)
    reps: list[int] = []
    buckets: dict = {}
    for i in range(n):
        key = (_row_key(failure[i]), _row_key(repair[i]))
        for g in buckets.get(key, ()):
            j = reps[g]
            if np.array_equal(failure[i], failure[j]) and np.array_equal(repair[i], repair[j]):
                group[i] = g
                break
        else:
            group[i] = len(reps)
            buckets.setdefault(key, []).append(len(reps))
            reps.append(i)
    return group, reps


def _recursion(f: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Probability out, per period, of a two-state unit with failure ``f`` and repair ``r`` series (T,)."""
    T = f.shape[0]
    p0 = float(f[0]) / max(float(f[0]) + float(r[0]), 1e-12)
    const_f = f.strides[0] == 0 or f.min() == f.max()
    const_r = r.strides[0] == 0 or r.min() == r.max()
    if not f.any() and p0 == 0.0:
        return np.zeros(T)
    if const_f and const_r:  # stationary from the start, and it stays so
        return np.full(T, p0)
    out = np.empty(T)
    fl = f.tolist()
    rl = r.tolist()
    p = p0
    out[0] = p
    # plain floats: ~0.1 us per period, faster than numpy for one series
    for t in range(1, T):
        p = p * (1.0 - rl[t]) + (1.0 - p) * fl[t]
        out[t] = p
    return out


def out_probability_sums(failure, repair, capacity, masks: dict) -> dict:
    """Per unit, ``sum_t cap_{i,t} p_{i,t}`` and ``sum_t cap_{i,t}`` over the periods of each mask.

    Parameters
    ----------
    failure, repair, capacity : (n, T) arrays
    masks : dict
        name -> (T,) bool array or None (all periods).

    Returns
    -------
    dict
        name -> (out (n,), cap (n,)) [MW x periods].
    """
    failure = np.asarray(failure, float)
    repair = np.asarray(repair, float)
    capacity = np.asarray(capacity, float)
    n = failure.shape[0]
    res = {k: (np.zeros(n), np.zeros(n)) for k in masks}
    if n == 0:
        return res
    group, reps = _group_rows(failure, repair)
    for g, j in enumerate(reps):
        units = np.flatnonzero(group == g)
        p = _recursion(failure[j], repair[j])
        cap = capacity[units]
        for k, m in masks.items():
            if m is None:
                out_k, cap_k = cap @ p, cap.sum(axis=1)
            else:
                idx = np.flatnonzero(m)
                out_k, cap_k = cap[:, idx] @ p[idx], cap[:, idx].sum(axis=1)
            res[k][0][units] = out_k
            res[k][1][units] = cap_k
    return res


def _top_hours(load: np.ndarray, in_season: np.ndarray, share: float = PEAK_SHARE) -> np.ndarray | None:
    """Mask of the top ``share`` of the season's periods by load (at least one); None if the season is absent."""
    idx = np.flatnonzero(in_season)
    if idx.size == 0:
        return None
    k = max(1, int(math.ceil(share * idx.size)))
    top = idx[np.argsort(load[idx], kind="stable")[::-1][:k]]
    m = np.zeros(load.shape[0], dtype=bool)
    m[top] = True
    return m


# --------------------------------------------------------------------------------------- the clock
def _pjm_clock(system: SystemModel, weather_years) -> np.ndarray:
    """Local (EPT) time of each period of a PJM system whose weather years run back to back."""
    T = system.n_periods
    K = len(weather_years)
    if system.timeaxis.step_h != 1.0 or T != K * W.HOURS:
        raise InputError(f"weather_years: {K} weather years of {W.HOURS} h need {K * W.HOURS} hourly periods, "
                         f"the system has {T} periods of {system.timeaxis.step_h:g} h")
    return np.concatenate([W.local_time(int(y)) for y in weather_years])


def _standard_time_year(year: int) -> np.ndarray:
    """The 8760 local standard-time hours of ``year`` (29 Feb dropped) as datetime64[m]."""
    t = np.datetime64(f"{year}-01-01T00:00", "m") + np.arange(8784 if calendar.isleap(year) else W.HOURS) \
        * np.timedelta64(60, "m")
    if calendar.isleap(year):
        day = t.astype("datetime64[D]")
        t = t[(day < np.datetime64(f"{year}-02-29")) | (day > np.datetime64(f"{year}-02-29"))]
    return t


def _months_hours(times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    t = times.astype("datetime64[h]")
    month = t.astype("datetime64[M]").astype(np.int64) % 12 + 1
    hour = t.astype(np.int64) % 24
    return month, hour


# ---------------------------------------------------------------------------------- load statistics
def _ldc_point(sorted_desc: np.ndarray, hours: float, step_h: float, peak: float):
    k = int(math.ceil(hours / step_h - 1e-9))
    if k < 1 or k > sorted_desc.size:
        return None
    return float(sorted_desc[k - 1] / peak)


def generic_load_stats(load_mw: np.ndarray, times: np.ndarray, step_h: float) -> dict:
    """The figures of :func:`gigawatt.systems.pjm_load.load_stats` for any length and step.

    ``times`` are the period starts (numpy datetime64) on the clock the months and hours are read
    on; the load-duration points are at 10, 100 and 500 hours of duration (None when the series is
    shorter); the winter figures are None without a December-February period.
    """
    x = np.asarray(load_mw, float)
    month, hour = _months_hours(times)

    def when(i):
        return int(month[i]), int(hour[i]), str(times[i].astype("datetime64[m]")).replace("T", " ")

    i = int(np.argmax(x))
    peak = float(x[i])
    srt = np.sort(x)[::-1]
    pm, ph, pt = when(i)
    out = {"peak_mw": peak, "peak_month": pm, "peak_hour": ph, "peak_time": pt,
           "energy_mwh": float(x.sum() * step_h), "load_factor": float(x.mean() / peak) if peak > 0 else None,
           "ldc_10": _ldc_point(srt, 10, step_h, peak), "ldc_100": _ldc_point(srt, 100, step_h, peak),
           "ldc_500": _ldc_point(srt, 500, step_h, peak)}
    winter = np.isin(month, WINTER_MONTHS)
    if winter.any():
        iw = int(np.flatnonzero(winter)[np.argmax(x[winter])])
        wm, wh, wt = when(iw)
        out.update({"winter_peak_mw": float(x[iw]), "winter_peak_month": wm, "winter_peak_hour": wh,
                    "winter_peak_time": wt})
    else:
        out.update({"winter_peak_mw": None, "winter_peak_month": None, "winter_peak_hour": None,
                    "winter_peak_time": None})
    return out


def _calendar_blocks(system: SystemModel, times: np.ndarray) -> list[tuple[int, slice]]:
    """Weather years of a system without labels: the whole horizon, or each calendar year if it spans > 366 days."""
    T = system.n_periods
    start_year = int(str(times[0])[:4])
    if system.timeaxis.duration_h <= 366 * 24:
        return [(start_year, slice(0, T))]
    years = times.astype("datetime64[Y]").astype(np.int64) + 1970
    cuts = np.flatnonzero(np.diff(years)) + 1
    bounds = [0, *cuts.tolist(), T]
    return [(int(years[a]), slice(a, b)) for a, b in zip(bounds[:-1], bounds[1:])]


# ------------------------------------------------------------------------------------------ describe
def describe(system: SystemModel, *, weather_years=None, accounts: dict | None = None,
             start_year: int | None = None) -> dict:
    """A planner's description of ``system``: classes, weather years, zones, storage.

    Parameters
    ----------
    system : SystemModel
    weather_years : sequence of int, optional
        Labels of the 8760-hour weather years the system's horizon holds back to back (the PJM
        model, :data:`gigawatt.systems.pjm_load.WEATHER_YEARS`). Their load statistics use
        :func:`gigawatt.systems.pjm_load.load_stats` on each year's own calendar and clock (EPT).
        Without labels the whole horizon is one weather year (each calendar year when it spans
        more than 366 days), labelled by its first timestamp's year, on the time axis's clock (UTC).
    accounts : dict, optional
        :func:`gigawatt.systems.pjm.capacity_accounts`: ICAP, UCAP and ELCC by class are taken
        from it; without it ICAP is the class's largest summed capacity and UCAP = ICAP x (1 - efor).
    start_year : int, optional
        Study year reported as ``study_year`` (default: the year of the first timestamp).

    Returns
    -------
    dict
        JSON-ready (no NaN: missing values are None): ``study_year``, ``periods``, ``step_h``,
        ``start``, ``clock``, ``classes``, ``weather_years``, ``zones``, ``storage``,
        ``peak_hours``. Keys are documented in docs/outlook.md, "Describe a system".
    """
    if not isinstance(system, SystemModel):
        raise InputError(f"system: expected a SystemModel, got {type(system).__name__}")
    T = system.n_periods
    step = system.timeaxis.step_h
    load = system.regions.load_mw.sum(axis=0)
    if weather_years is not None:
        weather_years = tuple(int(y) for y in weather_years)
        times = _pjm_clock(system, weather_years)
        clock = "EPT"
        off = system.timeaxis.day_utc_offset_h
        if off != -5.0:  # another grid's clock (ERCOT, TVA: Central): its standard time, no daylight saving,
            # on each weather year's own calendar (29 Feb dropped), as the description's reader lays them out
            times = np.concatenate([_standard_time_year(y) for y in weather_years])
            clock = f"UTC{off:+g}"
        blocks = [(y, slice(k * W.HOURS, (k + 1) * W.HOURS)) for k, y in enumerate(weather_years)]
    else:
        times = system.timeaxis.timestamps.tz_localize(None).values.astype("datetime64[m]")
        clock = "UTC"
        blocks = _calendar_blocks(system, times)
    month, _ = _months_hours(times)
    masks = {"all": None,
             "winter": _top_hours(load, np.isin(month, WINTER_MONTHS)),
             "summer": _top_hours(load, np.isin(month, SUMMER_MONTHS))}
    used = {k: m for k, m in masks.items() if k == "all" or m is not None}

    # --- classes: generators, then storage and generator-storage devices
    classes: dict = {}
    for kind, comp, cap in (("generator", system.generators, system.generators.capacity_mw),
                            ("storage", system.storages, system.storages.discharge_mw),
                            ("generatorstorage", system.generatorstorages,
                             system.generatorstorages.grid_injection_mw)):
        if len(comp.names) == 0:
            continue
        sums = out_probability_sums(comp.failure_prob, comp.repair_prob, cap, used)
        cats = np.asarray(comp.categories, dtype=object)
        for cat in dict.fromkeys(comp.categories):
            sel = np.flatnonzero(cats == cat)
            entry = classes.setdefault(cat, {"kind": kind, "units": 0, "cap_series": np.zeros(T), "sums": {}})
            entry["units"] += int(sel.size)
            entry["cap_series"] = entry["cap_series"] + cap[sel].sum(axis=0)
            for k, (o, c) in sums.items():
                so, sc = entry["sums"].get(k, (0.0, 0.0))
                entry["sums"][k] = (so + float(o[sel].sum()), sc + float(c[sel].sum()))
    acc_classes = (accounts or {}).get("classes", {})
    order = [c for c in acc_classes if c in classes] + [c for c in classes if c not in acc_classes]
    out_classes = []
    for name in order:
        e = classes[name]

        def rate(k):
            if k not in e["sums"]:
                return None
            o, c = e["sums"][k]
            return o / c if c > 0 else None

        efor = rate("all")
        cap_max = float(e["cap_series"].max())
        if name in acc_classes:
            icap = float(acc_classes[name]["icap_mw"])
            u = acc_classes[name]["ucap_mw"]
            ucap = None if u is None else float(u)  # None: the class has no accreditation (wind, solar of a grid)
            elcc = acc_classes[name].get("elcc")
        else:
            icap = cap_max
            ucap = icap * (1.0 - efor) if efor is not None else None
            elcc = None
        out_classes.append({"name": name, "kind": e["kind"], "units": e["units"], "icap_mw": icap,
                            "ucap_mw": ucap, "elcc": elcc, "capacity_max_mw": cap_max,
                            "efor": efor, "efor_winter_peak": rate("winter"), "efor_summer_peak": rate("summer")})

    # --- weather years
    wy = []
    for label, sl in blocks:
        x = load[sl]
        if clock == "EPT":
            stats = W.load_stats(x, int(label))
        else:
            stats = generic_load_stats(x, times[sl], step)
        wy.append({"year": int(label), "hours": float((sl.stop - sl.start) * step), **stats})

    # --- zones
    ifs = system.interfaces
    fwd = [np.asarray(ifs.forward_mw[i], float) for i in range(len(ifs))]
    bwd = [np.asarray(ifs.backward_mw[i], float) for i in range(len(ifs))]
    if len(system.lines):  # an interface carries at most the sum of its lines (all in service)
        ln = system.lines
        idx, sign = system.line_interface_index()
        for i in range(len(ifs)):
            mine = np.flatnonzero(idx == i)
            if mine.size:
                lf = sum(ln.forward_mw[j] if sign[j] > 0 else ln.backward_mw[j] for j in mine)
                lb = sum(ln.backward_mw[j] if sign[j] > 0 else ln.forward_mw[j] for j in mine)
                fwd[i], bwd[i] = np.minimum(fwd[i], lf), np.minimum(bwd[i], lb)
    zones = []
    for r, name in enumerate(system.regions.names):
        into = np.zeros(T)
        out_of = np.zeros(T)
        n_in = 0
        for i, (a, b) in enumerate(zip(ifs.regions_from, ifs.regions_to)):
            if b == name:
                into = into + fwd[i]
                out_of = out_of + bwd[i]
                n_in += 1
            elif a == name:
                into = into + bwd[i]
                out_of = out_of + fwd[i]
                n_in += 1

        def limit(series):
            if n_in == 0:
                return None
            v = float(series.max())
            return None if v >= _NO_LIMIT_MW else v

        in_zone = np.asarray([g == name for g in system.generators.regions], dtype=bool)
        zload = system.regions.load_mw[r]
        zones.append({"name": name, "peak_mw": float(zload.max()), "energy_mwh": float(zload.sum() * step),
                      "capacity_max_mw": float(system.generators.capacity_mw[in_zone].sum(axis=0).max())
                      if in_zone.any() else 0.0,
                      "import_limit_mw": limit(into), "export_limit_mw": limit(out_of)})

    # --- storage
    st, gs = system.storages, system.generatorstorages

    def total(comp, field):
        return float(getattr(comp, field).sum(axis=0).max()) if len(comp.names) else 0.0

    storage = {"devices": len(st.names) + len(gs.names),
               "charge_mw": total(st, "charge_mw") + total(gs, "charge_mw"),
               "discharge_mw": total(st, "discharge_mw") + total(gs, "discharge_mw"),
               "energy_mwh": total(st, "energy_mwh") + total(gs, "energy_mwh")}

    def peak_info(m):
        if m is None:
            return None
        return {"periods": int(m.sum()), "min_load_mw": float(load[m].min())}

    res = {
        "study_year": int(start_year) if start_year is not None else int(system.timeaxis.start.year),
        "periods": T, "step_h": step, "start": system.timeaxis.start.isoformat(), "clock": clock,
        "generators": len(system.generators), "regions": len(system.regions),
        "peak_load_mw": float(load.max()),
        "classes": out_classes, "weather_years": wy, "zones": zones, "storage": storage,
        "peak_hours": {"share": PEAK_SHARE, "winter": peak_info(masks["winter"]),
                       "summer": peak_info(masks["summer"])},
    }
    return _clean(res)


# ------------------------------------------------------------------------------------------------ PJM
default_dc_mw = pjm.default_dc_mw  # the outlook's data-center trajectory


def cold_replay(a: pjm.PJMAssumptions) -> list[dict]:
    """Expected forced outages at the peak hours of the cold events PJM reported, on this model.

    Each event is replayed on a one-weather-year system of its year (``a`` otherwise unchanged)
    with :func:`gigawatt.systems.pjm.expected_outages_mw`, against PJM's observed figures
    (sources.md P5).
    """
    out = []
    for label, wyear, when, obs_mw, obs_frac, note in a.model.replays:
        if wyear not in W.WEATHER_YEARS:
            continue
        b = dataclasses.replace(a, weather_years=(wyear,))
        system = pjm.pjm_default(b)
        local = W.local_time(wyear)
        hits = np.flatnonzero(local == np.datetime64(when, "h"))
        if hits.size == 0:  # pragma: no cover - the events lie on their years' axes
            continue
        t = int(hits[0])
        exp = pjm.expected_outages_mw(system, t)
        gen_icap = pjm.capacity_accounts(b)["icap_mw"] - b.demand_response_mw
        gas = sum(v for k, v in exp.items() if k.startswith(("Gas", "Steam")))
        load = float(system.regions.load_mw[:, t].sum())
        out.append({
            "event": label, "weather_year": wyear, "time_ept": when.replace("T", " ") + ":00", "period": t,
            "load_mw": load, "model_outage_mw": exp["total"], "model_outage_share_of_icap": exp["total"] / gen_icap,
            "model_gas_share": gas / exp["total"] if exp["total"] > 0 else None,
            "observed_outage_mw": obs_mw, "observed_share": obs_frac, "source": note,
            "by_class_mw": {k: v for k, v in exp.items() if k != "total"},
        })
    return out


def risk_elements(a: pjm.PJMAssumptions, replays=()) -> dict:
    """What the PJM model adds to the fleet's outages: load forecast uncertainty, the capacity benefit of
    ties, demand response as the emergency order calls it, and the cold factor with its replays.

    Returns
    -------
    dict
        ``load_forecast_uncertainty`` ({distribution, sd, lead_years, sd_by_lead_year, source}),
        ``cbot_mw``, ``demand_response`` ({icap_mw, availability, max_events, max_hours, max_event_h,
        windows_ept, source}; ``None`` for no limit), ``cold`` ({factor, replays: [{date, observed_mw, model_mw}]}).
    """
    hours, event = a.dr_limits()
    events = a.dr_events_per_year()
    table = a.model.load_sd_by_lead
    return {
        "load_forecast_uncertainty": {
            "distribution": "normal, mean 1, cut at 4 standard deviations; one factor per sample on the residents' load",
            "sd": a.lfu_sd(), "lead_years": a.lfu_lead_years(),
            "sd_by_lead_year": {str(k + 1) + ("+" if k + 1 == len(table) else ""): v for k, v in enumerate(table)},
            "source": "[est] from PJM's forecast error factor (normal; sources.md P1, P7); "
                      f"forecast of {a.load_forecast}"},
        "cbot_mw": a.cbot_mw(),
        "demand_response": {
            "icap_mw": a.demand_response_mw, "availability": a.dr_availability_frac(),
            "max_events": None if math.isinf(events) else events,
            "max_hours": None if math.isinf(hours) else hours, "max_event_h": None if math.isinf(event) else event,
            "windows_ept": None if a.year >= a.model.dr_all_hours_from else {
                "summer": list(a.model.dr_window_summer_h), "winter": list(a.model.dr_window_winter_h)},
            "source": "availability: PJM's DR ELCC rating with DR in all hours, 2027/28 ([S16], secondary); "
                      "windows through 2026/27 ([S42]); limits: sources.md P9"},
        "cold": {"factor": a.cold_scale,
                 "replays": [{"date": r["time_ept"], "observed_mw": r.get("observed_outage_mw"),
                              "model_mw": r["model_outage_mw"]} for r in replays]},
    }


def describe_pjm_model(a: pjm.PJMAssumptions, system: SystemModel | None = None, *, replay: bool = True) -> dict:
    """:func:`describe` of the PJM model of assumptions ``a``, with PJM's accounts and the cold replay.

    ``system`` is :func:`gigawatt.systems.pjm.pjm_default` of ``a`` (built when not given).
    """
    system = pjm.pjm_default(a) if system is None else system
    acc = pjm.capacity_accounts(a)
    d = describe(system, weather_years=a.weather_years, accounts=acc, start_year=a.year)
    d["assumptions"] = _clean({
        "year": a.year, "peak_mw": acc["peak_mw"], "dc_load_mw": a.dc_load_mw, "dc_as_load": a.dc_as_load,
        "efor_scale": a.efor_scale, "cold_scale": a.cold_scale, "heat_scale": a.heat_scale, "zones": a.zones, "zone_set": a.zone_set,
        "dom_import_limit_mw": a.dom_import_limit_mw if a.zones else None,
        "demand_response_mw": a.demand_response_mw})
    d["accounts"] = _clean({k: acc[k] for k in ("peak_mw", "reserve_margin", "icap_mw", "ucap_mw", "dr_icap_mw",
                                                "dr_ucap_mw", "scale")})
    d["cold_replay"] = _clean(cold_replay(a)) if replay else []
    d.update(_clean(risk_elements(a, d["cold_replay"])))
    info = pjm.zone_info(a)
    for z in d["zones"]:
        z.update(_clean(info.get(z["name"], {})))
    return d


def describe_pjm(year: int = 2026, **assumption_overrides) -> dict:
    """Describe the PJM model of ``year`` with the outlook's data-center load of that year.

    Parameters
    ----------
    year : int
    **assumption_overrides
        Fields of :class:`gigawatt.systems.pjm.PJMAssumptions` (``dc_load_mw`` defaults to
        :func:`default_dc_mw`; ``replay=False`` leaves the cold replay out).
    """
    replay = bool(assumption_overrides.pop("replay", True))
    kw = {"dc_load_mw": default_dc_mw(year), "dom_import_limit_mw": Z.dom_import_limit_mw(year),
          "dom_export_limit_mw": Z.dom_import_limit_mw(year), **assumption_overrides}
    a = pjm.PJMAssumptions(year=year, **kw)
    return describe_pjm_model(a, replay=replay)


__all__ = ["COLD_EVENTS", "cold_replay", "default_dc_mw", "describe", "describe_pjm", "describe_pjm_model",
           "generic_load_stats", "out_probability_sums"]
