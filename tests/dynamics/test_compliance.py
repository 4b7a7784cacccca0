"""Compliance metrics on signals with known answers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gigawatt.dynamics.compliance import (
    ComplianceLimits,
    check_compliance,
    band_psd,
    band_rms_mw,
    largest_step_mw,
    time_outside_band_s,
)
from gigawatt.errors import InputError


@pytest.mark.parametrize("f_hz", [0.25, 0.5, 2.0, 7.0])
def test_sinusoid_psd_peaks_at_its_frequency_and_band_rms_is_amp_over_sqrt2(f_hz):
    dt, amp = 0.01, 40.0
    t = np.arange(int(600 / dt)) * dt
    p = 800.0 + amp * np.sin(2 * np.pi * f_hz * t)
    f, pxx = band_psd(p, dt)
    assert f[np.argmax(pxx)] == pytest.approx(f_hz, abs=1 / 60)
    rms, band = band_rms_mw(p, dt, (0.1, 20.0))
    assert rms == pytest.approx(amp / math.sqrt(2), rel=0.01)
    assert band == (0.1, 20.0)
    outside, _ = band_rms_mw(p, dt, (f_hz * 2, 20.0))
    assert outside < 0.02 * amp


def test_band_is_clipped_at_nyquist():
    p = np.sin(2 * np.pi * 0.2 * np.arange(3600.0))
    _, band = band_rms_mw(p, 1.0, (0.1, 20.0))
    assert band == (0.1, 0.5)


def test_ramp_and_step_of_hand_signals():
    dt = 0.5
    p = np.r_[np.zeros(10), np.linspace(0, 30, 7), np.full(10, 30.0)]  # 5 MW per step -> 10 MW/s
    rep = check_compliance(p, dt, ComplianceLimits(max_ramp_mw_per_s=10.0, max_step_mw=9.0, step_window_s=1))
    assert rep.max_ramp_mw_per_s == pytest.approx(10.0)
    assert rep.ok_max_ramp
    assert rep.max_step_mw == pytest.approx(10.0)
    assert not rep.ok_step and not rep.compliant
    assert largest_step_mw(np.r_[0, 0, 100.0, 100], 1.0, 1.0) == 100.0


def test_time_outside_band_after_a_step_by_hand():
    p = np.r_[np.zeros(100), np.full(200, 100.0)]
    # trailing 60 s mean reaches 50 MW from the step after 30 steps: 29 steps outside
    assert time_outside_band_s(p, 1.0, 50.0, 60.0) == 29.0
    assert time_outside_band_s(p, 1.0, math.inf, 60.0) == 0.0


def test_limits_validate():
    with pytest.raises(InputError, match="band_hz"):
        ComplianceLimits(band_hz=(5.0, 1.0))
    with pytest.raises(InputError, match="max_ramp_mw_per_s"):
        ComplianceLimits(max_ramp_mw_per_s=-1)
