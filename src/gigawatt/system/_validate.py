"""Input normalisation and validation shared by the system components.

Every array a component holds is float64 with shape ``(n_items, n_periods)``,
read-only. Constructors accept a scalar, a per-item vector ``(n_items,)`` or a
full ``(n_items, n_periods)`` array; all become the full shape here, once, so the
kernels have one code path.
"""

from __future__ import annotations

import numpy as np

from gigawatt.errors import InputError


def as_names(values, field: str) -> tuple[str, ...]:
    """Return a tuple of unique, non-empty strings."""
    names = tuple(str(v) for v in values)
    if any(not n for n in names):
        raise InputError(f"{field}: names must be non-empty strings")
    if len(set(names)) != len(names):
        seen, dup = set(), []
        for n in names:
            if n in seen:
                dup.append(n)
            seen.add(n)
        raise InputError(f"{field}: names must be unique; duplicated: {sorted(set(dup))}")
    return names


def as_labels(values, n: int, field: str, default: str = "") -> tuple[str, ...]:
    """Return a tuple of ``n`` strings (category labels may repeat)."""
    if values is None:
        return (default,) * n
    labels = tuple(str(v) for v in values)
    if len(labels) != n:
        raise InputError(f"{field}: expected {n} entries, got {len(labels)}")
    return labels


def as_series(value, n: int, t: int, field: str, *, lo=None, hi=None, lo_open=False) -> np.ndarray:
    """Broadcast ``value`` to a read-only float64 array of shape ``(n, t)`` and check its range.

    Scalars and per-item vectors become broadcast views (no memory per period).

    Parameters
    ----------
    value : scalar, array (n,) or array (n, t)
    n, t : int
        Items and periods.
    field : str
        Name used in error messages.
    lo, hi : float, optional
        Inclusive bounds (``lo`` exclusive when ``lo_open``).
    """
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{field}: expected numbers, got {type(value).__name__}") from exc
    if arr.ndim == 0:
        compact = arr
        arr = np.broadcast_to(arr, (n, t))  # read-only view: no memory per period
    elif arr.ndim == 1:
        if arr.shape[0] != n:
            raise InputError(f"{field}: expected {n} values (one per item), got {arr.shape[0]}")
        compact = arr.copy()
        arr = np.broadcast_to(compact[:, None], (n, t))
    elif arr.ndim == 2:
        if arr.shape != (n, t):
            raise InputError(f"{field}: expected shape ({n} items, {t} periods), got {arr.shape}")
        # a read-only C-contiguous float64 array that owns its data is immutable already: taken as is
        owned_readonly = (arr is value and arr.base is None and not arr.flags.writeable
                          and arr.flags.c_contiguous)
        if not owned_readonly:
            arr = np.array(arr, dtype=np.float64, order="C", copy=True)
        compact = arr
    else:
        raise InputError(f"{field}: expected a scalar, a vector or a 2-D array, got {arr.ndim}-D")
    # two reductions over the values as given (no array-sized temporaries: a grid's series are ~0.7 GB);
    # the first bad value is looked for only when there is one
    if compact.size and not _within(compact, lo, hi, lo_open):
        _raise_first_bad(arr, field, lo, hi, lo_open)
    if arr.flags.writeable:
        arr.setflags(write=False)
    return arr


def _within(a: np.ndarray, lo, hi, lo_open: bool) -> bool:
    """All of ``a`` finite and within the bounds, from its minimum and maximum (a NaN makes the minimum
    NaN, an infinity the minimum or the maximum infinite)."""
    mn, mx = float(a.min()), float(a.max())
    if not (np.isfinite(mn) and np.isfinite(mx)):
        return False
    if lo is not None and (mn <= lo if lo_open else mn < lo):
        return False
    return hi is None or mx <= hi


def _raise_first_bad(arr: np.ndarray, field: str, lo, hi, lo_open: bool) -> None:
    """The error naming the first value of ``arr`` (item, period) that is not finite or out of bounds."""
    if not np.all(np.isfinite(arr)):
        bad = np.argwhere(~np.isfinite(arr))[0]
        raise InputError(f"{field}: non-finite value at item {bad[0]}, period {bad[1] if len(bad) > 1 else 0}")
    if lo is not None:
        viol = arr <= lo if lo_open else arr < lo
        if viol.any():
            i = np.argwhere(viol)[0]
            op = ">" if lo_open else ">="
            raise InputError(f"{field}: expected values {op} {lo}, got {arr[tuple(i)]} at item {i[0]}, period {i[1]}")
    i = np.argwhere(arr > hi)[0]
    raise InputError(f"{field}: expected values <= {hi}, got {arr[tuple(i)]} at item {i[0]}, period {i[1]}")


def as_probability(value, n: int, t: int, field: str) -> np.ndarray:
    """Per-period transition probability in [0, 1]."""
    return as_series(value, n, t, field, lo=0.0, hi=1.0)


def as_efficiency(value, n: int, t: int, field: str) -> np.ndarray:
    """Efficiency in (0, 1]."""
    return as_series(value, n, t, field, lo=0.0, hi=1.0, lo_open=True)
