"""Strict CSV helpers shared by the readers.

Every reader goes through these helpers so that a bad file always produces a
:class:`gigawatt.errors.FileFormatError` naming the file, the 1-based line and
the column at fault, never a raw pandas traceback and never silently wrong
numbers. Values are read as text first and converted here, which is what lets
the error name the exact cell.
"""

from __future__ import annotations

import csv
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from gigawatt.errors import FileFormatError

#: Tokens that mean "no value" in the supported files. ``MISSING``/``EMPTY`` are
#: written by the EIA-930 cleaned releases (source: Ruggles et al. 2020 data README,
#: ``shared/data/eia930/README.md``); blank cells by EIA's own downloads and PJM.
MISSING_TOKENS = frozenset({"", "MISSING", "EMPTY", "NA", "N/A", "NAN", "NULL", "NONE"})

_PANDAS_LINE = re.compile(r"line (\d+)")
_PANDAS_ROW = re.compile(r"row (\d+)")


def check_path(path) -> Path:
    """Return ``path`` as a :class:`~pathlib.Path`, raising if it is not a readable file."""
    p = Path(path)
    if not p.exists():
        raise FileFormatError(p, "file not found")
    if p.is_dir():
        raise FileFormatError(p, "is a folder, expected a CSV file")
    return p


def read_header(path) -> list[str]:
    """Column names of the first line of a CSV file (BOM and surrounding spaces removed)."""
    p = check_path(path)
    try:
        with open(p, encoding="utf-8-sig", newline="") as fh:
            first = fh.readline()
    except UnicodeDecodeError as exc:
        raise FileFormatError(p, f"not UTF-8 text ({exc.reason} at byte {exc.start})", line=1) from None
    except OSError as exc:
        raise FileFormatError(p, f"cannot be read ({exc.strerror})") from None
    if not first.strip():
        raise FileFormatError(p, "is empty; expected a header line", line=1)
    try:
        row = next(csv.reader([first]))
    except csv.Error as exc:  # pragma: no cover - csv.reader on one line rarely fails
        raise FileFormatError(p, f"malformed header ({exc})", line=1) from None
    return [c.strip() for c in row]


def read_text_table(path, *, skiprows: int = 0) -> pd.DataFrame:
    """Read a CSV file with every cell as text.

    Blank lines are kept (as rows of empty cells) so that row ``i`` of the result
    is line ``i + 2 + skiprows`` of the file; the converters below rely on it.

    Raises
    ------
    FileFormatError
        Unreadable file, bad encoding, or rows with the wrong number of fields
        (the message names the line).
    """
    p = check_path(path)
    try:
        with warnings.catch_warnings():
            # a first data row longer than the header would otherwise become an index
            warnings.simplefilter("error", pd.errors.ParserWarning)
            df = pd.read_csv(
                p,
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=False,
                skiprows=skiprows,
                index_col=False,
                encoding="utf-8-sig",
                engine="c",
            )
    except pd.errors.ParserWarning:
        raise FileFormatError(p, "malformed CSV row (more fields than the header)", line=2 + skiprows) from None
    except UnicodeDecodeError as exc:
        raise FileFormatError(p, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except pd.errors.EmptyDataError:
        raise FileFormatError(p, "is empty; expected a header line and data rows", line=1) from None
    except pd.errors.ParserError as exc:
        msg = str(exc)
        m = _PANDAS_LINE.search(msg)
        r = _PANDAS_ROW.search(msg)
        if m:
            line = int(m.group(1)) + skiprows
        elif r:  # "EOF inside string starting at row N": N counts lines from 0
            line = int(r.group(1)) + 1 + skiprows
        else:  # pragma: no cover - every C-parser message seen names a line or row
            line = 1
        raise FileFormatError(p, f"malformed CSV row ({msg.split('. ')[-1].strip()})", line=line) from None
    except OSError as exc:
        raise FileFormatError(p, f"cannot be read ({exc.strerror})") from None
    df.columns = [str(c).strip() for c in df.columns]
    if df.columns.duplicated().any():
        dup = df.columns[df.columns.duplicated()][0]
        raise FileFormatError(p, "duplicated column name in the header", line=1 + skiprows, column=dup)
    if len(df) == 0:
        raise FileFormatError(p, "has a header but no data rows", line=2 + skiprows)
    # Drop blank lines at the very end of the file only (an editor's trailing newline).
    blank = (df == "").all(axis=1).to_numpy()
    n = len(df)
    while n > 0 and blank[n - 1]:
        n -= 1
    if n == 0:
        raise FileFormatError(p, "has a header but no data rows", line=2 + skiprows)
    return df.iloc[:n]


def require_columns(df: pd.DataFrame, path, columns) -> None:
    """Raise a :class:`FileFormatError` naming the first of ``columns`` absent from ``df``."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise FileFormatError(
            path,
            f"required column {missing[0]!r} is absent (header has {list(df.columns)})",
            line=1,
        )


def parse_numbers(text: pd.Series, path, column: str, *, first_line: int = 2, thousands: bool = False, lines=None):
    """Convert a text column to float [same unit as the file], NaN for missing tokens.

    Parameters
    ----------
    text : pandas.Series of str
        The cells, row ``i`` being line ``first_line + i`` of the file.
    path : path-like
        The file (for error messages).
    column : str
        Column name (for error messages).
    first_line : int
        1-based file line of the first row.
    thousands : bool
        Accept ``,`` as a thousands separator (EIA-930 downloads write ``"1,234"``).
    lines : array of int, optional
        File line of each row, where the rows are not contiguous (overrides ``first_line``).

    Returns
    -------
    values : numpy.ndarray of float
        NaN where the cell is blank or a missing token (see :data:`MISSING_TOKENS`).

    Raises
    ------
    FileFormatError
        A cell that is neither a finite number nor a missing token; names its line.
    """
    s = text.astype(str).str.strip()
    if thousands:
        s = s.str.replace(",", "", regex=False)
    missing = s.str.upper().isin(MISSING_TOKENS).to_numpy()
    values = pd.to_numeric(s.where(~missing, "nan"), errors="coerce").to_numpy(dtype=float)
    bad = ~missing & ~np.isfinite(values)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise FileFormatError(
            path,
            f"{text.iloc[i]!r} is not a finite number (or blank/MISSING/EMPTY)",
            line=_line(i, first_line, lines),
            column=column,
        )
    return values


def parse_times(text: pd.Series, path, column: str, fmt: str | list[str], *, first_line: int = 2, lines=None):
    """Convert a text column to naive timestamps with an explicit format.

    Parameters
    ----------
    text : pandas.Series of str
        The cells.
    path, column, first_line, lines
        As in :func:`parse_numbers`.
    fmt : str or list of str
        ``strptime`` format(s); with several, each cell may match any of them
        (tried in order).

    Returns
    -------
    pandas.DatetimeIndex
        Naive timestamps (time zone decided by the caller).

    Raises
    ------
    FileFormatError
        The first cell that matches none of the formats (names its line).
    """
    s = text.astype(str).str.strip()
    fmts = [fmt] if isinstance(fmt, str) else list(fmt)
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    for f in fmts:
        todo = out.isna()
        if not todo.any():
            break
        out[todo] = pd.to_datetime(s[todo], format=f, errors="coerce")
    bad = out.isna().to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise FileFormatError(
            path,
            f"{text.iloc[i]!r} is not a timestamp in the expected format {' or '.join(fmts)!r}",
            line=_line(i, first_line, lines),
            column=column,
        )
    return pd.DatetimeIndex(out.to_numpy(), name=None)


def _line(i: int, first_line: int, lines) -> int:
    return int(lines[i]) if lines is not None else first_line + i
