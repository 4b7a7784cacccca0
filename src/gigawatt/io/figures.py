"""Writing figures to disk (the only place plots touch files)."""

from __future__ import annotations

from pathlib import Path

from gigawatt.errors import FileFormatError


def save_figure(fig, path, dpi: int = 100) -> Path:
    """Save a matplotlib figure as PNG and close it.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    path : path-like
        Output file; its folder must exist.
    dpi : int
        Resolution [dots per inch].
    """
    import matplotlib.pyplot as plt

    p = Path(path)
    if not p.parent.is_dir():
        raise FileFormatError(p, f"cannot write the figure: folder {str(p.parent)!r} does not exist")
    try:
        fig.savefig(p, dpi=dpi, format="png")
    except OSError as exc:
        raise FileFormatError(p, f"cannot write the figure ({exc.strerror})") from None
    finally:
        plt.close(fig)
    return p
