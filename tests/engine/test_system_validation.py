"""The system's range checks: every non-finite or out-of-range value is refused with its item and period,
whatever the input's shape (scalar, per item, per item and period), and valid values are taken as they are."""

from __future__ import annotations

import numpy as np
import pytest

from gigawatt.errors import InputError
from gigawatt.system import Generators


def _gens(cap=100.0, fail=0.01, rep=0.1, n=3, t=5):
    return Generators([f"g{i}" for i in range(n)], None, ["A"] * n, cap, fail, rep, n_periods=t)


@pytest.mark.parametrize("field,bad,msg", [
    ("fail", np.nan, "generators.failure_prob: non-finite value at item 0, period 0"),
    ("cap", np.inf, "generators.capacity_mw: non-finite value at item 0, period 0"),
    ("cap", -np.inf, "generators.capacity_mw: non-finite value"),
    ("fail", 1.5, "generators.failure_prob: expected values <= 1.0, got 1.5 at item 0, period 0"),
    ("rep", -0.1, "generators.repair_prob: expected values >= 0.0, got -0.1 at item 0, period 0"),
    ("cap", -1.0, "generators.capacity_mw: expected values >= 0.0, got -1.0"),
])
def test_a_bad_scalar_is_refused(field, bad, msg):
    with pytest.raises(InputError, match=msg.replace(".", r"\.").replace("(", r"\(")):
        _gens(**{field: bad})


@pytest.mark.parametrize("bad,msg", [
    (np.nan, "non-finite value at item 2, period 3"),
    (np.inf, "non-finite value at item 2, period 3"),
    (1.0000001, "expected values <= 1.0, got 1.0000001 at item 2, period 3"),
    (-1e-12, "expected values >= 0.0, got -1e-12 at item 2, period 3"),
])
def test_a_bad_value_in_a_series_names_its_item_and_period(bad, msg):
    fail = np.full((3, 5), 0.01)
    fail[2, 3] = bad
    with pytest.raises(InputError, match=msg.replace(".", r"\.")):
        _gens(fail=fail)


def test_a_bad_value_in_a_vector_names_its_item():
    with pytest.raises(InputError, match=r"generators\.capacity_mw: expected values >= 0\.0, got -5\.0 at item 1"):
        _gens(cap=np.array([10.0, -5.0, 1.0]))


def test_bounds_themselves_are_valid_and_arrays_are_taken_read_only():
    fail = np.zeros((3, 5))
    fail[0, 0], fail[1, 1] = 1.0, 0.0
    g = _gens(cap=np.array([0.0, 1e9, 3.0]), fail=fail, rep=1.0)
    assert g.failure_prob[0, 0] == 1.0 and not g.failure_prob.flags.writeable
    assert g.capacity_mw.shape == (3, 5) and g.capacity_mw[1, 4] == 1e9
    fail[0, 0] = 0.5  # the system holds its own copy
    assert g.failure_prob[0, 0] == 1.0


def test_an_efficiency_of_zero_is_refused_and_one_is_taken():
    from gigawatt.system import Storages

    def st(eff):
        return Storages(["s"], None, ["A"], 10.0, 10.0, 40.0, charge_eff=eff, n_periods=4)

    with pytest.raises(InputError, match=r"storages\.charge_eff: expected values > 0\.0, got 0\.0 at item 0"):
        st(0.0)
    assert st(np.array([1.0])).charge_eff[0, 3] == 1.0
