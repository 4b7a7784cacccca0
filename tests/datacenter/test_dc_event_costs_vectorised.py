"""The batched event costs (all lengths and loads of a site at once) equal the per-curve path bit for bit."""

from types import SimpleNamespace

import numpy as np
import pytest

from gigawatt.datacenter.metrics import event_cost, event_costs, event_costs_many
from gigawatt.datacenter.order import DataCenterSite
from gigawatt.datacenter.power import Fleet, SitePower, colossus2
from gigawatt.datacenter.resources import ComputeFlexibility
from gigawatt.datacenter.throughput import JobClass, default_job_classes, reduction_curve, reduction_curves
from gigawatt.errors import InputError
from gigawatt.methods import _dc_kernel as DC
from gigawatt.results.datacenter import site_samples

SMALL = SitePower((Fleet("H100", 1000), Fleet("GB200", 72)), pue=1.2, gpu_utilisation=0.9, training_share=0.6)
JOBS = (  # short pause limit, a zero-share class, weights that interleave the classes' segments
    JobClass("pt", 0.5, 0.3, 0.75, curve="conservative", checkpoint_h=0.1, restart_h=0.5),
    JobClass("ft", 0.2, 0.6, 10.0, value_weight=0.5),
    JobClass("idle", 0.0, 0.5, 1.0),
    JobClass("inf", 0.25, 0.1, 0.0, curve="optimistic", value_weight=2.0),
)
SITES = (
    DataCenterSite("big", "A", colossus2()),  # default job classes
    DataCenterSite("small", "A", SMALL, flexibility=ComputeFlexibility(JOBS)),
)


def same_bits(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def hand_events(site, rng, n=400, dt=0.5):
    """Cuts (incl. none, tiny, beyond what the tiers deliver), lengths 0.5..15 h, loads 0.2..1.3 of peak."""
    peak = site.power.peak_facility_mw
    periods = rng.integers(1, 31, n).astype(float)
    load_frac = rng.choice([0.2, 0.45, 0.7, 0.8, 0.95, 1.0, 1.3], n)
    cut_frac = rng.choice([0.0, 1e-14, 1e-9, 0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.9, 1.1], n) * rng.uniform(0.9, 1.1, n)
    return cut_frac * peak, periods * dt, load_frac * peak


@pytest.mark.parametrize("site", SITES, ids=lambda s: s.name)
def test_event_costs_many_equals_per_event(site):
    rng = np.random.default_rng(7)
    cut, dur, load = hand_events(site, rng)
    lost, restarts = event_costs_many(site, cut, dur, load)
    assert lost.dtype == np.float64 and restarts.dtype == np.int64
    for e in range(cut.size):
        ref_lost, ref_rs = event_costs(site, cut[e:e + 1], dur[e], load[e])
        assert same_bits(lost[e:e + 1], ref_lost), (e, lost[e], ref_lost)
        assert same_bits(restarts[e:e + 1], ref_rs), (e, restarts[e], ref_rs)
        # and, to rounding, the plan of cheapest_reduction
        gh, rs = event_cost(site, cut[e], dur[e], load[e])
        assert lost[e] == pytest.approx(gh, rel=1e-9, abs=1e-6) and restarts[e] == rs
    assert len(np.unique(dur)) > 20 and (restarts > 1).any() and (lost == 0).any()


def test_reduction_curves_equal_reduction_curve():
    rng = np.random.default_rng(3)
    dur = np.repeat([0.25, 0.5, 0.75, 0.75 + 1e-13, 1.0, 3.0, 4.0, 4.5, 9.5, 10.0, 24.0], 5)
    prof = np.tile([0.0, 0.31, 0.5, 0.999, 1.0], 11)
    for site, jobs in ((SMALL, JOBS), (colossus2(), default_job_classes())):
        f = reduction_curves(site, jobs, dur, prof)
        peak = site.peak_facility_mw
        for lane in range(dur.size):
            x = np.concatenate([[0.0, 1e-13, 1e-12, 2e-12], rng.uniform(0, 0.6 * peak, 40), [2 * peak]])
            got = f(np.full(x.size, lane), x)
            ref = reduction_curve(site, jobs, dur[lane], prof[lane])(x)
            for g, r in zip(got, ref):
                assert same_bits(g, r), (lane, dur[lane], prof[lane])
    with pytest.raises(InputError, match="duration_h"):
        reduction_curves(SMALL, JOBS, [1.0, 0.0], [1.0, 1.0])


def _site_samples_per_group(acc, system):
    """The former ``site_samples`` loop: one ``event_costs`` call per (site, length, mean load)."""
    n, dt, ev = acc.samples, acc.step_h, acc.dc_events
    lost = np.zeros((n, len(system.sites)))
    restarts = np.zeros((n, len(system.sites)))
    site_i = ev[:, DC.EV_SITE].astype(np.int64)
    periods = ev[:, DC.EV_PERIODS]
    mean_load = ev[:, DC.EV_LOAD_MWH] / (periods * dt)
    k = ev[:, DC.EV_SAMPLE].astype(np.int64) - acc.sample0
    keys = np.stack([site_i.astype(float), periods, mean_load], axis=1)
    uniq, inv = np.unique(keys, axis=0, return_inverse=True)
    inv = inv.reshape(-1)
    for g, (i, npd, ml) in enumerate(uniq):
        sel = np.flatnonzero(inv == g)
        d = npd * dt
        gh, rs = event_costs(system.sites[int(i)], ev[sel, DC.EV_CUT_MWH] / d, d, ml)
        np.add.at(lost[:, int(i)], k[sel], gh)
        np.add.at(restarts[:, int(i)], k[sel], rs)
    return lost, restarts


@pytest.mark.parametrize("zero_load", [False, True])
def test_site_samples_sum_events_as_before(zero_load):
    rng = np.random.default_rng(11)
    dt, n, sample0 = 0.5, 6, 3
    rows = []
    for s, site in enumerate(SITES):
        cut, dur, load = hand_events(site, rng, n=300, dt=dt)
        load[::37] = load[1::37][:load[::37].size]  # repeated (length, load) pairs share a group
        if zero_load:
            load[::50] = 0.0  # signed zeros and NaN take np.unique's own path
        periods = np.round(dur / dt)
        ev = np.zeros((cut.size, DC.NEV))
        ev[:, DC.EV_SAMPLE] = sample0 + rng.integers(0, n, cut.size)
        ev[:, DC.EV_SITE] = s
        ev[:, DC.EV_PERIODS] = periods
        ev[:, DC.EV_CUT_MWH] = np.maximum(cut, 1e-3) * periods * dt
        ev[:, DC.EV_LOAD_MWH] = load * periods * dt
        rows.append(ev)
    ev = np.concatenate(rows)[rng.permutation(sum(len(r) for r in rows))]
    acc = SimpleNamespace(samples=n, step_h=dt, sample0=sample0, dc_events=ev,
                          site=rng.uniform(1, 2, (n, len(SITES), DC.NSR)))
    system = SimpleNamespace(sites=SITES, n_periods=8760)
    lost, restarts = _site_samples_per_group(acc, system)
    out = site_samples(acc, system)
    for i, site in enumerate(SITES):
        assert same_bits(out[site.name]["gpu_hours_lost"], lost[:, i])
        assert same_bits(out[site.name]["restarts"], restarts[:, i])
    assert (lost > 0).all()
