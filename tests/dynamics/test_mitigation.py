"""Mitigation evaluation and the smallest-floor / smallest-battery searches."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gigawatt.dynamics.battery import BatterySpec, ControllerSpec, run_controller
from gigawatt.dynamics.compliance import ComplianceLimits, check_compliance
from gigawatt.dynamics.jobs import JobSpec
from gigawatt.dynamics.mitigation import evaluate, smallest_battery, smallest_floor
from gigawatt.dynamics.smoothing import GpuSmoothing
from gigawatt.dynamics.trace import SiteSpec, site_power


def _site():
    job = JobSpec(n_gpus=100_000, failures=False, checkpoint_interval_s=math.inf, ramp_up_s=0.0)
    return SiteSpec(jobs=(job,), n_gpus=100_000, gpu_tdp_w=1000.0, other_it_w_per_gpu=200.0,
                    pue=1.2, cooling_time_constant_s=0.0)


def test_smallest_floor_matches_hand_value():
    # swing at the meter = 1.2 * 100 MW * (0.9 - floor); a 30 MW step limit needs floor 0.65
    lim = ComplianceLimits(max_step_mw=30.0, step_window_s=1.0)
    f = smallest_floor(_site(), 120.0, 0.5, lim, tolerance=0.002)
    assert f == pytest.approx(0.65, abs=0.003)


def test_floor_energy_overhead_by_hand():
    lim = ComplianceLimits()
    r = evaluate(_site(), 400.0, 0.5, lim, smoothing=GpuSmoothing(power_floor_fraction=0.5))
    base = (0.7 * 0.9 + 0.3 * 0.3) * 100 + 20  # MW IT
    extra = 0.3 * (0.5 - 0.3) * 100  # MW IT
    assert r.energy_overhead == pytest.approx(extra / base, rel=1e-9)
    assert r.throughput_cost == 0.0


def test_smallest_battery_is_minimal_and_compliant():
    tr = site_power(_site(), 600.0, 0.1)
    lim = ComplianceLimits(max_ramp_mw_per_s=2.0, max_band_rms_mw=1.0)
    size = smallest_battery(tr.facility_mw, 0.1, lim, rel_tolerance=0.01)
    assert size is not None and size.report.compliant
    c = ControllerSpec(1.8, 1.8, 20.0)
    smaller = run_controller(tr.facility_mw, 0.1, BatterySpec(0.95 * size.power_mw, 10 * size.energy_mwh), c)
    assert not check_compliance(smaller.grid_mw, 0.1, lim).compliant
    less_e = run_controller(tr.facility_mw, 0.1, BatterySpec(size.power_mw, 0.9 * size.energy_mwh), c)
    assert not check_compliance(less_e.grid_mw, 0.1, lim).compliant
    # the swing is 1.2 * 60 MW = 72 MW; the battery covers most of it
    assert 30.0 < size.power_mw < 72.0


def test_battery_case_reports_cycles_and_losses():
    lim = ComplianceLimits(max_ramp_mw_per_s=2.0)
    r = evaluate(_site(), 600.0, 0.1, lim, battery=BatterySpec(80, 2.0))
    assert r.report.ok_max_ramp and r.ramp_breaches == 0
    assert r.battery_cycles_per_year > 100
    assert r.battery_loss_mwh > 0
    assert 0 < r.energy_overhead < 0.05
    assert 0.0 <= r.min_soc <= r.max_soc <= 1.0
    assert np.isfinite(r.mean_grid_mw)
