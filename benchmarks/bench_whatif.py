"""The what-if server as a client sees it: answer times by study year, a new year's first answer,
cancel latency, Ctrl-C with jobs running, and the server's memory (RSS).

Starts ``gigawatt serve`` (the PJM default, its 23 weather years, 2 workers, ``--max-grids 2``) in a
process of its own with an empty grid cache, then, ``--rounds`` times:

* ``POST /api/whatif`` with the default samples (about 1,008 simulated years whatever the number of weather
  years: 44 samples x 23 weather years = 1,012; 84 x 12 before) for 2026, 2030 and 2035, twice each (the
  first answer of a round may load the year's grid: two years are kept);
* the first answer of a year never built before (one new year per round, 2027 onwards), and its second;

then cancel latency (``DELETE`` of a running what-if and of a running gap job in a stressed setting:
2035 with +100 GW in each zone and the most samples the server takes, 24,000 simulated years; a client that closes its socket during a synchronous
what-if), the server's RSS steady (idle, two grids kept) and peak (``VmHWM``), and the time from
SIGINT to exit with two jobs running.

Usage (from the repository root)::

    PYTHONPATH=src .venv/bin/python benchmarks/bench_whatif.py --rounds 3
    PYTHONPATH=src .venv/bin/python benchmarks/bench_whatif.py --rounds 3 --json   # one JSON object

On a shared host the figures move with the other load: quote the medians over rounds (each round
measures every year in turn, so the years are compared on the same load).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
YEARS = (2026, 2030, 2035)
#: the stressed setting; its samples are set to the server's limit (``limits.samples`` of /api/defaults)
STRESSED = {"year": 2035, "dc_added_gw": {"DOM": 100, "REST": 100}, "samples": None, "seed": 3}


def _rss(pid: int) -> dict:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        k, _, v = line.partition(":")
        if k in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
            out[k] = int(v.split()[0]) / 1024 / 1024  # GiB
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_final(c, job_id: str, timeout_s: float = 60.0) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout_s:
        if c.get(f"/api/jobs/{job_id}").json()["state"] in ("done", "failed", "cancelled"):
            return time.monotonic() - t0
        time.sleep(0.01)
    return float("nan")


def _wait_idle(c, timeout_s: float = 60.0) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout_s:
        if c.get("/api/health").json()["pending"] == 0:
            return time.monotonic() - t0
        time.sleep(0.01)
    return float("nan")


def _started(c, job_id: str) -> None:
    t0 = time.monotonic()
    while time.monotonic() - t0 < 120:
        j = c.get(f"/api/jobs/{job_id}").json()
        if j["state"] == "running" and j["done"] > 0:
            return
        time.sleep(0.01)
    raise RuntimeError(f"job {job_id} did not start")


def _cancel_job(c, kind: str) -> dict:
    job = c.post(f"/api/jobs?kind={kind}", json=STRESSED).json()
    _started(c, job["id"])
    t0 = time.monotonic()
    c.delete(f"/api/jobs/{job['id']}")
    final = _wait_final(c, job["id"])
    idle = _wait_idle(c)
    return {"final_s": round(final, 3), "worker_free_s": round(time.monotonic() - t0, 3),
            "state": c.get(f"/api/jobs/{job['id']}").json()["state"], "idle_after_s": round(idle, 3)}


def _disconnect(c, port: int) -> float:
    body = json.dumps(STRESSED).encode()
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"POST /api/whatif HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    while c.get("/api/health").json()["pending"] == 0:
        time.sleep(0.01)
    time.sleep(1.0)
    s.close()
    return _wait_idle(c)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    import httpx

    port = _free_port()
    cache = tempfile.mkdtemp(prefix="gigawatt-bench-grids-")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "GIGAWATT_GRID_CACHE_DIR": cache}
    t_start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "gigawatt", "serve", "--port", str(port), "--workers", "2",
                             "--max-grids", "2"], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    url = f"http://127.0.0.1:{port}"
    out: dict = {"rounds": args.rounds, "whatif_s": {y: [] for y in YEARS}, "first_whatif_s": {y: [] for y in YEARS},
                 "new_year_s": [], "rss_gib": []}
    try:
        with httpx.Client(base_url=url, timeout=600) as c:
            while True:
                try:
                    if c.get("/api/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if proc.poll() is not None:
                    raise RuntimeError("the server stopped: " + (proc.stdout.read() if proc.stdout else ""))
                time.sleep(0.2)
            out["start_s"] = round(time.monotonic() - t_start, 1)
            d = c.get("/api/defaults").json()
            STRESSED["samples"] = d["limits"]["samples"]
            out["samples"] = d["defaults"]["samples"]
            out["simulated_years"] = out["samples"] * len(d["weather_years"])
            out["rss_after_start_gib"] = _rss(proc.pid)
            for rnd in range(args.rounds):
                for y in YEARS:
                    for k in range(2):
                        t0 = time.monotonic()
                        r = c.post("/api/whatif", json={"year": y})
                        dt = time.monotonic() - t0
                        assert r.status_code == 200, r.text
                        (out["first_whatif_s"] if k == 0 else out["whatif_s"])[y].append(round(dt, 3))
                        out.setdefault("rss_steps", []).append((f"{y}#{k}", round(_rss(proc.pid)["VmRSS"], 2)))
                new = 2027 + rnd  # a year never built: its first answer, then its second (the grid kept)
                times = []
                for _ in range(2):
                    t0 = time.monotonic()
                    r = c.post("/api/whatif", json={"year": new})
                    assert r.status_code == 200, r.text
                    times.append(time.monotonic() - t0)
                out["new_year_s"].append(round(times[0], 3))
                out.setdefault("new_year_again_s", []).append(round(times[1], 3))
                time.sleep(1.0)
                out["rss_gib"].append(_rss(proc.pid))
            out["cancel"] = {"whatif": _cancel_job(c, "whatif")}
            out["rss_steps"].append(("cancel whatif", round(_rss(proc.pid)["VmRSS"], 2)))
            out["cancel"]["gap"] = _cancel_job(c, "gap")
            out["rss_steps"].append(("cancel gap", round(_rss(proc.pid)["VmRSS"], 2)))
            out["cancel"]["disconnect_worker_free_s"] = round(_disconnect(c, port), 3)
            out["rss_steps"].append(("disconnect", round(_rss(proc.pid)["VmRSS"], 2)))
            time.sleep(1.0)
            out["rss_steady_gib"] = _rss(proc.pid)
            for kind in ("whatif", "gap"):
                _started(c, c.post(f"/api/jobs?kind={kind}", json=STRESSED).json()["id"])
        t0 = time.monotonic()
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
        out["sigint_exit_s"] = round(time.monotonic() - t0, 3)
    finally:
        if proc.poll() is None:
            proc.kill()
        import shutil

        shutil.rmtree(cache, ignore_errors=True)
    out["median_whatif_s"] = {y: statistics.median(v) for y, v in out["whatif_s"].items()}
    out["median_new_year_s"] = statistics.median(out["new_year_s"])
    if args.json:
        print(json.dumps(out))
        return 0
    print(f"server ready in {out['start_s']} s (kernels warm, 2026 grid built)")
    for y in YEARS:
        print(f"POST /api/whatif {y}, {out['samples']} samples ({out['simulated_years']:,} simulated years): "
              f"median {out['median_whatif_s'][y]:.2f} s {out['whatif_s'][y]}; first of the round "
              f"{out['first_whatif_s'][y]}")
    print(f"a year never built before (2027..): median {out['median_new_year_s']:.2f} s {out['new_year_s']}; "
          f"the same year again {out['new_year_again_s']}")
    print(f"cancel: {json.dumps(out['cancel'])}")
    print(f"RSS steady (idle, two grids kept): {out['rss_steady_gib']['VmRSS']:.2f} GiB; peak (VmHWM) "
          f"{out['rss_steady_gib']['VmHWM']:.2f} GiB; per round {[round(r['VmRSS'], 2) for r in out['rss_gib']]}")
    print(f"RSS after each step [GiB]: {out['rss_steps']}")
    print(f"SIGINT with two jobs running: exited in {out['sigint_exit_s']:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
