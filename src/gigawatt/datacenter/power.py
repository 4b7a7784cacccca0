"""Cluster power: accelerators, sites, PUE and utilisation profiles.

Power of a site, per period::

    gpu_w      = board_power_w * gpu_utilisation * profile[t]        (per GPU)
    it_w       = (gpu_w + non_gpu_it_w) * (1 + storage_network_frac)  (per GPU)
    it_mw      = sum over fleets of n_gpus * it_w / 1e6
    facility_mw = it_mw * pue(T_outdoor[t])

``profile[t]`` in [0, 1] is the share of the GPUs' working power drawn in period ``t``
(training is flat, inference follows the day). ``gpu_utilisation`` is the average GPU
power of a busy GPU as a fraction of its board power (Meta provisions 960 W of a
1,200 W GB200, i.e. 0.8). Non-GPU IT power (CPUs, NICs, power supplies, switches) does
not follow the GPUs. Cooling follows IT power through the PUE, which rises with outdoor
temperature above a reference.

References
----------
.. [1] SemiAnalysis, "100,000 H100 Clusters: Power, Network Topology ...", 2024
   (non-GPU IT ~575 W per H100, ~1.4 kW IT per H100).
.. [2] NVIDIA DGX H100 / GB200 NVL72 / GB300 NVL72 data sheets (node and rack power).
.. [3] Google, "Environmental Report" 2024 (fleet PUE 1.10, 2023); Uptime Institute
   Global Data Center Survey 2023 (industry average PUE ~1.58).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gigawatt.datacenter import _validate as v
from gigawatt.errors import InputError


@dataclass(frozen=True)
class Accelerator:
    """One accelerator type and the IT power that comes with it.

    Parameters
    ----------
    name : str
    board_power_w : float
        GPU board power (TDP) [W].
    non_gpu_it_w : float
        Server power per GPU outside the GPU: CPU, NIC, power-supply losses, switches [W].
    storage_network_frac : float
        Storage and network power on top of server power [fraction].
    gpus_per_rack : int
        GPUs per rack (or per node for 8-GPU servers) [-].
    """

    name: str
    board_power_w: float
    non_gpu_it_w: float
    storage_network_frac: float = 0.10  # source: sources.md F4, "+ ~10 % storage/network" [1]
    gpus_per_rack: int = 8

    def __post_init__(self):
        v.positive("board_power_w", self.board_power_w)
        v.non_negative("non_gpu_it_w", self.non_gpu_it_w)
        v.fraction("storage_network_frac", self.storage_network_frac, hi=1.0)
        v.whole("gpus_per_rack", self.gpus_per_rack, lo=1)

    def it_w(self, gpu_fraction: float = 1.0) -> float:
        """IT power per GPU [W] with the GPU drawing ``gpu_fraction`` of its board power."""
        return (self.board_power_w * gpu_fraction + self.non_gpu_it_w) * (1.0 + self.storage_network_frac)

    @property
    def rack_kw(self) -> float:
        """Server power of one rack or node at full board power, without storage/network [kW]."""
        return self.gpus_per_rack * (self.board_power_w + self.non_gpu_it_w) / 1e3


#: accelerator catalog (sources.md F4)
ACCELERATORS = {
    # source: sources.md F4, H100 SXM 700 W; non-GPU IT ~575 W per H100 [1]; DGX H100 8 GPUs, 10.2 kW nameplate
    "H100": Accelerator("H100", 700.0, 575.0, gpus_per_rack=8),
    # source: sources.md F4, H200 SXM 700 W; same server platform as H100 (DGX 10.2 kW)
    "H200": Accelerator("H200", 700.0, 575.0, gpus_per_rack=8),
    # source: sources.md F4, B200 1,000 W; non-GPU IT taken equal to H100's 575 W [est, assumption]
    "B200": Accelerator("B200", 1000.0, 575.0, gpus_per_rack=8),
    # source: sources.md F4, GB200 1,200 W; NVL72 rack ~120 kW -> 120,000/72 - 1,200 = 466.7 W non-GPU per GPU
    "GB200": Accelerator("GB200", 1200.0, 120_000.0 / 72 - 1200.0, gpus_per_rack=72),
    # source: sources.md F4, GB300 1,400 W [est]; NVL72 ~120-140 kW -> 140,000/72 - 1,400 = 544.4 W
    "GB300": Accelerator("GB300", 1400.0, 140_000.0 / 72 - 1400.0, gpus_per_rack=72),
}

# source: sources.md F4, Meta provisions 960 W per 1,200 W GB200 -> 0.8 of board power
DEFAULT_GPU_UTILISATION = 0.8
# source: sources.md F4, liquid-cooled AI halls PUE ~1.1-1.2; Google fleet 1.10 [3]
DEFAULT_PUE = 1.1
# Cooling rises with outdoor temperature (sources.md F4, qualitative); the slope is an
# assumption: +0.005 PUE per degree C above 20 C (1.1 -> 1.175 at 35 C) [est].
DEFAULT_PUE_REF_C = 20.0
DEFAULT_PUE_PER_C = 0.005


def accelerator(name: str) -> Accelerator:
    """The catalog entry ``name`` (H100, H200, B200, GB200, GB300)."""
    try:
        return ACCELERATORS[name]
    except KeyError:
        raise InputError(f"accelerator: expected one of {sorted(ACCELERATORS)}, got {name!r}") from None


@dataclass(frozen=True)
class Fleet:
    """GPUs of one type at a site.

    Parameters
    ----------
    accelerator : str
        Catalog name (see :data:`ACCELERATORS`).
    n_gpus : int
        Number of GPUs [-].
    """

    accelerator: str
    n_gpus: int

    def __post_init__(self):
        accelerator(self.accelerator)
        object.__setattr__(self, "n_gpus", v.whole("n_gpus", self.n_gpus, lo=1))

    @property
    def spec(self) -> Accelerator:
        return ACCELERATORS[self.accelerator]


@dataclass(frozen=True)
class SitePower:
    """Power model of an AI site.

    Parameters
    ----------
    fleets : tuple of Fleet
    pue : float
        Power usage effectiveness at or below ``pue_ref_c`` [-], >= 1.
    pue_per_c : float
        PUE rise per degree of outdoor temperature above ``pue_ref_c`` [1/C], >= 0.
    pue_ref_c : float
        Reference outdoor temperature [C].
    gpu_utilisation : float
        Average GPU power of a busy GPU [fraction of board power].
    training_share : float
        Share of the GPUs running training (the rest serves inference) [fraction].
    """

    fleets: tuple
    pue: float = DEFAULT_PUE
    pue_per_c: float = DEFAULT_PUE_PER_C
    pue_ref_c: float = DEFAULT_PUE_REF_C
    gpu_utilisation: float = DEFAULT_GPU_UTILISATION
    training_share: float = 1.0

    def __post_init__(self):
        fleets = tuple(self.fleets)
        if not fleets or not all(isinstance(f, Fleet) for f in fleets):
            raise InputError("fleets: expected at least one Fleet (accelerator, n_gpus)")
        object.__setattr__(self, "fleets", fleets)
        if v.finite("pue", self.pue) < 1.0:
            raise InputError(f"pue: expected a value >= 1, got {self.pue!r}")
        v.non_negative("pue_per_c", self.pue_per_c)
        v.finite("pue_ref_c", self.pue_ref_c)
        v.fraction("gpu_utilisation", self.gpu_utilisation, open_lo=True)
        v.fraction("training_share", self.training_share)

    @property
    def n_gpus(self) -> int:
        """GPUs at the site [-]."""
        return sum(f.n_gpus for f in self.fleets)

    def gpu_mw(self, profile=1.0) -> np.ndarray | float:
        """GPU board power drawn [MW] at ``profile`` (fraction of working power)."""
        w = sum(f.n_gpus * f.spec.board_power_w for f in self.fleets) * self.gpu_utilisation
        return w * np.asarray(profile, dtype=float) / 1e6 if np.ndim(profile) else w * float(profile) / 1e6

    def non_gpu_it_mw(self) -> float:
        """IT power that does not follow the GPUs, incl. storage/network on it [MW]."""
        return sum(f.n_gpus * f.spec.non_gpu_it_w * (1 + f.spec.storage_network_frac) for f in self.fleets) / 1e6

    def it_mw(self, profile=1.0):
        """IT power [MW] at ``profile`` (scalar or array)."""
        g = sum(f.n_gpus * f.spec.board_power_w * (1 + f.spec.storage_network_frac) for f in self.fleets)
        gpu = g * self.gpu_utilisation / 1e6
        return self.non_gpu_it_mw() + gpu * np.asarray(profile, dtype=float) if np.ndim(profile) \
            else self.non_gpu_it_mw() + gpu * float(profile)

    def pue_at(self, temperature_c=None):
        """PUE at outdoor temperature ``temperature_c`` [C] (``None``: the reference PUE)."""
        if temperature_c is None:
            return self.pue
        t = np.asarray(temperature_c, dtype=float)
        return self.pue + self.pue_per_c * np.maximum(t - self.pue_ref_c, 0.0)

    def facility_mw(self, profile=1.0, temperature_c=None):
        """Facility power drawn from the grid [MW] (IT power times PUE).

        Parameters
        ----------
        profile : float or array (n_periods,)
            Share of the GPUs' working power drawn [fraction], see :func:`site_profile`.
        temperature_c : float or array (n_periods,), optional
            Outdoor temperature [C].
        """
        return self.it_mw(profile) * self.pue_at(temperature_c)

    @property
    def peak_facility_mw(self) -> float:
        """Facility power at full profile and reference temperature [MW]."""
        return float(self.facility_mw(1.0))


def training_profile(n_periods: int, level: float = 1.0) -> np.ndarray:
    """Flat profile of a training cluster [fraction], ``level`` in every period."""
    return np.full(int(n_periods), v.fraction("level", level))


def inference_profile(n_periods: int, step_h: float = 1.0, start_hour: float = 0.0, trough: float = 0.5,
                      peak_hour: float = 15.0) -> np.ndarray:
    """Daily inference profile [fraction]: a cosine between ``trough`` (night) and 1 (at ``peak_hour``).

    Parameters
    ----------
    n_periods : int
    step_h : float
        Period length [h].
    start_hour : float
        Local clock hour of the first period [h].
    trough : float
        Lowest share of working power, 12 h from the peak [fraction]. Default 0.5 [est].
    peak_hour : float
        Local hour of the daily peak [h]. Default 15 [est].
    """
    v.fraction("trough", trough)
    h = start_hour + np.arange(int(n_periods)) * v.positive("step_h", step_h)
    return trough + (1.0 - trough) * 0.5 * (1.0 + np.cos(2 * math.pi * (h - peak_hour) / 24.0))


def site_profile(site: SitePower, n_periods: int, step_h: float = 1.0, start_hour: float = 0.0) -> np.ndarray:
    """Mix of training (flat) and inference (daily) profiles by ``site.training_share`` [fraction]."""
    ts = site.training_share
    return ts * training_profile(n_periods) + (1 - ts) * inference_profile(n_periods, step_h, start_hour)


def colossus2() -> SitePower:
    """A Colossus-2-like site: ~550k GB200/GB300 GPUs, ~1 GW facility power at typical utilisation.

    Half GB200, half GB300 (the press reports a mix without the split [est]); liquid cooled,
    PUE 1.1. Facility power at full profile ~1.03 GW.
    """
    # source: sources.md F1, Colossus 2 ~550k GB200/GB300 GPUs, first ~1 GW AI training cluster (press)
    return SitePower((Fleet("GB200", 275_000), Fleet("GB300", 275_000)), pue=1.1)
