"""Cold compile time of the engine's kernels: each case in a fresh process with an empty kernel cache.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_compile.py                  # all cases, one run each
    .venv/bin/python benchmarks/bench_compile.py --case first-answer --repeat 3

Cases:

* ``first-answer``: ``gigawatt adequacy ieee-rts79 --samples 1000`` end to end (start-up, compile, run);
* ``plain``: the first call of the kernel on IEEE RTS-79 (the variant without data centers);
* ``dc``: the first call on RTS-GMLC with a 1 GW site (``examples/rts_dc_onsite_gen.toml``), the
  variant with the data-center step, with the plain variant's helpers already cached.

Each case runs with ``NUMBA_CACHE_DIR`` pointing to a new temporary folder (gigawatt's kernels then go
to ``$NUMBA_CACHE_DIR/gigawatt``, see ``gigawatt.methods._numba_cache``). Prints wall time and the
child's CPU time (user + system): on a shared host the CPU time is the steadier figure.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FIRST_CALL = """
import sys, time
from gigawatt.methods import sequential as S
system = {system}
prep = S.prepare(system)
t = time.perf_counter()
S.run_chunk(prep, 1, 0, 4, 1, False)
print(f"first call {{time.perf_counter() - t:.1f}} s")
"""
RTS79 = "__import__('gigawatt.systems', fromlist=['ieee_rts79']).ieee_rts79()"
CLI = "import sys; from gigawatt.cli import main; sys.exit(main(sys.argv[1:]))"


def _dc_system_code() -> str:
    return (f"from gigawatt.io.scenario import read_scenario\n"
            f"from gigawatt.io.catalogue import from_scenario\n"
            f"system = from_scenario(read_scenario({str(ROOT / 'examples' / 'rts_dc_onsite_gen.toml')!r}))\n")


def run_case(case: str) -> tuple[float, float, str]:
    with tempfile.TemporaryDirectory(prefix="gw-compile-") as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        env.pop("GIGAWATT_CACHE_DIR", None)
        if case == "first-answer":
            cmd = [sys.executable, "-c", CLI, "adequacy", "ieee-rts79", "--samples", "1000"]
        elif case == "plain":
            cmd = [sys.executable, "-c", FIRST_CALL.format(system=RTS79)]
        elif case == "dc":
            # the plain variant first (its helpers are shared), then the timed first call with sites
            subprocess.run([sys.executable, "-c", FIRST_CALL.format(system=RTS79)], env=env, check=True,
                           capture_output=True)
            code = _dc_system_code() + FIRST_CALL.format(system="system")
            cmd = [sys.executable, "-c", code]
        else:
            raise SystemExit(f"unknown case {case!r}")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            raise SystemExit(f"{case}: failed\n{proc.stderr[-3000:]}")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        last = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
        return wall, cpu, last


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--case", choices=("first-answer", "plain", "dc"), action="append")
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    for case in args.case or ["first-answer", "plain", "dc"]:
        for _ in range(args.repeat):
            load = os.getloadavg()[0]
            wall, cpu, last = run_case(case)
            print(f"{case:13s} wall {wall:6.1f} s  cpu {cpu:6.1f} s  (load {load:.1f})  {last}", flush=True)


if __name__ == "__main__":
    main()
