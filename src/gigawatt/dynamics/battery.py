"""A site battery run by a ramp-limiting, smoothing controller.

Sign convention: battery power ``b`` is positive when charging (drawing from the
site bus) and negative when discharging; grid power ``g = load + b`` is what the
site draws from the grid [MW].

Controller, one step of length ``dt``:

1. a first-order low-pass of the load (time constant ``filter_time_constant_s``)
   removes swings faster than ~1/(2 pi tau) Hz;
2. a state-of-charge term ``(E_target - E) / soc_recovery_h`` [MW] pulls the
   battery back to its target energy;
3. the grid power moves toward that target by at most the ramp limits
   ``ramp_up_mw_per_s * dt`` and ``ramp_down_mw_per_s * dt``;
4. the battery covers ``g - load``, within its power and energy limits; where it
   cannot, the grid takes the rest (the ramp limit is then broken, and counted).

Energy: charging ``b dt`` stores ``eta_c b dt``; discharging ``|b| dt`` takes
``|b| dt / eta_d`` from storage; ``eta_c = eta_d = sqrt(round_trip_efficiency)``.
So ``energy in - energy out - losses = delta stored energy`` holds exactly.

References
----------
.. [1] Microsoft, OpenAI, NVIDIA, "Power Stabilization for AI Training
   Datacenters", arXiv:2508.14318, 2025 (site energy storage as mitigation).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba
import numpy as np

from gigawatt.dynamics import _validate as v
from gigawatt.errors import InputError

# source: sources.md F5, Tesla Megapack 2 XL round-trip efficiency ~92 % [est].
MEGAPACK_ROUND_TRIP_EFFICIENCY = 0.92
# source: sources.md F5, Megapack 2 XL ~3.9 MWh and ~1.9 MW (2-hour version) [est].
MEGAPACK_ENERGY_MWH = 3.9
MEGAPACK_POWER_MW = 1.9


@dataclass(frozen=True)
class BatterySpec:
    """A site battery.

    Parameters
    ----------
    power_mw : float
        Largest charge or discharge power [MW], >= 0.
    energy_mwh : float
        Usable energy capacity [MWh], >= 0 (``power_mw`` > 0 needs ``energy_mwh`` > 0).
    round_trip_efficiency : float
        Round-trip efficiency [fraction], in (0, 1]. Default 0.92 (sources.md F5).
    initial_soc : float
        Stored energy at t = 0 [fraction of capacity].
    """

    power_mw: float
    energy_mwh: float
    round_trip_efficiency: float = MEGAPACK_ROUND_TRIP_EFFICIENCY
    initial_soc: float = 0.5

    def __post_init__(self) -> None:
        v.non_negative("battery power_mw", self.power_mw, allow_inf=True)
        v.non_negative("battery energy_mwh", self.energy_mwh)
        v.fraction("battery round_trip_efficiency", self.round_trip_efficiency, open_lo=True)
        v.fraction("battery initial_soc", self.initial_soc)
        if self.power_mw > 0 and self.energy_mwh == 0:
            raise InputError("battery energy_mwh: expected > 0 when power_mw > 0")

    @classmethod
    def megapacks(cls, n_units: int, **kw) -> BatterySpec:
        """``n_units`` Tesla Megapack 2 XL (2-hour) units (sources.md F5)."""
        return cls(power_mw=n_units * MEGAPACK_POWER_MW, energy_mwh=n_units * MEGAPACK_ENERGY_MWH,
                   **kw)


@dataclass(frozen=True)
class ControllerSpec:
    """Settings of the grid-side smoothing controller.

    Parameters
    ----------
    ramp_up_mw_per_s, ramp_down_mw_per_s : float
        Largest rise / fall of grid power [MW/s]; ``inf`` = no limit.
    filter_time_constant_s : float
        Low-pass time constant on the load [s]; 0 = none. A band 0.1-20 Hz is
        attenuated by ~1/(2 pi f tau) with tau >= ~10 s.
    soc_target : float
        Stored energy the controller returns to [fraction of capacity].
    soc_recovery_s : float
        Time constant of that return [s]; ``inf`` = none.
    """

    ramp_up_mw_per_s: float = math.inf
    ramp_down_mw_per_s: float = math.inf
    filter_time_constant_s: float = 0.0
    soc_target: float = 0.5
    soc_recovery_s: float = 600.0

    def __post_init__(self) -> None:
        v.positive("ramp_up_mw_per_s", self.ramp_up_mw_per_s, allow_inf=True)
        v.positive("ramp_down_mw_per_s", self.ramp_down_mw_per_s, allow_inf=True)
        v.non_negative("filter_time_constant_s", self.filter_time_constant_s)
        v.fraction("soc_target", self.soc_target)
        v.positive("soc_recovery_s", self.soc_recovery_s, allow_inf=True)


@numba.njit(cache=True)
def _control_kernel(load, dt_s, p_max, e_max, eta_c, eta_d, rup, rdn, alpha, e_target, k_soc,
                    state, grid, batt, energy, totals):
    """Run the controller over ``load`` [MW]; ``state`` = [grid_prev, filtered, energy].

    ``totals`` accumulates [charged MWh, discharged MWh, loss MWh, ramp breaches,
    steps at a power or energy limit].
    """
    dt_h = dt_s / 3600.0
    g_prev = state[0]
    filt = state[1]
    e = state[2]
    up = rup * dt_s
    dn = rdn * dt_s
    for i in range(load.size):
        x = load[i]
        filt += alpha * (x - filt)
        target = filt + k_soc * (e_target - e)
        g = min(max(target, g_prev - dn), g_prev + up)
        b = g - x
        lim = False
        if b > p_max:
            b = p_max
            lim = True
        elif b < -p_max:
            b = -p_max
            lim = True
        if b > 0.0:
            room = (e_max - e) / (eta_c * dt_h)
            if b > room:
                b = max(room, 0.0)
                lim = True
            de = eta_c * b * dt_h
            totals[0] += b * dt_h
            totals[2] += (1.0 - eta_c) * b * dt_h
        else:
            avail = e * eta_d / dt_h
            if -b > avail:
                b = -max(avail, 0.0)
                lim = True
            de = b * dt_h / eta_d
            totals[1] += -b * dt_h
            totals[2] += (-b) * dt_h * (1.0 / eta_d - 1.0)
        e = min(max(e + de, 0.0), e_max)
        g = x + b
        if lim:
            totals[4] += 1.0
        if g - g_prev > up * (1.0 + 1e-9) + 1e-9 or g_prev - g > dn * (1.0 + 1e-9) + 1e-9:
            totals[3] += 1.0
        grid[i] = g
        batt[i] = b
        energy[i] = e
        g_prev = g
    state[0] = g_prev
    state[1] = filt
    state[2] = e


@dataclass(frozen=True)
class ControlResult:
    """Output of :func:`run_controller`.

    Attributes
    ----------
    grid_mw : ndarray
        Grid-side power [MW].
    battery_mw : ndarray
        Battery power, + charging [MW].
    energy_mwh : ndarray
        Stored energy at the end of each step [MWh].
    charged_mwh, discharged_mwh, loss_mwh : float
        Energy into and out of the battery terminals and conversion losses [MWh].
    initial_energy_mwh : float
        Stored energy at t = 0 [MWh].
    ramp_breaches : int
        Steps where the grid-side ramp limit was broken (battery at a limit).
    limited_steps : int
        Steps where the battery hit its power or energy limit.
    equivalent_full_cycles : float
        Discharged energy / capacity [-].
    """

    grid_mw: np.ndarray
    battery_mw: np.ndarray
    energy_mwh: np.ndarray
    charged_mwh: float
    discharged_mwh: float
    loss_mwh: float
    initial_energy_mwh: float
    ramp_breaches: int
    limited_steps: int
    equivalent_full_cycles: float


class BatteryController:
    """Stateful controller for streamed load chunks (see module docstring).

    Parameters
    ----------
    battery : BatterySpec
        The battery.
    controller : ControllerSpec
        Ramp limits, filter and state-of-charge return.
    dt_s : float
        Time step [s].
    """

    def __init__(self, battery: BatterySpec, controller: ControllerSpec, dt_s: float) -> None:
        self.battery = battery
        self.controller = controller
        self.dt_s = v.positive("dt_s", dt_s)
        eta = math.sqrt(battery.round_trip_efficiency)
        self._eta = eta
        tau = controller.filter_time_constant_s
        self._alpha = 1.0 if tau == 0 else -math.expm1(-self.dt_s / tau)
        e_max = battery.energy_mwh
        self._e_target = controller.soc_target * e_max
        rec_h = controller.soc_recovery_s / 3600.0
        self._k_soc = 0.0 if math.isinf(rec_h) else 1.0 / rec_h
        e0 = battery.initial_soc * e_max
        self.initial_energy_mwh = e0
        self._state = np.array([math.nan, math.nan, e0])
        self._totals = np.zeros(5)

    def step(self, load_mw: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Run one chunk; returns ``(grid_mw, battery_mw, energy_mwh)``."""
        load = np.ascontiguousarray(load_mw, dtype=np.float64)
        if load.ndim != 1 or load.size == 0:
            raise InputError("load_mw: expected a non-empty 1-D array")
        if not np.all(np.isfinite(load)):
            raise InputError("load_mw: expected finite values")
        if math.isnan(self._state[0]):
            self._state[0] = load[0]
            self._state[1] = load[0]
        grid = np.empty_like(load)
        batt = np.empty_like(load)
        energy = np.empty_like(load)
        b = self.battery
        c = self.controller
        _control_kernel(load, self.dt_s, float(b.power_mw), float(b.energy_mwh), self._eta,
                        self._eta, float(c.ramp_up_mw_per_s), float(c.ramp_down_mw_per_s),
                        self._alpha, self._e_target, self._k_soc, self._state, grid, batt, energy,
                        self._totals)
        return grid, batt, energy

    def result(self, grid, batt, energy) -> ControlResult:
        """Package whole-run arrays with the accumulated totals."""
        t = self._totals
        cap = self.battery.energy_mwh
        return ControlResult(
            grid_mw=grid, battery_mw=batt, energy_mwh=energy,
            charged_mwh=float(t[0]), discharged_mwh=float(t[1]), loss_mwh=float(t[2]),
            initial_energy_mwh=self.initial_energy_mwh,
            ramp_breaches=int(t[3]), limited_steps=int(t[4]),
            equivalent_full_cycles=float(t[1] / cap) if 0 < cap < math.inf else 0.0,
        )

    @property
    def totals(self) -> dict:
        """Accumulated totals so far (MWh and counts)."""
        t = self._totals
        return {"charged_mwh": float(t[0]), "discharged_mwh": float(t[1]),
                "loss_mwh": float(t[2]), "ramp_breaches": int(t[3]), "limited_steps": int(t[4]),
                "energy_mwh": float(self._state[2])}


def run_controller(load_mw: np.ndarray, dt_s: float, battery: BatterySpec,
                   controller: ControllerSpec) -> ControlResult:
    """Run the battery controller over a whole load trace.

    Parameters
    ----------
    load_mw : ndarray
        Site (facility) power before the battery [MW], average over each step.
    dt_s : float
        Time step [s].
    battery : BatterySpec
        The battery (``power_mw = 0`` gives the load back unchanged).
    controller : ControllerSpec
        Ramp limits, filter and state-of-charge return.

    Returns
    -------
    ControlResult
    """
    ctl = BatteryController(battery, controller, dt_s)
    grid, batt, energy = ctl.step(load_mw)
    return ctl.result(grid, batt, energy)


def unconstrained_need(load_mw: np.ndarray, dt_s: float,
                       controller: ControllerSpec) -> tuple[float, float]:
    """Battery power and energy that a lossless, unlimited battery would use.

    Runs the controller with no power or energy limit, no losses and no
    state-of-charge return. Returns ``(power_mw, energy_mwh)``: the largest
    ``|b|`` and the range of the stored-energy path (including t = 0). A lower
    bound for the sizing search in :mod:`gigawatt.dynamics.sizing`.
    """
    big = 1e12
    c = ControllerSpec(controller.ramp_up_mw_per_s, controller.ramp_down_mw_per_s,
                       controller.filter_time_constant_s, 0.5, math.inf)
    res = run_controller(load_mw, dt_s, BatterySpec(math.inf, big, 1.0, 0.5), c)
    e = np.concatenate([[res.initial_energy_mwh], res.energy_mwh])
    return float(np.max(np.abs(res.battery_mw))), float(e.max() - e.min())
