"""A small grid written in the test, read, built and assessed end to end against hand-worked values."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from gigawatt.assess import assess
from gigawatt.errors import FileFormatError
from gigawatt.grids import GridOutlook
from gigawatt.io.grid import read_grid_description
from gigawatt.methods.sequential import SequentialMonteCarlo
from gigawatt.outlook import policy_system
from gigawatt.results import Shortfall
from gigawatt.systems.grid import build_grid

TOML = """
[grid]
name = "toy"
title = "Toy grid"
day_utc_offset_h = -6
timezone = "America/Chicago"
people_served = 1000

[weather]
csv = "load.csv"
note = "made up in the test"

[forecast]
base_year = 2026
peak_mw = 190
peak_growth_per_yr = 0.0
source = "[est] the test"

[capacity]
net_additions_mw_per_year = 0
reserve_margin_target = 0.15
source = "[est] the test"

[standard]
lole_d_per_year = 0.1
source = "S1"

[cold]
scale = 0.0
source = "[est] none"

[data_centers]
source = "[est] none"

[[zones]]
name = "TOY"
load_share = 1.0

[[classes]]
name = "Gas CT"
kind = "thermal"
icap_mw = 300
efor = 0.1
mttr_h = 10
unit_mw = 100
source = "S1"

[[replays]]
name = "a winter hour"
start_local = "2022-01-10 07:00"
published_mw = 30
what = "expected forced-out MW"
source = "S1"

[sources.S1]
title = "A made-up source"
publisher = "the test"
date = "2026-12-07"
url = "https://example.org"
kind = "primary"
"""

def _write(tmp_path, toml=TOML):
    # two complete local (UTC-6) years of load between 90 and 110 MW, peak 110 MW in 2021 and 105 MW in 2022
    t = pd.date_range("2021-01-01 06:00", "2023-01-01 05:00", freq="h", tz="UTC")
    hours = np.arange(len(t))
    load = 100.0 + 5.0 * np.sin(2 * np.pi * hours / 24.0)
    load[100] = 110.0  # 2021's peak
    load[8760 + 200] = 108.0  # 2022's peak
    pd.DataFrame({"time_utc": t.strftime("%Y-%m-%dT%H:%M:%SZ"), "load_mw": load}).to_csv(tmp_path / "load.csv",
                                                                                          index=False)
    p = tmp_path / "toy.toml"
    p.write_text(toml)
    return p, load

def test_read_build_hand_worked(tmp_path):
    p, load = _write(tmp_path)
    d = read_grid_description(p)
    assert d.weather_years == (2021, 2022)
    # each year relative to its own mean; one factor makes the median of the two peaks 190 MW
    m21, m22 = load[:8760].mean(), load[8760:].mean()
    k = 190.0 / np.median([110.0 / m21, 108.0 / m22])
    g = build_grid(d, 2026)
    assert g.n_periods == 2 * 8760
    assert g.regions.load_mw[0, 100] == pytest.approx(110.0 / m21 * k, rel=1e-12)
    assert g.regions.load_mw[0, 8760 + 200] == pytest.approx(108.0 / m22 * k, rel=1e-12)
    # three 100 MW units, failure 1/10 * 0.1 / 0.9 per hour (stationary unavailability 0.1)
    assert len(g.generators.names) == 3
    assert np.allclose(np.asarray(g.generators.capacity_mw), 100.0)
    assert np.allclose(np.asarray(g.generators.failure_prob), 0.1 * 0.1 / 0.9)
    # local midnight of 1 Jan 2026 in CST is 06:00 UTC
    assert g.timeaxis.timestamps[0] == pd.Timestamp("2026-01-01T06:00:00Z")
    # the replay: expected forced-out MW = 3 x 100 MW x 0.1 = 30 MW (no planned outages, no cold)
    r = GridOutlook(d, years=(2026,)).replays()[0]
    assert r["model_mw"] == pytest.approx(30.0, abs=1e-6)
    assert r["ratio"] == pytest.approx(1.0, abs=1e-6)

def test_end_to_end_lolh_hand_worked(tmp_path):
    """Every hour's load is between 100 and 200 MW, so a shortfall is two or three of the three units out:
    P = 3 x 0.1^2 x 0.9 + 0.1^3 = 0.028 in every hour, 0.028 x 8760 = 245.28 h a weather year."""
    p, _ = _write(tmp_path)
    o = GridOutlook(read_grid_description(p), years=(2026,))
    g = o.grid(2026)
    assert float(g.regions.load_mw.min()) > 100.0 and float(g.regions.load_mw.max()) < 200.0
    res = assess(o.system(2026), SequentialMonteCarlo(samples=40, seed=7), Shortfall())
    lolh = res.lolh_h.scaled(1 / 2)
    assert abs(lolh.mean - 0.028 * 8760) < 3 * lolh.stderr + 1e-9
    # the decision's path: the firm policy with 20 MW of data centers on the same grid
    dcs = policy_system(o, 2026, "firm", grid=g, dc_mw=20.0)
    assert dcs.site_load_mw.shape == (1, 2 * 8760)
    assert dcs.site_load_mw.max() == pytest.approx(20.0)

def test_a_description_of_ones_own_points_to_its_file(tmp_path):
    """A description outside the package has no docs/NAME.md: the report points to the file (it pointed to a
    docs/toy.md that does not exist); the package's grids keep their docs page."""
    p, _ = _write(tmp_path)
    o = GridOutlook(read_grid_description(p), years=(2026,))
    assert "docs/toy.md" not in o.system_note and "toy.toml" in o.system_note
    assert "published" not in o.system_note  # the file's outage rates are the user's, not published ones
    srcs = [r["source"] for r in o.assumptions_table()]
    assert not any("docs/toy.md" in s for s in srcs) and any("toy.toml" in s for s in srcs)
    from gigawatt.io.grid import load_grid
    e = GridOutlook(load_grid("ercot"), years=(2026,))
    assert "docs/ercot.md" in e.system_note and "published outage rates" in e.system_note
    assert any("ercot.toml and docs/ercot.md" in r["source"] for r in e.assumptions_table())


@pytest.mark.parametrize("old,new,where", [
    ("efor = 0.1", "efor = 1.5", "classes[0].efor"),
    ('source = "S1"\n\n[[replays]]', 'source = "S9"\n\n[[replays]]', "classes[0].source"),
    ("load_share = 1.0", "load_share = 0.5", "zones"),
    ('start_local = "2022-01-10 07:00"', 'start_local = "2019-01-10 07:00"', "replays[0].start_local"),
    ("peak_mw = 190", "peak_mw = -1", "forecast.peak_mw"),
    ("lole_d_per_year = 0.1", "lole_d_per_year = 100", "standard.lole_d_per_year"),  # tested at 0.1 only
    # an event running past its weather year's end (was an IndexError in the replay)
    ('start_local = "2022-01-10 07:00"', 'start_local = "2022-12-31 20:00"\nhours = 24', "replays[0].hours"),
    ('timezone = "America/Chicago"', 'timezone = "Mars/Base"', "grid.timezone"),
    # an interface from a zone to itself (was an error from the system model, naming neither file nor key)
    ("load_share = 1.0", 'load_share = 1.0\n\n[[interfaces]]\nfrom = "TOY"\nto = "TOY"\nlimit_mw = 10\nsource = "S1"',
     "interfaces[0].to"),
])
def test_errors_name_file_and_field(tmp_path, old, new, where):
    p, _ = _write(tmp_path, TOML.replace(old, new, 1))
    with pytest.raises(FileFormatError) as e:
        read_grid_description(p)
    assert "toy.toml" in str(e.value) and where in str(e.value)

def test_data_centers_between_the_tables_years_on_a_straight_line(tmp_path):
    """mw = { 2026 = 10, 2030 = 50 }, 3 MW/yr after: 2028 is half way (30 MW), 2031 is 53 MW (the years
    between the table's took the growth from 2026: 2029 was 19 MW and 2030 jumped to 50)."""
    p, _ = _write(tmp_path, TOML.replace('[data_centers]\n', '[data_centers]\nmw = { 2026 = 10, 2030 = 50 }\n'
                                         'growth_mw_per_year = 3\n', 1))
    d = read_grid_description(p)
    o = GridOutlook(d, years=(2026, 2027, 2028, 2029, 2030, 2031))
    assert [o.dc_load_mw(y) for y in o.years] == pytest.approx([10.0, 20.0, 30.0, 40.0, 50.0, 53.0])
    assert [d.dc_load_mw(y) for y in o.years] == pytest.approx([10.0, 20.0, 30.0, 40.0, 50.0, 53.0])
    assert d.dc_load_mw(2020) == 10.0


def test_weather_csv_error_names_line(tmp_path):
    p, _ = _write(tmp_path)
    lines = (tmp_path / "load.csv").read_text().splitlines()
    lines[5] = lines[5].split(",")[0] + ",abc"
    (tmp_path / "load.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(FileFormatError) as e:
        read_grid_description(p)
    assert "load.csv, line 6" in str(e.value)


def test_weather_csv_with_missing_hours_is_refused_not_dropped(tmp_path):
    """Ten hours missing inside 2021 (a year the file spans): an error naming the year and the first missing hour
    (the year was left out in silence, and the study ran on 2022 alone); an off-the-hour time names its line."""
    p, _ = _write(tmp_path)
    lines = (tmp_path / "load.csv").read_text().splitlines()
    (tmp_path / "load.csv").write_text("\n".join(lines[:5001] + lines[5011:]) + "\n")  # data rows 5000-5009
    with pytest.raises(FileFormatError) as e:
        read_grid_description(p)
    # row 5000 is 06:00 UTC + 5000 h = 2021-07-28 14:00 UTC, 08:00 local standard time (UTC-6)
    assert "load.csv: 2021 misses 10 hour(s)" in str(e.value) and "2021-07-28 08:00" in str(e.value)
    lines[8] = lines[8].replace(":00:00Z", ":30:00Z")
    (tmp_path / "load.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(FileFormatError) as e:
        read_grid_description(p)
    assert "load.csv, line 9" in str(e.value) and "on the hour" in str(e.value)
    # a file that begins or ends inside a year: that year is left out, as documented
    (tmp_path / "load.csv").write_text("\n".join(lines[:1] + lines[3000:8761] + lines[8761:]) + "\n")
    assert read_grid_description(p).weather_years == (2022,)


def test_gigawatt_run_on_a_description(tmp_path):
    """``gigawatt run GRID.toml``: the decision on the toy grid. Every hour is short with probability 0.028 at
    least, so the firm policy fails 0.1 day/yr in 2026 and the gap is positive; the document names the grid."""
    import json

    from gigawatt.cli import main

    p, _ = _write(tmp_path, TOML.replace("[data_centers]\n", "[data_centers]\nmw = { 2026 = 10 }\n"))
    out = tmp_path / "out"
    assert main(["run", str(p), "--out", str(out), "--samples", "8", "--first-year", "2026", "--last-year", "2026",
                 "--policies", "firm"]) == 0
    r = json.loads((out / "results.json").read_text())
    assert r["system"] == "toy" and r["first_year_failing"]["firm"] == 2026
    assert r["gap_mw"]["2026"]["estimate"] > 0
    assert r["results"][0]["dc_load_mw"] == 10.0 and r["results"][0]["peak_mw"] == 190.0


def test_range_on_a_description(tmp_path):
    """The range brackets a grid's own assumptions; more data centers or no additions never shrink the gap."""
    from gigawatt.decision import DecisionMethod, run_range

    p, _ = _write(tmp_path, TOML.replace("[data_centers]\n", "[data_centers]\nmw = { 2026 = 10 }\n"))
    o = GridOutlook(read_grid_description(p), years=(2026,))
    rng = run_range(o, DecisionMethod(seed=3, max_samples=8, batch=8, search_samples=8), years=(2026,))
    assert [r["case"] for r in rng["scenarios"]] == ["-1.0%/yr", "1.0%/yr", "half", "double", "none"]
    gap = {r["case"]: r["gap_mw"]["2026"]["estimate"] for r in rng["scenarios"]}
    assert rng["central"]["2026"]["estimate"] > 0 and gap["double"] > 0


def test_describe_and_adequacy_take_a_description(tmp_path, capsys):
    """The same description file works wherever a SYSTEM is taken, as docs/grids.md says."""
    from gigawatt.cli import main

    p, _ = _write(tmp_path)
    assert main(["system", "describe", str(p), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["system"] == str(p) and d["grid"]["name"] == "toy"
    assert main(["adequacy", str(p), "--samples", "2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["years_per_sample"] == 2.0 and out["lole_d"]["mean"] >= 0.0


def test_net_additions_go_to_the_classes_named():
    """class_icap_mw by hand on ERCOT's description: 1,000 MW added go 470 to storage, 410 to solar, 80 to wind
    and 40 to gas CT (ERCOT's 2025 entry)."""
    import dataclasses

    from gigawatt.io.grid import load_grid
    from gigawatt.systems.grid import class_icap_mw

    d = load_grid("ercot")
    base = {c.name: c.icap_mw for c in d.classes}
    assert d.additions_mix == {"Storage": 0.47, "Solar": 0.41, "Wind": 0.08, "Gas CT": 0.04}
    got = class_icap_mw(d, d.generation_icap_mw + 1_000.0)
    for name, mw in (("Storage", 470.0), ("Solar", 410.0), ("Wind", 80.0), ("Gas CT", 40.0)):
        assert got[name] == pytest.approx(base[name] + mw)
    assert all(got[n] == base[n] for n in base if n not in d.additions_mix)  # coal, nuclear: as built
    # without a mix, and for a fleet that shrank, every class in proportion
    half = class_icap_mw(d, 0.5 * d.generation_icap_mw)
    assert all(half[n] == pytest.approx(0.5 * base[n]) for n in base)
    pro = class_icap_mw(dataclasses.replace(d, additions_mix={}), 1.1 * d.generation_icap_mw)
    assert all(pro[n] == pytest.approx(1.1 * base[n]) for n in base)


def test_additions_errors_name_the_field(tmp_path):
    p, _ = _write(tmp_path, TOML.replace("net_additions_mw_per_year = 0",
                                         'net_additions_mw_per_year = 0\nadditions = { "Coal" = 1.0 }', 1))
    with pytest.raises(FileFormatError, match="capacity.additions.Coal: not a class"):
        read_grid_description(p)
    p, _ = _write(tmp_path, TOML.replace("net_additions_mw_per_year = 0",
                                         'net_additions_mw_per_year = 0\nadditions = { "Gas CT" = 0.5 }', 1))
    with pytest.raises(FileFormatError, match="shares sum to 0.5"):
        read_grid_description(p)


def test_describe_accounts_add_up_on_a_grid(tmp_path, capsys):
    """The classes' ICAP plus demand response is the grid's ICAP; wind and solar are not accredited."""
    from gigawatt.cli import main

    p, _ = _write(tmp_path)
    assert main(["system", "describe", str(p), "--json"]) == 0
    gas = next(c for c in json.loads(capsys.readouterr().out)["classes"] if c["name"] == "Gas CT")
    assert gas["ucap_mw"] == pytest.approx(gas["icap_mw"] * 0.9)  # efor 0.1 in the toy: ICAP x (1 - EFOR)
    assert main(["system", "describe", "ercot-2026", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    acc, cls = d["accounts"], d["classes"]
    assert sum(c["icap_mw"] for c in cls) + acc["dr_icap_mw"] == pytest.approx(acc["icap_mw"])
    assert {c["name"] for c in cls if c["ucap_mw"] is None} == {"Wind", "Solar"}
    assert sum(c["ucap_mw"] or 0.0 for c in cls) + acc["dr_ucap_mw"] == pytest.approx(acc["ucap_mw"])


def test_units_keep_their_size_and_the_remainder_is_one_unit(tmp_path):
    """A class is whole units of ``unit_mw`` and one unit of the remainder (a sliver under 1 % of a unit is spread
    over the whole units): 310 MW of 100 MW units is 3 x 100 + 1 x 10, not 3 x 103.3; the same units in a year
    whose class is 10 MW larger, so LOLE moves with the capacity, not with a resized fleet."""
    from gigawatt.systems.grid import unit_sizes

    assert unit_sizes(300.0, 100.0) == [(100.0, 3)]
    assert unit_sizes(310.0, 100.0) == [(100.0, 3), (10.0, 1)]
    assert unit_sizes(300.5, 100.0) == [(300.5 / 3, 3)]
    assert unit_sizes(60.0, 100.0) == [(60.0, 1)]
    assert unit_sizes(1_810.0, 200.0) == [(200.0, 9), (10.0, 1)]
    p, _ = _write(tmp_path, TOML.replace("icap_mw = 300", "icap_mw = 310"))
    g = build_grid(read_grid_description(p), 2026)
    cap = np.asarray(g.generators.capacity_mw)[:, 0]
    assert len(cap) == 4 and np.allclose(cap, [100.0, 100.0, 100.0, 10.0])
    assert g.generators.names[-1].endswith("#4")


@pytest.mark.parametrize("hour, value, what", [(5_000, 1e9, "1e+09 MW"), (7_000, 2.0, "2 MW")])
def test_a_spike_or_a_dropout_in_the_weather_csv_is_refused(tmp_path, hour, value, what):
    """One hour of 1e9 MW (a spike) or 2 MW (a dropout) in a year of ~100 MW: refused, naming the file, the
    year, the hour and the value, instead of a 9-million-MW peak or a year with a hole in it."""
    p, load = _write(tmp_path)
    df = pd.read_csv(tmp_path / "load.csv")
    df.loc[hour, "load_mw"] = value
    df.to_csv(tmp_path / "load.csv", index=False)
    with pytest.raises(FileFormatError) as exc:
        read_grid_description(p)
    msg = str(exc.value)
    assert "load.csv" in msg and "2021" in msg and what in msg and "median" in msg
