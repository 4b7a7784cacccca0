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
    ax.set_xticks(sorted({r["year"] for r in rows}))
    ax.set_xlabel("study year")
    ax.set_ylabel("LOLE [days/yr]")
    ax.set_title("Loss-of-load expectation by year (mean ± standard error)")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    return _svg(fig)


def _calibration(events) -> str:
    """A grid description's calibration events: the model's unavailable generation against the published figure."""
    if not events:
        return ""
    rows = ["<h2>Calibration</h2><p class='note'>The model's generation unavailable (expected forced-out MW, planned "
            "outages and derates, wind and solar lost to the cold) over each published event's hours, on the first "
            "study year's fleet, against what was published. A check of the outage model, not an input.</p><table>"
            "<tr><th class='l'>event</th><th>model [MW]</th><th>published [MW]</th><th>model / published</th>"
            "<th class='l'>what was published</th><th class='l'>source</th></tr>"]
    for e in events:
        def mw(x):
            return "-" if x is None else f"{x:,.0f}"
        rows.append(f"<tr><td class='l'>{html.escape(str(e.get('name', '')))}</td><td>{mw(e.get('model_mw'))}</td>"
                    f"<td>{mw(e.get('published_mw'))}</td>"
                    f"<td>{'-' if e.get('ratio') is None else format(e['ratio'], '.2f')}</td>"
                    f"<td class='l'>{html.escape(str(e.get('what', '')))}</td>"
                    f"<td class='l'>{html.escape(str(e.get('source', '')))}</td></tr>")
    rows.append("</table>")
    return "".join(rows)


def _heatmap(grid, year, tz: str = "America/New_York"):
    import matplotlib.pyplot as plt

    g = np.asarray(grid)
    fig, ax = plt.subplots(figsize=(8.5, 3.4))
    im = ax.imshow(g * 100, aspect="auto", cmap="Reds", origin="lower")
    ax.set_yticks(range(12))
    ax.set_yticklabels(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
                       fontsize=7)
    from gigawatt.outlook import clock_name

    ax.set_xlabel(f"hour of day ({clock_name(tz)})")
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


_VERDICT_MARK = {"meets": ("&#10003; meets", "#1e7d32"), "fails": ("&#10007; fails", "#c0392b"),
                 "undecided": ("? at the standard", "#8a6d00")}


def _gw(x) -> str:
    return "&ndash;" if x is None else f"{x / 1e3:.1f}"


def _interval(g: dict) -> str:
    """A search result as "estimate (low-high)" in GW; open-ended when beyond the search's range."""
    if g is not None and g.get("status", "").startswith("unlimited"):
        return "unlimited"
    if g is None or g.get("estimate") is None:
        return "&ndash;"
    if g.get("high") is None:
        return f"&ge; {_gw(g['estimate'])}"
    return f"{_gw(g['estimate'])} ({_gw(g['low'])}&ndash;{_gw(g['high'])})"


def _gap_axes(fig, ax, years, title: str, legend_outside: bool = False) -> str:
    """A gap chart's axes (study years, GW of firm capacity), title, grid and legend (``legend_outside``:
    right of the axes, for many entries); its SVG."""
    ax.set_xticks(years)
    ax.set_xlabel("study year")
    ax.set_ylabel("firm capacity needed [GW]")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    if legend_outside:
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
        fig.tight_layout()
    else:
        ax.legend(fontsize=8)
    return _svg(fig)


def _gap_chart(results, years, policies):
    """The gap by year: the first policy's with its interval, each other policy's gap as a line."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8.5, 3.8))
    base = results["gap_policy"]
    g = [results["gap_mw"][str(y)] for y in years]
    est = np.array([x["estimate"] or 0.0 for x in g]) / 1e3
    lo = np.array([x["low"] if x["low"] is not None else x["estimate"] or 0.0 for x in g]) / 1e3
    hi = np.array([x["high"] if x["high"] is not None else x["estimate"] or 0.0 for x in g]) / 1e3
    ax.bar(years, est, color="#c0392b", alpha=0.75, label=f"gap, {base} (95 % interval for another seed)")
    ax.errorbar(years, est, yerr=[est - lo, hi - est], fmt="none", ecolor="#1d2733", capsize=3)
    for pol in policies:
        if pol == base:
            continue
        gp = [results["gap_by_policy_mw"][pol][str(y)]["estimate"] or 0.0 for y in years]
        ax.plot(years, np.array(gp) / 1e3, marker="o", label=f"gap under {pol}")
    return _gap_axes(fig, ax, years, "The gap: perfect firm capacity to add to meet 0.1 day/yr")


def _tornado(rng: dict):
    """Tornado chart: the firm gap in each range year under each scenario, against the central one."""
    import matplotlib.pyplot as plt

    years = rng["years"]
    fig, axes = plt.subplots(1, len(years), figsize=(8.5, 0.5 * len(rng["scenarios"]) + 1.6), squeeze=False)
    for ax, y in zip(axes[0], years):
        c = (rng["central"][str(y)]["estimate"] or 0.0) / 1e3
        labels, deltas, err = [], [], []
        for row in rng["scenarios"]:
            g = row["gap_mw"][str(y)]
            labels.append(f"{row['factor']}: {row['case']}")
            est = (g["estimate"] or 0.0) / 1e3
            deltas.append(est - c)
            lo = (g["low"] if g["low"] is not None else g["estimate"] or 0.0) / 1e3
            hi = (g["high"] if g["high"] is not None else g["estimate"] or 0.0) / 1e3
            err.append((est - lo, hi - est))
        pos = np.arange(len(labels))[::-1]
        ax.barh(pos, deltas, left=c, color=["#c0392b" if d > 0 else "#1e7d32" for d in deltas])
        ax.errorbar(np.array(deltas) + c, pos, xerr=np.array(err).T, fmt="none", ecolor="#1d2733", capsize=2, lw=0.8)
        ax.axvline(c, color="#1d2733", lw=1)
        ax.set_yticks(pos)
        ax.set_yticklabels(labels if ax is axes[0][0] else [], fontsize=7)
        ax.set_xlabel("gap [GW]")
        ax.set_title(f"{y} (central {c:.1f} GW)", fontsize=9)
        ax.grid(alpha=0.3, axis="x")
    fig.suptitle("What moves the gap: each assumption at the end of its range (bars: 95 % sampling interval)")
    return _svg(fig)


def _zone_gap_chart(results, years):
    """The gap by zone and year: a bar per zone side by side with its 95 % interval, and their sum; with more
    than three zones (PJM's LDAs) the zones stacked (their intervals in the table), zones never given any
    capacity left out."""
    import matplotlib.pyplot as plt

    by = results["gap_by_zone_mw"]
    ys = [y for y in years if str(y) in by]
    zones = list(by[str(ys[0])])
    stacked = len(zones) > 3
    if stacked:
        zones = [zn for zn in zones if any((by[str(y)][zn]["estimate"] or 0.0) > 0 for y in ys)] or zones
    fig, ax = plt.subplots(figsize=(8.5, 3.6 if not stacked else 4.2))
    bottom = np.zeros(len(ys))
    width = 0.8 / len(zones)
    colors = plt.get_cmap("tab20" if len(zones) > 10 else "tab10").colors
    for k, zn in enumerate(zones):
        est = np.array([by[str(y)][zn]["estimate"] or 0.0 for y in ys]) / 1e3
        if stacked:
            ax.bar(ys, est, width=0.7, bottom=bottom, label=zn, color=colors[k % len(colors)])
            bottom += est
            continue
        lo = np.array([by[str(y)][zn]["low"] if by[str(y)][zn]["low"] is not None else 0.0 for y in ys]) / 1e3
        hi = np.array([by[str(y)][zn]["high"] if by[str(y)][zn]["high"] is not None else by[str(y)][zn]["estimate"]
                       or 0.0 for y in ys]) / 1e3
        x = np.array(ys) - 0.4 + width * (k + 0.5)
        ax.bar(x, est, width=width, label=zn)
        ax.errorbar(x, est, yerr=[np.maximum(est - lo, 0), np.maximum(hi - est, 0)], fmt="none", ecolor="#1d2733",
                    capsize=2, lw=0.8)
        bottom += est
    ax.plot(ys, bottom, color="#1d2733", marker="o", lw=1, label="gap (sum of the zones)")
    return _gap_axes(fig, ax, ys, "The gap by zone: capacity first where a zone misses its own criterion, then for "
                                  "the RTO's" + (" (stacked)" if stacked else ""), legend_outside=stacked)


def _zonal_html(results, years) -> list:
    """The gap by zone (chart), each LDA zone's own LOLE against PJM's LDA criterion with the import
    alternative, and the decomposition from PJM's capacity arithmetic to the model's gap."""
    by = results.get("gap_by_zone_mw") or {}
    if not by:
        return []
    crit = results.get("zone_criteria", {})
    parts = ["<h3>Where the gap is needed</h3><p>Firm capacity goes first to each zone that is one of PJM's "
             f"Locational Deliverability Areas and misses PJM's LDA criterion ({crit.get('lda_lole_d', 0.04):g} "
             "day/yr, for want of its own capacity and imports, the rest of PJM made sure), then, spread by "
             f"load, to meet the RTO's {crit.get('rto_lole_d', 0.1):g} day/yr. The <b>import alternative</b> is the "
             "import limit into a zone that would close its own gap without capacity there.</p>",
             "<div class='chart'>", _zone_gap_chart(results, years), "</div>",
             "<table id='zone-gap'><tr><th>year</th>"]
    zones = list(by[next(iter(by))])
    lda = list(dict.fromkeys(zn for v in crit.get("by_year", {}).values() for zn in v))  # the decision's order
    parts += [f"<th>{html.escape(zn)} [GW]</th>" for zn in zones]
    parts.append("</tr>")
    for y in years:
        if str(y) in by:
            parts.append(f"<tr><td>{y}</td>" + "".join(f"<td>{_interval(by[str(y)][zn])}</td>" for zn in zones)
                         + "</tr>")
    parts.append("</table>")
    if lda:
        parts += ["<p>Each LDA on its own (an LDA of several zones, such as MAAC, as a whole, with the needs of "
                  "the LDAs inside it in place): its LOLE for want of its own capacity and imports, the import "
                  "limit into it (the sum of its interfaces' limits from outside it) and the import alternative. "
                  "Each cell: LOLE on its own [d/yr] / import limit [GW] / import alternative [GW] (-: none "
                  "needed).</p>",
                  "<table id='lda-criteria'><tr><th>LDA</th>"]
        parts += [f"<th>{y}</th>" for y in years if str(y) in by]
        parts.append("</tr>")
        for zn in lda:
            parts.append(f"<tr><td>{html.escape(zn)}</td>")
            for y in years:
                if str(y) not in by:
                    continue
                c = crit.get("by_year", {}).get(str(y), {}).get(zn)
                alt = results.get("import_alternative_mw", {}).get(str(y), {}).get(zn)
                parts.append(f"<td>{_fmt(c['own_lole_d']) if c else '-'} / {_gw(c['import_limit_mw']) if c else '-'}"
                             f" / {_gw(alt)}</td>")
            parts.append("</tr>")
        parts.append("</table>")
    dec = results.get("gap_decomposition") or {}
    if dec:
        dys = [y for y in years if str(y) in dec]
        steps = [r["step"] for r in dec[str(dys[0])]]
        parts += ["<h3>From PJM's capacity arithmetic to the model's gap</h3><p>Each step adds one modelling "
                  "element to the one before and searches the gap again on the same samples: first PJM's "
                  "arithmetic on the model's own inputs (the reliability requirement, (1 + IRM) x peak, minus the "
                  "installed capacity, times the accredited UCAP per ICAP); then the fleet's outages sampled on a "
                  "copper plate in one median weather year at the 50/50 peak, with no correlated cold, heat, "
                  "load forecast error, demand-response limits or ties; then each of those in turn; last the "
                  "transfer limits, with capacity placed where it relieves risk: the model's gap. GW with the 95 % "
                  "interval (where another seed's search falls); the change from the step before in brackets; "
                  "<i>unchanged</i>: the model leaves that element off; <i>no effect</i>: no sample's LOLE moved "
                  "at the step before's crossing, so its search stands. A change within the intervals is the "
                  "searches' noise. Decomposed years: "
                  f"{', '.join(map(str, dys))}.</p>",
                  "<div class='chart'>", _decomposition_chart(dec, dys), "</div>",
                  "<table id='gap-decomposition'><tr><th class='l'>step</th>"
                  + "".join(f"<th>{y} [GW]</th>" for y in dys) + "</tr>"]
        for k, st in enumerate(steps):
            cells = []
            for y in dys:
                r = dec[str(y)][k]
                if k == 0:  # PJM's arithmetic: exact, no interval
                    text = _gw(r["gap_mw"])
                else:
                    text = _interval({"estimate": r["gap_mw"], "low": r["low_mw"], "high": r["high_mw"]})
                    d = (r["gap_mw"] - dec[str(y)][k - 1]["gap_mw"]) / 1e3
                    same = r.get("status") in ("unchanged", "no effect")
                    text += f" <i>{r['status']}</i>" if same else f" ({d:+.1f})"
                cells.append(f"<td>{text}</td>")
            parts.append(f"<tr><td class='l'>{html.escape(st)}</td>" + "".join(cells) + "</tr>")
        parts.append("</table>")
    return parts


def _decomposition_chart(dec: dict, years) -> str:
    """The decomposition: the gap after each step, one line per decomposed year, with the 95 % intervals."""
    import matplotlib.pyplot as plt

    steps = [r["step"] for r in dec[str(years[0])]]
    fig, ax = plt.subplots(figsize=(8.5, 3.8))
    x = np.arange(len(steps))
    for k, y in enumerate(years):
        rows = dec[str(y)]
        est = np.array([r["gap_mw"] or 0.0 for r in rows]) / 1e3
        lo = np.array([r["low_mw"] if r["low_mw"] is not None else r["gap_mw"] or 0.0 for r in rows]) / 1e3
        hi = np.array([r["high_mw"] if r["high_mw"] is not None else r["gap_mw"] or 0.0 for r in rows]) / 1e3
        off = (k - (len(years) - 1) / 2) * 0.08
        ax.errorbar(x + off, est, yerr=[np.maximum(est - lo, 0), np.maximum(hi - est, 0)], marker="o", capsize=2,
                    lw=1, label=str(y))
    ax.set_xticks(x)
    ax.set_xticklabels(steps, rotation=25, ha="right", fontsize=7)
    ax.set_ylabel("gap [GW]")
    ax.set_title("From PJM's capacity arithmetic to the model's gap, one element a step (95 % intervals)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, title="year")
    return _svg(fig)


def _decision_html(results, rows, years, policies) -> list:
    """The decision first: the gap per year, each policy's verdict, what it closes and what it costs."""
    base = results["gap_policy"]
    parts = ["<section id='decision' data-section='decision'><h2>The decision</h2>",
             "<p>For each study year: the <b>gap</b>, the perfect firm capacity that must be added to hold the "
             "loss-of-load expectation at the standard of 0.1 day/yr (1 day in 10 years; with its 95 % interval: "
             "where a run with another seed puts it), "
             "and each policy's "
             "verdict. Verdicts are sampled until LOLE is at least three standard errors clear of the standard; "
             "a year at the standard within that precision is <i>at the standard</i>. For a year that meets the "
             "standard, <b>headroom</b> is the new data-center load [GW] that could connect under the policy "
             "before it breaks.</p>",
             "<div class='chart'>", _gap_chart(results, years, policies), "</div>",
             "<table id='decision-table'><tr><th>year</th><th>gap [GW]</th>"]
    parts += [f"<th class='l'>{html.escape(p)}</th>" for p in policies]
    parts.append("</tr>")
    for y in years:
        parts.append(f"<tr><td>{y}</td><td class='gap'>{_interval(results['gap_mw'][str(y)])}</td>")
        for p in policies:
            v = results["verdict"][p][str(y)]
            mark, color = _VERDICT_MARK[v["status"]]
            extra = ""
            gp = results["gap_by_policy_mw"][p][str(y)]
            hd = results["headroom_mw"][p][str(y)]
            if gp.get("estimate"):
                extra = f"gap {_interval(gp)}"
            elif hd.get("estimate") or hd.get("status", "").startswith("unlimited"):
                extra = f"headroom {_interval(hd)}"
            parts.append(f"<td class='l' data-verdict='{v['status']}'><span style='color:{color}'>{mark}</span>"
                         f"<br><span class='note'>{extra}</span></td>")
        parts.append("</tr>")
    parts.append("</table>")
    # what each policy closes and what it costs the training, in the focus year
    # the first year the gap is needed beyond doubt: the base policy's verdict is "fails"
    focus = next((y for y in years if results["verdict"][base][str(y)]["status"] == "fails"), years[-1])
    rs = {r["policy"]: r for r in rows if r["year"] == focus}
    parts.append(f"<h3>What each policy closes, and what it costs the AI training, {focus}</h3>"
                 "<table id='policy-cost'><tr><th class='l'>policy</th><th>gap closed [GW]</th>"
                 "<th>DC curtailed [h/yr]</th><th>DC curtailed [GWh/yr]</th><th>GPU-hours lost [million/yr]</th>"
                 "<th>training throughput lost</th></tr>")
    for p in policies:
        closed = results["gap_closed_mw"][p].get(str(focus))
        r = rs.get(p)
        if r is None:
            continue
        parts.append(f"<tr><td class='l'>{html.escape(p)}</td><td>{_gw(closed)}</td>"
                     f"<td>{r['dc_curtailed_hours']['mean']:.3g}</td><td>{r['dc_curtailed_mwh']['mean'] / 1e3:.3g}</td>"
                     f"<td>{r['dc_gpu_hours_lost']['mean'] / 1e6:.3g}</td>"
                     f"<td>{r['dc_throughput_lost_fraction']['mean'] * 100:.2g} %</td></tr>")
    parts.append(f"</table><p class='note'>Gap closed: the {html.escape(base)} policy's gap minus the policy's "
                 "own gap. A policy that meets the standard closes the whole gap; its cost to the training is "
                 "what buys it.</p>")
    parts += _zonal_html(results, years)
    rng = results.get("scenarios")
    if rng:
        parts += ["<h3>The range</h3><p>The gap of the firm policy when each assumption is moved to an end of "
                  "its range, the others held at the central case (docs/outlook.md, \"Reading the range\").</p>",
                  "<div class='chart'>", _tornado(rng), "</div>"]
    parts.append("</section>")
    return parts


def _grid_name(results) -> str:
    """How the report names the grid: the PJM-like system, or a grid from a description by its name."""
    system = results.get("system") or "pjm-default"
    return "the PJM-like system" if system.startswith("pjm") else f"the {html.escape(system.upper())} system"


def _range_text(results) -> str:
    """The model's range beside the sampling interval: the gap's lowest and highest across ``--range``."""
    from gigawatt.decision.headline import RANGE_FACTORS, gap_range

    rng = results.get("scenarios")
    spans = [(y, gap_range(rng, y)) for y in (rng or {}).get("years", [])]
    spans = [(y, s) for y, s in spans if s is not None]
    if not spans:
        return (f" The model's range across its assumptions ({RANGE_FACTORS}) is not in this run "
                "(<code>gigawatt run --range</code> adds it): the intervals cover the sampling only.")
    parts = [f"{y}: <b>{_gw(lo[0])}&ndash;{_gw(hi[0])} GW</b> (from {html.escape(lo[1])} to {html.escape(hi[1])})"
             for y, (lo, hi) in spans]
    return (" The model's range, each assumption moved to an end of its range (sampling intervals cover far "
            "less): the gap of " + "; ".join(parts) + ".")


def _decision_headline(results, years, policies, under) -> str:
    """One paragraph: not a forecast, and on what it is conditional; the gap now and at the horizon with its
    sampling interval and the model's range; when each policy first fails."""
    from gigawatt.decision.headline import conditions

    base = results["gap_policy"]
    gaps = {y: results["gap_mw"][str(y)] for y in years}
    grid = _grid_name(results)
    text = (f"<b>Not a forecast</b>: every figure is conditional on its scenario &mdash; "
            f"{html.escape(conditions(results), quote=False)}. ")
    first_gap = next((y for y in years if (gaps[y].get("estimate") or 0) > 0
                      and results["verdict"][base][str(y)]["status"] == "fails"), None)
    if first_gap is None:
        text += (f"Under {under}, with data centers served as {html.escape(base)} load, {grid} meets "
                 f"the 0.1 day/yr standard in every year {years[0]}-{years[-1]} (or is at it within the sampling "
                 "precision): no new firm capacity is needed beyond the scenario's additions.")
    else:
        last = years[-1]
        text += (f"Under {under}, with data centers served as {html.escape(base)} load, {grid} "
                 f"needs <b>{_interval(gaps[first_gap])} GW</b> of new firm capacity in <b>{first_gap}</b> to meet "
                 f"the 0.1 day/yr standard")
        if last != first_gap:
            text += f", and <b>{_interval(gaps[last])} GW</b> by {last}"
        text += (" (in brackets the 95 % sampling interval: where a run with another seed puts the gap).")
    text += _range_text(results)
    fails = []
    for p in policies:
        y = results["first_year_failing"].get(p)
        fails.append(f"{html.escape(p)}: " + (f"fails from {y}" if y else "meets or is at the standard"))
    return text + " First year each policy fails the standard: " + "; ".join(fails) + "."


def render_report(results: dict) -> str:
    """HTML text of the report for a ``results.json`` dictionary."""
    rows = results["results"]
    policies = list(dict.fromkeys(r["policy"] for r in rows))
    years = sorted({r["year"] for r in rows})
    first = results.get("first_year_failing", {})
    base = policies[0]
    focus = first.get(base) or years[-1]
    focus_row = next(r for r in rows if r["policy"] == base and r["year"] == focus)
    scen = results.get("scenario") or {}
    under = ("the default assumptions" if not scen.get("path") else
             f"the assumptions of scenario '{html.escape(scen.get('name', ''))}'")
    head = _decision_headline(results, years, policies, under)
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>gigawatt outlook</title>"
             f"<style>{_CSS}</style><script>{_JS}</script></head><body>",
             "<h1>Will the lights stay on?</h1>",
             _scenario_line(results.get("scenario")),
             f"<p class='note'>{html.escape(results.get('system_note', ''))}</p>",
             f"<div class='headline'>{head}</div>",
             *_decision_html(results, rows, years, policies),
             "<section id='detail' data-section='detail'><h2>The detail: reliability by year</h2>",
             "<p class='note'>Figures for later years are consequences of the stated scenario (see the headline), "
             "not a forecast: the gap above is the decision they imply.</p><div class='chart'>", _outlook_chart(rows, policies), "</div>",
             "<h2>When shortfalls happen</h2><div class='chart'>", _heatmap(focus_row["shortfall_month_hour"], focus,
                                                                         results.get("timezone") or "America/New_York"),
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
                 f"the samples of its verdict (at most {results['samples']}) x {results.get('weather_years', '?')} "
                 f"weather years (seed {results['seed']}); the standard errors cover sampling only, the range above "
                 "the assumptions.</p>")
    parts.append("</section>")
    parts.append(_calibration(results.get("calibration")))
    parts.append("<h2>Assumptions and sources</h2><table><tr><th class='l'>assumption</th><th class='l'>value</th>"
                 "<th class='l'>source</th></tr>")
    for a in results.get("assumptions", []):
        parts.append(f"<tr><td class='l'>{html.escape(a['name'])}</td><td class='l'>{html.escape(str(a['value']))}"
                     f"</td><td class='l'>{html.escape(a['source'])}</td></tr>")
    parts.append("</table></body></html>")
    return "".join(parts)
