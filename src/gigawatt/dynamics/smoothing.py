"""GPU-level power smoothing: power floor, filler work and ramp limits.

These act inside every GPU (NVIDIA GB200/GB300 power smoothing) and are applied
per job by the trace kernel (:mod:`gigawatt.dynamics.trace`). The site battery is
in :mod:`gigawatt.dynamics.battery`.

Costs: a power floor and filler work burn energy while GPUs would otherwise
idle (energy overhead, measured by comparing traces); filler work also costs
throughput (~5 %); a ramp-up limit slows compute, valued with the throughput vs
power-cap curve below.

References
----------
.. [1] Microsoft, OpenAI, NVIDIA, "Power Stabilization for AI Training
   Datacenters", arXiv:2508.14318, 2025.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gigawatt.dynamics import _validate as v
from gigawatt.errors import InputError

# source: sources.md F4, throughput vs GPU power cap p = cap/TDP, central curve
# (synthesis of Zeus, Perseus and Emerald AI data), piecewise linear; 0 -> 0 added.
THROUGHPUT_CAP_FRACTION = np.array([0.0, 0.25, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0])
THROUGHPUT_RELATIVE = np.array([0.0, 0.20, 0.50, 0.65, 0.79, 0.87, 0.93, 0.97, 1.00])

# source: sources.md F4, GB200/GB300 power floor configurable 20-90 % of TDP [1].
GB200_FLOOR_RANGE = (0.2, 0.9)
# source: sources.md F4, filler workloads cost ~5 % throughput [1].
FILLER_THROUGHPUT_COST = 0.05


def relative_throughput(power_cap_fraction: np.ndarray | float) -> np.ndarray:
    """Training throughput at a GPU power cap, relative to uncapped [fraction].

    Parameters
    ----------
    power_cap_fraction : array_like
        Cap / TDP [fraction], 0-1.

    Returns
    -------
    ndarray
        Relative throughput [fraction] (sources.md F4 central curve).
    """
    return np.interp(np.asarray(power_cap_fraction, dtype=float),
                     THROUGHPUT_CAP_FRACTION, THROUGHPUT_RELATIVE)


@dataclass(frozen=True)
class GpuSmoothing:
    """GPU-level smoothing settings, applied to every GPU in a job.

    Parameters
    ----------
    power_floor_fraction : float
        Minimum GPU power while allocated to a job (running, communicating,
        checkpointing or restarting) [fraction of TDP]; 0 = off. GB200/GB300
        allow 0.2-0.9 (sources.md F4); the model accepts 0-1.
    ramp_up_w_per_s, ramp_down_w_per_s : float
        Largest rise / fall of GPU power [W/s per GPU]; ``inf`` = no limit. At
        site level the limit is ``n_gpus * rate * 1e-6`` [MW/s].
    filler_power_fraction : float
        Filler work raises communication-phase power to this level [fraction of
        TDP]; 0 = off.
    filler_throughput_cost : float
        Throughput lost while filler runs [fraction]. Default 0.05 (sources.md F4).
    """

    power_floor_fraction: float = 0.0
    ramp_up_w_per_s: float = math.inf
    ramp_down_w_per_s: float = math.inf
    filler_power_fraction: float = 0.0
    filler_throughput_cost: float = FILLER_THROUGHPUT_COST

    def __post_init__(self) -> None:
        v.fraction("power_floor_fraction", self.power_floor_fraction)
        v.positive("ramp_up_w_per_s", self.ramp_up_w_per_s, allow_inf=True)
        v.positive("ramp_down_w_per_s", self.ramp_down_w_per_s, allow_inf=True)
        v.fraction("filler_power_fraction", self.filler_power_fraction)
        v.fraction("filler_throughput_cost", self.filler_throughput_cost)

    @property
    def is_active(self) -> bool:
        """Whether any GPU-level smoothing is on."""
        return (self.power_floor_fraction > 0 or self.filler_power_fraction > 0
                or math.isfinite(self.ramp_up_w_per_s) or math.isfinite(self.ramp_down_w_per_s))


def site_ramp_to_gpu_w_per_s(site_ramp_mw_per_s: float, n_gpus: int) -> float:
    """Per-GPU ramp limit [W/s] that gives a site-level ramp limit [MW/s].

    Parameters
    ----------
    site_ramp_mw_per_s : float
        Site-level ramp limit [MW/s], > 0.
    n_gpus : int
        GPUs that swing together [-].
    """
    r = v.positive("site_ramp_mw_per_s", site_ramp_mw_per_s)
    if n_gpus < 1:
        raise InputError(f"n_gpus: expected >= 1, got {n_gpus!r}")
    return r * 1e6 / n_gpus


def throughput_cost(smoothing: GpuSmoothing, ramp_lost_work_fraction: float) -> float:
    """Throughput lost to GPU-level smoothing [fraction of running GPU time].

    Filler costs ``filler_throughput_cost`` while it runs; ramp-up limits cost the
    work measured by the trace kernel; the floor alone costs no throughput [1]_.
    """
    filler = smoothing.filler_throughput_cost if smoothing.filler_power_fraction > 0 else 0.0
    return 1.0 - (1.0 - filler) * (1.0 - ramp_lost_work_fraction)
