"""The agent's control loop, its decision log and its status document.

Time: the agent keeps a site clock in seconds since it started, ``time_scale`` site seconds per
wall second (1 in operation; larger in demos and tests, which compress an event of minutes into
seconds). Event times are UTC wall times and are mapped onto the site clock.

Each step (``tick``) of ``dt`` site seconds:

1. the decision in force (the accepted event whose window holds the time, see
   :meth:`~gigawatt.agent.plan.EventPlan.reduction_mw`) gives the target grid draw
   ``baseline - reduction`` (ramped at the grid's limit);
2. compute gets the caps and pauses for the part of the reduction the battery and turbines do not
   cover (pauses one checkpoint ahead), turbines their command;
3. the battery closes the gap between the load the commands will give and the target, within its
   power and its energy above the reserve (charging while turbines wind down after an event);
   outside events it rests;
4. the site steps; the measured grid draw is ``load - battery - on-site``.

Safety: an event that cannot be parsed, asks for more load, names an unknown signal or level,
starts in the past or overlaps an accepted event is refused (opt out, logged) and changes nothing;
the agent never raises out of an event. The plan of an accepted event runs on the site's clock, so
a VTN that becomes unreachable leaves the site on its plan (and restored at the plan's end) while
the VEN keeps trying to reach it.
"""

from __future__ import annotations

import logging
import math
import time
from collections import deque
from dataclasses import replace
from datetime import datetime, timezone

from gigawatt.agent.plan import EventPlan, GridEvent, Refusal, decide, parse_event
from gigawatt.agent.site import AgentSite

log = logging.getLogger("gigawatt.agent")

#: Log lines kept for the status document
LOG_LINES = 50


class Agent:
    """Decisions, control and status of one site.

    Parameters
    ----------
    site : AgentSite
    compute : backends.Compute
    storage : backends.StorageAndGeneration
    time_scale : float
        Site seconds per wall second (> 0).
    backend : str
        Name shown in the status.
    clock : callable
        Wall clock in seconds (``time.time``).
    """

    def __init__(self, site: AgentSite, compute, storage, *, time_scale: float = 1.0, backend: str = "sim",
                 clock=time.time):
        if not (math.isfinite(time_scale) and time_scale > 0):
            raise ValueError(f"time_scale: expected a number > 0, got {time_scale!r}")
        self.site, self.compute, self.storage = site, compute, storage
        self.time_scale, self.backend, self.clock = float(time_scale), backend, clock
        self.wall0 = clock()
        self.t_s = 0.0
        self.hours_used_h = site.hours_used_h
        self.decisions: dict[str, EventPlan] = {}
        self.opted = {"state": "in", "reason": "no event yet"}
        self.last_response: dict | None = None
        self.lines: deque = deque(maxlen=LOG_LINES)
        self.vtn = {"url": None, "connected": False, "last_contact": None}
        self.target_mw = self.measured_mw = site.baseline_mw
        self._finished: set = set()
        self.trace: deque = deque(maxlen=200_000)  # (site s, target MW, measured MW, event id or None)

    # ----- time -------------------------------------------------------------------------------
    def now_s(self) -> float:
        """Site seconds now (from the wall clock)."""
        return (self.clock() - self.wall0) * self.time_scale

    def to_site_s(self, when: datetime) -> float:
        """Site second of a UTC time."""
        if when.tzinfo is None:
            raise ValueError("naive time")
        return (when.timestamp() - self.wall0) * self.time_scale

    # ----- log --------------------------------------------------------------------------------
    def say(self, text: str, level: int = logging.INFO) -> None:
        stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self.lines.append(f"{stamp} {text}")
        log.log(level, text)

    # ----- events -----------------------------------------------------------------------------
    def on_event(self, ev: dict) -> str:
        """Decide on an OpenADR event (OpenLEADR dict); returns ``optIn`` or ``optOut``. Never raises."""
        try:
            return self._on_event(ev)
        except Exception as exc:  # a defect must not stop the agent: refuse, log, keep the site as it is
            eid = _event_id(ev)
            self.say(f"refused event {eid}: internal error {type(exc).__name__}: {exc}", logging.ERROR)
            self.last_response = {"event": eid, "opted": "out", "reason": f"internal error: {exc}"}
            return "optOut"

    def _on_event(self, ev: dict) -> str:
        now = self.now_s()
        eid = _event_id(ev)
        try:
            known = self.decisions.get(eid)
            if known is not None and known.opted == "in":  # a modification of an accepted event: its start may
                ge = parse_event(ev, self.site, self.to_site_s, -math.inf)  # have passed, as long as it is unchanged
                if ge.start_s < now and abs(ge.start_s - known.event.start_s) > 1e-6:
                    raise Refusal(f"modified start {ge.start_iso} is in the past")
            else:
                ge = parse_event(ev, self.site, self.to_site_s, now)
            if ge.cancelled:
                return self._cancel(ge, now)
            for other in self.decisions.values():
                if other.event.event_id != ge.event_id and other.opted == "in" and other.window_s[1] > now \
                        and ge.start_s < other.event.end_s and other.event.start_s < ge.end_s \
                        and other.event.requested_mw > 0:
                    raise Refusal(f"overlaps accepted event {other.event.event_id} "
                                  f"({other.event.start_iso} to {other.event.end_iso})")
        except Refusal as r:
            self.say(f"refused event {eid}: {r}", logging.WARNING)
            self.last_response = {"event": eid, "opted": "out", "reason": f"refused: {r}"}
            return "optOut"
        old = self.decisions.get(ge.event_id)
        if old is not None and old.opted == "in":  # a modification replaces the plan
            self.hours_used_h -= old.event.duration_h
        d = decide(self.site, ge, now, self.hours_used_h, self.storage.battery_energy_mwh,
                   self.storage.onsite_available_mw)
        acting = old is not None and old.opted == "in" and old.reduction_mw(now) > 0
        refused = acting and d.opted != "in"
        if acting and not refused:  # go on from the reduction reached, at the ramp limit
            d = replace(d, begin_s=now - old.reduction_mw(now) / d.ramp_mw_per_s)
        elif refused:  # opted out of the modification: the accepted plan ends now and ramps back
            d = replace(_ended(old, now), reason=f"modification refused ({d.reason}); ramping back")
            self.hours_used_h += d.event.duration_h
        self.decisions[ge.event_id] = d
        if d.opted == "in" and ge.requested_mw > 0 and not refused:
            self.hours_used_h += ge.duration_h
        opted = "out" if refused else d.opted
        self.opted = {"state": opted, "reason": d.reason}
        self.last_response = {"event": ge.event_id, "opted": opted, "reason": d.reason}
        self.say(f"event {ge.event_id}: opt {opted}: {d.reason}")
        return "optIn" if opted == "in" else "optOut"

    def _cancel(self, ge: GridEvent, now: float) -> str:
        d = self.decisions.get(ge.event_id)
        if d is None or d.opted != "in" or d.window_s[1] <= now:
            self.say(f"event {ge.event_id} cancelled (nothing to undo)")
            return "optIn"
        ended = _ended(d, now)
        self.hours_used_h -= d.event.duration_h - ended.event.duration_h
        self.decisions[ge.event_id] = replace(ended, reason=d.reason + " (cancelled)")
        self.opted = {"state": "in", "reason": f"event {ge.event_id} cancelled: restoring"}
        self.say(f"event {ge.event_id} cancelled: restoring the site")
        return "optIn"

    # ----- control ----------------------------------------------------------------------------
    def in_force(self, t_s: float) -> EventPlan | None:
        """The accepted decision acting at ``t_s`` (the largest reduction), or ``None``."""
        best, red = None, 0.0
        for d in self.decisions.values():
            if d.opted == "in" and d.event.requested_mw > 0:
                r = d.reduction_mw(t_s)
                lo, hi = d.window_s
                if lo <= t_s <= hi and (best is None or r > red):
                    best, red = d, r
        return best

    def tick(self, dt_s: float) -> None:
        """Advance the site by ``dt_s`` site seconds under the decision in force."""
        t1 = self.t_s + dt_s
        d = self.in_force(t1)
        site = self.site
        caps = {j.name: 1.0 for j in site.jobs}
        paused = {j.name: 0.0 for j in site.jobs}
        onsite_cmd = 0.0
        reduction = 0.0
        if d is not None:
            reduction = d.reduction_mw(t1)
            lo, hi = d.window_s
            if d.onsite_mw > 0 and t1 >= d.onsite_start_s and t1 <= hi:
                onsite_cmd = d.onsite_mw
            if d.plan is not None:
                share = d.compute_share(t1, self.storage.onsite_mw)
                for c, j in zip(d.plan.classes, site.jobs):
                    caps[j.name] = 1.0 - (1.0 - c.cap) * share
                    if c.paused_share > 0:  # commanded one checkpoint ahead
                        ahead = d.compute_share(t1 + j.checkpoint_h * 3600.0, self.storage.onsite_mw)
                        paused[j.name] = c.paused_share * max(ahead, share)
        self.compute.apply(caps, paused)
        self.storage.command_onsite(onsite_cmd)
        target = site.baseline_mw - reduction
        if d is not None or self.storage.onsite_mw > 1e-6:  # after an event, also while the turbines wind down
            want = self.compute.expected_mw(dt_s) - self.storage.onsite_mw - target
            self.storage.set_battery_mw(want, dt_s)
        else:
            self.storage.set_battery_mw(0.0, dt_s)
        self.compute.step(dt_s)
        self.storage.step(dt_s)
        self.t_s = t1
        self.target_mw = target
        self.measured_mw = self.compute.load_mw - self.storage.onsite_mw - self.storage.battery_mw
        self.trace.append((t1, target, self.measured_mw, None if d is None else d.event.event_id))
        for k, dd in list(self.decisions.items()):  # finished events: log once, keep for the record
            if dd.opted == "in" and t1 > dd.window_s[1] and k not in self._finished:
                self._finished.add(k)
                self.say(f"event {k} over: site restored to {site.baseline_mw:.0f} MW; training given up so far "
                         f"{self.compute.gpu_hours_lost:,.0f} GPU-h")
                self.opted = {"state": "in", "reason": f"event {k} done; ready"}

    def advance_to_now(self, max_step_s: float = 1.0) -> None:
        """Step the site up to the site clock's now, in steps of at most ``max_step_s`` site seconds."""
        now = self.now_s()
        while self.t_s < now - 1e-9:
            self.tick(min(max_step_s, now - self.t_s))

    # ----- status -----------------------------------------------------------------------------
    def current_event(self) -> EventPlan | None:
        """The decision acting now, else the next accepted one, else ``None``."""
        d = self.in_force(self.t_s)
        if d is not None:
            return d
        ahead = [x for x in self.decisions.values() if x.opted == "in" and x.window_s[0] > self.t_s
                 and x.event.requested_mw > 0]
        return min(ahead, key=lambda x: x.event.start_s) if ahead else None

    def status(self) -> dict:
        """The status document (``GET /status``)."""
        d = self.current_event()
        jobs, detail = {}, {}
        caps = getattr(self.compute, "caps", {})
        pc = getattr(self.compute, "paused_cmd", {})
        for j in self.site.jobs:
            c, p = float(caps.get(j.name, 1.0)), float(pc.get(j.name, 0.0))
            jobs[j.name] = "paused" if p >= 1.0 - 1e-9 else round(c, 4)
            detail[j.name] = {"cap": round(c, 4), "paused_share": round(p, 4), "gpus": round(
                self.site.site.power.n_gpus * j.gpu_share)}
        return {
            "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "site_time_s": round(self.t_s, 3),
            "time_scale": self.time_scale,
            "backend": self.backend,
            "event": None if d is None else d.event.to_dict(),
            "baseline_mw": round(self.site.baseline_mw, 3),
            "target_mw": round(self.target_mw, 3),
            "measured_mw": round(self.measured_mw, 3),
            "jobs": jobs,
            "job_detail": detail,
            "battery_mw": round(self.storage.battery_mw, 3),
            "battery_energy_mwh": round(self.storage.battery_energy_mwh, 3),
            "onsite_mw": round(self.storage.onsite_mw, 3),
            "training_cost_gpu_h": round(self.compute.gpu_hours_lost, 3),
            "opted": dict(self.opted),
            "last_response": self.last_response,
            "hours_used_h": round(self.hours_used_h, 4),
            "contract_hours_per_year": None if math.isinf(self.site.max_hours_per_year)
            else self.site.max_hours_per_year,
            "vtn": dict(self.vtn),
            "log": list(self.lines)[-20:],
        }


def _ended(d: EventPlan, now: float) -> EventPlan:
    """``d`` ending at ``now``: the draw ramps back from the reduction reached, at the ramp limit."""
    ev = d.event
    begin = max(d.begin_s, ev.start_s - d.ramp_s)
    ev = replace(ev, end_s=min(now, ev.end_s)) if now >= ev.start_s else replace(ev, start_s=now, end_s=now)
    return replace(d, event=ev, begin_s=begin)


def _event_id(ev) -> str:
    try:
        return str(ev["event_descriptor"]["event_id"])
    except (KeyError, TypeError):
        return "?"
