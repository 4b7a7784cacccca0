"""``gigawatt run``: the main job — outlook on the embedded PJM default, results.json and report.html."""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from gigawatt.cli._common import error_console
from gigawatt.errors import InputError

#: policies of the outlook (kept in step with gigawatt.outlook.POLICIES; imported lazily there)
POLICY_NAMES = ("firm", "connect-and-manage", "capped-100h", "firm+battery", "firm+onsite-gen")


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and rename (no half-written file after a kill)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; results are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _assumptions(outlook) -> list[dict]:
    from gigawatt.outlook import CALIBRATED_OUTAGE_MULTIPLIER
    from gigawatt.systems import pjm

    return [
        {"name": "summer peak 2025 (50/50)", "value": f"{pjm.PEAK_2025_MW:,.0f} MW",
         "source": "PJM 2025 Load Forecast Report"},
        {"name": "peak growth", "value": f"{pjm.PEAK_GROWTH_PER_YR:.1%}/yr",
         "source": "PJM 2026 Load Forecast Report (to 222,106 MW in 2036)"},
        {"name": "data centers", "value": "30 GW added 2024-2030, then 5 GW/yr",
         "source": "PJM 2025 Load Forecast (30 of 32 GW of peak growth) [est beyond 2030]"},
        {"name": "installed reserve margin 2026/27", "value": f"{pjm.IRM_2026:.1%}", "source": "PJM BRA 2026/27"},
        {"name": "2027/28 capacity short of requirement", "value": f"{outlook.shortfall_2027_mw:,.0f} MW",
         "source": "PJM BRA 2027/28"},
        {"name": "net capacity additions after 2027", "value": f"{outlook.net_additions_mw_per_year:,.0f} MW/yr",
         "source": "[est]"},
        {"name": "unit outage data", "value": "RTS-GMLC by technology", "source": "RTS-GMLC gen.csv (FACTS.md)"},
        {"name": "outage multiplier (calibrated)", "value": f"{CALIBRATED_OUTAGE_MULTIPLIER}",
         "source": "set so that 2026 at the IRM has LOLE 0.1 d/yr (PJM's IRM criterion)"},
        {"name": "cold-snap outage factor", "value": "3x for fossil units in the coldest 3 % of winter hours",
         "source": "PJM Jan 2014 (~3x), Winter Storm Elliott"},
        {"name": "load shapes", "value": f"weather years {', '.join(map(str, outlook.weather_years))}",
         "source": "fitted to EIA-930 PJM 2016-2024 and PJM 2025 metered load"},
        {"name": "people per MW of peak", "value": "418", "source": "67 million people / 160 GW peak (PJM)"},
        {"name": "policies", "value": "connect-and-manage: curtailed first, as deep as needed; capped-100h: 100 h/yr, "
         "events <= 8 h; firm+battery: Megapack 2 XL fleet of 25 % of the data-center load (2 h); firm+onsite-gen: "
         "gas turbines of 50 % of the data-center load in 50 MW units, directed before load shed",
         "source": "PJM large-load process and hyperscaler offers (FACTS.md s1); Megapack and turbine figures s5"},
    ]


def register(app: typer.Typer) -> None:
    """Register ``run`` on the top-level app."""

    @app.command()
    def run(
        scenario: Optional[Path] = typer.Argument(None, help="Scenario TOML (default: the embedded PJM default)."),
        out: Path = typer.Option(Path("out"), "--out", help="Output folder for results.json and report.html."),
        samples: int = typer.Option(100, "--samples", "-n", min=1, help="Monte Carlo samples per year and policy."),
        seed: int = typer.Option(1, "--seed", min=0, help="Random seed."),
        first_year: int = typer.Option(2026, "--first-year", help="First study year."),
        last_year: int = typer.Option(2035, "--last-year", help="Last study year."),
        policies: str = typer.Option(",".join(POLICY_NAMES), "--policies",
                                     help="Data-center policies side by side, comma separated."),
    ) -> None:
        """Outlook on the embedded PJM default: LOLE by year, people affected, report."""
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        from gigawatt.outlook import OutlookAssumptions, first_year_failing, run_outlook
        from gigawatt.report.html import render_report

        if scenario is not None:
            raise InputError(f"{scenario}: scenario files for the outlook are not supported yet; run without one "
                             "for the embedded PJM default")
        if last_year < first_year:
            raise InputError(f"--last-year {last_year} is before --first-year {first_year}")
        pols = tuple(p.strip() for p in policies.split(",") if p.strip())
        unknown = [p for p in pols if p not in POLICY_NAMES]
        if unknown or not pols:
            raise InputError(f"--policies: expected some of {', '.join(POLICY_NAMES)}; got {policies!r}")
        outlook = OutlookAssumptions(years=tuple(range(first_year, last_year + 1)))
        t0 = time.perf_counter()
        with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                      TimeElapsedColumn(), console=error_console, transient=True) as bar:
            task = bar.add_task("outlook", total=len(outlook.years) * len(pols))
            res = run_outlook(outlook, samples, seed, policies=pols,
                              progress=lambda d, t, label: bar.update(task, completed=d, description=label))
        policies = list(dict.fromkeys(r.policy for r in res))
        results = {
            "system": "pjm-default", "samples": samples, "seed": seed,
            "weather_years": len(outlook.weather_years),
            "system_note": ("A calibrated synthetic PJM-like system (one region), built from public figures and "
                            "load shapes fitted to PJM's public hourly load; not PJM's own model. See docs/outlook.md."),
            "first_year_failing": {p: first_year_failing(res, p) for p in policies},
            "results": [r.to_dict() for r in res],
            "assumptions": _assumptions(outlook),
            "run_time_s": round(time.perf_counter() - t0, 1),
        }
        write_atomic(out / "results.json", json.dumps(results, indent=1))
        write_atomic(out / "report.html", render_report(results))
        con = Console()
        table = Table("policy", "year", "peak GW", "DC GW", "reserve", "LOLE d/yr", "EUE MWh/yr", "people affected")
        for r in res:
            table.add_row(r.policy, str(r.year), f"{r.peak_mw / 1e3:.1f}", f"{r.dc_load_mw / 1e3:.0f}",
                          f"{r.reserve_margin:.1%}", f"{r.lole_d.mean:.3g} ± {r.lole_d.stderr:.1g}",
                          f"{r.eue_mwh.mean:.3g}", f"{r.people_affected.mean:.3g}")
        con.print(table)
        for p, y in results["first_year_failing"].items():
            con.print(f"[bold]{p}[/]: " + (f"the 0.1 day/yr standard is first broken in {y}" if y else
                                           "meets the 0.1 day/yr standard in every year"))
        con.print(f"wrote {out / 'results.json'} and {out / 'report.html'} ({results['run_time_s']} s)")
