"""``gigawatt headroom --system``: reliability headroom, sweeps (calls :mod:`gigawatt.capacity` only)."""

from __future__ import annotations

from gigawatt.cli._common import error_console, print_json
from gigawatt.errors import InputError


def _fmt(e) -> str:
    return "-" if e is None else f"{e.mean:.4g} ± {e.stderr:.2g}"


def _mw(x) -> str:
    return f"{x:,.0f}" if x is not None and abs(x) != float("inf") else "unbounded"


def build_resources(placement, battery_mw, battery_mwh, onsite_mw, dr_mw=0.0, dr_hours=0.0):
    """Resource builders from the CLI options (validated; negative values name their option)."""
    from gigawatt.capacity import BatteryOption, DemandResponseOption, OnsiteGenerationOption

    out = []
    if battery_mw is None or battery_mw < 0:
        raise InputError(f"--battery-mw: expected a non-negative number of MW, got {battery_mw!r}")
    if battery_mwh is not None and battery_mwh < 0:
        raise InputError(f"--battery-mwh: expected a non-negative number of MWh, got {battery_mwh!r}")
    if battery_mwh and not battery_mw:
        raise InputError("--battery-mwh needs --battery-mw (the battery's power)")
    if battery_mw:
        out.append(BatteryOption(battery_mw, 4.0 * battery_mw if battery_mwh is None else battery_mwh, placement=placement))
    if onsite_mw is None or onsite_mw < 0:
        raise InputError(f"--onsite-mw: expected a non-negative number of MW, got {onsite_mw!r}")
    if onsite_mw:
        units = max(1, int(-(-onsite_mw // 50.0)))
        out.append(OnsiteGenerationOption(onsite_mw / units, units, placement=placement))
    if dr_mw < 0 or dr_hours < 0:
        raise InputError(f"--dr-mw/--dr-hours: expected non-negative numbers, got {dr_mw!r}/{dr_hours!r}")
    if dr_mw:
        out.append(DemandResponseOption(dr_mw, dr_hours, placement=placement))
    return tuple(out)


def setup(system, regions, samples, seed, utilisation=1.0):
    """(SystemModel, Placement, MonteCarlo) from CLI options."""
    from gigawatt.capacity import MonteCarlo, Placement
    from gigawatt.cli.adequacy import load_system

    sys_ = load_system(str(system))
    if not 0 < utilisation <= 1:
        raise InputError(f"--utilisation: expected a fraction in (0, 1], got {utilisation!r}")
    placement = Placement(tuple(regions or ()), utilisation)
    placement.shares(sys_)  # unknown regions -> InputError naming --region
    return sys_, placement, MonteCarlo(samples, seed)


def reliability_mode(system, *, target, contract, regions, utilisation, battery_mw, battery_mwh, onsite_mw, samples, seed,
                     sweep, max_load_mw, as_json, plot) -> None:
    """Run the reliability headroom (or a sweep) and print a table or JSON."""
    from gigawatt.capacity import Target, parse_contract, reliability_headroom

    tgt = Target.parse(target)
    sys_, placement, mc = setup(system, regions, samples, seed, utilisation)
    resources = build_resources(placement, battery_mw, battery_mwh, onsite_mw)
    builder = parse_contract(contract, placement)
    if max_load_mw is not None and not max_load_mw > 0:
        raise InputError(f"--max-load-mw: expected a positive number of MW, got {max_load_mw!r}")
    if sweep:
        if resources or contract.strip().lower() != "firm":
            raise InputError("--sweep varies one option on firm load; drop --battery-mw, --onsite-mw and "
                             "--dc-contract (sweep curtailment_h for capped contracts)")
        return _sweep_mode(sys_, sweep, tgt, placement, mc, plot, as_json, str(system), max_load_mw)
    if plot is not None:
        raise InputError("--plot with --system draws a --sweep; give --sweep OPTION=SIZES")
    res = reliability_headroom(sys_, tgt, contract=builder, placement=placement, resources=resources, mc=mc,
                               max_load_mw=max_load_mw)
    if as_json:
        print_json(res.to_dict())
        return
    from rich.console import Console
    from rich.table import Table

    c = res.crossing
    t = res.to_dict()["target"]
    con = Console()
    con.print(f"{system}: reliability headroom, contract {res.contract}"
              + (f", with {', '.join(res.resources)}" if res.resources else "")
              + f"; target {t['metric']} <= {t['value']:g} {t['unit']}; {mc.samples} samples, seed {mc.seed}",
              highlight=False)
    table = Table("", "new load [MW]", f"{t['metric']} (mean ± stderr)")
    table.add_row("low (meets the target with confidence)", _mw(c.low_mw), _fmt(c.achieved_low))
    table.add_row("crossing of the mean", _mw(c.estimate_mw), f"{t['value']:g}")
    table.add_row("high (fails the target with confidence)", _mw(c.high_mw), _fmt(c.achieved_high))
    con.print(table)
    con.print(f"base system: {_fmt(res.base)}; {c.n_trials} trials, interval at ±{c.z:g} standard errors.",
              highlight=False)
    for n in res.notes:
        error_console.print(f"note: {n}", highlight=False)


def _sweep_mode(sys_, text, tgt, placement, mc, plot, as_json, label, max_load_mw) -> None:
    from gigawatt.capacity.sweep import parse_sweep, sweep
    from gigawatt.report.plots import plot_sweep

    option, sizes = parse_sweep(text)
    df = sweep(sys_, option, sizes, target=tgt, placement=placement, mc=mc, max_load_mw=max_load_mw)
    if plot is not None:
        plot_sweep(df, title=f"{label}: headroom vs {option} ({tgt.metric} <= {tgt.value:g})", path=plot)
    if as_json:
        print_json({"option": option, "target": tgt.to_dict(), "samples": mc.samples, "seed": mc.seed,
                    "rows": [{k: (None if isinstance(v, float) and v != v else v) for k, v in r.items()}
                             for r in df.to_dict(orient="records")]})
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{label}: reliability headroom vs {option}, {tgt.metric} <= {tgt.value:g}, "
                  f"{mc.samples} samples, seed {mc.seed}")
    for col in ("size", "low MW", "estimate MW", "high MW", "gain MW", "trials", "s"):
        table.add_column(col, justify="right")
    for r in df.itertuples():
        table.add_row(f"{r.size:g}", _mw(r.headroom_low_mw), _mw(r.headroom_estimate_mw), _mw(r.headroom_high_mw),
                      f"{r.gain_mw:+,.0f}", str(r.trials), f"{r.seconds:.1f}")
    Console().print(table)
