"""``gigawatt run``: the main job — outlook on the embedded PJM default, results.json and report.html.

With a scenario file (``gigawatt run SCENARIO.toml``) the outlook's assumptions come from it
(:mod:`gigawatt.io.outlook_scenario`). Precedence: an option given on the command line wins over
the scenario's ``[run]`` table and ``[policies] compare``, which win over the built-in defaults.
"""

from __future__ import annotations

import dataclasses
import math
import os
import time
from pathlib import Path
from typing import Optional

import typer

from gigawatt.cli._common import MAX_SAMPLES, MAX_SEED, MAX_THREADS, compact, status
from gigawatt.cli._execution import SCHEDULER_HELP, WORKERS_HELP
from gigawatt.errors import InputError

from gigawatt.constants import DEFAULT_DECISION_SAMPLES as DEFAULT_SAMPLES
from gigawatt.constants import DEFAULT_FIRST_YEAR, DEFAULT_LAST_YEAR, DEFAULT_SEED, FIRST_STUDY_YEAR, LAST_STUDY_YEAR
from gigawatt.constants import POLICIES as DEFAULT_POLICIES
from gigawatt.constants import ZONE_SETS

#: built-in run options (a scenario's [run] table and the command line override them), from
#: gigawatt.constants, which the model reads too; study years the outlook covers
STUDY_YEARS = (FIRST_STUDY_YEAR, LAST_STUDY_YEAR)
#: the files of one run, written together: results.json last, as the commit marker (_files.atomic_write_group)
OUTPUT_FILES = ("report.html", "results.json")
#: age [s] after which a temporary file of ours in the output folder is an orphan of a killed
#: run (a write takes milliseconds: the texts are made before the first temporary is created)
STALE_OUTPUT_TMP_S = 60.0


def check_out_dir(out: Path) -> None:
    """Refuse an ``--out`` that cannot hold the outputs, before any work and without writing anything.

    Raises
    ------
    InputError
        When ``out`` (or a folder above it) is a file, when an output name in it is a folder,
        or when the nearest existing folder cannot be written.
    """
    where = f"--out {str(out)!r}"
    try:
        if out.exists() and not out.is_dir():
            raise InputError(f"{where}: is a file, not a folder; give a folder for results.json and report.html "
                             "(it is created if missing)")
        probe = out
        while not probe.exists():
            if probe.is_symlink():
                raise InputError(f"{where}: {str(probe)!r} is a broken symbolic link")
            if probe.parent == probe:
                break
            probe = probe.parent
        if probe != out and not probe.is_dir():
            raise InputError(f"{where}: {str(probe)!r} is a file, so no folder can be made under it; give a "
                             "folder for results.json and report.html")
        for name in OUTPUT_FILES:
            if (out / name).is_dir():
                raise InputError(f"{where}: {str(out / name)!r} is a folder; remove it or give another --out")
        if probe.exists() and not os.access(probe, os.W_OK | os.X_OK):
            raise InputError(f"{where}: cannot write in {str(probe)!r} (permission denied); give a folder you "
                             "can write to")
    except OSError as exc:
        raise InputError(f"{where}: cannot be used ({exc.strerror or exc})") from None


def write_outputs(out: Path, results: dict, report_html: str) -> None:
    """Write ``results.json`` (strict JSON) and ``report.html`` into ``out`` so that they are never from two runs.

    Both are written to temporaries in ``out`` and flushed to disk first; then the old
    ``results.json`` is removed, ``report.html`` moved into place and ``results.json`` last
    (:func:`gigawatt._files.atomic_write_group`). A killed run leaves the previous pair, or a
    report without results.json, never a new results.json beside an old report.
    """
    from gigawatt._files import atomic_write_group, dumps_strict, ensure_writable_dir, remove_stale_temporaries

    ensure_writable_dir(out, option="--out", what="results")
    remove_stale_temporaries(out, STALE_OUTPUT_TMP_S,
                             patterns=tuple(f".{n}.*.tmp" for n in OUTPUT_FILES) + (".tmp-*",))
    atomic_write_group([(out / "report.html", report_html.encode("utf-8")),
                        (out / "results.json", (dumps_strict(results, indent=1) + "\n").encode("utf-8"))])


def _resolve(scenario, samples, seed, first_year, last_year, policies, zones=None):
    """The outlook, samples, seed and policy names: command line over scenario over defaults."""
    from gigawatt.outlook import POLICY_KINDS, OutlookAssumptions

    outlook = scenario.assumptions if scenario is not None else OutlookAssumptions()
    if zones is not None and zones != getattr(outlook, "zone_set", None):
        if not isinstance(outlook, OutlookAssumptions):
            raise InputError(f"--zones {zones}: the zone sets are the PJM outlook's; this grid has its own zones")
        outlook = dataclasses.replace(outlook, zone_set=zones)
    first = first_year if first_year is not None else outlook.years[0]
    last = last_year if last_year is not None else outlook.years[-1]
    if last < first:
        raise InputError(f"--last-year {last} is before --first-year {first}")
    if (first, last) != (outlook.years[0], outlook.years[-1]):
        try:
            outlook = dataclasses.replace(outlook, years=tuple(range(first, last + 1)))
        except InputError as exc:
            raise InputError(f"--first-year/--last-year {first}-{last}: {exc}") from None
    if policies is not None:
        names = outlook.policy.resolve([p.strip() for p in policies.split(",") if p.strip()], "--policies")
    elif scenario is not None and scenario.policies is not None:
        names = scenario.policies
    else:
        names = outlook.policy.resolve(POLICY_KINDS)
    if samples is None:
        samples = scenario.samples if scenario is not None and scenario.samples is not None else DEFAULT_SAMPLES
    if seed is None:
        seed = scenario.seed if scenario is not None and scenario.seed is not None else DEFAULT_SEED
    return outlook, samples, seed, names


def _plan_line(scenario: Path | None, out: Path, samples, seed, first_year, last_year, policies) -> str:
    """The command's first line, from the command line alone (printed before the model is imported)."""
    if scenario is not None and str(scenario) in GRID_NAMES and not scenario.is_file():
        line = _plan_line(None, out, samples, seed, first_year, last_year, policies).split(" on the PJM default")[1]
        if samples is None and str(scenario) != "pjm":  # the grid's default keeps PJM's simulated years
            line = line.replace(f"up to {DEFAULT_SAMPLES} samples", "up to as many simulated years as PJM's", 1)
        return f"gigawatt run: outlook on the {str(scenario).upper()} grid" + line
    if scenario is None:
        first = DEFAULT_FIRST_YEAR if first_year is None else first_year
        last = DEFAULT_LAST_YEAR if last_year is None else last_year
        n_pol = len(DEFAULT_POLICIES) if policies is None else len([p for p in policies.split(",") if p.strip()])
        return (f"gigawatt run: outlook {first}-{last} on the PJM default, up to {samples or DEFAULT_SAMPLES} samples "
                f"a year and policy, {n_pol} policies, seed {DEFAULT_SEED if seed is None else seed} -> {out}")
    given = [f"{k} {v}" for k, v in (("years from", first_year), ("years to", last_year), ("samples", samples),
                                     ("seed", seed), ("policies", policies)) if v is not None]
    what = "the grid described in" if _names_a_grid(scenario) else "scenario"
    return f"gigawatt run: outlook {what} {scenario}" + (f" ({', '.join(given)})" if given else "") + f" -> {out}"


def _names_a_grid(path: Path) -> bool:
    """Whether ``path`` looks like a grid description (a ``[grid]`` table), read as text before any import
    (for the first line only; the reader decides)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return any(line.strip().startswith("[grid]") for line in f.read(1 << 20).splitlines())
    except OSError:
        return False


def _cell(e, sig: int = 3, se_sig: int = 1) -> str:
    return f"{compact(e.mean, sig)} ± {compact(e.stderr, se_sig)}"


#: terminal width below which the outlook table leaves out the peak and data-center load columns
FULL_TABLE_WIDTH = 96


def outlook_table(res, width: int = 100):
    """The outlook summary for a terminal ``width`` columns wide: one row per year and policy.

    Fits 100 columns with every column, and 80 without the year's peak and data-center load (the
    columns are chosen by ``width``). Narrow by design: units in the headers, compact numbers, the
    year's figures once per year, no box; results.json, the report and ``--json`` keep every figure
    with its standard error.
    """
    from rich import box
    from rich.table import Table

    full = width >= FULL_TABLE_WIDTH
    policy_width = max([len("policy")] + [len(r.policy) for r in res])
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0))
    table.add_column("year", justify="right")
    if full:
        table.add_column("peak GW", justify="right")
        table.add_column("DC GW", justify="right")
    table.add_column("reserve", justify="right")
    table.add_column("policy", min_width=policy_width, no_wrap=True)  # never cut or wrapped
    table.add_column("LOLE d/yr", justify="right")
    table.add_column("EUE MWh/yr", justify="right")
    table.add_column("people affected", justify="right")
    order = {p: i for i, p in reversed(list(enumerate(r.policy for r in res)))}  # first appearance
    prev = None
    for r in sorted(res, key=lambda r: (r.year, order[r.policy])):
        year = ((str(r.year), f"{r.peak_mw / 1e3:.1f}", f"{r.dc_load_mw / 1e3:.1f}") if full else (str(r.year),)) \
            + (f"{r.reserve_margin:.1%}",)
        table.add_row(*(("",) * len(year) if year == prev else year), r.policy, _cell(r.lole_d),
                      compact(r.eue_mwh.mean, 3), compact(r.people_affected.mean, 3))
        prev = year
    return table


#: short policy names for the decision table's headers
_SHORT = {"firm": "firm", "connect-and-manage": "c&m", "firm+battery": "+battery", "firm+onsite-gen": "+on-site"}


def _verdict_cell(v) -> str:
    """A verdict as LOLE and a mark: ``13.6 ✗`` (fails), ``0.02 ✓`` (meets), ``0.11 ?`` (at the standard)."""
    mark = {"meets": "✓", "fails": "✗", "undecided": "?"}[v.status]
    if v.upper_bound_d is not None:
        return f"<{compact(v.upper_bound_d, 1)} {mark}"
    return f"{compact(v.lole_d.mean, 2)} {mark}"


def decision_table(dec, width: int = 100):
    """The decision for a terminal: per year the gap [GW] with its interval and each policy's verdict.

    Fits 80 columns with five policies (LOLE d/yr and a mark per policy; the report and results.json
    carry the intervals, headroom and what each policy closes).
    """
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0))
    table.add_column("year", justify="right")
    if width >= FULL_TABLE_WIDTH:
        table.add_column("reserve", justify="right")
    table.add_column("gap GW (95%)", justify="right", no_wrap=True)
    for p in dec.policies:
        table.add_column(_SHORT.get(p, p.replace("capped-", "cap ")), justify="right", no_wrap=True)
    for y in dec.years:
        g = dec.cells[(y, dec.policies[0])].gap
        if g.x_mw <= 0:
            gap = "0"
        elif g.high_mw is None or not math.isfinite(g.high_mw):  # a lower bound (status "beyond ...")
            gap = f">={g.x_mw / 1e3:.0f}" if g.x_mw >= 10_000 else f">={g.x_mw / 1e3:.2g}"
        else:
            gap = f"{g.x_mw / 1e3:.1f} ({g.low_mw / 1e3:.1f}-{g.high_mw / 1e3:.1f})"
        row = [str(y)]
        if width >= FULL_TABLE_WIDTH:
            row.append(f"{dec.cells[(y, dec.policies[0])].result.reserve_margin:.1%}")
        table.add_row(*row, gap, *(_verdict_cell(dec.cells[(y, p)].verdict) for p in dec.policies))
    return table


def zonal_summary(results: dict) -> list[str]:
    """The gap by zone for a terminal (issue 25): each zone's share of the gap per year, each LDA zone's own
    LOLE against PJM's LDA criterion with the import limit that would close its own gap, and the
    decomposition of each decomposed year's gap (the change at each step)."""
    by = results.get("gap_by_zone_mw") or {}
    if not by:
        return []
    years = sorted(by)
    zones = list(by[years[0]])

    def gw(x):
        return "-" if x is None else f"{x / 1e3:.1f}"

    lines = [f"gap by zone, GW ({' / '.join(zones)}): "
             + ", ".join(f"{y} {'/'.join(gw(by[y][zn]['estimate']) for zn in zones)}" for y in years)]
    crit = results.get("zone_criteria", {})
    for zn in sorted({zn for y in years for zn in crit.get("by_year", {}).get(y, {})}):
        own = {y: crit["by_year"][y][zn] for y in years if zn in crit["by_year"].get(y, {})}
        alt = {y: results["import_alternative_mw"].get(y, {}).get(zn) for y in years}
        text = (f"{zn} on its own (the rest of PJM made sure; LDA criterion {crit['lda_lole_d']:g} d/yr, RTO "
                f"{crit['rto_lole_d']:g}): LOLE " + ", ".join(f"{y} {v['own_lole_d']['mean']:.2g}" for y, v in own.items()))
        closes = [f"{y} {gw(a)}" for y, a in alt.items() if a is not None]
        if closes:
            text += "; import limit that closes its own gap instead, GW: " + ", ".join(closes)
        lines.append(text)
    dec = results.get("gap_decomposition") or {}
    if dec:
        lines.append("the gap from PJM's capacity arithmetic to the model, one modelling element a step, GW "
                     "(change; =: the model leaves it off, or it moves no sample's LOLE at the crossing):")
        for y in sorted(dec):
            rows = dec[y]
            steps = [f"arithmetic {gw(rows[0]['gap_mw'])}"]
            for prev, r in zip(rows, rows[1:]):
                name = r["step"].split(" (")[0]
                same = r.get("status") in ("unchanged", "no effect")
                d = "=" if same else f"{(r['gap_mw'] - prev['gap_mw']) / 1e3:+.1f}"
                steps.append(f"{name} {d}")
            lines.append(f"  {y}: " + ", ".join(steps) + f" = gap {gw(rows[-1]['gap_mw'])}")
    return lines


def range_lines(rng: dict | None) -> list[str]:
    """The model's range beside the sampling interval, per range year (``--range``); without a range, the
    line that says what it would add."""
    from gigawatt.decision.headline import RANGE_FACTORS, gap_range

    if not rng:
        return [f"model's range ({RANGE_FACTORS}): not in this run (--range adds it); the intervals above "
                "cover the sampling only"]
    lines = []
    for y in rng["years"]:
        span = gap_range(rng, y)
        if span is None:
            continue
        (lo, lo_case), (hi, hi_case) = span
        c = rng["central"][str(y)]
        central = "-" if c.get("estimate") is None else f"{c['estimate'] / 1e3:.1f} GW" + (
            f" (sampling {c['low'] / 1e3:.1f}-{c['high'] / 1e3:.1f})" if c.get("high") is not None else "")
        lines.append(f"model's range of the {y} gap: {lo / 1e3:.1f} GW ({lo_case}) to {hi / 1e3:.1f} GW "
                     f"({hi_case}); central {central}")
    return lines


def _checkpoint_chunks(directory: Path | None) -> set:
    """The chunk files saved under a checkpoint folder (empty without one)."""
    if directory is None or not Path(directory).is_dir():
        return set()
    return {p.relative_to(directory) for p in Path(directory).glob("run-*/chunk-*.npz")}


#: grids ``gigawatt run`` knows by name (``pjm``: the PJM model, the default)
GRID_NAMES = ("pjm", "ercot", "tva")


def default_samples(n_weather_years: int) -> tuple[int, int]:
    """The most verdict samples and the gap-search samples of a year and policy by default, for an outlook of
    ``n_weather_years``: as many simulated years as the PJM default's (84 and 8 samples x its 23 weather
    years), so that a grid with fewer weather years is decided on as many years (ERCOT, TVA, 9: 215 and 21)."""
    from gigawatt.decision import DecisionMethod
    from gigawatt.outlook import OutlookAssumptions

    ref = len(OutlookAssumptions().weather_years)
    n = max(1, int(n_weather_years))
    return math.ceil(DEFAULT_SAMPLES * ref / n), math.ceil(DecisionMethod.search_samples * ref / n)


def _grid_scenario(path: Path):
    """``gigawatt run ercot|tva|GRID.toml``: the grid's outlook as a scenario (None: not a grid)."""
    from gigawatt.io.grid import EMBEDDED, load_grid, load_toml

    name = str(path)
    if name in EMBEDDED and not path.is_file():
        desc = load_grid(name)
    elif path.suffix == ".toml" and path.is_file() and "grid" in load_toml(path):
        desc = load_grid(path)
    else:
        return None
    from gigawatt.io.grid import outlook_for
    from gigawatt.outlook import OutlookScenario

    outlook = outlook_for(desc, tuple(range(DEFAULT_FIRST_YEAR, DEFAULT_LAST_YEAR + 1)))
    return OutlookScenario(name=desc.name, assumptions=outlook, path=desc.path, description=desc.title,
                           samples=default_samples(len(outlook.weather_years))[0])


def _read_scenario(path: Path):
    """The outlook scenario at ``path`` (or a grid: ``pjm``, ``ercot``, ``tva``, a grid description TOML);
    a data-center scenario given by mistake is named as such."""
    from gigawatt.errors import FileFormatError, GigawattError
    from gigawatt.io.outlook_scenario import read_outlook_scenario

    if str(path) == "pjm" and not path.is_file():
        return None  # the embedded PJM default
    import re

    m = re.fullmatch(r"(pjm|ercot|tva)-(\d{4})", str(path))
    if m and not path.is_file():  # a system's name, as `adequacy` and `describe` take it
        raise InputError(f"{path}: `gigawatt run` studies a grid over years: give {m.group(1)} with --first-year "
                         f"{m.group(2)} --last-year {m.group(2)} (or an outlook scenario or grid description TOML)")
    grid = _grid_scenario(path)
    if grid is not None:
        return grid
    try:
        return read_outlook_scenario(path)
    except FileFormatError as exc:
        from gigawatt.io.scenario import load_toml

        try:
            doc = load_toml(path)
        except GigawattError:
            raise exc from None
        if {"system", "sites"} & set(doc):
            raise InputError(f"{exc}. This looks like a data-center scenario ([system], [[sites]]): assess it "
                             f"with `gigawatt adequacy {path}`") from None
        raise


def register(app: typer.Typer) -> None:
    """Register ``run`` on the top-level app."""

    @app.command()
    def run(
        scenario: Optional[Path] = typer.Argument(
            None, help="Outlook scenario TOML, or a grid: pjm (the default), ercot, tva or a grid description "
                       "TOML (docs/grids.md)."),
        out: Path = typer.Option(Path("out"), "--out", help="Output folder for results.json and report.html."),
        samples: Optional[int] = typer.Option(
            None, "--samples", "-n", min=1, max=MAX_SAMPLES,
            help=f"Most Monte Carlo samples per year and policy (sampling stops once the verdict is 3 standard "
                 f"errors clear), at most {MAX_SAMPLES:,} [default: scenario, else {DEFAULT_SAMPLES}]."),
        seed: Optional[int] = typer.Option(
            None, "--seed", min=0, max=MAX_SEED,
            help=f"Random seed, 0 to 2**63-1 [default: scenario, else {DEFAULT_SEED}]."),
        first_year: Optional[int] = typer.Option(
            None, "--first-year", min=STUDY_YEARS[0], max=STUDY_YEARS[1],
            help=f"First study year [default: scenario, else {DEFAULT_FIRST_YEAR}]."),
        last_year: Optional[int] = typer.Option(
            None, "--last-year", min=STUDY_YEARS[0], max=STUDY_YEARS[1],
            help=f"Last study year [default: scenario, else {DEFAULT_LAST_YEAR}]."),
        policies: Optional[str] = typer.Option(
            None, "--policies", help="Data-center policies side by side, comma separated [default: scenario, else "
                                     f"{','.join(DEFAULT_POLICIES)}]."),
        zones: Optional[str] = typer.Option(
            None, "--zones", metavar="SET",
            help="PJM's zones: two (Dominion and the rest) or lda (PJM's LDAs where the data centers land: ComEd, "
                 "Dominion, MAAC with PPL, EMAAC, SWMAAC/BGE/PEPCO, the western zones; each LDA held to its own "
                 "criterion, the gap placed by zone; several times slower) [default: scenario, else two]."),
        with_range: bool = typer.Option(
            False, "--range", help="Also the range: the 2030 and 2035 gap under scenarios that bracket the "
                                   "assumptions, and its tornado chart (a few minutes more)."),
        detail: bool = typer.Option(False, "--detail", help="Also print LOLE, EUE and people affected by year and "
                                                            "policy."),
        workers: Optional[int] = typer.Option(None, "--workers", min=1, max=MAX_THREADS, help=WORKERS_HELP),
        scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="ADDRESS", help=SCHEDULER_HELP),
        checkpoint_dir: Optional[Path] = typer.Option(
            None, "--checkpoint-dir", metavar="DIR",
            help="Save every finished chunk under DIR; a killed run restarted with the same options and DIR "
                 "resumes from them and gives the same numbers."),
    ) -> None:
        """Outlook on a grid (the embedded PJM default, ERCOT, TVA, a description): the gap in GW by year, each
        policy's verdict, report."""
        status(_plan_line(scenario, out, samples, seed, first_year, last_year, policies)
               + (f", {workers} local Dask workers" if workers else "")
               + (f", Dask scheduler {scheduler}" if scheduler else "")
               + (f", checkpoints in {checkpoint_dir}" if checkpoint_dir is not None else ""))
        check_out_dir(out)  # before any work: a bad --out must not cost a run
        if workers is not None and scheduler is not None:
            raise InputError("--workers and --scheduler: give one or the other (--workers starts a local cluster, "
                             "--scheduler uses an existing one)")
        if checkpoint_dir is not None:  # fail before starting a cluster or any work
            from gigawatt._files import ensure_writable_dir

            ensure_writable_dir(checkpoint_dir, option="--checkpoint-dir", what="checkpoints")
        from rich.console import Console
        from rich.markup import escape as rich_escape
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        from gigawatt.cli._common import error_console
        from gigawatt.cli._execution import executor_from_options
        from gigawatt.decision import DecisionMethod, run_decision, run_range
        from gigawatt.decision.headline import conditions
        from gigawatt.decision.results import results_document
        from gigawatt.report.html import render_report

        scen = None
        if scenario is not None:
            scen = _read_scenario(scenario)
        if zones is not None and zones not in ZONE_SETS:
            raise InputError(f"--zones: expected one of {', '.join(ZONE_SETS)}, got {zones!r}")
        outlook, samples, seed, names = _resolve(scen, samples, seed, first_year, last_year, policies, zones)
        if scen is not None:
            status(f"  {outlook.years[0]}-{outlook.years[-1]}, up to {samples} samples a year and policy, "
                   f"policies {', '.join(names)}, seed {seed}")
        t0 = time.perf_counter()
        chunks_before = _checkpoint_chunks(checkpoint_dir)
        with executor_from_options(workers, scheduler) as ex:
            search = default_samples(len(outlook.weather_years))[1]
            method = DecisionMethod(seed=seed, max_samples=samples, batch=min(DecisionMethod.batch, samples),
                                    search_samples=min(search, samples), executor=ex,
                                    checkpoint_dir=checkpoint_dir)
            with Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                          TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(), console=error_console,
                          transient=True) as bar:
                task = bar.add_task("outlook", total=len(outlook.years) * len(names))
                dec = run_decision(outlook, method, policies=names,
                                   progress=lambda d, t, label: bar.update(task, completed=d, description=label))
                rng = None
                if with_range:
                    task2 = bar.add_task("range", total=1)
                    rng = run_range(outlook, method, central=dec, progress=lambda d, t, label: bar.update(
                        task2, completed=d, total=t, description=label))
        res = dec.results
        results = results_document(dec, outlook, samples=samples, seed=seed, scenario=scen, range_result=rng,
                                   run_time_s=time.perf_counter() - t0)
        write_outputs(out, results, render_report(results))
        con = Console()
        if detail:
            con.print(outlook_table(res, con.width))
        con.print(f"[bold]Not a forecast[/]: every figure is conditional on its scenario: "
                  f"{rich_escape(conditions(results, listed='in ' + str(out / 'report.html')))}.", highlight=False)
        con.print(decision_table(dec, con.width))
        con.print("gap: perfect firm capacity to add to meet 0.1 day/yr, with its 95 % sampling interval (where a run "
                  "with another seed puts it); per policy: LOLE d/yr, ✓ meets, ✗ fails, ? at the standard "
                  "(3 standard errors)", highlight=False)
        for line in zonal_summary(results):
            con.print(line, highlight=False)
        for line in range_lines(rng):
            con.print(rich_escape(line), highlight=False)
        for p, y in results["first_year_failing"].items():
            at = [yy for yy in dec.years if dec.cells[(yy, p)].verdict.status == "undecided" and (not y or yy < y)]
            text = f"the 0.1 day/yr standard is first broken in {y}" if y else "never clearly breaks the standard"
            if at:
                text += (f"; at the standard within the sampling in {', '.join(map(str, at))} "
                         "(more --samples may decide)")
            elif not y:
                text = "meets the 0.1 day/yr standard in every year"
            con.print(f"[bold]{p}[/]: {text}", highlight=False)
        con.print(f"wrote {out / 'results.json'} and {out / 'report.html'} ({results['run_time_s']} s)",
                  highlight=False)
        if checkpoint_dir is not None:
            after = _checkpoint_chunks(checkpoint_dir)
            con.print(f"checkpoints in {checkpoint_dir}: {len(after - chunks_before)} chunks computed; "
                      f"{len(chunks_before)} were there from earlier runs (reused where they match this one)",
                      highlight=False)
