"""Time-varying failure rates of two-state units (compiled): the path that makes the outage probability follow a target."""

from __future__ import annotations

import numpy as np
from numba import njit


def hazard_for(target: np.ndarray, repair_prob: float) -> np.ndarray:
    """Hourly failure probabilities that make a two-state unit's chance of being out follow ``target``.

    A unit out with probability ``u`` is out the next hour with ``u (1 - r) + (1 - u) f`` (repair
    ``r``, failure ``f``), so ``f = (target' - u (1 - r)) / (1 - u)``. Where the target falls faster
    than repairs allow, ``f`` is 0 and the unit recovers at the repair rate (the expected outage
    then lags the target). The first hour starts at the stationary value.

    Parameters
    ----------
    target : (T,) unavailability wanted [fraction], < 1
    repair_prob : float
        Probability per hour that an out unit returns (1 / MTTR) [-].

    Returns
    -------
    (T,) failure probability per hour [-]
    """
    target = np.asarray(target, float)
    return _hazard_path(target, float(repair_prob))


@njit(cache=True)
def _hazard_path(target, r):  # pragma: no cover - compiled
    n = target.shape[0]
    f = np.empty(n)
    u = target[0]
    for t in range(n):
        f[t] = r * target[t] / (1.0 - target[t])
    for t in range(n - 1):
        if target[t + 1] == target[t] and u == target[t]:
            continue  # stationary
        ft = (target[t + 1] - u * (1.0 - r)) / (1.0 - u)
        ft = min(max(ft, 0.0), 1.0)
        f[t] = ft
        u = u * (1.0 - r) + (1.0 - u) * ft
        if abs(u - target[t + 1]) < 1e-15:
            u = target[t + 1]
    return f
