"""The PJM model's figures as a grid description: :class:`PJMModel`, read from ``gigawatt/data/pjm.toml``.

The description format is docs/grids.md's; a description with ``[grid] model = "pjm"`` is built by the
PJM model (:func:`gigawatt.systems.pjm.pjm_default`, the outlook of :mod:`gigawatt.outlook`) and carries,
besides the common tables, the PJM model's sections: forecast vintages, the capacity accounting (reserve
margin and ELCC by delivery year, the auction's shortfall, the fleet schedule), demand-response rules by
year, the zones' shares and the LDA zone set. :func:`parse_pjm_model` validates one (every error names the
field as a path, ``classes[2].efor``; :func:`gigawatt.io.grid.read_grid_description` adds the file);
:func:`embedded` is the package's own, from which the constants of :mod:`gigawatt.systems.pjm_constants`,
:mod:`~gigawatt.systems.pjm_forecast`, :mod:`~gigawatt.systems.pjm_fleet` and
:mod:`~gigawatt.systems.pjm_zones` are taken. The figures' sources are in the TOML beside each one.
"""

from __future__ import annotations

import functools
import math
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources

from gigawatt.errors import InputError
from gigawatt.validation import number, text

#: the package file of the embedded PJM model
EMBEDDED_FILE = "pjm.toml"
#: the zones of the PJM model's outlook (the two-zone set); the LDA set is ``[lda]``
TWO_ZONES = ("DOM", "REST")
#: plant kinds of a PJM class
KINDS = ("thermal", "wind", "solar", "hydro", "storage")


# ------------------------------------------------------------------------------------ the pieces
@dataclass(frozen=True)
class PlantClass:
    """One capacity class of the fleet.

    Parameters
    ----------
    name : str
    icap_mw : float
        Installed capacity in the 2026/27 reserve requirement study [MW] (RRS Table 5).
    elcc_2026, elcc_2027 : float
        PJM's ELCC class ratings for 2026/27 and 2027/28 [fraction] (sources.md P2).
    efor : float
        Forced-outage rate: the fraction of hours a unit is out [fraction].
    mttr_h : float
        Mean time to repair [h].
    unit_mw : float
        Typical unit size [MW] [est].
    planned_frac : float
        Planned and maintenance outage factor over the year [fraction] [est], taken where the
        expected load is lowest (:func:`~gigawatt.systems.pjm_weather.planned_profile`).
    cold_extra : float
        Extra unavailability at the most severe cold (severity 1) [fraction] [est, fitted to the
        Jan 2014 and Dec 2022 outage figures].
    hot_derate : float
        Capacity lost in the hottest summer hours (heat index 1) [fraction of ICAP] [est].
    dom_share : float
        Share of the class's capacity in the Dominion zone [fraction] [est].
    kind : str
        ``thermal`` (two-state units), ``wind``, ``solar``, ``hydro`` (hourly profile), ``storage``.
    common_mode : bool
        Part of the class (``cold.block_share``) fails in blocks in the cold (fuel supply).
    lda_shares : tuple of (str, float)
        Share of the class by zone of the LDA set [fraction]; empty: by DOM's share and the load.
    """

    name: str
    icap_mw: float
    elcc_2026: float
    elcc_2027: float
    efor: float
    mttr_h: float
    unit_mw: float
    planned_frac: float
    cold_extra: float
    hot_derate: float
    dom_share: float
    kind: str = "thermal"
    common_mode: bool = False
    lda_shares: tuple = ()
    source: str = ""


@dataclass(frozen=True)
class LoadForecast:
    """One vintage of PJM's load forecast.

    Parameters
    ----------
    name : str
        The report, e.g. ``"PJM 2026 Load Forecast Report"``.
    peak_points : tuple of (int, float)
        Published 50/50 summer peaks of the RTO [MW] by year, data centers included, increasing years.
    energy_points : tuple of (int, float)
        Published net energy for load of the RTO [MWh/yr] by year, increasing years.
    peak_growth_after : float
        Growth of the peak after the last point [fraction/yr] [est].
    energy_growth_after : float
        Growth of the energy after its last point [fraction/yr] [est].
    dc_growth_mw_per_year : float
        Data-center load added a year from zero in ``dc_base_year`` [MW/yr] (the vintage's large loads).
    dc_base_year : int
        The year from which the data-center growth counts.
    """

    name: str
    peak_points: tuple
    energy_points: tuple
    peak_growth_after: float
    energy_growth_after: float
    dc_growth_mw_per_year: float
    dc_base_year: int = 2024

    def peak_mw(self, year: int) -> float:
        """50/50 summer peak of ``year`` [MW]: the published points, geometric between them."""
        return _geometric(self.peak_points, year, self.peak_growth_after)

    def energy_mwh(self, year: int) -> float:
        """Net energy for load of ``year`` [MWh/yr]: the published points, geometric between them."""
        return _geometric(self.energy_points, year, self.energy_growth_after)

    def dc_mw(self, year: int) -> float:
        """Data-center load at the summer peak of ``year`` [MW], from zero in ``dc_base_year``."""
        return max(0.0, (int(year) - self.dc_base_year) * self.dc_growth_mw_per_year)

    def growth_per_yr(self, first: int, last: int) -> float:
        """Mean growth of the peak from ``first`` to ``last`` [fraction/yr]."""
        return (self.peak_mw(last) / self.peak_mw(first)) ** (1.0 / (last - first)) - 1.0


def _geometric(points, year: int, growth_after: float) -> float:
    """The value of ``year`` on the points joined by constant growth; before the first point at the
    first segment's growth, after the last at ``growth_after``."""
    ys = [p[0] for p in points]
    if year >= ys[-1]:
        return float(points[-1][1]) * (1.0 + growth_after) ** (year - ys[-1])
    i = max(0, next(k for k in range(1, len(ys)) if year < ys[k]) - 1)
    (y0, v0), (y1, v1) = points[i], points[i + 1]
    return float(v0) * math.exp(math.log(v1 / v0) * (year - y0) / (y1 - y0))


@dataclass(frozen=True)
class FleetChange:
    """One block of deactivations or new entry.

    Parameters
    ----------
    name : str
    class_mw : tuple of (str, float)
        Installed capacity by class [MW]; negative for deactivations.
    years : tuple of (int, float)
        Study years and the share of the block in each (summing to 1).
    completion : float
        Share of the block that happens [fraction] [est].
    entry : bool
        New entry (scaled by the outlook's ``entry_completion_scale``) or a deactivation.
    """

    name: str
    class_mw: tuple
    years: tuple
    completion: float
    entry: bool = True

    def __post_init__(self):
        if abs(sum(w for _, w in self.years) - 1.0) > 1e-9:
            raise InputError(f"fleet change {self.name!r}: the years' shares sum to {sum(w for _, w in self.years):g}, "
                             "expected 1")
        if not 0.0 <= self.completion <= 1.0:
            raise InputError(f"fleet change {self.name!r}: completion {self.completion!r} not in [0, 1]")

    def mw(self, year: int, scale: float = 1.0) -> dict:
        """ICAP by class that changes in ``year`` [MW] (``scale`` on the completion of new entry)."""
        w = sum(s for y, s in self.years if y == year)
        f = self.completion * (scale if self.entry else 1.0) * w
        return {c: mw * f for c, mw in self.class_mw} if f else {}


@dataclass(frozen=True)
class TransferUpgrade:
    """Transmission approved by PJM (RTEP) that raises the import capability into a zone.

    Attributes
    ----------
    name : str
    first_year : int
        First delivery year with it in service (study year ``Y`` is delivery year ``Y/Y+1``).
    added_mw : float
        Import capability it adds [MW] [est] (the derivation is in ``source``).
    source : str
    """

    name: str
    first_year: int
    added_mw: float
    source: str


@dataclass(frozen=True)
class LDAZone:
    """One zone of the ``"lda"`` zone set: its parent LDA and the region its imports come from."""

    name: str
    parent: str
    joined_to: str | None
    pjm_zones: tuple = ()
    has_load: bool = True


@dataclass(frozen=True)
class LDATie:
    """A tie of the ``"lda"`` zone set beside the radial ``joined_to`` interfaces (``[[lda.ties]]``), making
    the network a mesh: ``limit_mw`` into ``to``, ``limit_back_mw`` into ``from`` [MW]. Each direction's limit
    is a part of the import (and export) limit of every LDA it crosses, whose radial interface carries the
    rest (:func:`gigawatt.systems.pjm_zones.lda_interfaces`)."""

    from_zone: str
    to_zone: str
    limit_mw: float
    limit_back_mw: float
    source: str


def lda_members(zones) -> dict:
    """LDA -> the zones with load in it (the nesting of PJM's LDAs by ``parent``; "RTO" is not an LDA)."""
    by_name = {z.name: z for z in zones}

    def ancestors(z):
        p = z.parent
        while p in by_name and p != "RTO":
            yield p
            p = by_name[p].parent
        yield p

    ldas = sorted({z.parent for z in zones} - {"RTO"})
    return {lda: tuple(z.name for z in zones if z.has_load and lda in tuple(ancestors(z))) for lda in ldas}


def split_shares(split: dict, members: dict, weights: dict) -> dict:
    """Zone -> share [fraction, summing to 1] of a class's ICAP outside DOM under ``split`` (LDA or zone ->
    its share; keys nest, a key's share includes the shares of the keys inside it): each key's share less
    its inner keys' goes to its zones in no inner key, the remainder to the zones in no key, each part by
    ``weights`` (zone -> weight, the zones' share of the load). ``members``: key -> its zones."""
    keys = sorted(split, key=lambda k: len(members[k]))  # innermost first

    def outer(k):
        return next((j for j in keys if j != k and set(members[k]) < set(members[j])), None)

    free = {None: 1.0, **{k: float(split[k]) for k in keys}}
    for k in keys:
        free[outer(k)] -= float(split[k])
    groups: dict = {}
    for z, w in weights.items():
        groups.setdefault(next((k for k in keys if z in members[k]), None), {})[z] = w
    out = {}
    for g, zs in groups.items():
        tot = sum(zs.values())
        out.update({z: free[g] * w / tot for z, w in zs.items()})
    return out


def _fleet_split(lda: dict, zones) -> dict:
    """``[lda] fleet_split`` (optional): LDA or zone with load other than DOM -> share in [0, 1], nested
    keys within their outer key's share and no share left without a zone to take it."""
    t = lda.get("fleet_split", {})
    if not isinstance(t, dict):
        raise InputError(f"lda.fleet_split: expected a table LDA = share, got {t!r}")
    members = {**lda_members(zones), **{z.name: (z.name,) for z in zones if z.has_load}}
    members.pop("DOM", None)
    for k in t:
        if k not in members:
            raise InputError(f"lda.fleet_split.{k}: expected an LDA or a zone other than DOM, one of {sorted(members)}")
    split = {k: _n(t, k, "lda.fleet_split.", 0.0, 1.0) for k in t}
    for k, v in split.items():
        inner = [j for j in split if j != k and set(members[j]) < set(members[k])]
        # the keys directly inside k: those with no other key between
        direct = [j for j in inner if not any(set(members[j]) < set(members[i]) for i in inner if i != j)]
        left = v - sum(split[j] for j in direct)
        if left < -1e-12:
            raise InputError(f"lda.fleet_split.{k}: {v:g} is less than the shares of the keys inside it "
                             f"({', '.join(direct)}: {sum(split[j] for j in direct):g})")
        if left > 1e-12 and not set(members[k]) - {z for j in direct for z in members[j]}:
            raise InputError(f"lda.fleet_split.{k}: {left:g} of its share has no zone outside the keys inside it")
    rest = {z.name for z in zones if z.has_load and z.name != "DOM"} - {z for k in split for z in members[k]}
    top = sum(v for k, v in split.items() if not any(set(members[k]) < set(members[j]) for j in split if j != k))
    if top > 1.0 + 1e-12:
        raise InputError(f"lda.fleet_split: the outermost keys' shares sum to {top:g}, expected at most 1")
    if split and 1.0 - top > 1e-12 and not rest:
        raise InputError(f"lda.fleet_split: {1.0 - top:g} of the share has no zone outside the keys")
    return split


def by_year(table: dict, year: int) -> float:
    """The value of ``year`` in a {year: value} table of delivery years: the latest year at or before
    ``year``, the first year's before the table begins."""
    years = sorted(table)
    y = max((k for k in years if k <= year), default=years[0])
    return table[y]


@dataclass(frozen=True)
class RangeCases:
    """The cases of ``--range`` (:func:`gigawatt.decision.range.range_scenarios`): the load forecast vintage,
    data-center growth low and high [MW/yr], new entry's completion low [fraction], the backstop procurement
    as filed and as proposed ((MW, first year)), the cold factor low and high, the heat factor high."""

    load_forecast: str
    dc_growth_low_mw_per_year: float
    dc_growth_high_mw_per_year: float
    entry_completion_low: float
    backstop_filed: tuple
    backstop_proposed: tuple
    cold_scale_low: float
    cold_scale_high: float
    heat_scale_high: float


@dataclass(frozen=True, eq=False)
class PJMModel:
    """The PJM model's figures (validated once; :func:`parse_pjm_model`). Compared and hashed by identity:
    one object per file read, so the model's caches keyed by the assumptions stay valid."""

    name: str
    title: str
    weather_years: tuple
    weather_note: str
    path: str | None
    day_utc_offset_h: float
    timezone: str
    people_served: float
    default_vintage: str
    forecasts: dict  # vintage name -> LoadForecast
    load_sd_by_lead: tuple
    irm: dict  # delivery year -> installed reserve margin
    fpr: dict
    shortfall_2027_ucap_mw: float
    cbot_frac: float
    voltage_reduction_frac: float
    outage_multiplier: float
    storage_h: float
    storage_efficiency: float  # charge and discharge, each
    schedule: tuple  # FleetChange
    standard_lole_d: float
    cold_scale: float
    #: the PJM cold severity's thresholds: sudden cold's jump start and full, deep cold's level start and
    #: full, deep cold's weight (:func:`gigawatt.systems.pjm_weather.cold_severity`)
    cold_thresholds: tuple
    cold_block_mw: float
    cold_block_share: float
    heat_extra_outage: float
    heat_scale: float
    dr_mw: float
    dr_elcc: dict
    dr_max_event_h: float
    dr_max_hours_per_year: float
    dr_max_events_per_year: float
    dr_all_hours_from: int
    dr_window_summer_h: tuple
    dr_window_winter_h: tuple
    dr_winter_months: tuple
    dst_months: tuple
    dr_dom_share: float
    dc_dom_share: float
    dc_base_fraction: float
    dom_import_limit_mw: float
    dom_export_limit_mw: float
    dom_upgrades: tuple  # TransferUpgrade
    dom_import_limit_low_mw: float
    dom_import_limit_high_mw: float
    import_headroom: float
    fitted_ceto_mw: dict
    lda_dc_share: dict
    lda_zones: tuple  # LDAZone
    classes: tuple  # PlantClass
    #: PJM's published CETL and CETO by LDA (keyed as ``fitted_ceto_mw``) and delivery year [MW], where found
    published_cetl_mw: dict = field(default_factory=dict)
    published_ceto_mw: dict = field(default_factory=dict)
    #: the split of each class without ``lda_zones`` outside DOM [fraction]: LDA or zone -> its share of the
    #: class's ICAP outside DOM (``[lda] fleet_split``; empty: every zone by its 2024 share of the load)
    lda_fleet_split: dict = field(default_factory=dict)
    #: export limit out of each LDA across its radial interface [MW], keyed as ``fitted_ceto_mw`` (``[lda]
    #: export_limit_mw``; an interface not named exports without limit)
    lda_export_limit_mw: dict = field(default_factory=dict)
    #: the ties beside the radial interfaces (``[[lda.ties]]``, :class:`LDATie`)
    lda_ties: tuple = ()
    #: cold events: (name, weather year, hour "YYYY-MM-DDTHH" in Eastern prevailing time, published MW or
    #: None, published share of capacity or None, what the source says)
    replays: tuple = ()
    range: RangeCases | None = None
    model: str = "pjm"

    @property
    def class_names(self) -> tuple:
        return tuple(c.name for c in self.classes)

    @property
    def generation_icap_mw(self) -> float:
        """Generation ICAP of the 2026/27 study [MW] (the sum of the classes)."""
        return float(sum(c.icap_mw for c in self.classes))

    def forecast(self, name: str) -> LoadForecast:
        """The vintage called ``name``; an unknown name raises :class:`InputError`."""
        if name not in self.forecasts:
            raise InputError(f"load_forecast: expected one of {list(self.forecasts)}, got {name!r}")
        return self.forecasts[name]

    def irm_of(self, year: int) -> float:
        """Installed reserve margin of delivery year ``year`` [fraction]."""
        return float(by_year(self.irm, year))

    def dr_elcc_of(self, year: int) -> float:
        """ELCC rating of demand response of delivery year ``year`` [fraction]."""
        return float(by_year(self.dr_elcc, year))

    @property
    def procured_through(self) -> int:
        """Last study year whose capacity is what the auctions procured (the reserve-margin table's last)."""
        return max(self.irm)

    @property
    def class_share(self) -> dict:
        """Class -> {LDA zone: share} for the classes with ``lda_zones``."""
        return {c.name: dict(c.lda_shares) for c in self.classes if c.lda_shares}


# ------------------------------------------------------------------------------------- parsing
def table_field(doc: dict, key: str, where: str = "", required: bool = True) -> dict:
    """The table ``doc[key]`` ({} when missing and not required); :class:`InputError` naming ``where`` + ``key``."""
    x = doc.get(key)
    if x is None:
        if required:
            raise InputError(f"{where}{key}: missing table")
        return {}
    if not isinstance(x, dict):
        raise InputError(f"{where}{key}: expected a table, got {type(x).__name__}")
    return x


def only_keys(t: dict, allowed: set, where: str) -> None:
    """:class:`InputError` naming the first key of ``t`` not in ``allowed``."""
    extra = sorted(set(t) - allowed)
    if extra:
        raise InputError(f"{where}{extra[0]}: unknown key; expected some of {sorted(allowed)}")


def _n(t: dict, key: str, where: str, lo: float, hi: float, default=None, allow_inf: bool = False) -> float:
    if key not in t:
        if default is None:
            raise InputError(f"{where}{key}: missing")
        return default
    return number(t[key], f"{where}{key}", lo=lo, hi=hi, allow_inf=allow_inf)


def _s(t: dict, key: str, where: str, default=None, choices=None) -> str:
    if key not in t:
        if default is None:
            raise InputError(f"{where}{key}: missing")
        return default
    return text(t[key], f"{where}{key}", choices=choices)


def _year(x, where: str) -> int:
    if isinstance(x, bool) or not isinstance(x, int) or not 2000 <= x <= 2100:
        raise InputError(f"{where}: expected a year (2000-2100), got {x!r}")
    return int(x)


def _by_year(t: dict, key: str, where: str, lo: float, hi: float, required: bool = True) -> dict:
    x = t.get(key)
    if x is None and not required:
        return {}
    if not isinstance(x, dict) or not x:
        raise InputError(f"{where}{key}: expected a table of year = value, e.g. {{ 2026 = 1.0 }}, got {x!r}")
    out = {}
    for y, v in x.items():
        if not re.fullmatch(r"\d{4}", str(y)):
            raise InputError(f"{where}{key}.{y}: expected a year (YYYY) as key")
        out[int(y)] = _n(x, y, f"{where}{key}.", lo, hi)
    return dict(sorted(out.items()))


def _ints(t: dict, key: str, where: str, lo: int, hi: int, n: int | None = None) -> tuple:
    x = t.get(key)
    ok = isinstance(x, list) and all(isinstance(e, int) and not isinstance(e, bool) and lo <= e <= hi for e in x)
    if not ok or (n is not None and len(x) != n):
        size = f"{n} " if n is not None else ""
        raise InputError(f"{where}{key}: expected a list of {size}whole numbers in [{lo}, {hi}], got {x!r}")
    return tuple(x)


def _shares(t: dict, key: str, where: str, zones, required: bool = True) -> dict:
    x = t.get(key)
    if x is None and not required:
        return {}
    if not isinstance(x, dict):
        raise InputError(f"{where}{key}: expected a table zone = share, got {x!r}")
    out = {}
    for z in x:
        if z not in zones:
            raise InputError(f"{where}{key}.{z}: unknown zone; expected some of {list(zones)}")
        out[z] = _n(x, z, f"{where}{key}.", 0.0, 1.0)
    if abs(sum(out.values()) - 1.0) > 1e-6:
        raise InputError(f"{where}{key}: shares must add up to 1, got {sum(out.values()):.6g}")
    return out


def _array(doc: dict, key: str, where: str = "") -> list:
    x = doc.get(key, [])
    if not isinstance(x, list) or not all(isinstance(e, dict) for e in x) or not x:
        raise InputError(f"{where}{key}: expected at least one [[{where}{key}]] table")
    return x


def _rows(t: dict, key: str, where: str) -> list:
    """The tables of the array ``t[key]`` (none when it is missing)."""
    x = t.get(key, [])
    if not isinstance(x, list) or not all(isinstance(e, dict) for e in x):
        raise InputError(f"{where}{key}: expected an array of tables ([[{where}{key}]])")
    return x


def _vintage(v: dict, where: str, dc_base_year: int) -> LoadForecast:
    only_keys(v, {"name", "peak_mw", "energy_mwh", "peak_growth_after", "energy_growth_after", "dc_growth_mw_per_year",
              "source"}, where)
    peak = _by_year(v, "peak_mw", where, 1.0, 1e7)
    energy = _by_year(v, "energy_mwh", where, 1.0, 1e11)
    for key, pts in (("peak_mw", peak), ("energy_mwh", energy)):
        if len(pts) < 2:
            raise InputError(f"{where}{key}: expected at least two years")
    return LoadForecast(
        _s(v, "name", where), tuple(peak.items()), tuple(energy.items()),
        _n(v, "peak_growth_after", where, -0.5, 1.0), _n(v, "energy_growth_after", where, -0.5, 1.0),
        _n(v, "dc_growth_mw_per_year", where, 0.0, 1e6), dc_base_year)


def _schedule(cp: dict, classes: tuple) -> tuple:
    out = []
    for i, b in enumerate(_rows(cp, "schedule", "capacity.")):
        w = f"capacity.schedule[{i}]."
        only_keys(b, {"name", "mw", "total_mw", "mix", "years", "completion", "entry", "source"}, w)
        if ("mw" in b) == ("total_mw" in b):
            raise InputError(f"{w}mw: expected either mw = {{ class = MW }} or total_mw with mix = {{ class = share }}")
        if "mw" in b:
            mw = b["mw"]
            if not isinstance(mw, dict) or not mw:
                raise InputError(f"{w}mw: expected a table class = MW, got {mw!r}")
            class_mw = tuple((c, _n(mw, c, f"{w}mw.", -1e6, 1e6)) for c in mw)
        else:
            total = _n(b, "total_mw", w, -1e6, 1e6)
            mix = b.get("mix")
            if not isinstance(mix, dict) or not mix:
                raise InputError(f"{w}mix: expected a table class = share, got {mix!r}")
            class_mw = tuple((c, total * _n(mix, c, f"{w}mix.", 0.0, 1.0)) for c in mix)
        for c, _ in class_mw:
            if c not in classes:
                raise InputError(f"{w}{'mw' if 'mw' in b else 'mix'}.{c}: not a class of the description; "
                                 f"expected some of {list(classes)}")
        years = _by_year(b, "years", w, 0.0, 1.0)
        if abs(sum(years.values()) - 1.0) > 1e-9:
            raise InputError(f"{w}years: the shares sum to {sum(years.values()):g}, expected 1")
        entry = b.get("entry", True)
        if not isinstance(entry, bool):
            raise InputError(f"{w}entry: expected true (new entry) or false (a deactivation), got {entry!r}")
        out.append(FleetChange(_s(b, "name", w), class_mw, tuple(years.items()), _n(b, "completion", w, 0.0, 1.0),
                               entry=entry))
    return tuple(out)


def _classes(doc: dict, lda_names: tuple) -> tuple:
    out = []
    for i, c in enumerate(_array(doc, "classes")):
        w = f"classes[{i}]."
        only_keys(c, {"name", "kind", "icap_mw", "elcc", "efor", "mttr_h", "unit_mw", "planned_frac", "cold_extra",
                  "hot_derate", "common_mode", "zones", "lda_zones", "source"}, w)
        kind = _s(c, "kind", w, choices=set(KINDS))
        elcc = _by_year(c, "elcc", w, 0.0, 1.0)
        if set(elcc) != {2026, 2027}:
            raise InputError(f"{w}elcc: expected the ratings of delivery years 2026 and 2027, "
                             f"e.g. {{ 2026 = 0.74, 2027 = 0.74 }}, got years {sorted(elcc)}")
        cm = c.get("common_mode", False)
        if not isinstance(cm, bool):
            raise InputError(f"{w}common_mode: expected true or false, got {cm!r}")
        if kind == "thermal" and "efor" not in c:
            raise InputError(f"{w}efor: missing (a thermal class needs its forced-outage rate)")
        zones = _shares(c, "zones", w, TWO_ZONES)
        lda = _shares(c, "lda_zones", w, lda_names, required=False)
        out.append(PlantClass(
            _s(c, "name", w), _n(c, "icap_mw", w, 0.0, 1e6), elcc[2026], elcc[2027],
            _n(c, "efor", w, 0.0, 0.95, 0.0), _n(c, "mttr_h", w, 1.0, 8760.0, 1.0), _n(c, "unit_mw", w, 1e-3, 1e6, 1.0),
            _n(c, "planned_frac", w, 0.0, 0.5, 0.0), _n(c, "cold_extra", w, 0.0, 0.95, 0.0),
            _n(c, "hot_derate", w, 0.0, 0.5, 0.0), zones.get("DOM", 0.0), kind=kind, common_mode=cm,
            lda_shares=tuple(lda.items()), source=_s(c, "source", w)))
    names = [c.name for c in out]
    if len(set(names)) != len(names):
        raise InputError("classes: class names must differ")
    if sum(c.icap_mw for c in out) <= 0:
        raise InputError("classes: the fleet has no capacity")
    return tuple(out)


def _lda(doc: dict) -> tuple:
    lda = table_field(doc, "lda")
    only_keys(lda, {"dom_import_limit_low_mw", "dom_import_limit_high_mw", "import_headroom", "fitted_ceto_mw", "dc_share",
                "published_cetl_mw", "published_ceto_mw", "fleet_split", "export_limit_mw", "zones", "ties", "source"},
              "lda.")
    zones = []
    for i, z in enumerate(_array(lda, "zones", "lda.")):
        w = f"lda.zones[{i}]."
        only_keys(z, {"name", "parent", "joined_to", "pjm_zones", "has_load"}, w)
        pz = z.get("pjm_zones", [])
        if not isinstance(pz, list) or not all(isinstance(e, str) for e in pz):
            raise InputError(f"{w}pjm_zones: expected a list of PJM transmission zones, got {pz!r}")
        hl = z.get("has_load", True)
        if not isinstance(hl, bool):
            raise InputError(f"{w}has_load: expected true or false, got {hl!r}")
        zones.append(LDAZone(_s(z, "name", w), _s(z, "parent", w),
                             _s(z, "joined_to", w) if "joined_to" in z else None, tuple(pz), hl))
    names = tuple(z.name for z in zones)
    parents = [z.parent for z in zones]
    for i, z in enumerate(zones):
        if z.joined_to is not None and z.joined_to not in names:
            raise InputError(f"lda.zones[{i}].joined_to: unknown zone {z.joined_to!r}; expected some of {list(names)}")
        # an LDA that is not a zone groups two zones or more (an LDA of one zone is that zone): a parent named
        # once and nowhere else is a misspelling, which would make an LDA of its own
        if z.parent != "RTO" and z.parent not in names and parents.count(z.parent) < 2:
            lda_names = sorted({p for p in parents if p != "RTO" and p not in names and parents.count(p) >= 2})
            raise InputError(f"lda.zones[{i}].parent: unknown LDA {z.parent!r}; expected RTO, a zone, or an LDA "
                             f"that two zones or more name ({lda_names})")
    if not set(TWO_ZONES) <= set(names):
        raise InputError(f"lda.zones: expected the zones {list(TWO_ZONES)} among them, got {list(names)}")
    ceto = lda.get("fitted_ceto_mw")
    if not isinstance(ceto, dict):
        raise InputError(f"lda.fitted_ceto_mw: expected a table zone = MW, got {ceto!r}")
    for z in ceto:
        if z not in names:
            raise InputError(f"lda.fitted_ceto_mw.{z}: unknown zone; expected some of {list(names)}")
    dc = lda.get("dc_share")
    if not isinstance(dc, dict):
        raise InputError(f"lda.dc_share: expected a table zone = share, got {dc!r}")
    for z in dc:
        if z not in names or z == "DOM":
            raise InputError(f"lda.dc_share.{z}: expected a zone other than DOM (DOM's share is data_centers.zones.DOM)")
    export = lda.get("export_limit_mw", {})
    if not isinstance(export, dict):
        raise InputError(f"lda.export_limit_mw: expected a table zone = MW, got {export!r}")
    joined = [z.name for z in zones if z.joined_to is not None]
    for z in export:
        if z not in joined:
            raise InputError(f"lda.export_limit_mw.{z}: expected a zone with an interface (joined_to), one of {joined}")
    return (zones, {z: _n(ceto, z, "lda.fitted_ceto_mw.", 0.0, 1e6) for z in ceto},
            {z: _n(dc, z, "lda.dc_share.", 0.0, 1.0) for z in dc},
            _n(lda, "dom_import_limit_low_mw", "lda.", 0.0, 1e6), _n(lda, "dom_import_limit_high_mw", "lda.", 0.0, 1e6),
            _n(lda, "import_headroom", "lda.", 0.0, 10.0),
            _published(lda, "published_cetl_mw", names), _published(lda, "published_ceto_mw", names),
            _fleet_split(lda, zones), {z: _n(export, z, "lda.export_limit_mw.", 0.0, 1e6) for z in export},
            _ties(lda, zones))


def _ties(lda: dict, zones) -> tuple:
    """``[[lda.ties]]`` (optional): ties beside the radial interfaces, each between two zones not yet joined."""
    names = [z.name for z in zones]
    pairs = {frozenset((z.name, z.joined_to)) for z in zones if z.joined_to is not None}
    out = []
    for i, t in enumerate(_rows(lda, "ties", "lda.")):
        w = f"lda.ties[{i}]."
        only_keys(t, {"from", "to", "limit_mw", "limit_back_mw", "source"}, w)
        a, b = _s(t, "from", w), _s(t, "to", w)
        for key, v in (("from", a), ("to", b)):
            if v not in names:
                raise InputError(f"{w}{key}: unknown zone {v!r}; expected one of {names}")
        if a == b:
            raise InputError(f"{w}to: a tie joins two zones, got {a!r} twice")
        if frozenset((a, b)) in pairs:
            raise InputError(f"{w}to: {a} and {b} are already joined (joined_to or an earlier tie)")
        pairs.add(frozenset((a, b)))
        out.append(LDATie(a, b, _n(t, "limit_mw", w, 0.0, 1e6), _n(t, "limit_back_mw", w, 0.0, 1e6,
                                                                      default=t.get("limit_mw")), _s(t, "source", w)))
    return tuple(out)


def _published(lda: dict, key: str, names: tuple) -> dict:
    """``[lda] key``: zone -> {delivery year -> MW} (optional; an empty table when absent)."""
    t = lda.get(key, {})
    if not isinstance(t, dict):
        raise InputError(f"lda.{key}: expected a table zone = {{ delivery year = MW }}, got {t!r}")
    for z in t:
        if z not in names:
            raise InputError(f"lda.{key}.{z}: unknown zone; expected some of {list(names)}")
    return {z: _by_year(t, z, f"lda.{key}.", 0.0, 1e6) for z in t}


_TOP = {"grid", "weather", "forecast", "capacity", "standard", "cold", "heat", "demand_response", "data_centers",
        "zones", "interfaces", "classes", "lda", "replays", "range", "sources", "policies"}


def _range(doc: dict, forecasts: dict) -> RangeCases:
    r = table_field(doc, "range")
    w = "range."
    only_keys(r, {"load_forecast", "dc_growth_low_mw_per_year", "dc_growth_high_mw_per_year", "entry_completion_low",
                  "backstop_filed", "backstop_proposed", "cold_scale_low", "cold_scale_high", "heat_scale_high",
                  "source"}, w)
    backstops = []
    for key in ("backstop_filed", "backstop_proposed"):
        b = table_field(r, key, w)
        only_keys(b, {"mw", "year"}, f"{w}{key}.")
        backstops.append((_n(b, "mw", f"{w}{key}.", 0.0, 1e6), _year(b.get("year"), f"{w}{key}.year")))
    return RangeCases(
        _s(r, "load_forecast", w, choices=set(forecasts)), _n(r, "dc_growth_low_mw_per_year", w, 0.0, 1e6),
        _n(r, "dc_growth_high_mw_per_year", w, 0.0, 1e6), _n(r, "entry_completion_low", w, 0.0, 1.0),
        backstops[0], backstops[1], _n(r, "cold_scale_low", w, 0.0, 5.0), _n(r, "cold_scale_high", w, 0.0, 5.0),
        _n(r, "heat_scale_high", w, 0.0, 5.0))


def _replays(doc: dict) -> tuple:
    out = []
    x = doc.get("replays", [])
    if not isinstance(x, list) or not all(isinstance(e, dict) for e in x):
        raise InputError("replays: expected an array of tables ([[replays]])")
    for i, r in enumerate(x):
        w = f"replays[{i}]."
        only_keys(r, {"name", "time_ept", "published_mw", "published_share", "what", "source"}, w)
        t = _s(r, "time_ept", w)
        m = re.fullmatch(r"((\d{4})-\d{2}-\d{2}) (\d{2}):00", t)
        if not m:
            raise InputError(f"{w}time_ept: expected YYYY-MM-DD HH:00 (Eastern prevailing time), got {t!r}")
        mw = _n(r, "published_mw", w, 0.0, 1e6) if "published_mw" in r else None
        share = _n(r, "published_share", w, 0.0, 1.0) if "published_share" in r else None
        out.append((_s(r, "name", w), int(m.group(2)), f"{m.group(1)}T{m.group(3)}", mw, share, _s(r, "what", w, "")))
        _s(r, "source", w)
    return tuple(out)


#: the tables of figures, each of which names its sources (``source``)
_SOURCED = ("grid", "weather", "forecast", "capacity", "standard", "cold", "heat", "demand_response", "data_centers",
            "lda", "range")


def _sources(doc: dict) -> None:
    """Every table of figures names its source: ``[Sn]`` ids or ``sources.md`` groups of docs/sources.md, or a
    text starting with ``[est]`` (the package's own file is checked against docs/sources.md by tools/cite.py)."""
    def table(x) -> dict:
        return x if isinstance(x, dict) else {}

    def array(x) -> list:
        return x if isinstance(x, list) else []

    tables = [(k, doc.get(k)) for k in _SOURCED]
    tables += [(f"forecast.vintages.{k}", v) for k, v in table(table(doc.get("forecast")).get("vintages")).items()]
    for key in ("zones", "interfaces", "classes", "replays"):
        tables += [(f"{key}[{i}]", t) for i, t in enumerate(array(doc.get(key)))]
    tables += [(f"capacity.schedule[{i}]", t) for i, t in enumerate(array(table(doc.get("capacity")).get("schedule")))]
    for i, f in enumerate(array(doc.get("interfaces"))):
        tables += [(f"interfaces[{i}].upgrades[{j}]", t) for j, t in enumerate(array(table(f).get("upgrades")))]
    for where, t in tables:
        if isinstance(t, dict) and not (isinstance(t.get("source"), str) and t["source"].strip()):
            raise InputError(f"{where}.source: missing; every table of figures names its sources ([Sn] or "
                             "sources.md Pn of docs/sources.md, or a text starting with [est])")


def parse_pjm_model(doc: dict, path=None) -> PJMModel:
    """A :class:`PJMModel` from a parsed description with ``[grid] model = "pjm"`` (docs/grids.md);
    :class:`InputError` naming the field otherwise."""
    only_keys(doc, _TOP, "")
    _sources(doc)
    g = table_field(doc, "grid")
    only_keys(g, {"name", "model", "title", "day_utc_offset_h", "timezone", "people_served", "source"}, "grid.")
    name = _s(g, "name", "grid.")
    if not re.fullmatch(r"[a-z][a-z0-9_-]{0,30}", name):
        raise InputError(f"grid.name: expected lower-case letters, digits, - or _ (at most 31), got {name!r}")
    _s(g, "model", "grid.", choices={"pjm"})
    wt = table_field(doc, "weather")
    only_keys(wt, {"package", "years", "note", "source"}, "weather.")
    if _s(wt, "package", "weather.") != "pjm_weather_years.npz":
        raise InputError(f"weather.package: the PJM model reads \"pjm_weather_years.npz\", got {wt['package']!r}")
    wy = _ints(wt, "years", "weather.", 2003, 2025)
    if not wy or len(set(wy)) != len(wy):
        raise InputError(f"weather.years: expected distinct weather years 2003-2025, got {list(wy)}")
    fc = table_field(doc, "forecast")
    only_keys(fc, {"vintage", "dc_base_year", "load_sd_by_lead", "vintages", "source"}, "forecast.")
    dc_base = _year(fc.get("dc_base_year"), "forecast.dc_base_year")
    vint = table_field(fc, "vintages", "forecast.")
    forecasts = {}
    for k, v in vint.items():
        if not isinstance(v, dict):
            raise InputError(f"forecast.vintages.{k}: expected a table")
        forecasts[str(k)] = _vintage(v, f"forecast.vintages.{k}.", dc_base)
    if not forecasts:
        raise InputError("forecast.vintages: expected at least one vintage")
    vintage = _s(fc, "vintage", "forecast.", choices=set(forecasts))
    sd = fc.get("load_sd_by_lead")
    if not isinstance(sd, list) or not sd or not all(
            isinstance(x, (int, float)) and not isinstance(x, bool) and 0.0 <= x <= 0.2 for x in sd):
        raise InputError(f"forecast.load_sd_by_lead: expected a list of fractions in [0, 0.2] (1, 2, ... years "
                         f"ahead), got {sd!r}")
    zones_t = _array(doc, "zones")
    zn = tuple(_s(z, "name", f"zones[{i}].") for i, z in enumerate(zones_t))
    if zn != TWO_ZONES:
        raise InputError(f"zones: the PJM model's outlook zones are {list(TWO_ZONES)} (in that order; [lda] has "
                         f"PJM's LDAs), got {list(zn)}")
    for i, z in enumerate(zones_t):
        only_keys(z, {"name", "load_share", "source"}, f"zones[{i}].")
    lda_zones, ceto, lda_dc, low, high, headroom, cetl_pub, ceto_pub, split, lda_export, ties = _lda(doc)
    classes = _classes(doc, tuple(z.name for z in lda_zones if z.has_load))
    cp = table_field(doc, "capacity")
    only_keys(cp, {"reserve_margin", "forecast_pool_requirement", "shortfall_2027_ucap_mw", "ties_frac", "voltage_reduction_frac",
               "outage_multiplier", "storage_h", "storage_efficiency", "schedule", "note", "source"}, "capacity.")
    st = table_field(doc, "standard")
    only_keys(st, {"lole_d_per_year", "note", "source"}, "standard.")
    lole = _n(st, "lole_d_per_year", "standard.", 0.0, 365.0)
    if lole != 0.1:
        raise InputError(f"standard.lole_d_per_year: the decision tests 0.1 day/yr (1 day in 10 years) only, got {lole:g}")
    cold = table_field(doc, "cold")
    only_keys(cold, {"scale", "signal", "jump_start", "jump_full", "level_start", "level_full", "level_weight",
                     "block_mw", "block_share", "source"}, "cold.")
    thresholds = tuple(_n(cold, k, "cold.", lo, hi) for k, lo, hi in (
        ("jump_start", 0.0, 5.0), ("jump_full", 0.0, 5.0), ("level_start", 0.5, 3.0), ("level_full", 0.5, 3.0),
        ("level_weight", 0.0, 1.0)))
    for (k0, k1), (a, b) in ((("jump_start", "jump_full"), thresholds[:2]), (("level_start", "level_full"),
                                                                             thresholds[2:4])):
        if b <= a:
            raise InputError(f"cold.{k1}: expected more than cold.{k0} ({a:g}), got {b:g}")
    _s(cold, "signal", "cold.", "pjm", choices={"pjm"})
    heat = table_field(doc, "heat")
    only_keys(heat, {"extra_outage", "scale", "source"}, "heat.")
    dr = table_field(doc, "demand_response")
    w = "demand_response."
    only_keys(dr, {"mw", "elcc", "max_event_h", "max_hours_per_year", "max_events_per_year", "all_hours_from",
               "window_summer_h", "window_winter_h", "winter_months", "dst_months", "zones", "source"}, w)
    dcs = table_field(doc, "data_centers")
    only_keys(dcs, {"zones", "base_fraction", "source"}, "data_centers.")
    inter = _array(doc, "interfaces")
    if len(inter) != 1 or (inter[0].get("from"), inter[0].get("to")) != ("REST", "DOM"):
        raise InputError("interfaces: the PJM model has one interface, from = \"REST\", to = \"DOM\"")
    f = inter[0]
    only_keys(f, {"from", "to", "limit_mw", "limit_back_mw", "upgrades", "source"}, "interfaces[0].")
    ups = []
    for i, u in enumerate(_rows(f, "upgrades", "interfaces[0].")):
        wu = f"interfaces[0].upgrades[{i}]."
        only_keys(u, {"name", "first_year", "added_mw", "source"}, wu)
        ups.append(TransferUpgrade(_s(u, "name", wu), _year(u.get("first_year"), f"{wu}first_year"),
                                   _n(u, "added_mw", wu, 0.0, 1e6), _s(u, "source", wu)))
    window_s = _ints(dr, "window_summer_h", w, 0, 24, 2)
    window_w = _ints(dr, "window_winter_h", w, 0, 24, 2)
    return PJMModel(
        name=name, title=_s(g, "title", "grid."), path=None if path is None else str(path),
        day_utc_offset_h=_n(g, "day_utc_offset_h", "grid.", -12.0, 14.0), timezone=_s(g, "timezone", "grid.", "UTC"),
        people_served=_n(g, "people_served", "grid.", 1.0, 1e10), weather_years=wy,
        weather_note=_s(wt, "note", "weather.", ""), default_vintage=vintage, forecasts=forecasts,
        load_sd_by_lead=tuple(float(x) for x in sd),
        irm=_by_year(cp, "reserve_margin", "capacity.", 0.0, 1.0),
        fpr=_by_year(cp, "forecast_pool_requirement", "capacity.", 0.0, 5.0, required=False),
        shortfall_2027_ucap_mw=_n(cp, "shortfall_2027_ucap_mw", "capacity.", -1e6, 1e6, default=0.0),
        cbot_frac=_n(cp, "ties_frac", "capacity.", 0.0, 0.5), voltage_reduction_frac=_n(
            cp, "voltage_reduction_frac", "capacity.", 0.0, 1.0),
        outage_multiplier=_n(cp, "outage_multiplier", "capacity.", 1e-6, 5.0),
        storage_h=_n(cp, "storage_h", "capacity.", 0.1, 1000.0),
        storage_efficiency=_n(cp, "storage_efficiency", "capacity.", 0.01, 1.0), schedule=_schedule(cp, tuple(c.name for c in classes)),
        standard_lole_d=lole, cold_scale=_n(cold, "scale", "cold.", 0.0, 5.0), cold_thresholds=thresholds,
        cold_block_mw=_n(cold, "block_mw", "cold.", 1.0, 1e6), cold_block_share=_n(cold, "block_share", "cold.", 0.0, 1.0),
        heat_extra_outage=_n(heat, "extra_outage", "heat.", 0.0, 0.5), heat_scale=_n(heat, "scale", "heat.", 0.0, 5.0),
        dr_mw=_n(dr, "mw", w, 0.0, 1e6), dr_elcc=_by_year(dr, "elcc", w, 0.0, 1.0),
        dr_max_event_h=_n(dr, "max_event_h", w, 1e-3, 8760.0),
        dr_max_hours_per_year=_n(dr, "max_hours_per_year", w, 0.0, 8760.0),
        dr_max_events_per_year=_n(dr, "max_events_per_year", w, 0.0, 8760.0),
        dr_all_hours_from=_year(dr.get("all_hours_from"), f"{w}all_hours_from"),
        dr_window_summer_h=window_s, dr_window_winter_h=window_w,
        dr_winter_months=_ints(dr, "winter_months", w, 1, 12), dst_months=_ints(dr, "dst_months", w, 1, 12),
        dr_dom_share=_shares(dr, "zones", w, TWO_ZONES)["DOM"],
        dc_dom_share=_shares(dcs, "zones", "data_centers.", TWO_ZONES)["DOM"],
        dc_base_fraction=_n(dcs, "base_fraction", "data_centers.", 0.0, 1.0),
        dom_import_limit_mw=_n(f, "limit_mw", "interfaces[0].", 0.0, 1e6),
        dom_export_limit_mw=_n(f, "limit_back_mw", "interfaces[0].", 0.0, 1e6, default=f.get("limit_mw")),
        dom_upgrades=tuple(ups), dom_import_limit_low_mw=low, dom_import_limit_high_mw=high,
        import_headroom=headroom, fitted_ceto_mw=ceto, lda_dc_share=lda_dc, lda_zones=tuple(lda_zones),
        published_cetl_mw=cetl_pub, published_ceto_mw=ceto_pub, lda_fleet_split=split,
        lda_export_limit_mw=lda_export, lda_ties=ties,
        classes=classes, replays=_replays(doc), range=_range(doc, forecasts))


def is_pjm_model(doc: dict) -> bool:
    """Whether a parsed description asks for the PJM model's builder (``[grid] model = "pjm"``)."""
    g = doc.get("grid")
    return isinstance(g, dict) and g.get("model") == "pjm"


@functools.lru_cache(maxsize=1)
def embedded() -> PJMModel:
    """The package's PJM model (``gigawatt/data/pjm.toml``), read once."""
    res = resources.files("gigawatt") / "data" / EMBEDDED_FILE
    try:
        doc = tomllib.loads(res.read_text(encoding="utf-8"))
        return parse_pjm_model(doc, f"gigawatt/data/{EMBEDDED_FILE}")
    except (InputError, tomllib.TOMLDecodeError) as exc:  # pragma: no cover - the package's own file
        raise InputError(f"gigawatt/data/{EMBEDDED_FILE}: {exc}") from None


__all__ = ["EMBEDDED_FILE", "FleetChange", "LDATie", "LDAZone", "LoadForecast", "PJMModel", "PlantClass", "RangeCases",
           "TransferUpgrade",
           "by_year", "lda_members", "split_shares", "embedded", "is_pjm_model", "parse_pjm_model"]
