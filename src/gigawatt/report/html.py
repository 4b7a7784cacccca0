"""A self-contained HTML report of an outlook run (inline SVG charts; works offline).

Sits outside the numerical core: it only reads the results dictionary that ``gigawatt run``
writes to ``results.json``.
"""

from __future__ import annotations

import html
import io

import numpy as np

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1050px;margin:2em auto;padding:0 1em;
color:#1d2733;line-height:1.45}
h1{font-size:1.7em;margin-bottom:.2em} h2{margin-top:1.8em;border-bottom:1px solid #d6dde5;padding-bottom:.2em}
.headline{background:#f3f6fa;border-left:5px solid #c0392b;padding:1em 1.2em;font-size:1.1em}
.chart svg{width:100%;height:auto} table{border-collapse:collapse;font-size:.88em;margin:.6em 0}
td,th{border:1px solid #d6dde5;padding:.25em .55em;text-align:right} th{background:#f3f6fa}
td.l,th.l{text-align:left} .note{color:#5a6878;font-size:.9em}
"""

_JS = """
(function(){var errs=[];window.addEventListener('error',function(e){errs.push(String(e.message));});
window.addEventListener('load',function(){var charts=document.querySelectorAll('.chart svg');var ok=0;
charts.forEach(function(s){var r=s.getBoundingClientRect();if(r.width>0&&r.height>0&&s.querySelector('path,rect,line,polyline,use'))ok++;});
document.body.setAttribute('data-charts',charts.length);document.body.setAttribute('data-charts-rendered',ok);
document.body.setAttribute('data-errors',errs.length);});})();
"""


def _svg(fig) -> str:
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    a, b = text.find("<metadata>"), text.find("</metadata>")
    if a >= 0 and b > a:
        text = text[:a] + text[b + len("</metadata>"):]
    return text


def _fmt(e: dict, digits: int = 3) -> str:
    return f"{e['mean']:.{digits}g} ± {e['stderr']:.2g}"


def _outlook_chart(rows, policies):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8.5, 4.0))
    for pol in policies:
        rs = [r for r in rows if r["policy"] == pol]
        x = [r["year"] for r in rs]
        y = [max(r["lole_d"]["mean"], 1e-3) for r in rs]
        err = [r["lole_d"]["stderr"] for r in rs]
        # on the log axis the lower bar stops at the floor of the chart (1e-3 d/yr)
        low = [min(e, max(v - 1e-3, 0.0)) for v, e in zip(y, err)]
        ax.errorbar(x, y, yerr=[low, err], marker="o", capsize=3, label=pol)
    ax.axhline(0.1, color="#c0392b", ls="--", lw=1.5, label="standard: 0.1 day/yr")
    ax.set_yscale("log")
    ax.set_ylim(bottom=5e-4)
    ax.set_xlabel("study year")
    ax.set_ylabel("LOLE [days/yr]")
    ax.set_title("Loss-of-load expectation by year (mean ± standard error)")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    return _svg(fig)


def _heatmap(grid, year):
    import matplotlib.pyplot as plt

    g = np.asarray(grid)
    fig, ax = plt.subplots(figsize=(8.5, 3.4))
    im = ax.imshow(g * 100, aspect="auto", cmap="Reds", origin="lower")
    ax.set_yticks(range(12))
    ax.set_yticklabels(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
                       fontsize=7)
    ax.set_xlabel("hour of day (US Eastern)")
    ax.set_title(f"When shortfalls happen, {year}: probability of loss of load [%]")
    fig.colorbar(im, ax=ax, label="LOLP [%]")
    return _svg(fig)


def _hours_hist(hist, year):
    """Bars: customers per year by hours without power in the year (the outlook's histogram)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8.5, 3.2))
    upper = list((hist or {}).get("upper_h", []))
    counts = np.asarray((hist or {}).get("customers_per_year", []), dtype=float)
    if counts.size and counts.sum() > 0:
        labels, lo = [], 0.0
        for u in upper:
            labels.append(f"> {lo:g}" if u is None else f"{lo:g}-{u:g}")
            lo = u if u is not None else lo
        last = int(np.flatnonzero(counts > 0).max()) + 1
        ax.bar(range(last), counts[:last] / 1e3, color="#34617d")
        ax.set_xticks(range(last))
        ax.set_xticklabels(labels[:last], rotation=45, fontsize=7)
    else:
        ax.plot([0, 1], [0, 0], color="#34617d")
        ax.text(0.5, 0.5, "no rotating outages in the sampled years", ha="center", transform=ax.transAxes)
    ax.set_xlabel("hours without power in the year, per affected customer [h]")
    ax.set_ylabel("customers per year [thousands]")
    ax.set_title(f"Rotating outages, {year}: how long affected customers are without power")
    return _svg(fig)


def _dc_chart(rows, policies, year):
    import matplotlib.pyplot as plt

    rs = {r["policy"]: r for r in rows if r["year"] == year}
    fig, axes = plt.subplots(1, 2, figsize=(8.5, 3.2))
    names = [p for p in policies if p in rs]
    axes[0].bar(names, [rs[p]["dc_curtailed_hours"]["mean"] for p in names], color="#7d5a34")
    axes[0].set_ylabel("data-center curtailment [h/yr]")
    axes[1].bar(names, [rs[p]["dc_throughput_lost_fraction"]["mean"] * 100 for p in names], color="#5a347d")
    axes[1].set_ylabel("training throughput lost [%]")
    for ax in axes:
        ax.tick_params(axis="x", labelrotation=30, labelsize=7)
    fig.suptitle(f"What each policy costs the AI training, {year}")
    return _svg(fig)


_ZERO = {"mean": 0.0, "stderr": 0.0}


def _millions(x: float) -> str:
    """``x`` in millions, three significant digits without an exponent (1,850 rather than 1.85e+03)."""
    m = x / 1e6
    return f"{m:,.0f}" if m >= 100 else f"{m:.3g}"


def _scenario_line(scenario: dict | None) -> str:
    """The scenario the run assumed: its name, file and description."""
    if not scenario:
        return ""
    text = f"Scenario: <b>{html.escape(scenario.get('name', ''))}</b>"
    if scenario.get("path"):
        text += f" (<code>{html.escape(scenario['path'])}</code>)"
    if scenario.get("description"):
        text += f". {html.escape(scenario['description'])}"
    return f"<p class='scenario'>{text}</p>"


def render_report(results: dict) -> str:
    """HTML text of the report for a ``results.json`` dictionary."""
    rows = results["results"]
    policies = list(dict.fromkeys(r["policy"] for r in rows))
    years = sorted({r["year"] for r in rows})
    first = results.get("first_year_failing", {})
    base = policies[0]
    focus = first.get(base) or years[-1]
    focus_row = next(r for r in rows if r["policy"] == base and r["year"] == focus)
    last_row = next(r for r in rows if r["policy"] == base and r["year"] == years[-1])
    scen = results.get("scenario") or {}
    under = ("the default assumptions" if not scen.get("path") else
             f"the assumptions of scenario '{html.escape(scen.get('name', ''))}'")
    how = "with data centers served as firm load" if base == "firm" else f"under the {html.escape(base)} policy"
    if first.get(base):
        head = (f"Under {under} the PJM-like system breaks the reliability standard "
                f"(0.1 day/yr) in <b>{first[base]}</b> {how}: LOLE "
                f"{_fmt(focus_row['lole_d'])} days/yr. By {years[-1]}, LOLE reaches {_fmt(last_row['lole_d'])} "
                f"days/yr and about <b>{last_row['people_affected']['mean'] / 1e6:.2g} million people</b> a year "
                f"would face rotating outages ({_millions(last_row['customer_hours']['mean'])} million customer-hours).")
    else:
        head = (f"Under {under} the PJM-like system meets the 0.1 day/yr standard in every year "
                f"{years[0]}-{years[-1]} {how}.")
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>gigawatt outlook</title>"
             f"<style>{_CSS}</style><script>{_JS}</script></head><body>",
             "<h1>Will the lights stay on?</h1>",
             _scenario_line(results.get("scenario")),
             f"<p class='note'>{html.escape(results.get('system_note', ''))}</p>",
             f"<div class='headline'>{head}</div>",
             "<h2>Outlook</h2><div class='chart'>", _outlook_chart(rows, policies), "</div>",
             "<h2>When shortfalls happen</h2><div class='chart'>", _heatmap(focus_row["shortfall_month_hour"], focus),
             "</div>",
             "<h2>Who loses power, for how long</h2><div class='chart'>",
             _hours_hist(focus_row["hours_per_affected_customer"], focus), "</div>",
             "<h2>The data-center side</h2><div class='chart'>", _dc_chart(rows, policies, focus), "</div>",
             "<h2>Numbers and uncertainty</h2><table><tr><th class='l'>policy</th><th>year</th><th>peak [GW]</th>"
             "<th>data centers [GW]</th><th>reserve margin</th><th>LOLE [d/yr]</th><th>LOLH [h/yr]</th>"
             "<th>EUE [MWh/yr]</th><th>people affected</th><th>customer-hours</th><th>DC curtailed [h]</th>"
             "<th>demand response [h]</th></tr>"]
    for r in rows:
        parts.append(
            f"<tr><td class='l'>{html.escape(r['policy'])}</td><td>{r['year']}</td><td>{r['peak_mw'] / 1e3:.1f}</td>"
            f"<td>{r['dc_load_mw'] / 1e3:.1f}</td><td>{r['reserve_margin'] * 100:.1f} %</td>"
            f"<td>{_fmt(r['lole_d'])}</td><td>{_fmt(r['lolh_h'])}</td><td>{_fmt(r['eue_mwh'])}</td>"
            f"<td>{_fmt(r['people_affected'])}</td><td>{_fmt(r['customer_hours'])}</td>"
            f"<td>{_fmt(r['dc_curtailed_hours'])}</td><td>{_fmt(r.get('dr_hours', _ZERO))}</td></tr>")
    parts.append("</table><p class='note'>Each value is a Monte Carlo mean ± its standard error, per year, over "
                 f"{results['samples']} samples x {results.get('weather_years', '?')} weather years "
                 f"(seed {results['seed']}).</p>")
    parts.append("<h2>Assumptions and sources</h2><table><tr><th class='l'>assumption</th><th class='l'>value</th>"
                 "<th class='l'>source</th></tr>")
    for a in results.get("assumptions", []):
        parts.append(f"<tr><td class='l'>{html.escape(a['name'])}</td><td class='l'>{html.escape(str(a['value']))}"
                     f"</td><td class='l'>{html.escape(a['source'])}</td></tr>")
    parts.append("</table></body></html>")
    return "".join(parts)
