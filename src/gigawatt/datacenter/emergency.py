"""The operator's emergency order, per period (numba kernels for the sequential Monte Carlo).

After the network dispatch of a period has left a shortfall in a region, the operator
takes emergency actions in a configurable order (PJM Manual 13-like by default, sources.md
F1): site batteries, curtailment of large loads under their contracts (connect-and-manage
first, then voluntary), demand response, directed on-site generation, emergency imports,
voltage reduction, and finally manual load dump (rotating outages of firm load). Each
step takes what it can, within its limits, from what is still short in the region; the
load shed is what is left, so the allocation closes the energy balance exactly::

    shortfall[r] = battery + curtail + dr + backup_gen + imports + voltage + shed   (region r)

A site never draws less than zero from the grid: its battery, curtailment and on-site
generation together are at most its load in the period (no export).

The kernels are compiled with ``_nrt=False``: they allocate nothing; every array is
allocated by the caller (once per block of samples) and passed in. Column layouts of the
2-D arrays are the module constants below; the engine should use the names, not numbers.

Step codes (``order`` array, int64): :data:`STEP_BATTERY`, :data:`STEP_CURTAIL_MANAGED`,
:data:`STEP_CURTAIL_VOLUNTARY`, :data:`STEP_DR`, :data:`STEP_BACKUP_GEN`, :data:`STEP_IMPORTS`,
:data:`STEP_VOLTAGE`. Load shed is always last and is not listed.

Limits and events
-----------------
* Curtailment of a site is an *event* while it is curtailed in consecutive periods; a
  period of length ``dt_h`` counts ``dt_h`` hours against the yearly limit and the event
  limit whenever the site is curtailed by any amount in it. A period is used only if it
  fits entirely within both limits. After an event reaches its longest duration, the site
  cannot be curtailed in the next period (the event must end).
* Demand-response programs follow the same rule with their own limits, and a program may
  also start at most ``DP_MAX_EVENTS`` events in a limit year. A program gives at most its
  ``DP_MW`` times ``1 - DS_UNAVAIL`` in a period; the caller sets ``DS_UNAVAIL`` per period
  (an availability window), 0 after :func:`reset_sample`. A period in which a program gives
  nothing is not part of an event.
* On-site generation not running in the previous period starts in this one and yields
  ``max(0, 1 - start_h / dt_h)`` of its available capacity in it.
* "Consecutive" is judged by period index ``t`` (the last period used is stored), so the
  engine may skip quiet periods without calling anything.
* Yearly limits (curtailment hours and energy, DR hours, on-site generation hours and
  energy) count within a *limit year* of ``SP_YEAR_PERIODS`` (``DP_YEAR_PERIODS``)
  periods: period ``t`` is in limit year ``t // periods`` and the counters start again
  at zero in each limit year (0 periods: the whole sample is one limit year). A horizon
  of several weather years back to back thus gets each year's limits in each year. An
  event running over a year boundary keeps its length for the event limit. The
  ``SS_CURT_H``, ``SS_CURT_MWH``, ``SS_GEN_H``, ``SS_GEN_MWH`` and ``DS_H`` counters keep
  the totals over the sample.
"""

from __future__ import annotations

import numpy as np
from numba import njit

# ---- step codes
STEP_BATTERY = 0
STEP_CURTAIL_MANAGED = 1
STEP_CURTAIL_VOLUNTARY = 2
STEP_DR = 3
STEP_BACKUP_GEN = 4
STEP_IMPORTS = 5
STEP_VOLTAGE = 6
STEP_NAMES = ("battery", "curtail_managed", "curtail_voluntary", "demand_response", "backup_generation",
              "emergency_imports", "voltage_reduction")
#: PJM-like default order (sources.md F1: connect-and-manage load before pre-emergency DR;
#: large loads directed to backup generation before voltage reduction and load dump)
DEFAULT_ORDER = np.array([0, 1, 2, 3, 4, 5, 6], dtype=np.int64)

# ---- site parameters: site_par (N, NSP)
SP_TIER = 0  # 0 firm, 1 connect-and-manage, 2 voluntary (capped / energy budget)
SP_DEPTH = 1  # deepest curtailment [fraction of site load]
SP_MAX_H = 2  # curtailment hours per limit year [h]
SP_MAX_EVENT_H = 3  # longest curtailment event [h]
SP_MAX_MWH = 4  # curtailed energy per limit year [MWh]
SP_BAT_P = 5  # battery power [MW]
SP_BAT_E = 6  # battery energy [MWh]
SP_BAT_ETA = 7  # one-way efficiency [fraction]
SP_BAT_RESERVE = 8  # ride-through reserve [MWh]
SP_BAT_SOC0 = 9  # stored energy at the start of a sample [MWh]
SP_GEN_START_H = 10  # on-site generation start time [h]
SP_GEN_MAX_H = 11  # on-site generation run hours per limit year [h]
SP_GEN_MAX_MWH = 12  # on-site generation energy per limit year [MWh]
SP_GEN_DIRECTED = 13  # 1 if the operator may direct the site onto its generation
SP_YEAR_PERIODS = 14  # periods per limit year (0: the whole sample)
NSP = 15
# ---- site state: site_state (N, NSS), reset by reset_sample
SS_SOC = 0  # stored energy [MWh]
SS_CURT_H = 1  # curtailment hours used over the sample [h]
SS_CURT_MWH = 2  # curtailed energy over the sample [MWh]
SS_EVENT_H = 3  # length of the current (or last) curtailment event [h]
SS_LAST_CURT_T = 4  # last period curtailed (-2: none)
SS_EVENTS = 5  # curtailment events so far [-]
SS_GEN_H = 6  # on-site generation run hours over the sample [h]
SS_GEN_MWH = 7  # on-site generation energy over the sample [MWh]
SS_LAST_GEN_T = 8  # last period on-site generation ran (-2: none)
SS_BAT_MWH = 9  # energy discharged for the grid [MWh] (battery cycles = this / energy)
SS_YEAR = 10  # limit year of the counters below [-]
SS_YEAR_CURT_H = 11  # curtailment hours used in the limit year [h]
SS_YEAR_CURT_MWH = 12  # curtailed energy in the limit year [MWh]
SS_YEAR_GEN_H = 13  # on-site generation run hours in the limit year [h]
SS_YEAR_GEN_MWH = 14  # on-site generation energy in the limit year [MWh]
NSS = 15
# ---- site outputs of one period: site_out (N, NSO) [MW]
SO_BAT = 0
SO_CURT = 1
SO_GEN = 2
SO_CHARGE = 3  # battery charging (recharge_batteries)
NSO = 4
# ---- demand response: dr_par (P, NDP), dr_state (P, NDS), dr_out (P,)
DP_MW = 0
DP_MAX_H = 1
DP_MAX_EVENT_H = 2
DP_YEAR_PERIODS = 3  # periods per limit year (0: the whole sample)
DP_MAX_EVENTS = 4  # events per limit year [-]
NDP = 5
DS_H = 0  # hours used over the sample [h]
DS_EVENT_H = 1
DS_LAST_T = 2
DS_EVENTS = 3
DS_YEAR = 4  # limit year of DS_YEAR_H [-]
DS_YEAR_H = 5  # hours used in the limit year [h]
DS_YEAR_EVENTS = 6  # events started in the limit year [-]
DS_UNAVAIL = 7  # share of the program unavailable this period [fraction], set by the caller (0: all of it)
NDS = 8
# ---- regions: region_par (R, NRP), region_out (R, NRO) [MW]
RP_IMPORT_MW = 0  # emergency imports available [MW]
RP_VR_FRAC = 1  # voltage reduction [fraction of firm load]
RP_YEAR_PERIODS = 2  # periods per year for residents' counts (0: the whole sample)
NRP = 3
RO_BAT = 0
RO_CURT = 1
RO_DR = 2
RO_GEN = 3
RO_IMPORT = 4
RO_VR = 5
RO_SHED = 6
NRO = 7

EPS_MW = 1e-9
_EPS_H = 1e-9


@njit(_nrt=False, cache=True, inline="always")
def _fits(used_h, event_h, dt_h, max_h, max_event_h):
    return used_h + dt_h <= max_h + _EPS_H and event_h + dt_h <= max_event_h + _EPS_H


@njit(_nrt=False, cache=True, inline="always")
def limit_year(t, periods):
    """Limit year of period ``t`` for ``periods`` periods a year (0: always year 0)."""
    n = int(periods)
    return float(t // n) if n > 0 else 0.0


@njit(_nrt=False, cache=True, inline="always")
def limit_year_near(t, periods, known):
    """:func:`limit_year`, ``known`` when ``t`` is in limit year ``known`` (without an integer division)."""
    n = int(periods)
    if n > 0:
        lo = int(known) * n
        if lo <= t and t < lo + n:
            return known
    return limit_year(t, periods)


@njit(_nrt=False, cache=True, inline="always")
def _start_limit_years(t, site_par, site_state, dr_par, dr_state):
    """Zero the yearly counters of every site and DR program whose limit year changed at ``t``."""
    for i in range(site_par.shape[0]):
        y = limit_year_near(t, site_par[i, SP_YEAR_PERIODS], site_state[i, SS_YEAR])
        if y != site_state[i, SS_YEAR]:
            site_state[i, SS_YEAR] = y
            site_state[i, SS_YEAR_CURT_H] = 0.0
            site_state[i, SS_YEAR_CURT_MWH] = 0.0
            site_state[i, SS_YEAR_GEN_H] = 0.0
            site_state[i, SS_YEAR_GEN_MWH] = 0.0
    for p in range(dr_par.shape[0]):
        y = limit_year_near(t, dr_par[p, DP_YEAR_PERIODS], dr_state[p, DS_YEAR])
        if y != dr_state[p, DS_YEAR]:
            dr_state[p, DS_YEAR] = y
            dr_state[p, DS_YEAR_H] = 0.0
            dr_state[p, DS_YEAR_EVENTS] = 0.0


@njit(_nrt=False, cache=True, inline="always")
def _site_draw(i, site_load_mw, site_out):
    d = site_load_mw[i] - site_out[i, SO_BAT] - site_out[i, SO_CURT] - site_out[i, SO_GEN]
    return d if d > 0.0 else 0.0


@njit(_nrt=False, cache=True, inline="always")
def _run_steps(t, dt_h, order, firm_load_mw, site_load_mw, gen_avail_mw, site_region, site_par, site_state,
               dr_region, dr_par, dr_state, region_par, site_out, dr_out, region_out, relief, write):
    """The steps of ``order`` on the shortfall left in ``region_out[:, RO_SHED]``, each region's relief after
    each of the first ``K'`` steps into ``relief`` (K', R) (the sum of ``region_out``'s columns but the shed,
    in column order).

    ``write``: the order as it runs (:func:`apply_order_by_step`): the sites' and programs' state is updated
    and ``dr_out`` written; the limit years have been started (:func:`_start_limit_years`). Else the state is
    only read (:func:`relief_by_step`): each step reads only the state it would write and appears once in an
    order, so the state it reads is the state as it is, and a limit year that starts at ``t`` reads its
    yearly counters as zero, as :func:`_start_limit_years` would have set them.
    """
    R = region_out.shape[0]
    N = site_par.shape[0]
    P = dr_par.shape[0]
    for k in range(order.shape[0]):
        step = order[k]
        if step == STEP_BATTERY:
            for i in range(N):
                r = site_region[i]
                need = region_out[r, RO_SHED]
                if need <= EPS_MW or site_par[i, SP_BAT_P] <= 0.0:
                    continue
                usable = (site_state[i, SS_SOC] - site_par[i, SP_BAT_RESERVE]) * site_par[i, SP_BAT_ETA] / dt_h
                a = min(need, site_par[i, SP_BAT_P], usable, _site_draw(i, site_load_mw, site_out))
                if a > EPS_MW:
                    site_out[i, SO_BAT] = a
                    if write:
                        site_state[i, SS_SOC] -= a * dt_h / site_par[i, SP_BAT_ETA]
                        site_state[i, SS_BAT_MWH] += a * dt_h
                    region_out[r, RO_BAT] += a
                    region_out[r, RO_SHED] = need - a
        elif step == STEP_CURTAIL_MANAGED or step == STEP_CURTAIL_VOLUNTARY:
            tier = 1 if step == STEP_CURTAIL_MANAGED else 2
            for i in range(N):
                r = site_region[i]
                need = region_out[r, RO_SHED]
                if need <= EPS_MW or int(site_par[i, SP_TIER]) != tier:
                    continue
                new_year = not write and _new_year(t, site_par[i, SP_YEAR_PERIODS], site_state[i, SS_YEAR])
                year_h = 0.0 if new_year else site_state[i, SS_YEAR_CURT_H]
                year_mwh = 0.0 if new_year else site_state[i, SS_YEAR_CURT_MWH]
                cont = site_state[i, SS_LAST_CURT_T] == t - 1
                ev = site_state[i, SS_EVENT_H] if cont else 0.0
                if not _fits(year_h, ev, dt_h, site_par[i, SP_MAX_H], site_par[i, SP_MAX_EVENT_H]):
                    continue
                e_left = (site_par[i, SP_MAX_MWH] - year_mwh) / dt_h
                a = min(need, site_par[i, SP_DEPTH] * site_load_mw[i], e_left, _site_draw(i, site_load_mw, site_out))
                if a > EPS_MW:
                    site_out[i, SO_CURT] = a
                    if write:
                        site_state[i, SS_CURT_H] += dt_h
                        site_state[i, SS_CURT_MWH] += a * dt_h
                        site_state[i, SS_YEAR_CURT_H] += dt_h
                        site_state[i, SS_YEAR_CURT_MWH] += a * dt_h
                        site_state[i, SS_EVENT_H] = ev + dt_h
                        if not cont:
                            site_state[i, SS_EVENTS] += 1.0
                        site_state[i, SS_LAST_CURT_T] = t
                    region_out[r, RO_CURT] += a
                    region_out[r, RO_SHED] = need - a
        elif step == STEP_DR:
            for p in range(P):
                r = dr_region[p]
                need = region_out[r, RO_SHED]
                if need <= EPS_MW:
                    continue
                new_year = not write and _new_year(t, dr_par[p, DP_YEAR_PERIODS], dr_state[p, DS_YEAR])
                year_h = 0.0 if new_year else dr_state[p, DS_YEAR_H]
                year_events = 0.0 if new_year else dr_state[p, DS_YEAR_EVENTS]
                cont = dr_state[p, DS_LAST_T] == t - 1
                ev = dr_state[p, DS_EVENT_H] if cont else 0.0
                if not _fits(year_h, ev, dt_h, dr_par[p, DP_MAX_H], dr_par[p, DP_MAX_EVENT_H]):
                    continue
                if not cont and year_events + 1.0 > dr_par[p, DP_MAX_EVENTS] + _EPS_H:
                    continue  # no event left in the limit year
                a = min(need, dr_par[p, DP_MW] * (1.0 - dr_state[p, DS_UNAVAIL]))
                if a > EPS_MW:
                    if write:
                        dr_out[p] = a
                        dr_state[p, DS_H] += dt_h
                        dr_state[p, DS_YEAR_H] += dt_h
                        dr_state[p, DS_EVENT_H] = ev + dt_h
                        if not cont:
                            dr_state[p, DS_EVENTS] += 1.0
                            dr_state[p, DS_YEAR_EVENTS] += 1.0
                        dr_state[p, DS_LAST_T] = t
                    region_out[r, RO_DR] += a
                    region_out[r, RO_SHED] = need - a
        elif step == STEP_BACKUP_GEN:
            for i in range(N):
                r = site_region[i]
                need = region_out[r, RO_SHED]
                if need <= EPS_MW or site_par[i, SP_GEN_DIRECTED] == 0.0 or gen_avail_mw[i] <= 0.0:
                    continue
                new_year = not write and _new_year(t, site_par[i, SP_YEAR_PERIODS], site_state[i, SS_YEAR])
                year_h = 0.0 if new_year else site_state[i, SS_YEAR_GEN_H]
                year_mwh = 0.0 if new_year else site_state[i, SS_YEAR_GEN_MWH]
                if year_h + dt_h > site_par[i, SP_GEN_MAX_H] + _EPS_H:
                    continue
                cap = gen_avail_mw[i]
                if site_state[i, SS_LAST_GEN_T] != t - 1:
                    f = 1.0 - site_par[i, SP_GEN_START_H] / dt_h
                    cap *= f if f > 0.0 else 0.0
                e_left = (site_par[i, SP_GEN_MAX_MWH] - year_mwh) / dt_h
                a = min(need, cap, e_left, _site_draw(i, site_load_mw, site_out))
                if a > EPS_MW:
                    site_out[i, SO_GEN] = a
                    if write:
                        site_state[i, SS_GEN_H] += dt_h
                        site_state[i, SS_GEN_MWH] += a * dt_h
                        site_state[i, SS_YEAR_GEN_H] += dt_h
                        site_state[i, SS_YEAR_GEN_MWH] += a * dt_h
                        site_state[i, SS_LAST_GEN_T] = t
                    region_out[r, RO_GEN] += a
                    region_out[r, RO_SHED] = need - a
        elif step == STEP_IMPORTS:
            for r in range(R):
                need = region_out[r, RO_SHED]
                a = min(need, region_par[r, RP_IMPORT_MW])
                if a > EPS_MW:
                    region_out[r, RO_IMPORT] = a
                    region_out[r, RO_SHED] = need - a
        elif step == STEP_VOLTAGE:
            for r in range(R):
                need = region_out[r, RO_SHED]
                a = min(need, region_par[r, RP_VR_FRAC] * firm_load_mw[r])
                if a > EPS_MW:
                    region_out[r, RO_VR] = a
                    region_out[r, RO_SHED] = need - a
        if k < relief.shape[0]:
            for r in range(R):
                rl = 0.0
                for c in range(NRO - 1):
                    rl += region_out[r, c]
                relief[k, r] = rl


@njit(_nrt=False, cache=True, inline="always")
def _new_year(t, periods, known):
    """True when period ``t`` is not in limit year ``known`` (its yearly counters start afresh)."""
    return limit_year_near(t, periods, known) != known


@njit(_nrt=False, cache=True, inline="always")
def apply_order_by_step(t, dt_h, order, shortfall_mw, firm_load_mw, site_load_mw, gen_avail_mw,
                        site_region, site_par, site_state, dr_region, dr_par, dr_state, region_par,
                        site_out, dr_out, region_out, relief):
    """:func:`apply_emergency_order`, also writing each region's relief after each step.

    ``relief`` (K', R) receives, for the first ``K'`` steps of ``order``, the relief each
    region has after step ``k`` (the sum of ``region_out``'s columns but the shed, in column
    order): what :func:`apply_emergency_order` with ``order[:k + 1]`` would give from the same
    state, as the steps before ``k`` run identically in both. ``K' = 0``: nothing is written.
    """
    R = shortfall_mw.shape[0]
    N = site_par.shape[0]
    P = dr_par.shape[0]
    for i in range(N):
        site_out[i, SO_BAT] = 0.0
        site_out[i, SO_CURT] = 0.0
        site_out[i, SO_GEN] = 0.0
    for p in range(P):
        dr_out[p] = 0.0
    _start_limit_years(t, site_par, site_state, dr_par, dr_state)
    for r in range(R):
        for c in range(NRO):
            region_out[r, c] = 0.0
        s = shortfall_mw[r]
        region_out[r, RO_SHED] = s if s > EPS_MW else 0.0  # "still short": shrinks step by step
    _run_steps(t, dt_h, order, firm_load_mw, site_load_mw, gen_avail_mw, site_region, site_par, site_state,
               dr_region, dr_par, dr_state, region_par, site_out, dr_out, region_out, relief, True)
    total = 0.0
    for r in range(R):
        if region_out[r, RO_SHED] <= EPS_MW:
            region_out[r, RO_SHED] = 0.0
        total += region_out[r, RO_SHED]
    return total


@njit(_nrt=False, cache=True, inline="always")
def relief_by_step(t, dt_h, order, firm_load_mw, site_load_mw, gen_avail_mw, site_region, site_par, site_state,
                   dr_region, dr_par, dr_state, region_par, site_out, region_out, relief):
    """Each region's relief after each step of ``order`` when it is short by more than any relief: what
    :func:`apply_order_by_step` writes to its ``relief`` from a copy of the state with a shortfall of 1e9
    MW in every region, bit for bit, without the copy and without writing the state (:func:`_run_steps`).
    ``site_out`` (N, NSO) and ``region_out`` (R, NRO) are scratch (the sites' draws so far, the relief so
    far); ``relief`` (K', R) receives the relief after each of the first ``K'`` steps.
    """
    R = region_out.shape[0]
    for i in range(site_par.shape[0]):
        site_out[i, SO_BAT] = 0.0
        site_out[i, SO_CURT] = 0.0
        site_out[i, SO_GEN] = 0.0
    for r in range(R):
        for c in range(NRO):
            region_out[r, c] = 0.0
        region_out[r, RO_SHED] = 1e9
    _run_steps(t, dt_h, order, firm_load_mw, site_load_mw, gen_avail_mw, site_region, site_par, site_state,
               dr_region, dr_par, dr_state, region_par, site_out, region_out[:, 0], region_out, relief, False)
    # (region_out[:, 0] stands for dr_out: the steps do not write it when they do not write the state)


@njit(_nrt=False, cache=True, inline="always")
def apply_emergency_order(t, dt_h, order, shortfall_mw, firm_load_mw, site_load_mw, gen_avail_mw,
                          site_region, site_par, site_state, dr_region, dr_par, dr_state, region_par,
                          site_out, dr_out, region_out):
    """Allocate one period's regional shortfalls to the emergency steps, in ``order``.

    Parameters
    ----------
    t : int
        Period index (events are consecutive periods by index).
    dt_h : float
        Period length [h].
    order : int64 (K,)
        Step codes in the order the operator takes them (see module doc).
    shortfall_mw : float64 (R,)
        Unserved load per region after the network dispatch [MW] (not modified).
    firm_load_mw : float64 (R,)
        Firm (non-data-center) load per region this period [MW]; voltage reduction
        yields ``RP_VR_FRAC`` of it.
    site_load_mw : float64 (N,)
        Each site's facility demand this period [MW] (part of its region's load).
    gen_avail_mw : float64 (N,)
        On-site generation in service this period [MW] (the caller draws its outages).
    site_region : int64 (N,)
        Region index of each site.
    site_par : float64 (N, NSP)
        Site parameters (``SP_*`` columns), fixed.
    site_state : float64 (N, NSS)
        Per-sample site state (``SS_*`` columns), updated.
    dr_region : int64 (P,)
        Region index of each demand-response program.
    dr_par : float64 (P, NDP)
        Demand-response parameters (``DP_*``).
    dr_state : float64 (P, NDS)
        Per-sample demand-response state (``DS_*``), updated.
    region_par : float64 (R, NRP)
        Emergency imports [MW] and voltage reduction [fraction] per region.
    site_out : float64 (N, NSO)
        Out: battery discharge, curtailment, on-site generation per site [MW]
        (``SO_CHARGE`` is left untouched).
    dr_out : float64 (P,)
        Out: demand response per program [MW].
    region_out : float64 (R, NRO)
        Out: per region, battery, curtailment, DR, backup generation, imports, voltage
        reduction and firm load shed [MW]; the columns sum to ``shortfall_mw``.

    Returns
    -------
    float
        Total firm load shed over all regions [MW].
    """
    return apply_order_by_step(t, dt_h, order, shortfall_mw, firm_load_mw, site_load_mw, gen_avail_mw,
                               site_region, site_par, site_state, dr_region, dr_par, dr_state, region_par,
                               site_out, dr_out, region_out, region_out[:0])


def active_steps(order, site_par, dr_par, region_par) -> np.ndarray:
    """The steps of ``order`` that have a resource of their kind (the others never give anything).

    The engine runs only these: with several regions it moves a shortfall to relief step by step
    of the order (a max-flow for each step that gives more), so a step with nothing to give would
    cost work for no relief.
    """
    has = {
        STEP_BATTERY: bool(np.any(site_par[:, SP_BAT_P] > 0.0)),
        STEP_CURTAIL_MANAGED: bool(np.any(site_par[:, SP_TIER].astype(int) == 1)),
        STEP_CURTAIL_VOLUNTARY: bool(np.any(site_par[:, SP_TIER].astype(int) == 2)),
        STEP_DR: bool(np.any(dr_par[:, DP_MW] > EPS_MW)),
        STEP_BACKUP_GEN: bool(np.any(site_par[:, SP_GEN_DIRECTED] != 0.0)),
        STEP_IMPORTS: bool(np.any(region_par[:, RP_IMPORT_MW] > EPS_MW)),
        STEP_VOLTAGE: bool(np.any(region_par[:, RP_VR_FRAC] > 0.0)),
    }
    return np.array([k for k in np.asarray(order) if has.get(int(k), True)], dtype=np.int64)


@njit(_nrt=False, cache=True, inline="always")
def recharge_batteries(dt_h, surplus_mw, site_region, site_par, site_state, site_out):
    """Recharge site batteries from regional surplus in a period without shortfall.

    Parameters
    ----------
    dt_h : float
        Period length [h].
    surplus_mw : float64 (R,)
        Generation left unused per region [MW]; **decreased in place** by the charging.
    site_region, site_par, site_state : see :func:`apply_emergency_order`
    site_out : float64 (N, NSO)
        Out: ``SO_CHARGE`` column, charging power [MW] (other columns untouched).

    Returns
    -------
    float
        Total charging power [MW] (extra load the region serves from its surplus).
    """
    total = 0.0
    for i in range(site_par.shape[0]):
        site_out[i, SO_CHARGE] = 0.0
        p = site_par[i, SP_BAT_P]
        if p <= 0.0:
            continue
        r = site_region[i]
        eta = site_par[i, SP_BAT_ETA]
        room = (site_par[i, SP_BAT_E] - site_state[i, SS_SOC]) / (eta * dt_h)
        c = min(p, room, surplus_mw[r])
        if c > EPS_MW:
            site_out[i, SO_CHARGE] = c
            site_state[i, SS_SOC] += c * eta * dt_h
            surplus_mw[r] -= c
            total += c
    return total


@njit(_nrt=False, cache=True, inline="always")
def batteries_below_full(site_par, site_state):
    """True when a site battery could take charge (the engine must then not skip the period)."""
    for i in range(site_par.shape[0]):
        if site_par[i, SP_BAT_P] > 0.0 and site_state[i, SS_SOC] < site_par[i, SP_BAT_E] - 1e-9:
            return True
    return False


@njit(_nrt=False, cache=True)
def reset_sample(site_par, site_state, dr_state):
    """Start a sample: batteries at their initial energy, all counters zero, no event running."""
    for i in range(site_par.shape[0]):
        for c in range(NSS):
            site_state[i, c] = 0.0
        site_state[i, SS_SOC] = site_par[i, SP_BAT_SOC0]
        site_state[i, SS_LAST_CURT_T] = -2.0
        site_state[i, SS_LAST_GEN_T] = -2.0
    for p in range(dr_state.shape[0]):
        for c in range(NDS):
            dr_state[p, c] = 0.0
        dr_state[p, DS_LAST_T] = -2.0
