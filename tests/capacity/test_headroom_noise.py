"""Monotonicity in battery size and the stability of paired (common-random-number) comparisons."""

from __future__ import annotations

import numpy as np
from capacity_toy import toy_system

from gigawatt.capacity import BatteryOption, FirmLoad, MonteCarlo, reliability_headroom
from gigawatt.capacity.sweep import sweep
from gigawatt.report.plots import plot_sweep


def test_more_battery_never_lowers_headroom_on_a_fixed_seed(tmp_path):
    sys_ = toy_system()
    mc = MonteCarlo(300, 11)
    df = sweep(sys_, "battery_mw", [0, 25, 50, 100], target="lolh_h=2", mc=mc)
    for col in ("headroom_low_mw", "headroom_estimate_mw", "headroom_high_mw"):
        assert np.all(np.diff(df[col].to_numpy()) >= 0), df[col].tolist()
    assert df["gain_mw"].iloc[-1] > 30.0  # a 100 MW / 400 MWh battery buys real headroom
    assert df["gain_mw"].iloc[-1] <= 100.0 + 25.0  # ... but not more than its power (plus resolution)
    fig = plot_sweep(df, path=tmp_path / "sweep.png")
    assert (tmp_path / "sweep.png").stat().st_size > 5000
    assert fig.axes[0].get_ylabel() == "reliability headroom [MW]"


def test_bigger_battery_serves_at_least_as_much_in_every_sample():
    sys_ = FirmLoad()(toy_system(), 150.0)
    mc = MonteCarlo(200, 4)
    prev = mc.run(sys_, "eue_mwh")
    for mw in (20.0, 40.0, 80.0):
        cur = mc.run(BatteryOption(mw, 4 * mw)(sys_), "eue_mwh")
        assert np.all(cur <= prev + 1e-6)
        prev = cur
    assert prev.mean() < mc.run(sys_, "eue_mwh").mean()


def test_paired_sign_of_a_small_difference_is_reproducible_across_seeds():
    """+5 MW of load: paired differences agree in sign for every seed; unpaired ones are noise."""
    sys_ = FirmLoad()(toy_system(), 150.0)
    paired, unpaired_se, paired_se = [], [], []
    for seed in range(1, 6):
        mc = MonteCarlo(200, seed)
        a = mc.run(sys_, "eue_mwh")
        b = mc.run(FirmLoad()(sys_, 5.0), "eue_mwh")
        c = MonteCarlo(200, seed + 100).run(FirmLoad()(sys_, 5.0), "eue_mwh")  # independent streams
        d = b - a
        paired.append(d.mean())
        paired_se.append(d.std(ddof=1) / np.sqrt(d.size))
        unpaired_se.append(np.hypot(a.std(ddof=1), c.std(ddof=1)) / np.sqrt(a.size))
        assert np.all(d >= -1e-9)  # more load never helps, sample by sample
    assert all(p > 0 for p in paired)
    assert all(p > 3 * se for p, se in zip(paired, paired_se))
    assert max(paired_se) < min(unpaired_se) / 5


def test_headroom_is_reproducible_for_a_seed_and_independent_of_threads():
    sys_ = toy_system()
    a = reliability_headroom(sys_, "lolh_h=2", mc=MonteCarlo(200, 9, threads=1)).crossing
    b = reliability_headroom(sys_, "lolh_h=2", mc=MonteCarlo(200, 9, threads=2)).crossing
    assert (a.low_mw, a.high_mw, a.n_trials) == (b.low_mw, b.high_mw, b.n_trials)


def test_any_callable_is_a_load_builder_and_utilisation_scales_nameplate():
    """A future data-center contract plugs in as a callable; half utilisation doubles the nameplate headroom."""
    from gigawatt.capacity import Placement

    sys_ = toy_system()
    mc = MonteCarlo(300, 6)
    firm = reliability_headroom(sys_, "eue_mwh=1000", mc=mc).crossing
    half = reliability_headroom(sys_, "eue_mwh=1000", mc=mc, contract=lambda s, x: FirmLoad()(s, 0.5 * x)).crossing
    util = reliability_headroom(sys_, "eue_mwh=1000", mc=mc, placement=Placement(profile=0.5)).crossing
    assert firm.estimate_mw > 50
    assert abs(half.estimate_mw - 2 * firm.estimate_mw) < 0.1 * firm.estimate_mw
    assert abs(util.estimate_mw - half.estimate_mw) < 1e-6 * firm.estimate_mw + 1e-9
