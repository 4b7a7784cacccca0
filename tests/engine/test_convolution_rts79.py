"""The 1979 IEEE RTS: published HL-I indices by convolution (exact) and Monte Carlo (3 standard errors).

Published values (no load forecast uncertainty): Allan, Billinton and Abdel-Gawad, "The IEEE
Reliability Test System - Extensions to and Evaluation of the Generating System", IEEE Trans.
Power Systems PWRS-1(4), 1986: LOLE 1.36886 d/yr (daily peaks), 9.39418 h/yr (hourly), LOEE 1,176 MWh/yr.
"""

import numpy as np
import pytest

from gigawatt import Convolution, Generators, Regions, SequentialMonteCarlo, SystemModel, TimeAxis, assess
from gigawatt.methods.convolution import outage_table
from gigawatt.systems import ieee_rts79
from gigawatt.systems.ieee_rts79 import (
    PUBLISHED_LOEE_MWH,
    PUBLISHED_LOLE_DAILY_PEAK_D,
    PUBLISHED_LOLE_HOURLY_H,
    hourly_load_pu,
)


@pytest.fixture(scope="module")
def rts():
    return ieee_rts79()


def test_system_matches_paper(rts):
    assert len(rts.generators) == 32
    assert rts.generators.capacity_mw[:, 0].sum() == 3405.0
    assert rts.n_periods == 8736 and rts.regions.load_mw.max() == 2850.0


def test_convolution_reproduces_published_indices(rts):
    r = assess(rts, Convolution())
    assert r.lole_peak_d.mean == pytest.approx(PUBLISHED_LOLE_DAILY_PEAK_D, abs=5e-6)
    assert r.lolh_h.mean == pytest.approx(PUBLISHED_LOLE_HOURLY_H, abs=2e-5)
    assert r.eue_mwh.mean == pytest.approx(PUBLISHED_LOEE_MWH, abs=0.5)


def test_monte_carlo_within_three_standard_errors(rts):
    r = assess(rts, SequentialMonteCarlo(samples=3000, seed=11))
    assert r.lolh_h.within(PUBLISHED_LOLE_HOURLY_H)
    assert r.lole_peak_d.within(PUBLISHED_LOLE_DAILY_PEAK_D)
    assert r.eue_mwh.within(PUBLISHED_LOEE_MWH)
    # a day with a short daily-peak hour is a day with a shortfall, so event-days >= daily-peak LOLE
    assert r.lole_d.mean >= r.lole_peak_d.mean
    # per-period LOLP agrees with the exact one on average over the year
    exact = assess(rts, Convolution())
    assert abs(float(r.period.lolp.sum()) - float(exact.period.lolp.sum())) <= 3 * r.lolh_h.stderr


def test_shared_hourly_profile_agrees(shared_data):
    """The shared H1979RTS.TXT has the same 8,736 hourly per-unit loads as the embedded model.

    The file shifts the daily profile by one hour between 10 March and 3 November (a daylight
    saving convention of the program that wrote it), so hours are compared as a sorted load
    duration curve and day by day outside that window.
    """
    path = shared_data / "rts_gmlc/RELIABILITY/RTS1979/H1979RTS.TXT"
    f = np.loadtxt(path, skiprows=2, usecols=(2,), delimiter=",", max_rows=8736)
    h = hourly_load_pu()
    np.testing.assert_allclose(np.sort(f), np.sort(h), atol=1e-6)
    np.testing.assert_allclose(f[:1655], h[:1655], atol=1e-6)
    np.testing.assert_allclose(f[7367:], h[7367:], atol=1e-6)
    # daily peaks agree for every day: the shift moves hours, not the day's peak
    np.testing.assert_allclose(f.reshape(364, 24).max(axis=1), h.reshape(364, 24).max(axis=1), atol=1e-6)


def test_copt_two_units_by_hand():
    levels, p = outage_table([10.0, 20.0], [0.1, 0.2], 10.0)
    # capacity 0: both out 0.02; 10: 0.9*0.2; 20: 0.1*0.8; 30: 0.72
    np.testing.assert_allclose(levels, [0, 10, 20, 30])
    np.testing.assert_allclose(p, [0.02, 0.18, 0.08, 0.72])


def test_convolution_vs_monte_carlo_30_units():
    rng = np.random.default_rng(5)
    n, T = 30, 24 * 60
    cap = rng.choice([20.0, 50.0, 100.0, 150.0], n)
    lam = rng.uniform(0.001, 0.01, n)
    mu = rng.uniform(0.02, 0.1, n)
    load = cap.sum() * (0.70 + 0.15 * np.sin(np.arange(T) * 2 * np.pi / 24))
    sys_ = SystemModel(TimeAxis("2024-01-01", 1.0, T), Regions(["A"], [load]),
                       Generators([f"u{i}" for i in range(n)], None, ["A"] * n, cap, lam, mu, n_periods=T))
    exact = assess(sys_, Convolution())
    mc = assess(sys_, SequentialMonteCarlo(samples=600, seed=2))
    assert exact.lolh_h.mean > 5  # a system with real risk
    assert mc.lolh_h.within(exact.lolh_h.mean)
    assert mc.eue_mwh.within(exact.eue_mwh.mean)
    assert mc.lole_peak_d.within(exact.lole_peak_d.mean)


def test_convolution_with_time_varying_and_sure_units_matches_period_by_period_tables():
    """Units with fixed values are convolved once, sure units only shift the table, the rest per
    period: the result must equal one full table per period (outage_table) summed by hand."""
    rng = np.random.default_rng(11)
    T, n = 48, 9
    cap = np.tile(rng.choice([10.0, 20.0, 30.0], n)[:, None], (1, T))
    cap[:3] = rng.choice([0.0, 10.0, 20.0, 40.0], (3, T))  # time-varying capacities, some hours at zero
    lam = np.tile(rng.uniform(0.01, 0.05, n)[:, None], (1, T))
    mu = np.tile(rng.uniform(0.05, 0.2, n)[:, None], (1, T))
    lam[3] = 0.0  # never fails: shifts the table
    lam[4, T // 2:] = 0.0  # fails only in the first half
    lam[5, :5] = 0.08  # outage rate changing over time
    load = rng.uniform(60.0, 160.0, T)
    sys_ = SystemModel(TimeAxis("2024-01-01", 1.0, T), Regions(["A"], [load]),
                       Generators([f"u{i}" for i in range(n)], None, ["A"] * n, cap, lam, mu, n_periods=T))
    got = assess(sys_, Convolution(resolution_mw=10.0))
    forr = lam / (lam + mu)
    lolh = eue = 0.0
    for t in range(T):
        levels, p = outage_table(cap[:, t], forr[:, t], 10.0)
        short = levels < load[t]
        lolh += p[short].sum()
        eue += (p[short] * (load[t] - levels[short])).sum()
    assert got.lolh_h.mean > 1.0  # some risk in this toy
    np.testing.assert_allclose(got.lolh_h.mean, lolh, rtol=1e-12)
    np.testing.assert_allclose(got.eue_mwh.mean, eue, rtol=1e-12)
