"""Throughput under caps and the cheapest reduction: hand-worked cases."""

import pytest

from gigawatt.datacenter.power import Fleet, SitePower
from gigawatt.datacenter.throughput import (
    JobClass,
    background_failures,
    cheapest_reduction,
    max_reduction_mw,
    throughput_at_cap,
)

# 1000 H100 at full board power, PUE 1: GPU 0.7 MW, facility 1.4025 MW (0.7 kW / 1.4025 kW per GPU)
SITE = SitePower((Fleet("H100", 1000),), pue=1.0, gpu_utilisation=1.0)


def test_curves_match_published_points():
    assert throughput_at_cap(0.8) == pytest.approx(0.93)
    assert throughput_at_cap(0.25) == pytest.approx(0.20)
    assert throughput_at_cap(0.85) == pytest.approx(0.95)  # linear between 0.9 -> 0.97 and 0.8 -> 0.93
    assert throughput_at_cap(0.5, "conservative") == pytest.approx(0.63)
    assert throughput_at_cap(0.6, "conservative") == pytest.approx(0.76)
    assert throughput_at_cap(0.5, "optimistic") == pytest.approx(1 - 0.35 / 2)
    assert throughput_at_cap(0.1) == pytest.approx(0.20)  # clipped at the lowest cap


def test_cap_only_loss_follows_curve():
    jobs = (JobClass("pt", 1.0, max_slowdown=1.0, max_pause_h=0.0),)
    plan = cheapest_reduction(SITE, jobs, 0.14, 2.0)  # 0.7 MW * (1 - 0.8)
    assert plan.delivered_mw == pytest.approx(0.14)
    assert plan.classes[0].cap == pytest.approx(0.8)
    assert plan.gpu_hours_lost == pytest.approx(1000 * 2.0 * (1 - 0.93))
    assert plan.throughput_lost == pytest.approx(0.07)
    assert plan.restarts == 0


def test_deep_long_cut_mixes_cap_and_pause():
    jobs = (JobClass("pt", 1.0, max_slowdown=1.0, max_pause_h=100.0),)
    d = 10.0
    plan = cheapest_reduction(SITE, jobs, 0.7, d)
    # hull: origin -> p 0.9 -> p 0.8 -> pause; pause costs D + 150 s + 0.25 h per GPU
    pause_loss = d + 150 / 3600 + 0.25
    x08, y08 = 0.7e-3 * 0.2, d * 0.07
    t = (0.7e-3 - x08) / (1.4025e-3 - x08)
    c = plan.classes[0]
    assert c.paused_share == pytest.approx(t)
    assert c.cap == pytest.approx(0.8) and c.capped_share == pytest.approx(1 - t)
    assert plan.gpu_hours_lost == pytest.approx(1000 * (y08 + t * (pause_loss - y08)))
    assert plan.delivered_mw == pytest.approx(0.7)
    assert plan.restarts == 1


def test_short_window_uses_caps_not_pauses():
    jobs = (JobClass("pt", 1.0, max_slowdown=1.0, max_pause_h=100.0),)
    plan = cheapest_reduction(SITE, jobs, 0.07, 0.5)
    assert plan.classes[0].paused_share == 0.0
    assert plan.classes[0].cap == pytest.approx(0.9)
    assert plan.gpu_hours_lost == pytest.approx(1000 * 0.5 * 0.03)


def test_slowdown_tier_limits_delivery():
    jobs = (JobClass("inf", 1.0, max_slowdown=0.05, max_pause_h=0.0),)
    # loss 0.05 per GPU-h reached half-way between p 0.9 (0.03) and p 0.8 (0.07): p = 0.85
    assert max_reduction_mw(SITE, jobs, 3.0) == pytest.approx(0.7 * 0.15)
    plan = cheapest_reduction(SITE, jobs, 1.0, 3.0)
    assert not plan.feasible
    assert plan.classes[0].cap == pytest.approx(0.85)
    assert plan.throughput_lost == pytest.approx(0.05)


def test_cheaper_class_goes_first():
    jobs = (JobClass("a", 0.5, 1.0, 0.0, value_weight=3.0), JobClass("b", 0.5, 1.0, 0.0))
    plan = cheapest_reduction(SITE, jobs, 0.5 * 0.07, 1.0)  # all of b's first segment
    assert plan.classes[0].reduction_mw == pytest.approx(0.0)
    assert plan.classes[1].cap == pytest.approx(0.9)


def test_background_failures_follow_meta_mttf():
    k, lost = background_failures(16384, 24.0, restart_h=0.25, checkpoint_interval_h=0.5)
    assert k == pytest.approx(24 / 1.8)  # MTTF 1.8 h at 16k GPUs
    assert lost == pytest.approx(k * 16384 * 0.5)
