"""Start-up of the command line: ``--help`` and a command's first line come before the numerical stack.

Checked on the modules imported (not by timing): ``gigawatt --help`` and ``gigawatt COMMAND --help``
import typer and nothing heavy, and each command says what it is about to do before it imports
numpy, pandas, numba, xarray, Dask or matplotlib. BENCHMARKS.md ("Start-up") has the times.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}

#: top-level packages that take seconds to import (or that only a command needs)
HEAVY = ("numba", "llvmlite", "numpy", "pandas", "xarray", "dask", "distributed", "matplotlib", "h5py", "scipy")
#: gigawatt modules --help may import: the package itself, its version, errors and the CLI
LIGHT_GIGAWATT = ("gigawatt", "gigawatt._version", "gigawatt.errors", "gigawatt.constants")

COMMANDS = [["--help"], ["run", "--help"], ["adequacy", "--help"], ["headroom", "--help"],
            ["capacity-value", "--help"], ["data", "--help"], ["data", "check", "--help"], ["dynamics", "--help"],
            ["dynamics", "trace", "--help"], ["dynamics", "smooth", "--help"], ["dynamics", "frequency", "--help"]]


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=300, env=ENV, cwd=ROOT)


def _heavy(modules) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY
                  or (m.startswith("gigawatt") and m not in LIGHT_GIGAWATT and not m.startswith("gigawatt.cli")))


def test_help_imports_nothing_heavy():
    code = f"""
        import contextlib, io, json, sys
        from gigawatt.cli import main
        for argv in {COMMANDS!r}:
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                rc = main(argv)
            assert rc == 0 and "Usage" in out.getvalue(), (argv, rc, out.getvalue())
        print(json.dumps(sorted(sys.modules)))
    """
    proc = _python(code)
    assert proc.returncode == 0, proc.stderr
    assert _heavy(json.loads(proc.stdout)) == []


def test_import_gigawatt_is_lazy_and_keeps_the_public_names():
    code = """
        import json, sys
        import gigawatt
        before = sorted(sys.modules)
        import gigawatt.assess  # binds the submodule on the package: the public name stays the function
        from gigawatt import assess, SequentialMonteCarlo, Shortfall, systems
        print(json.dumps({"before": before, "assess": callable(assess) and gigawatt.assess is assess,
                          "all": all(hasattr(gigawatt, n) for n in gigawatt.__all__),
                          "dir": sorted(set(gigawatt.__all__) - set(dir(gigawatt))),
                          "version": gigawatt.__version__}))
    """
    proc = _python(code)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert _heavy(out["before"]) == []
    assert out["assess"] and out["all"] and out["dir"] == [] and out["version"]


# each command with arguments that would run it; the first line must come before any heavy import
FIRST_LINES = [
    (["run", "--samples", "5", "--first-year", "2026", "--last-year", "2027"],
     "gigawatt run: outlook 2026-2027 on the PJM default, up to 5 samples"),
    (["run", "examples/outlook_pjm_fast_growth.toml"], "gigawatt run: outlook scenario examples/"),
    (["run", "src/gigawatt/data/tva.toml"], "gigawatt run: outlook the grid described in src/gigawatt/data/tva.toml"),
    (["adequacy", "ieee-rts79", "--samples", "100"], "gigawatt adequacy: ieee-rts79, 100 samples"),
    (["headroom", "--system", "ieee-rts79"], "gigawatt headroom: reliability headroom of ieee-rts79"),
    (["headroom", "--eia930", "x.csv", "--ba", "PJM"], "gigawatt headroom: curtailment-enabled headroom"),
    (["capacity-value", "--system", "ieee-rts79", "--battery-mw", "100"], "gigawatt capacity-value: battery 100"),
    (["data", "check", "x.csv"], "gigawatt data check: x.csv"),
    (["dynamics", "trace"], "gigawatt dynamics trace: 550,000 GPUs"),
    (["dynamics", "smooth"], "gigawatt dynamics smooth:"),
    (["dynamics", "frequency"], "gigawatt dynamics frequency: 1.5 GW load trip"),
]


def test_each_command_says_what_it_does_before_heavy_imports():
    code = f"""
        import json, sys
        import gigawatt.cli._common as common
        from gigawatt.cli import main

        class Stop(BaseException):
            pass

        def status(text):
            raise Stop(text, sorted(sys.modules))

        common.status = status
        for name in [m for m in sys.modules if m.startswith("gigawatt.cli.")]:
            if hasattr(sys.modules[name], "status"):
                sys.modules[name].status = status
        seen = []
        for argv, _ in {FIRST_LINES!r}:
            try:
                rc = main(argv)
            except Stop as stop:
                seen.append([stop.args[0], stop.args[1]])
            else:
                seen.append([None, rc])
        print(json.dumps(seen))
    """
    proc = _python(code)
    assert proc.returncode == 0, proc.stderr
    for (argv, expected), (line, modules) in zip(FIRST_LINES, json.loads(proc.stdout)):
        assert line is not None, f"{argv}: no first line (exit {modules})"
        assert line.startswith(expected), (argv, line)
        assert _heavy(modules) == [], (argv, _heavy(modules))


def test_first_line_on_a_terminal_only():
    """On a terminal the line is on stderr; captured stderr (logs, tests) does not get it."""
    argv = [sys.executable, "-m", "gigawatt", "dynamics", "frequency", "--kind", "nuclear"]
    master, slave = pty.openpty()
    try:
        proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, timeout=300,
                              env=ENV, cwd=ROOT)
        os.close(slave)
        slave = None
        text = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the other end is closed
                break
            if not chunk:
                break
            text += chunk
    finally:
        if slave is not None:
            os.close(slave)
        os.close(master)
    lines = text.decode().splitlines()
    assert proc.returncode == 2
    assert lines[0] == "gigawatt dynamics frequency: 1.5 GW nuclear trip, 60 s at 0.01 s"
    assert "--kind" in text.decode()
    captured = subprocess.run(argv, capture_output=True, text=True, timeout=300, env=ENV, cwd=ROOT)
    assert captured.returncode == 2 and not captured.stderr.startswith("gigawatt dynamics")
