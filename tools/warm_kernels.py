"""Compile and cache the sampler's kernels at install, so the first answer does not wait for them.

Called by ``make`` after the install: the two versions of the kernel (systems without and with
data-center sites, see ``gigawatt.methods._smc_kernel``) compile in two processes at once (one per CPU,
~40-60 s each on a 2-CPU machine) into the user cache (``gigawatt.methods._numba_cache``). Each is
compiled by assessing a tiny embedded system for one sample. A ``pip install`` without ``make`` compiles
them on first use instead.

Usage: ``python tools/warm_kernels.py`` (both) or ``python tools/warm_kernels.py plain|datacenters``.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "datacenters_rts79.toml"


def warm(which: str) -> None:
    from gigawatt import SequentialMonteCarlo, Shortfall, assess
    from gigawatt.io.catalogue import embedded_system

    if which == "plain":
        system = embedded_system("ieee-rts79")
    else:
        from gigawatt.io.scenario import read_scenario_system

        system = read_scenario_system(EXAMPLE)
    assess(system, SequentialMonteCarlo(samples=1, seed=1, threads=1), Shortfall())


def main(argv: list[str]) -> int:
    if argv:
        warm(argv[0])
        return 0
    t0 = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, __file__, which]) for which in ("plain", "datacenters")]
    codes = [p.wait() for p in procs]
    if any(codes):
        print("warm_kernels: a kernel failed to compile; it will compile on first use", file=sys.stderr)
        return 1
    print(f"kernels compiled and cached ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
