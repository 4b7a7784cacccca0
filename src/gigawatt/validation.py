"""Input checks shared by every parameter class (site model, dynamics, studies).

Every check raises :class:`gigawatt.errors.InputError` naming the field and the
expected range, so the CLI can print it as one paragraph.
"""

from __future__ import annotations

import math

from gigawatt.errors import InputError


def finite(name: str, value: float) -> float:
    """Return ``value`` as float, or raise if it is not a finite number."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name}: expected a number, got {value!r}") from None
    if not math.isfinite(v):
        raise InputError(f"{name}: expected a finite number, got {value!r}")
    return v


def positive(name: str, value: float, *, allow_inf: bool = False) -> float:
    """Check ``value > 0`` (``inf`` allowed when ``allow_inf``)."""
    if allow_inf and value == math.inf:
        return math.inf
    v = finite(name, value)
    if v <= 0:
        raise InputError(f"{name}: expected a number > 0, got {value!r}")
    return v


def non_negative(name: str, value: float, *, allow_inf: bool = False) -> float:
    """Check ``value >= 0`` (``inf`` allowed when ``allow_inf``)."""
    if allow_inf and value == math.inf:
        return math.inf
    v = finite(name, value)
    if v < 0:
        raise InputError(f"{name}: expected a number >= 0, got {value!r}")
    return v


def fraction(name: str, value: float, *, lo: float = 0.0, hi: float = 1.0,
             open_lo: bool = False) -> float:
    """Check ``lo <= value <= hi`` (``lo < value`` when ``open_lo``)."""
    v = finite(name, value)
    if v > hi or v < lo or (open_lo and v == lo):
        left = "(" if open_lo else "["
        raise InputError(f"{name}: expected a value in {left}{lo}, {hi}], got {value!r}")
    return v


__all__ = ["finite", "fraction", "non_negative", "positive"]
