"""A toy system for the capacity searches: one region, ten 100 MW units, a daily load shape."""

from __future__ import annotations

import numpy as np

from gigawatt import Convolution, Generators, Regions, SystemModel, TimeAxis, assess

N_DAYS = 20


def toy_system() -> SystemModel:
    """One region, 10 x 100 MW units (FOR 0.05, MTTR 10 h), 20 days of hourly load 550-800 MW."""
    t = 24 * N_DAYS
    hour = np.arange(t) % 24
    load = 550.0 + 250.0 * np.clip(np.sin((hour - 6) / 12 * np.pi), 0, None)
    gens = Generators.from_for([f"g{i}" for i in range(10)], ["A"] * 10, np.full(10, 100.0), 0.05, 10.0,
                               n_periods=t)
    gens = Generators(gens.names, gens.categories, gens.regions, np.full((10, t), 100.0),
                      np.broadcast_to(gens.failure_prob, (10, t)), np.broadcast_to(gens.repair_prob, (10, t)))
    return SystemModel(TimeAxis("2024-01-01", 1.0, t), Regions(("A",), load[None, :]), gens)


def exact_eue(system, added_mw: float) -> float:
    """Expected unserved energy [MWh] of ``system`` + ``added_mw`` by convolution."""
    return assess(system.with_added_load(added_mw), Convolution()).eue_mwh.mean


def bisect(f, lo, hi, tol=1e-3):
    """Root of increasing ``f`` in [lo, hi]."""
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if f(mid) <= 0 else (lo, mid)
    return 0.5 * (lo + hi)

