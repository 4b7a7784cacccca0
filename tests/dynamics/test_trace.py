"""Site power traces: hand-computed levels, reproducibility, chunk and step invariance."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gigawatt.dynamics.jobs import JobSpec, draw_schedule, job_mttf_s
from gigawatt.dynamics.smoothing import GpuSmoothing, relative_throughput
from gigawatt.dynamics.trace import SitePowerStream, SiteSpec, colossus_like_site, site_power
from gigawatt.errors import InputError

TDP = 1000.0


def _one_job_site(**job_kw):
    kw = dict(n_gpus=100_000, step_period_s=4.0, communication_share=0.3,
              compute_power_fraction=0.9, communication_power_fraction=0.3, failures=False,
              checkpoint_interval_s=math.inf, ramp_up_s=0.0)
    kw.update(job_kw)
    return SiteSpec(jobs=(JobSpec(**kw),), n_gpus=100_000, gpu_tdp_w=TDP, idle_power_fraction=0.1,
                    other_it_w_per_gpu=200.0, pue=1.2, cooling_time_constant_s=30.0)


def test_square_wave_levels_and_duty_by_hand():
    tr = site_power(_one_job_site(), 40.0, 0.1)
    hi = (100_000 * TDP * 0.9 + 100_000 * 200.0) * 1e-6  # 110 MW
    lo = (100_000 * TDP * 0.3 + 100_000 * 200.0) * 1e-6  # 50 MW
    np.testing.assert_allclose(np.unique(np.round(tr.it_mw, 9)), [lo, hi])
    per_period = tr.it_mw[:40]
    assert np.count_nonzero(np.isclose(per_period, hi)) == 28
    assert tr.it_mw[:28] == pytest.approx(hi)  # compute phase first (phase 0)
    assert tr.it_mw.mean() == pytest.approx(0.7 * hi + 0.3 * lo)


def test_coarse_step_is_the_exact_average_of_fine_steps():
    site = colossus_like_site(n_gpus=80_000, n_jobs=4, in_phase=False, step_period_s=3.3)
    fine = site_power(site, 600.0, 0.05, seed=7)
    coarse = site_power(site, 600.0, 1.0, seed=7)
    np.testing.assert_allclose(fine.it_mw.reshape(-1, 20).mean(axis=1), coarse.it_mw, rtol=1e-6)


def test_reproducible_with_seed_and_independent_of_chunking():
    site = colossus_like_site(n_gpus=200_000, n_jobs=4, in_phase=False, mttf_s=300.0,
                              restart_s=60.0)
    a = site_power(site, 3600.0, 0.5, seed=11)
    b = site_power(site, 3600.0, 0.5, seed=11, chunk_steps=777)
    c = site_power(site, 3600.0, 0.5, seed=12)
    np.testing.assert_array_equal(a.it_mw, site_power(site, 3600.0, 0.5, seed=11).it_mw)
    np.testing.assert_allclose(a.facility_mw, b.facility_mw, rtol=1e-12)
    assert a.schedule.n_failures.sum() > 10
    assert not np.allclose(a.it_mw, c.it_mw)


def test_failure_drops_whole_job_and_restarts_after_restart_time():
    site = _one_job_site(failures=True, mttf_s=200.0, restart_s=30.0, communication_share=0.0)
    tr = site_power(site, 2000.0, 0.1, seed=3)
    hi = (100_000 * TDP * 0.9 + 100_000 * 200.0) * 1e-6
    idle = (100_000 * TDP * 0.1 + 100_000 * 200.0) * 1e-6
    # each step is an exact average: the down share of every step adds up to the outages
    down_s = float(np.sum((hi - tr.it_mw) / (hi - idle)) * 0.1)
    n = tr.schedule.n_failures[0]
    assert n >= 3
    last_down_end = tr.schedule.end_s[tr.schedule.kind == 4].max()
    cut = max(0.0, last_down_end - 2000.0)
    assert down_s == pytest.approx(n * 30.0 - cut, abs=1e-6)
    assert tr.it_mw.min() == pytest.approx(idle)


def test_failure_count_is_poisson_with_mttf():
    job = JobSpec(n_gpus=1000, mttf_s=100.0, restart_s=0.0, ramp_up_s=0.0,
                  checkpoint_interval_s=math.inf)
    s = draw_schedule((job,), 200_000.0, seed=5)
    n = s.n_failures[0]
    assert abs(n - 2000) < 3 * math.sqrt(2000)


def test_mttf_scaling_reproduces_meta_rsc_points():
    assert job_mttf_s(1024) == pytest.approx(7.9 * 3600)
    assert job_mttf_s(16384) == pytest.approx(1.8 * 3600)
    assert job_mttf_s(131072) == pytest.approx(14 * 60)
    assert job_mttf_s(4096) < job_mttf_s(2048) < job_mttf_s(1024)


def test_floor_lifts_low_phases_and_costs_energy():
    base = site_power(_one_job_site(), 40.0, 0.1)
    floored = site_power(_one_job_site(), 40.0, 0.1, smoothing=GpuSmoothing(power_floor_fraction=0.6))
    lo_floor = (100_000 * TDP * 0.6 + 100_000 * 200.0) * 1e-6
    assert floored.it_mw.min() == pytest.approx(lo_floor)
    extra = (floored.it_mw - base.it_mw).mean()
    assert extra == pytest.approx(100_000 * TDP * (0.6 - 0.3) * 0.3 * 1e-6)


def test_gpu_ramp_limit_bounds_site_ramp_and_costs_throughput():
    rate_w = 200.0  # W/s per GPU -> 20 MW/s for 100k GPUs
    sm = GpuSmoothing(ramp_up_w_per_s=rate_w, ramp_down_w_per_s=rate_w)
    tr = site_power(_one_job_site(), 200.0, 0.1, smoothing=sm)
    assert np.max(np.abs(np.diff(tr.it_mw))) <= 100_000 * rate_w * 1e-6 * 0.1 * (1 + 1e-9)
    assert 0.0 < tr.lost_work_fraction < 0.5


def test_cooling_follows_it_with_first_order_lag():
    site = _one_job_site(start_s=100.0, communication_share=0.0)
    tr = site_power(site, 400.0, 1.0)
    it0 = (100_000 * TDP * 0.1 + 100_000 * 200.0) * 1e-6
    it1 = (100_000 * TDP * 0.9 + 100_000 * 200.0) * 1e-6
    assert tr.facility_mw[50] == pytest.approx(1.2 * it0)
    k = np.arange(100, 400) - 99  # steps since the jump
    lag = it1 - (it1 - it0) * np.exp(-k * 1.0 / 30.0)
    np.testing.assert_allclose(tr.facility_mw[100:], it1 + 0.2 * lag, rtol=1e-9)


def test_throughput_curve_from_facts():
    assert relative_throughput(0.5) == pytest.approx(0.65)
    assert relative_throughput(0.85) == pytest.approx(0.95)


def test_bad_input_names_the_field():
    with pytest.raises(InputError, match="job n_gpus"):
        JobSpec(n_gpus=0)
    with pytest.raises(InputError, match="site n_gpus: jobs use"):
        SiteSpec(jobs=(JobSpec(n_gpus=10),), n_gpus=5)
    with pytest.raises(InputError, match="power_floor_fraction"):
        GpuSmoothing(power_floor_fraction=1.5)
    with pytest.raises(InputError, match="dt_s"):
        SitePowerStream(_one_job_site(), 10.0, 0.0)
