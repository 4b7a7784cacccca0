"""Sub-second power traces of an AI training site.

The IT power of a site is the sum over its jobs of GPU power (a square wave
between compute and communication levels, with checkpoint stalls, failures,
restarts and start/stop ramps drawn by :mod:`gigawatt.dynamics.jobs`) plus the
idle power of unallocated GPUs and a constant non-GPU IT load. GPU-level
smoothing (power floor, filler work, ramp limits; :class:`GpuSmoothing`) is
applied per job inside the numba kernel. Facility power adds cooling that
follows IT power through a first-order lag: ``P_fac = P_IT + (PUE - 1) P_IT,lag``.

Each output value is the *average* power over its interval ``[t, t + dt)``; the
square wave is integrated exactly, so coarse steps do not alias the swing.

References
----------
.. [1] Microsoft, OpenAI, NVIDIA, "Power Stabilization for AI Training
   Datacenters", arXiv:2508.14318, 2025.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numba
import numpy as np
from scipy.signal import lfilter

from gigawatt.dynamics import _validate as v
from gigawatt.dynamics.jobs import (
    OFF,
    RAMP_DOWN,
    RAMP_UP,
    RUN,
    JobSpec,
    Schedule,
    draw_schedule,
)
from gigawatt.dynamics.smoothing import THROUGHPUT_CAP_FRACTION, THROUGHPUT_RELATIVE, GpuSmoothing
from gigawatt.errors import InputError

# source: sources.md F4, GB200 board power 1,200 W.
GB200_TDP_W = 1200.0
# source: sources.md F4, Colossus 2 ~1 GW / ~550k GB200/GB300 -> ~1.8 kW facility per GPU;
# with PUE 1.2 that is 1.5 kW IT per GPU, 1.2 kW of it the GPU -> 0.3 kW other IT [derived].
GB200_OTHER_IT_W = 300.0
# source: sources.md F4, liquid-cooled AI halls PUE ~1.1-1.2.
AI_HALL_PUE = 1.2


@dataclass(frozen=True)
class SiteSpec:
    """An AI training site.

    Parameters
    ----------
    jobs : tuple of JobSpec
        Training jobs; their GPUs must fit in ``n_gpus``.
    n_gpus : int
        GPUs installed [-]; GPUs in no job draw idle power.
    gpu_tdp_w : float
        GPU board power [W]. Default GB200 1,200 W (sources.md F4).
    idle_power_fraction : float
        GPU power when idle, stalled or restarting [fraction of TDP]. Default 0.15 [est].
    other_it_w_per_gpu : float
        CPU, NIC, storage and network power per GPU, taken as constant [W].
        Default 300 W (derived from sources.md F4, see ``GB200_OTHER_IT_W``).
    pue : float
        Power usage effectiveness [-], >= 1. Default 1.2 (sources.md F4).
    cooling_time_constant_s : float
        Time constant of cooling power following IT power [s]; 0 = no lag.
        Default 60 s [est] (sources.md F4 gives the lag, not its size).
    """

    jobs: tuple[JobSpec, ...]
    n_gpus: int
    gpu_tdp_w: float = GB200_TDP_W
    idle_power_fraction: float = 0.15
    other_it_w_per_gpu: float = GB200_OTHER_IT_W
    pue: float = AI_HALL_PUE
    cooling_time_constant_s: float = 60.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "jobs", tuple(self.jobs))
        if not self.jobs:
            raise InputError("site jobs: expected at least one JobSpec")
        if int(self.n_gpus) != self.n_gpus or self.n_gpus < 1:
            raise InputError(f"site n_gpus: expected a whole number >= 1, got {self.n_gpus!r}")
        used = sum(j.n_gpus for j in self.jobs)
        if used > self.n_gpus:
            raise InputError(f"site n_gpus: jobs use {used} GPUs but the site has {self.n_gpus}")
        v.positive("site gpu_tdp_w", self.gpu_tdp_w)
        v.fraction("site idle_power_fraction", self.idle_power_fraction)
        v.non_negative("site other_it_w_per_gpu", self.other_it_w_per_gpu)
        if v.finite("site pue", self.pue) < 1.0:
            raise InputError(f"site pue: expected a number >= 1, got {self.pue!r}")
        v.non_negative("site cooling_time_constant_s", self.cooling_time_constant_s)

    @property
    def peak_it_mw(self) -> float:
        """IT power with every job computing [MW]."""
        w = sum(j.n_gpus * j.compute_power_fraction for j in self.jobs) * self.gpu_tdp_w
        idle = (self.n_gpus - sum(j.n_gpus for j in self.jobs)) * self.idle_power_fraction
        return (w + idle * self.gpu_tdp_w + self.n_gpus * self.other_it_w_per_gpu) * 1e-6


def colossus_like_site(n_gpus: int = 550_000, n_jobs: int = 8, *, in_phase: bool = True,
                       step_period_s: float = 4.0, **job_kw) -> SiteSpec:
    """A ~1 GW site like Colossus 2: ``n_gpus`` GB200s split evenly into jobs.

    Source: sources.md F1, Colossus 2 ~550k GB200/GB300, ~1 GW. ``in_phase`` gives
    every job phase 0 (worst case); otherwise each (re)start draws a random phase.
    Extra keywords go to every :class:`JobSpec`.
    """
    if int(n_jobs) != n_jobs or n_jobs < 1:
        raise InputError(f"n_jobs: expected a whole number >= 1, got {n_jobs!r}")
    per = int(n_gpus) // int(n_jobs)
    phase = 0.0 if in_phase else None
    jobs = tuple(JobSpec(n_gpus=per, step_period_s=step_period_s, phase_s=phase, **job_kw)
                 for _ in range(int(n_jobs)))
    return SiteSpec(jobs=jobs, n_gpus=int(n_gpus))


@numba.njit(cache=True, inline="always")
def _compute_time(t, origin, period, compute_len):
    """Time spent computing in [origin, t] of a periodic pattern [s] (t may be < origin)."""
    u = (t - origin) / period
    k = math.floor(u)
    x = (u - k) * period
    return k * compute_len + min(x, compute_len)


@numba.njit(cache=True)
def _ramp_integral(a, b, s, dur, down, origin, period, compute_len, hi, lo, idle):
    """Exact integral over [a, b] of ``idle + env(t) (pattern(t) - idle)`` and of ``env``.

    ``env`` rises linearly from 0 at ``s`` to 1 at ``s + dur`` (falls, if ``down``);
    the pattern is ``hi`` in compute phases and ``lo`` in communication phases.
    """
    if dur <= 0.0:
        # a zero-length ramp is a step to the pattern (up) or to idle (down)
        if down:
            return (b - a) * idle, 0.0
        ct = (_compute_time(b, origin, period, compute_len)
              - _compute_time(a, origin, period, compute_len))
        return ct * hi + (b - a - ct) * lo, b - a
    total = 0.0
    env_total = 0.0
    u = a
    while u < b:
        ph = (u - origin) - math.floor((u - origin) / period) * period
        if ph < compute_len:
            level = hi
            nxt = u + (compute_len - ph)
        else:
            level = lo
            nxt = u + (period - ph)
        if nxt <= u:
            nxt = u + 1e-9 * period
        y = min(nxt, b)
        # integral of (t - s) / dur over [u, y]
        m = ((y - s) ** 2 - (u - s) ** 2) / (2.0 * dur)
        env_int = (y - u) - m if down else m
        total += (y - u) * idle + (level - idle) * env_int
        env_total += env_int
        u = y
    return total, env_total


@numba.njit(cache=True)
def _render_kernel(seg_off, seg_start, seg_end, seg_kind, seg_origin,
                   n_gpus, period, comm_share, hi, lo, idle_alloc, idle_off,
                   ramp_up_s, ramp_down_s, t0, dt, n,
                   rup_frac_s, rdn_frac_s, last_frac, thr_x, thr_y, out_w, stats):
    """Add each job's GPU power [W] over steps [t0 + i dt, t0 + (i+1) dt) to ``out_w``.

    ``last_frac`` (per job) carries the ramp limiter across chunks. ``stats`` gets
    [lost GPU-seconds of work from ramp-up limits, running GPU-seconds].
    """
    n_jobs = seg_off.size - 1
    for j in range(n_jobs):
        a0 = seg_off[j]
        a1 = seg_off[j + 1]
        # first segment that ends after t0
        k = a0
        while k < a1 - 1 and seg_end[k] <= t0:
            k += 1
        T = period[j]
        c_len = (1.0 - comm_share[j]) * T
        prev = last_frac[j]
        for i in range(n):
            ta = t0 + i * dt
            tb = ta + dt
            acc = 0.0
            run_time = 0.0
            kk = k
            while kk < a1 and seg_start[kk] < tb:
                a = max(seg_start[kk], ta)
                b = min(seg_end[kk], tb)
                if b > a:
                    kind = seg_kind[kk]
                    if kind == RUN:
                        ct = (_compute_time(b, seg_origin[kk], T, c_len)
                              - _compute_time(a, seg_origin[kk], T, c_len))
                        acc += ct * hi[j] + (b - a - ct) * lo[j]
                        run_time += b - a
                    elif kind == RAMP_UP or kind == RAMP_DOWN:
                        dur = ramp_up_s[j] if kind == RAMP_UP else ramp_down_s[j]
                        e_int, r_int = _ramp_integral(a, b, seg_start[kk], dur, kind == RAMP_DOWN,
                                                      seg_origin[kk], T, c_len, hi[j], lo[j],
                                                      idle_alloc[j])
                        acc += e_int
                        run_time += r_int
                    elif kind == OFF:
                        acc += (b - a) * idle_off[j]
                    else:  # CHECKPOINT, DOWN
                        acc += (b - a) * idle_alloc[j]
                if seg_end[kk] <= tb:
                    k = kk + 1 if kk + 1 < a1 else kk
                kk += 1
            want = acc / dt
            frac = min(max(want, prev - rdn_frac_s * dt), prev + rup_frac_s * dt)
            if frac < want and run_time > 0.0:
                r = np.interp(frac, thr_x, thr_y) / max(np.interp(want, thr_x, thr_y), 1e-12)
                stats[0] += n_gpus[j] * run_time * (1.0 - r)
            stats[1] += n_gpus[j] * run_time
            out_w[i] += n_gpus[j] * frac
            prev = frac
        last_frac[j] = prev


def _job_arrays(site: SiteSpec, smoothing: GpuSmoothing):
    jobs = site.jobs
    floor = smoothing.power_floor_fraction
    filler = smoothing.filler_power_fraction
    idle = site.idle_power_fraction
    f = lambda xs: np.asarray(xs, dtype=np.float64)  # noqa: E731
    return dict(
        n_gpus=f([j.n_gpus for j in jobs]),
        period=f([j.step_period_s for j in jobs]),
        comm_share=f([j.communication_share for j in jobs]),
        hi=f([max(j.compute_power_fraction, floor) for j in jobs]),
        lo=f([max(j.communication_power_fraction, floor, filler) for j in jobs]),
        idle_alloc=f([max(idle, floor)] * len(jobs)),
        idle_off=f([idle] * len(jobs)),
        ramp_up_s=f([j.ramp_up_s for j in jobs]),
        ramp_down_s=f([j.ramp_down_s for j in jobs]),
    )


class SitePowerStream:
    """Stream a site's IT and facility power in chunks.

    Iterating yields ``(first_step, it_mw, facility_mw)``: the index of the chunk's
    first step and the average powers over each step [MW]. After iteration,
    ``lost_gpu_s`` and ``running_gpu_s`` hold the work lost to GPU ramp-up limits
    and the running GPU time [GPU-s].

    Parameters
    ----------
    site : SiteSpec
        The site.
    duration_s : float
        Simulated time [s]; ``round(duration_s / dt_s)`` steps.
    dt_s : float
        Time step [s] (e.g. 0.01-1).
    seed : int
        Seed of the job schedules (reproducible; independent of ``dt_s`` and chunking).
    smoothing : GpuSmoothing, optional
        GPU-level power floor, filler and ramp limits; default none.
    chunk_steps : int
        Steps per chunk (bounds memory).
    schedule : Schedule, optional
        A schedule from :func:`gigawatt.dynamics.jobs.draw_schedule` to reuse.
    """

    def __init__(self, site: SiteSpec, duration_s: float, dt_s: float, *, seed: int = 0,
                 smoothing: GpuSmoothing | None = None, chunk_steps: int = 1 << 20,
                 schedule: Schedule | None = None) -> None:
        self.site = site
        self.smoothing = smoothing or GpuSmoothing()
        self.dt_s = v.positive("dt_s", dt_s)
        v.positive("duration_s", duration_s)
        if int(chunk_steps) != chunk_steps or chunk_steps < 1:
            raise InputError(f"chunk_steps: expected a whole number >= 1, got {chunk_steps!r}")
        self.chunk_steps = int(chunk_steps)
        self.n_steps = int(round(duration_s / dt_s))
        if self.n_steps < 1:
            raise InputError(f"duration_s: expected at least one step of dt_s = {dt_s}, "
                             f"got {duration_s}")
        self.schedule = schedule if schedule is not None else draw_schedule(site.jobs, duration_s,
                                                                            seed)
        self.lost_gpu_s = 0.0
        self.running_gpu_s = 0.0

    def __iter__(self) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
        site, sched, dt_s = self.site, self.schedule, self.dt_s
        arr = _job_arrays(site, self.smoothing)
        tdp = site.gpu_tdp_w
        rup = self.smoothing.ramp_up_w_per_s / tdp
        rdn = self.smoothing.ramp_down_w_per_s / tdp
        free = site.n_gpus - sum(j.n_gpus for j in site.jobs)
        base_w = free * site.idle_power_fraction * tdp + site.n_gpus * site.other_it_w_per_gpu
        last_frac = _initial_frac(sched, arr)
        tau = site.cooling_time_constant_s
        alpha = 1.0 if tau == 0 else -math.expm1(-dt_s / tau)
        stats = np.zeros(2)
        lag_state = math.nan
        i0 = 0
        while i0 < self.n_steps:
            n = min(self.chunk_steps, self.n_steps - i0)
            frac_sum = np.zeros(n)
            _render_kernel(sched.job_offsets, sched.start_s, sched.end_s, sched.kind,
                           sched.origin_s, arr["n_gpus"], arr["period"], arr["comm_share"],
                           arr["hi"], arr["lo"], arr["idle_alloc"], arr["idle_off"],
                           arr["ramp_up_s"], arr["ramp_down_s"], i0 * dt_s, dt_s, n, rup, rdn,
                           last_frac, THROUGHPUT_CAP_FRACTION, THROUGHPUT_RELATIVE, frac_sum,
                           stats)
            it_mw = (frac_sum * tdp + base_w) * 1e-6
            if math.isnan(lag_state):
                lag_state = float(it_mw[0])  # start with cooling in equilibrium
            lag, _ = lfilter([alpha], [1.0, alpha - 1.0], it_mw, zi=[(1.0 - alpha) * lag_state])
            lag_state = float(lag[-1])
            fac_mw = it_mw + (site.pue - 1.0) * lag
            self.lost_gpu_s, self.running_gpu_s = float(stats[0]), float(stats[1])
            yield i0, it_mw, fac_mw
            i0 += n


def _initial_frac(sched: Schedule, arr: dict) -> np.ndarray:
    """GPU power fraction of each job just before t = 0 (idle or off)."""
    out = np.empty(sched.job_offsets.size - 1)
    for j in range(out.size):
        first = sched.kind[sched.job_offsets[j]]
        out[j] = arr["idle_off"][j] if first == OFF else arr["idle_alloc"][j]
    return out


@dataclass(frozen=True)
class SiteTrace:
    """A site power trace held in memory.

    Attributes
    ----------
    dt_s : float
        Time step [s]; value ``i`` is the average over ``[i dt, (i+1) dt)``.
    it_mw, facility_mw : ndarray
        IT and facility (grid-side, before any battery) power [MW].
    schedule : Schedule
        The job events behind the trace.
    lost_work_fraction : float
        Share of running GPU time lost to GPU ramp-up limits [fraction].
    """

    dt_s: float
    it_mw: np.ndarray
    facility_mw: np.ndarray
    schedule: Schedule
    lost_work_fraction: float

    @property
    def time_s(self) -> np.ndarray:
        """Start of each interval [s]."""
        return np.arange(self.it_mw.size) * self.dt_s


def site_power(site: SiteSpec, duration_s: float, dt_s: float, *, seed: int = 0,
               smoothing: GpuSmoothing | None = None,
               chunk_steps: int = 1 << 20) -> SiteTrace:
    """Whole trace of a site in memory (parameters as :class:`SitePowerStream`)."""
    stream = SitePowerStream(site, duration_s, dt_s, seed=seed, smoothing=smoothing,
                             chunk_steps=chunk_steps)
    its, facs = [], []
    for _, it, fac in stream:
        its.append(it)
        facs.append(fac)
    run = stream.running_gpu_s
    lost = stream.lost_gpu_s / run if run > 0 else 0.0
    return SiteTrace(dt_s=float(dt_s), it_mw=np.concatenate(its), facility_mw=np.concatenate(facs),
                     schedule=stream.schedule, lost_work_fraction=lost)


__all__ = ["SiteSpec", "SiteTrace", "colossus_like_site", "SitePowerStream", "site_power",
           "GB200_TDP_W", "AI_HALL_PUE", "GB200_OTHER_IT_W"]
