"""A few checks of the embedded ERCOT and TVA grids: weather years, calibration replays, the CLI wiring."""

from __future__ import annotations

import json
import runpy
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from gigawatt.cli import main
from gigawatt.io.grid import load_grid


ROOT = Path(__file__).resolve().parents[2]


def _build_tool():
    return SimpleNamespace(**runpy.run_path(str(ROOT / "tools" / "build_grid_weather_years.py")))


def _shipped_mw(grid, year):
    from importlib import resources

    with resources.as_file(resources.files("gigawatt") / "data" / f"{grid}_weather_years.npz") as p, np.load(p) as d:
        k = list(d["years"]).index(year)
        return d["shape"][k] * d["mean_mw"][k]


@pytest.fixture(scope="module")
def ercot():
    return load_grid("ercot")


@pytest.fixture(scope="module")
def tva():
    return load_grid("tva")


def test_weather_years_hold_the_events_with_the_shed_added_back(ercot, tva):
    assert 2021 in ercot.weather_years and 2022 in tva.weather_years
    # ERCOT 16 Feb 2021 08:00 CST: the served load (EIA-930) was ~46 GW; with the suppressed demand added back
    # it is the 2021 weather year's peak (ERCOT's estimate, 77 GW, over the summer's 73.5 GW served)
    y, h = ercot.hour_of("2021-02-16 08:00")
    assert int(np.argmax(ercot.shapes[2021])) == h
    # TVA 23 Dec 2022 08:00 CST is the 2022 weather year's peak hour (the Step 50 curtailment added back)
    y, h = tva.hour_of("2022-12-23 08:00")
    assert int(np.argmax(tva.shapes[2022])) == h


def test_suppressed_demand_factor_by_hand():
    """Served 10, 50, 40 MW with 0, 10, 20 MW shed and a published peak of 90 MW: 40 + 20 k = 90 gives k = 2.5
    (the other hour, 50 + 25 = 75, stays below); the hour without shed does not count."""
    B = _build_tool()
    served, shed = np.array([10.0, 50.0, 40.0]), np.array([0.0, 10.0, 20.0])
    assert B.suppressed_demand_factor(served, shed, 90.0) == pytest.approx(2.5, abs=1e-9)
    assert B.suppressed_demand_factor(np.array([95.0, 50.0]), np.array([0.0, 10.0]), 90.0) == pytest.approx(4.0)
    with pytest.raises(ValueError, match="already reaches"):
        B.suppressed_demand_factor(np.array([10.0, 95.0]), np.array([0.0, 10.0]), 90.0)
    with pytest.raises(ValueError, match="no hour"):
        B.suppressed_demand_factor(served, np.zeros(3), 90.0)


def test_ercot_uri_demand_peaks_at_ercots_estimate():
    """The shipped 2021 weather year: over the shed hours (15 Feb 01:00 - 18 Feb 00:00 CST) the demand peaks at
    ERCOT's estimate of the demand had no load been shed (77,000 MW, tools/build_grid_weather_years.py), at
    16 Feb 08:00 CST; the rest of February stays below the record of 14 Feb evening (69.2 GW served)."""
    B = _build_tool()
    x = _shipped_mw("ercot", 2021)
    idx = B.weather_year_index(2021)
    t0, t1 = B._cst("2021-02-15 01:00"), B._cst("2021-02-18 00:00")
    inside = (idx >= t0) & (idx <= t1)
    assert x[inside].max() == pytest.approx(B.ERCOT_DEMAND_PEAK_MW, abs=1.0)
    assert idx[np.argmax(np.where(inside, x, 0.0))] == B._cst("2021-02-16 08:00")
    feb = (idx >= B._cst("2021-02-01 00:00")) & (idx < B._cst("2021-03-01 00:00"))
    assert 69_000 < x[feb & ~inside].max() < 69_500


def test_ercot_suppressed_demand_only_in_the_shed_hours(shared_data):
    """Rebuilt from the shared EIA-930 file: the shipped demand is the served load in every hour without shed and
    the served load plus k times the shed in the shed hours, one k (> 1: ERCOT's estimate exceeds the shed MW)."""
    B = _build_tool()
    served, *_ = B.served("ercot", 2021, shared_data)
    idx = B.weather_year_index(2021)
    shed = B.shed_mw("ercot", idx, served)
    x = _shipped_mw("ercot", 2021)
    assert int((shed > 0).sum()) == 72 and shed.max() == pytest.approx(19_970.0)
    np.testing.assert_allclose(x[shed == 0], served[shed == 0], rtol=1e-9)
    k = (x - served)[shed > 0] / shed[shed > 0]
    assert k.std() < 1e-6 and 1.5 < k.mean() < 1.75
    # the TVA curtailment is a share of the served load in the Step 50 hours, nothing elsewhere
    tva_served, *_ = B.served("tva", 2022, shared_data)
    add, k_tva = B.suppressed_mw("tva", B.weather_year_index(2022), tva_served)
    assert k_tva == 1.0 and int((add > 0).sum()) == 14


def test_tva_elliott_day_energy_matches_tva_report():
    """TVA supplied 740 GWh on 23 Dec 2022, its highest day (TVA After-Action Report, via WSMV): EIA-930's served
    load of that CST day is within 1 % of it, and the demand with the Step 50 curtailment added back 0-4 % above."""
    from importlib import resources

    with resources.as_file(resources.files("gigawatt") / "data" / "tva_weather_years.npz") as p, np.load(p) as d:
        k = list(d["years"]).index(2022)
        x = d["shape"][k] * d["mean_mw"][k]
    day = x[356 * 24:357 * 24]
    assert 740e3 <= day.sum() <= 1.04 * 740e3
    served = day.copy()
    served[4:12] /= 1.075  # the 7.5 % added back 04:00-12:00 CST (tools/build_grid_weather_years.py)
    assert served.sum() == pytest.approx(740e3, rel=0.01)


def test_describe_ercot_replays_uri_within_20_percent(tmp_path, capsys):
    assert main(["system", "describe", "ercot-2026", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert 2021 in [w["year"] if isinstance(w, dict) else w for w in d["weather_years"]]
    uri, worst = d["cold"]["replays"]
    assert uri["published_mw"] == 34_000 and uri["hours"] == 54
    assert 0.8 <= uri["ratio"] <= 1.2
    # the worst hour falls short of ERCOT's 52,277 MW (an expectation against a realized peak; docs/ercot.md)
    assert worst["published_mw"] == 52_277 and 0.6 < worst["ratio"] < 0.8
    assert d["grid"]["name"] == "ercot" and d["cold_replay"][0]["model_outage_mw"] == uri["model_mw"]
    # each weather year on its own calendar and clock (CST): 2021's peak is Uri's 16 Feb 08:00 and 2024's
    # ERCOT's record of 20 Aug 2024 (they were dated on the study years' axis, 2031-02-15, 2034-08-18)
    wy = {w["year"]: w for w in d["weather_years"]}
    assert wy[2021]["peak_time"] == "2021-02-16 08:00" and d["clock"] == "UTC-6"
    assert wy[2024]["peak_time"].startswith("2024-08-20")


def test_describe_tva_replays_elliott(capsys):
    assert main(["system", "describe", "tva-2026", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    ev = d["cold"]["replays"][0]
    assert ev["weather_year"] == 2022 and ev["hour"] == (356 * 24 + 7)
    # ~20 % of TVA's >32,000 MW lost to the cold early on 23 Dec (TVA's After-Action Report, as reported)
    assert ev["published_mw"] == 6_400 and 0.8 <= ev["ratio"] <= 1.2
    both = d["cold"]["replays"][1]  # the two Step 50 mornings, 23 Dec 04:00 - 24 Dec 12:00 CST: no published MW
    assert both["hour"] == 356 * 24 + 4 and both["hours"] == 32 and both["published_mw"] is None
    assert 0.8 * ev["model_mw"] < both["model_mw"] < 1.2 * ev["model_mw"]
    # the 2022 weather year's peak is Elliott's 23 Dec 08:00 CST (docs/tva.md; it was dated 21 Dec)
    assert {w["year"]: w for w in d["weather_years"]}[2022]["peak_time"] == "2022-12-23 08:00"
    assert {s["name"] for s in d["sites"]} == {"xAI Colossus 1", "xAI Colossus 2"}
    assert [s["megapacks"] for s in d["sites"]] == [156, 168]


def test_run_tva_names_its_grid(tmp_path):
    out = tmp_path / "o"
    assert main(["run", "tva", "--out", str(out), "--samples", "8", "--first-year", "2026", "--last-year", "2026",
                 "--policies", "firm"]) == 0
    r = json.loads((out / "results.json").read_text())
    assert r["system"] == "tva" and r["scenario"]["assumptions"]["grid"] == "tva"
    assert r["results"][0]["dc_load_mw"] == 1_150.0  # Colossus 1 (150 MW) and 2 (1 GW) from the grid in 2026
    # the calibration replay is in results.json and the report, as `describe` gives it (Elliott, ~6,400 MW)
    elliott = r["calibration"][0]
    assert elliott["weather_year"] == 2022 and elliott["published_mw"] == 6_400 and 0.8 <= elliott["ratio"] <= 1.2
    page = (out / "report.html").read_text()
    assert "<h2>Calibration</h2>" in page and f"{elliott['model_mw']:,.0f}" in page and "6,400" in page


def test_grid_runs_default_to_pjms_simulated_years():
    """`gigawatt run ercot|tva` without --samples: as many simulated years as the PJM default (84 and 8 samples x
    23 weather years = 1,932 and 184): 215 verdict and 21 gap-search samples x 9 weather years; --samples wins."""
    from pathlib import Path

    from gigawatt.cli.run import _read_scenario, _resolve, default_samples

    assert default_samples(23) == (84, 8)
    assert default_samples(9) == (215, 21)
    for name in ("ercot", "tva"):
        scen = _read_scenario(Path(name))
        assert len(scen.assumptions.weather_years) == 9
        assert _resolve(scen, None, None, None, None, None)[1] == 215
        assert _resolve(scen, 8, None, None, None, None)[1] == 8


def test_run_tva_by_default_searches_the_gap_on_as_many_years(tmp_path):
    out = tmp_path / "o"
    assert main(["run", "tva", "--out", str(out), "--first-year", "2026", "--last-year", "2026",
                 "--policies", "firm"]) == 0
    r = json.loads((out / "results.json").read_text())
    assert r["samples"] == 215 and r["method"]["max_samples"] == 215 and r["method"]["search_samples"] == 21


def test_a_folder_named_like_a_grid_does_not_hide_it(tmp_path, monkeypatch):
    """`gigawatt run ercot --out ercot` leaves a folder ercot/; `gigawatt run ercot` and `gigawatt serve ercot`
    there still mean the embedded grid (they took the folder for a scenario file and refused)."""
    from gigawatt.cli.run import _read_scenario
    from gigawatt.web.server import load_engine

    monkeypatch.chdir(tmp_path)
    for name in ("ercot", "tva", "pjm"):
        (tmp_path / name).mkdir()
    assert _read_scenario(Path("ercot")).name == "ercot"
    assert _read_scenario(Path("tva")).name == "tva"
    assert _read_scenario(Path("pjm")) is None  # the embedded PJM default
    assert load_engine("ercot").name == "ercot"


def test_adequacy_help_names_the_grids(capsys):
    """`gigawatt adequacy --help` names the grids' systems and grid descriptions, which it takes (it named
    only ieee-rts79 and data-center scenarios)."""
    main(["adequacy", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "ercot-2030" in text and "grid description" in text


def test_seed_coverage_counts_by_hand():
    """tools/seed_coverage.py: B's estimate inside A's interval, for every ordered pair; lower bounds left out."""
    tool = SimpleNamespace(**runpy.run_path(str(ROOT / "tools" / "seed_coverage.py")))
    g = lambda e, lo, hi: {"estimate": e, "low": lo, "high": hi}  # noqa: E731
    runs = {1: {"2026": g(0.0, 0.0, 0.0), "2030": g(10.0, 8.0, 12.0), "2035": g(20.0, 20.0, None)},
            2: {"2026": g(0.0, 0.0, 0.0), "2030": g(12.5, 11.0, 14.0), "2035": g(25.0, 22.0, 28.0)},
            3: {"2026": g(0.5, 0.0, 1.0), "2030": g(9.0, 8.5, 9.5), "2035": g(24.0, 21.0, 27.0)}}
    by_year, misses = tool.coverage(runs)
    # 2026: seeds 1 and 2 meet at zero (0-0: left out as A); seed 3's 0-1 holds both zeros
    assert by_year["2026"] == (2, 2)
    # 2030: seed 1's 8-12 holds 9 (not 12.5); seed 2's 11-14 holds neither 10 nor 9; seed 3's 8.5-9.5 neither
    assert by_year["2030"] == (1, 6)
    # 2035: seed 1's is a lower bound, left out on either side; 2 holds 24, 3 holds 25
    assert by_year["2035"] == (2, 2)
    assert ("2030", 1, 2, 8.0, 12.0, 12.5) in misses and len(misses) == 5
    assert tool.seeds_of("1-3,7") == [1, 2, 3, 7]
    for bad in ("8-1", "1,1", "7", "a-b"):
        with pytest.raises(SystemExit, match="--seeds"):
            tool.seeds_of(bad)
