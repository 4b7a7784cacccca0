"""Do the gap's intervals hold another seed's estimate? The check across seeds of a grid's main job.

Runs ``gigawatt run GRID --policies firm --seed S`` for each seed (the gap is the firm policy's, so the
other policies are left out), reads each run's ``gap_mw`` from results.json and counts, for every ordered
pair of seeds (A, B) and study year, whether B's estimate lies in A's 95 % prediction interval
(``low``-``high``; a lower bound, ``high`` null, is left out). The intervals are built to hold another
seed's estimate with 95.4 % probability (:func:`gigawatt.decision.search.interval_quantiles`), so over many
pairs about that share should hold. Pairs share a seed, so they are not independent: read the share, not a
binomial test on it.

Run from the repository root (each seed 15-30 s for ERCOT or TVA, about 2 minutes for PJM)::

    .venv/bin/python tools/seed_coverage.py ercot --seeds 1-8
    .venv/bin/python tools/seed_coverage.py tva --seeds 1-8 --out /tmp/tva_seeds
    .venv/bin/python tools/seed_coverage.py ercot --seeds 1-8 --reuse   # read the runs already in --out
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
from pathlib import Path


def seeds_of(text: str) -> list[int]:
    """``"1-8"`` or ``"1,7,42"`` -> the seeds (at least two, each once)."""
    out = []
    for part in text.split(","):
        lo, _, hi = part.strip().partition("-")
        try:
            first, last = int(lo), int(hi or lo)
        except ValueError:
            raise SystemExit(f"--seeds: expected e.g. 1-8 or 1,7,42, got {text!r}") from None
        if last < first:
            raise SystemExit(f"--seeds: {part.strip()!r} runs backwards")
        out += list(range(first, last + 1))
    if len(set(out)) != len(out) or len(out) < 2:
        raise SystemExit(f"--seeds: expected two seeds or more, each once, got {text!r}")
    return out


def gaps(results: Path) -> dict:
    """Study year -> results.json's ``gap_mw`` entry of one run."""
    return json.loads(results.read_text())["gap_mw"]


def coverage(runs: dict) -> tuple[dict, list]:
    """``runs``: seed -> {year: gap}. Returns year -> (held, compared) and the misses
    ``(year, seed A, seed B, A's low, A's high, B's estimate)``. Left out: a lower bound on either side
    (``high`` null: the crossing lies beyond the search, "at least" its estimate) and an interval of no
    width (a year that meets the standard with nothing added: its 0-0 holds another 0 by construction)."""
    by_year, misses = {}, []
    for a, b in itertools.permutations(sorted(runs), 2):
        for year, ga in runs[a].items():
            gb = runs[b].get(year)
            if gb is None or ga["high"] is None or gb["high"] is None or gb["estimate"] is None:
                continue
            if ga["high"] <= ga["low"]:
                continue
            held = ga["low"] <= gb["estimate"] <= ga["high"]
            h, n = by_year.get(year, (0, 0))
            by_year[year] = (h + held, n + 1)
            if not held:
                misses.append((year, a, b, ga["low"], ga["high"], gb["estimate"]))
    return by_year, misses


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("grid", help="pjm, ercot, tva or a grid description TOML")
    ap.add_argument("--seeds", default="1-8", help="seeds, e.g. 1-8 or 1,7,42 (default 1-8)")
    ap.add_argument("--out", type=Path, default=None, help="folder for the runs (default /tmp/seed_coverage_GRID)")
    ap.add_argument("--reuse", action="store_true", help="read the runs already in --out instead of running")
    args = ap.parse_args(argv)
    out = args.out or Path(f"/tmp/seed_coverage_{Path(args.grid).stem}")
    runs = {}
    for s in seeds_of(args.seeds):
        folder = out / f"seed{s}"
        if not args.reuse:
            cmd = [sys.executable, "-m", "gigawatt", "run", args.grid, "--policies", "firm", "--seed", str(s),
                   "--out", str(folder)]
            if subprocess.run(cmd, stdout=subprocess.DEVNULL).returncode != 0:
                raise SystemExit(f"seed {s}: `{' '.join(cmd[1:])}` failed (its message is above)")
        try:
            runs[s] = gaps(folder / "results.json")
        except (OSError, ValueError, KeyError) as e:
            raise SystemExit(f"seed {s}: cannot read {folder / 'results.json'} ({e}); run without --reuse")
    by_year, misses = coverage(runs)
    held = sum(h for h, _ in by_year.values())
    total = sum(n for _, n in by_year.values())
    print(f"{args.grid}, seeds {args.seeds}: another seed's estimate inside a seed's 95 % prediction interval "
          f"in {held} of {total} comparisons ({held / max(total, 1):.1%}; nominal 95.4 %)")
    for year in sorted(by_year):
        h, n = by_year[year]
        print(f"  {year}: {h} of {n}")
    for year, a, b, lo, hi, est in misses:
        print(f"  miss {year}: seed {a}'s {lo / 1e3:.1f}-{hi / 1e3:.1f} GW, seed {b}'s {est / 1e3:.1f} GW")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
