"""Grid-side compliance metrics of a power trace against user-set limits.

Metrics (all from the grid-side power ``p`` [MW] sampled every ``dt`` [s], each
value the average over its step):

- ramp rate ``(p[i+1] - p[i]) / dt`` [MW/s]: maximum of its magnitude and
  percentiles of the magnitude;
- largest step: the largest ``|p[i+w] - p[i]|`` over a window ``step_window_s``
  [MW] (a job dropping at once shows as one step, whatever ``dt``);
- band oscillation: RMS of ``p`` in a frequency band (Welch power spectral density
  integrated over the band) [MW]; the band is clipped at the Nyquist frequency
  ``1 / (2 dt)`` and the clipped band is reported;
- time outside a band: seconds where ``p`` leaves ``+- band_mw`` around its
  trailing mean over ``band_window_s`` [s].

References
----------
.. [1] P. Welch, "The use of fast Fourier transform for the estimation of power
   spectra", IEEE Trans. Audio Electroacoustics 15(2), 1967, doi:10.1109/TAU.1967.1161901.
.. [2] NERC Large Loads Task Force, white paper, Jul 2025 (ramp rates and
   oscillations of large loads); sources.md F4, limits in bands such as 0.1-20 Hz.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
from scipy.signal import welch

from gigawatt.dynamics import _validate as v
from gigawatt.errors import InputError

# source: sources.md F4, utilities limit oscillation in bands such as 0.1-20 Hz.
DEFAULT_BAND_HZ = (0.1, 20.0)


@dataclass(frozen=True)
class ComplianceLimits:
    """Limits a utility may write into an interconnection agreement.

    Parameters
    ----------
    max_ramp_mw_per_s : float
        Largest allowed ``|dp/dt|`` [MW/s]; ``inf`` = none.
    ramp_percentile : float
        Percentile reported and checked against ``percentile_ramp_mw_per_s`` [%].
    percentile_ramp_mw_per_s : float
        Limit on that percentile of ``|dp/dt|`` [MW/s]; ``inf`` = none.
    max_step_mw : float
        Largest allowed change within ``step_window_s`` [MW]; ``inf`` = none.
    step_window_s : float
        Window of the step metric [s].
    band_hz : tuple of float
        Oscillation band (low, high) [Hz].
    max_band_rms_mw : float
        Largest allowed RMS power in the band [MW]; ``inf`` = none.
    band_mw : float
        Half-width of the allowed band around the trailing mean [MW]; ``inf`` = none.
    band_window_s : float
        Window of that trailing mean [s].
    max_time_outside_band_s : float
        Allowed time outside the band [s] per trace.
    """

    max_ramp_mw_per_s: float = math.inf
    ramp_percentile: float = 99.0
    percentile_ramp_mw_per_s: float = math.inf
    max_step_mw: float = math.inf
    step_window_s: float = 1.0
    band_hz: tuple[float, float] = DEFAULT_BAND_HZ
    max_band_rms_mw: float = math.inf
    band_mw: float = math.inf
    band_window_s: float = 60.0
    max_time_outside_band_s: float = 0.0

    def __post_init__(self) -> None:
        v.positive("max_ramp_mw_per_s", self.max_ramp_mw_per_s, allow_inf=True)
        v.fraction("ramp_percentile", self.ramp_percentile, lo=0.0, hi=100.0)
        v.positive("percentile_ramp_mw_per_s", self.percentile_ramp_mw_per_s, allow_inf=True)
        v.positive("max_step_mw", self.max_step_mw, allow_inf=True)
        v.positive("step_window_s", self.step_window_s)
        if len(self.band_hz) != 2:
            raise InputError(f"band_hz: expected (low, high) in Hz, got {self.band_hz!r}")
        lo, hi = (v.non_negative("band_hz low", self.band_hz[0]),
                  v.positive("band_hz high", self.band_hz[1]))
        if hi <= lo:
            raise InputError(f"band_hz: expected low < high, got {self.band_hz!r}")
        object.__setattr__(self, "band_hz", (lo, hi))
        v.positive("max_band_rms_mw", self.max_band_rms_mw, allow_inf=True)
        v.positive("band_mw", self.band_mw, allow_inf=True)
        v.positive("band_window_s", self.band_window_s)
        v.non_negative("max_time_outside_band_s", self.max_time_outside_band_s)


@dataclass(frozen=True)
class ComplianceReport:
    """Metrics of one trace and whether each meets its limit."""

    max_ramp_mw_per_s: float
    percentile_ramp_mw_per_s: float
    ramp_percentile: float
    max_step_mw: float
    band_hz: tuple[float, float]
    band_rms_mw: float
    time_outside_band_s: float
    ok_max_ramp: bool
    ok_percentile_ramp: bool
    ok_step: bool
    ok_band_rms: bool
    ok_time_outside_band: bool

    @property
    def compliant(self) -> bool:
        """Whether every limit is met."""
        return (self.ok_max_ramp and self.ok_percentile_ramp and self.ok_step and self.ok_band_rms
                and self.ok_time_outside_band)

    def to_dict(self) -> dict:
        """Plain dict for JSON output."""
        d = asdict(self)
        d["band_hz"] = list(self.band_hz)
        d["compliant"] = self.compliant
        return d


def ramp_rates_mw_per_s(power_mw: np.ndarray, dt_s: float) -> np.ndarray:
    """Ramp rate between consecutive values [MW/s]."""
    return np.diff(np.asarray(power_mw, dtype=float)) / dt_s


def largest_step_mw(power_mw: np.ndarray, dt_s: float, window_s: float) -> float:
    """Largest ``|p[i+w] - p[i]|`` with ``w = max(1, round(window_s / dt_s))`` [MW]."""
    p = np.asarray(power_mw, dtype=float)
    w = max(1, int(round(window_s / dt_s)))
    if p.size <= w:
        return float(np.ptp(p)) if p.size else 0.0
    return float(np.max(np.abs(p[w:] - p[:-w])))


def band_psd(power_mw: np.ndarray, dt_s: float, *, segment_s: float = 60.0):
    """Welch one-sided power spectral density of the power's variations.

    Parameters
    ----------
    power_mw : ndarray
        Power [MW].
    dt_s : float
        Time step [s].
    segment_s : float
        Welch segment length [s] (frequency resolution ~1/segment_s), Hann window,
        50 % overlap, mean removed per segment.

    Returns
    -------
    freq_hz, psd_mw2_per_hz : ndarray
    """
    p = np.asarray(power_mw, dtype=float)
    nper = int(min(p.size, max(8, round(segment_s / dt_s))))
    return welch(p, fs=1.0 / dt_s, window="hann", nperseg=nper, detrend="constant",
                 scaling="density")


def band_rms_mw(power_mw: np.ndarray, dt_s: float, band_hz: tuple[float, float], *,
                segment_s: float = 60.0) -> tuple[float, tuple[float, float]]:
    """RMS of the power in a frequency band [MW], and the band actually used [Hz].

    The band is clipped at the Nyquist frequency. Integrates the Welch density
    (trapezoid over the bins inside the band, each bin weighted by its width).
    """
    f, pxx = band_psd(power_mw, dt_s, segment_s=segment_s)
    nyq = 0.5 / dt_s
    lo, hi = band_hz[0], min(band_hz[1], nyq)
    if hi <= lo:
        return 0.0, (lo, hi)
    df = f[1] - f[0] if f.size > 1 else 0.0
    # bin i covers [f_i - df/2, f_i + df/2]; overlap with [lo, hi]
    left = np.clip(f - df / 2, lo, hi)
    right = np.clip(f + df / 2, lo, hi)
    var = float(np.sum(pxx * (right - left)))
    return math.sqrt(max(var, 0.0)), (lo, hi)


def time_outside_band_s(power_mw: np.ndarray, dt_s: float, band_mw: float,
                        window_s: float) -> float:
    """Time the power is more than ``band_mw`` from its trailing mean over ``window_s`` [s]."""
    if math.isinf(band_mw):
        return 0.0
    p = np.asarray(power_mw, dtype=float)
    w = max(1, int(round(window_s / dt_s)))
    c = np.concatenate([[0.0], np.cumsum(p)])
    idx = np.arange(1, p.size + 1)
    lo = np.maximum(idx - w, 0)
    mean = (c[idx] - c[lo]) / (idx - lo)
    return float(np.count_nonzero(np.abs(p - mean) > band_mw) * dt_s)


def check_compliance(power_mw: np.ndarray, dt_s: float, limits: ComplianceLimits) -> ComplianceReport:
    """All compliance metrics of a grid-side trace against ``limits``.

    Parameters
    ----------
    power_mw : ndarray
        Grid-side power [MW], >= 2 values.
    dt_s : float
        Time step [s].
    limits : ComplianceLimits
        Limits to check.

    Returns
    -------
    ComplianceReport
    """
    p = np.asarray(power_mw, dtype=float)
    v.positive("dt_s", dt_s)
    if p.ndim != 1 or p.size < 2:
        raise InputError("power_mw: expected a 1-D array with at least two values")
    r = np.abs(ramp_rates_mw_per_s(p, dt_s))
    rmax = float(r.max())
    rpct = float(np.percentile(r, limits.ramp_percentile))
    step = largest_step_mw(p, dt_s, limits.step_window_s)
    rms, band = band_rms_mw(p, dt_s, limits.band_hz)
    out = time_outside_band_s(p, dt_s, limits.band_mw, limits.band_window_s)
    tol = 1e-9
    return ComplianceReport(
        max_ramp_mw_per_s=rmax, percentile_ramp_mw_per_s=rpct,
        ramp_percentile=limits.ramp_percentile, max_step_mw=step, band_hz=band, band_rms_mw=rms,
        time_outside_band_s=out,
        ok_max_ramp=rmax <= limits.max_ramp_mw_per_s * (1 + tol) + tol,
        ok_percentile_ramp=rpct <= limits.percentile_ramp_mw_per_s * (1 + tol) + tol,
        ok_step=step <= limits.max_step_mw * (1 + tol) + tol,
        ok_band_rms=rms <= limits.max_band_rms_mw,
        ok_time_outside_band=out <= limits.max_time_outside_band_s,
    )
