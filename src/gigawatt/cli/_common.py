"""Shared helpers for CLI sub-commands.

Nothing heavy is imported at module level: ``gigawatt --help`` must stay fast (rich is loaded
when :data:`error_console` is first used).
"""

from __future__ import annotations

import json
import math
import sys


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
    """Write one JSON object on stdout."""
    sys.stdout.write(json.dumps(obj, indent=2, default=float) + "\n")
    sys.stdout.flush()
