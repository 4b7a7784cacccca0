"""Atomic file writes and strict JSON, shared by checkpoints (execution) and output writers (io, cli).

A file is written to a hidden temporary name (``.NAME.XXXX.tmp``) in the same directory, flushed
to disk and moved into place with :func:`os.replace`, so a reader sees the whole file or none.
:func:`atomic_write_group` does the same for files that belong together (``results.json`` and
``report.html`` of one run). JSON is always strict: NaN and infinities become ``null``
(:func:`strict_json`) and :func:`dumps_strict` refuses any that remain.

Nothing heavy is imported here (the CLI loads this module for ``--json``).
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import time
from pathlib import Path

from gigawatt.errors import InputError


def strict_json(obj):
    """``obj`` with every non-finite float replaced by ``None`` (the key is kept), ready for strict JSON.

    Dicts, lists and tuples are copied recursively; numpy scalars and arrays become Python
    numbers and lists (anything with ``tolist``); other values are returned as they are.
    """
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: strict_json(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [strict_json(v) for v in obj]
    if isinstance(obj, (str, int, bool)) or obj is None:
        return obj
    tolist = getattr(obj, "tolist", None)  # numpy scalars and arrays
    if callable(tolist):
        return strict_json(tolist())
    return obj


def dumps_strict(obj, indent: int | None = 2) -> str:
    """``obj`` as strict JSON text (RFC 8259: no NaN or Infinity; those become ``null``).

    ``allow_nan=False`` makes any non-finite number that :func:`strict_json` did not reach an
    error instead of invalid JSON.
    """
    return json.dumps(strict_json(obj), indent=indent, allow_nan=False, default=_json_default)


def _json_default(obj):
    if isinstance(obj, os.PathLike):
        return os.fspath(obj)
    raise TypeError(f"{type(obj).__name__} is not JSON serializable")


def fsync_dir(directory) -> None:
    """Flush a directory's entries (renames into it) to disk; a no-op where directories cannot be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_temporary(path: Path, data: bytes) -> str:
    """Write ``data`` to a new hidden temporary file beside ``path``, flushed to disk; returns its name."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o644)  # mkstemp makes 0600; results are meant to be read by others
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        _unlink(tmp)
        raise
    return tmp


def _unlink(path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def atomic_write_bytes(path, data: bytes, durable: bool = False) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same directory and :func:`os.replace`.

    ``durable``: also flush the directory, so that the rename itself survives a power cut.
    """
    path = Path(path)
    tmp = _write_temporary(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        _unlink(tmp)
        raise
    if durable:
        fsync_dir(path.parent)


def atomic_write_json(path, obj, durable: bool = False) -> None:
    """Write ``obj`` as indented strict JSON (non-finite numbers as ``null``), atomically."""
    atomic_write_bytes(path, (dumps_strict(obj) + "\n").encode(), durable=durable)


def atomic_write_group(files) -> None:
    """Write files that belong together so that a folder never mixes two writes of them.

    ``files`` is a sequence of ``(path, bytes)``; the last file is the group's commit marker.
    Every file is first written to a temporary beside its final name and flushed to disk; then
    the previous marker is removed, the other files are moved into place and the marker last,
    and the directories are flushed. Wherever a kill or a power cut stops this, a marker file
    that is present was written with the other files beside it: ``results.json`` (the marker of
    ``gigawatt run``) never sits beside another run's ``report.html``.
    """
    files = [(Path(p), data) for p, data in files]
    tmps: list[str] = []
    try:
        for p, data in files:
            tmps.append(_write_temporary(p, data))
        marker = files[-1][0]
        _unlink(marker)
        fsync_dir(marker.parent)
        for (p, _), tmp in zip(files, tmps):
            os.replace(tmp, p)
    except BaseException:
        for tmp in tmps:
            _unlink(tmp)
        raise
    for d in {p.parent for p, _ in files}:
        fsync_dir(d)


def remove_stale_temporaries(directory, age_s: float, patterns=(".*.tmp",)) -> list[Path]:
    """Delete temporary files of killed writes in ``directory`` older than ``age_s`` [s]; returns them.

    A younger one may belong to a write still in progress, so it is left (it is never read).
    """
    now = time.time()
    removed = []
    for pattern in patterns:
        for p in Path(directory).glob(pattern):
            try:
                if p.is_file() and now - p.stat().st_mtime > age_s:
                    p.unlink()
                    removed.append(p)
            except FileNotFoundError:
                pass
    return removed


def ensure_writable_dir(directory, option: str = "--checkpoint-dir", what: str = "checkpoints") -> Path:
    """Create ``directory`` if needed and check that files can be written there.

    Raises
    ------
    InputError
        With a one-paragraph message naming the option, the directory and the reason.
    """
    directory = Path(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        tempfile.NamedTemporaryFile(dir=directory, prefix=".probe.", delete=True).close()
    except OSError as exc:
        raise InputError(f"{option} {str(directory)!r}: cannot write {what} there "
                         f"({exc.strerror or exc}). Give a directory you can write to.") from None
    return directory


__all__ = ["atomic_write_bytes", "atomic_write_group", "atomic_write_json", "dumps_strict", "ensure_writable_dir",
           "fsync_dir", "remove_stale_temporaries", "strict_json"]
