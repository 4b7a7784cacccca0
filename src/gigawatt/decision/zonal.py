"""The gap where it is needed: the firm capacity of the gap by zone, the import alternative and the
decomposition from PJM's capacity arithmetic to the model's gap (issue 25).

The decision's gap (:func:`gigawatt.decision.cell.assess_cell`) places firm capacity where it relieves
risk, as :func:`gigawatt.capacity.zonal.zonal_gap` does, in two steps:

1. **Each zone's own criterion.** A zone that is a Locational Deliverability Area of PJM
   (:data:`LDA_ZONES`: Dominion on the two zones; on the LDA set, ``OutlookAssumptions(zone_set="lda")``,
   ComEd, Dominion, PPL, EMAAC, BGE and PEPCO each on its own, then SWMAAC and MAAC each as a whole,
   :data:`LDA_GROUPS`) is held to PJM's LDA criterion (:data:`LDA_LOLE_D`, 0.04 d/yr) for want
   of its own capacity and imports: its LOLE with the rest of the system made sure (all of the rest's
   load met, so the rest can always export up to the import limit: PJM's CETO study of an LDA). The zone
   gets the firm capacity that brings it to its criterion (:func:`own_need`). The rest of PJM is not an
   LDA and has no criterion of its own beyond the RTO's.
2. **Then the RTO's criterion** (0.1 d/yr), on the system with the zones' own capacity: the further
   capacity is spread by load (:func:`~gigawatt.decision.placement.with_added_capacity`). Once every LDA
   meets its own criterion the import limits seldom bind, so where this remainder goes matters little
   (the decomposition's transfer-limits step says how much).

The gap by zone is each zone's own capacity plus its load share of the remainder; the zone estimates add
up to the gap, and their intervals (the own search's plus the share of the remainder's) to its interval.

**Import alternative** (:func:`import_alternative`): for a zone that needed capacity of its own, the
import limit into it [MW] with which it meets its criterion without that capacity (the rest made sure):
transmission in place of local generation.

**Decomposition** (:mod:`gigawatt.decision.decompose`): ``"capacity arithmetic"`` (PJM's requirement minus
accredited capacity on the model's inputs, :func:`capacity_arithmetic_mw`), then one modelling element a
step (sampled outages on a copper plate, the weather years' tail, correlated cold, heat, load forecast
error, demand-response limits, ties), then the transfer limits with the capacity where it relieves risk:
the model's gap.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

import numpy as np

from gigawatt.assess import Assessment
from gigawatt.capacity.zonal import LDA_LOLE_D, _into, copper_plate, import_limit_mw, with_import_raised  # noqa: F401
from gigawatt.decision.placement import capacity_shares, with_capacity_in_regions
from gigawatt.decision.search import Meter, Search, _log_floor, secant_search
from gigawatt.stats import Estimate
from gigawatt.system import Interfaces
from gigawatt.systems.pjm_assumptions import LIMITED_ZONES
from gigawatt.systems.pjm_zones import INTERFACE_LDA, LDA_MEMBERS, ZONES_LDA

#: the outlook's zones held to PJM's LDA criterion: Dominion on the two zones (the rest of PJM is not an LDA);
#: on the LDA set every zone behind an import limit of its own (WMAAC's interface carries MAAC's imports, and
#: the hub SWMAAC has no load: both are held through their LDA, :data:`LDA_GROUPS`)
LDA_ZONES = tuple(z for z in LIMITED_ZONES if INTERFACE_LDA.get(z, z) == z and z not in LDA_MEMBERS)


def _lda_regions(lda: str) -> tuple:
    """The regions of the LDA set inside ``lda``: its hub (a region of its name) and every zone whose
    parents lead to it."""
    parent = {z.name: z.parent for z in ZONES_LDA}

    def inside(z):
        while z in parent:
            if parent[z] == lda:
                return True
            z = parent[z]
        return False

    return tuple(z.name for z in ZONES_LDA if z.name == lda or inside(z.name))


#: PJM's nested LDAs of several zones (LDA -> its regions, hubs included), the smaller first: each is held
#: to the LDA criterion as a whole, after the zones and LDAs in it have their own needs in place
LDA_GROUPS = {lda: _lda_regions(lda) for lda in sorted(LDA_MEMBERS, key=lambda g: len(LDA_MEMBERS[g]))}
#: the RTO's criterion [d/yr] (PJM Manual 20; sources.md P1)
RTO_LOLE_D = 0.1


def zone_lole_per_year(a: Assessment, zone: str) -> np.ndarray:
    """Loss-of-load days per year in ``zone`` of each sample of ``a`` [d/yr]."""
    i = list(a.system.system.regions.names).index(zone)
    return np.concatenate([p.r_lold[:, i] for p in a.run.parts]).astype(float) / a.years_per_sample


def _rest_sure(dcs, zone: str | tuple):
    """``dcs`` with every region but ``zone`` (a zone or a tuple of zones) made sure (all of its load met by
    perfect capacity)."""
    inside = (zone,) if isinstance(zone, str) else tuple(zone)
    return with_capacity_in_regions(dcs, {r: math.inf for r in dcs.system.regions.names if r not in inside})


def lda_lole_per_year(a: Assessment, zones: tuple) -> np.ndarray:
    """Loss-of-load days per year of an LDA of ``zones`` [d/yr], each sample's: its least reliable zone's
    (the LDA's own event-days are at least that; the days of different zones are not told apart)."""
    return np.max(np.vstack([zone_lole_per_year(a, z) for z in zones]), axis=0)


def _as_one_area(dcs, zones: tuple):
    """``dcs`` with the limits of the interfaces inside the set ``zones`` lifted (an LDA as one area, as PJM
    studies an LDA's import objective; one zone: ``dcs``)."""
    grid = dcs.system
    itf = grid.interfaces
    inside = set(zones)
    within = [i for i, (a, b) in enumerate(zip(itf.regions_from, itf.regions_to)) if a in inside and b in inside]
    if len(zones) == 1 or not within:
        return dcs
    fwd, bwd = np.array(itf.forward_mw, float), np.array(itf.backward_mw, float)
    fwd[within] = math.inf
    bwd[within] = math.inf
    return dataclasses.replace(dcs, system=dataclasses.replace(
        grid, interfaces=Interfaces(itf.regions_from, itf.regions_to, fwd, bwd)))


@dataclass(frozen=True)
class ZoneNeed:
    """A zone's own need: the firm capacity [MW] that brings it to its criterion with the rest made sure.

    ``lole_d``: its LOLE so [d/yr] before any capacity of its own; ``criterion_d`` its criterion. An LDA of
    several zones (``members``, e.g. MAAC) is held as a whole: its capacity is spread over its zones by
    ``shares`` (their load), with the needs of the LDAs inside it (``inner``) in place first.
    """

    zone: str
    criterion_d: float
    lole_d: Estimate
    capacity: Search
    import_limit_mw: float
    import_alternative: Search | None = None
    f0: np.ndarray | None = field(default=None, repr=False, compare=False)  # per-sample LOLE, nothing added
    members: tuple = ()  # the zones of an LDA of several (empty: the zone itself)
    shares: tuple = ()  # each member's share of the LDA's capacity [fraction]
    inner: tuple = field(default=(), repr=False, compare=False)  # the needs of the LDAs inside it, in place first

    @property
    def zones(self) -> tuple:
        """The zones the need is for: ``members``, or the zone itself."""
        return self.members or (self.zone,)

    def placed_mw(self, mw: float | None = None) -> dict:
        """Zone -> MW of ``mw`` (default the need's estimate) as the need places it."""
        x = self.capacity.x_mw if mw is None else float(mw)
        if not self.members:
            return {self.zone: x}
        return {m: x * f for m, f in zip(self.members, self.shares)}


def own_need(dcs, zone: str, mc, samples: int, scale_mw: float, *, criterion_d: float = LDA_LOLE_D,
             z: float = 2.0, max_trials: int = 5, first_mw: float | None = None, meter: Meter | None = None,
             members: tuple = (), inner: tuple = ()) -> ZoneNeed:
    """The firm capacity in ``zone`` [MW] with which its own LOLE, the rest made sure, meets ``criterion_d``;
    ``meter`` counts its samples (at most ``samples x (1 + max_trials)``).

    ``members``: the zones of an LDA of several (``zone`` names it), studied as one area as PJM studies an
    LDA's import objective (the limits inside it lifted, so it is short for want of its own capacity and
    imports, not of a zone's inside it): their least reliable zone's LOLE (:func:`lda_lole_per_year`)
    against the criterion, the capacity spread over them by load
    (:func:`~gigawatt.decision.placement.capacity_shares` of ``dcs``), on ``dcs`` with the needs ``inner``
    (of the LDAs inside it) in place."""
    zones = tuple(members) or (zone,)
    if members:
        sh = capacity_shares(dcs)[[list(dcs.system.regions.names).index(m) for m in zones]]
        shares = tuple(float(f) for f in sh / sh.sum())
    else:
        shares = (1.0,)
    base = with_own_capacity(dcs, {n.zone: n for n in inner})
    helped = _as_one_area(_rest_sure(base, zones), zones)
    meter = meter if meter is not None else Meter(None, samples * (1 + max_trials))

    def ev(x):
        a = Assessment(with_capacity_in_regions(helped, {m: x * f for m, f in zip(zones, shares)}),
                       meter.mc(mc), periods="lolp").extend(samples)
        meter.ran_samples(samples)
        return lda_lole_per_year(a, zones)

    f0 = ev(0.0)
    e0 = Estimate.of(f0)
    lim = import_limit_mw(dcs.system, zones)
    group = {"members": zones if members else (), "shares": shares if members else (), "inner": tuple(inner)}
    if e0.mean <= criterion_d:
        meter.finish()
        return ZoneNeed(zone, criterion_d, e0, Search("capacity", 0.0, 0.0, 0.0, "meets at zero"), lim, f0=f0, **group)
    names = list(dcs.system.regions.names)
    peak = float(dcs.total_system().regions.load_mw[[names.index(m) for m in zones]].sum(axis=0).max())
    floor = _log_floor(samples * dcs.timeaxis.years, criterion_d)
    crossing = secant_search(ev, f0, -1, scale_mw, criterion_d, floor, z=z, max_trials=max_trials,
                             cap_mw=peak, first_mw=first_mw)
    meter.finish()
    return ZoneNeed(zone, criterion_d, e0, Search.of("capacity", crossing), lim, f0=f0, **group)


def import_alternative(dcs, need: ZoneNeed, mc, samples: int, scale_mw: float, *, z: float = 2.0,
                       max_trials: int = 5) -> Search:
    """The import limit into ``need.zone`` [MW] with which it meets its criterion with no capacity of its own
    (the rest made sure; an LDA of several zones: into the set, the needs inside it in place): ``x_mw`` is
    the limit, not the increase."""
    zones = need.zones
    helped = _as_one_area(_rest_sure(with_own_capacity(dcs, {n.zone: n for n in need.inner}), zones), zones)
    n_links = len(_into(dcs.system, zones))

    def ev(x):  # x: MW added to the import limit (over all of the interfaces into it)
        raised = with_import_raised(helped, zones, x / max(n_links, 1))
        return lda_lole_per_year(Assessment(raised, mc, periods="lolp").extend(samples), zones)

    f0 = need.f0 if need.f0 is not None else ev(0.0)  # nothing raised: the need's own first run
    floor = _log_floor(samples * dcs.timeaxis.years, need.criterion_d)
    c = secant_search(ev, f0, -1, scale_mw, need.criterion_d, floor, z=z, max_trials=max_trials,
                      first_mw=need.capacity.x_mw)
    lim = need.import_limit_mw

    def shifted(v):
        return None if v is None or not math.isfinite(v) else lim + v

    return Search("import limit", lim + c.x_mw, lim + c.low_mw, shifted(c.high_mw), c.status,
                  tuple((lim + t[0], *t[1:]) for t in c.trials), shifted(c.ci_low_mw), shifted(c.ci_high_mw), c.sd_mw)


def combined(needs: dict, rest: Search) -> Search:
    """The gap: the zones' own needs plus ``rest``, the RTO's further capacity on the system with them."""
    own = [n.capacity for n in needs.values() if n.capacity.x_mw > 0]
    if not own:
        return rest
    x = sum(s.x_mw for s in own) + rest.x_mw
    lo = sum(s.low_mw for s in own) + rest.low_mw
    his = [s.high_mw for s in own] + [rest.high_mw]
    hi = None if any(h is None or not math.isfinite(h) for h in his) else sum(his)
    status = rest.status if rest.x_mw > 0 else "zone criterion"
    if any(s.status.startswith("beyond") for s in own):
        status = "beyond cap"
    parts = own + [rest]
    # the pieces come from separate searches: their standard errors add in quadrature; the confidence
    # intervals' ends are added (a bound), as the prediction intervals' are; a piece found without a
    # search (it meets at zero) is exact
    exact = [s.status in ("meets at zero", "fails at zero") for s in parts]
    sds = [0.0 if e else s.sd_mw for s, e in zip(parts, exact)]
    sd = math.sqrt(sum(v * v for v in sds)) if all(v is not None for v in sds) else None
    ci_lo = [s.x_mw if e else s.ci_low_mw for s, e in zip(parts, exact)]
    ci_hi = [s.x_mw if e else s.ci_high_mw for s, e in zip(parts, exact)]
    ci_low = sum(ci_lo) if all(v is not None for v in ci_lo) else None
    ci_high = sum(ci_hi) if all(v is not None and math.isfinite(v) for v in ci_hi) else None
    return Search("capacity", x, lo, hi, status, rest.trials, ci_low, ci_high, sd)


def with_own_capacity(dcs, needs: dict):
    """``dcs`` with each zone's (or LDA's) own need (:class:`ZoneNeed`) in place."""
    return with_capacity_in_regions(dcs, own_mw_by_zone(needs))


def own_mw_by_zone(needs: dict, which: str = "x_mw") -> dict:
    """Zone -> MW of the needs placed in it (``which``: the estimate ``x_mw``, or ``low_mw`` / ``high_mw``
    of each need's interval, placed as the estimate is; None or inf high: inf)."""
    out: dict = {}
    for n in needs.values():
        x = getattr(n.capacity, which)
        x = math.inf if x is None or not math.isfinite(x) else x
        if n.capacity.x_mw <= 0 and which == "x_mw":
            continue
        for zn, mw in n.placed_mw(x).items():
            out[zn] = out.get(zn, 0.0) + mw
    return out


def gap_by_zone(dcs_own, needs: dict, total: Search) -> dict:
    """Zone -> ``{estimate, low, high}`` [MW]: each zone's own need plus its load share (on ``dcs_own``, the
    system with the needs in place) of the rest of the gap ``total``; the estimates add up to
    ``total.x_mw``, the lows and highs to an interval that holds it."""
    names = list(dcs_own.system.regions.names)
    shares = capacity_shares(dcs_own)
    est, low, high = (own_mw_by_zone(needs, w) for w in ("x_mw", "low_mw", "high_mw"))
    own = {zn: (est.get(zn, 0.0), low.get(zn, 0.0), high.get(zn, 0.0)) for zn in set(est) | set(low) | set(high)}
    own_mw = sum(n.capacity.x_mw for n in needs.values())
    rest = max(total.x_mw - own_mw, 0.0)
    rest_lo = max(total.low_mw - own_mw, 0.0)
    rest_hi = math.inf if total.high_mw is None or not math.isfinite(total.high_mw) else max(total.high_mw - own_mw, 0.0)
    out = {}
    for i, zn in enumerate(names):
        e, lo, hi = own.get(zn, (0.0, 0.0, 0.0))
        hi = math.inf if hi is None or not math.isfinite(hi) else hi
        out[zn] = {"estimate": e + shares[i] * rest, "low": lo + shares[i] * rest_lo, "high": hi + shares[i] * rest_hi}
    return out


def capacity_arithmetic_mw(outlook, year: int) -> float:
    """PJM's capacity arithmetic on the model's inputs [MW of UCAP]: the reliability requirement
    ((1 + IRM) x peak) minus the installed capacity, times the year's accredited UCAP per ICAP on the model's
    one basis (the class ratings of the delivery year on the year's mix, :func:`gigawatt.systems.pjm.capacity_accounts`);
    0 when the capacity covers the requirement."""
    from gigawatt.systems import pjm

    acc = pjm.capacity_accounts(outlook.pjm(year))
    irm = outlook.model.irm_of(year)
    short_icap = (1.0 + irm) * outlook.forecast_peak_mw(year) - outlook.capacity_mw(year)
    return max(short_icap * acc["ucap_mw"] / acc["icap_mw"], 0.0)


@dataclass(frozen=True)
class ZonalCell:
    """The zonal detail of one (year, policy): the zones' own needs, the gap by zone, the decomposition."""

    needs: dict = field(default_factory=dict)  # zone -> ZoneNeed
    gap_by_zone_mw: dict = field(default_factory=dict)
    decomposition: list | None = None

    def import_alternative_mw(self) -> dict:
        """Zone -> the import limit [MW] that closes its own gap (zones that needed capacity of their own)."""
        return {zn: n.import_alternative.x_mw for zn, n in self.needs.items()
                if n.import_alternative is not None and n.import_alternative.status != "meets at zero"}

    def zone_lole_d(self) -> dict:
        """Zone -> ``{criterion_d, own_lole_d}``: the zone's criterion and its LOLE for want of its own
        capacity and imports [d/yr]."""
        return {zn: {"criterion_d": n.criterion_d, "own_lole_d": n.lole_d.to_dict(),
                     "own_capacity_mw": n.capacity.to_dict(), "import_limit_mw": n.import_limit_mw}
                for zn, n in self.needs.items()}


def zonal_document(dec) -> dict:
    """results.json's zonal keys, per study year (the gap policy's): ``gap_by_zone_mw`` (zone ->
    ``{estimate, low, high}``), ``import_alternative_mw`` (zone -> MW), ``gap_decomposition`` (list of
    ``{step, gap_mw, low_mw, high_mw, status}``, the decomposed years only) and ``zone_criteria`` (each LDA zone's criterion and own LOLE beside
    the RTO's)."""
    base = dec.policies[0]
    cells = {y: dec.cells[(y, base)] for y in dec.years}

    def r(x):
        return None if x is None or not math.isfinite(x) else round(float(x), 1)

    def rz(d):
        return {zn: {k: r(v) for k, v in iv.items()} for zn, iv in d.items()}

    zc = {y: c.zonal for y, c in cells.items() if getattr(c, "zonal", None) is not None}
    return {
        "gap_by_zone_mw": {str(y): rz(z.gap_by_zone_mw) for y, z in zc.items()},
        "import_alternative_mw": {str(y): {zn: r(v) for zn, v in z.import_alternative_mw().items()}
                                  for y, z in zc.items()},
        "gap_decomposition": {str(y): [{k: (v if isinstance(v, str) else r(v)) for k, v in row.items()}
                                       for row in z.decomposition] for y, z in zc.items() if z.decomposition},
        "zone_criteria": {"rto_lole_d": RTO_LOLE_D, "lda_lole_d": LDA_LOLE_D,
                          "by_year": {str(y): z.zone_lole_d() for y, z in zc.items()}},
    }


__all__ = ["LDA_GROUPS", "LDA_ZONES", "ZonalCell", "ZoneNeed", "capacity_arithmetic_mw", "combined",
           "gap_by_zone", "import_alternative", "lda_lole_per_year", "own_mw_by_zone",
           "own_need", "with_own_capacity", "zonal_document", "zone_lole_per_year"]
