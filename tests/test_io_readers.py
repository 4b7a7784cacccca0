"""EIA-930 and PJM readers: shared files (row counts, coverage, UTC/DST), synthetic Form-930, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gigawatt.errors import FileFormatError, InputError
from gigawatt.io import (
    find_eia930_files,
    read_eia930,
    read_eia930_form,
    read_hourly_file,
    read_pjm_dataminer,
    read_pjm_hourly,
)

UTC = "UTC"


def ts(s):
    return pd.Timestamp(s, tz=UTC)


# ---------------------------------------------------------------- EIA-930 cleaned releases
def test_release_2020_pjm(shared_data):
    d, m = read_eia930(shared_data / "eia930/release_2020_Oct/balancing_authorities/PJM.csv")
    assert m["format"] == "research_ba" and m["ba"] == "PJM"
    assert len(d) == 43848 and d.index.is_unique and d.index.is_monotonic_increasing
    # first row "2015-07-02 00:00:00" is hour ENDING in UTC -> hour beginning 2015-07-01 23:00 UTC
    assert d.index[0] == ts("2015-07-01 23:00") and d.index[-1] == ts("2020-07-01 22:00")
    assert (np.diff(d.index.asi8) == 3600 * 10**9).all()
    assert list(d.columns) == ["demand_mw", "demand_cleaned_mw", "demand_forecast_mw", "category"]
    assert d["demand_mw"].iloc[0] == 106560 and d["demand_forecast_mw"].iloc[1] == 41045
    assert d["demand_cleaned_mw"].notna().all()


def test_release_2025_raw_iso_totals(shared_data):
    d, m = read_eia930(shared_data / "eia930/release_2025_Jan_include_subregions/original_eia_files/PJM.csv")
    assert m["format"] == "research_original" and list(d.columns) == ["demand_mw"]
    assert len(d) == 43848 and d.index[0] == ts("2019-12-31 23:00") and d.index[-1] == ts("2024-12-31 22:00")
    assert int(d["demand_mw"].isna().sum()) == 116
    assert d["demand_mw"].max() == 2147480000.0  # a gross reporting error kept as read


def test_region_file(shared_data):
    d, m = read_eia930(shared_data / "eia930/release_2025_Jan_include_subregions/regions/MIDA.csv")
    assert m["format"] == "research_region" and list(d.columns) == ["demand_mw", "demand_cleaned_mw"]


def test_find_files_orders_releases(shared_data):
    files = find_eia930_files([shared_data / "eia930"], "PJM")
    assert [f.parent.name for f in files] == ["balancing_authorities", "original_eia_files"]
    files = find_eia930_files([shared_data / "eia930"], "DUK")
    assert [f.parent.name for f in files] == ["balancing_authorities", "subregions_and_balancing_authorities"]
    with pytest.raises(InputError, match="no EIA-930 file"):
        find_eia930_files([shared_data / "eia930"], "NOPE")


# ---------------------------------------------------------------- Form-930 download (synthetic)
FORM_HEADER = ('"Balancing Authority","Data Date","Hour Number","Local Time at End of Hour",'
               '"UTC Time at End of Hour","Demand Forecast (MW)","Demand (MW)","Net Generation (MW)",'
               '"Total Interchange (MW)","Sum(Valid DIBAs) (MW)","Demand (MW) (Imputed)",'
               '"Net Generation (MW) (Imputed)","Total Interchange (MW) (Imputed)","Demand (MW) (Adjusted)",'
               '"Net Generation (MW) (Adjusted)","Total Interchange (MW) (Adjusted)","Region"')


def form_rows():
    # PJM on the fall-back day 2020-11-01 (Eastern): hours 1 and 2 local end at 05:00 and 06:00 UTC
    return [
        '"PJM","11/01/2020","1","11/01/2020 1:00:00 AM","11/01/2020 5:00:00 AM","80,000","81,234","79,000",'
        '"-2,234","-2,234","","","","81,234","79,000","-2,234","MIDA"',
        '"PJM","11/01/2020","2","11/01/2020 1:00:00 AM","11/01/2020 6:00:00 AM","79,000","","78,000",'
        '"-1,000","-1,000","79,500","","","79,500","78,000","-1,000","MIDA"',
        '"PJM","11/01/2020","3","11/01/2020 2:00:00 AM","11/01/2020 7:00:00 AM","78,000","77,777","76,000",'
        '"-1,777","-1,777","","","","77,777","76,000","-1,777","MIDA"',
        '"DUK","11/01/2020","1","11/01/2020 1:00:00 AM","11/01/2020 5:00:00 AM","9,000","9,100","9,500",'
        '"400","400","","","","9,100","9,500","400","CAR"',
    ]


@pytest.fixture
def form_file(tmp_path):
    p = tmp_path / "EIA930_BALANCE_2020_Jul_Dec.csv"
    p.write_text("\n".join([FORM_HEADER, *form_rows()]) + "\n")
    return p


def test_form930_reader(form_file):
    d, m = read_eia930(form_file, ba="PJM")
    assert m["format"] == "form930" and m["ba"] == "PJM"
    # UTC end of hour 05:00 -> hour beginning 04:00 UTC; local repeated 1:00 AM is irrelevant
    assert list(d.index) == [ts("2020-11-01 04:00"), ts("2020-11-01 05:00"), ts("2020-11-01 06:00")]
    assert d["demand_mw"].iloc[0] == 81234.0 and np.isnan(d["demand_mw"].iloc[1])
    assert d["demand_adjusted_mw"].tolist() == [81234.0, 79500.0, 77777.0]
    assert d["total_interchange_mw"].iloc[0] == -2234.0
    with pytest.raises(InputError, match="2 balancing authorities"):
        read_eia930_form(form_file)
    d2, _, col = read_hourly_file(form_file, ba="PJM", column="adjusted")
    assert col == "demand_adjusted_mw" and len(d2) == 3


def test_form930_bad_cell_names_line_and_column(tmp_path):
    rows = form_rows()
    rows[2] = rows[2].replace('"77,777"', '"77x777"')
    p = tmp_path / "bad.csv"
    p.write_text("\n".join([FORM_HEADER, *rows]) + "\n")
    with pytest.raises(FileFormatError) as e:
        read_eia930(p, ba="PJM")
    assert e.value.line == 4 and e.value.column == "Demand (MW)" and "77x777" in str(e.value)
    rows = form_rows()
    rows[1] = rows[1].replace("11/01/2020 6:00:00 AM", "11/31/2020 6:00:00 AM")
    p.write_text("\n".join([FORM_HEADER, *rows]) + "\n")
    with pytest.raises(FileFormatError) as e:
        read_eia930(p, ba="PJM")
    assert e.value.line == 3 and e.value.column == "UTC Time at End of Hour"


@pytest.mark.parametrize(
    "text, line, match",
    [
        ("", 1, "empty"),
        ("date_time,raw demand (MW),category,cleaned demand (MW)\n", 2, "no data rows"),
        ("date_time,foo\n2020-01-01 00:00:00,1\n", 1, "not an EIA-930 file"),
        ("date_time,demand (MW)\n2020-01-01 00:00:00,1\n2020-01-01 01:00:00,abc\n", 3, "not a finite number"),
        ("date_time,demand (MW)\n2020-01-01 00:00:00,1\n2020-13-01 01:00:00,2\n", 3, "not a timestamp"),
        ("date_time,demand (MW)\n2020-01-01 00:00:00,1\n2020-01-01 01:00:00,inf\n", 3, "finite"),
        ("date_time,demand (MW)\n2020-01-01 00:00:00,1,7\n", 2, "malformed CSV row"),
        ("date_time,demand (MW)\n2020-01-01 00:00:00,1\n\n2020-01-01 02:00:00,2\n", 3, "not a timestamp"),
    ],
)
def test_research_errors(tmp_path, text, line, match):
    p = tmp_path / "X.csv"
    p.write_text(text)
    with pytest.raises(FileFormatError, match=match) as e:
        read_eia930(p)
    assert e.value.line == line and str(p) in str(e.value)


def test_missing_tokens(tmp_path):
    p = tmp_path / "ABC.csv"
    p.write_text("date_time,raw demand (MW),category,cleaned demand (MW)\n"
                 "2020-01-01 01:00:00,MISSING,MISSING,5\n2020-01-01 02:00:00,EMPTY,EMPTY,6\n"
                 "2020-01-01 03:00:00,,MISSING,7\n2020-01-01 04:00:00,8,OKAY,8\n")
    d, m = read_eia930(p)
    assert m["ba"] == "ABC" and d["demand_mw"].isna().sum() == 3 and d["demand_cleaned_mw"].tolist() == [5, 6, 7, 8]


def test_not_a_file(tmp_path):
    with pytest.raises(FileFormatError, match="folder"):
        read_eia930(tmp_path)
    p = tmp_path / "bin.csv"
    p.write_bytes(b"\xff\xfe\x00\x81garbage")
    with pytest.raises(FileFormatError, match="UTF-8"):
        read_eia930(p)


# ---------------------------------------------------------------- PJM
def test_pjm_dataminer_load(shared_data):
    d, m = read_pjm_dataminer(shared_data / "pjm_rto_2025/hrl_load_metered.csv")
    assert len(d) == 8760 and d.index.is_unique
    # "1/1/2025 5:00:00 AM" UTC hour beginning = midnight EST
    assert d.index[0] == ts("2025-01-01 05:00") and d.index[-1] == ts("2026-01-01 04:00")
    assert d["load_mw"].iloc[0] == pytest.approx(79083.837) and m["name"] == "RTO"


def test_pjm_dataminer_lmp_solar(shared_data):
    d, _ = read_pjm_dataminer(shared_data / "pjm_rto_2025/da_hrl_lmps.csv")
    assert len(d) == 8737 and d.index[-1] == ts("2025-12-31 05:00")  # last 23 hours of the year absent
    assert d["lmp_da_usd_per_mwh"].iloc[0] == pytest.approx(21.024537)
    s, _ = read_pjm_dataminer(shared_data / "pjm_rto_2025/solar_gen.csv")
    assert s["solar_mw"].iloc[0] == pytest.approx(-13.889) and (s["solar_mw"] < 0).any()


def test_pjm_hourly_dst(shared_data):
    d, m = read_pjm_hourly(shared_data / "pjm_hourly_1998_2018/PJME_hourly.csv")
    assert m["n_rows"] == 145366 and len(m["notes"]) == 4  # fall-back hours duplicated 2014-2017
    assert d.index.is_unique and d.index.is_monotonic_increasing
    # fall-back 2014-11-02: label 02:00 twice -> 01:00 EDT (05 UTC) then 01:00 EST (06 UTC)
    assert d.loc[ts("2014-11-02 05:00"), "load_mw"] == 22935.0
    assert d.loc[ts("2014-11-02 06:00"), "load_mw"] == 23755.0
    assert d.loc[ts("2014-11-02 07:00"), "load_mw"] == 22789.0
    # spring-forward 2014-03-09: labels 01:00, 02:00, 04:00 are consecutive hours 05, 06, 07 UTC
    assert d.loc[[ts("2014-03-09 05:00"), ts("2014-03-09 06:00"), ts("2014-03-09 07:00")], "load_mw"].tolist() \
        == [25788.0, 24564.0, 24631.0]
    # through 2013 the repeated hour is absent: 2013-11-03 05 and 06 UTC are missing
    assert ts("2013-11-03 05:00") not in d.index and ts("2013-11-03 06:00") not in d.index
    assert d.index[0] == ts("2002-01-01 05:00") and d.index[-1] == ts("2018-08-03 03:00")


def test_pjm_hourly_1998_format(shared_data):
    d, m = read_pjm_hourly(shared_data / "pjm_hourly_1998_2018/PJM_Load_hourly.csv")
    assert len(d) == 32896 and m["name"] == "PJM_Load"
    # "31/12/98 1:00" = hour ending 01:00 EST on 31 Dec 1998 -> 05:00 UTC hour beginning
    assert d.loc[ts("1998-12-31 05:00"), "load_mw"] == 29309.0
    assert d.index[0] == ts("1998-04-01 05:00") and d.index[-1] == ts("2002-01-01 04:00")


def test_pjm_hourly_errors(tmp_path):
    p = tmp_path / "X_hourly.csv"
    p.write_text("Datetime,X_MW\n2014-03-09 04:00:00,1\n2014-03-09 03:00:00,2\n")
    with pytest.raises(FileFormatError, match="spring-forward") as e:
        read_pjm_hourly(p)
    assert e.value.line == 3
    p.write_text("when,what\n2014-03-09 04:00:00,1\n")
    with pytest.raises(FileFormatError, match="Datetime"):
        read_pjm_hourly(p)
    p.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(FileFormatError, match="unknown file format"):
        read_hourly_file(p)
