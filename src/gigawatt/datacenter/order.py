"""Sites, demand response and the emergency order as frozen inputs, packed into kernel arrays.

:class:`DataCenterSite` joins a site's power model, compute flexibility, battery, on-site
generation and contract; :class:`EmergencyOrder` holds the step order, demand-response
programs and the per-region emergency imports and voltage reduction. :func:`pack` turns
them into the arrays of :func:`gigawatt.datacenter.emergency.apply_emergency_order`;
:func:`run_emergency` is the reference driver over one sample's periods (what the engine
does inside its kernel), used by tests and studies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from gigawatt.datacenter import _validate as v
from gigawatt.datacenter import emergency as E
from gigawatt.datacenter.contracts import NO_LIMIT, CappedCurtailment, ConnectAndManage, EnergyBudget, Firm
from gigawatt.datacenter.power import SitePower
from gigawatt.datacenter.resources import ComputeFlexibility, OnsiteGeneration, SiteBattery
from gigawatt.system.components import HOURS_PER_YEAR
from gigawatt.errors import InputError

# source: sources.md F1, "voltage reduction ... a few % of load"; 2 % taken as default [est]
DEFAULT_VOLTAGE_REDUCTION_FRAC = 0.02
_CONTRACT_TYPES = (Firm, ConnectAndManage, CappedCurtailment, EnergyBudget)


@dataclass(frozen=True)
class DataCenterSite:
    """A data-center site in a region.

    Parameters
    ----------
    name, region : str
    power : SitePower
    contract : Firm, ConnectAndManage, CappedCurtailment or EnergyBudget
    flexibility : ComputeFlexibility, optional
        ``None``: the site can shed any share of its load when its contract asks
        (curtailment depth then set by the contract alone).
    battery : SiteBattery, optional
    generation : OnsiteGeneration, optional
    """

    name: str
    region: str
    power: SitePower
    contract: object = field(default_factory=Firm)
    flexibility: ComputeFlexibility | None = None
    battery: SiteBattery | None = None
    generation: OnsiteGeneration | None = None

    def __post_init__(self):
        if not self.name or not self.region:
            raise InputError("name: a site needs a non-empty name and region")
        if not isinstance(self.power, SitePower):
            raise InputError("power: expected a SitePower")
        if not isinstance(self.contract, _CONTRACT_TYPES):
            raise InputError(f"contract: expected one of firm, connect_and_manage, capped, energy_budget; "
                             f"got {type(self.contract).__name__}")

    def curtail_depth_frac(self) -> float:
        """Deepest cut the contract asks and the flexibility allows [fraction of site load]."""
        depth = getattr(self.contract, "max_depth_frac", 0.0)
        if self.flexibility is not None:
            depth = min(depth, self.flexibility.max_curtail_frac(self.power))
        return float(depth)


@dataclass(frozen=True)
class DemandResponse:
    """A demand-response program.

    Parameters
    ----------
    name, region : str
    capacity_mw : float [MW]
    max_hours_per_year : float [h]
    max_event_h : float [h]
    max_events_per_year : float
        Events the program may start in a year [-] (``inf``: no limit).
    availability : array (T,), optional
        Share of ``capacity_mw`` available in each period of the system [fraction] (an
        availability window); default all of it in every period.
    """

    name: str
    region: str
    capacity_mw: float
    max_hours_per_year: float = math.inf
    max_event_h: float = math.inf
    max_events_per_year: float = math.inf
    availability: np.ndarray | None = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        v.non_negative("capacity_mw", self.capacity_mw)
        v.non_negative("max_hours_per_year", self.max_hours_per_year, allow_inf=True)
        v.positive("max_event_h", self.max_event_h, allow_inf=True)
        v.non_negative("max_events_per_year", self.max_events_per_year, allow_inf=True)
        if self.availability is not None:
            av = np.asarray(self.availability, dtype=float)
            if av.ndim != 1 or not np.all((av >= 0.0) & (av <= 1.0)):
                raise InputError("availability: expected one fraction in [0, 1] per period")
            av.setflags(write=False)
            object.__setattr__(self, "availability", av)


@dataclass(frozen=True)
class EmergencyOrder:
    """The operator's emergency steps and what each can give.

    Parameters
    ----------
    steps : tuple of str
        Names from :data:`gigawatt.datacenter.emergency.STEP_NAMES`, each at most once, in
        the order taken; manual load dump always comes last. Default PJM-like.
    demand_response : tuple of DemandResponse
    imports_mw : dict region -> float
        Emergency imports available [MW] (0 where absent).
    voltage_reduction_frac : float
        Load relief from voltage reduction [fraction of firm load].
    """

    steps: tuple = E.STEP_NAMES
    demand_response: tuple = ()
    imports_mw: dict = field(default_factory=dict)
    voltage_reduction_frac: float = DEFAULT_VOLTAGE_REDUCTION_FRAC

    def __post_init__(self):
        steps = tuple(self.steps)
        for k, s in enumerate(steps):
            v.one_of(f"steps[{k}]", s, E.STEP_NAMES)
        if len(set(steps)) != len(steps):
            raise InputError(f"steps: each step at most once, got {list(steps)}")
        object.__setattr__(self, "steps", steps)
        object.__setattr__(self, "demand_response", tuple(self.demand_response))
        for r, x in dict(self.imports_mw).items():
            v.non_negative(f"imports_mw.{r}", x)
        v.fraction("voltage_reduction_frac", self.voltage_reduction_frac)

    @property
    def codes(self) -> np.ndarray:
        return np.array([E.STEP_NAMES.index(s) for s in self.steps], dtype=np.int64)


@dataclass(frozen=True)
class Packed:
    """Kernel arrays (see :func:`gigawatt.datacenter.emergency.apply_emergency_order`)."""

    order: np.ndarray
    site_region: np.ndarray
    site_par: np.ndarray
    dr_region: np.ndarray
    dr_par: np.ndarray
    region_par: np.ndarray
    #: (P, T) availability of each program per period [fraction], or (P, 0) when always available
    dr_avail: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))


def pack(sites, order: EmergencyOrder, region_names, annual_energy_mwh=None,
         limit_year_periods: int = 0) -> Packed:
    """Arrays of the emergency kernel for ``sites`` and ``order`` over ``region_names``.

    Parameters
    ----------
    annual_energy_mwh : sequence of float, optional
        Each site's energy in one limit year [MWh] (for energy-budget contracts); default
        its peak facility power times 8760 h.
    limit_year_periods : int
        Periods per limit year: yearly limits (contract hours and energy, DR hours, on-site
        generation hours and energy) and residents' yearly counts start again every that
        many periods. 0: the whole sample is one limit year.
    """
    limit_year_periods = v.whole("limit_year_periods", limit_year_periods)
    regions = list(region_names)
    idx = {r: k for k, r in enumerate(regions)}

    def reg(name, where):
        if name not in idx:
            raise InputError(f"{where}.region: expected one of {regions}, got {name!r}")
        return idx[name]

    n = len(sites)
    sp = np.zeros((n, E.NSP))
    sreg = np.zeros(n, dtype=np.int64)
    for i, s in enumerate(sites):
        sreg[i] = reg(s.region, f"sites[{i}]")
        energy = s.power.peak_facility_mw * HOURS_PER_YEAR if annual_energy_mwh is None else annual_energy_mwh[i]
        tier, _, max_h, max_ev, max_mwh = s.contract.kernel_params(energy)
        sp[i, E.SP_TIER] = tier
        sp[i, E.SP_DEPTH] = s.curtail_depth_frac()
        sp[i, E.SP_MAX_H], sp[i, E.SP_MAX_EVENT_H], sp[i, E.SP_MAX_MWH] = max_h, max_ev, max_mwh
        b = s.battery
        if b is not None:
            sp[i, E.SP_BAT_P], sp[i, E.SP_BAT_E], sp[i, E.SP_BAT_ETA] = b.power_mw, b.energy_mwh, b.eta
            sp[i, E.SP_BAT_RESERVE], sp[i, E.SP_BAT_SOC0] = b.reserve_mwh, b.initial_soc * b.energy_mwh
        else:
            sp[i, E.SP_BAT_ETA] = 1.0
        g = s.generation
        if g is not None:
            sp[i, E.SP_GEN_START_H] = g.start_h
            sp[i, E.SP_GEN_MAX_H] = min(g.max_hours_per_year, NO_LIMIT)
            sp[i, E.SP_GEN_MAX_MWH] = min(g.max_energy_mwh_per_year, NO_LIMIT)
            sp[i, E.SP_GEN_DIRECTED] = 1.0 if s.contract.directed_backup else 0.0
        sp[i, E.SP_YEAR_PERIODS] = limit_year_periods
    dr = order.demand_response
    dp = np.zeros((len(dr), E.NDP))
    dreg = np.zeros(len(dr), dtype=np.int64)
    for k, d in enumerate(dr):
        dreg[k] = reg(d.region, f"demand_response[{k}]")
        dp[k, E.DP_MW] = d.capacity_mw
        dp[k, E.DP_MAX_H] = min(d.max_hours_per_year, NO_LIMIT)
        dp[k, E.DP_MAX_EVENT_H] = min(d.max_event_h, NO_LIMIT)
        dp[k, E.DP_YEAR_PERIODS] = limit_year_periods
        dp[k, E.DP_MAX_EVENTS] = min(d.max_events_per_year, NO_LIMIT)
    lengths = {d.availability.shape[0] for d in dr if d.availability is not None}
    if len(lengths) > 1:
        raise InputError(f"demand_response.availability: expected one length for every program, got {sorted(lengths)}")
    n_av = lengths.pop() if lengths else 0
    avail = np.ones((len(dr), n_av))
    for k, d in enumerate(dr):
        if d.availability is not None:
            avail[k] = d.availability
    rp = np.zeros((len(regions), E.NRP))
    for r, x in order.imports_mw.items():
        rp[reg(r, "imports_mw"), E.RP_IMPORT_MW] = x
    rp[:, E.RP_VR_FRAC] = order.voltage_reduction_frac
    rp[:, E.RP_YEAR_PERIODS] = limit_year_periods
    return Packed(order.codes, sreg, sp, dreg, dp, rp, np.ascontiguousarray(avail))


@dataclass(frozen=True)
class EmergencyRecord:
    """Per-period outcome of one sample. Shapes ``(n_periods, n)``, all in [MW].

    Attributes
    ----------
    site_battery_mw, site_curtail_mw, site_generation_mw, site_charge_mw : (T, N)
    dr_mw : (T, P)
    region_mw : (T, R, NRO) by ``RO_*`` column
    site_state : (N, NSS) final state; dr_state : (P, NDS)
    """

    site_battery_mw: np.ndarray
    site_curtail_mw: np.ndarray
    site_generation_mw: np.ndarray
    site_charge_mw: np.ndarray
    dr_mw: np.ndarray
    region_mw: np.ndarray
    site_state: np.ndarray
    dr_state: np.ndarray

    @property
    def shed_mw(self) -> np.ndarray:
        """Firm load shed per period and region (T, R) [MW]."""
        return self.region_mw[:, :, E.RO_SHED]


def run_emergency(packed: Packed, dt_h: float, shortfall_mw, firm_load_mw, site_load_mw, gen_avail_mw=None,
                  surplus_mw=None) -> EmergencyRecord:
    """Run the emergency order over one sample's periods (reference driver of the kernel).

    Parameters
    ----------
    shortfall_mw, firm_load_mw : (T, R) [MW]
    site_load_mw : (T, N) [MW]
    gen_avail_mw : (T, N), optional
        On-site generation in service [MW]; default none.
    surplus_mw : (T, R), optional
        Unused generation per region [MW] in periods without shortfall (battery recharge).
    """
    sh = np.asarray(shortfall_mw, dtype=float)
    T, R = sh.shape
    N, P = packed.site_par.shape[0], packed.dr_par.shape[0]
    fl = np.asarray(firm_load_mw, dtype=float)
    sl = np.asarray(site_load_mw, dtype=float).reshape(T, N)
    ga = np.zeros((T, N)) if gen_avail_mw is None else np.asarray(gen_avail_mw, dtype=float).reshape(T, N)
    su = np.zeros((T, R)) if surplus_mw is None else np.array(surplus_mw, dtype=float)
    ss, ds = np.zeros((N, E.NSS)), np.zeros((P, E.NDS))
    so, do, ro = np.zeros((N, E.NSO)), np.zeros(P), np.zeros((R, E.NRO))
    out_s = np.zeros((4, T, N))
    out_d = np.zeros((T, P))
    out_r = np.zeros((T, R, E.NRO))
    E.reset_sample(packed.site_par, ss, ds)
    for t in range(T):
        so[:] = 0.0
        if packed.dr_avail.shape[1]:
            ds[:, E.DS_UNAVAIL] = 1.0 - packed.dr_avail[:, t]
        if (sh[t] > E.EPS_MW).any():
            E.apply_emergency_order(t, dt_h, packed.order, sh[t], fl[t], sl[t], ga[t], packed.site_region,
                                    packed.site_par, ss, packed.dr_region, packed.dr_par, ds, packed.region_par,
                                    so, do, ro)
            out_d[t], out_r[t] = do, ro
        else:
            E.recharge_batteries(dt_h, su[t], packed.site_region, packed.site_par, ss, so)
        for c in range(4):
            out_s[c, t] = so[:, c]
    return EmergencyRecord(out_s[E.SO_BAT], out_s[E.SO_CURT], out_s[E.SO_GEN], out_s[E.SO_CHARGE], out_d, out_r,
                           ss, ds)
