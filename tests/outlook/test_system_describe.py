"""``gigawatt system describe``: class outage rates, weather-year load statistics, zones (issue 16, item 6).

Hand-checkable on IEEE RTS-79 (constant rates: a class's effective rate is its units' published FOR,
capacity-weighted); the PJM model against published bounds only (its calibration is in progress, so
no model output is hard-coded here).
"""

from __future__ import annotations

import io
import json
import math
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from gigawatt.cli import main
from gigawatt.system import Generators, Interfaces, Lines, Regions, SystemModel, TimeAxis
from gigawatt.systems import ieee_rts79
from gigawatt.systems import pjm
from gigawatt.systems.describe import default_dc_mw, describe, describe_pjm, out_probability_sums

RTS = sys.modules["gigawatt.systems.ieee_rts79"]
ROOT = Path(__file__).resolve().parents[2]

CLASS_KEYS = {"name", "icap_mw", "ucap_mw", "efor", "efor_winter_peak", "efor_summer_peak"}
YEAR_KEYS = {"year", "peak_mw", "peak_month", "peak_hour", "energy_mwh", "load_factor", "ldc_10", "ldc_100",
             "ldc_500", "winter_peak_mw", "winter_peak_hour"}
ZONE_KEYS = {"name", "peak_mw", "import_limit_mw"}
#: the zone keys of the PJM model (issue 25: kept stable for scripts)
PJM_ZONE_KEYS = ZONE_KEYS | {"parent", "dc_mw", "icap_mw_by_class", "import_limit_source"}


def _strict(obj) -> dict:
    """Round trip through strict JSON (NaN or inf would raise)."""
    def no_constant(c):
        raise AssertionError(f"non-strict JSON constant {c}")

    return json.loads(json.dumps(obj, allow_nan=False), parse_constant=no_constant)


# ------------------------------------------------------------------------------------- IEEE RTS-79
@pytest.fixture(scope="module")
def rts():
    return describe(ieee_rts79())


def test_rts79_class_efor_is_the_published_for(rts):
    expected = {}
    for size, count, forr, _mttf, _mttr, kind in RTS.UNITS:
        mw, out = expected.get(kind, (0.0, 0.0))
        expected[kind] = (mw + size * count, out + size * count * forr)
    assert {c["name"] for c in rts["classes"]} == set(expected)
    for c in rts["classes"]:
        mw, out = expected[c["name"]]
        assert c["icap_mw"] == pytest.approx(mw)
        for k in ("efor", "efor_winter_peak", "efor_summer_peak"):  # constant rates: the same in every hour
            assert c[k] == pytest.approx(out / mw, rel=1e-9), (c["name"], k)
        assert c["ucap_mw"] == pytest.approx(mw * (1.0 - out / mw))
        assert c["elcc"] is None
    by = {c["name"]: c for c in rts["classes"]}
    assert by["Nuclear"]["efor"] == pytest.approx(0.12) and by["Oil/CT"]["efor"] == pytest.approx(0.10)
    # Oil/Steam: 5 x 12 MW at 2 %, 3 x 100 MW at 4 %, 3 x 197 MW at 5 %
    assert by["Oil/Steam"]["efor"] == pytest.approx((60 * 0.02 + 300 * 0.04 + 591 * 0.05) / 951, rel=1e-9)


def test_rts79_load_statistics(rts):
    load = RTS.hourly_load_pu() * RTS.PEAK_LOAD_MW
    (wy,) = rts["weather_years"]
    assert wy["year"] == 1979 and wy["hours"] == 8736
    assert wy["peak_mw"] == pytest.approx(2850.0)
    # week 51 (100 %), Tuesday (100 %), winter weekday hours 17 and 18 at 100 %: the first, 17:00
    assert (wy["peak_month"], wy["peak_hour"]) == (12, 17)
    assert wy["energy_mwh"] == pytest.approx(load.sum())
    assert wy["load_factor"] == pytest.approx(load.mean() / 2850.0)
    srt = np.sort(load)[::-1]
    for k in (10, 100, 500):
        assert wy[f"ldc_{k}"] == pytest.approx(srt[k - 1] / 2850.0)
    assert wy["winter_peak_mw"] == pytest.approx(2850.0) and wy["winter_peak_hour"] == 17
    (z,) = rts["zones"]
    assert z["name"] == "RTS" and z["peak_mw"] == pytest.approx(2850.0) and z["import_limit_mw"] is None
    assert rts["storage"]["devices"] == 0 and rts["periods"] == 8736 and rts["step_h"] == 1.0


def test_json_keys_and_strict_json(rts):
    d = _strict(rts)
    for key in ("classes", "weather_years", "zones", "storage", "periods", "step_h", "start"):
        assert key in d
    for c in d["classes"]:
        assert CLASS_KEYS <= set(c)
    for w in d["weather_years"]:
        assert YEAR_KEYS <= set(w)
    for z in d["zones"]:
        assert ZONE_KEYS <= set(z)


# ---------------------------------------------------------------------------- the exact recursion
def _brute(f, r):
    p = f[0] / (f[0] + r[0])
    out = [p]
    for t in range(1, len(f)):
        p = p * (1 - r[t]) + (1 - p) * f[t]
        out.append(p)
    return np.array(out)


def test_time_varying_rates_follow_the_two_state_recursion():
    T = 500
    rng = np.random.default_rng(7)
    f1 = np.where(np.arange(T) % 100 < 30, 0.05, 0.002)
    f2 = rng.uniform(0.0, 0.02, T)
    fail = np.vstack([f1, f1, f2, np.zeros(T)])  # two identical rows share one recursion
    rep = np.vstack([np.full(T, 0.04), np.full(T, 0.04), rng.uniform(0.01, 0.1, T), np.full(T, 0.5)])
    cap = np.vstack([np.full(T, 100.0), np.linspace(50, 80, T), np.full(T, 30.0), np.full(T, 10.0)])
    mask = np.zeros(T, bool)
    mask[[3, 250, 499]] = True
    sums = out_probability_sums(fail, rep, cap, {"all": None, "some": mask})
    for i in range(3):
        p = _brute(fail[i], rep[i])
        assert sums["all"][0][i] == pytest.approx(cap[i] @ p, rel=1e-12)
        assert sums["some"][0][i] == pytest.approx(cap[i][mask] @ p[mask], rel=1e-12)
        assert sums["all"][1][i] == pytest.approx(cap[i].sum())
    assert sums["all"][0][3] == 0.0
    # the same as pjm.expected_outages_mw at a period inside its window (both start at period 0)
    g = Generators(["a", "b", "c"], ["x", "x", "y"], ["R"] * 3, cap[:3], fail[:3], rep[:3])
    sys_ = SystemModel(TimeAxis("2020-01-01", 1.0, T), Regions(["R"], np.full((1, T), 100.0)), g)
    exp = pjm.expected_outages_mw(sys_, 400, window_h=720)
    p = np.array([_brute(fail[i], rep[i])[400] for i in range(3)])
    assert exp["x"] == pytest.approx(cap[0, 400] * p[0] + cap[1, 400] * p[1], rel=1e-12)
    d = describe(sys_)
    by = {c["name"]: c for c in d["classes"]}
    assert by["y"]["efor"] == pytest.approx((cap[2] @ _brute(fail[2], rep[2])) / cap[2].sum(), rel=1e-12)


def test_zones_import_limits_with_interfaces_and_lines():
    T = 48
    regions = Regions(["A", "B", "C"], np.vstack([np.full(T, 100.0), np.full(T, 50.0), np.full(T, 20.0)]))
    g = Generators(["g1", "g2"], ["gas", "gas"], ["A", "B"], np.array([150.0, 40.0]), 0.01, 0.1, n_periods=T)
    ifs = Interfaces(["A", "B"], ["B", "C"], np.array([300.0, np.inf]), np.array([200.0, np.inf]), n_periods=T)
    d = describe(SystemModel(TimeAxis("2021-06-01", 1.0, T), regions, g, interfaces=ifs))
    z = {x["name"]: x for x in d["zones"]}
    assert z["A"]["import_limit_mw"] == 200.0 and z["A"]["export_limit_mw"] == 300.0
    assert z["B"]["import_limit_mw"] is None  # 300 from A + no limit from C
    assert z["C"]["import_limit_mw"] is None and z["C"]["capacity_max_mw"] == 0.0
    assert z["A"]["peak_mw"] == 100.0 and z["B"]["capacity_max_mw"] == 40.0
    # lines cap their interface: B -> C carried by two lines of 30 and 15 MW (one drawn C -> B)
    lines = Lines(["l1", "l2"], None, ["B", "C"], ["C", "B"], np.array([30.0, 15.0]), np.array([5.0, 25.0]),
                  n_periods=T)
    d = describe(SystemModel(TimeAxis("2021-06-01", 1.0, T), regions, g, interfaces=ifs, lines=lines))
    z = {x["name"]: x for x in d["zones"]}
    assert z["C"]["import_limit_mw"] == 30.0 + 25.0 and z["C"]["export_limit_mw"] == 5.0 + 15.0
    # a short horizon without winter: the winter figures are null, the rest is there
    assert d["weather_years"][0]["winter_peak_mw"] is None and d["weather_years"][0]["ldc_100"] is None
    assert _strict(d)["classes"][0]["efor_winter_peak"] is None


# ----------------------------------------------------------------------------------------- the CLI
def test_cli_json_on_rts79(capsys):
    assert main(["system", "describe", "ieee-rts79", "--json"]) == 0
    d = _strict(json.loads(capsys.readouterr().out))
    assert d["system"] == "ieee-rts79"
    assert {c["name"] for c in d["classes"]} == {"Oil/Steam", "Oil/CT", "Hydro", "Coal/Steam", "Nuclear"}


@pytest.mark.parametrize("argv", [["nope"], ["missing.pras"], ["ieee-rts79", "--year", "2027"],
                                  ["pjm", "--year", "1990"], ["pjm-2026", "--year", "2030"]])
def test_cli_bad_system_exits_2(argv, capsys):
    assert main(["system", "describe", *argv]) == 2
    assert "error" in capsys.readouterr().err


def test_cli_tables_fit_100_columns(capsys):
    assert main(["system", "describe", "ieee-rts79"]) == 0
    out = capsys.readouterr().out
    assert "Nuclear" in out and "12.0%" in out and "1979" in out
    _assert_fits(out)


def _assert_fits(text: str, width: int = 100):
    lines = text.rstrip("\n").split("\n")
    assert max(len(line) for line in lines) <= width, max(lines, key=len)
    assert "…" not in text


def _render(d: dict, width: int = 100) -> str:
    from rich.console import Console

    from gigawatt.cli.system import tables

    con = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    for r in tables(d):
        con.print(r)
    return con.export_text()


def test_help_and_first_line_come_before_heavy_imports():
    code = """
        import contextlib, io, json, sys
        import gigawatt.cli.system as cmd
        from gigawatt.cli import main
        for argv in (["system", "--help"], ["system", "describe", "--help"]):
            with contextlib.redirect_stdout(io.StringIO()):
                assert main(argv) == 0
        helped = sorted(sys.modules)

        class Stop(BaseException):
            pass

        def status(text):
            raise Stop(text, sorted(sys.modules))

        cmd.status = status
        try:
            main(["system", "describe", "ieee-rts79"])
        except Stop as stop:
            print(json.dumps([helped, stop.args[0], stop.args[1]]))
    """
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    helped, line, modules = json.loads(proc.stdout)
    heavy = ("numpy", "pandas", "numba", "llvmlite", "xarray", "dask", "matplotlib", "h5py", "scipy")
    light = ("gigawatt", "gigawatt._version", "gigawatt.errors", "gigawatt.constants")

    def bad(mods):
        return [m for m in mods if m.split(".")[0] in heavy
                or (m.startswith("gigawatt") and m not in light and not m.startswith("gigawatt.cli"))]

    assert bad(helped) == [] and bad(modules) == []
    assert line == "gigawatt system describe: ieee-rts79"


# ------------------------------------------------------------------------------ the PJM model
def test_pjm_alias_describes_the_model_of_a_year():
    # the 2026 forecast's data centers: 5.2 GW/yr from zero in 2024 (sources.md P7)
    assert default_dc_mw(2026) == 10_400.0 and default_dc_mw(2024) == 0.0 and default_dc_mw(2030) == 31_200.0
    d = _strict(describe_pjm(2027, weather_years=(2014, 2022)))
    assert [w["year"] for w in d["weather_years"]] == [2014, 2022] and d["clock"] == "EPT"
    assert d["assumptions"]["dc_load_mw"] == 15_600.0 and d["study_year"] == 2027
    assert d["accounts"]["reserve_margin"] == pytest.approx(pjm.IRM_2027)
    gen_icap = sum(c["icap_mw"] for c in d["classes"])
    assert gen_icap + d["accounts"]["dr_icap_mw"] == pytest.approx(d["accounts"]["icap_mw"])
    assert [z["name"] for z in d["zones"]] == list(pjm.ZONES)
    dom = d["zones"][0]
    assert dom["import_limit_mw"] == pytest.approx(pjm.DOM_IMPORT_LIMIT_MW)
    events = {e["weather_year"]: e for e in d["cold_replay"]}
    assert set(events) == {2014, 2022, 2024, 2025}
    assert events[2014]["observed_outage_mw"] == 40_200.0 and events[2014]["time_ept"] == "2014-01-07 18:00"
    assert events[2022]["observed_outage_mw"] == 46_000.0 and events[2024]["observed_outage_mw"] == 16_119.0
    assert events[2025]["observed_share"] == 0.09
    for e in events.values():
        assert e["model_outage_mw"] > 0 and e["model_outage_mw"] == pytest.approx(sum(e["by_class_mw"].values()))


@pytest.fixture(scope="module")
def pjm2026():
    """What ``gigawatt system describe pjm-2026 --json`` prints (~15 s: the 12-weather-year system)."""
    from gigawatt.cli.system import describe_spec

    return _strict(describe_spec("pjm-2026"))


#: published class forced-outage rates (issue 16, sources.md P4) and the calibration band the issue allows
PUBLISHED = {"Coal": 0.12, "Gas CC": 0.08, "Gas CT": 0.08, "Gas CT dual fuel": 0.08}
BAND = (0.75, 1.33)


def test_pjm_2026_class_outage_rates_within_published_bounds(pjm2026):
    by = {c["name"]: c for c in pjm2026["classes"]}
    assert by["Nuclear"]["efor"] < 0.02
    for name, rate in PUBLISHED.items():
        assert BAND[0] * rate <= by[name]["efor"] <= BAND[1] * rate, (name, by[name]["efor"])
    # correlated cold: gas is out more at the winter peak than on average
    assert by["Gas CC"]["efor_winter_peak"] > by["Gas CC"]["efor"]
    for c in pjm2026["classes"]:
        assert CLASS_KEYS <= set(c) and 0.0 <= c["efor"] < 1.0 and c["ucap_mw"] <= c["icap_mw"] + 1e-6


def test_pjm_2026_weather_years(pjm2026):
    wy = pjm2026["weather_years"]
    assert len(wy) >= 10 and all(YEAR_KEYS <= set(w) for w in wy)
    assert len({w["year"] for w in wy}) == len(wy)
    summer = sum(w["peak_month"] in (7, 8) for w in wy)
    assert summer > len(wy) / 2, [(w["year"], w["peak_month"]) for w in wy]
    ldc100 = float(np.mean([w["ldc_100"] for w in wy]))
    assert ldc100 == pytest.approx(0.906, rel=0.03)
    for w in wy:  # winter peaks in the morning or the evening, as observed
        assert w["winter_peak_hour"] in (7, 8, 9, 17, 18, 19, 20), (w["year"], w["winter_peak_hour"])
        assert w["hours"] == 8760 and w["ldc_10"] >= w["ldc_100"] >= w["ldc_500"]
        assert 0.5 < w["load_factor"] < 0.75 and w["winter_peak_mw"] <= w["peak_mw"]


def test_pjm_2026_accounts_zones_and_tables(pjm2026):
    d = pjm2026
    assert d["system"] == "pjm-2026" and d["periods"] == 8760 * len(d["weather_years"])
    assert set(d["accounts"]) >= {"reserve_margin", "icap_mw", "ucap_mw", "dr_icap_mw", "dr_ucap_mw"}
    assert d["accounts"]["ucap_mw"] < d["accounts"]["icap_mw"]
    # described on PJM's LDAs (issue 25); the outlook itself runs on two zones
    from gigawatt.systems import pjm_zones as Z

    assert [z["name"] for z in d["zones"]] == list(Z.NAMES_LDA) and d["outlook_zone_set"] == "two"
    assert all(PJM_ZONE_KEYS <= set(z) for z in d["zones"])
    limited = [z for z in d["zones"] if z["import_limit_source"] is not None]
    assert len(limited) >= 6 and all(z["import_limit_mw"] > 0 for z in limited)
    assert all("delivery year 2026/27" in z["import_limit_source"] for z in limited)
    assert d["storage"]["discharge_mw"] > 0 and d["storage"]["energy_mwh"] > d["storage"]["discharge_mw"]
    assert len(d["cold_replay"]) == 4
    text = _render(d)
    _assert_fits(text)
    assert "Gas CT dual fuel" in text and "Winter Storm Elliott" in text
    assert not any(isinstance(v, float) and not math.isfinite(v) for v in d["accounts"].values())


def test_pjm_lda_zones_have_every_key_and_a_sourced_import_limit():
    # issue 25: >= 6 zones, each with name, parent, peak, data centers, ICAP by class and its import
    # limit with the source and the delivery year it applies to
    d = _strict(describe_pjm(2030, zone_set="lda", weather_years=(2015, 2022), replay=False))
    zones = {z["name"]: z for z in d["zones"]}
    assert len([z for z in zones.values() if z["peak_mw"] > 0]) >= 6
    assert all(PJM_ZONE_KEYS <= set(z) for z in zones.values())
    assert zones["BGE"]["parent"] == "SWMAAC" and zones["EMAAC"]["parent"] == "MAAC" and zones["DOM"]["parent"] == "RTO"
    for name in ("DOM", "BGE", "PEPCO", "EMAAC", "PPL", "COMED"):
        z = zones[name]
        assert z["import_limit_mw"] > 0 and "2030/31" in z["import_limit_source"], z
    # Dominion's limit of 2030/31: the 2026/27 estimate plus the RTEP upgrades in service by then
    from gigawatt.systems import pjm_zones as Z

    assert zones["DOM"]["import_limit_mw"] == pytest.approx(pjm.DOM_IMPORT_LIMIT_MW + 4_250.0)
    # an LDA's limits, not its zone's interfaces: MAAC's 2,715 MW (PJM's CETL) for WMAAC, whose interfaces
    # also carry its zones' exports and leave 2,000 MW of it to Dominion's tie into SWMAAC
    assert zones["WMAAC"]["import_limit_mw"] == 2_715.0 and "MAAC" in zones["WMAAC"]["import_limit_source"]
    assert zones["SWMAAC"]["import_limit_mw"] == pytest.approx(1.15 * Z.FITTED_CETO_MW["SWMAAC"])
    assert zones["EMAAC"]["export_limit_mw"] == Z.EXPORT_LIMIT_MW["EMAAC"]
    assert zones["DOM"]["import_limit_mw"] == pytest.approx(Z.dom_import_limit_mw(2030))
    assert "Valley Link" in zones["DOM"]["import_limit_source"]
    assert sum(z["dc_mw"] for z in zones.values()) == pytest.approx(default_dc_mw(2030))
    assert zones["DOM"]["dc_mw"] == pytest.approx(0.5 * default_dc_mw(2030))
    icap = sum(sum(z["icap_mw_by_class"].values()) for z in zones.values())
    assert icap == pytest.approx(sum(c["icap_mw"] for c in d["classes"]), rel=1e-9)
    assert zones["COMED"]["icap_mw_by_class"]["Nuclear"] > zones["DOM"]["icap_mw_by_class"]["Nuclear"]
