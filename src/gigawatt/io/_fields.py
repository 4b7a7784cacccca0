"""Typed field checks and size limits shared by the scenario readers (TOML).

Each check takes the value, the field's path in the file (``sites[1].battery.units``) and
the accepted range, and raises :class:`gigawatt.errors.InputError` naming the path, the
value and what was expected; the readers add the file name. The limits protect memory and
keep sums of loads and capacities far from float overflow; they are listed in
``docs/data.md`` ("Limits").
"""

from __future__ import annotations

import math

from gigawatt.constants import MAX_SAMPLES, MAX_SEED  # noqa: F401 - samples and seed a file may ask for
from gigawatt.errors import InputError
from gigawatt.validation import _is_number, number as _number, text  # noqa: F401 - the readers' checks

#: Largest magnitude of any number in a scenario file (MW, MWh, hours, people per MW, ...).
MAX_NUMBER = 1e9
#: Largest peak, capacity, data-center load or yearly change in an outlook scenario [MW]: 1 TW,
#: about six PJMs (the PJM-like grid holds about 2,600 simulated units per TW and weather year).
MAX_OUTLOOK_MW = 1e6
#: Weather years simulated back to back in an outlook year (each adds 8,760 periods).
MAX_WEATHER_YEARS = 50
#: GPUs in one fleet [-].
MAX_GPUS = 100_000_000
#: Megapack units in one site battery [-].
MAX_BATTERY_UNITS = 100_000
#: On-site generating units of one site [-] (each unit is simulated: about 0.1 MB each).
MAX_ONSITE_UNITS = 5_000
#: Rotatable blocks of the rotating-outage policy [-].
MAX_ROTATION_BLOCKS = 10_000


def number(x, where: str, *, lo: float = -MAX_NUMBER, hi: float = MAX_NUMBER, allow_inf: bool = False) -> float:
    """``x`` as a float in ``[lo, hi]`` (default: within :data:`MAX_NUMBER`), as
    :func:`gigawatt.validation.number`."""
    return _number(x, where, lo=lo, hi=hi, allow_inf=allow_inf)


def whole(x, where: str, *, lo: int, hi: int) -> int:
    """``x`` as an int in ``[lo, hi]`` (a float with a whole value is accepted)."""
    ok = _is_number(x) and (isinstance(x, int) or (math.isfinite(x) and x == int(x)))
    if not ok or not lo <= x <= hi:
        raise InputError(f"{where}: expected a whole number in [{lo:,}, {hi:,}], got {x!r}")
    return int(x)


def at_most(x, where: str, hi: float, what: str = "a whole number", why: str = "a limit that protects memory"):
    """``x`` unchanged unless it is a number above ``hi`` (type and lower bound are left to the model)."""
    if _is_number(x) and not (isinstance(x, float) and math.isnan(x)) and x > hi:
        raise InputError(f"{where}: expected {what} <= {hi:,} ({why}), got {x!r}")
    return x
