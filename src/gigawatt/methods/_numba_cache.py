"""Where gigawatt's compiled numba kernels are kept on disk, and when a kept kernel is stale.

Imported before any kernel module defines its first ``@njit(cache=True)`` function (by
``gigawatt.methods`` and by each kernel module). It puts a cache locator in front of numba's own,
for the kernel sources only (``methods/_*.py`` and ``datacenter/emergency.py``; every other
function, gigawatt's or the user's, keeps numba's usual cache):

* **Where**: ``$GIGAWATT_CACHE_DIR`` if set, else ``$NUMBA_CACHE_DIR/gigawatt`` if the user set
  ``NUMBA_CACHE_DIR``, else ``$XDG_CACHE_HOME/gigawatt/numba`` (``~/.cache/gigawatt/numba``), in a
  folder named after numba's version and a hash of the kernel sources. A user cache directory
  works for a non-editable install too, whose ``site-packages`` may be read-only; and identical
  sources (a second clone, a reinstall of the same version) find the kernels already compiled.
* **When stale**: numba keys a cached function on its own file's time stamp only, so a kernel
  that calls or inlines a function of another module (the sequential kernel runs the data-center
  step and the emergency order) would keep running its old compiled code after that module
  changed. Here every kernel's stamp is the hash of all the kernel sources: a change to any of
  them recompiles all of them, in a folder of its own.

If that folder cannot be created or written, numba's own locators take over (``__pycache__``
beside the source, else numba's user-wide cache), with numba's file-stamp rule. The locator
applies to functions decorated after this module is imported; numba may have been imported
before it (by the user or another module) with no harm: nothing here depends on numba's
configuration at import.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

import numba
from numba.core import caching

_PKG = Path(__file__).resolve().parents[1]  # .../gigawatt


def _kernel_sources() -> list[Path]:
    return sorted((_PKG / "methods").glob("_*.py")) + [_PKG / "datacenter" / "emergency.py"]


def _sources_hash() -> str:
    h = hashlib.sha256()
    for p in _kernel_sources():
        h.update(p.name.encode())
        try:
            h.update(p.read_bytes())
        except OSError:  # pragma: no cover - a source is always there beside this one
            h.update(b"?")
    return h.hexdigest()[:16]


#: the stamp of every kernel: a hash of all kernel sources
SOURCE_KEY = _sources_hash()
_KERNEL_FILES = frozenset(str(p) for p in _kernel_sources())


def cache_root() -> Path:
    """The folder under which gigawatt keeps compiled kernels (one sub-folder per version of them)."""
    own = os.environ.get("GIGAWATT_CACHE_DIR")
    if own:
        return Path(own).expanduser()
    numba_dir = os.environ.get("NUMBA_CACHE_DIR")
    if numba_dir:
        return Path(numba_dir).expanduser() / "gigawatt"
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "gigawatt" / "numba"


def cache_dir() -> Path:
    """The folder of this version of the kernels: ``cache_root() / "<numba version>-<hash of sources>"``."""
    return cache_root() / f"numba{numba.__version__}-py{sys.version_info[0]}{sys.version_info[1]}-{SOURCE_KEY}"


_WRITABLE: dict[str, bool] = {}


def _writable(path: str) -> bool:
    ok = _WRITABLE.get(path)
    if ok is None:
        try:
            os.makedirs(path, exist_ok=True)
            tempfile.TemporaryFile(dir=path).close()
            ok = True
        except OSError:
            ok = False
        _WRITABLE[path] = ok
    return ok


class KernelCacheLocator(caching._CacheLocator):
    """numba cache locator for gigawatt's kernel sources (see the module doc)."""

    def __init__(self, py_func, py_file):
        self._py_file = py_file
        self._lineno = py_func.__code__.co_firstlineno
        self._cache_path = str(cache_dir())

    def ensure_cache_path(self):
        if not _writable(self._cache_path):
            raise OSError(f"cannot write to {self._cache_path}")

    def get_cache_path(self):
        return self._cache_path

    def get_source_stamp(self):
        return SOURCE_KEY

    def get_disambiguator(self):
        return str(self._lineno)

    @classmethod
    def from_function(cls, py_func, py_file):
        try:
            mine = str(Path(py_file).resolve()) in _KERNEL_FILES
        except OSError:  # pragma: no cover
            mine = False
        if not mine:
            return None
        self = cls(py_func, py_file)
        try:
            self.ensure_cache_path()
        except OSError:
            return None  # numba's own locators take over
        return self


def install() -> None:
    """Put :class:`KernelCacheLocator` first among numba's cache locators (once)."""
    classes = caching.CacheImpl._locator_classes
    if not any(c.__name__ == KernelCacheLocator.__name__ and c.__module__ == __name__ for c in classes):
        classes.insert(0, KernelCacheLocator)


install()
