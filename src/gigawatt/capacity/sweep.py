"""Sweeps: how many megawatts of headroom each unit of flexibility buys.

:func:`sweep` repeats :func:`~gigawatt.capacity.load_headroom.reliability_headroom` over
sizes of one option, every run with the same seed (so neighbouring points differ only by
the option, not by the sampled outages), and returns a table; :func:`gigawatt.report.plots.plot_sweep` draws
it. Options:

``battery_mw``
    A battery of that power [MW] with ``duration_h`` hours of energy (default 4 h,
    Megapack 4-hour), in the data center's regions; firm load.
``curtailment_h``
    The ``capped:H`` contract with H [h/yr] of curtailment (0 = firm).
``onsite_mw``
    On-site gas turbines of that total capacity [MW] in units of at most ``unit_mw``
    (default 50 MW, FOR 0.031); firm load.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pandas as pd

from gigawatt.capacity.builders import BatteryOption, CappedLoad, FirmLoad, OnsiteGenerationOption, Placement
from gigawatt.capacity.load_headroom import reliability_headroom
from gigawatt.capacity.targets import MonteCarlo, Target
from gigawatt.errors import InputError

#: option -> (axis label with unit)
OPTIONS = {
    "battery_mw": "battery power [MW] (4 h unless set)",
    "curtailment_h": "allowed curtailment [full-load h/yr]",
    "onsite_mw": "on-site gas turbines [MW]",
}


def parse_sweep(text: str) -> tuple[str, list[float]]:
    """``"battery_mw=0,100,200"`` -> ("battery_mw", [0, 100, 200])."""
    if not isinstance(text, str) or text.count("=") != 1:
        raise InputError(f"--sweep must be OPTION=SIZE,SIZE,... with OPTION one of {sorted(OPTIONS)}; got {text!r}")
    name, vals = (p.strip() for p in text.split("="))
    if name not in OPTIONS:
        raise InputError(f"--sweep: unknown option {name!r}; expected one of {sorted(OPTIONS)}")
    try:
        sizes = [float(v) for v in vals.split(",") if v.strip()]
    except ValueError:
        raise InputError(f"--sweep: sizes must be comma-separated numbers, got {vals!r}") from None
    if not sizes or any(not math.isfinite(v) or v < 0 for v in sizes):
        raise InputError(f"--sweep: sizes must be non-negative numbers, got {vals!r}")
    return name, sizes


def _setup(option, size, placement, duration_h, unit_mw):
    if option == "battery_mw":
        return FirmLoad(placement), (BatteryOption(size, size * duration_h, placement=placement),)
    if option == "curtailment_h":
        return (CappedLoad(size, placement) if size > 0 else FirmLoad(placement)), ()
    if option == "onsite_mw":
        units = max(1, int(math.ceil(size / unit_mw - 1e-9))) if size > 0 else 0
        return FirmLoad(placement), ((OnsiteGenerationOption(size / units, units, placement=placement),) if units else ())
    raise InputError(f"--sweep: unknown option {option!r}; expected one of {sorted(OPTIONS)}")


def sweep(system, option: str, sizes, *, target: Target | str = Target(), placement: Placement = Placement(),
          mc: MonteCarlo = MonteCarlo(), duration_h: float = 4.0, unit_mw: float = 50.0, **search) -> pd.DataFrame:
    """Reliability headroom against the size of one flexibility option.

    Parameters
    ----------
    system : SystemModel
    option : str
        ``battery_mw``, ``curtailment_h`` or ``onsite_mw`` (see the module docstring).
    sizes : sequence of float
        Sizes of the option [MW or h/yr].
    target, placement, mc
        As for :func:`~gigawatt.capacity.load_headroom.reliability_headroom`.
    duration_h : float
        Battery energy per MW [h].
    unit_mw : float
        Largest on-site unit [MW].
    **search
        Passed to the search (``z``, ``rel_tol``, ``abs_tol_mw``, ``max_trials``).

    Returns
    -------
    pandas.DataFrame
        One row per size: ``size``, ``headroom_low_mw``, ``headroom_high_mw``,
        ``headroom_estimate_mw``, ``gain_mw`` (estimate minus that of the first size),
        ``achieved_low``/``achieved_high`` (metric means) with ``_stderr``, ``trials``,
        ``seconds``; ``attrs`` hold the option, target and Monte Carlo settings.
    """
    if not duration_h > 0 or not unit_mw > 0:
        raise InputError("sweep: duration_h and unit_mw must be positive")
    target = Target.parse(target) if isinstance(target, str) else target
    rows = []
    for size in sizes:
        contract, resources = _setup(option, float(size), placement, duration_h, unit_mw)
        t0 = time.perf_counter()
        res = reliability_headroom(system, target, contract=contract, placement=placement, resources=resources,
                                   mc=mc, **search)
        c = res.crossing
        rows.append({
            "size": float(size), "headroom_low_mw": c.low_mw, "headroom_high_mw": c.high_mw,
            "headroom_estimate_mw": c.estimate_mw,
            "achieved_low": c.achieved_low.mean if c.achieved_low else np.nan,
            "achieved_low_stderr": c.achieved_low.stderr if c.achieved_low else np.nan,
            "achieved_high": c.achieved_high.mean if c.achieved_high else np.nan,
            "achieved_high_stderr": c.achieved_high.stderr if c.achieved_high else np.nan,
            "trials": c.n_trials, "seconds": time.perf_counter() - t0, "status": c.status,
        })
    df = pd.DataFrame(rows)
    df["gain_mw"] = df["headroom_estimate_mw"] - df["headroom_estimate_mw"].iloc[0]
    df.attrs.update(option=option, target=target.to_dict(), samples=mc.samples, seed=mc.seed,
                    duration_h=duration_h, unit_mw=unit_mw)
    return df
