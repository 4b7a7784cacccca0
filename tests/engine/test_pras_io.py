"""PRAS .pras files: read the shared RTS-GMLC and toy model, round-trip, and clear errors for bad files."""

import h5py
import numpy as np
import pytest

from gigawatt.errors import FileFormatError, InputError
from gigawatt.io.pras import NO_LIMIT, read_pras, write_pras


@pytest.fixture(scope="module")
def rts(shared_data):
    return read_pras(shared_data / "pras/rts.pras")


def test_reads_rts_gmlc(rts):
    assert rts.regions.names == ("1", "2", "3")
    assert len(rts.generators) == 153 and rts.n_periods == 8784
    assert len(rts.storages) == 1 and len(rts.generatorstorages) == 1
    assert len(rts.interfaces) == 3 and len(rts.lines) == 6
    assert rts.timeaxis.start.isoformat() == "2020-01-01T00:00:00+00:00" and rts.timeaxis.step_h == 1.0
    assert rts.regions.load_mw.max() == 2850.0
    # 4294967295 means "no limit"
    assert (rts.interfaces.forward_mw >= 1e299).all()
    assert rts.lines.forward_mw[:, 0].tolist() == [175, 500, 500, 500, 100, 500]


def test_reads_v07_toymodel(shared_data):
    toy = read_pras(shared_data / "pras/toymodel.pras")
    assert toy.n_periods == 288 and toy.timeaxis.step_h == pytest.approx(5 / 60)
    assert len(toy.regions) == 1 and len(toy.generators) == 3 and len(toy.storages) == 0


def test_round_trip_identical(rts, tmp_path):
    out = tmp_path / "copy.pras"
    write_pras(rts, out)
    again = read_pras(out)
    for comp in ("regions", "generators", "storages", "generatorstorages", "interfaces", "lines"):
        a, b = getattr(rts, comp), getattr(again, comp)
        for field in a.__dataclass_fields__:
            x, y = getattr(a, field), getattr(b, field)
            if isinstance(x, np.ndarray):
                assert np.array_equal(x, y), (comp, field)
            else:
                assert x == y, (comp, field)
    assert again.timeaxis == rts.timeaxis
    with h5py.File(out) as f:
        assert f["interfaces/forwardcapacity"][0, 0] == NO_LIMIT
        assert f["generators/capacity"].dtype == np.int64
    assert not list(tmp_path.glob(".tmp-*"))


def test_write_refuses_fractional_mw_without_leaving_a_file(rts, tmp_path):
    out = tmp_path / "frac.pras"
    with pytest.raises(InputError, match="whole MW"):
        write_pras(rts.with_added_load(0.5), out)
    assert not out.exists() and not list(tmp_path.glob(".tmp-*"))


def test_bad_files_give_clear_errors(tmp_path, shared_data):
    with pytest.raises(FileFormatError, match="no such file"):
        read_pras(tmp_path / "missing.pras")
    junk = tmp_path / "junk.pras"
    junk.write_text("not hdf5")
    with pytest.raises(FileFormatError, match="not a readable HDF5"):
        read_pras(junk)
    broken = tmp_path / "broken.pras"
    with h5py.File(shared_data / "pras/toymodel.pras") as src, h5py.File(broken, "w") as dst:
        for k, v in src.attrs.items():
            dst.attrs[k] = v
        src.copy("regions", dst)
        dst.create_group("generators")
        src.copy("generators/_core", dst["generators"])
        src.copy("generators/capacity", dst["generators"])
    with pytest.raises(FileFormatError, match="generators/failureprobability"):
        read_pras(broken)
    with h5py.File(broken, "a") as f:
        f.attrs["pras_dataversion"] = np.bytes_("v0.5.0")
    with pytest.raises(FileFormatError, match="unsupported PRAS data version"):
        read_pras(broken)
