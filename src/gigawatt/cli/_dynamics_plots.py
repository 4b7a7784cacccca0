"""Small PNG plots for `gigawatt dynamics` (matplotlib, Agg backend)."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_trace(path: Path, time_s: np.ndarray, series: dict, *, window_s: float = 120.0,
               title: str = "") -> None:
    """Power [MW] vs time [s]: the first ``window_s`` seconds of each series."""
    plt = _plt()
    n = int(np.searchsorted(time_s, time_s[0] + window_s))
    fig, ax = plt.subplots(figsize=(7, 3.2), dpi=110)
    for name, p in series.items():
        ax.plot(time_s[:n], p[:n], lw=0.9, label=name)
    ax.set_xlabel("time [s]")
    ax.set_ylabel("power [MW]")
    if title:
        ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def plot_frequency(path: Path, time_s: np.ndarray, frequency_hz: np.ndarray | dict,
                   title: str = "") -> None:
    """Frequency [Hz] vs time [s]; ``frequency_hz`` may be a dict of labelled series."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 3.2), dpi=110)
    series = frequency_hz if isinstance(frequency_hz, dict) else {"frequency": frequency_hz}
    for name, f in series.items():
        ax.plot(time_s, f, lw=1.2, label=name)
    ax.set_xlabel("time [s]")
    ax.set_ylabel("frequency [Hz]")
    if title:
        ax.set_title(title, fontsize=10)
    if len(series) > 1:
        ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
