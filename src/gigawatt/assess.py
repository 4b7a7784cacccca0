"""One verb joins system, method and result specs: ``assess(system, method, *specs)``."""

from __future__ import annotations

import numpy as np

from gigawatt.datacenter.system import DataCenterSystem
from gigawatt.errors import InputError
from gigawatt.execution.run import SampleRun, simulate
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
    _check_system(system)
    specs = _check_specs(specs)
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


def _check_system(system) -> None:
    if not isinstance(system, (SystemModel, DataCenterSystem)):
        raise InputError(f"assess: expected a SystemModel or DataCenterSystem, got {type(system).__name__}")


def _check_specs(specs) -> tuple:
    specs = specs or (Shortfall(),)
    for s in specs:
        if not isinstance(s, ResultSpec):
            raise InputError(f"assess: {s!r} is not a result spec")
    return specs


class Assessment:
    """A sequential Monte Carlo assessment that grows: more samples extend it, never replace it.

    ``assess(system, method, *specs)`` runs ``method.samples`` samples at once; an
    ``Assessment`` runs them in steps (``extend``), as a study does that samples until its
    answer is clear. Sample ``i`` is always the random stream ``(method.seed, i)``, so the
    results after ``extend(8)`` then ``extend(16)`` are bit-identical to those of ``extend(16)``,
    and to ``assess`` with ``samples=16``. Chunks run where ``method.executor`` says (this
    process or Dask), are saved under ``method.checkpoint_dir`` when set (a rerun resumes), report
    ``method.progress`` and stop between chunks when ``method.cancel()`` is true.

    Parameters
    ----------
    system : SystemModel or DataCenterSystem
    method : SequentialMonteCarlo
        Its ``samples`` is ignored: :meth:`extend` says how many.
    dense : bool
        Record per-period flows, surplus and storage energy (for dense result specs).
    periods : {"all", "lolp"}
        What is kept by period: ``"all"`` (the default) the shortfall count and energy of every period, in
        total and by region; ``"lolp"`` the system's count only, for a study that reads no more by period
        (the ``period`` of ``Shortfall()``'s result then holds ``lolp`` and ``lolp_stderr``): the what-if page and the outlook.
        Every other result is the same bits either way.

    Examples
    --------
    >>> from gigawatt import SequentialMonteCarlo, Shortfall, systems
    >>> from gigawatt.assess import Assessment
    >>> a = Assessment(systems.ieee_rts79(), SequentialMonteCarlo(seed=1)).extend(20)
    >>> a.extend(40).samples
    40
    >>> a.results(Shortfall()).lole_d.mean >= 0
    True
    """

    def __init__(self, system, method: SequentialMonteCarlo, dense: bool = False, periods: str = "all"):
        _check_system(system)
        if not isinstance(method, SequentialMonteCarlo):
            raise InputError(f"Assessment: expected SequentialMonteCarlo, got {type(method).__name__}")
        self.system = system
        self.run = SampleRun(system, method, dense, periods)

    @property
    def samples(self) -> int:
        """Samples run so far."""
        return self.run.n

    @property
    def years_per_sample(self) -> float:
        """Years of 8760 h in one sample (the system's horizon) [yr]."""
        return self.system.timeaxis.years

    def extend(self, samples: int) -> "Assessment":
        """Run samples up to ``samples`` in all (none when already there); returns ``self``."""
        self.run.extend(samples)
        return self

    def accumulators(self):
        """The raw accumulators of every sample so far."""
        return self.run.accumulators()

    def lole_per_year(self, n: int | None = None):
        """Loss-of-load days per year of 8760 h of each of the first ``n`` samples (default all) [day/yr].

        Per year, not per sample: a sample of twelve weather years has twelve years. (Result specs report
        per sample, i.e. per horizon, as PRAS does: ``ShortfallResult.per_year`` turns them into per year.)
        """
        if not self.run.parts:
            raise ValueError("no sample has been run yet")
        # the days only: merging every accumulator at each batch of a verdict would be work thrown away
        v = np.concatenate([p.lold for p in self.run.parts]).astype(float) / self.years_per_sample
        return v if n is None else v[:n]

    def results(self, *specs: ResultSpec):
        """One result per spec over every sample so far (a single result for one spec)."""
        specs = _check_specs(specs)
        acc = self.accumulators()
        if any(s.dense for s in specs) and not self.run.dense:
            raise InputError("Assessment: a dense result spec needs Assessment(..., dense=True)")
        out = tuple(s.finalize(acc, self.system) for s in specs)
        return out[0] if len(out) == 1 else out


def assess_convolution(system: SystemModel, method: Convolution) -> ShortfallResult:
    """Exact shortfall metrics of ``system`` (one region, no storage) by convolution."""
    return Shortfall().finalize_exact(convolve(system, method), system)
