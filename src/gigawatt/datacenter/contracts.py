"""Interconnection contracts of large loads with the grid operator.

Each contract maps to five kernel parameters (see :mod:`gigawatt.datacenter.emergency`):
a tier (0 firm, 1 connect-and-manage, 2 voluntary), the deepest cut [fraction of the
site's draw], yearly curtailment hours, the longest event [h], and yearly curtailed
energy [MWh].

References
----------
.. [1] PJM Board decision on large-load additions, 16 Jan 2026 ("connect and manage":
   new large load without new generation is curtailed before pre-emergency demand response).
.. [2] PJM "non-capacity-backed load" proposal, Aug 2025; hyperscalers' offers of
   24-100 curtailment hours a year (sources.md F1).
.. [3] T. Norris et al., "Rethinking Load Growth", Duke Nicholas Institute NI R 25-01, 2025
   (curtailment as a share of annual energy: 0.25, 0.5, 1, 5 %).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from gigawatt.datacenter import _validate as v

TIER_FIRM, TIER_MANAGED, TIER_VOLUNTARY = 0, 1, 2
#: hard cap used for "no limit" in kernel arrays (finite, so that sums stay finite)
NO_LIMIT = 1e300


@dataclass(frozen=True)
class Firm:
    """Firm service: never curtailed (its on-site generation may still be directed).

    Parameters
    ----------
    directed_backup : bool
        The operator may direct the site onto its on-site generation before voltage
        reduction and load shed (PJM 2026, sources.md F1).
    """

    directed_backup: bool = True
    kind = "firm"

    def kernel_params(self, annual_energy_mwh: float) -> tuple:
        return (TIER_FIRM, 0.0, 0.0, 0.0, 0.0)


@dataclass(frozen=True)
class ConnectAndManage:
    """Curtailed first, as deep and as long as needed [1].

    Parameters
    ----------
    max_depth_frac : float
        Deepest cut [fraction of the site's draw]; 1 = the whole site.
    directed_backup : bool
    """

    max_depth_frac: float = 1.0
    directed_backup: bool = True
    kind = "connect_and_manage"

    def __post_init__(self):
        v.fraction("max_depth_frac", self.max_depth_frac)

    def kernel_params(self, annual_energy_mwh: float) -> tuple:
        return (TIER_MANAGED, self.max_depth_frac, NO_LIMIT, NO_LIMIT, NO_LIMIT)


@dataclass(frozen=True)
class CappedCurtailment:
    """Voluntary curtailment with limits per year and per event [2].

    Parameters
    ----------
    max_hours_per_year : float
        Hours with any curtailment per year [h]. Hyperscaler offers: 24-100 h (sources.md F1).
    max_event_h : float
        Longest continuous curtailment [h] (``inf``: none).
    max_depth_frac : float
        Deepest cut [fraction of the site's draw].
    directed_backup : bool
    """

    max_hours_per_year: float = 50.0
    max_event_h: float = 4.0
    max_depth_frac: float = 0.25  # source: sources.md F4, Phoenix demo cut 25 % for 3 h
    directed_backup: bool = True
    kind = "capped"

    def __post_init__(self):
        v.non_negative("max_hours_per_year", self.max_hours_per_year, allow_inf=True)
        v.positive("max_event_h", self.max_event_h, allow_inf=True)
        v.fraction("max_depth_frac", self.max_depth_frac)

    def kernel_params(self, annual_energy_mwh: float) -> tuple:
        return (TIER_VOLUNTARY, self.max_depth_frac, _lim(self.max_hours_per_year), _lim(self.max_event_h),
                NO_LIMIT)


@dataclass(frozen=True)
class EnergyBudget:
    """Curtailment limited to a share of the site's annual energy [3].

    Parameters
    ----------
    max_energy_frac : float
        Curtailed energy per year over the site's annual energy [fraction]
        (Duke study levels 0.0025, 0.005, 0.01, 0.05).
    max_depth_frac : float
    directed_backup : bool
    """

    max_energy_frac: float = 0.005  # source: sources.md F3, Duke 0.5 % level
    max_depth_frac: float = 1.0
    directed_backup: bool = True
    kind = "energy_budget"

    def __post_init__(self):
        v.fraction("max_energy_frac", self.max_energy_frac)
        v.fraction("max_depth_frac", self.max_depth_frac)

    def kernel_params(self, annual_energy_mwh: float) -> tuple:
        return (TIER_VOLUNTARY, self.max_depth_frac, NO_LIMIT, NO_LIMIT, self.max_energy_frac * annual_energy_mwh)


def _lim(x: float) -> float:
    return NO_LIMIT if math.isinf(x) else float(x)


CONTRACTS = {c.kind: c for c in (Firm, ConnectAndManage, CappedCurtailment, EnergyBudget)}
