"""Frequency response against closed forms of the aggregate swing equation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.linalg import expm

from gigawatt.dynamics.frequency import (
    FrequencySystem,
    data_center_trip,
    generator_trip,
    governor_response,
    simulate_frequency,
)
from gigawatt.errors import InputError

E_KIN = 1.8e6  # MW s
F0 = 60.0


def _system(**kw):
    base = dict(inertia_mw_s=E_KIN, load_damping_mw_per_hz=0.0, governor_gain_mw_per_hz=0.0,
                governor_deadband_hz=0.0, ufls_stages=())
    base.update(kw)
    return FrequencySystem(**base)


def test_no_damping_no_governor_is_a_linear_ramp():
    dp = 1500.0
    r = simulate_frequency(_system(), [generator_trip(dp, time_s=0.0)], duration_s=5.0)
    expected = F0 - dp * F0 / (2 * E_KIN) * r.time_s
    np.testing.assert_allclose(r.frequency_hz, expected, rtol=0, atol=1e-9)
    assert r.initial_rocof_hz_per_s == pytest.approx(-dp * F0 / (2 * E_KIN), rel=1e-9)


def test_damping_only_is_an_exponential():
    dp, d = -1500.0, 7500.0  # loss of load -> frequency rises
    r = simulate_frequency(_system(load_damping_mw_per_hz=d), [data_center_trip(1500, 0.0)],
                           duration_s=200.0, dt_s=0.01)
    tau = 2 * E_KIN / (F0 * d)
    expected = F0 - dp / d * (1 - np.exp(-r.time_s / tau))
    np.testing.assert_allclose(r.frequency_hz, expected, rtol=0, atol=1e-8)
    assert r.frequency_hz[-1] == pytest.approx(F0 + 0.2, abs=1e-3)


def test_initial_rocof_matches_closed_form_with_full_model():
    r = simulate_frequency(FrequencySystem(), [data_center_trip(1500, 1.0)], duration_s=3.0,
                           dt_s=0.001)
    assert r.initial_rocof_hz_per_s == pytest.approx(1500 * F0 / (2 * FrequencySystem().inertia_mw_s),
                                                     rel=1e-3)
    # before the event nothing moves
    assert np.all(r.frequency_hz[r.time_s < 0.999] == F0)


def test_settling_deviation_is_minus_dp_over_beta():
    sys_ = _system(load_damping_mw_per_hz=7500.0, governor_gain_mw_per_hz=19000.0,
                   governor_time_constant_s=5.0)
    r = simulate_frequency(sys_, [generator_trip(4500, 0.0)], duration_s=300.0)
    assert r.metrics()["settling_deviation_hz"] == pytest.approx(-4500 / 26500, rel=1e-4)


def test_linear_system_matches_matrix_exponential():
    d, kg, tg = 7500.0, 19000.0, 5.0
    dp = 3000.0
    sys_ = _system(load_damping_mw_per_hz=d, governor_gain_mw_per_hz=kg, governor_time_constant_s=tg)
    r = simulate_frequency(sys_, [generator_trip(dp, 0.0)], duration_s=30.0, dt_s=0.01)
    c = F0 / (2 * E_KIN)
    # x = [df, pm, 1]; dx/dt = A x
    a = np.array([[-c * d, c, -c * dp], [-kg / tg, -1 / tg, 0.0], [0.0, 0.0, 0.0]])
    for t in (0.5, 3.0, 10.0, 30.0):
        x = expm(a * t) @ np.array([0.0, 0.0, 1.0])
        i = int(round(t / 0.01)) - 1
        assert r.frequency_hz[i] - F0 == pytest.approx(x[0], abs=1e-7)
        assert r.governor_mw[i] == pytest.approx(x[1], abs=1e-4)


def test_governor_first_order_step_response():
    k, tau, db = 19000.0, 5.0, 0.036
    t = np.arange(1, 3001) * 0.01
    p = governor_response(np.full(t.size, -0.1), 0.01, k, tau, db)
    np.testing.assert_allclose(p, k * (0.1 - db) * (1 - np.exp(-t / tau)), rtol=1e-9, atol=1e-9)
    assert np.all(governor_response(np.full(10, 0.03), 0.01, k, tau, db) == 0.0)


def test_deadband_worsens_settling():
    no_db = simulate_frequency(FrequencySystem(governor_deadband_hz=0.0),
                               [data_center_trip(1500)], duration_s=120.0).metrics()
    with_db = simulate_frequency(FrequencySystem(), [data_center_trip(1500)],
                                 duration_s=120.0).metrics()
    beta = FrequencySystem().beta_mw_per_hz
    assert no_db["settling_deviation_hz"] == pytest.approx(1500 / beta, rel=1e-3)
    kg, d = FrequencySystem().governor_gain_mw_per_hz, FrequencySystem().load_damping_mw_per_hz
    assert with_db["settling_deviation_hz"] == pytest.approx((1500 + kg * 0.036) / (kg + d), rel=1e-3)
    assert with_db["zenith_hz"] > no_db["zenith_hz"]


def test_ufls_sheds_once_below_threshold_and_arrests_decline():
    sys_ = _system(load_mw=100_000.0, load_damping_mw_per_hz=1000.0,
                   ufls_stages=((59.5, 0.05, 0.2),), inertia_mw_s=2e5)
    r = simulate_frequency(sys_, [generator_trip(3000, 0.0)], duration_s=120.0)
    m = r.metrics()
    assert m["ufls_shed_mw"] == pytest.approx(5000.0)
    # after shedding more than the deficit, frequency settles above nominal: (5000-3000)/D
    assert m["settling_deviation_hz"] == pytest.approx(2.0, rel=1e-2)
    t_cross = r.time_s[np.argmax(r.frequency_hz < 59.5)]
    t_shed = r.time_s[np.argmax(r.shed_mw > 0)]
    assert t_shed - t_cross == pytest.approx(0.2, abs=0.011)


def test_generator_inertia_loss_raises_rocof():
    a = simulate_frequency(_system(), [generator_trip(1000, 0.0)], 1.0).initial_rocof_hz_per_s
    b = simulate_frequency(_system(), [generator_trip(1000, 0.0, inertia_h_s=5.0)],
                           1.0).initial_rocof_hz_per_s
    assert b / a == pytest.approx(E_KIN / (E_KIN - 5000.0), rel=1e-9)


def test_bad_input_names_the_field():
    with pytest.raises(InputError, match="inertia_mw_s"):
        FrequencySystem(inertia_mw_s=-1)
    with pytest.raises(InputError, match="ufls_stages\\[0\\] threshold_hz"):
        FrequencySystem(ufls_stages=((61.0, 0.1, 0.1),))
    with pytest.raises(InputError, match="events"):
        simulate_frequency(FrequencySystem(), [], 1.0)
    assert math.isfinite(FrequencySystem().beta_mw_per_hz)
