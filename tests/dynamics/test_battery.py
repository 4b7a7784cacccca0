"""Battery controller: energy balance, state-of-charge bounds, ramp limits, hand cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gigawatt.dynamics.battery import (
    BatteryController,
    BatterySpec,
    ControllerSpec,
    run_controller,
    unconstrained_need,
)
from gigawatt.errors import InputError


def _swing(n=20_000, dt=0.1, amp=300.0, period=4.0, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n) * dt
    sq = np.where((t % period) < 0.7 * period, amp, 0.0)
    drops = np.cumsum(rng.normal(0, 2.0, n))
    return 500.0 + sq + drops, dt


def test_step_with_ramp_limit_by_hand():
    load = np.r_[0.0, np.full(20, 100.0)]
    res = run_controller(load, 1.0, BatterySpec(200, 10, 1.0, 0.5),
                         ControllerSpec(10, 10, 0.0, 0.5, math.inf))
    np.testing.assert_allclose(res.grid_mw[:12], np.arange(0, 120, 10.0).clip(max=100))
    # grid 10, 20, ... MW while the load is 100 MW: the battery covers 90, 80, ... MW
    np.testing.assert_allclose(res.battery_mw[1:11], -np.arange(90, -10, -10.0))
    used = np.arange(90, 0, -10.0).sum() / 3600.0  # 450 MW s [MWh]
    assert res.energy_mwh[-1] == pytest.approx(5.0 - used)
    assert res.discharged_mwh == pytest.approx(used)
    assert res.ramp_breaches == 0


def test_energy_balance_closes_with_losses():
    load, dt = _swing()
    res = run_controller(load, dt, BatterySpec(400, 50, 0.85, 0.5), ControllerSpec(5, 5, 20))
    delta = res.energy_mwh[-1] - res.initial_energy_mwh
    assert res.charged_mwh - res.discharged_mwh - res.loss_mwh == pytest.approx(delta, abs=1e-9)
    assert res.loss_mwh > 0.05 * res.discharged_mwh  # 85 % round trip loses ~8 % each way
    # grid = load + battery, step by step
    np.testing.assert_allclose(res.grid_mw, load + res.battery_mw, rtol=0, atol=1e-9)


def test_ramp_limit_never_exceeded_with_adequate_battery():
    load, dt = _swing()
    c = ControllerSpec(5, 5, 10)
    p, e = unconstrained_need(load, dt, c)
    res = run_controller(load, dt, BatterySpec(1.2 * p, 4 * e + 1, 0.92, 0.5), c)
    assert res.ramp_breaches == 0
    assert np.max(np.abs(np.diff(res.grid_mw))) <= 5 * dt * (1 + 1e-9)
    assert np.max(np.abs(np.diff(load))) > 100 * 5 * dt  # the load itself breaks it badly


def test_small_battery_breaks_ramp_and_counts_it():
    load, dt = _swing()
    res = run_controller(load, dt, BatterySpec(50, 0.5, 0.92, 0.5), ControllerSpec(5, 5, 10))
    breaches = np.count_nonzero(np.abs(np.diff(np.r_[load[0], res.grid_mw])) > 5 * dt * (1 + 1e-9))
    assert res.ramp_breaches == breaches > 0
    assert np.max(np.abs(res.battery_mw)) <= 50 + 1e-9


@settings(max_examples=60, deadline=None)
@given(
    amp=st.floats(0, 1000), p=st.floats(0.1, 2000), e=st.floats(0.01, 100),
    rte=st.floats(0.5, 1.0), soc0=st.floats(0, 1), ramp=st.floats(0.1, 1000),
    tau=st.floats(0, 100), seed=st.integers(0, 1000),
)
def test_soc_stays_within_capacity_and_energy_balances(amp, p, e, rte, soc0, ramp, tau, seed):
    load, dt = _swing(n=3000, amp=amp, seed=seed)
    res = run_controller(load, dt, BatterySpec(p, e, rte, soc0), ControllerSpec(ramp, ramp, tau))
    assert np.all(res.energy_mwh >= 0.0)
    assert np.all(res.energy_mwh <= e * (1 + 1e-12))
    assert np.all(np.abs(res.battery_mw) <= p * (1 + 1e-12))
    delta = res.energy_mwh[-1] - res.initial_energy_mwh
    assert res.charged_mwh - res.discharged_mwh - res.loss_mwh == pytest.approx(delta, abs=1e-7)


def test_chunked_controller_equals_whole_run():
    load, dt = _swing()
    b, c = BatterySpec(300, 20), ControllerSpec(5, 5, 20)
    whole = run_controller(load, dt, b, c)
    ctl = BatteryController(b, c, dt)
    parts = [ctl.step(x)[0] for x in np.array_split(load, 7)]
    np.testing.assert_array_equal(np.concatenate(parts), whole.grid_mw)
    assert ctl.totals["loss_mwh"] == pytest.approx(whole.loss_mwh, rel=1e-12)


def test_soc_returns_to_target():
    load = np.full(36_000, 100.0)
    res = run_controller(load, 1.0, BatterySpec(50, 10, 1.0, 0.1),
                         ControllerSpec(math.inf, math.inf, 0.0, 0.5, 600.0))
    assert res.energy_mwh[-1] == pytest.approx(5.0, rel=1e-6)


def test_bad_battery_names_the_field():
    with pytest.raises(InputError, match="round_trip_efficiency"):
        BatterySpec(10, 10, round_trip_efficiency=0.0)
    with pytest.raises(InputError, match="energy_mwh"):
        BatterySpec(10, 0)
    with pytest.raises(InputError, match="load_mw"):
        run_controller(np.array([1.0, np.nan]), 1.0, BatterySpec(1, 1), ControllerSpec())
