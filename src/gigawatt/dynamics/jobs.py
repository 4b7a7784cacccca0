"""Training jobs: parameters, failure rates and seeded event schedules.

A job's life is a sequence of *segments* (ramp-up, running, checkpoint stall,
down after a failure, ramp-down, off). The schedule is drawn once per job from
its own random stream, keyed by ``(seed, job index)``, so a trace does not
depend on the time step, on chunking, or on the other jobs. The power of each
segment is rendered later by :mod:`gigawatt.dynamics.trace`.

Segment kinds (``int8``): ``OFF`` 0, ``RAMP_UP`` 1, ``RUN`` 2, ``CHECKPOINT`` 3,
``DOWN`` 4, ``RAMP_DOWN`` 5.

References
----------
.. [1] A. Kokolis et al., "Revisiting Reliability in Large-Scale Machine Learning
   Research Clusters", arXiv:2410.21680, 2024 (Meta RSC MTTF by job size).
.. [2] A. Grattafiori et al., "The Llama 3 Herd of Models", arXiv:2407.21783, 2024.
.. [3] Microsoft, OpenAI, NVIDIA, "Power Stabilization for AI Training
   Datacenters", arXiv:2508.14318, 2025.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gigawatt.datacenter.failures import MTTF_TABLE_GPUS, MTTF_TABLE_S, job_mttf_s  # noqa: F401
from gigawatt.dynamics import _validate as v
from gigawatt.errors import InputError

OFF, RAMP_UP, RUN, CHECKPOINT, DOWN, RAMP_DOWN = 0, 1, 2, 3, 4, 5
SEGMENT_NAMES = ("off", "ramp_up", "run", "checkpoint", "down", "ramp_down")

@dataclass(frozen=True)
class JobSpec:
    """One synchronous training job.

    Parameters
    ----------
    n_gpus : int
        GPUs in the job [-].
    step_period_s : float
        Length of one training step (compute then communication) [s].
        Default 4 s; source: sources.md F4, swings every ~1-10 s [3]_.
    communication_share : float
        Share of each step spent in communication (low power) [fraction].
        Default 0.3 [est].
    compute_power_fraction : float
        GPU power while computing [fraction of TDP]. Default 0.9; source: sources.md
        F4, compute "near TDP" [3]_; DGX H100 measured peak ~8.4 of 10.2 kW.
    communication_power_fraction : float
        GPU power while communicating [fraction of TDP]. Default 0.3 [est]
        (sources.md F4: "near idle").
    phase_s : float or None
        Start of the compute phase relative to t = 0 [s], kept after every restart
        (jobs with the same period and phase swing in phase). ``None`` draws a new
        random phase at every (re)start (jobs drift out of phase).
    checkpoint_interval_s : float
        Running time between checkpoints [s]. Default 1800 s [est].
    checkpoint_stall_s : float
        GPUs near idle while a checkpoint is written [s]. Default 6 s; source:
        sources.md F4, asynchronous checkpoint stall ~6 s (synchronous ~150 s).
    mttf_s : float or None
        Mean time between unexpected interruptions [s]; ``None`` uses
        :func:`job_mttf_s` of ``n_gpus`` (sources.md F4, Meta RSC [1]_).
    restart_s : float
        Time down after a failure before the job ramps up again [s]. Default
        600 s; source: sources.md F4, restart ~10-20 min conventional (~20 s best).
    ramp_up_s, ramp_down_s : float
        Linear ramp between idle and the training pattern at (re)start and at the
        scheduled stop [s]. Default 10 s [est].
    start_s, stop_s : float
        Scheduled start and stop [s from t = 0]; ``stop_s = inf`` runs to the end.
    failures : bool
        Draw unexpected interruptions (False: only checkpoints).
    """

    n_gpus: int
    step_period_s: float = 4.0
    communication_share: float = 0.3
    compute_power_fraction: float = 0.9
    communication_power_fraction: float = 0.3
    phase_s: float | None = 0.0
    checkpoint_interval_s: float = 1800.0
    checkpoint_stall_s: float = 6.0
    mttf_s: float | None = None
    restart_s: float = 600.0
    ramp_up_s: float = 10.0
    ramp_down_s: float = 10.0
    start_s: float = 0.0
    stop_s: float = math.inf
    failures: bool = True

    def __post_init__(self) -> None:
        if int(self.n_gpus) != self.n_gpus or self.n_gpus < 1:
            raise InputError(f"job n_gpus: expected a whole number >= 1, got {self.n_gpus!r}")
        v.positive("job step_period_s", self.step_period_s)
        v.fraction("job communication_share", self.communication_share)
        v.fraction("job compute_power_fraction", self.compute_power_fraction)
        v.fraction("job communication_power_fraction", self.communication_power_fraction)
        if self.phase_s is not None:
            v.finite("job phase_s", self.phase_s)
        v.positive("job checkpoint_interval_s", self.checkpoint_interval_s, allow_inf=True)
        v.non_negative("job checkpoint_stall_s", self.checkpoint_stall_s)
        if self.mttf_s is not None:
            v.positive("job mttf_s", self.mttf_s, allow_inf=True)
        v.non_negative("job restart_s", self.restart_s)
        v.non_negative("job ramp_up_s", self.ramp_up_s)
        v.non_negative("job ramp_down_s", self.ramp_down_s)
        v.non_negative("job start_s", self.start_s)
        v.non_negative("job stop_s", self.stop_s, allow_inf=True)
        if self.stop_s <= self.start_s:
            raise InputError(f"job stop_s: expected > start_s = {self.start_s}, got {self.stop_s}")

    @property
    def effective_mttf_s(self) -> float:
        """Mean time to failure used for this job [s]."""
        return job_mttf_s(self.n_gpus) if self.mttf_s is None else float(self.mttf_s)


@dataclass(frozen=True)
class Schedule:
    """Segments of every job, concatenated (CSR layout by job).

    Attributes
    ----------
    job_offsets : ndarray of int64, shape (n_jobs + 1,)
        Segments of job ``j`` are ``job_offsets[j]:job_offsets[j+1]``.
    start_s, end_s : ndarray of float64
        Segment start and end [s]; the last segment of each job ends at ``inf``.
    kind : ndarray of int8
        Segment kind (module constants).
    origin_s : ndarray of float64
        Start of a compute phase for the step pattern [s].
    n_failures, n_checkpoints : ndarray of int64, shape (n_jobs,)
        Events drawn per job.
    """

    job_offsets: np.ndarray
    start_s: np.ndarray
    end_s: np.ndarray
    kind: np.ndarray
    origin_s: np.ndarray
    n_failures: np.ndarray
    n_checkpoints: np.ndarray


def _job_segments(job: JobSpec, horizon_s: float, rng: np.random.Generator):
    """Segments of one job up to ``horizon_s`` (see :func:`draw_schedule`)."""
    starts: list[float] = []
    ends: list[float] = []
    kinds: list[int] = []
    origins: list[float] = []
    n_fail = 0
    n_ckpt = 0

    def add(a: float, b: float, k: int, o: float) -> None:
        if b > a:
            starts.append(a)
            ends.append(b)
            kinds.append(k)
            origins.append(o)

    period = job.step_period_s
    mttf = job.effective_mttf_s
    stop = min(job.stop_s, horizon_s)

    def next_fail(t: float) -> float:
        if not job.failures or math.isinf(mttf):
            return math.inf
        return t + rng.exponential(mttf)

    t = job.start_s
    add(0.0, t, OFF, 0.0)
    t_fail = next_fail(t)
    while t < stop:
        origin = job.phase_s if job.phase_s is not None else t + rng.uniform(0.0, period)
        e = min(t + job.ramp_up_s, t_fail, stop)
        add(t, e, RAMP_UP, origin)
        t = e
        if t < t_fail and t < stop:
            next_ckpt = t + job.checkpoint_interval_s
            while True:
                e = min(next_ckpt, t_fail, stop)
                add(t, e, RUN, origin)
                t = e
                if t >= t_fail or t >= stop:
                    break
                n_ckpt += 1
                e = min(t + job.checkpoint_stall_s, t_fail, stop)
                add(t, e, CHECKPOINT, origin)
                if job.phase_s is None:
                    origin += e - t  # the step pattern resumes where it paused
                t = e
                if t >= t_fail or t >= stop:
                    break
                next_ckpt = t + job.checkpoint_interval_s
        if t >= stop:
            break
        # failure: the whole job drops at once, then restarts
        n_fail += 1
        e = min(t + job.restart_s, stop)
        add(t, e, DOWN, 0.0)
        t = e
        t_fail = next_fail(t)
    if job.stop_s < horizon_s:
        add(stop, stop + job.ramp_down_s, RAMP_DOWN, origins[-1] if origins else 0.0)
        add(stop + job.ramp_down_s, math.inf, OFF, 0.0)
    else:
        add(max(stop, t), math.inf, OFF, 0.0)
    return starts, ends, kinds, origins, n_fail, n_ckpt


def draw_schedule(jobs: tuple[JobSpec, ...], horizon_s: float, seed: int) -> Schedule:
    """Draw the segment schedule of every job.

    Job ``j`` uses the random stream ``SeedSequence(seed).spawn(n_jobs)[j]``: results
    are reproducible for a seed and independent of the time step and chunking.
    Failures are a Poisson process in up-time with rate ``1 / mttf_s``.

    Parameters
    ----------
    jobs : tuple of JobSpec
        The jobs.
    horizon_s : float
        Simulated time [s]; events are drawn up to it.
    seed : int
        Seed of the random streams.

    Returns
    -------
    Schedule
    """
    v.positive("horizon_s", horizon_s)
    if int(seed) != seed or seed < 0:
        raise InputError(f"seed: expected a whole number >= 0, got {seed!r}")
    streams = np.random.SeedSequence(int(seed)).spawn(len(jobs))
    offsets = [0]
    cols: list[list] = [[], [], [], []]
    n_fail, n_ckpt = [], []
    for job, ss in zip(jobs, streams):
        s, e, k, o, nf, nc = _job_segments(job, horizon_s, np.random.default_rng(ss))
        for c, x in zip(cols, (s, e, k, o)):
            c.extend(x)
        offsets.append(offsets[-1] + len(s))
        n_fail.append(nf)
        n_ckpt.append(nc)
    return Schedule(
        job_offsets=np.asarray(offsets, dtype=np.int64),
        start_s=np.asarray(cols[0], dtype=np.float64),
        end_s=np.asarray(cols[1], dtype=np.float64),
        kind=np.asarray(cols[2], dtype=np.int8),
        origin_s=np.asarray(cols[3], dtype=np.float64),
        n_failures=np.asarray(n_fail, dtype=np.int64),
        n_checkpoints=np.asarray(n_ckpt, dtype=np.int64),
    )
