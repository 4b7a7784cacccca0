"""Print the decision table of docs/outlook.md from a ``gigawatt run`` results.json.

Usage::

    gigawatt run --out /tmp/run                          # = make run (about 100 s)
    python tools/outlook_table.py /tmp/run/results.json  # paste over the table in docs/outlook.md

One row per study year: the firm policy's gap [GW] with its 95 % interval, then each policy's LOLE [d/yr]
and verdict (✓ meets, ✗ fails, ? at the standard; ``<``: no shortfall day seen, the exact upper bound).
LOLE is printed to two significant figures below 10 d/yr, to whole days above.
"""

from __future__ import annotations

import json
import sys

MARK = {"meets": "✓", "fails": "✗", "undecided": "?"}


def lole(cell: dict) -> str:
    """A verdict cell: ``0.11 ?``, ``< 0.07 ✓``."""
    if cell.get("upper_bound_d") is not None:
        return f"< {cell['upper_bound_d']:.1g} {MARK[cell['status']]}"
    x = cell["lole_d"]["mean"]
    return f"{x:.0f} {MARK[cell['status']]}" if x >= 10 else f"{x:.2g} {MARK[cell['status']]}"


def table(results: dict) -> str:
    """The Markdown table of the decision in ``results`` (a parsed results.json)."""
    policies = list(results["verdict"])
    gaps = results["gap_mw"]
    out = ["| year | gap GW | " + " | ".join(policies) + " |", "|---|---:|" + "---:|" * len(policies)]
    for year in gaps:
        g = gaps[year]
        hi = "" if g["high"] is None else f"{g['high'] / 1e3:.1f}"
        row = [year, f"{g['estimate'] / 1e3:.1f} ({g['low'] / 1e3:.1f}-{hi})"]
        row += [lole(results["verdict"][p][year]) for p in policies]
        out.append("| " + " | ".join(row) + " |")
    return "\n".join(out)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        print(table(json.load(f)))
