"""Regression tests for the reader and scenario reproducers of issue 19 ("Never a traceback, never a crash").

Each bad input ends in a :class:`gigawatt.errors.GigawattError` naming the file and the field, dataset,
attribute or line at fault, with the value and what was expected. The fuzz suite is
``tests/test_fuzz_readers.py``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import pytest

from gigawatt.cleaning import clean_hourly
from gigawatt.errors import FileFormatError, GigawattError, InputError
from gigawatt.io import read_eia930, read_hourly_file, read_pjm_dataminer, read_pjm_hourly
from gigawatt.io.outlook_scenario import read_outlook_scenario
from gigawatt.io.pras import read_pras
from gigawatt.io.scenario import read_scenario, read_scenario_system

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


# ================================================================================ .pras
@pytest.fixture
def toy(tmp_path, shared_data):
    """A writable copy of the shared toy model (v0.7, 288 five-minute periods, 3 generators)."""
    p = tmp_path / "toy.pras"
    shutil.copyfile(shared_data / "pras/toymodel.pras", p)
    return p


def pras_error(path, *needles):
    with pytest.raises(FileFormatError) as e:
        read_pras(path)
    msg = str(e.value)
    assert msg.startswith(str(path)), msg
    for n in needles:
        assert n in msg, msg
    return e.value


def test_pras_dataset_replaced_by_a_group(toy):
    with h5py.File(toy, "a") as f:
        del f["generators/capacity"]
        f["generators"].create_group("capacity")
    e = pras_error(toy, "'generators/capacity' is a group, expected a dataset")
    assert e.column == "generators/capacity"


def test_pras_group_replaced_by_a_dataset(toy):
    with h5py.File(toy, "a") as f:
        del f["generators"]
        f["generators"] = np.zeros(3)
    pras_error(toy, "'generators' is a dataset, expected a group")


def test_pras_non_utf8_attribute_and_name(toy):
    with h5py.File(toy, "a") as f:
        f.attrs["timestep_unit"] = np.bytes_(b"\xffmin")
    pras_error(toy, "timestep_unit", "not UTF-8")
    with h5py.File(toy, "a") as f:
        f.attrs["timestep_unit"] = np.bytes_(b"min")
        core = f["generators/_core"][()]
        core["name"][1] = b"\xfe\xff"
        f["generators/_core"][...] = core
    pras_error(toy, "'generators/_core' field 'name', row 2", "UTF-8")


def test_pras_damaged_file_that_opens_but_fails_on_read(toy, tmp_path):
    """Only the open was wrapped: a dataset whose compressed chunk is damaged raised OSError on read."""
    with h5py.File(toy, "a") as f:
        a = f["generators/capacity"][()]
        del f["generators/capacity"]
        f.create_dataset("generators/capacity", data=a, chunks=a.shape, compression="gzip")
        info = f["generators/capacity"].id.get_chunk_info(0)
        offset, size = info.byte_offset, info.size
    b = bytearray(toy.read_bytes())
    for i in range(offset + 2, offset + size):
        b[i] ^= 0x5A
    toy.write_bytes(bytes(b))
    with h5py.File(toy) as f:  # the file opens ...
        with pytest.raises(OSError):  # ... and h5py fails on reading the dataset
            f["generators/capacity"][()]
    e = pras_error(toy, "generators/capacity", "cannot be read")
    assert e.column == "generators/capacity"


@pytest.mark.parametrize("cut", [100, 4000, 12000, -200])
def test_pras_truncated(toy, cut):
    b = toy.read_bytes()
    toy.write_bytes(b[:cut])
    pras_error(toy)


@pytest.mark.parametrize("attr, value, needles", [
    ("timestep_count", 288.5, ["'timestep_count' is 288.5", "expected a whole number in [1, 1,000,000]"]),
    ("timestep_count", np.bytes_(b"288"), ["'timestep_count' is b'288'", "whole number"]),
    ("timestep_count", np.array([288, 1]), ["timestep_count", "single value"]),
    ("timestep_count", True, ["'timestep_count' is True"]),
    ("timestep_count", 10**12, ["whole number in [1, 1,000,000]"]),
    ("timestep_length", "five", ["'timestep_length' is 'five'", "expected a finite number"]),
    ("timestep_length", np.nan, ["timestep_length", "finite number"]),
    ("timestep_length", 1e308, ["timestep_length 1e+308 min", "expected one second to 8784 h"]),
    ("timestep_length", 1e-300, ["timestep_length 1e-300 min", "expected one second to 8784 h"]),
    ("timestep_unit", 5, ["'timestep_unit' is 5; expected text"]),
    ("start_timestamp", np.bytes_(b"3000-01-01T00:00:00+00:00"), ["'3000-01-01T00:00:00+00:00'", "1900-2199"]),
    ("start_timestamp", np.bytes_(b""), ["start_timestamp is ''", "explicit ISO 8601"]),
    ("start_timestamp", np.bytes_(b"NaT"), ["start_timestamp is 'NaT'", "explicit ISO 8601"]),
    ("start_timestamp", np.bytes_(b"now"), ["start_timestamp is 'now'", "explicit ISO 8601"]),
    ("start_timestamp", np.bytes_(b"today"), ["start_timestamp is 'today'", "explicit ISO 8601"]),
    ("start_timestamp", np.bytes_(b"2015-02-30T00:00:00"), ["'2015-02-30T00:00:00' is not a valid time"]),
    ("pras_dataversion", 7, ["'pras_dataversion' is 7; expected text"]),
])
def test_pras_attributes_checked_before_use(toy, attr, value, needles):
    with h5py.File(toy, "a") as f:
        f.attrs[attr] = value
    e = pras_error(toy, *needles)
    assert e.column == attr


def test_pras_time_axis_past_the_supported_years(toy):
    with h5py.File(toy, "a") as f:
        f.attrs["start_timestamp"] = np.bytes_(b"2199-12-31T23:00:00")
    pras_error(toy, "runs past 2199")


@pytest.mark.parametrize("ds, value, needles", [
    ("generators/capacity", np.nan, ["holds nan at period 2, unit 3 ('Wind')", "expected a finite number of MW"]),
    ("generators/capacity", np.inf, ["holds inf"]),
    ("generators/capacity", -5.0, ["holds -5.0", "in [0, 1e+09]"]),
    ("generators/capacity", 1e300, ["holds 1e+300"]),
    ("regions/load", -1.0, ["'regions/load' holds -1.0 at period 2, unit 1 ('The Region')"]),
    ("generators/failureprobability", 1.5, ["holds 1.5", "expected a probability in [0, 1]"]),
    ("generators/repairprobability", -0.1, ["holds -0.1", "probability"]),
])
def test_pras_values_checked(toy, ds, value, needles):
    with h5py.File(toy, "a") as f:
        a = f[ds][()].astype(float)
        a[1, -1] = value
        del f[ds]
        f[ds] = a
    e = pras_error(toy, f"dataset {ds!r}", *needles)
    assert e.column == ds


def test_pras_shapes_and_dtypes(toy):
    with h5py.File(toy, "a") as f:
        a = f["generators/capacity"][()]
        del f["generators/capacity"]
        f["generators/capacity"] = a.astype("S8")
    pras_error(toy, "'generators/capacity' holds |S8 values, expected numbers")
    with h5py.File(toy, "a") as f:
        del f["generators/capacity"]
        f["generators/capacity"] = a[:100]
    pras_error(toy, "has shape (100, 3), expected (288 periods, 3 units)")
    with h5py.File(toy, "a") as f:
        del f["generators/capacity"]
        f["generators/capacity"] = a
        f["regions/_core"][...] = f["regions/_core"][()]
        core = f["generators/_core"][()]
        del f["generators/_core"]
        f["generators/_core"] = core["name"]
    pras_error(toy, "'generators/_core' lacks the field 'name'")


def test_pras_memory_limits(toy, monkeypatch):
    import gigawatt.io.pras as pras

    with h5py.File(toy, "a") as f:
        f.attrs["timestep_count"] = np.int64(pras.MAX_PERIODS + 1)
    pras_error(toy, "whole number in [1, 1,000,000]")
    with h5py.File(toy, "a") as f:
        f.attrs["timestep_count"] = np.int64(288)
    monkeypatch.setattr(pras, "MAX_UNITS", 2)
    pras_error(toy, "'generators/_core' lists 3 entries; at most 2 are read")
    monkeypatch.setattr(pras, "MAX_UNITS", 100)
    monkeypatch.setattr(pras, "MAX_VALUES", 500)
    pras_error(toy, "generators: 3 units x 288 periods = 864 values per series; at most 500 are read")


def test_pras_not_a_regular_file(tmp_path):
    with pytest.raises(FileFormatError, match="is a folder"):
        read_pras(tmp_path)
    with pytest.raises(FileFormatError, match="not a regular file"):
        read_pras("/dev/null")


# ================================================================================ CSV
def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return p


@pytest.mark.parametrize("reader, header, row, stamp, line", [
    (read_eia930, "date_time,demand (MW)", "{},5", "2262-04-12 00:00:00", 3),
    (read_eia930, "date_time,demand (MW)", "{},5", "9999-12-31 23:00:00", 3),
    (read_pjm_hourly, "Datetime,X_MW", "{},5", "2300-01-01 01:00:00", 3),
    (read_pjm_dataminer, "datetime_beginning_utc,mw", "{},5", "1/1/2300 5:00:00 AM", 3),
])
def test_csv_timestamps_out_of_range(tmp_path, reader, header, row, stamp, line):
    first = {"date_time": "2020-01-01 01:00:00", "Datetime": "2020-01-01 01:00:00",
             "datetime_beginning_utc": "1/1/2020 5:00:00 AM"}[header.split(",")[0]]
    p = write(tmp_path, "t.csv", "\n".join([header, row.format(first), row.format(stamp)]) + "\n")
    with pytest.raises(FileFormatError) as e:
        reader(p)
    assert e.value.line == line and str(p) in str(e.value)
    assert f"{stamp!r} is outside the supported years 1900-2199" in str(e.value)


def test_csv_out_of_range_timestamp_through_read_hourly_file(tmp_path):
    """`gigawatt data check` read this through read_hourly_file and showed a traceback (OutOfBoundsDatetime)."""
    p = write(tmp_path, "PJM.csv", "date_time,demand (MW)\n2020-01-01 01:00:00,1\n2262-05-01 01:00:00,2\n")
    with pytest.raises(FileFormatError, match="line 3, column 'date_time'"):
        read_hourly_file(p)


@pytest.mark.parametrize("reader, text, line, match", [
    (read_eia930, "date_time,raw demand (MW),category,cleaned demand (MW)\n2020-01-01 01:00:00,1,OKAY,1\n"
                  "2020-01-01 02:00:00,2\n", 3, "too few fields (2; the header has 4)"),
    (read_eia930, "date_time,demand (MW)\n2020-01-01 01:00:00,1\n2020-01-01 02:00:00,2,3\n", 3,
     "too many fields (3; the header has 2)"),
    (read_pjm_hourly, "Datetime,X_MW\n2020-01-01 01:00:00\n2020-01-01 02:00:00,2\n", 2, "too few fields"),
    (read_pjm_dataminer, "datetime_beginning_utc,load_area,mw\n1/1/2020 5:00:00 AM,RTO\n", 2, "too few fields"),
    (read_eia930, 'date_time,demand (MW)\n2020-01-01 01:00:00,1\n"2020-01-01 02:00:00,2\n', 3,
     "malformed CSV row: a quoted field is never closed"),
])
def test_csv_rows_with_wrong_field_counts(tmp_path, reader, text, line, match):
    """Short rows were read as missing values although the reader promises a line-numbered error."""
    p = write(tmp_path, "r.csv", text)
    with pytest.raises(FileFormatError, match=re.escape(match)) as e:
        reader(p)
    assert e.value.line == line and str(p) in str(e.value)


@pytest.mark.parametrize("reader, text, column", [
    (read_eia930, "date_time,demand (MW),demand (MW)\n2020-01-01 01:00:00,1,5\n", "demand (MW)"),
    (read_pjm_dataminer, "datetime_beginning_utc,mw,mw\n1/1/2020 5:00:00 AM,1,2\n", "mw"),
    (read_eia930, "date_time,raw demand (MW),category, raw demand (MW) ,cleaned demand (MW)\n"
                  "2020-01-01 01:00:00,1,OKAY,2,3\n", "raw demand (MW)"),
])
def test_csv_duplicated_header_names(tmp_path, reader, text, column):
    """pandas renamed the second copy 'x.1' and a second demand column was silently dropped."""
    p = write(tmp_path, "d.csv", text)
    with pytest.raises(FileFormatError, match="duplicated column name") as e:
        reader(p)
    assert e.value.line == 1 and e.value.column == column


def test_csv_blank_line_and_quoted_newline_keep_line_numbers(tmp_path):
    p = write(tmp_path, "q.csv", 'date_time,category,raw demand (MW),cleaned demand (MW)\n'
                                 '2020-01-01 01:00:00,"two\nlines",1,1\n2020-01-01 02:00:00,OKAY,x,2\n')
    with pytest.raises(FileFormatError) as e:
        read_eia930(p)
    assert e.value.line == 4 and e.value.column == "raw demand (MW)"


def test_csv_non_utf8_names_the_line(tmp_path):
    p = tmp_path / "b.csv"
    p.write_bytes(b"date_time,demand (MW)\n2020-01-01 01:00:00,1\n2020-01-01 02:00:00,\xff\n")
    with pytest.raises(FileFormatError, match="not UTF-8") as e:
        read_eia930(p)
    assert e.value.line == 3


def test_cleaning_errors_name_the_file(tmp_path):
    p = write(tmp_path, "gap.csv", "date_time,demand (MW)\n2020-01-01 01:00:00,1\n2020-03-01 02:00:00,2\n")
    data, _, col = read_hourly_file(p)
    with pytest.raises(InputError) as e:
        clean_hourly(data[col])  # the reader's frame carries its file (data.attrs["source"])
    assert str(e.value).startswith(f"{p}: gap of 1440 h") and "not filled" in str(e.value)
    s = pd.Series([1.0, np.nan], index=pd.date_range("2020-01-01", periods=2, freq="h", tz="UTC"))
    with pytest.raises(InputError, match=r"^x\.csv: cleaning is off"):
        from gigawatt.cleaning import CleaningRules

        clean_hourly(s, rules=CleaningRules(enabled=False), source="x.csv")
    with pytest.raises(InputError, match="^clean_hourly: the series has no valid value"):
        clean_hourly(pd.Series([np.nan], index=s.index[:1]))  # no file known: message unchanged


# ================================================================================ scenario TOML
DC = (EXAMPLES / "datacenters_rts79.toml").read_text()
OUTLOOK = (EXAMPLES / "outlook_pjm_fast_growth.toml").read_text()


def toml_error(tmp_path, text, needle, reader=read_scenario):
    p = tmp_path / "s.toml"
    p.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(GigawattError) as e:
        reader(p)
    msg = str(e.value)
    assert msg.startswith(str(p)) and needle in msg, msg
    return msg


@pytest.mark.parametrize("reader, text", [(read_scenario, DC), (read_outlook_scenario, OUTLOOK)])
def test_toml_not_utf8(tmp_path, reader, text):
    b = text.encode()
    toml_error(tmp_path, b[:300] + b"\xff\xfe" + b[300:], "not UTF-8 text", reader)


def test_toml_a_pras_file_given_as_scenario(tmp_path, shared_data):
    """`gigawatt run rts.pras` read the HDF5 file as TOML and raised UnicodeDecodeError."""
    toml_error(tmp_path, (shared_data / "pras/toymodel.pras").read_bytes(), "not UTF-8 text", read_outlook_scenario)


def test_toml_pras_path_of_the_wrong_type(tmp_path):
    toml_error(tmp_path, "[system]\npras = 5\n", "system.pras: expected the path of a .pras file (a string), got 5")


@pytest.mark.parametrize("old, new, needle", [
    ('[[sites.fleets]]\naccelerator = "H100"\nn_gpus = 100000', 'preset = ["colossus2"]',
     "sites[0].preset: expected one of ['colossus2'], got ['colossus2']"),
    ('megapack = "2xl"', 'megapack = ["2xl"]', "sites[0].battery.megapack: expected '2xl' or '3', got ['2xl']"),
    ('kind = "connect_and_manage"', "kind = { a = 1 }", "sites[0].contract.kind: expected one of"),
    ('accelerator = "H100"', 'accelerator = ["H100"]', "sites[0].fleets[0].accelerator: expected an accelerator"),
    ('embedded = "ieee-rts79"', 'embedded = ["ieee-rts79"]', "system.embedded: expected the name of an embedded"),
    ('curve = "conservative"', 'curve = ["conservative"]', "sites[0].flexibility.jobs[0].curve: expected a curve"),
    ('steps = ["battery",', 'steps = [["battery"],', "emergency.steps[0]: expected a step name"),
    ('name = "industrial-dr"', "name = 5", "emergency.demand_response[0].name: expected a string, got 5"),
])
def test_toml_arrays_or_tables_where_a_name_is_expected(tmp_path, old, new, needle):
    """These raised TypeError: unhashable type."""
    assert old in DC
    toml_error(tmp_path, DC.replace(old, new, 1), needle)


@pytest.mark.parametrize("old, new, needle", [
    ("n_units = 4", "n_units = 100000", "sites[1].generation.n_units: expected a whole number <= 5,000"),
    ("n_blocks = 100", "n_blocks = 1e9", "rotation.n_blocks: expected a whole number <= 10,000"),
    ("n_gpus = 100000", "n_gpus = 1e300", "sites[0].fleets[0].n_gpus: expected a whole number <= 100,000,000"),
    ("units = 40", "units = 10000000", "sites[0].battery.units: expected a whole number <= 100,000"),
    ("capacity_mw = 60.0", "capacity_mw = 1e300", "capacity_mw: expected a number in [-1e+09, 1e+09], got 1e+300"),
    ("capacity_mw = 60.0", "capacity_mw = nan", "emergency.demand_response[0].capacity_mw: expected a number, got nan"),
    ("unit_mw = 20.0", "unit_mw = 99999999999999999999999999", "sites[1].generation.unit_mw: expected a number in"),
])
def test_toml_upper_bounds(tmp_path, old, new, needle):
    assert old in DC
    toml_error(tmp_path, DC.replace(old, new, 1), needle)


@pytest.mark.parametrize("old, new, needle", [
    ('region = "RTS"', 'region = "NOPE"', "sites[0].region: expected one of ['RTS'], got 'NOPE'"),
    ('region = "RTS"\ncapacity_mw', 'region = "NOPE"\ncapacity_mw',
     "emergency.demand_response[0].region: expected one of ['RTS'], got 'NOPE'"),
    ("imports_mw = { RTS = 100.0 }", "imports_mw = { NOPE = 100.0 }",
     "emergency.imports_mw.NOPE: expected a region in ['RTS']"),
])
def test_toml_region_errors_name_the_file(tmp_path, old, new, needle):
    toml_error(tmp_path, DC.replace(old, new, 1), needle, read_scenario_system)
    p = tmp_path / "s.toml"
    with pytest.raises(FileFormatError, match="expected"):
        read_scenario(p, regions=["RTS"])


@pytest.mark.parametrize("old, new, needle", [
    ("peak_growth_per_yr = 0.05", "peak_growth_per_yr = 1e300",
     "load.peak_growth_per_yr: expected a number in [-1e+09, 1], got 1e+300"),
    ("net_additions_mw_per_year = 6000", "net_additions_mw_per_year = 1e308",
     "capacity.net_additions_mw_per_year: expected a number in [-1e+06, 1e+06], got 1e+308"),
    ("peak_growth_per_yr = 0.05", "peak_growth_per_yr = nan", "load.peak_growth_per_yr: expected a number, got nan"),
    ("mw = { 2026 = 12000 }", "mw = { 2026 = 1e300 }", "data_centers.mw.2026: expected a number in"),
    ("samples = 50", "samples = 4611686018427387904", "run.samples: expected a whole number <= 1,000,000"),
    ("seed = 1", "seed = 99999999999999999999", "run.seed: expected a whole number <= 9,223,372,036,854,775,807"),
    ("weather_years = [2014, 2018, 2019, 2022, 2024, 2025]", "weather_years = [" + ", ".join(["2018"] * 51) + "]",
     "load.weather_years: expected at most 50 weather years"),
    ("unit_mw = 35", "unit_mw = 0.001", "policies.onsite_gen.unit_mw: 0.001 MW units make"),
    ("n_blocks = 100", "n_blocks = 1e9", "rotation.n_blocks: expected a whole number <= 10,000"),
    ("peak_growth_per_yr = 0.05", "peak_growth_per_yr = 0.9", "expected"),
    ('name = "PJM, fast data-center growth"', 'name = ["x"]', "name: expected a string"),
    ("rotation_h = 0.5", 'rotation_h = ""', ": rotation.rotation_h: expected a number, got ''"),
])
def test_outlook_values_that_overflow_or_exceed_limits(tmp_path, old, new, needle):
    assert old in OUTLOOK
    toml_error(tmp_path, OUTLOOK.replace(old, new, 1), needle, read_outlook_scenario)


def test_outlook_peak_past_the_limit(tmp_path):
    """Growth within its range can still carry the peak past the limit within the study years."""
    margins = ", ".join(f"{y} = 0.2" for y in range(2026, 2036))
    text = OUTLOOK.replace("peak_growth_per_yr = 0.05", "peak_growth_per_yr = 1.0").replace(
        "# reserve_margin = { 2026 = 0.191 }", f"reserve_margin = {{ {margins} }}")
    toml_error(tmp_path, text, "load: the peak of 2028 comes to 1,233,152 MW; expected at most 1,000,000 MW",
               read_outlook_scenario)


def test_toml_nested_too_deeply_and_folders(tmp_path):
    toml_error(tmp_path, "x = " + "[" * 5000 + "]" * 5000, "nested too deeply")
    with pytest.raises(FileFormatError, match="is a folder"):
        read_scenario(tmp_path)


def test_field_helpers():
    from gigawatt.io import _fields as fx

    assert fx.text("a", "x") == "a" and fx.number(3, "x", lo=0, hi=5) == 3.0 and fx.whole(4.0, "x", lo=1, hi=5) == 4
    assert fx.number(float("inf"), "x", allow_inf=True) == float("inf")
    for call, needle in [(lambda: fx.text(["a"], "f.g"), "f.g: expected a string, got ['a']"),
                         (lambda: fx.text("z", "f", choices={"a"}), "f: expected one of ['a'], got 'z'"),
                         (lambda: fx.number(True, "f"), "f: expected a number, got True"),
                         (lambda: fx.number(10**400, "f"), "f: expected a number in [-1e+09, 1e+09]"),
                         (lambda: fx.number(float("nan"), "f"), "f: expected a number, got nan"),
                         (lambda: fx.number(float("-inf"), "f", lo=0, hi=1), "f: expected a finite number in [0, 1]"),
                         (lambda: fx.whole(2.5, "f", lo=1, hi=9), "f: expected a whole number in [1, 9], got 2.5"),
                         (lambda: fx.whole(10, "f", lo=1, hi=9), "f: expected a whole number in [1, 9], got 10"),
                         (lambda: fx.at_most(float("inf"), "f", 5), "f: expected a whole number <= 5")]:
        with pytest.raises(InputError) as e:
            call()
        assert needle in str(e.value)
