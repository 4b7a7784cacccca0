"""Shared helpers for CLI sub-commands.

Nothing heavy is imported at module level: ``gigawatt --help`` must stay fast (rich is loaded
when :data:`error_console` is first used).
"""

from __future__ import annotations

import math
import sys

from gigawatt.constants import MAX_SAMPLES, MAX_SEED  # noqa: F401 - largest --samples and --seed
#: Largest magnitude of a MW (or MWh, hours) option: ten times the largest interconnection's peak,
#: far from float overflow in the kernels' sums
MAX_MW = 1e7
#: Largest ``--threads`` and ``--workers``
MAX_THREADS = 1024


def __getattr__(name: str):
    if name == "error_console":  # the rich console on stderr, made on first use
        from rich.console import Console

        console = Console(stderr=True)
        globals()["error_console"] = console
        return console
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def status(text: str) -> None:
    """Say on stderr what a command is about to do, when stderr is a terminal.

    Commands call this first, before importing the numerical stack (seconds), so that a user sees
    within a second what is happening. stdout stays for results and ``--json``; like the progress
    bars, the line is left out of redirected or captured stderr (logs, tests).
    """
    if sys.stderr is not None and sys.stderr.isatty():
        sys.stderr.write(text + "\n")
        sys.stderr.flush()


def compact(x, sig: int = 3) -> str:
    """``x`` to ``sig`` significant digits, narrow and without exponent where possible.

    ``45612345 -> '45,600,000'``, ``1187.4 -> '1,187'`` (sig 4), ``0.01234 -> '0.0123'``, ``2 -> '2.00'``,
    ``2.1 -> '2'`` (sig 1); exponent notation only below 1e-4. ``None`` and NaN print as ``-``.
    """
    if x is None:
        return "-"
    x = float(x)
    if math.isnan(x):
        return "-"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        return "0"
    e = math.floor(math.log10(abs(x)))
    if e >= sig - 1:  # whole number: round to sig digits, thousands separated
        return f"{round(x, sig - 1 - e):,.0f}"
    if e < -4:
        return f"{x:.{sig - 1}e}"
    return f"{x:#.{sig}g}"  # '#': trailing zeros kept (2.00, not 2)


def print_json(obj) -> None:
    """Write one strict JSON object on stdout: NaN and infinities are written as ``null``."""
    from gigawatt._files import dumps_strict

    sys.stdout.write(dumps_strict(obj) + "\n")
    sys.stdout.flush()


def _short(x: float) -> str:
    """``1e7`` rather than ``1e+07``."""
    return f"{x:g}".replace("e+0", "e").replace("e+", "e").replace("e-0", "e-")


def finite(lo: float = -MAX_MW, hi: float = MAX_MW, unit: str = "MW"):
    """A typer callback that accepts a finite number in ``[lo, hi]`` (or ``None``) and refuses the rest.

    Click's FloatRange lets NaN through (every comparison with NaN is false); this does not.
    The refusal is a usage error: exit status 2 and a one-line message naming the option.
    """
    def check(value):
        if value is None:
            return value
        if not (math.isfinite(value) and lo <= value <= hi):
            import typer

            what = f"a finite number of {unit}" if unit else "a finite number"
            raise typer.BadParameter(f"expected {what} in [{_short(lo)}, {_short(hi)}], got {value!r}")
        return value

    return check
