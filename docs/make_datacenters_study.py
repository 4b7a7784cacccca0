"""RTS-GMLC with a ~1 GW AI campus in region 3: firm vs connect-and-manage vs battery vs on-site generation.

Usage (from the repository root, shared data beside it)::

    PYTHONPATH=src .venv/bin/python docs/make_datacenters_study.py [--samples 3000] [--seed 1]

Writes ``docs/datacenters_study.json`` and prints a Markdown table (docs/datacenters.md, "Study").
Every case uses the same seed; on-site units draw from their own stream, so the grid's
outage draws are the same in every case (common random numbers).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from gigawatt import DataCenters, SequentialMonteCarlo, Shortfall, assess
from gigawatt.cli.adequacy import load_system

ROOT = Path(__file__).resolve().parents[1]
CASES = {
    "no data center": None,
    "firm": "rts_dc_firm.toml",
    "connect-and-manage": "rts_dc_connect_and_manage.toml",
    "firm + battery 500 MW / 1 GWh": "rts_dc_battery.toml",
    "firm + on-site gas 500 MW": "rts_dc_onsite_gen.toml",
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    method = SequentialMonteCarlo(samples=args.samples, seed=args.seed)
    out = {"samples": args.samples, "seed": args.seed, "cases": {}}
    for label, fname in CASES.items():
        if fname is None:
            system = load_system(str(ROOT.parent / "shared" / "data" / "pras" / "rts.pras"))
        else:
            system = load_system(str(ROOT / "examples" / fname))
        t0 = time.perf_counter()
        if fname is None:
            short = assess(system, method, Shortfall())
            dc = None
        else:
            short, dc = assess(system, method, Shortfall(), DataCenters())
        wall = time.perf_counter() - t0
        case = {"wall_s": round(wall, 2), "shortfall": short.to_dict()}
        if dc is not None:
            case["datacenters"] = dc.to_dict()
        out["cases"][label] = case
        print(f"{label}: {wall:.1f} s", flush=True)
    (ROOT / "docs" / "datacenters_study.json").write_text(json.dumps(out, indent=1) + "\n")
    print(table(out))


def _f(e, fmt="{:.3g}") -> str:
    return (fmt + " ± " + "{:.2g}").format(e["mean"], e["stderr"])


def table(out: dict) -> str:
    """The Markdown table of docs/datacenters.md."""
    rows = [
        ("residents: LOLE [d/yr]", lambda c: _f(c["shortfall"]["lole_d"])),
        ("residents: LOLH [h/yr]", lambda c: _f(c["shortfall"]["lolh_h"])),
        ("residents: EUE (firm load shed) [MWh/yr]", lambda c: _f(c["shortfall"]["eue_mwh"])),
        ("residents: people interrupted [/yr]", lambda c: _r(c, "people_interrupted", "{:.4g}")),
        ("residents: customer-hours [/yr]", lambda c: _r(c, "customer_hours", "{:.4g}")),
        ("residents: mean hours per affected customer [h]", lambda c: _r(c, "mean_hours_per_customer")),
        ("unserved before the emergency order [MWh/yr]", lambda c: _r(c, "unserved_before_order_mwh")),
        ("data center: curtailment events [/yr]", lambda c: _s(c, "events")),
        ("data center: hours curtailed [h/yr]", lambda c: _s(c, "curtailed_h")),
        ("data center: deepest cut [fraction]", lambda c: _s(c, "max_depth_frac")),
        ("data center: MWh curtailed [/yr]", lambda c: _s(c, "curtailed_mwh")),
        ("data center: battery MWh [/yr] (cycles)", lambda c: _bat(c)),
        ("data center: on-site generation h [/yr] (MWh)", lambda c: _gen(c)),
        ("data center: GPU-hours lost [/yr]", lambda c: _s(c, "gpu_hours_lost", "{:.4g}")),
        ("data center: throughput lost [ppm]", lambda c: _s(c, "throughput_lost_frac", scale=1e6)),
        ("data center: restarts [/yr]", lambda c: _s(c, "restarts")),
        ("run time [s]", lambda c: f"{c['wall_s']:.1f}"),
    ]
    labels = list(out["cases"])
    lines = ["| | " + " | ".join(labels) + " |", "|---" * (len(labels) + 1) + "|"]
    for name, fn in rows:
        lines.append(f"| {name} | " + " | ".join(fn(out["cases"][k]) for k in labels) + " |")
    return "\n".join(lines)


def _r(c, k, fmt="{:.3g}"):
    return _f(c["datacenters"]["residents"][k], fmt) if "datacenters" in c else "–"


def _s(c, k, fmt="{:.3g}", scale=1.0):
    if "datacenters" not in c:
        return "–"
    e = c["datacenters"]["sites"]["campus"][k]
    return _f({"mean": e["mean"] * scale, "stderr": e["stderr"] * scale}, fmt)


def _bat(c):
    if "datacenters" not in c:
        return "–"
    s = c["datacenters"]["sites"]["campus"]
    return f"{s['battery_mwh']['mean']:.3g} ({s['battery_cycles']['mean']:.2g})"


def _gen(c):
    if "datacenters" not in c:
        return "–"
    s = c["datacenters"]["sites"]["campus"]
    return f"{s['generation_h']['mean']:.3g} ({s['generation_mwh']['mean']:.3g})"


if __name__ == "__main__":
    main()
