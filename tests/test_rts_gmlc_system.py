"""RTS-GMLC -> gigawatt SystemModel (needs gigawatt.system from the main branch)."""

from __future__ import annotations

import h5py
import numpy as np

from gigawatt.io.rts_gmlc import rts_gmlc_system


def test_rts_gmlc_system_matches_pras(shared_data):
    sys = rts_gmlc_system(shared_data / "rts_gmlc")
    with h5py.File(shared_data / "pras" / "rts.pras", "r") as f:
        load = f["regions/load"][:]
        names = [c[0].decode() for c in f["generators/_core"][:]]
        cap = f["generators/capacity"][:]
        fail = f["generators/failureprobability"][0]
        repair = f["generators/repairprobability"][0]
    assert sys.timeaxis.n_periods == 8784 and sys.timeaxis.step_h == 1.0
    assert list(sys.regions.names) == ["1", "2", "3"]
    assert np.array_equal(np.round(np.asarray(sys.regions.load_mw)), load.T)
    order = [list(sys.generators.names).index(n) for n in names]
    gcap = np.asarray(sys.generators.capacity_mw)[order]
    assert np.array_equal(np.round(gcap), cap.T)
    fp = np.broadcast_to(np.asarray(sys.generators.failure_prob, dtype=float).T, gcap.T.shape).T[order]
    rp = np.broadcast_to(np.asarray(sys.generators.repair_prob, dtype=float).T, gcap.T.shape).T[order]
    assert np.allclose(fp[:, 0], fail) and np.allclose(rp[:, 0], repair)
    assert float(np.asarray(sys.storages.energy_mwh).ravel()[0]) == 150.0
    assert float(np.asarray(sys.generatorstorages.energy_mwh).ravel()[0]) == 1200.0
    assert sorted(np.asarray(sys.interfaces.forward_mw, dtype=float).reshape(3, -1)[:, 0]) == [500.0, 600.0, 1175.0]
