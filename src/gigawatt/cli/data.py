"""`gigawatt data` sub-commands: inspect and clean input data files."""

from __future__ import annotations

from pathlib import Path

import typer

from gigawatt.cli._common import print_json, status

data_app = typer.Typer(rich_markup_mode=None, help="Inspect public data files (EIA-930, PJM).", no_args_is_help=True)


@data_app.command("check")
def check(
    file: Path = typer.Argument(..., help="EIA-930 or PJM hourly file."),
    ba: str = typer.Option(None, "--ba", help="Balancing authority (Form-930 downloads holding several)."),
    column: str = typer.Option("raw", "--column", help="Series to check: raw, cleaned, adjusted, or auto."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary and every repair as JSON."),
    limit: int = typer.Option(50, "--limit", help="Repairs listed in the table (all with --json)."),
):
    """Read FILE, run the audited cleaning rules and list every repair."""
    status(f"gigawatt data check: {file}" + (f", BA {ba}" if ba else "") + f", column {column}")
    import numpy as np

    from gigawatt.cleaning import CleaningRules, audit_summary, clean_hourly
    from gigawatt.io import read_hourly_file

    data, meta, col = read_hourly_file(file, ba=ba, column=column)
    s = data[col]
    if col.startswith(("demand", "load")):
        rules = CleaningRules()
    else:
        # solar/wind output and prices are legitimately zero, negative, flat at night or
        # spiky: only gaps, missing values and duplicates are repaired for them
        rules = CleaningRules(min_valid_mw=-np.inf, stuck_run_h=0, spike_rel=np.inf, jump_rel=np.inf)
    cleaned, audit = clean_hourly(s, rules=rules)
    summary = {
        "file": str(file),
        "format": meta["format"],
        "series": meta.get("ba") or meta.get("name"),
        "column": meta["source_columns"].get(col, col),
        "first_hour_utc": str(cleaned.index[0]),
        "last_hour_utc": str(cleaned.index[-1]),
        "n_rows": int(meta["n_rows"]),
        **audit_summary(audit, len(cleaned)),
        "timestamp_convention": meta["timestamp_convention"],
        "notes": meta.get("notes", []),
    }
    if as_json:
        rows = [
            {"time_utc": t.isoformat(), "original_mw": _num(o), "new_mw": _num(n), "rule": r, "reason": why}
            for t, o, n, r, why in audit[["time_utc", "original_mw", "new_mw", "rule", "reason"]].itertuples(
                index=False, name=None)
        ]
        print_json({"summary": summary, "repairs": rows})
        return
    _print(summary, audit, limit)


def _num(x):
    x = float(x)
    return None if x != x else x


def _print(summary: dict, audit, limit: int) -> None:
    from rich.console import Console
    from rich.table import Table

    con = Console()
    con.print(f"[bold]{summary['file']}[/] ({summary['format']}, {summary['series']}, column "
              f"{summary['column']!r})", highlight=False)
    con.print(f"{summary['n_rows']} rows; hours {summary['first_hour_utc']} .. {summary['last_hour_utc']} "
              f"(UTC, hour beginning): {summary['n_hours']} hours", highlight=False)
    con.print(f"timestamps: {summary['timestamp_convention']}", highlight=False)
    for note in summary["notes"]:
        con.print(f"note: {note}", highlight=False)
    rules = ", ".join(f"{k} {v}" for k, v in summary["by_rule"].items()) or "none"
    con.print(f"repaired {summary['n_repaired']} hours ({summary['fraction_repaired']:.3%}); by rule: {rules}",
              highlight=False)
    if len(audit):
        t = Table(title=f"repairs (first {min(limit, len(audit))} of {len(audit)}; --json lists all)")
        for c in ("time_utc", "original_mw", "new_mw", "rule", "reason"):
            t.add_column(c, overflow="fold")
        for row in audit.head(limit).itertuples(index=False):
            t.add_row(str(row.time_utc), f"{row.original_mw:.6g}", f"{row.new_mw:.6g}", row.rule, row.reason)
        con.print(t)


def register(app) -> None:
    """Register this module's commands on the top-level app."""
    app.add_typer(data_app, name="data")
