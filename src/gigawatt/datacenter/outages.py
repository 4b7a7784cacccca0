"""Rotating outages: who loses power when firm load is shed, and for how long.

Firm load is split into ``n_blocks`` equal rotatable blocks (feeders) plus a share of
critical load (hospitals, water, gas compression...) that is never rotated. Customers
are spread evenly over the firm load, so a block carries ``(1 - critical_frac) L[t] /
n_blocks`` MW and the same number of customers in every period.

In a period with shed ``S`` MW the operator must keep ``k = S / block_mw`` blocks off on
average. While ``k`` is at most ``max_rotation_frac`` of the blocks, blocks take turns
of ``rotation_h`` hours in a fixed cycle (a turn spans period boundaries; the cycle
continues where it stopped). Beyond that share, rotation collapses (too few blocks left
on to rotate into; cold-load pickup): the same blocks stay off for the whole period and
across periods while the collapse lasts (ERCOT, February 2021, sources.md F1). Shed beyond
all rotatable blocks would reach critical load; it is reported as ``unallocated_mwh``.

Counts: people from load via ``people_per_mw`` (people per MW of the region's peak firm
load), customers from people via ``customers_per_person``.

References
----------
.. [1] PJM, 2025 load forecast and system facts: ~67 million people; 2025 peak
   160,153 MW (sources.md F1).
.. [2] US Census Bureau, 2020 Census: average household size 2.51 people (one
   residential customer per household).
.. [3] FERC, NERC, "The February 2021 Cold Weather Outages in Texas and the South
   Central United States", 2021 (20,000 MW shed, > 4.5 million people without power).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gigawatt.datacenter import _validate as v
from gigawatt.errors import InputError

# source: sources.md F1, PJM ~67 million people, 2025 peak 160,153 MW -> 418.3 people per MW of peak
PJM_PEOPLE_PER_MW = 67e6 / 160_153.0
# source: US Census 2020 average household size 2.51 [2] ([S128]) -> residential customers per person [est]
CUSTOMERS_PER_PERSON = 1.0 / 2.51


@dataclass(frozen=True)
class RotationPolicy:
    """How firm load is rotated and how it maps to people.

    Parameters
    ----------
    n_blocks : int
        Rotatable blocks [-]. Default 100 [est].
    rotation_h : float
        Length of one block's turn off [h]. Default 0.5 h (15-45 min turns, [est]).
    critical_frac : float
        Share of firm load never rotated [fraction]. Default 0.2 [est].
    max_rotation_frac : float
        Largest share of rotatable blocks off at once with rotation still working
        [fraction]; above it rotation collapses into sustained outages. Default 0.5 [est].
    people_per_mw : float
        People per MW of peak firm load [1/MW]. Default PJM, 418.3.
    customers_per_person : float
        Customers per person [-]. Default 1/2.51.
    """

    n_blocks: int = 100
    rotation_h: float = 0.5
    critical_frac: float = 0.2
    max_rotation_frac: float = 0.5
    people_per_mw: float = PJM_PEOPLE_PER_MW
    customers_per_person: float = CUSTOMERS_PER_PERSON

    def __post_init__(self):
        object.__setattr__(self, "n_blocks", v.whole("n_blocks", self.n_blocks, lo=1))
        v.positive("rotation_h", self.rotation_h)
        v.fraction("critical_frac", self.critical_frac, hi=1.0)
        if self.critical_frac >= 1.0:
            raise InputError(f"critical_frac: expected a value in [0, 1), got {self.critical_frac!r}")
        v.fraction("max_rotation_frac", self.max_rotation_frac, open_lo=True)
        v.non_negative("people_per_mw", self.people_per_mw)
        v.non_negative("customers_per_person", self.customers_per_person)


@dataclass(frozen=True)
class OutageImpact:
    """People and customers reached by the shed of one sample.

    Attributes
    ----------
    people_interrupted, customers_interrupted : distinct people / customers with any outage [-]
    customer_hours : customer-hours without power [customer-h]
    hours_per_block : hours without power of each rotatable block [h] (n_blocks,); each
        block holds ``customers_per_block`` customers
    customers_per_block : [-]
    longest_outage_h : longest continuous outage of a block [h]
    collapsed_h : hours in which rotation had collapsed into sustained outages [h]
    shed_mwh : firm load shed [MWh]; unallocated_mwh : the part beyond all rotatable blocks [MWh]
    """

    people_interrupted: float
    customers_interrupted: float
    customer_hours: float
    hours_per_block: np.ndarray
    customers_per_block: float
    longest_outage_h: float
    collapsed_h: float
    shed_mwh: float
    unallocated_mwh: float

    def hours_quantiles(self, q=(0.5, 0.9, 1.0)) -> np.ndarray:
        """Quantiles of hours without power over affected customers [h]."""
        h = self.hours_per_block[self.hours_per_block > 0]
        return np.quantile(h, q) if h.size else np.zeros(len(q))

    @property
    def mean_hours_per_affected_customer(self) -> float:
        h = self.hours_per_block[self.hours_per_block > 0]
        return float(h.mean()) if h.size else 0.0


def rotating_outages(shed_mw, firm_load_mw, dt_h: float, peak_firm_load_mw: float,
                     policy: RotationPolicy = RotationPolicy()) -> OutageImpact:
    """People, customers and hours without power from one sample's shed series.

    Parameters
    ----------
    shed_mw : array (T,)
        Firm load shed per period [MW].
    firm_load_mw : float or array (T,)
        Firm load per period [MW].
    dt_h : float
        Period length [h].
    peak_firm_load_mw : float
        Peak firm load of the region [MW] (sets the number of people).
    policy : RotationPolicy
    """
    shed = np.asarray(shed_mw, dtype=float)
    if shed.ndim != 1 or (shed < 0).any():
        raise InputError("shed_mw: expected a 1-D array of values >= 0")
    load = np.broadcast_to(np.asarray(firm_load_mw, dtype=float), shed.shape)
    v.positive("dt_h", dt_h)
    v.positive("peak_firm_load_mw", peak_firm_load_mw)
    B = policy.n_blocks
    people = policy.people_per_mw * peak_firm_load_mw
    cust_block = people * policy.customers_per_person * (1 - policy.critical_frac) / B
    hours = np.zeros(B)
    run = np.zeros(B)
    longest = 0.0
    ptr = 0  # next block in the rotation cycle
    turn_left = policy.rotation_h  # hours left in the current block's turn
    collapsed_h = 0.0
    unalloc = 0.0
    sustained_from = -1  # first block of the held-off set during a collapse
    prev_full = np.zeros(B, dtype=bool)
    # a period without shed that follows one without shed changes nothing: visit only the others
    has = shed > 1e-9
    active = np.flatnonzero(has | np.r_[False, has[:-1]])
    for t in active:
        s = shed[t]
        off = np.zeros(B)
        if s > 1e-9:
            block_mw = (1 - policy.critical_frac) * load[t] / B
            k = s / block_mw if block_mw > 0 else np.inf
            if k > B:
                unalloc += (s - B * block_mw) * dt_h
                k = float(B)
            if k <= policy.max_rotation_frac * B:
                sustained_from = -1
                need = k * dt_h  # block-hours off in this period, in turns along the cycle
                while need > 1e-12:
                    take = min(need, turn_left)
                    off[ptr] += take
                    need -= take
                    turn_left -= take
                    if turn_left <= 1e-12:
                        ptr = (ptr + 1) % B
                        turn_left = policy.rotation_h
            else:
                collapsed_h += dt_h
                if sustained_from < 0:
                    sustained_from = ptr
                whole = int(np.floor(k + 1e-12))
                for j in range(whole):
                    off[(sustained_from + j) % B] = dt_h
                if k - whole > 1e-12:
                    off[(sustained_from + whole) % B] += (k - whole) * dt_h
        else:
            sustained_from = -1
        # continuous outage: runs extend across periods only through whole periods off
        run = np.where(off > 0, np.where(prev_full, run + off, off), 0.0)
        longest = max(longest, float(run.max()))
        prev_full = off >= dt_h - 1e-9
        hours += off
    affected = float((hours > 0).sum()) * cust_block
    return OutageImpact(
        people_interrupted=affected / policy.customers_per_person if policy.customers_per_person else 0.0,
        customers_interrupted=affected,
        customer_hours=float(hours.sum() * cust_block),
        hours_per_block=hours,
        customers_per_block=cust_block,
        longest_outage_h=longest,
        collapsed_h=collapsed_h,
        shed_mwh=float(shed.sum() * dt_h),
        unallocated_mwh=unalloc,
    )
