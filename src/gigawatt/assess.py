"""One verb joins system, method and result specs: ``assess(system, method, *specs)``."""

from __future__ import annotations

from gigawatt.datacenter.system import DataCenterSystem
from gigawatt.errors import InputError
from gigawatt.execution.run import simulate
from gigawatt.methods.convolution import Convolution, convolve
from gigawatt.methods.sequential import SequentialMonteCarlo
from gigawatt.results.specs import ResultSpec, Shortfall, ShortfallResult
from gigawatt.system import SystemModel


def assess(system, method, *specs: ResultSpec):
    """Assess ``system`` with ``method`` and return one result per spec.

    Parameters
    ----------
    system : SystemModel or DataCenterSystem
        A :class:`~gigawatt.datacenter.system.DataCenterSystem` adds data-center sites,
        demand response and the emergency order (sequential Monte Carlo only); the
        standard specs then report the residents' side (firm load shed) and
        :class:`~gigawatt.results.datacenter.DataCenters` both sides.
    method : SequentialMonteCarlo or Convolution
    *specs : ResultSpec
        What to report (default: :class:`~gigawatt.results.specs.Shortfall`).

    Returns
    -------
    A single result when one spec is given, else a tuple in the order of ``specs``.

    Examples
    --------
    >>> from gigawatt import assess, SequentialMonteCarlo, Shortfall, systems
    >>> res = assess(systems.ieee_rts79(), SequentialMonteCarlo(samples=100, seed=1), Shortfall())
    >>> round(res.lolh_h.mean) > 0
    True
    """
    if not isinstance(system, (SystemModel, DataCenterSystem)):
        raise InputError(f"assess: expected a SystemModel or DataCenterSystem, got {type(system).__name__}")
    specs = specs or (Shortfall(),)
    for s in specs:
        if not isinstance(s, ResultSpec):
            raise InputError(f"assess: {s!r} is not a result spec")
    if isinstance(method, Convolution):
        if isinstance(system, DataCenterSystem):
            raise InputError("Convolution cannot assess data centers (the emergency order is chronological); "
                             "use SequentialMonteCarlo")
        if any(not isinstance(s, Shortfall) for s in specs):
            raise InputError("Convolution reports Shortfall only")
        res = assess_convolution(system, method)
        out = tuple(res for _ in specs)
    elif isinstance(method, SequentialMonteCarlo):
        acc = simulate(system, method, dense=any(s.dense for s in specs))
        out = tuple(s.finalize(acc, system) for s in specs)
    else:
        raise InputError(f"assess: unknown method {type(method).__name__}")
    return out[0] if len(out) == 1 else out


def assess_convolution(system: SystemModel, method: Convolution) -> ShortfallResult:
    """Exact shortfall metrics of ``system`` (one region, no storage) by convolution."""
    return Shortfall().finalize_exact(convolve(system, method), system)
