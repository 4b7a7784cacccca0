"""Print the decision table of docs/outlook.md from a ``gigawatt run`` results.json.

Usage::

    gigawatt run --out /tmp/run                          # = make run (about 100 s)
    python tools/outlook_table.py /tmp/run/results.json  # paste over the table in docs/outlook.md
    python tools/outlook_table.py --decomposition /tmp/run/results.json  # the decomposition's table

One row per study year: the firm policy's gap [GW] with its 95 % interval, then each policy's LOLE [d/yr]
and verdict (✓ meets, ✗ fails, ? at the standard; ``<``: no shortfall day seen, the exact upper bound).
LOLE is printed to two significant figures below 10 d/yr, to whole days above.

``--decomposition``: one row per step of ``gap_decomposition``, one column per decomposed year: the gap [GW]
with its 95 % interval and the change from the step before (``=``: unchanged or no effect).
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


def decomposition_table(results: dict) -> str:
    """The Markdown table of ``results["gap_decomposition"]``: steps by decomposed year."""
    dec = results["gap_decomposition"]
    years = list(dec)
    out = ["| step | " + " | ".join(f"{y} GW (change)" for y in years) + " |", "|---|" + "---:|" * len(years)]
    for k, step in enumerate(r["step"] for r in dec[years[0]]):
        row = [step]
        for y in years:
            r = dec[y][k]
            hi = "" if r["high_mw"] is None else f"{r['high_mw'] / 1e3:.1f}"
            cell = f"{r['gap_mw'] / 1e3:.1f}"
            if k == 0:
                pass
            elif r.get("status") in ("unchanged", "no effect"):
                cell += f" ({r['low_mw'] / 1e3:.1f}-{hi}) (= {r['status']})"
            else:
                cell += f" ({r['low_mw'] / 1e3:.1f}-{hi}) ({(r['gap_mw'] - dec[y][k - 1]['gap_mw']) / 1e3:+.1f})"
            row.append(cell)
        out.append("| " + " | ".join(row) + " |")
    return "\n".join(out)


if __name__ == "__main__":
    args = sys.argv[1:]
    dec = args[:1] == ["--decomposition"]
    if len(args) != 1 + dec:
        sys.exit(__doc__)
    with open(args[-1], encoding="utf-8") as f:
        res = json.load(f)
    print(decomposition_table(res) if dec else table(res))
