"""Input checks shared by every parameter class (site model, dynamics, studies).

Every check raises :class:`gigawatt.errors.InputError` naming the field and the
expected range, so the CLI can print it as one paragraph.
"""

from __future__ import annotations

import math

from gigawatt.errors import InputError


# ------------------------------------------------------------------ a file's fields (path, value, range)
def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def text(x, where: str, *, choices=None, what: str = "a string") -> str:
    """A file's field: ``x`` if it is a string (and one of ``choices`` when given), else an InputError at ``where``."""
    if not isinstance(x, str):
        if choices is not None:
            raise InputError(f"{where}: expected one of {sorted(choices)}, got {x!r}")
        raise InputError(f"{where}: expected {what}, got {x!r}")
    if choices is not None and x not in choices:
        raise InputError(f"{where}: expected one of {sorted(choices)}, got {x!r}")
    return x


def number(x, where: str, *, lo: float = -math.inf, hi: float = math.inf, allow_inf: bool = False) -> float:
    """``x`` as a float in ``[lo, hi]``; NaN never, infinities only with ``allow_inf``.

    With ``allow_inf`` an infinity is returned as is, for the model to accept ("no limit")
    or reject with its own message.
    """
    if not _is_number(x):
        raise InputError(f"{where}: expected a number, got {x!r}")
    if isinstance(x, int) and not lo <= x <= hi:
        raise InputError(f"{where}: expected a number in [{lo:g}, {hi:g}], got {x!r}")
    f = float(x)
    if math.isnan(f):
        raise InputError(f"{where}: expected a number, got nan")
    if math.isinf(f):
        if allow_inf:
            return f
        raise InputError(f"{where}: expected a finite number in [{lo:g}, {hi:g}], got {x!r}")
    if not lo <= f <= hi:
        raise InputError(f"{where}: expected a number in [{lo:g}, {hi:g}], got {x!r}")
    return f


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
