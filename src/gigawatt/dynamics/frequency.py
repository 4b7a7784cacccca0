"""Interconnection frequency after a large load or generator trip.

Aggregate (single-bus) swing equation with load damping, a lumped first-order
governor with droop, deadband and headroom, and under-frequency load-shedding
(UFLS) stages. In MW and Hz (``E_kin`` = sum of H_i S_i [MW s]):

.. math::

    \\frac{2 E_{kin}}{f_0} \\frac{d\\Delta f}{dt} = \\Delta P_m - \\Delta P_{imb}(t) - D \\Delta f

    T_g \\frac{d\\Delta P_m}{dt} = -K_g\\, \\mathrm{db}(\\Delta f) - \\Delta P_m

where ``dP_imb > 0`` is a generation deficit (generator trip) and ``< 0`` a loss of
load (data-center trip), ``D`` [MW/Hz] is load damping, ``K_g`` [MW/Hz] the
governor gain (droop R on responsive capacity S_g: ``K_g = S_g / (R f0)``) and
``db`` the deadband (no step: ``sign(x) max(|x| - db, 0)``).

Closed forms (tests): initial RoCoF ``-dP f0 / (2 E_kin)``; with no governor
``df(t) = -(dP / D)(1 - exp(-t D f0 / (2 E_kin)))`` (linear ramp as D -> 0);
settling deviation ``-dP / beta`` with ``beta = K_g + D`` (no deadband).

References
----------
.. [1] P. Kundur, *Power System Stability and Control*, McGraw-Hill, 1994, ch. 11.
.. [2] NERC, "Frequency Response Initiative Report", 2012; sources.md F6.
.. [3] NERC, incident review of the 10 July 2024 loss of ~1,500 MW of data-center
   load in Northern Virginia (sources.md F6).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba
import numpy as np

from gigawatt.dynamics import _validate as v
from gigawatt.errors import InputError

F0_HZ = 60.0
# source: sources.md F6, Eastern Interconnection frequency response ~2,500-2,800 MW per
# 0.1 Hz [est]; mid-range 26,500 MW/Hz, split below into load damping and governors.
EI_BETA_MW_PER_HZ = 26_500.0
# EI online load / synchronous generation [est, not in sources.md]; PJM alone peaks at
# ~160 GW (sources.md F1) and serves about a third of the Eastern Interconnection.
EI_LOAD_MW = 450_000.0
# source: sources.md F2, RTS-GMLC inertia constants H 2.8-5.0 s -> ~4 s on online
# capacity [derived]: E_kin = 4 s * 450 GW.
EI_INERTIA_MW_S = 4.0 * EI_LOAD_MW
# Load damping 1 % of load per 1 % of frequency [est; Kundur 1994, 1-2 %/%].
EI_LOAD_DAMPING_MW_PER_HZ = 1.0 * EI_LOAD_MW / F0_HZ
# Governors supply the rest of beta [derived].
EI_GOVERNOR_GAIN_MW_PER_HZ = EI_BETA_MW_PER_HZ - EI_LOAD_DAMPING_MW_PER_HZ
# source: sources.md F6, governor droop 5 % -> a unit moves 33 % of its rating per Hz.
DROOP_5PCT_PER_HZ = 1.0 / (0.05 * F0_HZ)
# Governor deadband +-36 mHz [est: common setting, NERC BAL-003 guidance].
GOVERNOR_DEADBAND_HZ = 0.036
# Lumped governor-turbine time constant [est].
GOVERNOR_TIME_CONSTANT_S = 5.0
# source: sources.md F6, first UFLS stage typically 59.3 Hz [est]; later stages and
# 10 %-of-load blocks [est].
EI_UFLS_STAGES = ((59.3, 0.10, 0.1), (59.0, 0.10, 0.1), (58.7, 0.10, 0.1))


@dataclass(frozen=True)
class FrequencySystem:
    """An interconnection reduced to one bus.

    Parameters
    ----------
    f0_hz : float
        Nominal frequency [Hz].
    inertia_mw_s : float
        Stored kinetic energy E_kin = sum(H_i S_i) [MW s].
    load_mw : float
        Served load [MW] (UFLS stages shed shares of it).
    load_damping_mw_per_hz : float
        D: load change per Hz of frequency change [MW/Hz].
    governor_gain_mw_per_hz : float
        K_g: governor steady-state response per Hz beyond the deadband [MW/Hz].
    governor_time_constant_s : float
        T_g of the lumped first-order governor-turbine [s], > 0.
    governor_deadband_hz : float
        Deadband [Hz], >= 0.
    governor_headroom_up_mw, governor_headroom_down_mw : float
        Largest governor increase / decrease [MW] (``inf`` = none).
    ufls_stages : tuple of (threshold_hz, share_of_load, delay_s)
        Under-frequency load shedding: when frequency stays below the threshold for
        the delay, shed that share of ``load_mw`` (once).

    Defaults are Eastern-Interconnection-like (module constants; sources.md F6).
    """

    f0_hz: float = F0_HZ
    inertia_mw_s: float = EI_INERTIA_MW_S
    load_mw: float = EI_LOAD_MW
    load_damping_mw_per_hz: float = EI_LOAD_DAMPING_MW_PER_HZ
    governor_gain_mw_per_hz: float = EI_GOVERNOR_GAIN_MW_PER_HZ
    governor_time_constant_s: float = GOVERNOR_TIME_CONSTANT_S
    governor_deadband_hz: float = GOVERNOR_DEADBAND_HZ
    governor_headroom_up_mw: float = math.inf
    governor_headroom_down_mw: float = math.inf
    ufls_stages: tuple[tuple[float, float, float], ...] = EI_UFLS_STAGES

    def __post_init__(self) -> None:
        v.positive("f0_hz", self.f0_hz)
        v.positive("inertia_mw_s", self.inertia_mw_s)
        v.positive("load_mw", self.load_mw)
        v.non_negative("load_damping_mw_per_hz", self.load_damping_mw_per_hz)
        v.non_negative("governor_gain_mw_per_hz", self.governor_gain_mw_per_hz)
        v.positive("governor_time_constant_s", self.governor_time_constant_s)
        v.non_negative("governor_deadband_hz", self.governor_deadband_hz)
        v.non_negative("governor_headroom_up_mw", self.governor_headroom_up_mw, allow_inf=True)
        v.non_negative("governor_headroom_down_mw", self.governor_headroom_down_mw, allow_inf=True)
        stages = tuple(tuple(float(x) for x in s) for s in self.ufls_stages)
        for k, s in enumerate(stages):
            if len(s) != 3:
                raise InputError(f"ufls_stages[{k}]: expected (threshold_hz, share_of_load, "
                                 f"delay_s), got {s!r}")
            if not 0 < s[0] < self.f0_hz:
                raise InputError(f"ufls_stages[{k}] threshold_hz: expected in (0, f0_hz), "
                                 f"got {s[0]}")
            v.fraction(f"ufls_stages[{k}] share_of_load", s[1])
            v.non_negative(f"ufls_stages[{k}] delay_s", s[2])
        if sum(s[1] for s in stages) > 1.0:
            raise InputError("ufls_stages: shares of load add up to more than 1")
        object.__setattr__(self, "ufls_stages", stages)

    @property
    def beta_mw_per_hz(self) -> float:
        """Frequency response characteristic K_g + D [MW/Hz]."""
        return self.governor_gain_mw_per_hz + self.load_damping_mw_per_hz


@dataclass(frozen=True)
class Event:
    """A step change in the power balance.

    Parameters
    ----------
    time_s : float
        When it happens [s].
    imbalance_mw : float
        Generation deficit it causes [MW]: > 0 for a generator trip, < 0 for a
        loss of load (data-center trip).
    inertia_lost_mw_s : float
        Kinetic energy leaving with a tripped generator [MW s].
    """

    time_s: float
    imbalance_mw: float
    inertia_lost_mw_s: float = 0.0

    def __post_init__(self) -> None:
        v.non_negative("event time_s", self.time_s)
        v.finite("event imbalance_mw", self.imbalance_mw)
        v.non_negative("event inertia_lost_mw_s", self.inertia_lost_mw_s)


def data_center_trip(mw: float, time_s: float = 1.0) -> Event:
    """Loss of ``mw`` of data-center load [MW] at ``time_s`` [s]; frequency rises."""
    return Event(time_s, -v.positive("trip mw", mw))


def generator_trip(mw: float, time_s: float = 1.0, inertia_h_s: float = 0.0) -> Event:
    """Loss of a ``mw`` generator [MW] with inertia constant ``inertia_h_s`` [s]."""
    return Event(time_s, v.positive("trip mw", mw), mw * v.non_negative("inertia_h_s", inertia_h_s))


@numba.njit(cache=True, inline="always")
def _rhs(df, pm, imb, e_kin, f0, d, kg, tg, db):
    x = abs(df) - db
    dbf = 0.0 if x <= 0 else (x if df > 0 else -x)
    ddf = f0 / (2.0 * e_kin) * (pm - imb - d * df)
    dpm = (-kg * dbf - pm) / tg
    return ddf, dpm


@numba.njit(cache=True)
def _simulate_kernel(n, dt, ev_step, ev_imb, ev_inertia, e_kin0, f0, d, kg, tg, db, hup, hdn,
                     load, uf_thr, uf_share, uf_delay, df_out, pm_out, shed_out):
    df = 0.0
    pm = 0.0
    imb = 0.0
    e_kin = e_kin0
    shed = 0.0
    n_ev = ev_step.size
    k = 0
    n_uf = uf_thr.size
    below = np.zeros(n_uf)
    done = np.zeros(n_uf, dtype=np.bool_)
    for i in range(n):
        while k < n_ev and ev_step[k] <= i:
            imb += ev_imb[k]
            e_kin -= ev_inertia[k]
            k += 1
        net = imb - shed
        a1, b1 = _rhs(df, pm, net, e_kin, f0, d, kg, tg, db)
        a2, b2 = _rhs(df + 0.5 * dt * a1, pm + 0.5 * dt * b1, net, e_kin, f0, d, kg, tg, db)
        a3, b3 = _rhs(df + 0.5 * dt * a2, pm + 0.5 * dt * b2, net, e_kin, f0, d, kg, tg, db)
        a4, b4 = _rhs(df + dt * a3, pm + dt * b3, net, e_kin, f0, d, kg, tg, db)
        df += dt / 6.0 * (a1 + 2 * a2 + 2 * a3 + a4)
        pm += dt / 6.0 * (b1 + 2 * b2 + 2 * b3 + b4)
        pm = min(max(pm, -hdn), hup)
        for s in range(n_uf):
            if done[s]:
                continue
            if f0 + df < uf_thr[s]:
                below[s] += dt
                if below[s] >= uf_delay[s] - 1e-12:
                    shed += uf_share[s] * load
                    done[s] = True
            else:
                below[s] = 0.0
        df_out[i] = df
        pm_out[i] = pm
        shed_out[i] = shed


@dataclass(frozen=True)
class FrequencyResult:
    """Frequency response to a set of events.

    Attributes
    ----------
    time_s : ndarray
        End of each step [s] (first value ``dt_s``).
    frequency_hz : ndarray
        System frequency [Hz].
    governor_mw : ndarray
        Governor output change [MW].
    shed_mw : ndarray
        Load shed by UFLS so far [MW].
    f0_hz : float
        Nominal frequency [Hz].
    first_event_s : float
        Time of the first event [s].
    initial_rocof_hz_per_s : float
        Rate of change of frequency over the first step after the first event
        [Hz/s] (closed form ``-dP f0 / (2 E_kin)``).
    """

    time_s: np.ndarray
    frequency_hz: np.ndarray
    governor_mw: np.ndarray
    shed_mw: np.ndarray
    f0_hz: float
    first_event_s: float
    initial_rocof_hz_per_s: float

    def metrics(self, settle_window_s: float = 10.0, rocof_window_s: float = 0.5) -> dict:
        """Nadir, zenith, RoCoF and settling frequency.

        Parameters
        ----------
        settle_window_s : float
            Settling frequency = mean over the last ``settle_window_s`` [s].
        rocof_window_s : float
            Window of the largest RoCoF, as relays measure it [s].
        """
        f = self.frequency_hz
        t = self.time_s
        dt = t[1] - t[0] if t.size > 1 else t[0]
        w = max(1, int(round(rocof_window_s / dt)))
        full = np.concatenate([[self.f0_hz], f])
        rocof = (full[w:] - full[:-w]) / (w * dt) if full.size > w else np.zeros(1)
        n_set = max(1, int(round(settle_window_s / dt)))
        return {
            "nadir_hz": float(f.min()),
            "nadir_time_s": float(t[np.argmin(f)]),
            "zenith_hz": float(f.max()),
            "zenith_time_s": float(t[np.argmax(f)]),
            "initial_rocof_hz_per_s": self.initial_rocof_hz_per_s,
            f"max_rocof_{int(rocof_window_s * 1000)}ms_hz_per_s": float(rocof[np.argmax(np.abs(rocof))]),
            "settling_frequency_hz": float(f[-n_set:].mean()),
            "settling_deviation_hz": float(f[-n_set:].mean() - self.f0_hz),
            "ufls_shed_mw": float(self.shed_mw[-1]),
        }


def simulate_frequency(system: FrequencySystem, events: list[Event] | tuple[Event, ...],
                       duration_s: float = 60.0, dt_s: float = 0.01) -> FrequencyResult:
    """Integrate the aggregate swing equation (RK4, fixed step).

    Parameters
    ----------
    system : FrequencySystem
        The interconnection.
    events : sequence of Event
        Power-balance steps, applied at the start of the step that contains them.
    duration_s : float
        Simulated time [s].
    dt_s : float
        Step [s]; 0.01 s resolves RoCoF and nadir of bulk systems.

    Returns
    -------
    FrequencyResult
    """
    v.positive("duration_s", duration_s)
    v.positive("dt_s", dt_s)
    n = int(round(duration_s / dt_s))
    if n < 1:
        raise InputError(f"duration_s: expected at least one step of dt_s = {dt_s}")
    evs = sorted(events, key=lambda e: e.time_s)
    if not evs:
        raise InputError("events: expected at least one Event (e.g. data_center_trip(1500))")
    lost = sum(e.inertia_lost_mw_s for e in evs)
    if lost >= system.inertia_mw_s:
        raise InputError("events inertia_lost_mw_s: expected less than system inertia_mw_s")
    ev_step = np.array([int(math.ceil(e.time_s / dt_s - 1e-9)) for e in evs], dtype=np.int64)
    ev_imb = np.array([e.imbalance_mw for e in evs], dtype=np.float64)
    ev_in = np.array([e.inertia_lost_mw_s for e in evs], dtype=np.float64)
    st = np.array(system.ufls_stages, dtype=np.float64).reshape(-1, 3)
    df = np.empty(n)
    pm = np.empty(n)
    shed = np.empty(n)
    _simulate_kernel(n, dt_s, ev_step, ev_imb, ev_in, system.inertia_mw_s, system.f0_hz,
                     system.load_damping_mw_per_hz, system.governor_gain_mw_per_hz,
                     system.governor_time_constant_s, system.governor_deadband_hz,
                     system.governor_headroom_up_mw, system.governor_headroom_down_mw,
                     system.load_mw, st[:, 0].copy(), st[:, 1].copy(), st[:, 2].copy(),
                     df, pm, shed)
    k = min(int(ev_step[0]), n - 1)
    rocof0 = (df[k] - (df[k - 1] if k > 0 else 0.0)) / dt_s  # over the first step after it
    first = evs[0]
    return FrequencyResult(time_s=(np.arange(n) + 1) * dt_s, frequency_hz=system.f0_hz + df,
                           governor_mw=pm, shed_mw=shed, f0_hz=system.f0_hz,
                           first_event_s=first.time_s, initial_rocof_hz_per_s=rocof0)


def governor_response(df_hz: np.ndarray, dt_s: float, gain_mw_per_hz: float,
                      time_constant_s: float, deadband_hz: float = 0.0) -> np.ndarray:
    """Governor output [MW] for a given frequency-deviation path [Hz] (exact per step).

    Solves ``T dP/dt = -K db(df) - P`` with ``df`` held over each step (zero-order
    hold), ``P(0) = 0``. For a constant ``df`` beyond the deadband the answer is
    ``-K (df - db) (1 - exp(-t / T))``.
    """
    d = np.asarray(df_hz, dtype=float)
    v.positive("dt_s", dt_s)
    v.positive("time_constant_s", time_constant_s)
    x = np.abs(d) - deadband_hz
    dbf = np.where(x > 0, np.sign(d) * x, 0.0)
    a = math.exp(-dt_s / time_constant_s)
    from scipy.signal import lfilter

    return lfilter([-(1 - a) * gain_mw_per_hz], [1.0, -a], dbf)
