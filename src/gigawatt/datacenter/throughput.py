"""Workloads, throughput under power caps, and the cheapest way to cut site power.

Levers (sources.md F4; Emerald AI field demonstration, Phoenix 2025):

* **Power cap** at ``p = cap / TDP``: GPU power of the capped jobs falls to ``p`` times
  its uncapped value; non-GPU IT power and cooling stay. Throughput follows a
  piecewise-linear curve ``f(p)`` (central, conservative or optimistic band).
* **Pause** (checkpoint and stop): the job's GPU and non-GPU IT power and its cooling
  (its share of facility power) are saved; the job loses the window, plus the
  checkpoint stall and the restart time.

Cost of a reduction of ``dP`` MW held for ``D`` h, per GPU of a job class with GPU power
``g`` MW (uncapped, at the current profile) and facility power ``e`` MW:

* cap to ``p``: saves ``g (1 - p)``; loses ``D (1 - f(p))`` GPU-hours;
* pause: saves ``e``; loses ``D + checkpoint_h + restart_h`` GPU-hours.

Within a class the GPUs can be split between caps and pausing, so the class's
frontier is the lower convex hull of these points; across classes the hull segments
are taken in order of GPU-hours lost per MW, weighted by the class's value. This is the
optimum of the linear programme (a fractional-knapsack argument).

References
----------
.. [1] J. You, J.-W. Chung, M. Chowdhury, "Zeus: Understanding and Optimizing GPU
   Energy Consumption of DNN Training", NSDI 2023.
.. [2] J.-W. Chung et al., "Perseus: Reducing Energy Bloat in Large Model Training", SOSP 2024.
.. [3] Emerald AI, Oracle, NVIDIA, SRP, field demonstration, Phoenix, May 2025
   (256 GPUs, 25 % power cut for 3 h; flexibility tiers 0/10/25/50 % average slowdown).
.. [4] A. Kokolis et al., "Revisiting Reliability in Large-Scale Machine Learning
   Research Clusters", arXiv:2410.21680, 2024.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from gigawatt.datacenter import _validate as v
from gigawatt.datacenter.power import SitePower
from gigawatt.datacenter.failures import job_mttf_s
from gigawatt.errors import InputError

# source: sources.md F4, central throughput-vs-cap curve (Zeus, Perseus, Emerald AI synthesis)
CAP_POINTS = np.array([0.25, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0])
CENTRAL = np.array([0.20, 0.50, 0.65, 0.79, 0.87, 0.93, 0.97, 1.00])
# source: sources.md F4, conservative band (LLM pre-training) 0.9..0.5; below p = 0.5 it is our
# extension: the central curve scaled by 0.63/0.65 (the conservative/central ratio at p = 0.5).
CONSERVATIVE = np.array([0.20 * 0.63 / 0.65, 0.50 * 0.63 / 0.65, 0.63, 0.76, 0.83, 0.89, 0.94, 1.00])
# Optimistic band, defined here (assumption): memory- or communication-bound work
# (inference decode, small fine-tuning) loses about half the central loss at each cap,
# f_opt(p) = 1 - (1 - f_central(p)) / 2.
OPTIMISTIC = 1.0 - (1.0 - CENTRAL) / 2.0
CURVES = {"central": CENTRAL, "conservative": CONSERVATIVE, "optimistic": OPTIMISTIC}

#: lowest power cap on the curve [fraction of TDP]; deeper cuts are done by pausing
MIN_CAP = 0.25  # source: sources.md F4, lowest point of the curve; GB200/GB300 floor configurable 20-90 %


def throughput_at_cap(p, curve: str = "central"):
    """Relative throughput at power cap ``p`` [fraction of TDP] (1 at ``p = 1``).

    Piecewise linear through the points of ``curve`` (``central``, ``conservative`` or
    ``optimistic``); ``p`` is clipped to [:data:`MIN_CAP`, 1].
    """
    v.one_of("curve", curve, CURVES)
    return np.interp(np.clip(p, MIN_CAP, 1.0), CAP_POINTS, CURVES[curve])


@dataclass(frozen=True)
class JobClass:
    """A class of jobs on a site with its flexibility tier.

    Parameters
    ----------
    name : str
    gpu_share : float
        Share of the site's GPUs running this class [fraction].
    max_slowdown : float
        Largest loss of throughput over a curtailment window the class accepts
        [fraction]; Emerald AI tiers 0, 0.10, 0.25, 0.50 [3].
    max_pause_h : float
        Longest pause the class accepts [h] (0: never paused).
    curve : str
        Throughput-vs-cap curve (``central``, ``conservative``, ``optimistic``).
    checkpoint_h : float
        Checkpoint stall before a pause [h]. Default 150 s (synchronous checkpoint).
    restart_h : float
        Restart time after a pause [h]. Default 15 min (10-20 min conventional).
    value_weight : float
        Cost of one GPU-hour of this class relative to pre-training [-].
    """

    name: str
    gpu_share: float
    max_slowdown: float
    max_pause_h: float
    curve: str = "central"
    checkpoint_h: float = 150.0 / 3600.0  # source: sources.md F4, synchronous checkpoint stall ~150 s
    restart_h: float = 0.25  # source: sources.md F4, restart ~10-20 min conventional
    value_weight: float = 1.0

    def __post_init__(self):
        v.fraction("gpu_share", self.gpu_share)
        v.fraction("max_slowdown", self.max_slowdown)
        v.non_negative("max_pause_h", self.max_pause_h, allow_inf=True)
        v.one_of("curve", self.curve, CURVES)
        v.non_negative("checkpoint_h", self.checkpoint_h)
        v.non_negative("restart_h", self.restart_h)
        v.positive("value_weight", self.value_weight)


def default_job_classes() -> tuple:
    """Pre-training 70 % (tier 25 %, pauses up to 4 h), fine-tuning 10 % (tier 50 %, any pause),
    inference 20 % (tier 10 %, never paused). Shares and pause limits are assumptions [est];
    tiers from the Emerald AI demonstration [3]."""
    return (
        JobClass("pre-training", 0.70, 0.25, 4.0, curve="conservative"),
        JobClass("fine-tuning", 0.10, 0.50, math.inf),
        JobClass("inference", 0.20, 0.10, 0.0, curve="optimistic", value_weight=3.0),
    )


@dataclass(frozen=True)
class ClassPlan:
    """How one class delivers its part: ``cap`` on the capped GPUs, ``paused_share`` of its GPUs paused."""

    name: str
    cap: float
    capped_share: float
    paused_share: float
    reduction_mw: float
    gpu_hours_lost: float
    throughput_lost: float


@dataclass(frozen=True)
class ReductionPlan:
    """Cheapest delivery of a requested site power reduction.

    Attributes
    ----------
    requested_mw, delivered_mw : [MW]
    duration_h : [h]
    gpu_hours_lost : GPU-hours of work lost, incl. checkpoint and restart time [GPU-h]
    throughput_lost : work lost over the window as a share of the site's work [fraction]
    restarts : number of job-class pauses (each costs a checkpoint and a restart) [-]
    classes : per class :class:`ClassPlan`
    """

    requested_mw: float
    delivered_mw: float
    duration_h: float
    gpu_hours_lost: float
    throughput_lost: float
    restarts: int
    classes: tuple = field(repr=False)

    @property
    def feasible(self) -> bool:
        return self.delivered_mw >= self.requested_mw - 1e-9


def _class_frontier(site: SitePower, jc: JobClass, duration_h: float, profile: float):
    """Lower convex hull of (MW saved, weighted GPU-h lost) per GPU of the class, with the option at each vertex."""
    gpu_mw = site.gpu_mw(profile) / site.n_gpus
    fac_mw = float(site.facility_mw(profile)) / site.n_gpus
    pts = [(0.0, 0.0, ("cap", 1.0))]
    curve = CURVES[jc.curve]
    for p, f in zip(CAP_POINTS[::-1], curve[::-1]):
        if p < 1.0:
            pts.append((gpu_mw * (1 - p), duration_h * (1 - f), ("cap", float(p))))
    if jc.max_pause_h > 0 and duration_h <= jc.max_pause_h + 1e-12:
        pts.append((fac_mw, duration_h + jc.checkpoint_h + jc.restart_h, ("pause", 0.0)))
    pts.sort(key=lambda q: (q[0], q[1]))
    hull = []
    for q in pts:  # lower hull, monotone chain
        while len(hull) >= 2:
            (x1, y1, _), (x2, y2, _) = hull[-2], hull[-1]
            if (x2 - x1) * (q[1] - y1) - (y2 - y1) * (q[0] - x1) <= 0:
                hull.pop()
            else:
                break
        hull.append(q)
    # the slowdown limit: GPU-h lost per GPU <= max_slowdown * D
    return hull, jc.max_slowdown * duration_h


def _cheapest_segments(site, jobs, duration_h, profile):
    """Frontier segments of all job classes, cheapest first, with each class's limit and GPU count.

    Each segment is ``(weighted cost per unit of reduction, class index, from-vertex, to-vertex)``.
    """
    segs = []
    limits = []
    for k, jc in enumerate(jobs):
        hull, ymax = _class_frontier(site, jc, duration_h, profile)
        limits.append(ymax)
        for a, b in zip(hull[:-1], hull[1:]):
            dx, dy = b[0] - a[0], b[1] - a[1]
            if dx > 0:
                segs.append((jc.value_weight * dy / dx, k, a, b))
    segs.sort(key=lambda s: (s[0], s[1]))
    return segs, limits, [site.n_gpus * jc.gpu_share for jc in jobs]


def cheapest_reduction(site: SitePower, jobs, reduction_mw: float, duration_h: float,
                       profile: float = 1.0) -> ReductionPlan:
    """Cheapest mix of caps and pauses that cuts site power by ``reduction_mw`` for ``duration_h``.

    Parameters
    ----------
    site : SitePower
    jobs : sequence of JobClass
        Their ``gpu_share`` must sum to at most 1 (the rest is not flexible).
    reduction_mw : float
        Requested cut of facility power [MW].
    duration_h : float
        Length of the window [h], > 0.
    profile : float
        Share of working power drawn before the cut [fraction].

    Returns
    -------
    ReductionPlan
        ``delivered_mw`` < ``requested_mw`` when the classes' tiers cannot deliver it.
    """
    v.non_negative("reduction_mw", reduction_mw)
    v.positive("duration_h", duration_h)
    jobs = tuple(jobs)
    if sum(j.gpu_share for j in jobs) > 1.0 + 1e-9:
        raise InputError("jobs: gpu_share values must sum to at most 1")
    segs, limits, n_cls = _cheapest_segments(site, jobs, duration_h, profile)
    used_y = [0.0] * len(jobs)  # GPU-h lost per GPU of the class so far
    at = [(0.0, 0.0, ("cap", 1.0)) for _ in jobs]
    frac_on = [None] * len(jobs)  # (vertex a, vertex b, t) the class sits on
    remaining = float(reduction_mw)
    for _, k, a, b in segs:
        if remaining <= 1e-12 or n_cls[k] == 0:
            break
        if at[k][:2] != a[:2]:
            continue  # an earlier segment of this class stopped part-way (limit): skip the rest
        dx, dy = b[0] - a[0], b[1] - a[1]
        whole = dx * n_cls[k]  # MW the whole segment gives (compared first: a tiny class must not overflow)
        t = 1.0 if remaining >= whole else remaining / whole
        if dy > 0:
            t = min(t, max(0.0, (limits[k] - used_y[k]) / dy))
        if t <= 0:
            continue
        remaining -= t * dx * n_cls[k]
        used_y[k] += t * dy
        frac_on[k] = (a, b, t)
        at[k] = b if t >= 1.0 else (a[0] + t * dx, a[1] + t * dy, None)
    plans = []
    total_lost = 0.0
    restarts = 0
    for k, jc in enumerate(jobs):
        x, y = at[k][0], at[k][1]
        cap, capped, paused = 1.0, 0.0, 0.0
        if frac_on[k] is not None:
            a, b, t = frac_on[k]
            (ka, pa), (kb, pb) = a[2], b[2]
            if kb == "pause":  # share t paused, the rest capped at a
                paused = t
                cap, capped = (pa, 1.0 - t) if pa < 1.0 else (1.0, 0.0)
            else:  # between two caps: the curve is linear there, so one cap in between
                cap, capped = (1 - t) * pa + t * pb, 1.0
        lost = y * n_cls[k]
        total_lost += lost
        restarts += int(paused > 0)
        plans.append(ClassPlan(jc.name, float(cap), float(capped), float(paused), float(x * n_cls[k]),
                               float(lost), float(y / duration_h) if n_cls[k] else 0.0))
    gpu_h_site = site.n_gpus * duration_h
    delivered = min(float(reduction_mw), sum(c.reduction_mw for c in plans))
    return ReductionPlan(float(reduction_mw), delivered, float(duration_h),
                         float(total_lost), float(total_lost / gpu_h_site), restarts, tuple(plans))


def max_reduction_mw(site: SitePower, jobs, duration_h: float, profile: float = 1.0) -> float:
    """Largest cut of facility power [MW] the classes' tiers allow for a window of ``duration_h``."""
    return cheapest_reduction(site, jobs, 1e12, duration_h, profile).delivered_mw


def background_failures(n_gpus: float, hours: float, restart_h: float = 0.25,
                        checkpoint_interval_h: float = 0.5) -> tuple[float, float]:
    """Expected interruptions and GPU-hours lost to failures of one job over ``hours``.

    Interruptions arrive at rate ``1 / MTTF(n_gpus)`` (Meta RSC fit, sources.md F4 [4]); each
    costs the restart time plus, on average, half a checkpoint interval of lost work.

    Returns
    -------
    interruptions : float [-]
    gpu_hours_lost : float [GPU-h]
    """
    v.positive("n_gpus", n_gpus)
    v.non_negative("hours", hours)
    mttf_h = job_mttf_s(n_gpus) / 3600.0
    k = hours / mttf_h
    return k, k * n_gpus * (restart_h + checkpoint_interval_h / 2.0)


def reduction_curve(site: SitePower, jobs, duration_h: float, profile: float = 1.0):
    """:func:`cheapest_reduction` as a function of the requested cut, for many cuts at once.

    The greedy fill does not depend on the request (it only stops earlier), so GPU-hours
    lost are piecewise linear in the cut and restarts piecewise constant, with a breakpoint
    at the end of each segment used.

    Returns
    -------
    callable
        ``f(reduction_mw array) -> (gpu_hours_lost, restarts, delivered_mw)`` arrays, equal to
        the fields of :func:`cheapest_reduction` for each request (to rounding).
    """
    v.positive("duration_h", duration_h)
    jobs = tuple(jobs)
    segs, limits, n_cls = _cheapest_segments(site, jobs, duration_h, profile)
    used_y = [0.0] * len(jobs)
    at = [(0.0, 0.0) for _ in jobs]
    xs, ys, slopes, pause = [0.0], [0.0], [], []
    for _, k, a, b in segs:
        if n_cls[k] == 0:
            break  # as cheapest_reduction does
        if at[k] != a[:2]:
            continue
        dx, dy = b[0] - a[0], b[1] - a[1]
        t = 1.0 if dy <= 0 else min(1.0, max(0.0, (limits[k] - used_y[k]) / dy))
        if t <= 0:
            continue
        used_y[k] += t * dy
        at[k] = b[:2] if t >= 1.0 else (a[0] + t * dx, a[1] + t * dy)
        xs.append(xs[-1] + t * dx * n_cls[k])
        ys.append(ys[-1] + t * dy * n_cls[k])
        slopes.append(dy / dx)
        pause.append(b[2][0] == "pause")
    xs_a, ys_a = np.array(xs), np.array(ys)
    sl = np.array(slopes + [0.0])
    restarts_before = np.concatenate(([0], np.cumsum(pause, dtype=np.int64)))  # before segment i
    is_pause = np.array(pause + [False])

    def f(reduction_mw):
        x = np.asarray(reduction_mw, dtype=float)
        delivered = np.minimum(x, xs_a[-1])
        i = np.clip(np.searchsorted(xs_a, delivered, side="left") - 1, 0, len(sl) - 1)
        lost = ys_a[i] + (delivered - xs_a[i]) * sl[i]
        restarts = restarts_before[i] + (is_pause[i] & (delivered > xs_a[i] + 1e-12))
        lost = np.where(x <= 1e-12, 0.0, lost)
        restarts = np.where(x <= 1e-12, 0, restarts)
        return lost, restarts, delivered

    return f


class _Split(Exception):
    """Lanes of :func:`_lane_curve` disagree on a branch; ``labels`` groups the lanes that agree."""

    def __init__(self, labels):
        super().__init__("lanes disagree")
        self.labels = labels


def _same(decision):
    """The common value of a per-lane decision (last axis: lanes); :class:`_Split` where lanes disagree."""
    a = np.asarray(decision)
    if a.ndim == 1:  # a yes/no per lane
        if a.all() or not a.any():
            return a[0]
        raise _Split(a.astype(np.int64))
    if (a == a[:, :1]).all():
        return a[:, 0]
    raise _Split(np.unique(a.T, axis=0, return_inverse=True)[1].reshape(-1))


def _lane_curve(site: SitePower, jobs: tuple, duration_h, profile):
    """:func:`reduction_curve`'s breakpoints for lanes of (duration, profile) that take the same branches.

    The steps of :func:`_class_frontier`, :func:`_cheapest_segments` and
    :func:`reduction_curve`, one per lane, in the same order on the same operands, so
    every number equals the scalar one bit for bit. Each branch is taken once for all
    lanes; where the lanes disagree :class:`_Split` says how to group them.

    Returns
    -------
    (xs, ys, slopes, restarts_before, is_pause)
        ``xs``, ``ys``, ``slopes``: arrays (knots, lanes); the others (knots,).
    """
    n = site.n_gpus
    zero = np.zeros(duration_h.shape[0])
    gpu_mw = site.gpu_mw(profile) / n
    fac_mw = site.facility_mw(profile) / n
    segs, limits = [], []
    for k, jc in enumerate(jobs):  # _class_frontier
        pts = [(zero, zero, ("cap", 1.0))]
        for p, f in zip(CAP_POINTS[::-1], CURVES[jc.curve][::-1]):
            if p < 1.0:
                pts.append((gpu_mw * (1 - p), duration_h * (1 - f), ("cap", float(p))))
        if jc.max_pause_h > 0 and _same(duration_h <= jc.max_pause_h + 1e-12):
            pts.append((fac_mw, duration_h + jc.checkpoint_h + jc.restart_h, ("pause", 0.0)))
        # stable, like list.sort on (x, y)
        order = _same(np.lexsort((np.stack([q[1] for q in pts]), np.stack([q[0] for q in pts])), axis=0))
        hull = []
        for q in [pts[j] for j in order]:
            while len(hull) >= 2:
                (x1, y1, _), (x2, y2, _) = hull[-2], hull[-1]
                if _same((x2 - x1) * (q[1] - y1) - (y2 - y1) * (q[0] - x1) <= 0):
                    hull.pop()
                else:
                    break
            hull.append(q)
        limits.append(jc.max_slowdown * duration_h)
        for a, b in zip(hull[:-1], hull[1:]):  # _cheapest_segments
            dx, dy = b[0] - a[0], b[1] - a[1]
            if _same(dx > 0):
                segs.append((jc.value_weight * dy / dx, k, a, b))
    if segs:
        cost = np.stack([s[0] for s in segs])
        cls = np.broadcast_to(np.array([s[1] for s in segs])[:, None], cost.shape)
        segs = [segs[j] for j in _same(np.lexsort((cls, cost), axis=0))]
    n_cls = [n * jc.gpu_share for jc in jobs]
    used_y = [0.0] * len(jobs)  # reduction_curve's greedy fill
    at = [(0.0, 0.0) for _ in jobs]
    xs, ys, slopes, pause = [zero], [zero], [], []
    for _, k, a, b in segs:
        if n_cls[k] == 0:
            break
        if _same((at[k][0] != a[0]) | (at[k][1] != a[1])):
            continue
        dx, dy = b[0] - a[0], b[1] - a[1]
        with np.errstate(divide="ignore", invalid="ignore"):
            r = (limits[k] - used_y[k]) / dy
        m = np.where(r > 0.0, r, 0.0)  # max(0.0, r)
        t = np.where(dy <= 0, 1.0, np.where(m < 1.0, m, 1.0))  # 1.0 if dy <= 0 else min(1.0, m)
        if _same(t <= 0):
            continue
        used_y[k] = used_y[k] + t * dy
        full = t >= 1.0
        at[k] = (np.where(full, b[0], a[0] + t * dx), np.where(full, b[1], a[1] + t * dy))
        xs.append(xs[-1] + t * dx * n_cls[k])
        ys.append(ys[-1] + t * dy * n_cls[k])
        slopes.append(dy / dx)
        pause.append(b[2][0] == "pause")
    return (np.stack(xs), np.stack(ys), np.stack(slopes + [zero]),
            np.concatenate(([0], np.cumsum(pause, dtype=np.int64))), np.array(pause + [False]))


def reduction_curves(site: SitePower, jobs, duration_h, profile):
    """:func:`reduction_curve` for many (duration, profile) pairs at once.

    Parameters
    ----------
    site : SitePower
    jobs : sequence of JobClass
    duration_h, profile : array (L,)
        Window length [h] (> 0) and working profile [fraction] of each curve ("lane").

    Returns
    -------
    callable
        ``f(lane, reduction_mw) -> (gpu_hours_lost, restarts, delivered_mw)``: for each
        request, ``reduction_curve(site, jobs, duration_h[lane], profile[lane])(reduction_mw)``,
        equal bit for bit (same operations in the same order; lanes that take the same
        branches of the hull and the greedy fill are built together).
    """
    jobs = tuple(jobs)
    dur = np.asarray(duration_h, dtype=float).reshape(-1)
    prof = np.asarray(profile, dtype=float).reshape(-1)
    if dur.shape != prof.shape:
        raise InputError(f"profile: expected the shape of duration_h {dur.shape}, got {prof.shape}")
    if dur.size and not (dur > 0).all():
        v.positive("duration_h", float(dur[~(dur > 0)][0]))
    curve_of = np.zeros(dur.size, dtype=np.int64)  # lane -> built curve
    col_of = np.zeros(dur.size, dtype=np.int64)  # lane -> its column in that curve
    curves = []
    # lanes that can pause a class and lanes that cannot never share a curve: start apart
    can_pause = np.stack([dur <= jc.max_pause_h + 1e-12 for jc in jobs if jc.max_pause_h > 0] or [dur > 0])
    pending = []
    if dur.size:
        kinds, kind = np.unique(can_pause.T, axis=0, return_inverse=True)
        pending = [np.flatnonzero(kind.reshape(-1) == g) for g in range(kinds.shape[0])]
    while pending:
        idx = pending.pop()
        try:
            c = _lane_curve(site, jobs, dur[idx], prof[idx])
        except _Split as s:
            pending.extend(idx[s.labels == g] for g in range(int(s.labels.max()) + 1))
            continue
        curve_of[idx] = len(curves)
        col_of[idx] = np.arange(idx.size)
        curves.append(c)

    def f(lane, reduction_mw):
        lane = np.asarray(lane, dtype=np.int64).reshape(-1)
        x = np.asarray(reduction_mw, dtype=float).reshape(-1)
        lost = np.empty(x.shape)
        restarts = np.empty(x.shape, dtype=np.int64)
        delivered = np.empty(x.shape)
        which = curve_of[lane]
        for ci, (xs_a, ys_a, sl, restarts_before, is_pause) in enumerate(curves):
            sel = np.flatnonzero(which == ci) if len(curves) > 1 else np.arange(x.size)
            if not sel.size:
                continue
            col = col_of[lane[sel]]
            xe = x[sel]
            d = np.minimum(xe, xs_a[-1, col])
            xk = xs_a[:, col]
            if (xk[1:] >= xk[:-1]).all():  # sorted: searchsorted(side="left") counts the knots below
                i = (xk < d).sum(axis=0) - 1
            else:
                i = np.array([np.searchsorted(xk[:, j], d[j], side="left") for j in range(d.size)]) - 1
            i = np.clip(i, 0, sl.shape[0] - 1)
            xi = xs_a[i, col]
            lo = ys_a[i, col] + (d - xi) * sl[i, col]
            rs = restarts_before[i] + (is_pause[i] & (d > xi + 1e-12))
            lost[sel] = np.where(xe <= 1e-12, 0.0, lo)
            restarts[sel] = np.where(xe <= 1e-12, 0, rs)
            delivered[sel] = d
        return lost, restarts, delivered

    return f
