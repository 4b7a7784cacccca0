"""``gigawatt serve`` from the command line: fast --help, the first line before heavy imports, a real
start on an outlook scenario (one weather year), and a clear refusal of systems it does not serve."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
#: what `gigawatt serve --help` and its first line must not import
HEAVY = ("numba", "llvmlite", "numpy", "pandas", "xarray", "dask", "distributed", "matplotlib", "h5py", "scipy",
         "fastapi", "starlette", "uvicorn", "httpx")


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=300, env=ENV, cwd=ROOT)


def _heavy(modules) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY or m.startswith("gigawatt.web"))


def test_serve_help_and_first_line_import_nothing_heavy():
    code = """
        import contextlib, io, json, sys
        import gigawatt.cli.serve as serve_mod
        from gigawatt.cli import main

        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            rc = main(["serve", "--help"])
        assert rc == 0 and "SYSTEM|SCENARIO.toml" in out.getvalue() and "127.0.0.1" in out.getvalue()
        helped = sorted(sys.modules)

        class Stop(BaseException):
            pass

        def status(text):
            raise Stop(text, sorted(sys.modules))

        serve_mod.status = status  # the command looks it up when it runs
        try:
            main(["serve", "--port", "9"])
        except Stop as stop:
            print(json.dumps({"help": helped, "line": stop.args[0], "first": stop.args[1]}))
    """
    proc = _python(code)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert _heavy(out["help"]) == []
    assert out["line"] == "gigawatt serve: pjm-2026 on http://127.0.0.1:9/"
    assert _heavy(out["first"]) == []


def test_serve_refuses_a_system_it_cannot_serve():
    proc = subprocess.run([sys.executable, "-m", "gigawatt", "serve", "ieee-rts79", "--port", "9"],
                          capture_output=True, text=True, timeout=300, env=ENV, cwd=ROOT)
    assert proc.returncode == 2
    assert "PJM default" in proc.stderr and "outlook scenario" in proc.stderr


def test_serve_starts_on_a_scenario_and_answers(tmp_path):
    import httpx

    scenario = tmp_path / "small.toml"
    scenario.write_text('name = "one weather year"\n[run]\nfirst_year = 2028\nlast_year = 2028\n'
                        '[load]\nweather_years = [2019]\n')
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**ENV, "GIGAWATT_GRID_CACHE_DIR": str(tmp_path / "grids")}  # not the user's cache
    proc = subprocess.Popen([sys.executable, "-m", "gigawatt", "serve", str(scenario), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT)
    try:
        url = f"http://127.0.0.1:{port}"
        t0 = time.monotonic()
        while True:
            assert proc.poll() is None, proc.stdout.read()
            assert time.monotonic() - t0 < 240, "the server did not answer /api/health in 240 s"
            try:
                health = httpx.get(f"{url}/api/health", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert health.json() == {"status": "ok", "system": "one weather year", "pending": 0, "workers": 2}
        out = httpx.post(f"{url}/api/whatif", json={"samples": 3}, timeout=120).json()
        assert out["year"] == 2028 and out["weather_years"] == [2019] and out["simulated_years"] == 3
        assert out["system"] == "one weather year" and out["wall_s"] > 0
    finally:
        proc.terminate()
        try:
            text, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            text, _ = proc.communicate()
    assert "warming up: building the 2028 grid (1 weather year)" in text
    assert f"what-if page: http://127.0.0.1:{port}/" in text
