"""Strict CSV helpers shared by the readers.

Every reader goes through these helpers so that a bad file always produces a
:class:`gigawatt.errors.FileFormatError` naming the file, the 1-based line and
the column at fault, never a raw pandas traceback and never silently wrong
numbers. Values are read as text first and converted here, which is what lets
the error name the exact cell.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from gigawatt.errors import FileFormatError

#: Tokens that mean "no value" in the supported files. ``MISSING``/``EMPTY`` are
#: written by the EIA-930 cleaned releases (source: Ruggles et al. 2020 and the releases' README,
#: [S127]); blank cells by EIA's own downloads and PJM.
MISSING_TOKENS = frozenset({"", "MISSING", "EMPTY", "NA", "N/A", "NAN", "NULL", "NONE"})

#: Timestamps accepted in data files: hourly power data before 1900 does not exist, and
#: from 2262 on pandas' nanosecond timestamps overflow.
FIRST_YEAR, LAST_YEAR = 1900, 2199


def check_path(path) -> Path:
    """Return ``path`` as a :class:`~pathlib.Path`, raising if it is not a readable file."""
    p = Path(path)
    try:
        exists, is_dir, is_file = p.exists(), p.is_dir(), p.is_file()
    except (OSError, ValueError) as exc:  # a name too long, a NUL in the name
        raise FileFormatError(p, f"cannot be read ({exc})") from None
    if not exists:
        raise FileFormatError(p, "file not found")
    if is_dir:
        raise FileFormatError(p, "is a folder, expected a CSV file")
    if not is_file:  # a device or a pipe (reading one could block)
        raise FileFormatError(p, "is not a regular file, expected a CSV file")
    return p


def read_header(path) -> list[str]:
    """Column names of the first line of a CSV file (BOM and surrounding spaces removed)."""
    p = check_path(path)
    try:
        with open(p, "rb") as fh:
            raw = fh.readline(1 << 20)
    except OSError as exc:
        raise FileFormatError(p, f"cannot be read ({exc.strerror or exc})") from None
    try:
        first = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileFormatError(p, f"not UTF-8 text ({exc.reason} at byte {exc.start})", line=1) from None
    if not first.strip():
        raise FileFormatError(p, "is empty; expected a header line", line=1)
    try:
        row = next(csv.reader([first]))
    except csv.Error as exc:  # pragma: no cover - csv.reader on one line rarely fails
        raise FileFormatError(p, f"malformed header ({exc})", line=1) from None
    return [c.strip() for c in row]


def read_text_table(path, *, skiprows: int = 0) -> pd.DataFrame:
    """Read a CSV file with every cell as text.

    The file is parsed here (Python's :mod:`csv`, strict quoting), not by pandas, so that
    every row can be checked against the header: a row with too few or too many fields
    is an error naming its line, never a row of silently missing values, and a name
    repeated in the header is an error (pandas would rename the second copy ``x.1``).
    Blank lines are kept (as rows of empty cells); blank lines at the very end are
    dropped.

    Returns
    -------
    pandas.DataFrame
        Text cells; the index (named ``line``) is the 1-based file line of each row,
        which the converters below use in their messages.

    Raises
    ------
    FileFormatError
        Unreadable file, bad encoding, a malformed row, a row with the wrong number of
        fields, or a duplicated column name (the message names the line).
    """
    p = check_path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise FileFormatError(p, f"cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise FileFormatError(p, f"not UTF-8 text ({exc.reason} at byte {exc.start})", line=line) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    header = None
    last = 0  # physical lines consumed so far
    try:
        for row in reader:
            start, last = last + 1, reader.line_num
            if start <= skiprows:
                continue
            if header is None:
                if not row or all(not c.strip() for c in row):
                    raise FileFormatError(p, "is empty; expected a header line and data rows", line=start)
                header = [c.strip() for c in row]
                header_line = start
                seen = set()
                for c in header:
                    if c in seen:
                        raise FileFormatError(p, "duplicated column name in the header", line=start, column=c)
                    seen.add(c)
                continue
            if not row:  # a blank line: a row of empty cells
                row = [""] * len(header)
            elif len(row) != len(header):
                few = "too few" if len(row) < len(header) else "too many"
                raise FileFormatError(p, f"malformed CSV row: {few} fields ({len(row)}; the header has "
                                         f"{len(header)})", line=start)
            rows.append(row)
            lines.append(start)
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):  # a quote opened on the row's first line is never closed
            raise FileFormatError(p, "malformed CSV row: a quoted field is never closed", line=last + 1) from None
        raise FileFormatError(p, f"malformed CSV row ({exc})", line=max(reader.line_num, 1)) from None
    if header is None:
        raise FileFormatError(p, "is empty; expected a header line and data rows", line=1 + skiprows)
    # Drop blank lines at the very end of the file only (an editor's trailing newline).
    n = len(rows)
    while n > 0 and all(c == "" for c in rows[n - 1]):
        n -= 1
    if n == 0:
        raise FileFormatError(p, "has a header but no data rows", line=header_line + 1)
    rows, lines = rows[:n], lines[:n]
    columns = list(zip(*rows, strict=True))
    df = pd.DataFrame({h: pd.Series(c, dtype=str) for h, c in zip(header, columns, strict=True)})
    df.index = pd.Index(np.asarray(lines, dtype=np.int64), name="line")
    return df


def require_columns(df: pd.DataFrame, path, columns) -> None:
    """Raise a :class:`FileFormatError` naming the first of ``columns`` absent from ``df``."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise FileFormatError(
            path,
            f"required column {missing[0]!r} is absent (header has {list(df.columns)})",
            line=1,
        )


def _reject_first(bad, path, text, first_line, lines, column, message) -> None:
    """Raise a :class:`FileFormatError` naming the line and column of the first ``bad`` cell, if any."""
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise FileFormatError(path, message(text.iloc[i]), line=_line(i, first_line, lines, text), column=column)


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
    _reject_first(bad, path, text, first_line, lines, column,
                  lambda cell: f"{cell!r} is not a finite number (or blank/MISSING/EMPTY)")
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
    # parsed at microsecond resolution (years 1-9999 fit), range-checked, then made nanoseconds
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[us]")
    for f in fmts:
        todo = out.isna()
        if not todo.any():
            break
        try:
            parsed = pd.to_datetime(s[todo], format=f, errors="coerce")
        except (ValueError, OverflowError):  # pragma: no cover - errors="coerce" returns NaT
            continue
        out[todo] = parsed.astype("datetime64[us]")
    bad = out.isna().to_numpy()
    _reject_first(bad, path, text, first_line, lines, column,
                  lambda cell: f"{cell!r} is not a timestamp in the expected format {' or '.join(fmts)!r}")
    years = out.dt.year.to_numpy()
    bad = (years < FIRST_YEAR) | (years > LAST_YEAR)
    _reject_first(bad, path, text, first_line, lines, column,
                  lambda cell: f"{cell!r} is outside the supported years {FIRST_YEAR}-{LAST_YEAR}")
    return pd.DatetimeIndex(out.to_numpy().astype("datetime64[ns]"), name=None)


def _line(i: int, first_line: int, lines, text=None) -> int:
    """File line of row ``i``: from ``lines``, else the ``line`` index of :func:`read_text_table`."""
    if lines is not None:
        return int(lines[i])
    if text is not None and text.index.name == "line":
        return int(text.index[i])
    return first_line + i
