"""Study-year grids kept on disk and memory-mapped: a year seen before loads in milliseconds, and a
kept grid costs the server almost no memory.

The outlook's grid of a year with 23 weather years holds two (units, periods) arrays of ~690 MB
each (capacity and forced-outage probability, 424 units x 201,480 hours); with twelve weather years
it was half that.
The kernel's preparation (:func:`gigawatt.methods.sequential.prepare`) reads them once per grid and
keeps its own compact copy (one row per distinct series, ~50 MB). So the grid is saved once under
:func:`cache_root` (``pickle`` with every array of at least :data:`MIN_MAPPED_BYTES` in its own
``.npy``; arrays broadcast along an axis stay broadcast), then loaded with its large arrays mapped
read-only from those files; :func:`release` hands their pages back to the operating system after a
run (they come back from the page cache when read again). The key is a hash of the year, the
outlook's assumptions, the sources of the code that builds the grid and the package's data files (the
weather years): a change to any makes a new entry. At most :data:`KEEP_ENTRIES` entries stay on disk (the least recently used go first).
"""

from __future__ import annotations

import hashlib
import mmap
import os
import pickle
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

#: where the grids are kept, if set (else ``$XDG_CACHE_HOME/gigawatt/grids`` or ``~/.cache/gigawatt/grids``)
CACHE_ENV = "GIGAWATT_GRID_CACHE_DIR"
#: arrays at least this large are kept in their own file and memory-mapped [bytes]
MIN_MAPPED_BYTES = 1 << 20
#: grids kept on disk at most (~1.4 GB each with 23 weather years)
KEEP_ENTRIES = 8
#: the format of an entry (a change makes new entries)
FORMAT = 1


def cache_root() -> Path:
    own = os.environ.get(CACHE_ENV)
    if own:
        return Path(own).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "gigawatt" / "grids"


def _sources_hash() -> str:
    """A hash of what builds a grid: the package's sources (less its face) and its data files."""
    import gigawatt

    root = Path(gigawatt.__file__).parent
    h = hashlib.sha256()
    for p in sorted(root.rglob("*.py")):
        rel = p.relative_to(root).as_posix()
        if rel.split("/")[0] in ("web", "cli", "report", "io"):
            continue
        h.update(rel.encode())
        h.update(p.read_bytes())
    for p in sorted((root / "data").rglob("*")):
        if p.is_file():
            h.update(p.relative_to(root).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()


_SOURCES: list[str] = []


def key(outlook, year: int) -> str:
    """The entry of ``year`` of ``outlook``: a hash of the year, the assumptions and the sources."""
    if not _SOURCES:
        _SOURCES.append(_sources_hash())
    h = hashlib.sha256(f"{FORMAT}|{year}|{outlook!r}|{_SOURCES[0]}".encode())
    return f"{year}-{h.hexdigest()[:24]}"


class _Saver(pickle.Pickler):
    def __init__(self, f, folder: Path):
        super().__init__(f, protocol=pickle.HIGHEST_PROTOCOL)
        self.folder, self.n = folder, 0

    def persistent_id(self, obj):
        if type(obj) is not np.ndarray or obj.nbytes < MIN_MAPPED_BYTES:
            return None
        if 0 in obj.strides:  # broadcast along an axis: keep it so (the small array itself is pickled)
            small = obj[tuple(slice(0, 1) if s == 0 else slice(None) for s in obj.strides)]
            return ("broadcast", np.ascontiguousarray(small), obj.shape, obj.flags.writeable)
        name = f"a{self.n}.npy"
        self.n += 1
        np.save(self.folder / name, np.ascontiguousarray(obj), allow_pickle=False)
        return ("npy", name, obj.flags.f_contiguous and not obj.flags.c_contiguous)


class _Loader(pickle.Unpickler):
    def __init__(self, f, folder: Path):
        super().__init__(f)
        self.folder, self.maps = folder, []

    def persistent_load(self, pid):
        if pid[0] == "broadcast":
            _, small, shape, writeable = pid
            out = np.broadcast_to(small, shape)
            return out.copy() if writeable else out
        if pid[0] == "npy":
            m = np.load(self.folder / pid[1], mmap_mode="r", allow_pickle=False)
            self.maps.append(m._mmap)
            a = m.view(np.ndarray)
            return np.asfortranarray(a) if pid[2] else a
        raise pickle.UnpicklingError(f"unknown array reference {pid[0]!r}")


def save(grid, outlook, year: int) -> Path:
    """Write ``grid`` as the entry of ``year`` (atomically: a half-written entry is never read)."""
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    final = root / key(outlook, year)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=root))
    try:
        with open(tmp / "grid.pkl", "wb") as f:
            _Saver(f, tmp).dump(grid)
        try:
            os.rename(tmp, final)
        except OSError:  # another process wrote it first
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _trim(root)
    return final


def load(outlook, year: int):
    """The grid of ``year`` from disk, its large arrays memory-mapped, with the maps: ``(grid, maps)``;
    None when there is no entry (or it cannot be read: it is then removed)."""
    folder = cache_root() / key(outlook, year)
    try:
        with open(folder / "grid.pkl", "rb") as f:
            loader = _Loader(f, folder)
            grid = loader.load()
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - a damaged entry is rebuilt
        shutil.rmtree(folder, ignore_errors=True)
        return None
    try:
        os.utime(folder)
    except OSError:
        pass
    return grid, loader.maps


def release(maps) -> None:
    """Hand the pages of the mapped arrays back to the operating system (they are read again from the
    page cache, or the file, when needed)."""
    for m in maps:
        try:
            m.madvise(mmap.MADV_DONTNEED)
        except (ValueError, OSError, AttributeError):  # closed, or no madvise on this platform
            pass


def _trim(root: Path, keep: int = KEEP_ENTRIES) -> None:
    entries = sorted((p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for p in entries[keep:]:
        shutil.rmtree(p, ignore_errors=True)
    for p in root.glob(".tmp-*"):  # left by a process that was killed while writing, an hour ago or more
        try:
            if p.stat().st_mtime < time.time() - 3600:
                shutil.rmtree(p, ignore_errors=True)
        except OSError:
            pass


__all__ = ["CACHE_ENV", "KEEP_ENTRIES", "cache_root", "key", "load", "release", "save"]
