"""The embedded PJM model: real weather years, class outage rates, correlated cold, two zones.

What a PJM planner expects of a reserve study, from public figures (sources.md sections cited
at each constant; ``[est]`` marks an estimate, exposed as a parameter of :class:`PJMAssumptions`):

* **Load** from 23 real weather years, 2003-2025 (:mod:`gigawatt.systems.pjm_load`), each on
  its own calendar (its weekdays, holidays and cold snaps), scaled to the study year's 50/50 peak
  and energy forecast (:func:`gigawatt.systems.pjm_load.scale_to_forecast`). A Monte Carlo sample
  is one pass over all weather years back to back; metrics per horizon are divided by the number
  of weather years (:func:`per_year`).
* **Fleet** by class at PJM's installed capacity of the 2026/27 reserve requirement study (RRS
  Table 5), each class with its published forced-outage rate (NERC GADS class averages), its
  repair time, planned outages scheduled in spring and autumn, and (gas turbines and combined
  cycles) a derate in the hottest hours.
* **Correlated cold.** In cold hours every gas, coal and oil unit's outage probability rises
  together with the weather year's cold severity (:func:`cold_severity`, from the load, the
  only weather signal at hand), sized so that the peak hours of 7 Jan 2014 and 24 Dec 2022 show
  forced outages of the order PJM reported (40.2 GW; ~46 GW, ~70 % gas). Part of the gas fleet is
  modelled as 1 GW blocks that fail together (fuel supply), so cold events differ between samples.
* **Accounting.** Installed capacity (ICAP) over the forecast peak is PJM's installed reserve
  margin; accredited capacity (UCAP) is ICAP times the class ELCC ratings; demand response
  counts inside the requirement (:func:`capacity_accounts`).
* **Zones.** Dominion (``DOM``) and the rest of PJM (``REST``), joined by an import limit
  (``[est]``: no confirmed CETL value is public, sources.md P8).

:func:`pjm_default` is the grid; :func:`emergency_order` is what PJM's operators do when it falls
short (demand response, voltage reduction), to be assessed together as a
:class:`~gigawatt.datacenter.system.DataCenterSystem` (as :mod:`gigawatt.outlook` does).

Its figures are a grid description, ``gigawatt/data/pjm.toml`` (docs/grids.md; read by
:mod:`~gigawatt.systems.pjm_description`, each with its source): :class:`PJMAssumptions` carries the
description it reads (``model``, default the embedded one), so a copy with other figures builds the
same model with them. The model is split by job: the embedded figures by name (:mod:`~gigawatt.systems.pjm_constants`), what varies
by study (:mod:`~gigawatt.systems.pjm_assumptions`), the weather and cold model
(:mod:`~gigawatt.systems.pjm_weather`), the compiled hazard (:mod:`~gigawatt.systems.pjm_hazard`) and
the builder here; their public names are importable from this module.
"""

from __future__ import annotations


import numpy as np
import pandas as pd

from gigawatt.system import Generators, Interfaces, Regions, Storages, SystemModel, TimeAxis
from gigawatt.systems import _pjm_fitted as F
from gigawatt.systems import pjm_load as W
from gigawatt.systems import pjm_zones as Z
from gigawatt.systems.pjm_assumptions import (  # noqa: F401 - public names of gigawatt.systems.pjm
    PJMAssumptions, capacity_accounts, default_dc_mw, elcc, forecast_energy_mwh, forecast_peak_mw,
)
from gigawatt.systems.pjm_constants import (  # noqa: F401 - the sourced constants, public here too
    CBOT_FRAC, CLASSES, COLD_BLOCK_MW, COLD_BLOCK_SHARE, COLD_SCALE_FITTED, DAY_UTC_OFFSET_H, DC_BASE_FRACTION,
    DC_DOM_SHARE, DEMAND_RESPONSE_MW, DOM_EXPORT_LIMIT_MW, DOM_IMPORT_LIMIT_MW, DR_ALL_HOURS_FROM,
    DR_DOM_SHARE, DR_ELCC, DR_MAX_EVENT_H, DR_MAX_EVENTS_PER_YEAR, DR_MAX_HOURS_PER_YEAR, DR_WINDOW_SUMMER_H,
    DR_WINDOW_WINTER_H, DR_WINTER_MONTHS, DST_MONTHS, FPR_2027, GENERATION_ICAP_2026_MW, HEAT_EXTRA_OUTAGE, HEAT_SCALE_FITTED,
    HOURS_PER_WEATHER_YEAR, IRM_2026, IRM_2027, LOAD_FORECAST_SD_BY_LEAD, MODEL, PEOPLE_SERVED, STORAGE_H,
    VOLTAGE_REDUCTION_FRAC, ZONES, PlantClass,
)
from gigawatt.systems.pjm_forecast import DEFAULT_LOAD_FORECAST, LOAD_FORECASTS, load_forecast  # noqa: F401
from gigawatt.systems.pjm_hazard import hazard_for
from gigawatt.systems.pjm_weather import (  # noqa: F401 - public names of gigawatt.systems.pjm
    COLD_JUMP_FULL, COLD_JUMP_START, COLD_LEVEL_FULL, COLD_LEVEL_START, COLD_LEVEL_WEIGHT, PJMWeather,
    _expected_planned_profile, _month_of_hour, cold_severity, dc_profile, heat_index, planned_profile, weather,
)


def pjm_default(assumptions: PJMAssumptions | None = None, **kwargs) -> SystemModel:
    """The PJM system of one study year: zones DOM and REST (or one region), all weather years back to back.

    Parameters
    ----------
    assumptions : PJMAssumptions, optional
    **kwargs
        Fields of :class:`PJMAssumptions` (e.g. ``year=2030, dc_load_mw=5000``).
    """
    a = assumptions or PJMAssumptions(**kwargs)
    wx = weather(a)
    acc = capacity_accounts(a)
    T = wx.load_mw.shape[0]
    K = len(wx.years)
    dc = a.dc_load_mw * dc_profile(wx.heat, a.model.dc_base_fraction) if a.dc_as_load else np.zeros(T)
    lda = a.zones and a.zone_set == "lda"
    if lda:
        zone_names = Z.NAMES_LDA
        dcs = dc_zone_shares(a)
        rows = [wx.load_mw * wx.zone_shares[z] + dcs.get(z, 0.0) * dc if z in wx.zone_shares else np.zeros(T)
                for z in zone_names]
        regions = Regions(list(zone_names), np.vstack(rows))
    elif a.zones:
        dom = wx.load_mw * wx.dom_share + a.dc_dom_share * dc
        rest = wx.load_mw * (1.0 - wx.dom_share) + (1.0 - a.dc_dom_share) * dc
        regions = Regions(list(ZONES), np.vstack([dom, rest]))
        zone_names = ZONES
    else:
        regions = Regions(["PJM"], (wx.load_mw + dc)[None, :])
        zone_names = ("PJM",)
    planned = np.tile(_expected_planned_profile(), K)
    names, cats, regs, mus = [], [], [], []
    groups = []  # (capacity row, failure row, count): one row per unit of the group
    solar_rows, wind_rows = [], []
    storage = []
    m = a.model
    for c in m.classes:
        icap = acc["classes"][c.name]["icap_mw"]
        for zone in zone_names:
            if lda:
                share = Z.class_shares(c.name, c.dom_share, m).get(zone, 0.0)
            else:
                share = (c.dom_share if zone == "DOM" else 1.0 - c.dom_share) if a.zones else 1.0
            mw = icap * share
            if mw <= 0:
                continue
            if c.kind == "storage":
                storage.append((f"{c.name} {zone}", c.name, zone, mw))
                continue
            if c.kind in ("wind", "solar", "hydro"):
                prof = _renewable(c, T, K)
                names.append(f"{c.name} {zone}")
                cats.append(c.name)
                regs.append(zone)
                groups.append((prof * mw, None, 1))
                mus.append(1.0)
                continue
            # thermal: two-state units; gas classes split into units and common-mode blocks
            mu = 1.0 / c.mttr_h
            base_u = min(c.efor * a.efor_scale, 0.95)
            hot = m.heat_extra_outage * a.heat_scale if c.kind == "thermal" else 0.0
            target = np.minimum(base_u + c.cold_extra * a.cold_scale * wx.cold + hot * wx.heat, 0.95)
            lam = hazard_for(target, mu)
            derate = 1.0 - c.planned_frac * planned - c.hot_derate * a.heat_scale * wx.heat
            block_mw = mw * m.cold_block_share if c.common_mode and c.cold_extra > 0 else 0.0
            unit_total = mw - block_mw
            for part_mw, size, label in ((unit_total, c.unit_mw, ""), (block_mw, m.cold_block_mw, " block")):
                if part_mw <= 0:
                    continue
                n = max(1, int(round(part_mw / size)))
                groups.append((derate * (part_mw / n), np.minimum(lam, 1.0), n))
                for i in range(n):
                    names.append(f"{c.name}{label} {zone} #{i + 1}")
                    cats.append(c.name)
                    regs.append(zone)
                    mus.append(mu)
    # filled group by group (no per-unit temporaries), then handed over read-only: the system takes
    # read-only arrays it owns as they are instead of copying them (~0.7 GB less memory traffic a grid)
    capacity = np.empty((len(names), T))
    failure = np.zeros((len(names), T))
    i = 0
    for cap_row, fail_row, n in groups:
        capacity[i:i + n] = cap_row
        if fail_row is not None:
            failure[i:i + n] = fail_row
        i += n
    capacity.setflags(write=False)
    failure.setflags(write=False)
    gens = Generators(names, cats, regs, capacity, failure, np.array(mus), n_periods=T)
    st = Storages([s[0] for s in storage], [s[1] for s in storage], [s[2] for s in storage],
                  np.array([s[3] for s in storage]), np.array([s[3] for s in storage]),
                  np.array([s[3] * m.storage_h for s in storage]), charge_eff=m.storage_efficiency, discharge_eff=m.storage_efficiency,
                  n_periods=T)
    interfaces = None
    if lda:
        frm, to, fwd, bwd = Z.lda_interfaces(import_limits_mw(a), model=a.model)
        interfaces = Interfaces(list(frm), list(to), fwd, bwd, n_periods=T)
    elif a.zones:
        interfaces = Interfaces(["REST"], ["DOM"], np.array([a.dom_import_limit_mw]),
                                np.array([a.dom_export_limit_mw]), n_periods=T)
    # local midnight (EST, UTC-5) of 1 January of the study year; PJM's days are Eastern days
    start = pd.Timestamp(f"{a.year}-01-01T00:00:00Z") - pd.Timedelta(hours=m.day_utc_offset_h)
    return SystemModel(TimeAxis(start, 1.0, T, day_utc_offset_h=m.day_utc_offset_h), regions, gens, st,
                       interfaces=interfaces, load_forecast_sd=a.lfu_sd())


def dc_zone_shares(a: PJMAssumptions) -> dict:
    """Share of the data-center load in each zone [fraction]: ``dc_dom_share`` in DOM, the rest as
    :data:`gigawatt.systems.pjm_zones.DC_SHARE` (``"lda"``) or all in REST (``"two"``); ``{"PJM": 1}``
    without zones."""
    if not a.zones:
        return {"PJM": 1.0}
    if a.zone_set == "two":
        return {"DOM": a.dc_dom_share, "REST": 1.0 - a.dc_dom_share}
    others = dict(a.model.lda_dc_share)
    tot = sum(others.values())
    return {"DOM": a.dc_dom_share, **{z: (1.0 - a.dc_dom_share) * v / tot for z, v in others.items()}}


def dc_zone_mw(a: PJMAssumptions, dc_mw: float | None = None) -> dict:
    """Data-center load by zone [MW]: ``dc_mw`` (default ``a.dc_load_mw``) split by :func:`dc_zone_shares`."""
    dc = a.dc_load_mw if dc_mw is None else float(dc_mw)
    return {z: dc * f for z, f in dc_zone_shares(a).items()}


def import_limits_mw(a: PJMAssumptions) -> dict:
    """Import limit into each limited zone of the ``"lda"`` set [MW]: given, else derived [est]."""
    lim = Z.derived_import_limits_mw(a.model, a.year)
    lim["DOM"] = a.dom_import_limit_mw
    lim.update(dict(a.import_limits_mw or ()))
    return lim


def zone_icap_mw(a: PJMAssumptions) -> dict:
    """ICAP by zone and class [MW]: zone -> {class: MW} (generation; demand response not included)."""
    acc = capacity_accounts(a)
    out: dict = {}
    for c in a.model.classes:
        icap = acc["classes"][c.name]["icap_mw"]
        if not a.zones:
            shares = {"PJM": 1.0}
        elif a.zone_set == "lda":
            shares = Z.class_shares(c.name, c.dom_share, a.model)
        else:
            shares = {"DOM": c.dom_share, "REST": 1.0 - c.dom_share}
        for z, f in shares.items():
            out.setdefault(z, {})[c.name] = icap * f
    return out


def zone_info(a: PJMAssumptions) -> dict:
    """Per zone: ``parent`` LDA, ``dc_mw`` (data centers at the summer peak [MW]), ``icap_mw_by_class``
    and ``import_limit_source`` (None where the zone has no import limit); on the ``"lda"`` set each limited
    zone's ``import_limit_mw`` and ``export_limit_mw`` too: its LDA's, the limit of its cut."""
    dc = dc_zone_mw(a)
    icap = zone_icap_mw(a)
    given = dict(a.import_limits_mw or ())
    base = a.model.dom_import_limit_mw
    if not a.zones:
        names, parents, limited = ("PJM",), {"PJM": None}, ()
    elif a.zone_set == "lda":
        names = Z.NAMES_LDA
        parents = {z.name: z.parent for z in Z.ZONES_LDA}
        limited = import_limits_mw(a)
    else:
        names, parents, limited = ZONES, {"DOM": "RTO", "REST": "RTO"}, ("DOM", "REST")
    out = {}
    for z in names:
        if z not in limited:
            src = None
        elif z == "REST" and a.zone_set == "two":
            src = (f"[est] Dominion's export limit ({a.dom_export_limit_mw:,.0f} MW: the DOM-REST interface the "
                   f"other way), delivery year {a.year}/{(a.year + 1) % 100:02d}")
        elif z == "DOM" and a.dom_import_limit_mw not in (base, Z.dom_import_limit_mw(a.year, base, model=a.model)):
            src = Z.import_limit_source(z, True, a.year, a.model)
        elif z == "DOM" and a.dom_import_limit_mw != Z.dom_import_limit_mw(a.year, base, model=a.model):
            src = (f"[est] {base:,.0f} MW, the 2026/27 estimate held for delivery year "
                   f"{a.year}/{(a.year + 1) % 100:02d} (RTEP upgrades not added; the outlook adds them)")
        else:
            src = Z.import_limit_source(z, z in given, a.year, a.model)
        out[z] = {"parent": parents[z], "dc_mw": dc.get(z, 0.0), "icap_mw_by_class": icap.get(z, {}),
                  "import_limit_source": src}
        if a.zones and a.zone_set == "lda" and z in limited:
            # the LDA's limits, its cut (every path into it, the ties' part included), not the zone's
            # interfaces (WMAAC's carry MAAC's imports from the west and its zones' exports)
            out[z]["import_limit_mw"] = limited[z]
            out[z]["export_limit_mw"] = a.model.lda_export_limit_mw.get(z)
    return out


def _renewable(c: PlantClass, T: int, K: int) -> np.ndarray:
    """Hourly output per MW of ICAP of a wind, solar or run-of-river class."""
    month = _month_of_hour() - 1
    if c.kind == "wind":
        prof = F.WIND_PROFILE[month, np.tile(np.arange(24), 365)]
    elif c.kind == "solar":
        prof = F.SOLAR_PROFILE[month, np.tile(np.arange(24), 365)]
    else:
        prof = np.full(W.HOURS, c.elcc_2026)  # run-of-river at its rating [est]
    return np.tile(prof, K)


def expected_outages_mw(system: SystemModel, period: int, window_h: int = 720) -> dict:
    """Expected forced-out capacity by class at one period [MW] (exact two-state recursion).

    Each unit is out with probability ``p``; per period ``p <- p (1 - repair) + (1 - p) failure``,
    started ``window_h`` periods before at the stationary value, which is what the sequential
    Monte Carlo samples. Planned outages and derates are not outages here (capacity at ``period``).

    Returns
    -------
    dict
        Class (generator category) -> expected MW out; ``"total"`` their sum.
    """
    g = system.generators
    t0 = max(0, int(period) - int(window_h))
    lam = np.asarray(g.failure_prob)[:, t0:period + 1]
    mu = np.broadcast_to(np.asarray(g.repair_prob, float).reshape(-1, 1) if np.ndim(g.repair_prob) < 2
                         else np.asarray(g.repair_prob)[:, t0:period + 1], lam.shape)
    p = lam[:, 0] / np.maximum(lam[:, 0] + mu[:, 0], 1e-12)
    for k in range(1, lam.shape[1]):
        p = p * (1.0 - mu[:, k]) + (1.0 - p) * lam[:, k]
    out_mw = p * np.asarray(g.capacity_mw)[:, period]
    res: dict = {}
    for cat, mw in zip(g.categories, out_mw):
        res[cat] = res.get(cat, 0.0) + float(mw)
    res["total"] = float(out_mw.sum())
    return res


def dr_window(a: PJMAssumptions) -> np.ndarray | None:
    """Demand response's availability window over the weather years of ``a`` (1 inside, 0 outside),
    through 2026/27; ``None`` from 2027/28, when PJM counts it in all hours ([S42])."""
    m = a.model
    if a.year >= m.dr_all_hours_from:
        return None
    month = _month_of_hour()
    hour = (np.arange(month.shape[0]) % 24 + np.isin(month, m.dst_months)) % 24  # prevailing Eastern time
    winter = np.isin(month, m.dr_winter_months)
    lo = np.where(winter, m.dr_window_winter_h[0], m.dr_window_summer_h[0])
    hi = np.where(winter, m.dr_window_winter_h[1], m.dr_window_summer_h[1])
    return np.tile(((hour >= lo) & (hour < hi)).astype(float), len(a.weather_years))


def per_year(value: float, system: SystemModel) -> float:
    """Convert a per-horizon metric of a :func:`pjm_default` system to per year."""
    return value / (system.n_periods / HOURS_PER_WEATHER_YEAR)


def emergency_order(assumptions: PJMAssumptions | None = None, **kwargs):
    """PJM's emergency order for the model: demand response by zone, emergency imports (the capacity
    benefit of ties), voltage reduction where a study counts it.

    The steps keep PJM's sequence (Manual 13; sources.md P10): curtailment of large loads under
    connect-and-manage (before pre-emergency demand response), demand response, large loads
    directed to their backup generation, emergency imports, voltage reduction, then manual load
    dump. Demand response is split between the zones by load share, at its availability
    (:meth:`PJMAssumptions.dr_availability_frac`) inside its windows (:func:`dr_window`) with the year's limits
    (:meth:`PJMAssumptions.dr_limits`, :meth:`PJMAssumptions.dr_events_per_year`), applied per
    weather year (``DataCenterSystem(limit_year_h=HOURS_PER_WEATHER_YEAR)``). The capacity benefit of
    ties (:meth:`PJMAssumptions.cbot_mw`) comes as emergency imports into ``REST`` (``PJM`` without
    zones). Voltage reduction is ``voltage_reduction_frac`` of firm load, 0 by default: PJM's
    loss-of-load criterion does not count it (:data:`VOLTAGE_REDUCTION_FRAC`).

    Returns
    -------
    gigawatt.datacenter.order.EmergencyOrder
    """
    from gigawatt.datacenter.order import DemandResponse, EmergencyOrder

    a = assumptions or PJMAssumptions(**kwargs)
    hours, event = a.dr_limits()
    lim = {"max_hours_per_year": hours, "max_event_h": event, "max_events_per_year": a.dr_events_per_year(),
           "availability": dr_window(a)}
    mw = a.demand_response_mw * a.dr_availability_frac()
    dr = ()
    if mw > 0:
        if a.zones and a.zone_set == "lda":
            ref = Z.reference_shares()
            dr = tuple(DemandResponse(f"demand response {z}", z, mw * f, **lim) for z, f in ref.items())
        elif a.zones:
            s = a.model.dr_dom_share
            dr = tuple(DemandResponse(f"demand response {z}", z, mw * f, **lim) for z, f in (("DOM", s), ("REST", 1.0 - s)))
        else:
            dr = (DemandResponse("PJM demand response", "PJM", mw, **lim),)
    imports = {("REST" if a.zones else "PJM"): a.cbot_mw()} if a.cbot_frac > 0 else {}
    return EmergencyOrder(demand_response=dr, imports_mw=imports, voltage_reduction_frac=a.voltage_reduction_frac)


__all__ = ["CLASSES", "PJMAssumptions", "PlantClass", "capacity_accounts", "cold_severity", "dc_profile",
           "dc_zone_mw", "dc_zone_shares", "dr_window", "zone_icap_mw", "zone_info", "default_dc_mw", "emergency_order", "import_limits_mw", "expected_outages_mw", "forecast_energy_mwh", "forecast_peak_mw",
           "hazard_for", "per_year", "pjm_default", "weather"]
