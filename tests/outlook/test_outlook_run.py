"""The outlook and ``gigawatt run``: results.json fields, monotonic behaviour, the report."""

import json

import pytest

from gigawatt.errors import InputError

from gigawatt.cli import main
from gigawatt.decision.decompose import ELEMENTS
from gigawatt.outlook import OutlookAssumptions


def test_first_year_failing_is_the_first_clear_fail():
    """An undecided year (at the standard within the sampling) is not a failing one."""
    from types import SimpleNamespace

    from gigawatt.decision import Decision, DecisionMethod

    def cell(status):
        return SimpleNamespace(verdict=SimpleNamespace(status=status))

    cells = {(2026, "firm"): cell("undecided"), (2027, "firm"): cell("fails"), (2028, "firm"): cell("fails"),
             (2026, "other"): cell("meets"), (2027, "other"): cell("undecided"), (2028, "other"): cell("meets")}
    dec = Decision(cells, (2026, 2027, 2028), ("firm", "other"), DecisionMethod())
    assert dec.first_year_failing("firm") == 2027
    assert dec.first_year_failing("other") is None


def test_outlook_lole_grows_as_reserves_shrink():
    from gigawatt.decision import DecisionMethod, run_decision

    o = OutlookAssumptions(years=(2026, 2028), weather_years=(2025,))
    fixed = DecisionMethod(seed=3, batch=20, max_samples=20)  # 20 samples in every cell
    res = run_decision(o, fixed, policies=("firm",), search=False).results
    assert [r.year for r in res] == [2026, 2028]
    assert res[1].reserve_margin < res[0].reserve_margin
    assert res[1].lole_d.mean > res[0].lole_d.mean
    assert res[1].people_affected.mean >= res[0].people_affected.mean


@pytest.fixture(scope="module")
def run_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    assert main(["run", "--out", str(out), "--samples", "8", "--first-year", "2026", "--last-year", "2027",
                 "--policies", "firm,connect-and-manage"]) == 0
    return out


def test_results_json_fields(run_out):
    res = json.loads((run_out / "results.json").read_text())
    assert res["samples"] == 8 and len(res["results"]) == 4
    for row in res["results"]:
        for key in ("lole_d", "lolh_h", "eue_mwh", "people_affected", "customer_hours", "dc_curtailed_hours",
                    "dc_curtailed_mwh", "dc_throughput_lost_fraction", "dc_gpu_hours_lost", "dr_hours"):
            assert set(row[key]) == {"mean", "stderr"}, key
        assert len(row["shortfall_month_hour"]) == 12
        hist = row["hours_per_affected_customer"]
        assert hist["upper_h"][:2] == [0.5, 1.0] and hist["upper_h"][-1] is None
        assert len(hist["customers_per_year"]) == len(hist["upper_h"])
    assert res["scenario"]["name"] == "PJM default" and res["scenario"]["path"] is None
    assert res["scenario"]["assumptions"]["demand_response_mw"] == 8184.0
    assert not list(run_out.glob(".tmp-*"))
    # issue 25: per year, the gap by zone, the import alternative and the decomposition
    for y in ("2026", "2027"):
        by = res["gap_by_zone_mw"][y]
        gap = res["gap_mw"][y]
        assert set(by) == {"DOM", "REST"} and all(set(v) == {"estimate", "low", "high"} for v in by.values())
        assert sum(v["estimate"] for v in by.values()) == pytest.approx(gap["estimate"], abs=0.2)
        assert sum(v["low"] for v in by.values()) <= gap["estimate"] + 0.2
        assert gap["estimate"] <= sum(v["high"] for v in by.values()) + 0.2
        assert isinstance(res["import_alternative_mw"][y], dict)
    # the decomposition in the report's years among the run's (2027 of 2026-2027), one element a step
    assert list(res["gap_decomposition"]) == ["2027"]
    steps = res["gap_decomposition"]["2027"]
    assert steps[0]["step"] == "capacity arithmetic" and steps[-1]["gap_mw"] == res["gap_mw"]["2027"]["estimate"]
    assert [r["step"] for r in steps[1:]] == [label for label, _ in ELEMENTS]
    assert {r["status"] for r in steps if r["step"] == "+ heat"} == {"unchanged"}  # heat_scale 0
    assert res["zone_criteria"]["lda_lole_d"] == 0.04 and res["zone_criteria"]["rto_lole_d"] == 0.1


def test_report_is_self_contained(run_out):
    text = (run_out / "report.html").read_text()
    assert text.count("<svg") >= 4
    # nothing fetched: no external scripts, styles, images or fonts
    for needle in ('src="http', "src='http", 'href="http', "<link", "url(http", "@import"):
        assert needle not in text, needle
    assert "Will the lights stay on?" in text
    # the gap by zone, and each LDA on its own: a row per LDA, a column per year
    assert "<table id='zone-gap'>" in text and "<table id='lda-criteria'><tr><th>LDA</th><th>2026</th><th>2027</th>" in text
    assert "<tr><td>DOM</td>" in text


def test_run_rejects_bad_years(tmp_path, capsys):
    assert main(["run", "--out", str(tmp_path), "--first-year", "2030", "--last-year", "2027"]) == 2
    assert "--last-year" in capsys.readouterr().err


def test_run_rejects_bad_zones(tmp_path, capsys):
    assert main(["run", "--out", str(tmp_path), "--zones", "three"]) == 2
    assert "--zones: expected one of two, lda, got 'three'" in capsys.readouterr().err
    # the zone sets are the PJM outlook's; ERCOT's grid has its own zones
    assert main(["run", "ercot", "--out", str(tmp_path), "--zones", "lda"]) == 2
    assert "--zones lda: the zone sets are the PJM outlook's" in capsys.readouterr().err


def test_lda_set_splits_the_data_centers_by_zone_and_holds_each_lda():
    # the outlook on PJM's LDAs (issue 25): the data centers by zone as the model's shares, every limited
    # zone with load held to its own criterion; the two zones keep their split
    import dataclasses

    from gigawatt.decision.cell import lda_zones
    from gigawatt.outlook import policy_system
    from gigawatt.systems import pjm

    o = OutlookAssumptions(years=(2030,), weather_years=(2025,))
    dc = o.dc_load_mw(2030)
    peak = float(pjm.dc_profile(pjm.weather(o.pjm(2030)).heat, o.model.dc_base_fraction).max())

    def by_zone(dcs):  # each site's MW (its load at the profile's peak over the profile's peak)
        return {s.region: float(m.max()) / peak for s, m in zip(dcs.sites, dcs.site_load_mw)}

    two = policy_system(o, 2030, "firm")
    share = o.model.dc_dom_share
    assert by_zone(two) == pytest.approx({"DOM": dc * share, "REST": dc * (1 - share)})
    assert lda_zones(two) == ("DOM",)
    lda = dataclasses.replace(o, zone_set="lda")
    dcs = policy_system(lda, 2030, "firm")
    a = lda.pjm(2030)
    assert a.zone_set == "lda" and dcs.system.regions.names == pjm.pjm_default(a).regions.names
    want = pjm.dc_zone_mw(a, dc)
    assert by_zone(dcs) == pytest.approx({z: mw for z, mw in want.items() if mw > 0})
    assert sum(by_zone(dcs).values()) == pytest.approx(dc) and len(want) > 5
    # the zones with an import limit of their own, then the nested LDAs of several zones, the smaller first
    assert lda_zones(dcs) == ("COMED", "DOM", "PPL", "EMAAC", "BGE", "PEPCO", "SWMAAC", "MAAC")
    assert len(dcs.order.demand_response) > 2  # demand response by LDA zone
    # the LDAs' limits are read on the LDA set only
    with pytest.raises(InputError, match="lda_import_headroom: the LDAs' import limits are read on the LDA set"):
        OutlookAssumptions(years=(2030,), lda_import_headroom=0.3)


def test_range_moves_the_estimated_lda_limits_with_dominions():
    # --range on the LDA set: the transfer-limits cases move every estimated LDA limit at Dominion's ratio to
    # its import objective; PJM's published CETLs (PPL, MAAC) stay; on the two zones only Dominion's moves
    import dataclasses

    from gigawatt.decision.range import transfer_limit_scenarios
    from gigawatt.systems import pjm

    o = OutlookAssumptions(years=(2030,), weather_years=(2025,), zone_set="lda")
    central = pjm.import_limits_mw(o.pjm(2030))
    ceto = o.model.fitted_ceto_mw
    (_, _, low), (_, _, high) = transfer_limit_scenarios(o)
    lo, hi = pjm.import_limits_mw(low.pjm(2030)), pjm.import_limits_mw(high.pjm(2030))
    assert lo["DOM"] == o.model.dom_import_limit_low_mw
    for z in ("COMED", "EMAAC", "SWMAAC", "BGE", "PEPCO"):
        assert lo[z] == pytest.approx(ceto[z] * o.model.dom_import_limit_low_mw / ceto["DOM"])
        assert hi[z] == pytest.approx(ceto[z] * o.model.dom_import_limit_high_mw / ceto["DOM"])
        assert lo[z] < central[z] < hi[z]
    assert lo["PPL"] == central["PPL"] == hi["PPL"] and lo["WMAAC"] == central["WMAAC"] == hi["WMAAC"]
    two = transfer_limit_scenarios(dataclasses.replace(o, zone_set="two"))
    assert all(c.lda_import_headroom is None for _, _, c in two)


def test_policies_side_by_side_order():
    # common random numbers across policies: the grid's outage draws are the same
    from gigawatt.outlook import POLICIES, assess_year

    o = OutlookAssumptions(years=(2030,), weather_years=(2025,))
    res = {p: assess_year(o, 2030, 20, 2, p) for p in POLICIES}
    firm = res["firm"]
    assert firm.lole_d.mean > 0.1
    # connect-and-manage never sheds more firm load than firm service; the data centers pay instead
    assert res["connect-and-manage"].eue_mwh.mean <= firm.eue_mwh.mean
    assert res["connect-and-manage"].dc_curtailed_hours.mean > 0
    assert firm.dc_curtailed_hours.mean == 0
    # batteries and on-site generation help the residents without curtailing the training
    for p in ("firm+battery", "firm+onsite-gen"):
        assert res[p].eue_mwh.mean <= firm.eue_mwh.mean and res[p].dc_curtailed_hours.mean == 0
    # a 100 h/yr cap curtails no more than connect-and-manage
    assert res["capped-100h"].dc_curtailed_hours.mean <= res["connect-and-manage"].dc_curtailed_hours.mean + 1e-9
