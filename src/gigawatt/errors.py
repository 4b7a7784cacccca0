"""Exceptions raised for bad input.

Every error a user can cause is a :class:`GigawattError` whose message names the
file, line, column or field at fault and what was expected. The CLI prints the
message as one paragraph and exits non-zero; it never shows a traceback for these.
"""

from __future__ import annotations


class GigawattError(Exception):
    """Base class for errors caused by bad input or bad options."""


class InputError(GigawattError, ValueError):
    """Invalid values for a model parameter (names the field and the expectation)."""


class FileFormatError(GigawattError):
    """A file that is missing, unreadable or malformed.

    Parameters
    ----------
    path : str
        The file.
    message : str
        What is wrong and what was expected.
    line : int, optional
        1-based line number, where the file is text.
    column : str, optional
        Column or dataset name.
    """

    def __init__(self, path, message, *, line=None, column=None):
        where = str(path)
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")
        self.path = str(path)
        self.line = line
        self.column = column


class Cancelled(Exception):
    """A run stopped between two chunks because its ``cancel()`` callable answered true (not an input error)."""
