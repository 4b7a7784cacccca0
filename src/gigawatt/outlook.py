"""Multi-year outlook on the PJM-like default: load growth, data centers, capacity, reliability by year.

For each study year the embedded system (:func:`gigawatt.systems.pjm.pjm_default`) is built with the
forecast peak of that year, the data-center load of that year and the capacity the market has
procured, and assessed by sequential Monte Carlo. Residents' impacts (people and customers
interrupted, customer-hours, hours without power per affected customer) come from rotating-outage
accounting (:mod:`gigawatt.datacenter.outages`) over the traced samples that have a shortfall.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from gigawatt.assess import assess
from gigawatt.datacenter.outages import RotationPolicy, rotating_outages
from gigawatt.errors import InputError
from gigawatt.methods.sequential import SequentialMonteCarlo, prepare, trace_sample
from gigawatt.results import Shortfall, ShortfallSamples
from gigawatt.results.stats import Estimate
from gigawatt.systems import pjm

#: calibrated outage multiplier: with it, the 2026 system at the 2026/27 installed reserve
#: margin (19.1 %) has LOLE ~0.1 day/yr, PJM's criterion for setting that margin. It stands in
#: for what a two-state unit model lacks (planned and maintenance outages, ambient derates,
#: correlated outages beyond the cold-snap factor); see docs/outlook.md.
CALIBRATED_OUTAGE_MULTIPLIER = 2.5
#: 2027/28 capacity auction cleared ~6.6 GW short of the reliability requirement (FACTS.md section 1)
SHORTFALL_2027_MW = 6_600.0


def default_dc_mw(year: int) -> float:
    """Data-center load in PJM [MW]: 30 GW added 2024-2030 (PJM 2025 forecast), then 5 GW/yr [est]."""
    return max(0.0, (year - 2024) * pjm.DC_GROWTH_2024_2030_MW / 6.0)


@dataclass(frozen=True)
class OutlookAssumptions:
    """What changes from year to year.

    Parameters
    ----------
    years : tuple of int
        Study years.
    dc_mw : dict, optional
        Data-center load by year [MW]; default :func:`default_dc_mw`.
    net_additions_mw_per_year : float
        Net capacity added per year after 2027 (new minus retired) [MW] [est].
    shortfall_2027_mw : float
        Capacity short of the requirement in 2027 [MW] (2027/28 auction).
    outage_multiplier : float
        See :data:`CALIBRATED_OUTAGE_MULTIPLIER`.
    weather_years : tuple of int
    """

    years: tuple = tuple(range(2026, 2036))
    dc_mw: dict | None = None
    net_additions_mw_per_year: float = 4_000.0
    shortfall_2027_mw: float = SHORTFALL_2027_MW
    outage_multiplier: float = CALIBRATED_OUTAGE_MULTIPLIER
    weather_years: tuple = (2018, 2022, 2024, 2025)

    def __post_init__(self):
        if not self.years or any(y < 2026 for y in self.years):
            raise InputError(f"years: expected study years from 2026 on, got {self.years!r}")
        if list(self.years) != sorted(self.years):
            raise InputError("years: expected increasing years")

    def dc_load_mw(self, year: int) -> float:
        return float(self.dc_mw[year]) if self.dc_mw and year in self.dc_mw else default_dc_mw(year)

    def capacity_mw(self, year: int) -> float:
        """Installed (credited) capacity the market has procured for ``year`` [MW]."""
        req = (1.0 + pjm.IRM_2026) * pjm.forecast_peak_mw(year)
        if year <= 2026:
            return req
        cap = (1.0 + pjm.IRM_2026) * pjm.forecast_peak_mw(2027) - self.shortfall_2027_mw
        return cap + (year - 2027) * self.net_additions_mw_per_year

    def reserve_margin(self, year: int) -> float:
        return self.capacity_mw(year) / pjm.forecast_peak_mw(year) - 1.0

    def system(self, year: int, dc_mw: float | None = None):
        return pjm.pjm_default(pjm.PJMAssumptions(
            year=year, dc_load_mw=self.dc_load_mw(year) if dc_mw is None else dc_mw,
            reserve_margin=self.reserve_margin(year), outage_multiplier=self.outage_multiplier,
            weather_years=tuple(self.weather_years)))


@dataclass(frozen=True)
class YearResult:
    """Reliability of one study year under one policy (all values per year)."""

    year: int
    policy: str
    peak_mw: float
    dc_load_mw: float
    reserve_margin: float
    lole_d: Estimate
    lolh_h: Estimate
    eue_mwh: Estimate
    people_affected: Estimate
    customer_hours: Estimate
    hours_per_affected_customer: list = field(default_factory=list)
    dc_curtailed_hours: Estimate = Estimate(0.0, 0.0)
    dc_curtailed_mwh: Estimate = Estimate(0.0, 0.0)
    dc_throughput_lost_fraction: Estimate = Estimate(0.0, 0.0)
    dc_gpu_hours_lost: Estimate = Estimate(0.0, 0.0)
    shortfall_month_hour: list = field(default_factory=list)

    def to_dict(self) -> dict:
        out = {"year": self.year, "policy": self.policy, "peak_mw": self.peak_mw, "dc_load_mw": self.dc_load_mw,
               "reserve_margin": self.reserve_margin}
        for k in ("lole_d", "lolh_h", "eue_mwh", "people_affected", "customer_hours", "dc_curtailed_hours",
                  "dc_curtailed_mwh", "dc_throughput_lost_fraction", "dc_gpu_hours_lost"):
            out[k] = getattr(self, k).to_dict()
        out["hours_per_affected_customer"] = self.hours_per_affected_customer
        out["shortfall_month_hour"] = self.shortfall_month_hour
        return out


def _residents(system, seed, per_sample, n_traced: int, rotation: RotationPolicy):
    """People and customer-hours per year from traced short samples (unbiased subset: first by index)."""
    n = per_sample.sizes["sample"]
    years = system.n_periods / 8760.0
    short = np.flatnonzero(per_sample["eue_mwh"].values > 0)
    chosen = short[:n_traced]
    people = np.zeros(n)
    cust_h = np.zeros(n)
    hours = []
    load = system.regions.load_mw[0]
    prep = prepare(system) if len(chosen) else None
    for s in chosen:
        tr = trace_sample(system, seed, int(per_sample["sample"].values[s]), prepared=prep)
        shed = tr.unserved_mw.values[:, 0]
        for k in range(int(round(years))):
            sl = slice(k * 8760, (k + 1) * 8760)
            if shed[sl].max() <= 0:
                continue
            imp = rotating_outages(shed[sl], load[sl], 1.0, float(load[sl].max()), rotation)
            people[s] += imp.people_interrupted
            cust_h[s] += imp.customer_hours
            h = imp.hours_per_block[imp.hours_per_block > 0]
            hours.extend(h.tolist())
    if len(chosen) and len(chosen) < len(short):
        # samples beyond the traced subset stand in by the traced mean (selection by index is unbiased)
        fill = np.setdiff1d(short, chosen)
        people[fill] = people[chosen].mean()
        cust_h[fill] = cust_h[chosen].mean()
    return Estimate.of(people / years), Estimate.of(cust_h / years), hours


#: data-center policies compared in the outlook (all data-center load in one aggregate site)
POLICIES = ("firm", "connect-and-manage", "capped-100h", "firm+battery", "firm+onsite-gen")


def _dc_site(policy: str, dc_mw: float, horizon_years: float = 1.0):
    """The aggregate data-center site of a policy (GPUs scaled from the Colossus-2 preset)."""
    from gigawatt.datacenter.contracts import CappedCurtailment, ConnectAndManage, Firm
    from gigawatt.datacenter.order import DataCenterSite
    from gigawatt.datacenter.power import Fleet, SitePower, colossus2
    from gigawatt.datacenter.resources import OnsiteGeneration, SiteBattery

    ref = colossus2()
    n = max(2, int(round(ref.n_gpus * dc_mw / ref.peak_facility_mw)))
    power = SitePower((Fleet("GB200", n // 2), Fleet("GB300", n - n // 2)), pue=ref.pue)
    kw = {}
    if policy == "connect-and-manage":
        kw["contract"] = ConnectAndManage()
    elif policy == "capped-100h":
        # source: FACTS.md s1, hyperscalers offered 24-100 curtailment hours a year
        # the contract's yearly limit applies per simulated horizon, here several weather years back to back
        kw["contract"] = CappedCurtailment(max_hours_per_year=100.0 * horizon_years, max_event_h=8.0,
                                           max_depth_frac=1.0)
    else:
        kw["contract"] = Firm()
    if policy == "firm+battery":
        # Megapack 2 XL fleet of 25 % of the data-center load, 2-hour [est]
        kw["battery"] = SiteBattery.megapack2xl(max(1, int(round(0.25 * dc_mw / 1.9))))
    if policy == "firm+onsite-gen":
        # gas turbines of 50 % of the data-center load in 50 MW units (Colossus mobile units; FACTS.md s1, s5)
        kw["generation"] = OnsiteGeneration(n_units=max(1, int(round(0.5 * dc_mw / 50.0))), unit_mw=50.0)
    return DataCenterSite("data centers", "PJM", power, **kw)


def _policy_grid(outlook, year):
    """The grid as procured for the year's total peak; its own load is the residents' (firm) load."""
    dc = outlook.dc_load_mw(year)
    peak = pjm.forecast_peak_mw(year)
    base_peak = peak - dc
    rm = (1.0 + outlook.reserve_margin(year)) * peak / base_peak - 1.0
    return pjm.pjm_default(pjm.PJMAssumptions(year=year, dc_load_mw=0.0, peak_mw=base_peak, reserve_margin=rm,
                                              outage_multiplier=outlook.outage_multiplier,
                                              weather_years=tuple(outlook.weather_years)))


def _assess_policy(outlook, year, samples, seed, policy, grids: dict | None = None):
    """A non-firm policy: the data centers as a site inside the Monte Carlo (emergency order, contracts).

    ``grids`` caches the grid of each year across policies (building it is the costly part).
    """
    from gigawatt.datacenter.system import DataCenterSystem
    from gigawatt.results.datacenter import DataCenters

    dc = outlook.dc_load_mw(year)
    if grids is None:
        grids = {}
    if year not in grids:
        grids[year] = _policy_grid(outlook, year)
    grid = grids[year]
    T = grid.n_periods
    years = T / 8760.0
    dcs = DataCenterSystem(grid, sites=(_dc_site(policy, dc, years),), site_load_mw=np.full((1, T), dc))
    method = SequentialMonteCarlo(samples=samples, seed=seed, day_utc_offset_h=-5.0)
    short, dcr = assess(dcs, method, Shortfall(), DataCenters())
    site = dcr.sites["data centers"]
    res = dcr.residents
    return short, years, {
        "people_affected": res["people_interrupted"].scaled(1 / years),
        "customer_hours": res["customer_hours"].scaled(1 / years),
        "dc_curtailed_hours": site["curtailed_h"].scaled(1 / years),
        "dc_curtailed_mwh": site["curtailed_mwh"].scaled(1 / years),
        "dc_throughput_lost_fraction": site["throughput_lost_frac"],
        "dc_gpu_hours_lost": site["gpu_hours_lost"].scaled(1 / years),
    }, grid


def assess_year(outlook: OutlookAssumptions, year: int, samples: int, seed: int, policy: str = "firm",
                n_traced: int = 40, rotation: RotationPolicy = RotationPolicy(),
                grids: dict | None = None) -> YearResult:
    """Assess one study year under one data-center policy (see :data:`POLICIES`).

    ``grids`` (year -> grid) lets several policies of one year share the grid they are assessed on.
    """
    if policy not in POLICIES:
        raise InputError(f"policy {policy!r}: expected one of {list(POLICIES)}")
    if policy != "firm":
        short, years, extra, system = _assess_policy(outlook, year, samples, seed, policy, grids)
        return YearResult(
            year=year, policy=policy, peak_mw=pjm.forecast_peak_mw(year), dc_load_mw=outlook.dc_load_mw(year),
            reserve_margin=outlook.reserve_margin(year),
            lole_d=short.lole_d.scaled(1 / years), lolh_h=short.lolh_h.scaled(1 / years),
            eue_mwh=short.eue_mwh.scaled(1 / years), hours_per_affected_customer=[],
            shortfall_month_hour=_month_hour(system, short), **extra)
    system = outlook.system(year)
    years = system.n_periods / 8760.0
    method = SequentialMonteCarlo(samples=samples, seed=seed, day_utc_offset_h=-5.0)
    short, per_sample = assess(system, method, Shortfall(), ShortfallSamples())
    people, cust_h, hours = _residents(system, seed, per_sample, n_traced, rotation)
    return YearResult(
        year=year, policy=policy, peak_mw=pjm.forecast_peak_mw(year), dc_load_mw=outlook.dc_load_mw(year),
        reserve_margin=outlook.reserve_margin(year),
        lole_d=short.lole_d.scaled(1 / years), lolh_h=short.lolh_h.scaled(1 / years),
        eue_mwh=short.eue_mwh.scaled(1 / years), people_affected=people, customer_hours=cust_h,
        hours_per_affected_customer=[round(h, 3) for h in hours],
        shortfall_month_hour=_month_hour(system, short),
    )


def _month_hour(system, short) -> list:
    """Mean LOLP by local (US Eastern) month and hour: when shortfalls happen."""
    t = system.timeaxis.timestamps.tz_convert("America/New_York")
    grid = np.zeros((12, 24))
    cnt = np.zeros((12, 24))
    np.add.at(grid, (t.month.values - 1, t.hour.values), short.period.lolp.values)
    np.add.at(cnt, (t.month.values - 1, t.hour.values), 1)
    return (grid / np.maximum(cnt, 1)).round(8).tolist()


def run_outlook(outlook: OutlookAssumptions, samples: int, seed: int, policies=POLICIES,
                progress: Callable | None = None) -> list[YearResult]:
    """All study years under all policies; ``progress(done, total, label)`` after each."""
    out = []
    total = len(outlook.years) * len(policies)
    for y in outlook.years:
        grids: dict = {}  # one grid per year, shared by the non-firm policies
        for pol in policies:
            out.append(assess_year(outlook, y, samples, seed, pol, grids=grids))
            if progress is not None:
                progress(len(out), total, f"{pol} {y}")
    order = {p: i for i, p in enumerate(policies)}
    return sorted(out, key=lambda r: (order[r.policy], r.year))


def first_year_failing(results: list[YearResult], policy: str, target_lole_d: float = 0.1, n_se: float = 2.0):
    """First study year whose LOLE clearly exceeds the target: mean - ``n_se`` standard errors > target.

    Returns None if no year does. A year at the target within Monte Carlo error (2026, which PJM's
    reserve requirement puts at 0.1 day/yr by construction) is not counted as broken.
    """
    for r in results:
        if r.policy == policy and r.lole_d.mean - n_se * r.lole_d.stderr > target_lole_d:
            return r.year
    return None


__all__ = ["CALIBRATED_OUTAGE_MULTIPLIER", "POLICIES", "OutlookAssumptions", "YearResult", "assess_year",
           "default_dc_mw", "first_year_failing", "run_outlook"]
