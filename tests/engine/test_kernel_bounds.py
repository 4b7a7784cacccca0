"""The kernels never index out of bounds, whatever the values they compute indices from (issue 19).

An energy histogram bin computed from an infinite or NaN event energy used to be an undefined integer:
``gigawatt adequacy toymodel.pras --add-load-mw 1e304`` wrote outside the histogram and the process
aborted in the allocator (``munmap_chunk(): invalid pointer``).
"""

import math
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gigawatt.methods import _smc_kernel as K

CLI = "import sys; from gigawatt.cli import main; sys.exit(main(sys.argv[1:]))"


def _run_cli(*args, timeout=600):
    return subprocess.run([sys.executable, "-c", CLI, *args], capture_output=True, text=True, timeout=timeout)


def _assert_no_signal(proc):
    if proc.returncode < 0:
        pytest.fail(f"killed by {signal.Signals(-proc.returncode).name}: {proc.stderr[-2000:]}")
    assert proc.returncode in (0, 2), proc.stderr[-2000:]


ROOT = Path(__file__).resolve().parents[2]


def test_huge_load_does_not_crash(shared_data):
    proc = _run_cli("adequacy", str(shared_data / "pras/toymodel.pras"), "--add-load-mw", "1e304",
                    "--samples", "10", "--json")
    _assert_no_signal(proc)


def test_huge_load_with_data_centers_does_not_crash(shared_data):
    """The data-center step too: shed and rotation from infinite shortfalls (RTS-GMLC, 1 GW firm site)."""
    proc = _run_cli("adequacy", str(ROOT / "examples" / "rts_dc_firm.toml"), "--add-load-mw", "1e304",
                    "--samples", "10", "--json")
    _assert_no_signal(proc)


@pytest.mark.parametrize("x", [math.nan, math.inf, -math.inf, 0.0, -1.0, 1e-3, 1.0000001e-3, 1e-2, 1.0, 1e6,
                               9.999e6, 1e7, 1.0001e7, 1e300, 1.7e308])
def test_log_bin_in_range(x):
    b = K._log_bin(x)
    assert 0 <= b < K.N_LOG_BINS


def test_log_bin_unchanged_for_finite_values():
    """Finite values keep their bins (the clamp changes only NaN and infinity)."""
    rng = np.random.default_rng(3)
    xs = np.concatenate([10.0 ** rng.uniform(-5, 12, 2000), [1e-3, 2e-3, 1e7, 1.2589254117941673e7]])
    for x in xs:
        ref = 0 if x <= 1e-3 else min(int(math.floor(10.0 * math.log10(x / 1e-3))) + 1, K.N_LOG_BINS - 1)
        assert K._log_bin(x) == ref


API = """
import sys
from gigawatt import SequentialMonteCarlo, Shortfall, assess
from gigawatt.io.pras import read_pras
s = read_pras(sys.argv[1]).with_added_load(1e304)
r = assess(s, SequentialMonteCarlo(samples=10, seed=1), Shortfall())
print(r.eue_mwh.mean)
"""


def test_huge_load_through_the_api_reaches_the_kernel_without_crashing(shared_data):
    # the CLI now refuses --add-load-mw 1e304 before the kernel; the Python API still gets there
    proc = subprocess.run([sys.executable, "-c", API, str(shared_data / "pras/toymodel.pras")],
                          capture_output=True, text=True, timeout=600)
    if proc.returncode < 0:
        pytest.fail(f"killed by {signal.Signals(-proc.returncode).name}: {proc.stderr[-2000:]}")
    assert proc.returncode == 0, proc.stderr[-2000:]
