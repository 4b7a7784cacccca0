"""Result specifications: what to report.

A spec turns the sampler's raw accumulators into a result object. Adding a metric
means adding a spec here; the sampler is not touched (PRAS's result-spec design).
Every metric is per simulated horizon (normally one year).
"""

from __future__ import annotations

import dataclasses

import math
from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from gigawatt.methods import _smc_kernel as K
from gigawatt.methods.sequential import Accumulators
from gigawatt.stats import Estimate
from gigawatt.system import SystemModel


class ResultSpec:
    """Base class: ``dense`` specs need per-period recording of every sample (slower)."""

    dense = False

    def finalize(self, acc: Accumulators, system: SystemModel):  # pragma: no cover - interface
        raise NotImplementedError


# ------------------------------------------------------------------------------------- shortfall
@dataclass(frozen=True)
class RegionShortfall:
    """Shortfall metrics of one region."""

    lolh_h: Estimate
    lole_d: Estimate
    eue_mwh: Estimate
    neue_ppm: Estimate

    def to_dict(self) -> dict:
        return {k: getattr(self, k).to_dict() for k in ("lolh_h", "lole_d", "eue_mwh", "neue_ppm")}

    def per_year(self, years: float) -> "RegionShortfall":
        """The same metrics per year of a horizon of ``years`` years (NEUE, a ratio, as it is)."""
        k = 1.0 / years
        return RegionShortfall(self.lolh_h.scaled(k), self.lole_d.scaled(k), self.eue_mwh.scaled(k), self.neue_ppm)


@dataclass(frozen=True)
class ShortfallResult:
    """Loss-of-load metrics for the system, each region and each period.

    Attributes
    ----------
    lolh_h : expected hours with any shortfall per horizon [h]
    lole_d : expected days with any shortfall (event-days) [d]; the 0.1 day/yr standard
    lole_peak_d : expected days whose daily-peak-load period is short [d] (the classic
        HL-I daily-peak LOLE of Billinton and Allan)
    eue_mwh : expected unserved energy [MWh]
    neue_ppm : EUE over demand [parts per million]
    events : expected number of shortfall events (runs of consecutive short periods)
    regions : per-region metrics, by name
    period : xarray Dataset by period: ``lolp`` and ``eue_mwh`` with their standard errors, in total and by
        region; of a run that kept the LOLP only by period (``periods="lolp"``), ``lolp`` and ``lolp_stderr``
    """

    samples: int
    periods: int
    step_h: float
    lolh_h: Estimate
    lole_d: Estimate
    lole_peak_d: Estimate
    eue_mwh: Estimate
    neue_ppm: Estimate
    events: Estimate
    regions: dict
    period: xr.Dataset = field(repr=False)

    def per_year(self, years: float) -> "ShortfallResult":
        """The horizon's totals per year when one sample spans ``years`` years (e.g. 12 weather years back to
        back): LOLH, LOLE, EUE and events divided by ``years``; NEUE (a ratio) and the per-period data as
        they are. The metrics above are per sample, i.e. per horizon, as in PRAS."""
        k = 1.0 / years
        return dataclasses.replace(
            self, lolh_h=self.lolh_h.scaled(k), lole_d=self.lole_d.scaled(k), lole_peak_d=self.lole_peak_d.scaled(k),
            eue_mwh=self.eue_mwh.scaled(k), events=self.events.scaled(k),
            regions={n: r.per_year(years) for n, r in self.regions.items()})

    def to_dict(self) -> dict:
        """The JSON summary (``gigawatt adequacy --json``)."""
        return {
            "samples": self.samples,
            "periods": self.periods,
            "step_h": self.step_h,
            "lolh_h": self.lolh_h.to_dict(),
            "lole_d": self.lole_d.to_dict(),
            "lole_peak_d": self.lole_peak_d.to_dict(),
            "eue_mwh": self.eue_mwh.to_dict(),
            "neue_ppm": self.neue_ppm.to_dict(),
            "events": self.events.to_dict(),
            "regions": {name: r.to_dict() for name, r in self.regions.items()},
        }


def _period_dataset(system, lolp, lolp_se, eue, eue_se, r_lolp, r_eue, r_eue_se):
    """The ``period`` dataset; without the energy and regional sums (``eue`` None: a run with
    ``periods="lolp"``) it holds ``lolp`` and ``lolp_stderr`` only."""
    variables = {"lolp": (("time",), lolp), "lolp_stderr": (("time",), lolp_se)}
    if eue is not None:
        variables.update({
            "eue_mwh": (("time",), eue),
            "eue_mwh_stderr": (("time",), eue_se),
            "region_lolp": (("region", "time"), r_lolp),
            "region_eue_mwh": (("region", "time"), r_eue),
            "region_eue_mwh_stderr": (("region", "time"), r_eue_se),
        })
    ds = xr.Dataset(
        variables,
        coords={"time": system.timeaxis.timestamps.tz_localize(None), "region": list(system.regions.names)},
        attrs={"time_convention": "UTC, start of period", "step_h": system.timeaxis.step_h},
    )
    return ds


def _fixed_mean_se(total, sq, n):
    """Mean from the fixed-point sum; standard error from the exact sums of quantised values and squares."""
    from gigawatt.methods.sequential import squares_total

    mean = total * K.FIXED_RES / n
    qmean = sq[0] / n
    var = np.maximum(squares_total(sq) / n - qmean**2, 0.0) * (K.SQ_RES**2) * n / max(n - 1, 1)
    return mean, np.sqrt(var / n)


@dataclass(frozen=True)
class Shortfall(ResultSpec):
    """Loss-of-load metrics: LOLH, LOLE (event-days and daily-peak), EUE, NEUE, per region and period."""

    def finalize(self, acc: Accumulators, system: SystemModel) -> ShortfallResult:
        n = acc.samples
        dt = acc.step_h
        demand = system.regions.load_mw.sum() * dt
        r_demand = system.regions.load_mw.sum(axis=1) * dt
        regions = {}
        for i, name in enumerate(system.regions.names):
            rd = r_demand[i] if r_demand[i] > 0 else math.nan
            regions[name] = RegionShortfall(
                lolh_h=Estimate.of(acc.r_lolp[:, i] * dt),
                lole_d=Estimate.of(acc.r_lold[:, i]),
                eue_mwh=Estimate.of(acc.r_eue[:, i]),
                neue_ppm=Estimate.of(acc.r_eue[:, i] / rd * 1e6),
            )
        lolp = acc.short_t / n
        lolp_se = np.sqrt(lolp * (1 - lolp) / max(n - 1, 1))
        if acc.eue_t is not None:
            eue, eue_se = _fixed_mean_se(acc.eue_t, acc.eue_sq_t, n)
            r_lolp = acc.short_rt / n
            r_eue, r_eue_se = _fixed_mean_se(acc.eue_rt, acc.eue_sq_rt, n)
        else:  # a run that kept the system's LOLP by period only (periods="lolp")
            eue = eue_se = r_lolp = r_eue = r_eue_se = None
        return ShortfallResult(
            samples=n,
            periods=system.n_periods,
            step_h=dt,
            lolh_h=Estimate.of(acc.lolp * dt),
            lole_d=Estimate.of(acc.lold),
            lole_peak_d=Estimate.of(acc.lold_peak),
            eue_mwh=Estimate.of(acc.eue),
            neue_ppm=Estimate.of(acc.eue / demand * 1e6) if demand > 0 else Estimate(math.nan, math.nan),
            events=Estimate.of(acc.events),
            regions=regions,
            period=_period_dataset(system, lolp, lolp_se, eue, eue_se, r_lolp, r_eue, r_eue_se),
        )

    def finalize_exact(self, exact, system: SystemModel) -> ShortfallResult:
        """The result of an exact method (:class:`~gigawatt.methods.convolution.ExactShortfall`).

        Event-day LOLE and the number of events depend on chronology and are NaN.
        """
        lolp, eue = exact.lolp, exact.eue_mwh
        dt = system.timeaxis.step_h
        T = system.n_periods
        demand = system.regions.load_mw[0].sum() * dt
        nan = Estimate(math.nan, math.nan)
        region = RegionShortfall(Estimate.exact(lolp.sum() * dt), nan, Estimate.exact(eue.sum()),
                                 Estimate.exact(eue.sum() / demand * 1e6 if demand > 0 else math.nan))
        zeros = np.zeros(T)
        period = _period_dataset(system, lolp, zeros, eue, zeros, lolp[None, :], eue[None, :], zeros[None, :])
        return ShortfallResult(
            samples=0, periods=T, step_h=dt,
            lolh_h=region.lolh_h, lole_d=nan, lole_peak_d=Estimate.exact(exact.peak_lolp_d),
            eue_mwh=region.eue_mwh, neue_ppm=region.neue_ppm, events=nan,
            regions={system.regions.names[0]: region}, period=period,
        )


@dataclass(frozen=True)
class ShortfallSamples(ResultSpec):
    """Per-sample totals (opt-in): hours, days and unserved energy of each sample and region."""

    def finalize(self, acc: Accumulators, system: SystemModel) -> xr.Dataset:
        dt = acc.step_h
        sample = np.arange(acc.sample0, acc.sample0 + acc.samples)
        regions = list(system.regions.names)
        return xr.Dataset(
            {
                "lolh_h": (("sample",), acc.lolp * dt),
                "lole_d": (("sample",), acc.lold),
                "eue_mwh": (("sample",), acc.eue),
                "events": (("sample",), acc.events),
                "region_lolh_h": (("sample", "region"), acc.r_lolp * dt),
                "region_eue_mwh": (("sample", "region"), acc.r_eue),
            },
            coords={"sample": sample, "region": regions},
        )


# ------------------------------------------------------------------------------------ events
@dataclass(frozen=True)
class EventStatsResult:
    """Distributions of shortfall events (runs of consecutive short periods).

    ``duration_periods`` counts events by length in periods (last bin: that many or more);
    ``depth_mw`` and ``energy_mwh`` count events by peak unserved power and by energy in
    log-spaced bins (10 per decade from 1e-3), ``bin_edges`` giving the lower edges.
    Counts are per horizon (divided by the number of samples).
    """

    events_per_horizon: Estimate
    duration: xr.DataArray
    depth: xr.DataArray
    energy: xr.DataArray

    def mean_duration_h(self) -> float:
        d = self.duration
        total = float(d.sum())
        return float((d * d["duration_h"]).sum() / total) if total > 0 else math.nan

    def to_dict(self) -> dict:
        return {"events": self.events_per_horizon.to_dict(), "mean_duration_h": self.mean_duration_h()}


def log_bin_edges() -> np.ndarray:
    """Lower edges of the event depth/energy bins (bin 0 holds everything up to 1e-3)."""
    edges = np.zeros(K.N_LOG_BINS)
    edges[1:] = 1e-3 * 10 ** ((np.arange(1, K.N_LOG_BINS) - 1) / 10.0)
    return edges


@dataclass(frozen=True)
class EventStats(ResultSpec):
    """Counts of shortfall events by duration, depth and energy."""

    def finalize(self, acc: Accumulators, system: SystemModel) -> EventStatsResult:
        n = acc.samples
        dt = acc.step_h
        dur = xr.DataArray(acc.dur_hist / n, dims=("duration_periods",),
                           coords={"duration_periods": np.arange(acc.dur_hist.shape[0]),
                                   "duration_h": ("duration_periods", np.arange(acc.dur_hist.shape[0]) * dt)})
        edges = log_bin_edges()
        depth = xr.DataArray(acc.depth_hist / n, dims=("depth_bin",), coords={"depth_mw_from": ("depth_bin", edges)})
        energy = xr.DataArray(acc.energy_hist / n, dims=("energy_bin",),
                              coords={"energy_mwh_from": ("energy_bin", edges)})
        return EventStatsResult(Estimate.of(acc.events), dur, depth, energy)


# ------------------------------------------------------------------------- dense (per period)
@dataclass(frozen=True)
class Surplus(ResultSpec):
    """Mean unused generation by region and period [MW]."""

    dense = True

    def finalize(self, acc, system) -> xr.DataArray:
        return xr.DataArray(acc.surplus_rt * K.FIXED_RES / acc.samples, dims=("region", "time"),
                            coords={"region": list(system.regions.names),
                                    "time": system.timeaxis.timestamps.tz_localize(None)}, name="surplus_mw")


@dataclass(frozen=True)
class Flow(ResultSpec):
    """Mean net interface flow (from -> to) by period [MW] and mean utilisation (|flow| / limit)."""

    dense = True

    def finalize(self, acc, system) -> xr.Dataset:
        itf = system.interfaces
        names = [f"{a}->{b}" for a, b in zip(itf.regions_from, itf.regions_to)]
        flow = acc.flow_it * K.FIXED_RES / acc.samples
        lim = np.where(flow >= 0, itf.forward_mw, itf.backward_mw)
        with np.errstate(divide="ignore", invalid="ignore"):
            util = np.where(lim > 0, np.abs(flow) / lim, 0.0)
        coords = {"interface": names, "time": system.timeaxis.timestamps.tz_localize(None)}
        return xr.Dataset({"flow_mw": (("interface", "time"), flow),
                           "utilization": (("interface", "time"), util)}, coords=coords)


@dataclass(frozen=True)
class StorageEnergy(ResultSpec):
    """Mean state of charge of each storage and generator-storage by period [MWh]."""

    dense = True

    def finalize(self, acc, system) -> xr.Dataset:
        t = system.timeaxis.timestamps.tz_localize(None)
        return xr.Dataset(
            {
                "storage_energy_mwh": (("storage", "time"), acc.st_energy * K.FIXED_RES / acc.samples),
                "genstor_energy_mwh": (("generatorstorage", "time"), acc.gs_energy * K.FIXED_RES / acc.samples),
            },
            coords={"storage": list(system.storages.names),
                    "generatorstorage": list(system.generatorstorages.names), "time": t},
        )
