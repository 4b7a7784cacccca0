"""`gigawatt dynamics` sub-commands: trace, smooth, frequency.

Only calls the public API of :mod:`gigawatt.dynamics`; plots are in
:mod:`gigawatt.cli._dynamics_plots`.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Optional

import typer

from gigawatt.cli._common import MAX_SEED, print_json, status
from gigawatt.errors import InputError

dynamics_app = typer.Typer(
    rich_markup_mode=None,
    name="dynamics",
    help="Fast dynamics: training power swings, smoothing, frequency after a trip.",
    no_args_is_help=True,
)

Gpus = Annotated[int, typer.Option("--gpus", help="GPUs at the site.")]
Jobs = Annotated[int, typer.Option("--jobs", help="Equal training jobs sharing the GPUs.")]
Hours = Annotated[float, typer.Option("--hours", help="Simulated time [h].")]
Dt = Annotated[float, typer.Option("--dt", help="Time step [s] (0.01-1).")]
Seed = Annotated[int, typer.Option("--seed", min=0, max=MAX_SEED, help="Random seed, 0 to 2**63-1 (reproducible).")]
Period = Annotated[float, typer.Option("--step-period", help="Training step period [s].")]
Phase = Annotated[str, typer.Option("--phase", help="'in' (all jobs in phase) or 'random'.")]
Restart = Annotated[float, typer.Option("--restart", help="Restart time after a failure [s].")]
Json = Annotated[bool, typer.Option("--json", help="Print a JSON summary.")]
Plot = Annotated[Optional[Path], typer.Option("--plot", help="Write a PNG plot here.")]


def _site(gpus: int, jobs: int, phase: str, period: float, restart: float):
    from gigawatt.dynamics import colossus_like_site

    if phase not in ("in", "random"):
        raise InputError(f"--phase: expected 'in' or 'random', got {phase!r}")
    if gpus < 1:
        raise InputError(f"--gpus: expected a whole number >= 1, got {gpus}")
    if jobs < 1 or jobs > gpus:
        raise InputError(f"--jobs: expected a whole number in [1, --gpus], got {jobs}")
    return colossus_like_site(gpus, jobs, in_phase=phase == "in", step_period_s=period,
                              restart_s=restart)


def _limits(ramp: float, band_rms: float, band_low: float, band_high: float, step: float):
    from gigawatt.dynamics import ComplianceLimits

    inf = math.inf
    return ComplianceLimits(
        max_ramp_mw_per_s=ramp if ramp > 0 else inf,
        max_band_rms_mw=band_rms if band_rms > 0 else inf,
        band_hz=(band_low, band_high), max_step_mw=step if step > 0 else inf)


#: most time steps one command simulates (a limit that protects memory: a trace holds about
#: 150 MB per million steps)
MAX_STEPS = 10_000_000


def _duration(hours: float, dt: float | None = None) -> float:
    if not hours > 0 or not math.isfinite(hours):
        raise InputError(f"--hours: expected a number > 0, got {hours}")
    if dt is not None:
        _check_steps(hours * 3600.0, dt, "--hours")
    return hours * 3600.0


def _check_steps(duration_s: float, dt: float, option: str) -> None:
    """Refuse a duration and time step that would need more than :data:`MAX_STEPS` steps."""
    if not (math.isfinite(dt) and dt > 0):
        raise InputError(f"--dt: expected a finite number of seconds > 0, got {dt}")
    if duration_s / dt > MAX_STEPS:
        raise InputError(f"{option}/--dt: {duration_s:g} s at {dt:g} s is {duration_s / dt:,.3g} time steps; "
                         f"expected at most {MAX_STEPS:,} (a limit that protects memory)")


@dynamics_app.command("trace")
def trace_cmd(gpus: Gpus = 550_000, jobs: Jobs = 8, hours: Hours = 1.0, dt: Dt = 0.1,
              seed: Seed = 0, step_period: Period = 4.0, phase: Phase = "in",
              restart: Restart = 600.0, json: Json = False, plot: Plot = None) -> None:
    """Sub-second power of an AI training site (Colossus-like by default)."""
    status(f"gigawatt dynamics trace: {gpus:,} GPUs, {jobs} jobs ({phase} phase), {hours:g} h at {dt:g} s, "
           f"seed {seed}")
    from gigawatt.dynamics import ComplianceLimits, check_compliance, site_power

    site = _site(gpus, jobs, phase, step_period, restart)
    tr = site_power(site, _duration(hours, dt), dt, seed=seed)
    rep = check_compliance(tr.facility_mw, dt, ComplianceLimits())
    out = {
        "gpus": gpus, "jobs": jobs, "hours": hours, "dt_s": dt, "seed": seed,
        "facility_mw": {"mean": float(tr.facility_mw.mean()), "min": float(tr.facility_mw.min()),
                        "max": float(tr.facility_mw.max())},
        "it_mean_mw": float(tr.it_mw.mean()),
        "failures": int(tr.schedule.n_failures.sum()),
        "checkpoints": int(tr.schedule.n_checkpoints.sum()),
        "max_ramp_mw_per_s": rep.max_ramp_mw_per_s,
        "p99_ramp_mw_per_s": rep.percentile_ramp_mw_per_s,
        "max_step_1s_mw": rep.max_step_mw,
        "band_hz": list(rep.band_hz), "band_rms_mw": rep.band_rms_mw,
    }
    if plot is not None:
        from gigawatt.cli._dynamics_plots import plot_trace

        plot_trace(plot, tr.time_s, {"facility": tr.facility_mw, "IT": tr.it_mw})
        out["plot"] = str(plot)
    _emit(out, json)


@dynamics_app.command("smooth")
def smooth_cmd(gpus: Gpus = 550_000, jobs: Jobs = 8, hours: Hours = 0.5, dt: Dt = 0.1,
               seed: Seed = 0, step_period: Period = 4.0, phase: Phase = "in",
               restart: Restart = 600.0,
               floor: Annotated[float, typer.Option(help="GPU power floor [fraction of TDP]; 0 = off.")] = 0.0,
               filler: Annotated[float, typer.Option(help="Filler power in communication [fraction of TDP].")] = 0.0,
               battery_mw: Annotated[float, typer.Option(help="Battery power [MW]; 0 = none.")] = 0.0,
               battery_mwh: Annotated[float, typer.Option(help="Battery energy [MWh].")] = 0.0,
               ramp_limit: Annotated[float, typer.Option(help="Grid-side ramp limit [MW/s]; 0 = none.")] = 10.0,
               band_rms: Annotated[float, typer.Option(help="Limit on RMS power in the band [MW]; 0 = none.")] = 0.0,
               band_low: Annotated[float, typer.Option(help="Oscillation band low edge [Hz].")] = 0.1,
               band_high: Annotated[float, typer.Option(help="Oscillation band high edge [Hz].")] = 20.0,
               step_limit: Annotated[float, typer.Option(help="Largest change within 1 s [MW]; 0 = none.")] = 0.0,
               filter_s: Annotated[float, typer.Option("--filter", help="Controller low-pass time constant [s].")] = 20.0,
               search: Annotated[bool, typer.Option(help="Also search the smallest floor and battery.")] = False,
               json: Json = False, plot: Plot = None) -> None:
    """Compare unsmoothed, GPU floor, battery and both against grid-side limits."""
    status(f"gigawatt dynamics smooth: {gpus:,} GPUs, {jobs} jobs ({phase} phase), {hours:g} h at {dt:g} s, "
           f"seed {seed}" + (", searching the smallest floor and battery" if search else ""))
    from gigawatt.dynamics import BatterySpec, GpuSmoothing, evaluate, site_power
    from gigawatt.dynamics.mitigation import default_controller, smallest_battery, smallest_floor

    site = _site(gpus, jobs, phase, step_period, restart)
    duration = _duration(hours, dt)
    limits = _limits(ramp_limit, band_rms, band_low, band_high, step_limit)
    ctl = default_controller(limits, filter_time_constant_s=filter_s)
    base = site_power(site, duration, dt, seed=seed)
    sm = GpuSmoothing(power_floor_fraction=floor, filler_power_fraction=filler)
    if battery_mw < 0 or battery_mwh < 0:
        raise InputError("--battery-mw/--battery-mwh: expected numbers >= 0")
    batt = BatterySpec(battery_mw, battery_mwh) if battery_mw > 0 else None
    cases = [("unsmoothed", GpuSmoothing(), None)]
    if sm.is_active:
        cases.append(("gpu smoothing", sm, None))
    if batt is not None:
        cases.append(("battery", GpuSmoothing(), batt))
        if sm.is_active:
            cases.append(("both", sm, batt))
    results = [evaluate(site, duration, dt, limits, seed=seed, smoothing=s, battery=b,
                        controller=ctl, baseline=base, label=lab) for lab, s, b in cases]
    out: dict = {"limits": {"ramp_mw_per_s": ramp_limit, "band_rms_mw": band_rms,
                            "band_hz": [band_low, band_high], "step_1s_mw": step_limit},
                 "cases": [r.summary() for r in results]}
    if search:
        out["smallest_floor_fraction"] = smallest_floor(site, duration, dt, limits, seed=seed)
        size = smallest_battery(base.facility_mw, dt, limits, ctl)
        out["smallest_battery"] = (None if size is None else
                                   {"power_mw": size.power_mw, "energy_mwh": size.energy_mwh})
    if plot is not None:
        from gigawatt.cli._dynamics_plots import plot_trace

        plot_trace(plot, base.time_s, {r.label: r.grid_mw for r in results})
        out["plot"] = str(plot)
    _emit(out, json)


@dynamics_app.command("frequency")
def frequency_cmd(
    trip_gw: Annotated[float, typer.Option(help="Size of the trip [GW].")] = 1.5,
    kind: Annotated[str, typer.Option(help="'load' (data center trips) or 'generator'.")] = "load",
    inertia_gws: Annotated[Optional[float], typer.Option(help="System kinetic energy [GW s]; default EI-like.")] = None,
    beta_mw_per_01hz: Annotated[Optional[float], typer.Option("--beta", help="Frequency response [MW per 0.1 Hz]; default EI-like.")] = None,
    deadband: Annotated[Optional[float], typer.Option(help="Governor deadband [Hz].")] = None,
    duration: Annotated[float, typer.Option(help="Simulated time [s].")] = 60.0,
    dt: Dt = 0.01, json: Json = False, plot: Plot = None) -> None:
    """Interconnection frequency after a data-center or generator trip (EI-like defaults)."""
    status(f"gigawatt dynamics frequency: {trip_gw:g} GW {kind} trip, {duration:g} s at {dt:g} s")
    from dataclasses import replace

    if kind not in ("load", "generator"):  # checked before the (slower) model import
        raise InputError(f"--kind: expected 'load' or 'generator', got {kind!r}")
    if not trip_gw > 0:
        raise InputError(f"--trip-gw: expected a number > 0, got {trip_gw}")
    from gigawatt.dynamics import FrequencySystem, data_center_trip, generator_trip, simulate_frequency

    sys_ = FrequencySystem()
    if inertia_gws is not None:
        if not inertia_gws > 0:
            raise InputError(f"--inertia-gws: expected a number > 0, got {inertia_gws}")
        sys_ = replace(sys_, inertia_mw_s=inertia_gws * 1000.0)
    if beta_mw_per_01hz is not None:
        beta = beta_mw_per_01hz * 10.0
        if beta <= sys_.load_damping_mw_per_hz:
            raise InputError(f"--beta: expected more than load damping "
                             f"({sys_.load_damping_mw_per_hz / 10:.0f} MW per 0.1 Hz), got {beta_mw_per_01hz}")
        sys_ = replace(sys_, governor_gain_mw_per_hz=beta - sys_.load_damping_mw_per_hz)
    if deadband is not None:
        if not deadband >= 0:
            raise InputError(f"--deadband: expected a number of Hz >= 0, got {deadband}")
        sys_ = replace(sys_, governor_deadband_hz=deadband)
    mw = trip_gw * 1000.0
    ev = data_center_trip(mw) if kind == "load" else generator_trip(mw, inertia_h_s=4.0)
    if not (math.isfinite(duration) and duration > 0):
        raise InputError(f"--duration: expected a finite number of seconds > 0, got {duration}")
    _check_steps(duration, dt, "--duration")
    res = simulate_frequency(sys_, [ev], duration, dt)
    out = {"trip_mw": mw, "kind": kind, "inertia_mw_s": sys_.inertia_mw_s,
           "beta_mw_per_hz": sys_.beta_mw_per_hz, "deadband_hz": sys_.governor_deadband_hz,
           **res.metrics()}
    if plot is not None:
        from gigawatt.cli._dynamics_plots import plot_frequency

        plot_frequency(plot, res.time_s, res.frequency_hz, f"{trip_gw:g} GW {kind} trip")
        out["plot"] = str(plot)
    _emit(out, json)


def _emit(out: dict, as_json: bool) -> None:
    if as_json:
        print_json(out)
        return
    from rich.console import Console
    from rich.pretty import Pretty

    Console().print(Pretty(out))


def register(app) -> None:
    """Register ``gigawatt dynamics ...`` on the top-level app."""
    app.add_typer(dynamics_app, name="dynamics")
