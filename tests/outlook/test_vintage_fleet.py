"""One load-forecast vintage, a fleet that evolves by class, and one UCAP basis (docs/outlook.md, sources.md P3, P7, P10)."""

import dataclasses
import math
from pathlib import Path

import pytest

from gigawatt.decision.range import range_scenarios
from gigawatt.errors import InputError
from gigawatt.outlook import OutlookAssumptions
from gigawatt.systems import pjm, pjm_fleet, pjm_forecast
from gigawatt.systems.pjm_fleet import FleetChange

#: the 2026 Load Forecast Report's published points: summer peaks [MW] ([S21], [S59], [S2], [S58]; 2030 is
#: "+17 % by 2030" over 2026's peak, [S59]) and net energy [MWh] in 2036 ([S58])
LF2026_PEAKS = {2026: 156_400, 2027: 160_000, 2028: 165_600, 2030: 1.17 * 156_400, 2036: 222_106}
LF2026_ENERGY_2036_MWH = 1_437_629e3
#: the 2025 report's: summer peaks ([S54]) and net energy ([S55])
LF2025_PEAKS = {2025: 154_144, 2040: 220_224, 2045: 228_544}
LF2025_ENERGY = {2035: 1_328_045e3, 2045: 1_482_068e3}


def test_year_table_matches_the_2026_forecast_within_one_percent():
    o = OutlookAssumptions()
    for y, mw in LF2026_PEAKS.items():
        assert o.forecast_peak_mw(y) == pytest.approx(mw, rel=0.01), y
        assert pjm.forecast_peak_mw(y) == pytest.approx(mw, rel=0.01), y  # the system's default, the same vintage
    assert o.forecast_energy_mwh(2036) == pytest.approx(LF2026_ENERGY_2036_MWH, rel=0.01)
    assert pjm.forecast_energy_mwh(2036) == pytest.approx(LF2026_ENERGY_2036_MWH, rel=0.01)
    # the report's ten-year growth: peak 3.6 %/yr, energy 5.3 %/yr (rounded to 0.1 point)
    assert (o.forecast_peak_mw(2036) / o.forecast_peak_mw(2026)) ** 0.1 - 1 == pytest.approx(0.036, abs=0.0005)
    assert (o.forecast_energy_mwh(2036) / o.forecast_energy_mwh(2026)) ** 0.1 - 1 == pytest.approx(0.053, abs=0.0005)
    # large loads: 22-30 GW of data centers added by 2031 ([S96]); the model adds the midpoint, 26 GW
    added = o.dc_load_mw(2031) - o.dc_load_mw(2026)
    assert 22_000 <= added <= 30_000
    assert added == pytest.approx(26_000, rel=0.01)
    assert pjm.default_dc_mw(2031) == o.dc_load_mw(2031)


def test_year_table_between_and_beyond_the_points():
    lf = pjm_forecast.LF_2026
    # geometric between published points, the report's ten-year rate after 2036 [est]
    assert lf.peak_mw(2029) == pytest.approx(math.sqrt(165_600 * 1.17 * 156_400), rel=1e-12)
    assert lf.peak_mw(2033) == pytest.approx(1.17 * 156_400 * (222_106 / (1.17 * 156_400)) ** 0.5, rel=1e-12)
    assert lf.peak_mw(2040) == pytest.approx(222_106 * 1.036 ** 4, rel=1e-12)
    # the energy keeps the peak's growth after 2036, so the load factor stays below 1
    for y in (2036, 2045, 2060):
        assert lf.energy_mwh(y) / (lf.peak_mw(y) * 8760) < 0.8, y


def test_the_2025_forecast_is_its_own_vintage():
    o = OutlookAssumptions(load_forecast="2025", dc_growth_mw_per_year=5_000.0)
    for y, mw in LF2025_PEAKS.items():
        assert o.forecast_peak_mw(y) == pytest.approx(mw, rel=1e-9), y
    for y, mwh in LF2025_ENERGY.items():
        assert o.forecast_energy_mwh(y) == pytest.approx(mwh, rel=1e-9), y
    assert (o.forecast_peak_mw(2035) / o.forecast_peak_mw(2025)) ** 0.1 - 1 == pytest.approx(0.031, abs=1e-9)
    # the range's load-forecast case takes every load figure from it, none from the 2026 report
    case = next(a for f, _, a in range_scenarios(OutlookAssumptions()) if f == "load forecast")
    assert case.load_forecast == "2025"
    assert case.dc_growth_mw_per_year == pjm_forecast.LF_2025.dc_growth_mw_per_year == 5_000.0
    for y in (2026, 2030, 2035):
        assert case.forecast_peak_mw(y) == pytest.approx(pjm_forecast.LF_2025.peak_mw(y), rel=1e-12)
        assert case.pjm(y).load_forecast == "2025"  # the grid's energy comes from the same vintage


def test_assumptions_cite_the_vintage_a_description_names(tmp_path):
    """A copy of pjm.toml whose default vintage is the 2025 report: the report's assumptions cite that report
    (they cited the 2026 report under the 2025 report's figures)."""
    from gigawatt.decision.results import assumptions_table
    import gigawatt
    from gigawatt.io.grid import load_grid

    text = (Path(gigawatt.__file__).parent / "data" / "pjm.toml").read_text()
    assert 'vintage = "2026"' in text
    p = tmp_path / "my_pjm.toml"
    p.write_text(text.replace('vintage = "2026"', 'vintage = "2025"', 1))
    o = OutlookAssumptions.from_model(load_grid(p), years=(2030,))
    rows = {r["name"]: r for r in assumptions_table(o)}
    for name in ("load forecast", "data centers"):
        assert "2025" in rows[name]["source"] and "2026" not in rows[name]["source"], rows[name]
    assert rows["load forecast"]["value"].startswith("PJM 2025 Load Forecast Report")
    # the embedded model's rows are as before
    rows = {r["name"]: r for r in assumptions_table(OutlookAssumptions(years=(2030,)))}
    assert rows["load forecast"]["source"].startswith("PJM 2026 Load Forecast Report")
    assert rows["data centers"]["source"].startswith("PJM 2026 forecast: 22-30 GW")


def test_overrides_still_work():
    o = OutlookAssumptions(peak_mw_by_year={2030: 200_000.0}, dc_mw_by_year={2030: 40_000.0})
    assert o.forecast_peak_mw(2030) == 200_000.0 and o.dc_load_mw(2030) == 40_000.0
    # a 2025 peak and growth: the old trajectory, peak_2025 (1 + g) ** (year - 2025)
    g = OutlookAssumptions(peak_2025_mw=154_144.0, peak_growth_per_yr=0.05)
    assert g.forecast_peak_mw(2030) == pytest.approx(154_144.0 * 1.05 ** 5, rel=1e-12)
    with pytest.raises(InputError, match="load_forecast"):
        OutlookAssumptions(load_forecast="2019")


#: a toy schedule: 1,000 MW of coal retiring in 2028-2029 (80 % goes ahead), 2,000 MW of gas CC and
#: 1,000 MW of solar in 2029 (half built)
TOY = (FleetChange("retire", (("Coal", -1_000.0),), ((2028, 0.5), (2029, 0.5)), completion=0.8, entry=False),
       FleetChange("new", (("Gas CC", 2_000.0), ("Solar", 1_000.0)), ((2029, 1.0),), completion=0.5))


def test_class_icap_by_year_is_the_hand_sum_of_a_toy_schedule():
    # the PJM description with the toy schedule in place of its [[capacity.schedule]]
    o = OutlookAssumptions.from_model(dataclasses.replace(pjm.MODEL, schedule=TOY), years=(2026, 2027, 2028, 2029, 2030))
    f27, f28, f29, f30 = (o.fleet_icap_mw(y) for y in (2027, 2028, 2029, 2030))
    # 2027 is what the auction procured, in Table 5's mix
    assert sum(f27.values()) + o.demand_response_mw == pytest.approx(1.2 * o.forecast_peak_mw(2027)
                                                                      - o.shortfall_2027_icap_mw(), rel=1e-12)
    # by hand: 2028 coal -400; 2029 coal -400, gas CC +1,000, solar +500; 2030 nothing
    expect28 = {**f27, "Coal": f27["Coal"] - 400.0}
    expect29 = {**expect28, "Coal": expect28["Coal"] - 400.0, "Gas CC": expect28["Gas CC"] + 1_000.0,
                "Solar": expect28["Solar"] + 500.0}
    for c in f27:
        assert f28[c] == pytest.approx(expect28[c], abs=1e-6), c
        assert f29[c] == pytest.approx(expect29[c], abs=1e-6), c
        assert f30[c] == pytest.approx(expect29[c], abs=1e-6), c
    assert o.capacity_mw(2029) - o.capacity_mw(2027) == pytest.approx(-800.0 + 1_500.0, abs=1e-6)
    # new entry at half the completion: gas CC +500, solar +250; the retirements are the same
    h = dataclasses.replace(o, entry_completion_scale=0.5).fleet_icap_mw(2029)
    assert h["Gas CC"] - f27["Gas CC"] == pytest.approx(500.0, abs=1e-6)
    assert h["Solar"] - f27["Solar"] == pytest.approx(250.0, abs=1e-6)
    assert h["Coal"] == pytest.approx(f29["Coal"], abs=1e-6)
    # a year's net change set by hand: 3,000 MW in 2029, the schedule's classes plus the rest like the fleet
    b = dataclasses.replace(o, net_additions_mw_by_year={2029: 3_000.0}).fleet_icap_mw(2029)
    assert sum(b.values()) - sum(f28.values()) == pytest.approx(3_000.0, abs=1e-6)
    extra = 3_000.0 - (-400.0 + 1_500.0)  # the schedule nets 1,100 MW in 2029
    assert b["Nuclear"] - f28["Nuclear"] == pytest.approx(extra * f28["Nuclear"] / sum(f28.values()), rel=1e-9)
    # the system's classes are the fleet's
    acc = pjm.capacity_accounts(o.pjm(2029))
    for c, mw in f29.items():
        assert acc["classes"][c]["icap_mw"] == pytest.approx(mw, rel=1e-12), c


def test_the_default_schedule_adds_up_to_its_sources():
    # RRI: 11,793 MW of summer ratings by fuel ([S91]); the EIT: 20 x 250 MW UCAP of gas CC at 0.74
    block = {ch.name: ch for ch in pjm_fleet.FLEET_SCHEDULE}
    assert sum(mw for _, mw in block["Reliability Resource Initiative"].class_mw) == pytest.approx(11_793.0)
    assert sum(mw for _, mw in block["Expedited Interconnection Track"].class_mw) * 0.74 == pytest.approx(5_000.0)
    assert sum(mw for _, mw in block["announced deactivations"].class_mw) == pytest.approx(-4_300.0)
    o = OutlookAssumptions()
    total = {c: 0.0 for c in pjm_fleet.CLASS_NAMES}
    for y in range(2028, 2040):
        for c, mw in pjm_fleet.schedule_changes(y).items():
            total[c] += mw
    for ch in pjm_fleet.FLEET_SCHEDULE:
        for c, mw in ch.class_mw:
            total[c] -= mw * ch.completion
    assert all(abs(v) < 1e-6 for v in total.values()), total  # every block lands once, at its completion
    # coal: 2027's less 2,300 x 0.8 announced and 10,500 x 0.5 policy retirements, plus the RRI's 14 x 0.85
    coal = o.fleet_icap_mw(2027)["Coal"] - 2_300 * 0.8 - 10_500 * 0.5 + 14 * 0.85
    assert o.fleet_icap_mw(2035)["Coal"] == pytest.approx(coal, rel=1e-12)


def test_one_ucap_basis_in_later_years():
    o = OutlookAssumptions()
    for y in (2026, 2030):
        acc = pjm.capacity_accounts(o.pjm(y))
        assert acc["ucap_mw"] == pytest.approx(pjm_fleet.ucap_mw(o.fleet_icap_mw(y), o.demand_response_mw, y),
                                               rel=1e-12)
    with pytest.raises(InputError, match="reserve_margin"):
        pjm.PJMAssumptions(year=2030, class_icap_mw=o.pjm(2030).class_icap_mw, reserve_margin=0.2)
