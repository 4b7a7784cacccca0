"""The agent's site file: a data-center site (the ``[[sites]]`` table of a scenario file) and the
agent's own limits.

Format (TOML; docs/agent.md)::

    [site]                   # as one [[sites]] entry of a scenario file (docs/datacenters.md)
    name = "colossus-2"
    region = "1"
    preset = "colossus2"
    [site.contract]          # capped: max_hours_per_year, max_event_h, max_depth_frac
    [site.battery]
    [site.generation]
    [site.flexibility]

    [agent]
    hours_used_h = 0.0             # contract hours already used this year [h]
    max_ramp_mw_per_s = 20.0       # ramp of the grid draw the grid tolerates [MW/s]
    battery_reserve_mw = 168.0     # battery power kept for smoothing the training swings [MW]
    simple_levels_mw = [100.0, 200.0, 300.0]   # SIMPLE levels 1-3 as reductions [MW]
    profile = 1.0                  # share of working power drawn outside events [fraction]
    gpus = { "pre-training" = [0, 1] }          # nvml backend: GPU indices of each job class
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from gigawatt.datacenter.order import DataCenterSite
from gigawatt.datacenter.resources import ComputeFlexibility
from gigawatt.dynamics.compliance import ComplianceLimits
from gigawatt.errors import FileFormatError, InputError
from gigawatt.io import _fields as fx
from gigawatt.io.scenario import _site as parse_site_table
from gigawatt.io.scenario import _table, load_toml

_TOP = {"name", "site", "agent"}
_AGENT = {"hours_used_h", "max_ramp_mw_per_s", "battery_reserve_mw", "simple_levels_mw", "profile", "gpus"}

#: Ramp of the grid draw the agent keeps to unless the site file says otherwise [MW/s]; the
#: dynamics study's illustrative limit is ~9-10 MW/s (docs/dynamics.md) [est]
DEFAULT_MAX_RAMP_MW_PER_S = 10.0


@dataclass(frozen=True)
class AgentSite:
    """A site the agent runs, with the limits of its contract and of the grid.

    Parameters
    ----------
    site : DataCenterSite
        Power model, contract, battery, on-site generation and job classes (flexibility).
    hours_used_h : float
        Contract curtailment hours already used this year [h].
    limits : ComplianceLimits
        The grid's limits; the agent keeps its draw within ``max_ramp_mw_per_s``.
    battery_reserve_mw : float
        Battery power never committed to events: kept for smoothing the training swings [MW].
    simple_levels_mw : tuple of 3 floats
        Reduction [MW] for OpenADR ``SIMPLE`` levels 1, 2 and 3 (level 0: none).
    profile : float
        Share of the GPUs' working power drawn outside events [fraction].
    gpus : dict
        Job-class name -> GPU indices (``nvml`` backend).
    """

    site: DataCenterSite
    hours_used_h: float = 0.0
    limits: ComplianceLimits = field(default_factory=lambda: ComplianceLimits(DEFAULT_MAX_RAMP_MW_PER_S))
    battery_reserve_mw: float = 0.0
    simple_levels_mw: tuple = (0.0, 0.0, 0.0)
    profile: float = 1.0
    gpus: dict = field(default_factory=dict)

    def __post_init__(self):
        if not isinstance(self.site, DataCenterSite):
            raise InputError("site: expected a DataCenterSite")
        if self.site.flexibility is None:
            object.__setattr__(self, "site", _with_default_flexibility(self.site))
        if not math.isfinite(self.limits.max_ramp_mw_per_s):
            raise InputError("agent.max_ramp_mw_per_s: expected a finite ramp limit [MW/s]")
        if not (math.isfinite(self.hours_used_h) and self.hours_used_h >= 0):
            raise InputError(f"agent.hours_used_h: expected a number >= 0, got {self.hours_used_h!r}")
        if not (0.0 <= self.battery_reserve_mw < math.inf):
            raise InputError(f"agent.battery_reserve_mw: expected a number >= 0, got {self.battery_reserve_mw!r}")
        levels = tuple(float(x) for x in self.simple_levels_mw)
        if len(levels) != 3 or not all(0 <= x < math.inf for x in levels) or list(levels) != sorted(levels):
            raise InputError(f"agent.simple_levels_mw: expected 3 increasing reductions >= 0 [MW], got {levels!r}")
        object.__setattr__(self, "simple_levels_mw", levels)
        if not 0.0 < self.profile <= 1.0:
            raise InputError(f"agent.profile: expected a fraction in (0, 1], got {self.profile!r}")
        names = {j.name for j in self.jobs}
        for name, idx in self.gpus.items():
            if name not in names:
                raise InputError(f"agent.gpus.{name}: unknown job class; expected one of {sorted(names)}")
            if not all(isinstance(i, int) and not isinstance(i, bool) and 0 <= i < 4096 for i in idx):
                raise InputError(f"agent.gpus.{name}: expected GPU indices (whole numbers 0-4095)")

    @property
    def jobs(self) -> tuple:
        return self.site.flexibility.jobs

    @property
    def baseline_mw(self) -> float:
        """Facility power outside events [MW]."""
        return float(self.site.power.facility_mw(self.profile))

    @property
    def max_hours_per_year(self) -> float:
        """Contract curtailment hours per year [h] (``inf`` where the contract sets none)."""
        return getattr(self.site.contract, "max_hours_per_year", math.inf)

    @property
    def max_event_h(self) -> float:
        return getattr(self.site.contract, "max_event_h", math.inf)

    @property
    def max_depth_frac(self) -> float:
        """Deepest cut of the compute load the contract allows [fraction of the baseline]."""
        return float(getattr(self.site.contract, "max_depth_frac", 1.0))

    @property
    def battery_event_mw(self) -> float:
        """Battery power the agent may commit to an event [MW]."""
        b = self.site.battery
        return 0.0 if b is None else max(0.0, b.power_mw - self.battery_reserve_mw)


def _with_default_flexibility(site: DataCenterSite) -> DataCenterSite:
    from dataclasses import replace

    return replace(site, flexibility=ComputeFlexibility())


def parse_agent_site(doc: dict) -> AgentSite:
    """Build an :class:`AgentSite` from a parsed TOML document (raises :class:`InputError`)."""
    extra = sorted(set(doc) - set(_TOP))
    if extra:
        raise InputError(f"{extra[0]}: unknown top-level key; an agent site file has {sorted(_TOP)} (a data-center "
                         "scenario, with [[sites]] and [emergency], is assessed by `gigawatt adequacy`)")
    if "site" not in doc:
        raise InputError("site: missing; expected a [site] table (name, region, preset or fleets, contract, ...)")
    site = parse_site_table(doc["site"], "site")
    a = _table(doc.get("agent", {}), "agent", _AGENT)
    kw = {}
    for key in ("hours_used_h", "battery_reserve_mw", "profile"):
        if key in a:
            kw[key] = fx.number(a[key], f"agent.{key}", lo=0.0)
    ramp = fx.number(a.get("max_ramp_mw_per_s", DEFAULT_MAX_RAMP_MW_PER_S), "agent.max_ramp_mw_per_s", lo=1e-6)
    kw["limits"] = ComplianceLimits(max_ramp_mw_per_s=ramp)
    if "simple_levels_mw" in a:
        lv = a["simple_levels_mw"]
        if not isinstance(lv, list) or len(lv) != 3:
            raise InputError("agent.simple_levels_mw: expected 3 reductions [MW] for SIMPLE levels 1, 2, 3")
        kw["simple_levels_mw"] = tuple(fx.number(x, f"agent.simple_levels_mw[{k}]", lo=0.0) for k, x in enumerate(lv))
    else:
        b = site.contract
        depth = getattr(b, "max_depth_frac", 0.25) * float(site.power.facility_mw(kw.get("profile", 1.0)))
        kw["simple_levels_mw"] = (depth / 3, 2 * depth / 3, depth)
    if "gpus" in a:
        g = a["gpus"]
        if not isinstance(g, dict) or not all(isinstance(x, list) for x in g.values()):
            raise InputError("agent.gpus: expected a table of job class = [GPU indices]")
        kw["gpus"] = {str(k): tuple(x) for k, x in g.items()}
    return AgentSite(site, **kw)


def read_agent_site(path) -> AgentSite:
    """Read an agent site file; every error names the file and the field (:class:`FileFormatError`)."""
    p = Path(path)
    doc = load_toml(p)
    try:
        return parse_agent_site(doc)
    except InputError as exc:
        raise FileFormatError(p, str(exc)) from None
