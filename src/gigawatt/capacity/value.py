"""Capacity value of a resource: ELCC and equivalent firm capacity (EFC).

Both compare two systems at equal reliability, sample by sample with the same seed:

* **ELCC** (effective load carrying capability): the constant load [MW] the system can
  add *with* the resource and be as reliable as it was without it; the search runs on
  the paired difference ``m(resource + system + x) - m(system)`` with target 0
  (Garver, "Effective load carrying capability of generating units", IEEE Trans. PAS-85(8),
  1966).
* **EFC** (equivalent firm capacity): the size [MW] of a perfectly reliable generator
  giving the same reliability as the resource; the search runs on
  ``m(system + resource) - m(system + perfect generator x)`` with target 0
  (Zachary and Dent, "Probability theory of capacity value of additional generation",
  Proc. IMechE Part O 226(1), 2012).

Capacity value depends on how reliable the system is, so by default both are measured
at the reliability standard: the base system is first loaded to its firm headroom at the
target (the estimate of :func:`~gigawatt.capacity.load_headroom.reliability_headroom`),
where the standard's events are frequent enough to be estimated.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gigawatt.capacity.builders import FirmLoad, PerfectGenerator, Placement
from gigawatt.capacity.load_headroom import reliability_headroom
from gigawatt.capacity.search import Crossing, find_crossing
from gigawatt.capacity.targets import MonteCarlo, Target
from gigawatt.errors import InputError
from gigawatt.stats import Estimate
from gigawatt.system import SystemModel


@dataclass(frozen=True)
class CapacityValue:
    """ELCC and EFC of one resource [MW], each a Monte Carlo interval.

    Attributes
    ----------
    resource : str
    metric : str
    base_load_mw : float
        Load added to the system before measuring [MW] (its firm headroom at the target
        unless given).
    base, with_resource : Estimate
        The metric of the base system without and with the resource.
    elcc, efc : Crossing or None
    """

    resource: str
    metric: str
    base_load_mw: float
    base: Estimate
    with_resource: Estimate
    elcc: Crossing | None
    efc: Crossing | None
    samples: int
    seed: int

    def to_dict(self) -> dict:
        def cross(c):
            if c is None:
                return None
            return {**c.to_dict(), "trials": c.n_trials,
                    "achieved": {"low": c.achieved_low.to_dict() if c.achieved_low else None,
                                 "high": c.achieved_high.to_dict() if c.achieved_high else None}}

        return {"resource": self.resource, "metric": self.metric, "base_load_mw": self.base_load_mw,
                "base": self.base.to_dict(), "with_resource": self.with_resource.to_dict(),
                "elcc_mw": cross(self.elcc), "efc_mw": cross(self.efc), "samples": self.samples, "seed": self.seed}


def capacity_value(
    system: SystemModel,
    resource,
    *,
    target: Target | str = Target(),
    base_load_mw: float | None = None,
    placement: Placement = Placement(),
    mc: MonteCarlo = MonteCarlo(),
    which: tuple = ("elcc", "efc"),
    z: float = 2.0,
    rel_tol: float = 0.1,
    abs_tol_mw: float = 1.0,
    max_trials: int = 30,
) -> CapacityValue:
    """ELCC and EFC of ``resource`` [MW] in ``system``.

    Parameters
    ----------
    system : SystemModel
    resource : resource builder
        ``(system) -> SystemModel``, e.g. :class:`~gigawatt.capacity.builders.Battery`.
    target : Target or str
        Its metric is the reliability compared; its value sets the base load when
        ``base_load_mw`` is None.
    base_load_mw : float, optional
        Firm load added before measuring [MW]; default: the firm headroom estimate at ``target``.
    placement : Placement
        Where the ELCC load goes and where the EFC yardstick generator sits (its
        largest-share region).
    mc : MonteCarlo
        Samples and seed, shared by every trial.
    which : tuple
        ``"elcc"`` and/or ``"efc"``.
    z, rel_tol, abs_tol_mw, max_trials
        See :func:`~gigawatt.capacity.search.find_crossing`.
    """
    if isinstance(target, str):
        target = Target.parse(target)
    bad = set(which) - {"elcc", "efc"}
    if bad or not which:
        raise InputError(f"capacity value: 'which' must name elcc and/or efc, got {which!r}")
    if base_load_mw is None:
        hr = reliability_headroom(system, target, contract=FirmLoad(placement), mc=mc, z=z, rel_tol=rel_tol,
                                  abs_tol_mw=abs_tol_mw)
        base_load_mw = float(hr.crossing.estimate_mw)
    firm = FirmLoad(placement)
    s0 = firm(system, base_load_mw)
    s1 = resource(s0)
    m0 = mc.run(s0, target.metric)
    m1 = mc.run(s1, target.metric)
    peak = float(system.regions.load_mw.sum(axis=0).max())
    step = max(0.02 * peak, 10 * abs_tol_mw)
    kw = dict(z=z, rel_tol=rel_tol, abs_tol_mw=abs_tol_mw, max_trials=max_trials, step_mw=step)
    elcc = efc = None
    if "elcc" in which:
        elcc = find_crossing(lambda x: (m1 if x == 0 else mc.run(firm(s1, x), target.metric)) - m0, 0.0,
                             x_start=0.0, x_min=0.0, x_max=3 * peak, **kw)
    if "efc" in which:
        region = system.regions.names[int(np.argmax(placement.shares(system)))]
        efc = find_crossing(lambda x: m1 - (m0 if x == 0 else mc.run(PerfectGenerator(x, region)(s0), target.metric)),
                            0.0, x_start=0.0, x_min=0.0, x_max=3 * peak, **kw)
    return CapacityValue(getattr(resource, "name", repr(resource)), target.metric, float(base_load_mw),
                         Estimate.of(m0), Estimate.of(m1), elcc, efc, mc.samples, mc.seed)
