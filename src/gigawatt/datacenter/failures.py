"""How often a training job is interrupted by a hardware or software failure.

Used by the site model (throughput lost to restarts) and by the second-scale dynamics
(failure schedules of each job).

References
----------
.. [1] A. Kokolis et al., "Revisiting Reliability in Large-Scale Machine Learning
   Research Clusters", arXiv:2410.21680, 2024 (Meta RSC MTTF by job size).
"""

from __future__ import annotations

import math

import numpy as np

from gigawatt.validation import positive

# source: sources.md F4, Meta RSC study [1]_: fitted job MTTF 7.9 h at 1k GPUs,
# 1.8 h at 16k GPUs, ~14 min at 131k GPUs.
MTTF_TABLE_GPUS = np.array([1024.0, 16384.0, 131072.0])
MTTF_TABLE_S = np.array([7.9 * 3600.0, 1.8 * 3600.0, 14.0 * 60.0])


def job_mttf_s(n_gpus: float) -> float:
    """Mean time to an unexpected job interruption [s] for a job of ``n_gpus``.

    Piecewise power law through the Meta RSC fitted points [1]_ (log-log linear
    interpolation; the end slopes extrapolate beyond 1k and 131k GPUs).

    Parameters
    ----------
    n_gpus : float
        GPUs in the job [-], > 0.

    Returns
    -------
    float
        Mean time to failure [s].
    """
    n = positive("n_gpus", n_gpus)
    x = np.log(MTTF_TABLE_GPUS)
    y = np.log(MTTF_TABLE_S)
    lx = math.log(n)
    if lx <= x[1]:
        i = 0
    else:
        i = 1
    slope = (y[i + 1] - y[i]) / (x[i + 1] - x[i])
    return float(math.exp(y[i] + slope * (lx - x[i])))


__all__ = ["MTTF_TABLE_GPUS", "MTTF_TABLE_S", "job_mttf_s"]
