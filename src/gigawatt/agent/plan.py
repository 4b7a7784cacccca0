"""Events, refusals and the decision per event.

A call from the grid arrives as an OpenADR 2.0b event (parsed by OpenLEADR into a dict):

* ``LOAD_DISPATCH`` with signal type ``delta`` and a ``powerReal`` measurement: a negative
  payload is a reduction of that many units (scale as the event states: ``M`` = MW, ``k`` = kW,
  ``none`` = W; no measurement = MW). A positive payload (an increase) is refused.
* ``SIMPLE`` levels 0-3: level ``n`` asks the reduction ``simple_levels_mw[n - 1]`` of the site
  file (level 0: none). Other levels are refused.

The decision (:func:`decide`) meets the requested reduction ``R`` for the event's window at the
least training cost: first the battery (its event power, for as long as its energy above the
reserve lasts), then on-site generation where it can be at full output by the start, then the
cheapest mix of power caps and pauses from the project's site model
(:func:`gigawatt.datacenter.throughput.cheapest_reduction`), within the contract's limits.

Setpoints over time (:meth:`EventPlan.reduction_mw`): the grid draw falls at the grid's ramp limit
so that it reaches ``baseline - R`` at the start, holds to the end, and rises back at the same
ramp. The compute part is whatever the battery and turbines do not cover, so caps come last and
go first; pauses are commanded one checkpoint earlier, because a job checkpoints before it stops.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from gigawatt.agent.site import AgentSite
from gigawatt.datacenter.throughput import ReductionPlan, cheapest_reduction
from gigawatt.errors import InputError
from gigawatt.validation import finite

#: OpenADR SI scale codes -> MW per unit of a powerReal payload in W (OpenADR 2.0b schema, SiScaleCodeType)
SCALE_TO_MW = {"none": 1e-6, "k": 1e-3, "M": 1.0, "G": 1e3}
KNOWN_SIGNALS = ("LOAD_DISPATCH", "SIMPLE", "simple")


class Refusal(Exception):
    """An event the agent will not act on; the message is the logged reason."""


@dataclass(frozen=True)
class GridEvent:
    """One event, in the agent's site seconds (site time since the agent started).

    ``requested_mw`` is the reduction asked [MW]; ``level`` the SIMPLE level (``None`` for
    LOAD_DISPATCH). ``start_iso`` and ``end_iso`` are the event's UTC times as sent.
    """

    event_id: str
    modification: int
    start_s: float
    end_s: float
    requested_mw: float
    level: int | None
    start_iso: str
    end_iso: str
    cancelled: bool = False

    @property
    def duration_h(self) -> float:
        return (self.end_s - self.start_s) / 3600.0

    def to_dict(self) -> dict:
        return {"id": self.event_id, "start": self.start_iso, "end": self.end_iso,
                "requested_mw": self.requested_mw, "level": self.level}


def _num(x, what: str) -> float:
    try:
        return finite(what, x)
    except InputError as exc:
        raise Refusal(str(exc)) from None


def parse_event(ev: dict, site: AgentSite, to_site_s, now_s: float) -> GridEvent:
    """Read an OpenLEADR event dict into a :class:`GridEvent` (raises :class:`Refusal` with the reason).

    ``to_site_s`` maps a UTC ``datetime`` to site seconds; ``now_s`` is the site time now.
    """
    try:
        desc = ev["event_descriptor"]
        event_id = str(desc["event_id"])
        modification = int(desc.get("modification_number", 0))
        status = desc.get("event_status", "far")
        period = ev["active_period"]
        start, duration = period["dtstart"], period["duration"]
        signals = ev["event_signals"]
    except (KeyError, TypeError, ValueError) as exc:
        raise Refusal(f"malformed event: missing or bad field {exc}") from None
    if isinstance(signals, dict):
        signals = signals.get("event_signals", [])
    if not signals:
        raise Refusal("malformed event: no signals")
    try:
        start_s, end_s = to_site_s(start), to_site_s(start + duration)
    except (TypeError, ValueError, OverflowError, AttributeError) as exc:
        raise Refusal(f"malformed event: bad active period ({exc})") from None
    if status == "cancelled":
        return GridEvent(event_id, modification, start_s, end_s, 0.0, None, start.isoformat(),
                         (start + duration).isoformat(), cancelled=True)
    requested, level = 0.0, None
    used = [s for s in signals if s.get("signal_name") in KNOWN_SIGNALS]
    unknown = [s.get("signal_name") for s in signals if s.get("signal_name") not in KNOWN_SIGNALS]
    if unknown or not used:
        raise Refusal(f"unknown signal {unknown[0] if unknown else None!r}; expected LOAD_DISPATCH (delta, "
                      "powerReal) or SIMPLE")
    for s in used:
        payloads = [_num(i.get("signal_payload"), f"{s['signal_name']} payload") for i in s.get("intervals") or []]
        if not payloads:
            raise Refusal(f"malformed event: {s['signal_name']} without intervals")
        if s["signal_name"] == "LOAD_DISPATCH":
            if s.get("signal_type") != "delta":
                raise Refusal(f"LOAD_DISPATCH signal type {s.get('signal_type')!r} not supported; expected 'delta'")
            m = s.get("measurement") or {}
            if m and m.get("name") not in (None, "powerReal"):
                raise Refusal(f"LOAD_DISPATCH measurement {m.get('name')!r} not supported; expected powerReal")
            scale = (m.get("scale") or "M") if m else "M"
            if scale not in SCALE_TO_MW:
                raise Refusal(f"LOAD_DISPATCH scale {scale!r} not supported; expected one of {sorted(SCALE_TO_MW)}")
            if any(p > 0 for p in payloads):
                raise Refusal(f"LOAD_DISPATCH payload {max(payloads)} > 0 asks for more load; the agent only reduces")
            # the largest reduction of the intervals, held over the whole event (meets every interval)
            requested = max(requested, -min(payloads) * SCALE_TO_MW[scale])
        else:
            bad = [p for p in payloads if p not in (0, 1, 2, 3)]
            if bad:
                raise Refusal(f"SIMPLE level {bad[0]:g} unknown; expected 0, 1, 2 or 3")
            lv = int(max(payloads))
            level = lv if level is None else max(level, lv)
            if lv > 0:
                requested = max(requested, site.simple_levels_mw[lv - 1])
    if end_s <= start_s:
        raise Refusal(f"event ends at or before its start ({duration})")
    if start_s < now_s:
        raise Refusal(f"start {start.isoformat()} is in the past")
    return GridEvent(event_id, modification, start_s, end_s, float(requested), level, start.isoformat(),
                     (start + duration).isoformat())


@dataclass(frozen=True)
class EventPlan:
    """What the site does for one event.

    Attributes
    ----------
    event : GridEvent
    opted : ``"in"`` or ``"out"``
    reason : why (logged and shown on the status page)
    battery_mw : battery discharge held over the event [MW]
    onsite_mw : on-site generation started for the event [MW]; where it cannot be at full output by the
        start, ``compute_mw`` covers its share until it is (the cut shrinks as the turbines come up)
    onsite_start_s : site second at which the turbines are started (``inf``: not started)
    compute_mw : cut of compute power (caps and pauses) [MW]
    plan : the caps and pauses (:class:`ReductionPlan`), ``None`` without a compute cut
    ramp_mw_per_s : ramp of the grid draw [MW/s]
    begin_s : site second the draw starts to fall: ``ramp_s`` before the start, or at once when the
        event came later than that (the reduction is then reached after the start, at the ramp limit)
    """

    event: GridEvent
    opted: str
    reason: str
    battery_mw: float = 0.0
    onsite_mw: float = 0.0
    onsite_start_s: float = math.inf
    compute_mw: float = 0.0
    plan: ReductionPlan | None = None
    ramp_mw_per_s: float = math.inf
    begin_s: float = -math.inf

    @property
    def ramp_s(self) -> float:
        """Time the grid draw takes to move by the full reduction [s]."""
        return self.event.requested_mw / self.ramp_mw_per_s

    def reduction_mw(self, t_s: float) -> float:
        """Reduction of the grid draw below the baseline at site second ``t_s`` [MW]."""
        ev, r = self.event, self.event.requested_mw
        if self.opted != "in" or r <= 0:
            return 0.0
        ramp = self.ramp_mw_per_s
        begin = max(self.begin_s, ev.start_s - r / ramp)
        if t_s <= ev.end_s:
            return min(r, max(0.0, (t_s - begin) * ramp))
        return max(0.0, min(r, (ev.end_s - begin) * ramp) - (t_s - ev.end_s) * ramp)

    def compute_share(self, t_s: float, onsite_now_mw: float) -> float:
        """Share of the planned compute cut needed at ``t_s`` given the turbines' output now [fraction]."""
        if self.compute_mw <= 0:
            return 0.0
        need = self.reduction_mw(t_s) - self.battery_mw - onsite_now_mw
        return min(1.0, max(0.0, need / self.compute_mw))

    @property
    def window_s(self) -> tuple[float, float]:
        """Site seconds in which the agent acts: the ramp before the start to the ramp after the end."""
        return max(self.begin_s, self.event.start_s - self.ramp_s), self.event.end_s + self.ramp_s


def usable_battery_mw(site: AgentSite, energy_mwh: float, hold_h: float) -> float:
    """Battery power the agent can hold for ``hold_h`` from ``energy_mwh`` stored [MW]."""
    b = site.site.battery
    if b is None or hold_h <= 0:
        return 0.0
    usable = max(0.0, energy_mwh - b.reserve_mwh) * b.eta
    return float(min(site.battery_event_mw, usable / hold_h))


def decide(site: AgentSite, event: GridEvent, now_s: float, hours_used_h: float, battery_energy_mwh: float,
           onsite_available_mw: float) -> EventPlan:
    """The decision for ``event`` (opt in with a plan, or opt out with the reason).

    Parameters
    ----------
    site : AgentSite
    event : GridEvent
    now_s : site second now
    hours_used_h : contract hours used this year so far [h]
    battery_energy_mwh : energy stored now [MWh]
    onsite_available_mw : on-site generation available (units not on outage) [MW]
    """
    ramp = site.limits.max_ramp_mw_per_s
    r = event.requested_mw
    if r <= 0:
        return EventPlan(event, "in", "no reduction asked (level 0)", ramp_mw_per_s=ramp)
    d_h = event.duration_h
    if d_h > site.max_event_h:
        return EventPlan(event, "out", f"event of {d_h:.2f} h exceeds the contract's {site.max_event_h:g} h per event",
                        ramp_mw_per_s=ramp)
    left = site.max_hours_per_year - hours_used_h
    if d_h > left + 1e-9:
        return EventPlan(event, "out", f"contract hours used up: {hours_used_h:.2f} of {site.max_hours_per_year:g} h "
                        f"this year, the event needs {d_h:.2f} h", ramp_mw_per_s=ramp)
    ramp_h = r / ramp / 3600.0
    battery = min(r, usable_battery_mw(site, battery_energy_mwh, d_h + ramp_h))
    onsite, onsite_start, late_onsite = 0.0, math.inf, False
    gen = site.site.generation
    if gen is not None and r - battery > 1e-9 and site.site.contract.directed_backup and onsite_available_mw > 0:
        start_s = event.start_s - ramp_h * 3600.0 - gen.start_h * 3600.0
        if start_s >= now_s:  # at full output by the time the ramp begins
            onsite, onsite_start = min(r - battery, onsite_available_mw), start_s
        elif event.end_s - now_s >= 2 * gen.start_h * 3600.0:
            # not ready by the start but the event outlasts two start times: start them now; compute covers
            # their share until they are up, and its cut shrinks as their output rises
            onsite, onsite_start, late_onsite = min(r - battery, onsite_available_mw), now_s, True
    compute = max(0.0, r - battery - (0.0 if late_onsite else onsite))
    plan = None
    if compute > 1e-9:
        depth = site.max_depth_frac * site.baseline_mw
        if compute > depth + 1e-9:
            return EventPlan(event, "out", f"the compute cut needed, {compute:.0f} MW (after {battery:.0f} MW battery "
                            f"and {onsite:.0f} MW on-site), exceeds the contract's depth {depth:.0f} MW",
                            ramp_mw_per_s=ramp)
        # with turbines on their way, compute only bridges until they are up (a short window: caps, not pauses)
        plan_h = min(d_h, max(1.0 / 60.0, (onsite_start + gen.start_h * 3600.0 - event.start_s) / 3600.0)) \
            if late_onsite else d_h
        plan = cheapest_reduction(site.site.power, site.jobs, compute, plan_h, site.profile)
        if not plan.feasible:
            return EventPlan(event, "out", f"the job classes' limits allow a compute cut of {plan.delivered_mw:.0f} MW "
                            f"for {plan_h:.2f} h; {compute:.0f} MW needed", ramp_mw_per_s=ramp)
    parts = [f"battery {battery:.0f} MW"]
    if onsite:
        parts.append(f"on-site {onsite:.0f} MW" + (f", started now, full output in {gen.start_h * 60:.0f} min"
                                                   if late_onsite else ""))
    if plan is not None:
        parts.append("compute " + ", ".join(_class_text(c) for c in plan.classes if c.reduction_mw > 0)
                     + f" ({plan.gpu_hours_lost:,.0f} GPU-h)")
    late = max(0.0, now_s - (event.start_s - r / ramp))
    if late > 0:
        parts.append(f"the event came {late:.0f} s too late for the ramp: full reduction {late:.0f} s after the start")
    return EventPlan(event, "in", f"reduce {r:.0f} MW: " + "; ".join(parts), battery, onsite, onsite_start, compute,
                    plan, ramp, begin_s=now_s)


def _class_text(c) -> str:
    bits = []
    if c.capped_share > 0 and c.cap < 1:
        bits.append(f"cap {c.cap:.2f}")
    if c.paused_share > 0:
        bits.append(f"pause {c.paused_share:.0%}")
    return f"{c.name} " + " + ".join(bits)


def optimum_gpu_hours(site: AgentSite, requested_mw: float, duration_h: float, battery_energy_mwh: float) -> float:
    """GPU-hours the site model's optimum gives up for a reduction held ``duration_h`` [GPU-h].

    Battery and turbines cost no training, so the optimum uses the battery's event power first
    (as long as its energy lasts) and cuts compute by the rest at the least cost
    (:func:`~gigawatt.datacenter.throughput.cheapest_reduction`).
    """
    rest = max(0.0, requested_mw - usable_battery_mw(site, battery_energy_mwh, duration_h))
    if rest <= 0:
        return 0.0
    return cheapest_reduction(site.site.power, site.jobs, rest, duration_h, site.profile).gpu_hours_lost
