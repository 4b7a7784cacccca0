"""Input checks for the data-center parameter classes.

Messages name the field relative to the object being built (``energy_mwh``); the
scenario loader prefixes the path of the object in the file
(``sites[1].battery.energy_mwh``) by catching :class:`InputError` and re-raising with
:func:`prefixed`.
"""

from __future__ import annotations

import math

from gigawatt.errors import InputError
from gigawatt.validation import finite, fraction, non_negative, positive

__all__ = ["finite", "fraction", "non_negative", "positive", "whole", "prefixed", "one_of"]


def whole(name: str, value, *, lo: int = 0) -> int:
    """Check that ``value`` is a whole number >= ``lo``; return it as int."""
    try:
        f = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name}: expected a whole number >= {lo}, got {value!r}") from None
    if not math.isfinite(f) or f != int(f) or f < lo:
        raise InputError(f"{name}: expected a whole number >= {lo}, got {value!r}")
    return int(f)


def one_of(name: str, value, choices) -> str:
    """Check that ``value`` is one of ``choices`` (strings)."""
    if value not in choices:
        raise InputError(f"{name}: expected one of {sorted(choices)}, got {value!r}")
    return value


def prefixed(prefix: str, exc: InputError) -> InputError:
    """A copy of ``exc`` whose message starts with ``prefix.`` (the path of the object)."""
    return InputError(f"{prefix}.{exc}" if prefix else str(exc))
