"""``gigawatt adequacy``: assess a system's resource adequacy."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from gigawatt.cli._common import MAX_SAMPLES, MAX_SEED, MAX_THREADS, compact, finite, print_json, status
from gigawatt.cli._execution import CHECKPOINT_HELP, SCHEDULER_HELP, WORKERS_HELP, executor_from_options
from gigawatt.errors import InputError


def load_system(spec: str):
    """A system from a ``.pras`` file, a named embedded system (e.g. ``ieee-rts79``) or a data-center
    scenario (``.toml``, see ``docs/datacenters.md``), which gives a ``DataCenterSystem``.

    Raises
    ------
    InputError
        Naming SYSTEM and what it is when it is a folder, a device or a pipe, or no such file.
    FileFormatError
        For a file that cannot be read as what its name says, naming the file (and for a scenario
        the field, e.g. the region of a site).
    """
    from gigawatt.io.catalogue import embedded_system, expected_names, is_embedded

    if is_embedded(spec):
        return embedded_system(spec)
    path = Path(spec)
    expected = f"expected a .pras file, a data-center scenario (.toml) or an embedded system: {expected_names()}"
    try:
        if path.is_dir():
            raise InputError(f"SYSTEM {spec!r}: is a folder; {expected}")
        if path.exists() and not path.is_file():
            raise InputError(f"SYSTEM {spec!r}: is not a regular file (a device, a pipe or a socket); {expected}")
    except OSError as exc:  # e.g. a name too long for the file system
        raise InputError(f"SYSTEM {spec!r}: cannot be used ({exc.strerror or exc}); {expected}") from None
    if path.suffix.lower() == ".toml":
        from gigawatt.errors import FileFormatError
        from gigawatt.io.scenario import read_scenario_system

        try:
            return read_scenario_system(path)
        except FileFormatError as exc:
            if _is_grid_description(path):  # a grid from a description: its system of the first study year
                from gigawatt.constants import FIRST_STUDY_YEAR
                from gigawatt.io.grid import load_grid, outlook_for

                return outlook_for(load_grid(path), (FIRST_STUDY_YEAR,)).system(FIRST_STUDY_YEAR)
            if _looks_like_outlook_scenario(path):
                raise InputError(f"{exc}. This looks like an outlook scenario: run it with "
                                 f"`gigawatt run {spec}`") from None
            raise
    if path.suffix.lower() == ".pras" or path.exists():
        from gigawatt.io.pras import read_pras

        return read_pras(path)
    raise InputError(f"SYSTEM {spec!r}: no such file or embedded system; {expected}")


def _is_grid_description(path: Path) -> bool:
    """True when ``path`` is TOML with a ``[grid]`` table (a grid description, docs/grids.md)."""
    from gigawatt.errors import GigawattError
    from gigawatt.io.scenario import load_toml

    try:
        return "grid" in load_toml(path)
    except GigawattError:
        return False


def _looks_like_outlook_scenario(path: Path) -> bool:
    """True when ``path`` is TOML with the outlook scenario's tables and none of a data-center scenario's."""
    from gigawatt.errors import GigawattError
    from gigawatt.io.scenario import load_toml

    try:
        doc = load_toml(path)
    except GigawattError:
        return False
    return not {"system", "sites"} & set(doc) and bool({"run", "data_centers", "capacity", "load", "policies"}
                                                       & set(doc))


def run_assessment(system, samples: int, seed: int, chunk_size: int | None, threads: int | None, quiet: bool,
                   executor=None, checkpoint_dir=None, info: dict | None = None):
    """Run the Monte Carlo with a progress bar on stderr.

    Returns (ShortfallResult, EventStatsResult), plus a DataCenterResult for a ``DataCenterSystem``.
    ``executor`` (default: this process) and ``checkpoint_dir`` are passed to
    :func:`gigawatt.execution.run_samples`; ``info`` receives its run statistics.
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from gigawatt import DataCenters, DataCenterSystem, EventStats, SequentialMonteCarlo, Shortfall
    from gigawatt.execution import run_samples

    is_dc = isinstance(system, DataCenterSystem)
    specs = (Shortfall(), EventStats()) + ((DataCenters(),) if is_dc else ())
    # at most 1000 samples a chunk: enough tasks for a cluster, fine-grained checkpoints; the layout
    # depends on the sample count only, so a rerun with other workers still resumes
    chunk = chunk_size or max(1, min(samples, 1000, max(100, samples // 20)))

    def run(progress):
        method = SequentialMonteCarlo(samples=samples, seed=seed, chunk_size=chunk, threads=threads,
                                      progress=progress)
        acc = run_samples(system, method, executor=executor, checkpoint_dir=checkpoint_dir, info=info)
        return tuple(s.finalize(acc, system) for s in specs)

    if quiet:
        return run(None)
    from gigawatt.cli._common import error_console

    where = getattr(executor, "description", "this process")
    with Progress(TextColumn(f"[bold]sampling[/] on {where}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total} samples"), TimeElapsedColumn(),
                  console=error_console, transient=True) as bar:
        task = bar.add_task("samples", total=samples)
        return run(lambda done, total: bar.update(task, completed=done))


def _fmt(e) -> str:
    return f"{compact(e.mean, 4)} ± {compact(e.stderr, 2)}"


#: shorter row labels for the terminal tables, so that they fit 100 columns (the full ones:
#: RESIDENT_FIELDS and SITE_FIELDS in gigawatt.results.datacenter)
_SHORT_LABELS = {
    "people_interrupted": "people with an outage [-]",
    "customers_interrupted": "customers with an outage [-]",
    "customer_hours": "customer-hours out [customer-h]",
    "mean_hours_per_customer": "mean hours out per affected customer [h]",
    "longest_outage_h": "longest outage of a block [h]",
    "collapsed_h": "hours of collapsed rotation [h]",
    "unserved_before_order_mwh": "unserved before emergency order [MWh]",
    "emergency_relief_mwh": "emergency relief, not load shed [MWh]",
    "max_depth_frac": "deepest cut / site load [-]",
    "battery_mwh": "battery discharged for the grid [MWh]",
    "battery_cycles": "battery cycles [-]",
    "recharge_mwh": "battery recharge from surplus [MWh]",
    "throughput_lost_frac": "GPU-hours lost / GPU-hours [-]",
    "restarts": "job restarts after pauses [-]",
}
#: terminal width the summary tables are made to fit
TABLE_WIDTH = 100


def register(app: typer.Typer) -> None:
    """Register ``adequacy`` on the top-level app."""

    @app.command()
    def adequacy(
        system: str = typer.Argument(..., help="A .pras file, an embedded system name (ieee-rts79, pjm-2026, "
                                     "ercot-2030, tva-2030: a grid's plain system of a study year), a data-center "
                                     "scenario or a grid description (.toml, its first study year)."),
        samples: int = typer.Option(1000, "--samples", "-n", min=1, max=MAX_SAMPLES,
                                    help=f"Monte Carlo samples (years), at most {MAX_SAMPLES:,}."),
        seed: int = typer.Option(1, "--seed", min=0, max=MAX_SEED,
                                 help="Random seed (0 to 2**63-1); sample i uses stream (seed, i)."),
        add_load_mw: float = typer.Option(0.0, "--add-load-mw", callback=finite(),
                                          help="Constant MW added to every region's load (|MW| <= 1e7)."),
        chunk_size: Optional[int] = typer.Option(None, "--chunk-size", min=1, max=MAX_SAMPLES,
                                                 help="Samples per chunk."),
        threads: Optional[int] = typer.Option(None, "--threads", min=1, max=MAX_THREADS,
                                              help="Threads (default: all cores)."),
        json_out: bool = typer.Option(False, "--json", help="Print one strict JSON object on stdout (null where "
                                      "a figure has no value, e.g. standard errors of one sample)."),
        workers: Optional[int] = typer.Option(None, "--workers", min=1, max=MAX_THREADS, help=WORKERS_HELP),
        scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="ADDRESS", help=SCHEDULER_HELP),
        checkpoint_dir: Optional[Path] = typer.Option(None, "--checkpoint-dir", metavar="DIR",
                                                      help=CHECKPOINT_HELP),
    ) -> None:
        """Sequential Monte Carlo adequacy assessment: LOLE, LOLH, EUE, NEUE with standard errors.

        With a data-center scenario (.toml) the loss-of-load figures are the residents' (firm load
        shed after the emergency order) and each data center's side is reported too.
        """
        status(f"gigawatt adequacy: {system}, {samples} samples, seed {seed}"
               + (f", +{add_load_mw:g} MW load" if add_load_mw else "")
               + (f", {workers} local Dask workers" if workers else "")
               + (f", Dask scheduler {scheduler}" if scheduler else "")
               + (f", checkpoints in {checkpoint_dir}" if checkpoint_dir is not None else ""))
        import dataclasses
        import time

        from rich.console import Console
        from rich.markup import escape
        from rich.table import Table

        from gigawatt import DataCenterSystem

        sys_ = load_system(system)
        is_dc = isinstance(sys_, DataCenterSystem)
        if add_load_mw:
            sys_ = (dataclasses.replace(sys_, system=sys_.system.with_added_load(add_load_mw)) if is_dc
                    else sys_.with_added_load(add_load_mw))
        info: dict = {}
        if checkpoint_dir is not None:  # fail before starting a cluster
            from gigawatt._files import ensure_writable_dir

            ensure_writable_dir(checkpoint_dir)
        t0 = time.perf_counter()
        with executor_from_options(workers, scheduler) as ex:
            res = run_assessment(sys_, samples, seed, chunk_size, threads, quiet=False, executor=ex,
                                 checkpoint_dir=checkpoint_dir, info=info)
        wall = time.perf_counter() - t0
        short, events = res[0], res[1]
        from gigawatt.capacity.targets import horizon_years

        years = horizon_years(sys_)  # a sample of several weather years is reported per year
        if years != 1.0:
            short = short.per_year(years)
        summary = {"samples": samples, "seed": seed, **{k: v for k, v in short.to_dict().items() if k != "samples"}}
        summary["years_per_sample"] = years
        summary["add_load_mw"] = add_load_mw
        summary["mean_event_duration_h"] = events.mean_duration_h()
        summary["wall_s"] = round(wall, 2)
        if is_dc:
            summary["datacenters"] = {k: v for k, v in res[2].to_dict().items() if k != "samples"}
        if samples < 2:
            summary["notes"] = ["standard errors are null: they need at least 2 samples"]
        if checkpoint_dir is not None:
            from gigawatt.cli._common import error_console
            from gigawatt._files import atomic_write_json

            atomic_write_json(Path(info["checkpoint"]) / "summary.json", {"system": system, **summary}, durable=True)
            bad = info.get("rejected_chunks") or []
            error_console.print(f"checkpoints in {info['checkpoint']}: {info['reused_samples']} samples "
                                f"reused, {info['computed_samples']} computed"
                                + (f"; {len(bad)} damaged chunk file{'s' if len(bad) > 1 else ''} removed and "
                                   "recomputed" if bad else ""), highlight=False)
        if json_out:
            print_json(summary)
            return
        con = Console()
        con.print(f"[bold]{system}[/]: {sys_.n_periods} periods of {sys_.timeaxis.step_h:g} h, "
                  f"{len(sys_.regions)} region(s), {samples} samples, seed {seed}"
                  + (f", +{add_load_mw:g} MW load" if add_load_mw else "")
                  + (f"; each sample is {years:g} years (weather years back to back), figures per year"
                     if years != 1.0 else ""))
        table = Table("", *map(escape, ("LOLE [d/yr]", "LOLH [h/yr]", "EUE [MWh/yr]", "NEUE [ppm]")))
        table.add_row("system", _fmt(short.lole_d), _fmt(short.lolh_h), _fmt(short.eue_mwh), _fmt(short.neue_ppm))
        for name, r in short.regions.items():
            table.add_row(escape(name), _fmt(r.lole_d), _fmt(r.lolh_h), _fmt(r.eue_mwh), _fmt(r.neue_ppm))
        con.print(table)
        if is_dc:
            _print_datacenters(con, res[2])
        verdict = "meets" if short.lole_d.mean <= 0.1 else "fails"
        con.print(f"LOLE {compact(short.lole_d.mean, 3)} days/yr {verdict} the 0.1 day/yr (1 day in 10 years) "
                  "standard; "
                  f"{short.events.mean:.3g} events/yr, mean duration {events.mean_duration_h():.3g} h.")


def _site_groups(names, cells, label_width: int, width: int = TABLE_WIDTH) -> list[list[str]]:
    """Data centers in consecutive groups whose table (label column + one column each) fits ``width``."""
    groups: list[list[str]] = []
    used = width  # start a new group at the first name
    for n in names:
        col = max([len(n)] + [len(c) for c in cells[n]]) + 3  # padding and rule
        if used + col > width and (not groups or groups[-1]):
            groups.append([])
            used = label_width + 4  # borders, padding and the label column
        groups[-1].append(n)
        used += col
    return groups


def _print_datacenters(con, dc) -> None:
    """Residents' and each data center's figures as tables, as many data centers a table as fit 100 columns."""
    from rich.markup import escape
    from rich.table import Table

    from gigawatt.results.datacenter import RESIDENT_FIELDS, SITE_FIELDS

    t = Table("residents (per year)", "mean ± se")
    for k, label in RESIDENT_FIELDS.items():
        t.add_row(escape(_SHORT_LABELS.get(k, label)), _fmt(dc.residents[k]))
    con.print(t)
    labels = {k: escape(_SHORT_LABELS.get(k, label)) for k, label in SITE_FIELDS.items()}
    label_width = max(len(_SHORT_LABELS.get(k, label)) for k, label in SITE_FIELDS.items())
    cells = {n: [_fmt(dc.sites[n][k]) for k in SITE_FIELDS] for n in dc.sites}
    for group in _site_groups(list(dc.sites), cells, max(label_width, len("data center (per year)"))):
        t = Table("data center (per year)", *map(escape, group))
        for i, k in enumerate(SITE_FIELDS):
            t.add_row(labels[k], *(cells[n][i] for n in group))
        con.print(t)
