"""`gigawatt headroom`: how much new load fits.

One command, several modes chosen by the input given:

* ``--eia930 FILE [FILE ...]``: curtailment-enabled headroom of the Duke study
  (:mod:`gigawatt.duke.method`) from EIA-930 demand files or folders.
* ``--system SYSTEM``: reliability headroom (issue 6): the largest new load at which a
  reliability target holds, by Monte Carlo (:mod:`gigawatt.capacity`); options in
  :mod:`gigawatt.cli._reliability`.
"""

from __future__ import annotations

from pathlib import Path

import typer

from gigawatt.cli._common import MAX_MW, MAX_SAMPLES, MAX_SEED, finite, print_json, status
from gigawatt.errors import InputError


def parse_years(text: str) -> tuple[int, int]:
    """``"2016-2024"`` -> (2016, 2024); ``"2020"`` -> (2020, 2020)."""
    try:
        parts = [int(p) for p in text.split("-")]
    except ValueError:
        raise InputError(f"--years must be YEAR or FIRST-LAST (e.g. 2016-2024), got {text!r}") from None
    if len(parts) == 1:
        parts = parts * 2
    if len(parts) != 2 or parts[1] < parts[0] or not (1900 < parts[0] < 2200):
        raise InputError(f"--years must be YEAR or FIRST-LAST with FIRST <= LAST, got {text!r}")
    return parts[0], parts[1]


def parse_limits(text: str) -> list[tuple[str, float]]:
    """``"0.25,0.5,1,5"`` [percent] -> [("0.25", 0.0025), ...] (label, fraction)."""
    out = []
    for tok in text.split(","):
        tok = tok.strip()
        try:
            pct = float(tok)
        except ValueError:
            raise InputError(f"--limits must be comma-separated percentages, e.g. 0.25,0.5,1,5; got {tok!r}") from None
        if not 0 < pct < 100:
            raise InputError(f"--limits: each limit must be a percentage in (0, 100), got {tok!r}")
        out.append((f"{pct:g}", pct / 100.0))
    if not out:
        raise InputError("--limits is empty")
    return out


def headroom(
    files: list[Path] = typer.Argument(None, metavar="[FILE]...", help="More EIA-930 files/folders (after --eia930)."),
    eia930: list[Path] = typer.Option(None, "--eia930", help="EIA-930 demand file or folder (Duke mode); "
                                      "several files are joined in time, the later wins where they overlap."),
    ba: str = typer.Option(None, "--ba", help="Balancing authority code, or 'all' for the 22 BAs of the Duke study."),
    years: str = typer.Option("2016-2024", "--years", help="Study years, FIRST-LAST (calendar years in --tz)."),
    limits: str = typer.Option("0.25,0.5,1,5", "--limits", help="Curtailment-rate limits [percent]."),
    tz: str = typer.Option("UTC", "--tz", help="Time zone of seasons and years (the Duke study used UTC)."),
    demand: str = typer.Option("auto", "--demand", help="Demand column: auto, cleaned, adjusted or raw."),
    clean: bool = typer.Option(True, "--clean/--no-clean", help="Repair missing values and outliers (audited)."),
    system: str = typer.Option(None, "--system", help="A .pras file or embedded system name, e.g. ieee-rts79 "
                               "(reliability headroom)."),
    target: str = typer.Option("lole_d=0.1", "--target", help="Reliability target METRIC=VALUE; metrics lole_d "
                               "[d/yr], lolh_h [h/yr], eue_mwh [MWh/yr], neue_ppm [ppm] (--system)."),
    dc_contract: str = typer.Option("firm", "--dc-contract", help="firm, capped:HOURSh or "
                                    "connect-and-manage[:PERCENT%] (--system)."),
    region: list[str] = typer.Option(None, "--region", help="Region of the new load (repeatable); default: "
                                     "all regions by energy share (--system)."),
    utilisation: float = typer.Option(1.0, "--utilisation", callback=finite(-MAX_MW, MAX_MW, ""),
                                      help="Constant utilisation of the new load, fraction "
                                      "of nameplate drawn [0-1] (--system)."),
    battery_mw: float = typer.Option(0.0, "--battery-mw", callback=finite(-MAX_MW, MAX_MW, "MW"),
                                     help="Battery power in the load's region(s) [MW]."),
    battery_mwh: float = typer.Option(None, "--battery-mwh", callback=finite(-MAX_MW, MAX_MW, "MWh"),
                                      help="Battery energy [MWh] (default 4 h x power)."),
    onsite_mw: float = typer.Option(0.0, "--onsite-mw", callback=finite(-MAX_MW, MAX_MW, "MW"),
                                    help="On-site gas turbines [MW] (units <= 50 MW, FOR 0.031)."),
    samples: int = typer.Option(1000, "--samples", "-n", min=1, max=MAX_SAMPLES,
                                help="Monte Carlo samples per trial (--system)."),
    seed: int = typer.Option(1, "--seed", min=0, max=MAX_SEED,
                             help="Seed shared by every trial: common random numbers (--system)."),
    sweep: str = typer.Option(None, "--sweep", help="OPTION=SIZE,... with OPTION battery_mw, curtailment_h or "
                              "onsite_mw: headroom against flexibility (--system)."),
    max_load_mw: float = typer.Option(None, "--max-load-mw", callback=finite(-MAX_MW, MAX_MW, "MW"),
                                      help="Largest new load tried [MW] (default 3 x peak)."),
    as_json: bool = typer.Option(False, "--json", help="Print results as JSON."),
    plot: Path = typer.Option(None, "--plot", help="Write a PNG: curtailment rate vs added load (Duke) or the "
                              "--sweep curve (--system)."),
):
    """Headroom for new load: curtailment-enabled (Duke, --eia930) or reliability (--system)."""
    if eia930 or files:
        if not eia930:
            raise InputError("FILE arguments need --eia930 before them (gigawatt headroom --eia930 FILE [FILE ...])")
        if system is not None:
            raise InputError("give either --eia930 (Duke headroom) or --system (reliability headroom), not both")
        n = len(eia930) + len(files or [])
        status(f"gigawatt headroom: curtailment-enabled headroom (Duke method)" + (f" of {ba}" if ba else "")
               + f", {years}, limits {limits} %, from {n} EIA-930 path{'s' if n > 1 else ''}")
        _duke_mode(list(eia930) + list(files or []), ba, years, limits, tz, demand, clean, as_json, plot)
        return
    if system is not None:
        status(f"gigawatt headroom: reliability headroom of {system}, target {target}, contract {dc_contract}, "
               f"{samples} samples a trial, seed {seed}" + (f", sweep {sweep}" if sweep else ""))
        from gigawatt.cli._reliability import reliability_mode

        reliability_mode(system, target=target, contract=dc_contract, regions=region, utilisation=utilisation,
                         battery_mw=battery_mw,
                         battery_mwh=battery_mwh, onsite_mw=onsite_mw, samples=samples, seed=seed, sweep=sweep,
                         max_load_mw=max_load_mw, as_json=as_json, plot=plot)
        return
    raise InputError("give --eia930 FILE [FILE ...] (Duke curtailment headroom) or --system SYSTEM")


def _duke_mode(paths, ba, years, limits, tz, demand, clean, as_json, plot) -> None:
    from gigawatt.cleaning import CleaningRules
    from gigawatt.duke.study import headroom_from_series
    from gigawatt.io.demand import load_demand
    from gigawatt.io.eia930 import STUDY_BAS

    if not ba:
        raise InputError("--ba is required with --eia930 (a BA code such as PJM, or 'all')")
    first, last = parse_years(years)
    lims = parse_limits(limits)
    bas = list(STUDY_BAS) if ba.lower() == "all" else [ba]
    rules = CleaningRules(enabled=clean)
    results, series, audits = {}, {}, {}
    for code in bas:
        s, audit, _ = load_demand(paths, code, first_year=first, last_year=last, tz=tz, demand=demand, rules=rules)
        res = headroom_from_series(s, first_year=first, last_year=last, tz=tz, limits=[f for _, f in lims])
        results[code] = res
        series[code] = s
        audits[code] = audit
    if plot is not None:
        from gigawatt.report.plots import plot_rate_curves

        plot_rate_curves(series, results, first_year=first, last_year=last, tz=tz, path=plot)
    if as_json:
        print_json({code: {label: _json_entry(res["limits"][f]) for label, f in lims}
                    for code, res in results.items()})
        return
    _print_table(results, audits, lims, first, last, tz)


def _json_entry(r: dict) -> dict:
    return {
        "headroom_mw": r["headroom_mw"],
        "curtailed_hours_per_year": r["curtailed_hours_per_year"],
        "events_per_year": r["events_per_year"],
        "mean_event_duration_h": r["mean_event_duration_h"],
        "share_hours_retaining": dict(r["share_hours_retaining"]),
    }


def _print_table(results, audits, lims, first, last, tz) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    from gigawatt.cli._common import error_console

    console = Console()
    console.print(f"Curtailment-enabled headroom (Duke method), {first}-{last}, seasons in {tz}", highlight=False)
    total_label = f"all {len(results)}"
    width = max([2, len(total_label) if len(results) > 1 else 0] + [len(c) for c in results])
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0))
    table.add_column("BA", min_width=width, no_wrap=True)
    for col in ("limit %", "headroom MW", "curtailed h/yr", "winter/summer", "events/yr", "event h",
                "kept 50/75/90%"):
        table.add_column(col, justify="right")
    for code, res in results.items():
        for label, f in lims:
            r = res["limits"][f]
            sh = r["share_hours_retaining"]
            table.add_row(code, label, f"{r['headroom_mw']:,.0f}", f"{r['curtailed_hours_per_year']:.1f}",
                          f"{r['curtailed_hours_per_year_winter']:.1f}/{r['curtailed_hours_per_year_summer']:.1f}",
                          f"{r['events_per_year']:.1f}", f"{r['mean_event_duration_h']:.1f}",
                          f"{sh['50']:.0%}/{sh['75']:.0%}/{sh['90']:.0%}")
    if len(results) > 1:
        for label, f in lims:
            total = sum(res["limits"][f]["headroom_mw"] for res in results.values())
            table.add_row(total_label, label, f"{total:,.0f}", "", "", "", "", "")
    console.print(table)
    console.print("curtailed h/yr: hours with curtailment a year (winter/summer: by season); event h: mean "
                  "event length; kept: share of curtailed hours that keep >= 50/75/90 % of the new load",
                  highlight=False)
    n_rep = {code: int((a["rule"] != "duplicate_hour").sum()) for code, a in audits.items()}
    repaired = ", ".join(f"{c} {n}" for c, n in n_rep.items() if n)
    error_console.print(f"cleaning: hours repaired per BA: {repaired or 'none'} "
                        "(see `gigawatt data check FILE` for the list)", highlight=False)


def register(app) -> None:
    """Register this module's commands on the top-level app."""
    app.command("headroom")(headroom)
