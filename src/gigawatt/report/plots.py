"""Figures of the studies (matplotlib, Agg backend): the studies compute, the face draws.

Each function returns a :class:`matplotlib.figure.Figure` and, given ``path``, writes it as a PNG
through :func:`gigawatt.io.figures.save_figure`.
"""

from __future__ import annotations

import numpy as np

from gigawatt.errors import InputError


def plot_rate_curves(series: dict, results: dict, *, first_year: int, last_year: int, tz: str = "UTC",
                     path=None, n_points: int = 200):
    """Curtailment rate [%] vs added load [GW], one line per balancing authority.

    Parameters
    ----------
    series : dict of str -> pandas.Series
        Cleaned hourly demand [MW] per BA (UTC hour-beginning index).
    results : dict of str -> dict
        Per BA, the result of :func:`gigawatt.duke.study.headroom_from_series`
        (the solved headroom points are marked).
    first_year, last_year : int
        Study years.
    tz : str
        Calendar time zone.
    path : path-like, optional
        Where to write the PNG; the file is written by :func:`gigawatt.io.figures.save_figure`.
    n_points : int
        Points per curve.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from gigawatt.duke.study import rate_curve

    if not series:
        raise InputError("nothing to plot")
    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=100)
    top = max(max(r["headroom_mw"] for r in res["limits"].values()) for res in results.values())
    for code, s in series.items():
        res = results[code]
        hmax = 1.3 * max(r["headroom_mw"] for r in res["limits"].values())
        loads = np.linspace(hmax / n_points, hmax, n_points)
        rate = rate_curve(s, loads, first_year=first_year, last_year=last_year, tz=tz)
        (line,) = ax.plot(loads / 1e3, 100 * rate, lw=1.2, label=code if len(series) <= 8 else None)
        pts = sorted(res["limits"].items())
        ax.plot([r["headroom_mw"] / 1e3 for _, r in pts], [100 * f for f, _ in pts], "o", ms=3,
                color=line.get_color())
    ax.set_yscale("log")
    ax.set_xlabel("added constant load [GW]")
    ax.set_ylabel("mean annual curtailment rate [%]")
    ax.set_title(f"Duke curtailment-enabled headroom, {first_year}-{last_year}")
    ax.set_xlim(0, 1.3 * top / 1e3)
    ax.grid(True, which="both", alpha=0.3)
    if len(series) <= 8:
        ax.legend()
    fig.tight_layout()
    if path is not None:
        from gigawatt.io.figures import save_figure

        save_figure(fig, path)
    return fig


def plot_sweep(df: pd.DataFrame, *, title: str = "", path=None):
    """Headroom interval [MW] against the option size, as a PNG (matplotlib, Agg).

    Parameters
    ----------
    df : pandas.DataFrame
        From :func:`gigawatt.capacity.sweep.sweep`.
    title : str
    path : path-like, optional
        Where to write the PNG (:func:`gigawatt.io.figures.save_figure`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from gigawatt.capacity.sweep import OPTIONS

    opt = df.attrs.get("option", "battery_mw")
    tgt = df.attrs.get("target", {})
    fig, ax = plt.subplots(figsize=(7, 4.2))
    x = df["size"].to_numpy()
    ax.fill_between(x, df["headroom_low_mw"], df["headroom_high_mw"], alpha=0.3,
                    label=f"interval ({df.attrs.get('samples', '?')} samples, seed {df.attrs.get('seed', '?')})")
    ax.plot(x, df["headroom_estimate_mw"], marker="o", label="crossing of the mean")
    ax.axhline(0.0, color="grey", lw=0.8)
    ax.set_xlabel(OPTIONS.get(opt, opt))
    ax.set_ylabel("reliability headroom [MW]")
    ax.set_title(title or f"Headroom at {tgt.get('metric', '')} <= {tgt.get('value', '')} {tgt.get('unit', '')}")
    ax.grid(alpha=0.3)
    ax.legend(loc="best", fontsize=8)
    fig.tight_layout()
    if path is not None:
        from gigawatt.io.figures import save_figure

        save_figure(fig, path)
    return fig


__all__ = ["plot_rate_curves", "plot_sweep"]
