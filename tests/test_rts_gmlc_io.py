"""RTS-GMLC reader against the PRAS file of the same system (shared/data/pras/rts.pras)."""

from __future__ import annotations

import h5py
import numpy as np
import pandas as pd
import pytest

from gigawatt.errors import FileFormatError
from gigawatt.io.rts_gmlc import read_rts_gmlc


@pytest.fixture(scope="module")
def rts(shared_data):
    return read_rts_gmlc(shared_data / "rts_gmlc")


@pytest.fixture(scope="module")
def pras(shared_data):
    with h5py.File(shared_data / "pras" / "rts.pras", "r") as f:
        return {
            "load": f["regions/load"][:],
            "names": [c[0].decode() for c in f["generators/_core"][:]],
            "categories": [c[1].decode() for c in f["generators/_core"][:]],
            "regions": [c[2].decode() for c in f["generators/_core"][:]],
            "capacity": f["generators/capacity"][:],
            "fail": f["generators/failureprobability"][0],
            "repair": f["generators/repairprobability"][0],
            "line_names": [c[0].decode() for c in f["lines/_core"][:]],
            "line_cap": f["lines/forwardcapacity"][0],
            "csp_inflow": f["generatorstorages/inflow"][:, 0],
        }


def test_time_axis(rts):
    assert len(rts.time_utc) == 8784  # 2020 is a leap year
    assert rts.time_utc[0] == pd.Timestamp("2020-01-01 00:00", tz="UTC")
    assert rts.time_utc[-1] == pd.Timestamp("2020-12-31 23:00", tz="UTC")
    assert rts.regions == ("1", "2", "3")


def test_load_matches_pras(rts, pras):
    ours = rts.load_mw.to_numpy()
    # PRAS stores integers: same values once rounded; same peaks and energy within rounding
    assert np.array_equal(np.round(ours), pras["load"])
    assert rts.load_mw.max().tolist() == [2850.0, 2850.0, 2850.0]
    assert ours.sum(axis=1).max() == pytest.approx(8192, abs=0.5)  # coincident peak [MW]
    assert ours.sum() == pytest.approx(pras["load"].sum(), rel=1e-5)  # 37.66 TWh


def test_generators_match_pras(rts, pras):
    g = rts.generators
    assert len(g) == 153 and set(g.index) == set(pras["names"])
    assert g.loc[pras["names"], "category"].tolist() == pras["categories"]
    assert g.loc[pras["names"], "region"].tolist() == pras["regions"]
    cap = rts.capacity_mw[pras["names"]].to_numpy()
    assert np.array_equal(np.round(cap), pras["capacity"])
    fail = np.where(g.loc[pras["names"], "mttf_h"] > 0, 1 / g.loc[pras["names"], "mttf_h"].clip(lower=1), 0)
    assert np.allclose(fail, pras["fail"], rtol=1e-12, atol=0)
    # sources.md F2: nuclear 400 MW, MTTF 1100 h, MTTR 150 h
    assert g.loc["121_NUCLEAR_1", ["pmax_mw", "mttf_h", "mttr_h"]].tolist() == [400.0, 1100.0, 150.0]
    # wind follows its DAY_AHEAD series (first hour 713.2 MW for 122_WIND_1)
    assert rts.capacity_mw["122_WIND_1"].iloc[0] == 713.2


def test_storage_lines_interfaces(rts, pras):
    assert rts.storages.loc["313_STORAGE_1", ["power_mw", "energy_mwh"]].tolist() == [50.0, 150.0]
    assert rts.generatorstorages.loc["212_CSP_1", ["pmax_mw", "energy_mwh"]].tolist() == [200.0, 1200.0]
    inflow = rts.generatorstorage_inflow_mw["212_CSP_1"].to_numpy()
    assert np.array_equal(np.round(inflow), pras["csp_inflow"]) and inflow.max() == 391.1
    # same six lines and ratings; PRAS names the DC link "113_316_1" (its buses), dc_branch.csv "DC1"
    assert sorted(rts.lines["rating_mw"]) == sorted(pras["line_cap"].astype(float))
    assert rts.lines.loc["DC1", ["region_from", "region_to", "rating_mw"]].tolist() == ["1", "3", 100.0]
    assert rts.interfaces["rating_mw"].tolist() == [1175.0, 600.0, 500.0]


def test_not_a_folder(tmp_path):
    with pytest.raises(FileFormatError, match="SourceData"):
        read_rts_gmlc(tmp_path)
