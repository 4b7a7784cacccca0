"""CPU time of the what-if's samples per study year, on one thread, for paired A/B on a shared host.

For each year: the what-if page's system with its default settings (``gigawatt.web.whatif``: the year's
grid, the firm policy, demand response on), prepared once, then ``--reps`` runs of ``--samples`` samples
on one thread (``run_chunk``); prints CPU ms per sample (``time.process_time``, which other processes on
the host do not inflate, though a busy sibling hyperthread still slows it), min and median over the runs.
Run it alternately with two source trees for an A/B::

    PYTHONPATH=<base src> .venv/bin/python benchmarks/bench_whatif_cpu.py 2026 2030 2035
    PYTHONPATH=src .venv/bin/python benchmarks/bench_whatif_cpu.py 2026 2030 2035

A sample holds every weather year of the outlook (23 weather years: the page's default 44 samples are
1,012 simulated years). ``--periods lolp --reuse`` runs as the page does: the LOLP only kept by period, the
grid's outages recorded by the warm-up run and read back by the timed ones.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("years", nargs="*", type=int, default=[2026, 2030, 2035])
    ap.add_argument("--samples", type=int, default=4)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--periods", choices=("all", "lolp"), default="all",
                    help="what the runs keep by period (the page's own: lolp)")
    ap.add_argument("--reuse", action="store_true",
                    help="the grid's outages recorded by the warm-up run and read back (as the page does)")
    a = ap.parse_args(argv)
    os.environ.setdefault("NUMBA_NUM_THREADS", "1")
    import gigawatt
    from gigawatt.methods.sequential import prepare, run_chunk
    from gigawatt.web.server import load_engine
    from gigawatt.web.whatif import Settings, whatif_system

    e = load_engine()
    out = {"src": os.path.dirname(gigawatt.__file__), "weather_years": len(e.outlook.weather_years),
           "periods": a.periods, "reuse": a.reuse,
           "samples": a.samples, "reps": a.reps, "cpu_ms_per_sample": {}}
    for y in a.years:
        p = prepare(whatif_system(e.resolve(Settings(year=y)), e.grid(y)))
        kw = {} if a.periods == "all" else {"periods": a.periods}  # (a tree from before the option: as it was)
        if a.reuse:
            from gigawatt.methods.sequential import outage_record

            p.outages = outage_record(p, 1)
        run_chunk(p, 1, 0, a.samples if a.reuse else 1, 1, False, **kw)  # kernels loaded, tables warm
        ts = []
        for _ in range(a.reps):
            c = time.process_time()
            run_chunk(p, 1, 0, a.samples, 1, False, **kw)
            ts.append((time.process_time() - c) / a.samples * 1e3)
        out["cpu_ms_per_sample"][y] = {"min": round(min(ts), 1), "median": round(statistics.median(ts), 1)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
