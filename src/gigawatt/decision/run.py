"""The outlook as a decision: every study year under every policy (:func:`run_decision`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from gigawatt.decision.cell import assess_cell
from gigawatt.decision.decompose import DECOMPOSITION_YEARS
from gigawatt.decision.method import DecisionMethod
from gigawatt.decision.verdict import STANDARD_LOLE_D
from gigawatt.outlook import POLICY_KINDS, OutlookAssumptions


@dataclass(frozen=True)
class Decision:
    """The outlook as a decision: per year and policy, the cell results; helpers for the report."""

    cells: dict  # (year, policy) -> CellResult
    years: tuple
    policies: tuple
    method: DecisionMethod

    @property
    def results(self) -> list:
        """The :class:`~gigawatt.outlook.YearResult` of every cell, by policy then year."""
        return [self.cells[(y, p)].result for p in self.policies for y in self.years]

    def first_year_failing(self, policy: str):
        """The first study year whose verdict is "fails" (None if none)."""
        for y in self.years:
            if self.cells[(y, policy)].verdict.status == "fails":
                return y
        return None

    def gap_closed_mw(self, policy: str, year: int) -> float | None:
        """MW of the firm policy's gap that ``policy`` closes in ``year`` (None without a firm gap)."""
        base = self.policies[0]
        g0 = self.cells[(year, base)].gap
        g1 = self.cells[(year, policy)].gap
        if g0.x_mw <= 0 or g0.status.startswith("beyond") or g1.status.startswith("beyond"):
            return None  # no gap to close, or one of the two only a lower bound
        return g0.x_mw - g1.x_mw

    def to_dict(self) -> dict:
        """JSON-ready: ``gap_mw`` per year (the first policy's, normally firm), ``verdict``,
        ``headroom_mw`` and ``gap_closed_mw`` per policy and year, ``first_year_failing``."""
        base = self.policies[0]
        return {
            "standard_lole_d": STANDARD_LOLE_D,
            "gap_policy": base,
            "gap_mw": {str(y): self.cells[(y, base)].gap.to_dict() for y in self.years},
            "gap_by_policy_mw": {p: {str(y): self.cells[(y, p)].gap.to_dict() for y in self.years}
                                 for p in self.policies},
            "gap_closed_mw": {p: {str(y): _r(self.gap_closed_mw(p, y)) for y in self.years} for p in self.policies},
            "verdict": {p: {str(y): self.cells[(y, p)].verdict.to_dict() for y in self.years} for p in self.policies},
            "headroom_mw": {p: {str(y): self.cells[(y, p)].headroom.to_dict() for y in self.years}
                            for p in self.policies},
            "first_year_failing": {p: self.first_year_failing(p) for p in self.policies},
            "method": self.method.to_dict(),
        }


def _r(x):
    return None if x is None else round(float(x), 1)


def _guess(cells: dict, before: tuple, year: int, policy: str, base: str) -> float | None:
    """A first trial for the gap of (``year``, ``policy``): its gap the year before plus the growth of the
    base policy's gap (this year's, when known, else the last step's); None without a gap the year before."""
    if not before or cells[(before[-1], policy)].gap.x_mw <= 0:
        return None
    prev = cells[(before[-1], policy)].gap.x_mw
    g1 = cells[(before[-1], base)].gap.x_mw
    if (year, base) in cells and policy != base:
        step = cells[(year, base)].gap.x_mw - g1
    elif len(before) >= 2 and cells[(before[-2], base)].gap.x_mw > 0:
        step = (g1 - cells[(before[-2], base)].gap.x_mw) / (before[-1] - before[-2])
    else:
        return None
    guess = prev + step * (year - before[-1]) if policy == base else prev + step
    return guess if guess > 0 else None


def _own_guess(cells: dict, before: tuple, policy: str, year: int, base: str) -> dict | None:
    """Zone -> a first trial of its own need [MW]: the base policy's of this year when known, else this
    policy's the year before (None without one)."""
    if (year, base) in cells:
        z = cells[(year, base)].zonal
    elif before:
        z = cells[(before[-1], policy)].zonal
    else:
        return None
    if z is None:
        return None
    return {zn: nd.capacity.x_mw for zn, nd in z.needs.items() if nd.capacity.x_mw > 0} or None


def decomposed_years(years, chosen=DECOMPOSITION_YEARS) -> tuple:
    """The study years whose gap is decomposed: those of ``years`` in ``chosen``, else the last of ``years``."""
    return tuple(y for y in years if y in chosen) or tuple(years[-1:])


def run_decision(outlook: OutlookAssumptions, method: DecisionMethod = DecisionMethod(), policies=None,
                 progress: Callable | None = None, search: bool = True,
                 decomposition_years=DECOMPOSITION_YEARS) -> Decision:
    """Every study year under every policy: verdicts, gaps, headroom and the detail.

    ``progress(done, total, label)`` is called after each (year, policy). The gap policy's gap is
    decomposed from PJM's capacity arithmetic, one modelling element a step, in the study years among
    ``decomposition_years`` (else the last study year; :func:`decomposed_years`).
    """
    names = outlook.policy.resolve(POLICY_KINDS if policies is None else policies)
    decompose = decomposed_years(outlook.years, tuple(decomposition_years))
    cells = {}
    total = len(outlook.years) * len(names)
    for i, y in enumerate(outlook.years):
        grid = outlook.grid(y)  # one grid per year, shared by the policies (common random numbers)
        for p in names:
            cells[(y, p)] = assess_cell(outlook, y, p, method, grid=grid, search=search,
                                        guess_mw=_guess(cells, outlook.years[:i], y, p, names[0]),
                                        zonal_detail=p == names[0], decompose=y in decompose,
                                        own_guess_mw=_own_guess(cells, outlook.years[:i], p, y, names[0]))
            if progress is not None:
                progress(len(cells), total, f"{p} {y}")
    return Decision(cells, tuple(outlook.years), tuple(names), method)


