"""A small load test: 20 what-ifs at once on 127.0.0.1, all answered, none lost, in bounded time."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

#: concurrent requests, and the time all of them must be answered in [s] (a 2-core machine shared
#: with other work; each what-if takes ~0.1 s of CPU)
N_REQUESTS = 20
BOUND_S = 90.0


def test_twenty_concurrent_whatifs_all_answered(server):
    import httpx

    def one(i: int):
        body = {"samples": 2, "seed": 1 + i % 4, "policy": ("firm", "connect-and-manage")[i % 2],
                "dc_added_gw": {"DOM": float(i % 5)}}
        with httpx.Client(base_url=server, timeout=BOUND_S) as c:
            t = time.monotonic()
            r = c.post("/api/whatif", json=body)
            return i, body, r.status_code, r.json(), time.monotonic() - t

    t0 = time.monotonic()
    with ThreadPoolExecutor(max_workers=N_REQUESTS) as pool:
        answers = list(pool.map(one, range(N_REQUESTS)))
    wall = time.monotonic() - t0
    assert wall < BOUND_S, wall
    assert sorted(a[0] for a in answers) == list(range(N_REQUESTS))  # none lost
    assert all(a[2] == 200 for a in answers), [(a[0], a[2], a[3]) for a in answers if a[2] != 200]
    # each answer is its own request's: same settings, same numbers (common random numbers)
    by_settings: dict = {}
    for i, body, _, out, _ in answers:
        assert out["seed"] == body["seed"] and out["dc_zone_mw"]["DOM"] >= body["dc_added_gw"]["DOM"] * 1000.0
        key = repr(sorted(body.items()))
        by_settings.setdefault(key, []).append(out["lole_d"])
    assert all(all(v == vs[0] for v in vs) for vs in by_settings.values())
