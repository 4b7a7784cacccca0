"""``gigawatt system describe``: how a planner audits a system model.

Capacity and accredited capacity by class, effective forced-outage rates (mean, winter and summer
peak hours), load statistics per weather year, zones and their import limits; for the PJM model
also PJM's accounts and the replay of the cold events PJM reported. The figures come from
:mod:`gigawatt.systems.describe`; the JSON keys are documented in docs/outlook.md ("Describe a
system").
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

import typer

from gigawatt.cli._common import compact, print_json, status
from gigawatt.errors import InputError

system_app = typer.Typer(rich_markup_mode=None, name="system", no_args_is_help=True,
                         help="Inspect a power system: capacity, outage rates, load, zones.")

#: the PJM model by study year (``pjm --year Y``), besides the embedded names
PJM_ALIAS = "pjm"
#: width the tables are laid out for
TABLE_WIDTH = 100
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def describe_spec(spec: str, year: int | None = None) -> dict:
    """The description of SYSTEM ``spec``: an embedded name, ``pjm`` (with ``year``) or a ``.pras`` file.

    ``pjm-YYYY`` (an embedded name) is the outlook's system of that year, described with the
    outlook's PJM assumptions (accounts, weather years, cold replay); ``pjm`` is the PJM model of
    ``year`` (default 2026) with the outlook's default data-center load.
    """
    from gigawatt.io.catalogue import embedded_system, parse_name
    from gigawatt.systems.describe import describe, describe_pjm, describe_pjm_model

    if spec.lower() == PJM_ALIAS:
        from gigawatt.constants import FIRST_STUDY_YEAR, LAST_STUDY_YEAR

        y = FIRST_STUDY_YEAR if year is None else year
        if not FIRST_STUDY_YEAR <= y <= LAST_STUDY_YEAR:
            raise InputError(f"--year {y}: study years are {FIRST_STUDY_YEAR}-{LAST_STUDY_YEAR}")
        return {"system": f"{PJM_ALIAS} {y}", **describe_pjm(y, zone_set="lda"), "outlook_zone_set": "two"}
    if spec.lower() in ("ercot", "tva"):  # as 'pjm': the grid of --year (default the first study year)
        from gigawatt.constants import FIRST_STUDY_YEAR

        spec = f"{spec.lower()}-{FIRST_STUDY_YEAR if year is None else year}"
        year = None
    got = parse_name(spec)
    if got is not None:
        family, y = got
        if year is not None and year != y:
            hint = f"; use 'pjm --year {year}' for another year" if family == "pjm" else ""
            raise InputError(f"--year {year}: {spec} is the {y} system{hint}" if y is not None else
                             f"--year: applies to the PJM model ('{PJM_ALIAS}'), not to {spec}")
        if family == "pjm":
            from gigawatt.outlook import OutlookAssumptions

            # the assumptions embedded_system(spec) is built from, on PJM's LDAs (zone set "lda": the same
            # fleet and load by zone; the outlook runs on two zones, DOM and the rest, "outlook_zone_set")
            a = OutlookAssumptions().pjm(y, dc_as_load=True, zone_set="lda")
            return {"system": spec, **describe_pjm_model(a), "outlook_zone_set": "two"}
        if family in ("ercot", "tva"):  # the grid of a description
            from gigawatt.grids import describe_grid
            from gigawatt.io.grid import grid_year

            return {"system": spec, **describe_grid(*grid_year(spec))}
        return {"system": spec, **describe(embedded_system(spec))}
    path = Path(spec)
    if path.suffix.lower() == ".toml" and path.is_file():  # a grid description (docs/grids.md)
        from gigawatt.constants import FIRST_STUDY_YEAR
        from gigawatt.grids import GridOutlook, describe_grid
        from gigawatt.io.grid import load_grid, outlook_for

        y = FIRST_STUDY_YEAR if year is None else year
        outlook = outlook_for(load_grid(path), (y,))
        if not isinstance(outlook, GridOutlook):  # a PJM model of its own: described as pjm-YYYY is
            a = outlook.pjm(y, dc_as_load=True, zone_set="lda")
            return {"system": str(path), **describe_pjm_model(a), "outlook_zone_set": "two"}
        return {"system": str(path), **describe_grid(outlook, y)}
    if path.suffix.lower() == ".pras" or path.is_file():
        if year is not None:
            raise InputError(f"--year: applies to the PJM model ('{PJM_ALIAS}'), not to a .pras file")
        from gigawatt.io.pras import read_pras

        return {"system": str(path), **describe(read_pras(path))}
    from gigawatt.io.catalogue import expected_names

    raise InputError(f"SYSTEM {spec!r}: expected a .pras file, '{PJM_ALIAS}' (with --year) or an embedded system: "
                     f"{expected_names()}")


# ------------------------------------------------------------------------------------------- tables
def _pct(x, digits: int = 1) -> str:
    return "-" if x is None else f"{100.0 * x:.{digits}f}%"


def _mw(x) -> str:
    return "-" if x is None else f"{x:,.0f}"


def _gw(x) -> str:
    return "-" if x is None else f"{x / 1e3:,.1f}"


def _when(month, hour, time: str | None = None) -> str:
    if month is None:
        return "-"
    day = f" {time[8:10]}" if time else ""
    return f"{_MONTHS[int(month) - 1]}{day} {int(hour):02d}h"


def _table(*columns):
    from rich import box
    from rich.table import Table

    t = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 1), title_justify="left")
    for i, c in enumerate(columns):
        t.add_column(c, justify="left" if i == 0 else "right", no_wrap=True)
    return t


def tables(d: dict) -> list:
    """The rich renderables of a description (each fits :data:`TABLE_WIDTH` columns): text and tables."""
    from rich.text import Text

    out = []
    clock = d["clock"]
    out.append(Text(f"{d['system']}: {d['periods']:,} periods of {d['step_h']:g} h from {d['start']}"))
    out.append(Text(f"{d['regions']} region(s), {d['generators']} generating units, peak load "
                    f"{_mw(d['peak_load_mw'])} MW"))
    acc = d.get("accounts")
    if acc:
        grid = d.get("grid", {}).get("name", "PJM").upper()
        out.append(Text(f"{grid} accounts {d['study_year']}: forecast peak {_mw(acc['peak_mw'])} MW, installed reserve "
                        f"margin {_pct(acc['reserve_margin'])}"))
        unrated = [c["name"] for c in d["classes"] if c["ucap_mw"] is None]
        out.append(Text(f"ICAP {_mw(acc['icap_mw'])} MW, UCAP {_mw(acc['ucap_mw'])} MW"
                        + (f" ({', '.join(unrated)} not accredited)" if unrated else "")
                        + f", demand response inside: {_mw(acc['dr_icap_mw'])} MW ICAP, {_mw(acc['dr_ucap_mw'])} MW UCAP"))
    ph = d["peak_hours"]
    t = _table("class", "units", "ICAP MW", "UCAP MW", "ELCC", "EFOR", "winter pk", "summer pk")
    for c in d["classes"]:
        t.add_row(c["name"], str(c["units"]), _mw(c["icap_mw"]), _mw(c["ucap_mw"]), _pct(c["elcc"], 0),
                  _pct(c["efor"]), _pct(c["efor_winter_peak"]), _pct(c["efor_summer_peak"]))
    t.title = f"classes (EFOR: all periods; top {ph['share']:.0%} load hours of Dec-Feb, Jun-Aug)"
    out.append(t)
    t = _table("year", "peak MW", f"peak ({clock})", "GWh", "LF", "LDC10", "LDC100", "LDC500", "winter MW",
               "winter peak")
    for w in d["weather_years"]:
        t.add_row(str(w["year"]), _mw(w["peak_mw"]), _when(w["peak_month"], w["peak_hour"], w.get("peak_time")),
                  "-" if w["energy_mwh"] is None else f"{w['energy_mwh'] / 1e3:,.0f}", compact(w["load_factor"], 3),
                  compact(w["ldc_10"], 3), compact(w["ldc_100"], 3), compact(w["ldc_500"], 3),
                  _mw(w["winter_peak_mw"]), _when(w["winter_peak_month"], w["winter_peak_hour"],
                                                  w.get("winter_peak_time")))
    t.title = "weather years (LDC: the 10th, 100th, 500th highest hour over the peak)"
    out.append(t)
    t = _table("zone", "peak MW", "capacity MW", "import limit MW", "export limit MW")
    for z in d["zones"]:
        t.add_row(z["name"], _mw(z["peak_mw"]), _mw(z["capacity_max_mw"]), _mw(z["import_limit_mw"]),
                  _mw(z["export_limit_mw"]))
    t.title = "zones"
    out.append(t)
    s = d["storage"]
    if s["devices"]:
        out.append(Text(f"storage: {s['devices']} device(s), {_mw(s['discharge_mw'])} MW, {_mw(s['energy_mwh'])} MWh"))
    replay = d.get("cold_replay")
    if replay:
        t = _table("cold event", "hour (EPT)", "model GW", "of ICAP", "gas", "observed")
        for r in replay:
            obs = []
            if r["observed_outage_mw"] is not None:
                obs.append(f"{_gw(r['observed_outage_mw'])} GW")
            if r["observed_share"] is not None:
                obs.append(_pct(r["observed_share"], 0))
            t.add_row(r["event"], r["time_ept"], _gw(r["model_outage_mw"]), _pct(r["model_outage_share_of_icap"]),
                      _pct(r["model_gas_share"], 0), " / ".join(obs) or "-")
        t.title = "cold replay: expected forced outages at the peak hour (sources: --json)"
        out.append(t)
    return out


@system_app.command("describe")
def describe_cmd(
    system: str = typer.Argument(..., help="An embedded system name (ieee-rts79, pjm-2026), 'pjm' (the PJM model "
                                 "of --year) or a .pras file."),
    year: Optional[int] = typer.Option(None, "--year", help="Study year of the PJM model ('pjm'; default 2026)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object on stdout (keys: docs/outlook.md)."),
) -> None:
    """Capacity, accredited capacity and outage rates by class, load by weather year, zones and limits."""
    status(f"gigawatt system describe: {system}" + (f", year {year}" if year is not None else ""))
    d = describe_spec(system, year)
    if as_json:
        print_json(d)
        return
    from rich.console import Console

    con = Console()
    if not con.is_terminal:  # a pipe or a file: the width the tables are laid out for
        con = Console(width=TABLE_WIDTH)
    for r in tables(d):
        con.print(r, highlight=False)


def register(app) -> None:
    """Register ``system`` on the top-level app."""
    app.add_typer(system_app, name="system")
