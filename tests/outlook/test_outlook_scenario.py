"""Outlook scenario files: the example, validation messages, and ``gigawatt run SCENARIO.toml`` end to end."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gigawatt.cli import main
from gigawatt.errors import FileFormatError
from gigawatt.io.outlook_scenario import read_outlook_scenario
from gigawatt.outlook import OutlookAssumptions

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "outlook_pjm_fast_growth.toml"
KEYS = ("lole_d", "lolh_h", "eue_mwh", "people_affected", "customer_hours", "dc_curtailed_hours", "dc_curtailed_mwh",
        "dc_throughput_lost_fraction", "dc_gpu_hours_lost", "dr_hours")


def test_example_scenario_values():
    s = read_outlook_scenario(EXAMPLE)
    o = s.assumptions
    assert s.name == "PJM, fast data-center growth" and s.samples == 50 and s.seed == 1
    assert o.years == tuple(range(2026, 2036))
    assert o.weather_years == (2014, 2018, 2019, 2022, 2024, 2025)
    assert s.policies == ("firm", "connect-and-manage", "capped-50h", "firm+battery", "firm+onsite-gen")
    # data centers: the 2026 override, then 7 GW a year from zero in 2024
    assert o.dc_load_mw(2026) == 12_000.0 and o.dc_load_mw(2027) == 21_000.0 and o.dc_load_mw(2035) == 77_000.0
    # peak: the 2026 override, else 154,144 MW grown 5 %/yr
    assert o.forecast_peak_mw(2026) == 162_000.0
    assert o.forecast_peak_mw(2030) == pytest.approx(154_144.0 * 1.05**5)
    # capacity: 2027 short of the 20 % requirement by 6,623 MW UCAP (over the procured mix's 0.739546 UCAP
    # per ICAP at its 2027/28 class ratings: 8,955.49 MW), +6 GW/yr, +9 GW in 2030
    req_2027 = 1.20 * 154_144.0 * 1.05**2
    assert o.capacity_mw(2027) == pytest.approx(req_2027 - 8_955.49, abs=0.01)
    assert o.capacity_mw(2030) - o.capacity_mw(2029) == pytest.approx(9_000.0)
    assert o.capacity_mw(2031) - o.capacity_mw(2030) == pytest.approx(6_000.0)
    assert (o.demand_response_mw, o.dr_max_hours_per_year, o.dr_max_event_h) == (9000.0, 60.0, 10.0)
    p = o.policy
    assert (p.capped_hours_per_year, p.capped_max_event_h) == (50, 6)
    assert (p.battery_power_frac, p.battery_duration_h) == (0.5, 4)
    assert (p.onsite_gen_frac, p.onsite_gen_unit_mw, p.onsite_gen_max_hours_per_year) == (0.3, 35, 500)
    assert o.rotation.people_per_mw == 418.3


def test_capped_hours_name_the_policy_without_a_compare_list(tmp_path):
    from gigawatt.cli.run import DEFAULT_SAMPLES, _resolve

    f = tmp_path / "c.toml"
    f.write_text("[policies.capped]\nhours_per_year = 24\n")
    s = read_outlook_scenario(f)
    assert s.policies is None
    _, samples, seed, names = _resolve(s, None, None, None, None, None)
    assert (samples, seed) == (DEFAULT_SAMPLES, 1)
    assert names == ("firm", "connect-and-manage", "capped-24h", "firm+battery", "firm+onsite-gen")
    assert _resolve(s, None, None, None, None, "capped,firm")[3] == ("capped-24h", "firm")


def test_reserve_margin_override_carries_to_later_years(tmp_path):
    f = tmp_path / "rm.toml"
    f.write_text("[capacity]\nreserve_margin = { 2028 = 0.2 }\nnet_additions_mw_per_year = 1000\n")
    o = read_outlook_scenario(f).assumptions
    assert o.reserve_margin(2028) == pytest.approx(0.2)
    assert o.capacity_mw(2029) == pytest.approx(1.2 * o.forecast_peak_mw(2028) + 1000.0)
    assert o.reserve_margin(2026) == pytest.approx(0.191)  # untouched years keep the defaults
    assert read_outlook_scenario(f).name == "rm"  # no name: the file's


@pytest.mark.parametrize("text, message", [
    ("colour = 'red'", "colour: unknown key"),
    ("[load]\npeak_growth = 0.05", "load.peak_growth: unknown key"),
    ("[policies.capped]\nhours = 50", "policies.capped.hours: unknown key"),
    ("[data_centers]\ngrowth_mw_per_year = 'fast'", "data_centers.growth_mw_per_year: expected a number, got 'fast'"),
    ("[data_centers]\nmw = 12000", "data_centers.mw: expected a table of year = value"),
    ("[data_centers]\nmw = { 2027 = -5 }", "data_centers.mw.2027: expected a number >= 0, got -5"),
    ("[data_centers]\nmw = { next = 5 }", "data_centers.mw.next: expected a year"),
    ("[data_centers]\nmw = { 2020 = 5 }", "expected years 2024-2060 as keys, got 2020"),
    ("[data_centers]\nmw = { 2030 = 300000 }", "data_centers.mw.2030: expected data-center load below the peak"),
    ("[demand_response]\nmw = -1", "demand_response.mw: expected a number >= 0, got -1"),
    ("[demand_response]\nmax_event_h = 0", "demand_response.max_event_h: expected a number > 0, got 0"),
    ("[capacity]\nnet_additions_mw_per_year = true", "capacity.net_additions_mw_per_year: expected a number"),
    ("[capacity]\noutage_multiplier = 0", "capacity.outage_multiplier: expected a number > 0, got 0"),
    ("[capacity]\nreserve_margin = { 2026 = -1.5 }", "capacity.reserve_margin.2026: expected a number > -1"),
    ("[run]\nfirst_year = 2030\nlast_year = 2027", "run.last_year: expected a year from run.first_year (2030) on"),
    ("[run]\nfirst_year = 2020", "run.first_year: expected a whole number in 2026-2060, got 2020"),
    ("[run]\nsamples = 0", "run.samples: expected a whole number >= 1, got 0"),
    ("[run]\nseed = 1.5", "run.seed: expected a whole number >= 0, got 1.5"),
    ("[run]\nzones = 'three'", "run.zones: expected one of 'two', 'lda' (two zones, or PJM's LDAs), got 'three'"),
    ("[run]\nzones = 2", "run.zones: expected one of 'two', 'lda'"),
    ("[capacity]\nlda_import_headroom = -1", "capacity.lda_import_headroom: expected a number"),
    ("[load]\nweather_years = [1990]", "load.weather_years: expected distinct years among"),
    ("[load]\nweather_years = 2025", "load.weather_years: expected a non-empty array of years"),
    ("[policies]\ncompare = ['firm', 'nuclear']", "policies.compare: unknown policy 'nuclear'"),
    ("[policies]\ncompare = ['capped-100h']\n[policies.capped]\nhours_per_year = 50",
     "policies.compare: unknown policy 'capped-100h'; expected some of"),
    ("[policies.battery]\npower_frac = -0.1", "policies.battery.power_frac: expected a number >= 0, got -0.1"),
    ("[policies.capped]\nmax_depth_frac = 2", "policies.capped.max_depth_frac: expected a value in [0.0, 1.0], got 2"),
    ("[rotation]\nrotation_h = -1", "rotation.rotation_h"),
    ("[rotation]\nn_blocks = 'many'", "rotation.n_blocks: expected a number, got 'many'"),
    ("name = 3", "name: expected a string, got 3"),
    ("[load\n", "not valid TOML"),
])
def test_messages_name_the_file_and_field(tmp_path, text, message):
    f = tmp_path / "bad.toml"
    f.write_text(text + "\n")
    with pytest.raises(FileFormatError) as exc:
        read_outlook_scenario(f)
    assert str(exc.value).startswith(f"{f}: ")
    assert message in str(exc.value)


def test_zones_key_picks_the_lda_set(tmp_path):
    f = tmp_path / "lda.toml"
    f.write_text("[run]\nzones = 'lda'\n")
    assert read_outlook_scenario(f).assumptions.zone_set == "lda"
    f.write_text("[run]\nseed = 3\n")
    assert read_outlook_scenario(f).assumptions.zone_set == "two"  # the default
    f.write_text("[run]\nzones = 'lda'\n[capacity]\nlda_import_headroom = 0.5\n")
    o = read_outlook_scenario(f).assumptions
    limits = dict(o.pjm(2030).import_limits_mw)
    assert limits["COMED"] == pytest.approx(1.5 * o.model.fitted_ceto_mw["COMED"])
    assert "PPL" not in limits and "DOM" not in limits  # PJM's published CETL; Dominion's own parameter


def test_missing_file():
    with pytest.raises(FileFormatError, match="cannot read"):
        read_outlook_scenario("no/such/scenario.toml")


@pytest.fixture(scope="module")
def scenario_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("scenario")
    assert main(["run", str(EXAMPLE), "--samples", "4", "--first-year", "2026", "--last-year", "2027",
                 "--out", str(out)]) == 0
    return json.loads((out / "results.json").read_text()), out


def test_run_with_scenario_writes_every_key_per_year_and_policy(scenario_run):
    res, out = scenario_run
    assert res["samples"] == 4 and res["seed"] == 1  # --samples over the file's 50; seed from the file
    policies = ["firm", "connect-and-manage", "capped-50h", "firm+battery", "firm+onsite-gen"]
    assert res["policies"] == policies
    rows = {(r["policy"], r["year"]): r for r in res["results"]}
    assert set(rows) == {(p, y) for p in policies for y in (2026, 2027)}
    for r in rows.values():
        for key in KEYS:
            assert set(r[key]) == {"mean", "stderr"}, key
        assert len(r["shortfall_month_hour"]) == 12
    # the scenario's data centers and peak, not the default's (10 and 15 GW)
    assert rows[("firm", 2026)]["dc_load_mw"] == 12_000.0 and rows[("firm", 2027)]["dc_load_mw"] == 21_000.0
    assert rows[("firm", 2026)]["peak_mw"] == 162_000.0
    default = OutlookAssumptions()
    assert default.dc_load_mw(2026) == 10_400.0
    scen = res["scenario"]
    assert scen["name"] == "PJM, fast data-center growth" and scen["path"] == str(EXAMPLE)
    assert scen["assumptions"]["years"] == [2026, 2027]
    assert scen["assumptions"]["demand_response_mw"] == 9000.0
    assert scen["assumptions"]["dc_mw_by_year"] == {"2026": 12000.0}
    assert scen["assumptions"]["policy"]["onsite_gen_max_hours_per_year"] == 500.0
    table = {a["name"]: a for a in res["assumptions"]}
    assert table["demand response"]["value"].startswith("9,000 MW, 60 h/yr")
    assert table["demand response"]["source"] == "scenario 'PJM, fast data-center growth'"
    text = (out / "report.html").read_text()
    assert "PJM, fast data-center growth" in text and "capped-50h" in text


def test_file_options_apply_when_the_command_line_is_silent(tmp_path):
    f = tmp_path / "small.toml"
    f.write_text("name = 'small'\n[run]\nsamples = 3\nseed = 5\nfirst_year = 2026\nlast_year = 2026\n"
                 "[policies]\ncompare = ['capped']\n[policies.capped]\nhours_per_year = 24\n")
    assert main(["run", str(f), "--out", str(tmp_path / "o")]) == 0
    res = json.loads((tmp_path / "o" / "results.json").read_text())
    assert (res["samples"], res["seed"], res["policies"]) == (3, 5, ["capped-24h"])
    assert [r["year"] for r in res["results"]] == [2026]
    # the command line wins
    assert main(["run", str(f), "--out", str(tmp_path / "p"), "--seed", "2", "--policies", "firm"]) == 0
    res = json.loads((tmp_path / "p" / "results.json").read_text())
    assert (res["samples"], res["seed"], res["policies"]) == (3, 2, ["firm"])


def test_bad_scenario_exits_2_without_traceback_or_output(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[data_centers]\nmw = { 2027 = -5 }\n")
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    p = subprocess.run([sys.executable, "-m", "gigawatt", "run", str(bad), "--out", str(out)], capture_output=True,
                       text=True, env=env, timeout=120)
    assert p.returncode == 2
    assert "Traceback" not in p.stderr + p.stdout
    assert "bad.toml" in p.stderr and "data_centers.mw.2027: expected a number >= 0, got -5" in p.stderr
    assert not out.exists() or not any(out.iterdir())


def test_bad_command_line_years_for_the_scenario(capsys):
    assert main(["run", str(EXAMPLE), "--first-year", "2070"]) == 2
    assert "--first-year" in capsys.readouterr().err


def test_onsite_dual_fuel_is_true_or_false(tmp_path):
    f = tmp_path / "d.toml"
    f.write_text("[policies.onsite_gen]\ndual_fuel = true\n")
    assert read_outlook_scenario(f).assumptions.policy.onsite_gen_dual_fuel is True
    f.write_text("[policies.onsite_gen]\ndual_fuel = 1\n")
    with pytest.raises(FileFormatError, match="policies.onsite_gen.dual_fuel: expected true or false"):
        read_outlook_scenario(f)
