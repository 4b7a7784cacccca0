"""``gigawatt capacity-value``: ELCC and equivalent firm capacity of a resource."""

from __future__ import annotations

import typer

from gigawatt.cli._common import MAX_MW, MAX_SAMPLES, MAX_SEED, finite, print_json, status
from gigawatt.errors import InputError


def capacity_value_cmd(
    system: str = typer.Option(..., "--system", help="A .pras file or embedded system name (e.g. ieee-rts79)."),
    battery_mw: float = typer.Option(0.0, "--battery-mw", callback=finite(-MAX_MW, MAX_MW, "MW"),
                                     help="Battery power [MW]."),
    battery_mwh: float = typer.Option(None, "--battery-mwh", callback=finite(-MAX_MW, MAX_MW, "MWh"),
                                      help="Battery energy [MWh] (default 4 h x power)."),
    onsite_mw: float = typer.Option(0.0, "--onsite-mw", callback=finite(-MAX_MW, MAX_MW, "MW"),
                                    help="On-site gas turbines [MW] (units <= 50 MW, FOR 0.031)."),
    dr_mw: float = typer.Option(0.0, "--dr-mw", callback=finite(-MAX_MW, MAX_MW, "MW"),
                                help="Demand response / curtailment contract [MW]."),
    dr_hours: float = typer.Option(100.0, "--dr-hours", callback=finite(-MAX_MW, MAX_MW, "hours"),
                                   help="Its yearly budget [full-load h/yr]."),
    region: list[str] = typer.Option(None, "--region", help="Region (repeatable); default: by energy share."),
    target: str = typer.Option("lole_d=0.1", "--target", help="Metric compared, and the level the base system is "
                               "loaded to, METRIC=VALUE."),
    base_load_mw: float = typer.Option(None, "--base-load-mw", callback=finite(-MAX_MW, MAX_MW, "MW"),
                                       help="Load added before measuring [MW] "
                                       "(default: the firm headroom at --target)."),
    samples: int = typer.Option(1000, "--samples", "-n", min=1, max=MAX_SAMPLES, help="Monte Carlo samples per trial."),
    seed: int = typer.Option(1, "--seed", min=0, max=MAX_SEED,
                             help="Seed shared by every trial (common random numbers)."),
    as_json: bool = typer.Option(False, "--json", help="Print results as JSON."),
) -> None:
    """ELCC and equivalent firm capacity [MW] of one resource, as Monte Carlo intervals."""
    what = ", ".join(f"{name} {v:g} MW" for name, v in (("battery", battery_mw), ("on-site generation", onsite_mw),
                                                         ("demand response", dr_mw)) if v)
    status(f"gigawatt capacity-value: {what or 'no resource given'} on {system}, target {target}, "
           f"{samples} samples a trial, seed {seed}")
    from rich.console import Console

    from gigawatt.capacity import Target
    from gigawatt.capacity.value import capacity_value
    from gigawatt.cli._reliability import _mw, build_resources, setup

    tgt = Target.parse(target)
    sys_, placement, mc = setup(system, region, samples, seed)
    res = build_resources(placement, battery_mw, battery_mwh, onsite_mw, dr_mw, dr_hours)
    if len(res) != 1:
        raise InputError("capacity-value: give exactly one resource: --battery-mw, --onsite-mw or --dr-mw")
    cv = capacity_value(sys_, res[0], target=tgt, base_load_mw=base_load_mw, placement=placement, mc=mc)
    if as_json:
        print_json(cv.to_dict())
        return
    con = Console()
    con.print(f"{system}: capacity value of {cv.resource}; {tgt.metric} compared at +{cv.base_load_mw:,.0f} MW "
              f"({cv.base} without, {cv.with_resource} with); {mc.samples} samples, seed {mc.seed}", highlight=False)
    for label, c in (("ELCC", cv.elcc), ("EFC", cv.efc)):
        con.print(f"{label}: {_mw(c.low_mw)} to {_mw(c.high_mw)} MW (mean crossing {_mw(c.estimate_mw)} MW, "
                  f"{c.n_trials} trials)", highlight=False)


def register(app) -> None:
    """Register ``capacity-value`` on the top-level app."""
    app.command("capacity-value")(capacity_value_cmd)
