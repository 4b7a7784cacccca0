"""One what-if on the outlook's grid: settings, their checks, the system and its results.

A what-if is one study year of the outlook (:mod:`gigawatt.outlook`) with the data centers of each
zone moved from the year's forecast, one data-center policy with its sizes, and demand response on
or off. The grid of the year (the costly part: 2-4 s and ~1.4 GB for 23 weather years) is
built once and kept by :class:`Engine` (a few years, least recently used first out); the data
centers join it as one site per zone, as in :func:`gigawatt.outlook.policy_system`, and PJM's
emergency order runs inside the sequential Monte Carlo. Every what-if of one seed draws the same
random numbers (the stream of sample ``i`` is ``(seed, i)``), so two settings differ by what
changed, not by noise.

Each zone's LOLE in the what-if is reported beside its criterion (:func:`zone_criteria`), and the gap of a
what-if is the decision's placed gap (:func:`gap_answer`: the LDA zones' own needs, then the RTO's), so that
the page's gap means what results.json's gap means.

The results carry the keys of ``gigawatt adequacy --json`` (per simulated year) and the
data-center keys of ``gigawatt run``'s results (:meth:`gigawatt.outlook.YearResult.to_dict`).
"""

from __future__ import annotations

import dataclasses
import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable

from gigawatt.errors import Cancelled, InputError

#: the PJM model's zones, in the order the page shows them
ZONES = ("DOM", "REST")
#: policy kinds (:data:`gigawatt.outlook.POLICY_KINDS`, repeated so that the settings need no model import)
POLICY_KINDS = ("firm", "connect-and-manage", "capped", "firm+battery", "firm+onsite-gen")
#: study years and the reliability standard the page compares LOLE with [d/yr] (1 day in 10 years)
from gigawatt.constants import FIRST_STUDY_YEAR as FIRST_YEAR  # noqa: E402
from gigawatt.constants import LAST_STUDY_YEAR as LAST_YEAR  # noqa: E402
from gigawatt.constants import STANDARD_LOLE_D  # noqa: E402
#: limits of the settings: data centers added or removed per zone [GW]; battery and on-site
#: generation [MW]; hours a year [h]; battery duration [h]; samples; seed
MAX_ADDED_GW = 100.0
MAX_RESOURCE_MW = 200_000.0
HOURS_PER_YEAR = 8760.0  # the most hours a year a contract may curtail (a year of 8760 h)
MAX_BATTERY_H = 24.0
MAX_SAMPLES = 2000
#: most simulated years of one request (samples x weather years): 2,000 samples of twelve weather years,
#: so that the longest run costs the same whatever the number of weather years
MAX_SIMULATED_YEARS = 24_000
MAX_SEED = 2**31 - 1
#: simulated years of a what-if by default (samples x weather years): ``default_samples`` draws
#: about this many whatever the number of weather years (84 samples x 12 weather years; 44 x 23)
DEFAULT_SIMULATED_YEARS = 1008
DEFAULT_SEED = 1
#: Megapack 2 XL duration [h] (3.9 MWh / 1.9 MW; sources.md F5), the outlook's default
DEFAULT_BATTERY_H = 3.9 / 1.9


class FieldError(InputError):
    """A setting that is out of its limits: ``loc`` names the field (``("dc_added_gw", "DOM")``)."""

    def __init__(self, loc: tuple, msg: str):
        super().__init__(f"{'.'.join(map(str, loc))}: {msg}")
        self.loc = tuple(loc)
        self.msg = msg




@dataclass(frozen=True)
class Settings:
    """The page's settings (every one has a default; :mod:`gigawatt.web.api` documents them).

    Parameters
    ----------
    year : int, optional
        Study year; default the outlook's first.
    dc_added_gw : dict
        Data centers added to the year's forecast in each zone [GW] (negative: fewer).
    policy : str
        Data-center policy kind (:data:`POLICY_KINDS`).
    capped_hours : float, optional
        Curtailment hours a year of the capped contract [h]; default the outlook's (100 h).
    battery_mw : float, optional
        Battery power of ``firm+battery`` [MW], split between the zones by load; default the
        outlook's share of the data-center load (25 %).
    battery_h : float, optional
        Battery energy over power [h]; default the outlook's (Megapack 2 XL, 2.05 h).
    onsite_gen_mw : float, optional
        On-site generation of ``firm+onsite-gen`` [MW]; default the outlook's share (50 %).
    demand_response : bool
        Demand response in the emergency order (off: the programs are not called; the fleet
        stays the same).
    samples : int, optional
        Monte Carlo samples; each simulates every weather year once, so that a request simulates
        ``samples x weather years`` years. Default :func:`default_samples` (about
        :data:`DEFAULT_SIMULATED_YEARS` simulated years); at most :data:`MAX_SAMPLES` and
        :data:`MAX_SIMULATED_YEARS` simulated years.
    seed : int
    """

    year: int | None = None
    dc_added_gw: dict = dataclasses.field(default_factory=lambda: {z: 0.0 for z in ZONES})
    policy: str = "firm"
    capped_hours: float | None = None
    battery_mw: float | None = None
    battery_h: float | None = None
    onsite_gen_mw: float | None = None
    demand_response: bool = True
    samples: int | None = None
    seed: int = DEFAULT_SEED


@dataclass(frozen=True)
class Resolved:
    """Settings checked against the outlook, with every default filled in."""

    year: int
    dc_zone_mw: dict
    policy: str
    outlook: object  # OutlookAssumptions with the page's policy sizes
    demand_response: bool
    samples: int
    seed: int

    @property
    def dc_mw(self) -> float:
        return float(sum(self.dc_zone_mw.values()))


def _check(loc, x, lo: float, hi: float, unit: str, lo_open: bool = False) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
        raise FieldError(loc, f"expected a finite number of {unit}, got {x!r}")
    if x < lo or x > hi or (lo_open and x == lo):
        raise FieldError(loc, f"expected {unit} in {'(' if lo_open else '['}{lo:g}, {hi:g}], got {x!r}")
    return float(x)


def resolve(outlook, s: Settings) -> Resolved:
    """Check ``s`` against ``outlook`` (an :class:`~gigawatt.outlook.OutlookAssumptions`) and fill the defaults.

    Raises
    ------
    FieldError
        Naming the field and what was expected.
    """
    from gigawatt.outlook import FIRST_STUDY_YEAR, LAST_STUDY_YEAR

    year = outlook.years[0] if s.year is None else s.year
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_STUDY_YEAR <= year <= LAST_STUDY_YEAR:
        raise FieldError(("year",), f"expected a study year {FIRST_STUDY_YEAR}-{LAST_STUDY_YEAR}, got {year!r}")
    if s.policy not in POLICY_KINDS:
        raise FieldError(("policy",), f"expected one of {list(POLICY_KINDS)}, got {s.policy!r}")
    zones = zones_of(outlook)
    # another grid's zone at 0 (the request's defaults name PJM's zones) is no change
    unknown = sorted(z for z, x in s.dc_added_gw.items() if z not in zones and x != 0)
    if unknown:
        raise FieldError(("dc_added_gw", unknown[0]), f"Extra inputs are not permitted: {unknown[0]!r} is not a "
                         f"zone of this grid; expected zones {list(zones)}")
    forecast = forecast_zone_mw(outlook, year)
    zone_mw = {}
    for z in zones:
        added = _check(("dc_added_gw", z), s.dc_added_gw.get(z, 0.0), -MAX_ADDED_GW, MAX_ADDED_GW, "GW")
        if forecast[z] + added * 1000.0 < -1e-6:
            raise FieldError(("dc_added_gw", z), f"expected at least {-forecast[z] / 1000:g} GW (the {year} "
                             f"forecast has {forecast[z] / 1000:g} GW in {z}), got {added:g}")
        zone_mw[z] = max(0.0, forecast[z] + added * 1000.0)
    dc_mw = sum(zone_mw.values())
    if dc_mw < 1.0:
        raise FieldError(("dc_added_gw",), f"expected some data-center load (at least 1 MW in all), got "
                         f"{dc_mw:g} MW")
    p = outlook.policy
    kw = {}
    if s.capped_hours is not None:
        kw["capped_hours_per_year"] = _check(("capped_hours",), s.capped_hours, 0.0, HOURS_PER_YEAR, "h")
    if s.battery_mw is not None:
        kw["battery_power_frac"] = _check(("battery_mw",), s.battery_mw, 0.0, MAX_RESOURCE_MW, "MW") / dc_mw
    if s.battery_h is not None:
        kw["battery_duration_h"] = _check(("battery_h",), s.battery_h, 0.0, MAX_BATTERY_H, "h", lo_open=True)
    if s.onsite_gen_mw is not None:
        kw["onsite_gen_frac"] = _check(("onsite_gen_mw",), s.onsite_gen_mw, 0.0, MAX_RESOURCE_MW, "MW") / dc_mw
    if not isinstance(s.demand_response, bool):
        raise FieldError(("demand_response",), f"expected true or false, got {s.demand_response!r}")
    samples = default_samples(outlook) if s.samples is None else s.samples
    most = max_samples(outlook)
    if isinstance(samples, bool) or not isinstance(samples, int) or not 1 <= samples <= most:
        why = "" if most == MAX_SAMPLES else (f" (at most {MAX_SIMULATED_YEARS:,} simulated years on "
                                              f"{len(outlook.weather_years)} weather years)")
        raise FieldError(("samples",), f"expected a whole number of samples in [1, {most}]{why}, got {samples!r}")
    if isinstance(s.seed, bool) or not isinstance(s.seed, int) or not 0 <= s.seed <= MAX_SEED:
        raise FieldError(("seed",), f"expected a whole number in [0, {MAX_SEED}], got {s.seed!r}")
    # the year alone: the outlook's checks run for its study years only
    o = dataclasses.replace(outlook, years=(year,), policy=dataclasses.replace(p, **kw))
    return Resolved(year=year, dc_zone_mw=zone_mw, policy=s.policy, outlook=o, demand_response=s.demand_response,
                    samples=samples, seed=s.seed)


def default_samples(outlook) -> int:
    """Samples of a what-if by default: about :data:`DEFAULT_SIMULATED_YEARS` simulated years on the
    outlook's weather years (``ceil(1008 / weather years)``: 84 on twelve, 44 on 23)."""
    return math.ceil(DEFAULT_SIMULATED_YEARS / len(outlook.weather_years))


def max_samples(outlook) -> int:
    """Most samples of a request: :data:`MAX_SAMPLES`, and no more than :data:`MAX_SIMULATED_YEARS` simulated
    years on the outlook's weather years."""
    return max(1, min(MAX_SAMPLES, MAX_SIMULATED_YEARS // len(outlook.weather_years)))


def zones_of(outlook) -> tuple:
    """The zones the page shows: the PJM model's, or a grid description's (:class:`gigawatt.grids.GridOutlook`)."""
    d = getattr(outlook, "description", None)
    return tuple(d.zone_names) if d is not None else ZONES


def forecast_zone_mw(outlook, year: int) -> dict:
    """The year's forecast data-center load in each zone [MW] (the outlook's split, :data:`~gigawatt.systems.pjm.DC_DOM_SHARE`)."""
    d = getattr(outlook, "description", None)
    if d is not None:  # a grid from a description: its data-center shares by zone
        dc = outlook.dc_load_mw(year)
        return {z: dc * d.dc_zone_shares.get(z, 0.0) for z in d.zone_names}
    a = outlook.pjm(year)
    dc = outlook.dc_load_mw(year)
    return {"DOM": dc * a.dc_dom_share, "REST": dc * (1.0 - a.dc_dom_share)}


def whatif_system(r: Resolved, grid):
    """The year's grid with one data-center site per zone of ``r.dc_zone_mw`` and PJM's emergency order
    (demand response left out when ``r.demand_response`` is off): :func:`gigawatt.outlook.policy_system`."""
    from gigawatt.outlook import policy_system

    zones = zones_of(r.outlook)
    if set(grid.regions.names) != set(zones):  # pragma: no cover - the outlook's grid has its zones
        raise InputError(f"the what-if needs a grid with zones {list(zones)}, got {list(grid.regions.names)}")
    return policy_system(r.outlook, r.year, r.outlook.policy.name(r.policy), grid=grid, dc_zone_mw=dict(r.dc_zone_mw),
                         demand_response=r.demand_response)


#: wall time a chunk of samples aims at [s]: a cancel is heard within about this, and the per-chunk
#: set-up (a few ms) and the wait for the slower of the two blocks at each chunk's end stay small (0.6 s
#: answers a deeply short year 6 % sooner than 0.3 s did, BENCHMARKS.md)
TARGET_CHUNK_S = 0.6


def assess_whatif(r: Resolved, grid, progress: Callable | None = None, cancel: Callable | None = None) -> dict:
    """Run one what-if: the JSON-ready results (see the module docstring).

    The samples run through :class:`gigawatt.assess.Assessment` in chunks sized by time (about
    :data:`TARGET_CHUNK_S` each): ``progress(done, total)`` after each, ``cancel()`` between them (true:
    :class:`Cancelled`). The results are bit-identical to ``assess`` with the same samples and seed (the LOLP
    the only per-period sum kept: ``periods="lolp"``; the grid's outages read back once recorded).
    """
    from gigawatt.assess import Assessment
    from gigawatt.methods.sequential import SequentialMonteCarlo
    from gigawatt.outlook import clock_name, timezone_of, year_result
    from gigawatt.results import Shortfall
    from gigawatt.results.datacenter import DataCenters

    t0 = time.perf_counter()
    o = r.outlook
    dcs = whatif_system(r, grid)
    # by period the page reads the LOLP only (when in the year shortfalls happen): periods="lolp"
    # the grid's outages of the year and seed are drawn once and read back by every later what-if on it
    acc = Assessment(dcs, SequentialMonteCarlo(seed=r.seed, cancel=cancel, progress=progress,
                                               chunk_seconds=TARGET_CHUNK_S, reuse_outages=True),
                     periods="lolp").extend(r.samples).accumulators()
    short, dcr = Shortfall().finalize(acc, dcs), DataCenters().finalize(acc, dcs)
    years = dcs.timeaxis.years
    k = 1.0 / years
    yr = dataclasses.replace(year_result(o, r.year, o.policy.name(r.policy), dcs, short, dcr), dc_load_mw=r.dc_mw)
    out = yr.to_dict()
    # the keys of `gigawatt adequacy --json`, per simulated year (NEUE is a ratio: as it is)
    out.update({"samples": r.samples, "seed": r.seed, "periods": short.periods, "step_h": short.step_h,
                "lole_peak_d": short.lole_peak_d.scaled(k).to_dict(), "neue_ppm": short.neue_ppm.to_dict(),
                "events": short.events.scaled(k).to_dict(),
                "regions": {name: {"lolh_h": reg.lolh_h.scaled(k).to_dict(), "lole_d": reg.lole_d.scaled(k).to_dict(),
                                   "eue_mwh": reg.eue_mwh.scaled(k).to_dict(), "neue_ppm": reg.neue_ppm.to_dict()}
                            for name, reg in short.regions.items()}})
    out.update({"weather_years": list(o.weather_years), "timezone": timezone_of(o), "clock": clock_name(timezone_of(o)),
                "simulated_years": r.samples * round(years),
                "dc_zone_mw": dict(r.dc_zone_mw), "demand_response": r.demand_response,
                "standard_lole_d": STANDARD_LOLE_D, "meets_standard": bool(yr.lole_d.mean <= STANDARD_LOLE_D),
                "zone_criteria": zone_criteria(r, dcs, yr.zones), "wall_s": round(time.perf_counter() - t0, 3)})
    return out


def held_zones(r: Resolved, dcs) -> tuple:
    """The zones the decision holds to their own criterion under ``r``'s policy: the LDA zones joined by an
    import limit (:func:`gigawatt.decision.cell.lda_zones`), none under connect-and-manage (as
    :func:`gigawatt.decision.firm_gap_by_zone` and results.json's gap)."""
    from gigawatt.decision.cell import lda_zones

    return () if r.policy == "connect-and-manage" else lda_zones(dcs)


def zone_criteria(r: Resolved, dcs, zones: dict) -> dict:
    """Each zone's LOLE in the what-if beside its criterion: ``{rto_lole_d, lda_lole_d, by_zone}`` with
    ``by_zone[zone] = {lole_d, criterion_d, meets_criterion}`` (``lole_d`` of the year's result, per
    simulated year; ``criterion_d`` PJM's LDA criterion for the zones held to one (:func:`held_zones`), else
    None: the zone has only the RTO's standard). The criterion is for the zone on its own, the rest of PJM
    made sure (what the gap job computes, :func:`gap_answer`); a zone's LOLE in the what-if is at least
    that, so ``meets_criterion`` is True where the what-if's LOLE already meets it and None (undecided here:
    the gap job decides) where it does not."""
    from gigawatt.capacity.zonal import LDA_LOLE_D

    held = held_zones(r, dcs)
    by_zone = {}
    for z, zr in zones.items():
        crit = LDA_LOLE_D if z in held else None
        by_zone[z] = {"lole_d": zr["lole_d"], "criterion_d": crit,
                      "meets_criterion": True if crit is not None and zr["lole_d"]["mean"] <= crit else None}
    return {"rto_lole_d": STANDARD_LOLE_D, "lda_lole_d": LDA_LOLE_D, "by_zone": by_zone}


def gap_answer(r: Resolved, grid, progress: Callable | None = None, cancel: Callable | None = None) -> dict:
    """The gap of a what-if, placed as results.json's gap (:func:`gigawatt.decision.firm_gap_by_zone` on the
    what-if's own system, ``r.samples`` samples of ``r.seed``): ``gap_mw``, ``low_mw``, ``high_mw`` (None:
    beyond the search's cap), ``status``; ``gap_by_zone_mw`` (zone -> ``{estimate, low, high}`` [MW], as
    results.json's); ``zone_criteria`` (``{rto_lole_d, lda_lole_d, by_zone}``: each zone held to its own
    criterion with its ``own_lole_d`` (the rest of the system made sure), ``criterion_d``,
    ``own_capacity_mw``, ``import_limit_mw`` and ``import_alternative_mw``: the import limit with which it
    would meet its criterion without capacity of its own, None where it needs none); ``samples``,
    ``simulated_years``."""
    from gigawatt.capacity.zonal import LDA_LOLE_D
    from gigawatt.decision import firm_gap_by_zone

    dcs = whatif_system(r, grid)
    p = firm_gap_by_zone(r.outlook, r.year, r.policy, r.samples, r.seed, dcs=dcs, cancel=cancel, progress=progress,
                         chunk_seconds=TARGET_CHUNK_S, alternatives=True)
    g = p.gap

    def fin(x):
        return None if x is None or not math.isfinite(x) else float(x)

    by_zone = {z: {"own_lole_d": n.lole_d.to_dict(), "criterion_d": n.criterion_d,
                   "meets_criterion": bool(n.capacity.x_mw <= 0), "own_capacity_mw": fin(n.capacity.x_mw),
                   "import_limit_mw": fin(n.import_limit_mw),
                   "import_alternative_mw": (fin(n.import_alternative.x_mw) if n.import_alternative is not None
                                             else None)} for z, n in p.needs.items()}
    return {"gap_mw": g.gap_mw, "low_mw": g.low_mw, "high_mw": fin(g.high_mw), "status": g.status,
            "gap_by_zone_mw": {z: {k: fin(v) for k, v in iv.items()} for z, iv in p.by_zone_mw.items()},
            "zone_criteria": {"rto_lole_d": STANDARD_LOLE_D, "lda_lole_d": LDA_LOLE_D, "by_zone": by_zone},
            "samples": r.samples, "simulated_years": r.samples * round(dcs.timeaxis.years)}


def _malloc_trim() -> None:
    """Return the C heap's free memory to the operating system (glibc; elsewhere nothing)."""
    import ctypes
    import ctypes.util

    global _LIBC
    if _LIBC is None:
        try:
            _LIBC = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            _LIBC.malloc_trim  # noqa: B018 - glibc only
        except (OSError, AttributeError):
            _LIBC = False
    if _LIBC:
        _LIBC.malloc_trim(0)


_LIBC = None


class Engine:
    """The outlook a server answers what-ifs on, with its grids kept per study year.

    Parameters
    ----------
    outlook : OutlookAssumptions
    name : str
        What the page calls it (``pjm-2026`` or the scenario's name).
    max_grids : int
        Study years whose grid is kept ready (the least recently used goes first). With the disk
        cache a kept grid is memory-mapped: its pages are handed back after every run, so that it
        costs ~0.1 GB resident between runs, ~1.4 GB while a run prepares it (23 weather years).
    disk_cache : bool
        Keep built grids on disk and map them (:mod:`gigawatt.web.gridcache`); off: in memory
        (~1.4 GB each with 23 weather years).
    """

    def __init__(self, outlook, name: str = "pjm-2026", max_grids: int = 2, disk_cache: bool = True):
        if int(max_grids) < 1:
            raise InputError(f"max_grids: expected at least 1, got {max_grids!r}")
        self.outlook = outlook
        self.name = name
        self.max_grids = int(max_grids)
        self.disk_cache = bool(disk_cache)
        self._grids: OrderedDict = OrderedDict()
        self._maps: dict = {}
        self._lock = threading.Lock()
        self._year_locks: dict = {}
        #: grids built in memory and not yet on disk (year -> grid), and the threads saving them
        self._unsaved: dict = {}
        self._savers: dict = {}

    def grid(self, year: int, defer_save: bool = False):
        """The grid of ``year``, built once (concurrent callers of one year wait for the one build).

        ``defer_save``: a grid built now is answered from memory and saved to the disk cache after the run
        (:meth:`save_later`), instead of before it; the server's what-ifs do so, so that a new year's first
        answer does not wait for ~1.4 GB to be written."""
        with self._lock:
            if year in self._grids:
                self._grids.move_to_end(year)
                return self._grids[year]
            lock = self._year_locks.setdefault(year, threading.Lock())
        with lock:
            with self._lock:
                if year in self._grids:
                    return self._grids[year]
            g, maps = self._build(year, defer_save)
            with self._lock:
                self._grids[year] = g
                self._maps[year] = maps
                while len(self._grids) > self.max_grids:
                    gone, _ = self._grids.popitem(last=False)
                    self._maps.pop(gone, None)
                self._year_locks.pop(year, None)
            return g

    def _build(self, year: int, defer_save: bool = False):
        """The grid of ``year`` and its memory maps: from the disk cache (:mod:`gigawatt.web.gridcache`), else
        built, saved there and loaded back mapped (``defer_save``: kept in memory until :meth:`save_later`);
        built and kept in memory when the cache cannot be written."""
        from gigawatt.web import gridcache

        if not self.disk_cache:
            return self.outlook.grid(year), []
        hit = gridcache.load(self.outlook, year)
        if hit is not None:
            return hit
        g = self.outlook.grid(year)
        if defer_save:
            with self._lock:
                self._unsaved[year] = g
            return g, []
        try:
            gridcache.save(g, self.outlook, year)
        except OSError:
            return g, []
        hit = gridcache.load(self.outlook, year)
        return hit if hit is not None else (g, [])

    def release(self) -> None:
        """After a run: hand the pages of the kept grids' mapped arrays back to the operating system, drop the
        kernel's cached tables of grids no longer kept, and give freed heap memory back (glibc's ``malloc_trim``)."""
        from gigawatt.methods.sequential import forget_prepared
        from gigawatt.web import gridcache

        with self._lock:
            maps = [m for ms in self._maps.values() for m in ms]
            kept = [g.generators for g in self._grids.values()]
        gridcache.release(maps)
        forget_prepared(kept)
        _malloc_trim()

    def save_later(self) -> None:
        """Save the grids built in memory (``defer_save``) to the disk cache in a thread of their own, then put
        each one's memory-mapped copy in its place and let the in-memory grid go (:meth:`release`)."""
        with self._lock:
            todo = [(y, g) for y, g in self._unsaved.items() if y not in self._savers]
            for y, g in todo:
                t = threading.Thread(target=self._save_and_map, args=(y, g), daemon=True, name=f"grid-save-{y}")
                self._savers[y] = t
        for y, _ in todo:
            self._savers[y].start()

    def _save_and_map(self, year: int, g) -> None:
        from gigawatt.web import gridcache

        hit = None
        try:
            gridcache.save(g, self.outlook, year)
            hit = gridcache.load(self.outlook, year)
        except OSError:  # the cache cannot be written: the grid stays in memory
            pass
        with self._lock:
            if hit is not None and self._grids.get(year) is g:
                from gigawatt.methods.sequential import rekey_outage_records

                self._grids[year] = hit[0]
                self._maps[year] = hit[1]
                rekey_outage_records(g, hit[0])  # the outages recorded on the grid in memory serve its copy
            self._unsaved.pop(year, None)
            self._savers.pop(year, None)
        del g
        self.release()

    def flush(self, timeout_s: float = 60.0) -> None:
        """Wait for the grids being saved (:meth:`save_later`)."""
        with self._lock:
            threads = list(self._savers.values())
        for t in threads:
            t.join(timeout_s)

    def resolve(self, s: Settings) -> Resolved:
        return resolve(self.outlook, s)

    def run(self, s: Settings | Resolved, progress: Callable | None = None, cancel: Callable | None = None,
            defer_save: bool = False) -> dict:
        """One what-if (see :func:`assess_whatif`); ``defer_save``: a new year's grid is saved to the disk
        cache after the answer (:meth:`grid`)."""
        r = s if isinstance(s, Resolved) else self.resolve(s)
        t0 = time.perf_counter()
        try:
            out = assess_whatif(r, self.grid(r.year, defer_save), progress, cancel)
        finally:
            self.release()
            self.save_later()
        out["system"] = self.name
        out["wall_s"] = round(time.perf_counter() - t0, 3)
        return out

    def gap(self, s: Settings | Resolved, progress: Callable | None = None, cancel: Callable | None = None,
            defer_save: bool = False) -> dict:
        """Firm capacity the what-if's system needs [MW], placed as results.json's gap
        (:func:`gap_answer`); ``progress(done, total)`` counts samples over the searches' runs, ``cancel`` as
        :func:`assess_whatif`, ``defer_save`` as :meth:`run`."""
        r = s if isinstance(s, Resolved) else self.resolve(s)
        t0 = time.perf_counter()
        try:
            out = gap_answer(r, self.grid(r.year, defer_save), progress, cancel)
        finally:
            self.release()
            self.save_later()
        out["wall_s"] = round(time.perf_counter() - t0, 3)
        return out

    def warm(self, say: Callable[[str], None] = print) -> float:
        """Build the first study year's grid and run a two-sample what-if, so that the kernels are loaded [s]."""
        t0 = time.perf_counter()
        year = self.outlook.years[0]
        n = len(self.outlook.weather_years)
        say(f"warming up: building the {year} grid ({n} weather year{'s' if n > 1 else ''})")
        self.grid(year)
        say("warming up: loading the sampler's kernels (compiled once after install: about two minutes)")
        self.run(Settings(year=year, samples=2, policy="connect-and-manage"))
        return time.perf_counter() - t0


__all__ = ["Cancelled", "Engine", "FieldError", "POLICY_KINDS", "Resolved", "Settings", "ZONES", "assess_whatif",
           "default_samples", "forecast_zone_mw", "gap_answer", "held_zones", "max_samples", "resolve",
           "whatif_system", "zone_criteria", "zones_of"]
