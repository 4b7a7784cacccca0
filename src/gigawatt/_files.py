"""Atomic file writes shared by checkpoints (execution) and output writers (io, cli).

A file is written to a hidden temporary name in the same directory, flushed to disk and
moved into place with :func:`os.replace`, so a reader sees the whole file or none.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from gigawatt.errors import InputError


def atomic_write_bytes(path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same directory and :func:`os.replace`."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o644)  # mkstemp makes 0600; results are meant to be read by others
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def atomic_write_json(path, obj) -> None:
    """Write ``obj`` as indented JSON, atomically."""
    atomic_write_bytes(path, (json.dumps(obj, indent=2, default=float) + "\n").encode())


def ensure_writable_dir(directory) -> Path:
    """Create ``directory`` if needed and check that files can be written there.

    Raises
    ------
    InputError
        With a one-paragraph message naming the directory and the reason.
    """
    directory = Path(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        tempfile.NamedTemporaryFile(dir=directory, prefix=".probe.", delete=True).close()
    except OSError as exc:
        raise InputError(f"--checkpoint-dir {str(directory)!r}: cannot write checkpoints there "
                         f"({exc.strerror or exc}). Give a directory you can write to.") from None
    return directory


__all__ = ["atomic_write_bytes", "atomic_write_json", "ensure_writable_dir"]
