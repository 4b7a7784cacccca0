"""Reliability headroom: how much new load a system carries at a reliability standard.

Duke's headroom (:mod:`gigawatt.duke.method`) takes historical peaks as the proxy
for risk. Here the risk is the adequacy engine's: the headroom is the largest new
load [MW] at which the chosen metric (LOLE 0.1 d/yr by default) stays at or under its
target, found by the noise-aware search of :mod:`gigawatt.capacity.search` with common
random numbers across trials. The result is an interval, not a point.

Contracts
---------
``firm``
    The load is always served (:class:`~gigawatt.capacity.builders.Firm`).
``capped:H``
    Curtailed first in shortfalls for up to H full-load hours a year, firm after that
    (:class:`~gigawatt.capacity.builders.Capped`); the metric is that of the load
    still unserved.
``connect-and-manage[:R]``
    Curtailed first in every shortfall, without limit. Existing customers then see the
    system as it was (the target binds only if the system already fails it), so what
    limits the load is the data center's own curtailment: the headroom is the load whose
    expected curtailed energy is ``R`` percent of its energy (default 1 %), the Duke
    definition with the engine's risk in place of historical peaks. The curtailed energy
    of each sample is the unserved energy the load adds, ``EUE(system + L) - EUE(system)``,
    paired sample by sample (exact for one region without storage; with storage and
    transfers it is what the engine's dispatch gives up when the load is served).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from gigawatt.capacity.builders import CappedLoad, FirmLoad, Placement
from gigawatt.capacity.search import Crossing, find_crossing
from gigawatt.capacity.targets import MonteCarlo, Target, horizon_years
from gigawatt.errors import InputError
from gigawatt.stats import Estimate
from gigawatt.system import SystemModel


@dataclass(frozen=True)
class ConnectAndManageLoad:
    """Curtailed first in every shortfall; headroom limited by ``rate`` [fraction] of curtailed energy."""

    rate: float = 0.01
    placement: Placement = Placement()

    def __post_init__(self):
        if not 0 < float(self.rate) < 1:
            raise InputError(f"--dc-contract connect-and-manage:R: R must be a percentage in (0, 100), got {self.rate * 100:g}")

    @property
    def name(self) -> str:
        return f"connect-and-manage:{self.rate * 100:g}%"

    def __call__(self, system: SystemModel, load_mw: float) -> SystemModel:
        # the load as seen by the engine before curtailment (curtailment is computed from it)
        return system.with_added_load(self.placement.load_mw(system, load_mw))


def parse_contract(text: str, placement: Placement = Placement()):
    """``firm`` | ``capped:100h`` | ``connect-and-manage[:1%]`` -> a load builder."""
    t = (text or "").strip().lower()
    if t == "firm":
        return FirmLoad(placement)
    if t.startswith("capped:"):
        h = t.split(":", 1)[1].rstrip("h")
        try:
            return CappedLoad(float(h), placement)
        except ValueError:
            raise InputError(f"--dc-contract: capped:H needs hours, e.g. capped:100h; got {text!r}") from None
    if t.startswith("connect-and-manage"):
        rest = t[len("connect-and-manage"):]
        if not rest:
            return ConnectAndManageLoad(0.01, placement)
        try:
            return ConnectAndManageLoad(float(rest.lstrip(":").rstrip("%")) / 100.0, placement)
        except ValueError:
            raise InputError(f"--dc-contract: connect-and-manage:R needs a percentage, e.g. connect-and-manage:1%; "
                             f"got {text!r}") from None
    raise InputError(f"--dc-contract: expected firm, capped:HOURSh or connect-and-manage[:PERCENT%], got {text!r}")


@dataclass(frozen=True)
class HeadroomResult:
    """Reliability headroom of a system for one contract and set of resources.

    Attributes
    ----------
    crossing : Crossing
        Interval ``[low_mw, high_mw]`` [MW], the achieved metric at each end, trials.
    target : Target
        For connect-and-manage: the curtailment-rate limit (metric ``curtailment``).
    contract, resources : str
        Descriptions.
    base : Estimate
        Metric of the system before any new load.
    samples, seed : int
    """

    crossing: Crossing
    target: object
    contract: str
    resources: tuple
    base: object
    samples: int
    seed: int
    notes: tuple = field(default=())

    def to_dict(self) -> dict:
        c = self.crossing
        tgt = self.target.to_dict() if hasattr(self.target, "to_dict") else dict(self.target)
        return {
            "headroom_mw": c.to_dict(),
            "target": tgt,
            "contract": self.contract,
            "resources": list(self.resources),
            "achieved": {"low": c.achieved_low.to_dict() if c.achieved_low else None,
                         "high": c.achieved_high.to_dict() if c.achieved_high else None},
            "base": self.base.to_dict(),
            "z": c.z,
            "trials": c.n_trials,
            "samples": self.samples,
            "seed": self.seed,
            "notes": list(self.notes),
        }


def reliability_headroom(
    system: SystemModel,
    target: Target | str = Target(),
    *,
    contract="firm",
    placement: Placement = Placement(),
    resources=(),
    mc: MonteCarlo = MonteCarlo(),
    z: float = 2.0,
    rel_tol: float = 0.1,
    abs_tol_mw: float = 1.0,
    max_load_mw: float | None = None,
    max_trials: int = 40,
) -> HeadroomResult:
    """Largest new load [MW] at which ``target`` holds, as a Monte Carlo interval.

    Parameters
    ----------
    system : SystemModel
    target : Target or str
        E.g. ``"lole_d=0.1"`` (days/yr), ``"eue_mwh=100"``.
    contract : str or load builder
        ``"firm"``, ``"capped:100h"``, ``"connect-and-manage:1%"`` or any callable
        ``(system, load_mw) -> SystemModel``.
    placement : Placement
        Regions and utilisation profile of the new load.
    resources : sequence of resource builders
        Added once before the search (batteries, on-site generation, demand response).
    mc : MonteCarlo
        Samples and seed of every trial (the same seed in all: paired trials).
    z, rel_tol, abs_tol_mw, max_trials
        See :func:`gigawatt.capacity.search.find_crossing`.
    max_load_mw : float, optional
        Largest load tried [MW]; default 3 x the system's peak load.

    Returns
    -------
    HeadroomResult
        A negative interval means the system already fails the target: that much
        firm load would have to go.
    """
    if isinstance(target, str):
        target = Target.parse(target)
    if isinstance(contract, str):
        contract = parse_contract(contract, placement)
    sys_r = system
    for res in resources:
        sys_r = res(sys_r)
    peak = float(system.regions.load_mw.sum(axis=0).max())
    x_max = 3.0 * peak if max_load_mw is None else float(max_load_mw)
    step = max(0.05 * peak, 10 * abs_tol_mw)
    pl = getattr(contract, "placement", placement)
    notes = []
    names = tuple(getattr(r, "name", repr(r)) for r in resources)
    base_vals = mc.run(sys_r, target.metric)
    base = Estimate.of(base_vals)
    if isinstance(contract, ConnectAndManageLoad):
        # MWh per MW of nameplate per year (EUE from mc.run is per year too)
        horizon_energy = pl.profile_series(system).sum() * system.timeaxis.step_h / horizon_years(system)
        base_eue = mc.run(sys_r, "eue_mwh")

        def evaluate(x):
            if x <= 0:
                return np.zeros_like(base_eue)
            return (mc.run(contract(sys_r, x), "eue_mwh") - base_eue) / (x * horizon_energy)

        if base.mean > target.value:
            notes.append(f"the system already fails {target.metric} <= {target.value:g} before any new load")
        notes.append("existing customers keep the base reliability; the binding limit is the curtailment rate")
        crossing = find_crossing(evaluate, contract.rate, x_start=0.0, step_mw=step, x_min=0.0, x_max=x_max,
                                 z=z, rel_tol=rel_tol, abs_tol_mw=abs_tol_mw, max_trials=max_trials)
        tgt = {"metric": "curtailment_rate", "value": contract.rate, "unit": "fraction of the new load's energy"}
        return HeadroomResult(crossing, tgt, contract.name, names, base, mc.samples, mc.seed, tuple(notes))

    x_min = pl.min_load_mw(sys_r) * 0.999 if isinstance(contract, FirmLoad) else 0.0

    def evaluate(x):
        if x == 0:
            return base_vals
        return mc.run(contract(sys_r, x), target.metric)

    crossing = find_crossing(evaluate, target.value, x_start=0.0, step_mw=step, x_min=x_min, x_max=x_max,
                             z=z, rel_tol=rel_tol, abs_tol_mw=abs_tol_mw, max_trials=max_trials)
    if crossing.status == "fails_at_min":
        notes.append("the target is not met even without new load" +
                     ("; firm contracts can search negative loads" if not isinstance(contract, FirmLoad) else ""))
    if crossing.status == "meets_at_max":
        notes.append(f"the target still holds at {x_max:g} MW (the largest load tried)")
    name = getattr(contract, "name", repr(contract))
    return HeadroomResult(crossing, target, name, names, base, mc.samples, mc.seed, tuple(notes))


__all__ = ["ConnectAndManageLoad", "HeadroomResult", "parse_contract", "reliability_headroom"]
