"""``gigawatt agent SITE --backend nvml --dry-run`` without a VTN: this machine's GPUs and the power
limits the agent would set for SIMPLE levels 1-3 (a one-hour event with notice)."""

from __future__ import annotations

from gigawatt.agent.backends import NvmlGpus, gpu_caps
from gigawatt.agent.plan import GridEvent, decide
from gigawatt.agent.site import AgentSite


def level_caps(site: AgentSite, level: int, hours: float = 1.0) -> tuple:
    """(decision, caps by job class, paused share by class) for a SIMPLE ``level`` event of ``hours``."""
    mw = site.simple_levels_mw[level - 1]
    start = 3600.0
    ev = GridEvent(f"level-{level}", 0, start, start + hours * 3600.0, mw, level, "", "")
    storage_mwh = 0.0 if site.site.battery is None else site.site.battery.initial_soc * site.site.battery.energy_mwh
    gen = 0.0 if site.site.generation is None else site.site.generation.capacity_mw
    d = decide(site, ev, 0.0, site.hours_used_h, storage_mwh, gen)
    caps = {j.name: 1.0 for j in site.jobs}
    paused = {j.name: 0.0 for j in site.jobs}
    if d.plan is not None:
        for c in d.plan.classes:
            caps[c.name], paused[c.name] = c.cap, c.paused_share
    return d, caps, paused


def level_table(site: AgentSite, nvml=None) -> str:
    """The GPUs and, per SIMPLE level, the power limit each would get (text)."""
    gpus = NvmlGpus(nvml)
    try:
        lines = [f"{len(gpus.gpus)} GPU(s):"]
        for g in gpus.gpus:
            lim = "power limits not available" if g["default_w"] is None else \
                f"default {g['default_w']:.0f} W, limits {g['min_w']:.0f}-{g['max_w']:.0f} W, now {g['limit_w']:.0f} W"
            lines.append(f"  GPU {g['index']}: {g['name']}: {lim}{(' (' + g['note'] + ')') if g['note'] else ''}")
        for level in (1, 2, 3):
            d, caps, paused = level_caps(site, level)
            lines.append(f"SIMPLE level {level} ({site.simple_levels_mw[level - 1]:.0f} MW, 1 h): opt {d.opted}: "
                         f"{d.reason}")
            for r in gpus.limits_for(gpu_caps(site, caps, paused, gpus)):
                cap = "-" if r["cap"] is None else f"{r['cap']:.2f}"
                w = "-" if r["limit_w"] is None else f"{r['limit_w']:.0f} W"
                lines.append(f"  GPU {r['index']}: cap {cap} -> would set {w}{('  ' + r['note']) if r['note'] else ''}")
        return "\n".join(lines)
    finally:
        gpus.close()
