"""The headline: not a forecast, on what it is conditional, the model's range beside the sampling interval."""

import re

from gigawatt.cli.run import range_lines
from gigawatt.decision.headline import conditions, gap_range
from gigawatt.outlook import OutlookAssumptions
from gigawatt.report.html import _decision_headline
from gigawatt.systems.pjm_constants import COLD_SCALE_FITTED


def _gap(est, low, high):
    return {"estimate": est, "low": low, "high": high, "status": "ok"}


RANGE = {"years": [2030], "central": {"2030": _gap(28_900.0, 26_000.0, 31_800.0)},
         "scenarios": [{"factor": "data-center growth", "case": "low (2.5 GW/yr)",
                        "gap_mw": {"2030": _gap(3_200.0, 2_000.0, 4_400.0)}},
                       {"factor": "cold model", "case": "high (1 x: 2014 and Elliott replayed)",
                        "gap_mw": {"2030": _gap(45_000.0, 43_000.0, 47_000.0)}},
                       {"factor": "net additions", "case": "low", "gap_mw": {"2030": {"estimate": None}}}]}


def _results(rng=None, assumptions=None):
    a = OutlookAssumptions().to_dict() if assumptions is None else assumptions
    return {"system": "pjm-default", "gap_policy": "firm", "scenario": {"name": "PJM default", "assumptions": a},
            "gap_mw": {"2027": _gap(8_300.0, 5_700.0, 10_900.0), "2030": _gap(28_900.0, 26_000.0, 31_800.0)},
            "verdict": {"firm": {"2027": {"status": "fails"}, "2030": {"status": "fails"}}},
            "first_year_failing": {"firm": 2027}, "scenarios": rng}


def test_gap_range_spans_the_central_case_and_the_scenarios():
    (lo, lo_case), (hi, hi_case) = gap_range(RANGE, 2030)
    assert (lo, hi) == (3_200.0, 45_000.0)
    assert lo_case == "data-center growth: low (2.5 GW/yr)" and hi_case.startswith("cold model")
    assert gap_range(RANGE, 2035) is None and gap_range(None, 2030) is None


def test_the_headline_says_not_a_forecast_and_gives_the_range_beside_the_interval():
    text = _decision_headline(_results(RANGE), [2027, 2030], ["firm"], "the default assumptions")
    assert text.startswith("<b>Not a forecast</b>")  # first, not further down
    assert "PJM's 2026 load forecast (its peaks and energy by year)" in text
    assert "the fleet schedule (announced deactivations, new entry at its completion rates [est])" in text
    assert "data centers growing 5.2 GW a year" in text and "import limit of 8 GW in 2026/27 with the RTEP upgrades" in text
    assert f"cold model fitted to PJM's 2026 reserve criterion (factor {COLD_SCALE_FITTED:g})" in text
    assert "8.3 (5.7&ndash;10.9) GW" in text and "95 % sampling interval" in text
    assert re.search(r"2030: <b>3\.2&ndash;45\.0 GW</b> \(from data-center growth: low .* to cold model: high", text)
    # without --range the headline says the range is missing and what would add it
    text = _decision_headline(_results(None), [2027, 2030], ["firm"], "the default assumptions")
    assert "not in this run" in text and "--range" in text and "transfer limits, the cold and heat models" in text


def test_a_scenario_that_moves_an_assumption_is_named_in_the_conditions():
    a = OutlookAssumptions(peak_growth_per_yr=0.031, cold_scale=1.0, heat_scale=1.0, cbot_frac=0.0,
                           load_forecast_sd=0.02).to_dict()
    text = conditions(_results(assumptions=a))
    assert "the scenario's heat model (factor 1)" in text
    assert "the scenario's capacity benefit of ties (0.0% of the peak)" in text
    assert "the scenario's load forecast error (sd 2.0%)" in text
    b = OutlookAssumptions(load_forecast="2025", peak_mw_by_year={2030: 190_000.0}).to_dict()
    assert "the scenario's peaks by year (PJM's 2025 load forecast otherwise)" in conditions(_results(assumptions=b))
    assert "the scenario's peak growth (3.1%/yr)" in text and "the scenario's cold model (factor 1)" in text
    assert "grid description" in conditions({"system": "ercot"})
    # a description's conditions name its grid and file, and say where its assumptions are listed: "below" in
    # the report, the report's file on the terminal (which lists none below)
    ercot = {"system": "ercot", "scenario": {"description": "ERCOT (Texas)", "path": "/x/data/ercot.toml"}}
    assert conditions(ercot) == ("the grid description of ERCOT (Texas) (ercot.toml): its load forecast, "
                                 "data-center trajectory and capacity (the assumptions below)")
    assert conditions(ercot, listed="in out/report.html").endswith("(the assumptions in out/report.html)")
    # with its weather years: few of them make one day short above the standard, and the calibration event
    # among them is named (ERCOT: nine years with Uri, 1/9 = 0.11 d/yr: the gap rides through Uri again)
    ercot.update(weather_years=9, standard_lole_d=0.1,
                 calibration=[{"name": "Uri, 15 Feb 07:00 - 17 Feb 13:00 2021 (mean of 54 h)"},
                              {"name": "Uri, the worst hour (16 Feb 2021 08:00)"}])
    assert conditions(ercot) == ("the grid description of ERCOT (Texas) (ercot.toml): its load forecast, "
                                 "data-center trajectory and capacity, and its 9 weather years with Uri among them: "
                                 "one day short in one of them is 0.11 d/yr, above the 0.1 d/yr standard, so the "
                                 "gap is the firm capacity that rides through that weather again (the assumptions "
                                 "below)")
    ercot.update(weather_years=23, calibration=[])
    assert conditions(ercot).endswith("capacity, and its 23 weather years (the assumptions below)")


def test_the_terminal_prints_the_models_range_beside_the_sampling_interval():
    (line,) = range_lines(RANGE)
    assert line == ("model's range of the 2030 gap: 3.2 GW (data-center growth: low (2.5 GW/yr)) to 45.0 GW "
                    "(cold model: high (1 x: 2014 and Elliott replayed)); central 28.9 GW (sampling 26.0-31.8)")
    assert "not in this run" in range_lines(None)[0]
