"""Cleaning rules and their audit trail (hand-made series and the shared raw files)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gigawatt.cleaning import CleaningRules, audit_summary, clean_hourly, detect_spikes, detect_stuck
from gigawatt.cli import main
from gigawatt.errors import InputError
from gigawatt.io import read_eia930, read_pjm_hourly


def hourly(values, start="2020-01-01 00:00"):
    return pd.Series(np.asarray(values, dtype=float),
                     index=pd.date_range(start, periods=len(values), freq="h", tz="UTC"))


def test_each_rule_is_audited_with_hand_computed_values():
    # hours 0..11: 100 101 nan 0 104 500 106 107 [108 missing] 109 110 110 110 110 -> see below
    s = hourly([100, 101, np.nan, 0, 104, 500, 106, 107, 109, 110, 110, 110, 110, 111])
    s = s.drop(s.index[8])  # hour 8 (value 109) absent from the "file"
    s = pd.concat([s, s.iloc[[1]] + 5])  # duplicated hour 1 (value 106) appended
    idx = pd.date_range("2020-01-01", periods=14, freq="h", tz="UTC")
    cleaned, audit = clean_hourly(s, index=idx)
    a = audit.set_index("time_utc")
    t = idx
    assert a.loc[t[1], "rule"] == "duplicate_hour" and a.loc[t[1], "original_mw"] == 106.0
    assert a.loc[t[1], "new_mw"] == 101.0  # first row kept
    # hours 2 (blank) and 3 (zero) lie between 101 (h1) and 104 (h4): 102, 103
    assert a.loc[t[2], "rule"] == "missing_value" and a.loc[t[2], "new_mw"] == pytest.approx(102.0)
    assert a.loc[t[3], "rule"] == "nonpositive" and a.loc[t[3], "original_mw"] == 0.0
    assert a.loc[t[3], "new_mw"] == pytest.approx(103.0)
    # hour 5 = 500 is a spike between 104 and 106 -> 105
    assert a.loc[t[5], "rule"] == "spike" and a.loc[t[5], "new_mw"] == pytest.approx(105.0)
    # hour 8 absent: between 107 (h7) and 110 (h9) -> 108.5 (hour 8 was 109 originally, but never read)
    assert a.loc[t[8], "rule"] == "missing_hour" and np.isnan(a.loc[t[8], "original_mw"])
    assert a.loc[t[8], "new_mw"] == pytest.approx(108.5)
    # 110 x4 (h9..h12): the 2nd..4th are "stuck"; filled between 110 (h9) and 111 (h13)
    assert list(a.index[a["rule"] == "stuck"]) == list(t[10:13])
    assert a.loc[t[11], "new_mw"] == pytest.approx(110.5)
    assert not cleaned.isna().any() and len(cleaned) == 14
    summ = audit_summary(audit, len(cleaned))
    assert summ["by_rule"] == {"duplicate_hour": 1, "missing_hour": 1, "missing_value": 1, "nonpositive": 1,
                               "spike": 1, "stuck": 3}
    assert summ["n_repaired"] == 7


def test_edges_are_held_and_long_gaps_refused():
    s = hourly([np.nan, 5, 6, np.nan])
    cleaned, audit = clean_hourly(s)
    assert cleaned.tolist() == [5, 5, 6, 6]
    assert all("edge_hold" in r for r in audit["reason"])
    long = hourly([1.0] + [np.nan] * 10 + [2.0])
    with pytest.raises(InputError, match="gap of 10 h"):
        clean_hourly(long, rules=CleaningRules(max_fill_h=9, stuck_run_h=0))


def test_cleaning_off():
    good = hourly([100.0, 101.0, 102.0, 101.5])
    c, a = clean_hourly(good, rules=CleaningRules(enabled=False))
    assert c.tolist() == [100.0, 101.0, 102.0, 101.5] and len(a) == 0
    with pytest.raises(InputError, match="cleaning is off"):
        clean_hourly(hourly([1.0, np.nan, 3.0]), rules=CleaningRules(enabled=False))


def test_screen_skips_trusted_values():
    s = hourly([100, 100, 100, 100, 100, 300, 100, 100, 100])
    c, a = clean_hourly(s, screen=pd.Series(False, index=s.index))
    assert len(a) == 0 and c.iloc[5] == 300


def test_detectors():
    assert detect_stuck(np.array([1, 1, 1, 1, 2, 2, 2, 3.0]), 4).tolist() == [0, 1, 1, 1, 0, 0, 0, 0]
    x = np.array([100, 101, 102, 130, 104, 105, 104, 103, 102.0])  # 130: +27 % above both neighbours
    assert detect_spikes(x).tolist() == [False] * 3 + [True] + [False] * 5


def test_raw_pjm_iso_totals_audit(shared_data):
    d, _ = read_eia930(shared_data / "eia930/release_2025_Jan_include_subregions/original_eia_files/PJM.csv")
    c, a = clean_hourly(d["demand_mw"])
    assert a["rule"].value_counts().to_dict() == {"missing_value": 116, "spike": 12}
    row = a[a["time_utc"] == pd.Timestamp("2021-10-19 03:00", tz="UTC")].iloc[0]
    assert row["original_mw"] == 2147480000.0 and row["rule"] == "spike"
    # 3-hour spike 02-04 UTC filled between 80,769 (01 UTC) and 68,841 (05 UTC): steps of 2,982 MW
    assert row["new_mw"] == pytest.approx(80769 - 2 * (80769 - 68841) / 4)
    assert c.max() < 160_000 and c.min() > 40_000


def test_raw_swpp_stuck_runs(shared_data):
    d, _ = read_eia930(shared_data / "eia930/release_2025_Jan_include_subregions/original_eia_files/SWPP.csv")
    c, a = clean_hourly(d["demand_mw"])
    counts = a["rule"].value_counts().to_dict()
    assert counts["stuck"] == 789 and counts["missing_value"] == 26
    assert a[a["rule"] == "spike"]["original_mw"].max() == 3621097.0


def test_cleaned_study_series_are_left_alone(shared_data):
    """The default screens flag nothing in the large BAs' MICE-cleaned series but one real dip."""
    for ba in ("PJM", "MISO", "ERCO", "SWPP", "CISO", "NYIS", "ISNE", "SOCO", "TVA", "DUK"):
        d, _ = read_eia930(shared_data / f"eia930/release_2020_Oct/balancing_authorities/{ba}.csv")
        _, a = clean_hourly(d["demand_cleaned_mw"])
        if ba == "SOCO":
            # 37,670 -> 23,293 (flagged SINGLE_DELTA and imputed by MICE) -> 27,405 (kept) -> 37,647
            assert a["time_utc"].tolist() == [pd.Timestamp("2018-06-20 20:00", tz="UTC")]
            assert a["original_mw"].tolist() == [27405.0] and a["rule"].tolist() == ["spike"]
        else:
            assert len(a) == 0, ba


def test_pjm_hourly_dst_gaps_audited(shared_data):
    d, _ = read_pjm_hourly(shared_data / "pjm_hourly_1998_2018/PJME_hourly.csv")
    c, a = clean_hourly(d["load_mw"])
    # 2 hours per fall-back day 2002-2013 (12 years) + 1 isolated hour = 25
    assert a["rule"].value_counts().to_dict() == {"missing_hour": 25}
    fall = a[a["time_utc"].dt.strftime("%m-%d").isin(["10-27", "10-26", "10-31", "10-30", "10-29", "11-04",
                                                     "11-02", "11-01", "11-07", "11-06", "11-03", "10-28"])]
    assert len(fall) == 24
    assert not c.index.duplicated().any() and len(c) == 145391


def test_cli_data_check_json(shared_data, capsys):
    import json

    f = shared_data / "eia930/release_2025_Jan_include_subregions/original_eia_files/NYIS.csv"
    assert main(["data", "check", str(f), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["summary"]["by_rule"] == {"missing_value": 2, "nonpositive": 3}
    zero = [r for r in out["repairs"] if r["rule"] == "nonpositive"]
    assert len(zero) == 3 and all(r["original_mw"] == 0.0 and r["new_mw"] > 10_000 for r in zero)
    assert main(["data", "check", str(f)]) == 0
    assert "nonpositive" in capsys.readouterr().out


def test_cli_data_check_error(tmp_path, capsys):
    p = tmp_path / "x.csv"
    p.write_text("date_time,demand (MW)\n2020-01-01 00:00:00,1\n2020-01-01 01:00:00,oops\n")
    assert main(["data", "check", str(p)]) == 2
    err = capsys.readouterr().err.replace("\n", " ")
    assert "line 3" in err and "'demand (MW)'" in err and "Traceback" not in err
