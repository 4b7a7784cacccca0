"""The site the agent acts on: its compute (job classes under caps and pauses) and its battery and
on-site generation.

Two protocols, so that a real site can plug in its own equipment:

* :class:`Compute`: ``apply(caps, paused)`` per job class, ``step(dt_s)``, ``load_mw`` (measured
  facility load before battery and turbines), ``expected_mw`` (the load the commands will give),
  ``gpu_hours_lost`` (training given up so far).
* :class:`StorageAndGeneration`: ``set_battery_mw(mw)`` (discharge > 0, bounded by the battery's
  power and its energy above the ride-through reserve; returns what it will do),
  ``command_onsite(mw)`` (turbines to this output, 0 to stop), ``step(dt_s)``, and the readings
  ``battery_mw``, ``battery_energy_mwh``, ``onsite_mw``, ``onsite_available_mw``.

Implementations: :class:`SimCompute` and :class:`SimStorage` (the site model in real time, the
``sim`` backend) and :class:`NvmlCompute` (the same site model, with the caps set on this
machine's NVIDIA GPUs through NVML; :class:`NvmlGpus`).

Site model of the simulation (the same accounting as
:func:`gigawatt.datacenter.throughput.cheapest_reduction`): a GPU capped at ``p`` saves
``g (1 - p)`` MW and loses ``1 - f(p)`` of its work; a paused GPU saves its facility power ``e``
once its checkpoint is written (``checkpoint_h`` after the command) and loses all its work from
the command, plus ``restart_h`` after it resumes. Training power fluctuates around its level as a
first-order random process (0.2 % standard deviation, 5 s time constant [est]). Turbines follow
their command linearly over ``start_h``; the battery follows its command at once (milliseconds,
sources.md F5) within its power and energy.
"""

from __future__ import annotations

import math
from typing import Protocol

import numpy as np

from gigawatt.agent.site import AgentSite
from gigawatt.datacenter.throughput import throughput_at_cap
from gigawatt.errors import GigawattError

#: Training power fluctuation in the simulation: standard deviation [fraction of load] and time constant [s] [est]
NOISE_SD = 0.002
NOISE_TAU_S = 5.0


class Compute(Protocol):
    def apply(self, caps: dict, paused: dict) -> None: ...
    def step(self, dt_s: float) -> None: ...
    @property
    def load_mw(self) -> float: ...
    def expected_mw(self, dt_s: float) -> float: ...
    @property
    def gpu_hours_lost(self) -> float: ...


class StorageAndGeneration(Protocol):
    def set_battery_mw(self, mw: float, dt_s: float) -> float: ...
    def command_onsite(self, mw: float) -> None: ...
    def step(self, dt_s: float) -> None: ...
    @property
    def battery_mw(self) -> float: ...
    @property
    def battery_energy_mwh(self) -> float: ...
    @property
    def onsite_mw(self) -> float: ...
    @property
    def onsite_available_mw(self) -> float: ...


class SimCompute:
    """The site's job classes in (site) time: caps act within a step, pauses after the checkpoint."""

    def __init__(self, site: AgentSite, seed: int = 0, noise_sd: float = NOISE_SD):
        self.site = site
        power = site.site.power
        n = power.n_gpus
        self.g_mw = float(power.gpu_mw(site.profile)) / n  # GPU power per GPU [MW]
        self.e_mw = float(power.facility_mw(site.profile)) / n  # facility power per GPU [MW]
        self.baseline_mw = site.baseline_mw
        self.jobs = site.jobs
        self.n = {j.name: n * j.gpu_share for j in self.jobs}
        self.caps = {j.name: 1.0 for j in self.jobs}
        self.paused_cmd = {j.name: 0.0 for j in self.jobs}
        self.paused_eff = {j.name: 0.0 for j in self.jobs}
        self._since = {j.name: math.inf for j in self.jobs}  # site s since the pause command last rose
        self.t_s = 0.0
        self._lost = 0.0
        self._x = 0.0
        self._rng = np.random.default_rng(seed)
        self._sd = noise_sd

    def apply(self, caps: dict, paused: dict) -> None:
        for j in self.jobs:
            c = float(min(1.0, max(caps.get(j.name, 1.0), 0.0)))
            p = float(min(1.0, max(paused.get(j.name, 0.0), 0.0)))
            drop = self.paused_cmd[j.name] - p
            if drop > 0:  # GPUs resume: each loses its restart time
                self._lost += self.n[j.name] * drop * j.restart_h
                self.paused_eff[j.name] = min(self.paused_eff[j.name], p)
            elif p > self.paused_cmd[j.name]:
                self._since[j.name] = 0.0
            self.caps[j.name], self.paused_cmd[j.name] = c, p

    def _paused_after(self, name: str, dt_s: float) -> float:
        ckpt_s = next(j.checkpoint_h for j in self.jobs if j.name == name) * 3600.0
        return self.paused_cmd[name] if self._since[name] + dt_s >= ckpt_s else self.paused_eff[name]

    def _saving_mw(self, paused: dict) -> float:
        return sum(self.n[k] * ((1 - paused[k]) * self.g_mw * (1 - self.caps[k]) + paused[k] * self.e_mw)
                   for k in self.n)

    def expected_mw(self, dt_s: float) -> float:
        """Load after ``dt_s`` under the commands, without the next fluctuation [MW]."""
        paused = {k: self._paused_after(k, dt_s) for k in self.n}
        return self.baseline_mw * (1 + self._x) - self._saving_mw(paused)

    def step(self, dt_s: float) -> None:
        dt_h = dt_s / 3600.0
        for j in self.jobs:
            k = j.name
            self.paused_eff[k] = self._paused_after(k, dt_s)
            self._since[k] += dt_s
            running = 1.0 - self.paused_cmd[k]
            lost_frac = running * (1.0 - float(throughput_at_cap(self.caps[k], j.curve))) + self.paused_cmd[k]
            self._lost += self.n[k] * lost_frac * dt_h
        a = math.exp(-dt_s / NOISE_TAU_S)
        self._x = a * self._x + math.sqrt(1 - a * a) * self._sd * float(self._rng.standard_normal())
        self.t_s += dt_s

    @property
    def load_mw(self) -> float:
        return self.baseline_mw * (1 + self._x) - self._saving_mw(self.paused_eff)

    @property
    def gpu_hours_lost(self) -> float:
        return self._lost


class SimStorage:
    """The site's battery and turbines (``SiteBattery`` and ``OnsiteGeneration`` of the site file)."""

    def __init__(self, site: AgentSite):
        self.battery = site.site.battery
        self.gen = site.site.generation
        b = self.battery
        self.energy_mwh = 0.0 if b is None else b.initial_soc * b.energy_mwh
        self._batt = 0.0
        self._onsite = 0.0
        self._onsite_cmd = 0.0

    def set_battery_mw(self, mw: float, dt_s: float) -> float:
        b = self.battery
        if b is None or b.power_mw == 0:
            self._batt = 0.0
            return 0.0
        mw = float(min(b.power_mw, max(-b.power_mw, mw)))
        dt_h = dt_s / 3600.0
        if mw > 0:  # never below the ride-through reserve
            mw = min(mw, max(0.0, self.energy_mwh - b.reserve_mwh) * b.eta / dt_h)
        else:
            mw = max(mw, -max(0.0, b.energy_mwh - self.energy_mwh) / b.eta / dt_h)
        self._batt = mw
        return mw

    def command_onsite(self, mw: float) -> None:
        self._onsite_cmd = float(min(max(mw, 0.0), self.onsite_available_mw))

    def step(self, dt_s: float) -> None:
        b = self.battery
        if b is not None and self._batt:
            dt_h = dt_s / 3600.0
            self.energy_mwh -= self._batt * dt_h / b.eta if self._batt > 0 else self._batt * dt_h * b.eta
        if self.gen is not None:
            rate = self.gen.capacity_mw / max(self.gen.start_h * 3600.0, 1e-9)  # MW/s while starting
            d = self._onsite_cmd - self._onsite
            self._onsite += max(-rate * dt_s, min(rate * dt_s, d))

    @property
    def battery_mw(self) -> float:
        return self._batt

    @property
    def battery_energy_mwh(self) -> float:
        return self.energy_mwh

    @property
    def onsite_mw(self) -> float:
        return self._onsite

    @property
    def onsite_available_mw(self) -> float:
        return 0.0 if self.gen is None else self.gen.capacity_mw


class NvmlUnavailable(GigawattError):
    """NVML could not be loaded or initialised (no NVIDIA driver or GPU)."""


def _nvml_error(nvml, exc) -> str:
    """NVML's error as a short text (its documented classes: NotSupported, NoPermission, ...)."""
    for name, text in (("NVMLError_NotSupported", "not supported on this GPU"),
                       ("NVMLError_NoPermission", "no permission (setting power limits needs root)"),
                       ("NVMLError_InvalidArgument", "outside the GPU's limits"),
                       ("NVMLError_GpuIsLost", "the GPU is lost")):
        cls = getattr(nvml, name, None)
        if cls is not None and isinstance(exc, cls):
            return text
    return str(exc) or type(exc).__name__


class NvmlGpus:
    """This machine's NVIDIA GPUs through NVML (``pynvml`` of ``nvidia-ml-py``).

    Power values from NVML are in milliwatts; the constraints ``(min, max)`` bound the limit that
    ``nvmlDeviceSetPowerManagementLimit`` accepts, and the default limit is the board power (TDP)
    a cap fraction refers to.
    """

    def __init__(self, nvml=None):
        if nvml is None:
            try:
                import pynvml as nvml
            except ImportError as exc:  # pragma: no cover - a declared dependency
                raise NvmlUnavailable(f"NVML: the nvidia-ml-py package is missing ({exc})") from None
        self.nvml = nvml
        try:
            nvml.nvmlInit()
            count = nvml.nvmlDeviceGetCount()
        except nvml.NVMLError as exc:
            raise NvmlUnavailable(f"NVML is not available on this machine: {_nvml_error(nvml, exc)}") from None
        self.gpus = []
        for i in range(count):
            h = nvml.nvmlDeviceGetHandleByIndex(i)
            name = nvml.nvmlDeviceGetName(h)
            name = name.decode() if isinstance(name, bytes) else str(name)
            row = {"index": i, "name": name, "handle": h, "note": ""}
            try:
                lo, hi = nvml.nvmlDeviceGetPowerManagementLimitConstraints(h)
                row["min_w"], row["max_w"] = lo / 1000.0, hi / 1000.0
                row["default_w"] = nvml.nvmlDeviceGetPowerManagementDefaultLimit(h) / 1000.0
                row["limit_w"] = nvml.nvmlDeviceGetPowerManagementLimit(h) / 1000.0
            except nvml.NVMLError as exc:
                row["min_w"] = row["max_w"] = row["default_w"] = row["limit_w"] = None
                row["note"] = f"power limits: {_nvml_error(nvml, exc)}"
            self.gpus.append(row)

    def close(self) -> None:
        try:
            self.nvml.nvmlShutdown()
        except self.nvml.NVMLError:
            pass

    def power_w(self) -> list:
        """Power drawn by each GPU [W] (``None`` where NVML does not report it)."""
        out = []
        for g in self.gpus:
            try:
                out.append(self.nvml.nvmlDeviceGetPowerUsage(g["handle"]) / 1000.0)
            except self.nvml.NVMLError:
                out.append(None)
        return out

    def limits_for(self, cap_by_gpu: dict) -> list:
        """The power limit each GPU would get for a cap fraction of its default limit (TDP).

        Returns rows ``{index, name, cap, limit_w, note}``; a cap outside the GPU's
        constraints is clipped to them and the note says so; a GPU without power
        management gets ``limit_w = None`` and the reason.
        """
        rows = []
        for g in self.gpus:
            cap = cap_by_gpu.get(g["index"])
            row = {"index": g["index"], "name": g["name"], "cap": cap, "limit_w": None, "note": g["note"]}
            if cap is not None and g["default_w"] is not None:
                want = cap * g["default_w"]
                lim = min(g["max_w"], max(g["min_w"], want))
                row["limit_w"] = round(lim, 1)
                if lim != want:
                    row["note"] = f"cap {cap:.2f} of {g['default_w']:.0f} W is outside {g['min_w']:.0f}-" \
                                  f"{g['max_w']:.0f} W: clipped"
            elif cap is None:
                row["note"] = row["note"] or "not assigned to a job class: left alone"
            rows.append(row)
        return rows

    def set_limits(self, rows: list, dry_run: bool) -> list:
        """Set the rows' limits (``dry_run``: only report). Returns the rows with ``set`` and notes."""
        out = []
        for r in rows:
            r = dict(r)
            r["set"] = False
            if r["limit_w"] is not None and not dry_run:
                g = self.gpus[r["index"]]
                try:
                    self.nvml.nvmlDeviceSetPowerManagementLimit(g["handle"], int(round(r["limit_w"] * 1000)))
                    r["set"] = True
                except self.nvml.NVMLError as exc:
                    r["note"] = f"not set: {_nvml_error(self.nvml, exc)}"
            out.append(r)
        return out


def gpu_caps(site: AgentSite, caps: dict, paused: dict, gpus: NvmlGpus) -> dict:
    """Cap fraction per GPU index from the job classes' caps (``agent.gpus`` maps classes to GPUs;
    without it every GPU runs the first class). A paused class's GPUs get their lowest limit
    (the pause itself is the job scheduler's: checkpoint and stop)."""
    mapping = site.gpus or {site.jobs[0].name: tuple(g["index"] for g in gpus.gpus)}
    out = {}
    for name, idx in mapping.items():
        c = 0.0 if paused.get(name, 0.0) >= 1.0 else caps.get(name, 1.0)
        for i in idx:
            if i < len(gpus.gpus):
                out[i] = c
    return out


class NvmlCompute(SimCompute):
    """The site model (no fluctuation) with the job classes' caps set on this machine's GPUs.

    One machine is not the site: site power, target and training cost are the model's; the
    GPUs' own readings are in :attr:`last_rows`. ``dry_run`` reports what it would set.
    """

    def __init__(self, site: AgentSite, gpus: NvmlGpus, dry_run: bool = False, say=print):
        super().__init__(site, noise_sd=0.0)
        self.gpus, self.dry_run, self.say = gpus, dry_run, say
        self.last_rows: list = []
        self._sent: dict = {}

    def apply(self, caps: dict, paused: dict) -> None:
        super().apply(caps, paused)
        want = gpu_caps(self.site, self.caps, self.paused_cmd, self.gpus)
        if all(abs(want.get(i, 1.0) - self._sent.get(i, 1.0)) < 0.01 for i in set(want) | set(self._sent)):
            return
        self.last_rows = self.gpus.set_limits(self.gpus.limits_for(want), self.dry_run)
        self._sent = want
        for r in self.last_rows:
            verb = "would set" if self.dry_run else ("set" if r["set"] else "did not set")
            self.say(f"GPU {r['index']} ({r['name']}): {verb} {r['limit_w']} W (cap {r['cap']}) {r['note']}".rstrip())
