"""Checkpoints of finished Monte Carlo chunks, so an interrupted run resumes.

Layout under the checkpoint directory::

    DIR/run-<key>/manifest.json              what the run is (key, inputs, code version)
    DIR/run-<key>/chunk-<sample0>-<n>.npz    the accumulators of samples sample0 .. sample0+n-1
    DIR/run-<key>/summary.json               written by callers once the run is complete

``key`` is a SHA-256 over everything a chunk's content depends on: the prepared
system arrays, the seed, whether per-period (dense) results are recorded, the day
offset and the code version (package version plus a hash of the sampler's source).
A changed input therefore gets a new run directory and never reuses stale chunks.
The number of samples, the chunk size and the thread or worker count do not change
a chunk's content (sample ``i`` always uses stream ``(seed, i)``), so they are not in
the key: the same command with more samples reuses the chunks already finished.

Every file is written to a temporary name in the same directory, flushed to disk and
moved into place with :func:`os.replace`, so a killed run leaves whole files or none under
the final names; hidden ``.*.tmp`` files of killed writes are never read and are removed
by a later run once they are ten minutes old.
"""

from __future__ import annotations

import hashlib
import io
import json
import time
import zipfile
from pathlib import Path

import numpy as np

from gigawatt._files import atomic_write_bytes, atomic_write_json, ensure_writable_dir
from gigawatt._version import __version__
from gigawatt.errors import InputError
from gigawatt.methods.sequential import Accumulators, Prepared

#: modules whose source defines what a chunk computes (hashed into the code version)
_SAMPLER_MODULES = ("gigawatt.methods._smc_kernel", "gigawatt.methods._dc_kernel", "gigawatt.methods._rng",
                    "gigawatt.methods._dispatch", "gigawatt.methods.sequential")


def code_version() -> str:
    """Package version plus a short hash of the sampler's source files."""
    import importlib

    h = hashlib.sha256()
    for name in _SAMPLER_MODULES:
        h.update(Path(importlib.import_module(name).__file__).read_bytes())
    return f"{__version__}+{h.hexdigest()[:12]}"


def run_key(prep: Prepared, seed: int, dense: bool, day_utc_offset_h: float) -> str:
    """SHA-256 (hex) identifying the content of every chunk of a run."""
    h = hashlib.sha256()
    h.update(json.dumps({"code": code_version(), "seed": int(seed), "dense": bool(dense),
                         "day_utc_offset_h": float(day_utc_offset_h), "step_h": float(prep.step_h),
                         "n_regions": prep.n_regions, "n_periods": prep.n_periods}).encode())
    for a in prep.arrays:
        a = np.ascontiguousarray(a)
        h.update(f"{a.dtype.str}{a.shape}".encode())
        h.update(a.tobytes())
    return h.hexdigest()


class ChunkCheckpoint:
    """Finished chunks of one run (identified by :func:`run_key`) under ``directory``.

    Parameters
    ----------
    directory : path
        The checkpoint directory (created if missing).
    key : str
        :func:`run_key` of the run.
    info : dict
        Extra facts recorded in the manifest (samples, chunk size...), for people.

    Raises
    ------
    InputError
        When the directory cannot be created or written.
    """

    def __init__(self, directory, key: str, info: dict | None = None):
        self.directory = Path(directory)
        self.key = key
        self.path = self.directory / f"run-{key[:16]}"
        ensure_writable_dir(self.directory)
        ensure_writable_dir(self.path)
        self._remove_stale_temporaries()
        manifest = self.path / "manifest.json"
        old = self._read_manifest(manifest)
        if old is not None and old.get("key") != key:
            raise InputError(f"{manifest}: belongs to another run (key {old.get('key')!r}); "
                             "remove that directory or choose another --checkpoint-dir")
        if old is None:
            atomic_write_json(manifest, {"key": key, "code_version": code_version(), **(info or {})})

    def _remove_stale_temporaries(self, age_s: float = 600.0) -> None:
        """Delete temporary files left by writes that were killed (older than ``age_s`` [s])."""
        now = time.time()
        for p in self.path.glob(".*.tmp"):
            try:
                if now - p.stat().st_mtime > age_s:
                    p.unlink()
            except FileNotFoundError:
                pass

    @staticmethod
    def _read_manifest(path: Path) -> dict | None:
        try:
            return json.loads(path.read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            return None

    def _chunk_path(self, sample0: int, n: int) -> Path:
        return self.path / f"chunk-{int(sample0)}-{int(n)}.npz"

    def load(self, sample0: int, n: int) -> Accumulators | None:
        """The saved accumulators of chunk ``(sample0, n)``, or ``None`` if it is absent or unreadable."""
        p = self._chunk_path(sample0, n)
        if not p.exists():
            return None
        try:
            with open(p, "rb") as f, np.load(f, allow_pickle=False) as z:
                if str(z["key"]) != self.key:
                    return None
                kw = {name: (z[name] if name in z.files else None)
                      for name in Accumulators._PER_SAMPLE + Accumulators._SUMS}
                acc = Accumulators(sample0=int(z["sample0"]), samples=int(z["samples"]), step_h=float(z["step_h"]),
                                   **kw)
        except (OSError, KeyError, ValueError, zipfile.BadZipFile):
            return None  # a damaged file is recomputed, never trusted
        if acc.sample0 != sample0 or acc.samples != n:
            return None
        return acc

    def save(self, acc: Accumulators) -> None:
        """Write one chunk's accumulators atomically (compressed: per-period sums are mostly zero)."""
        arrays = {name: getattr(acc, name) for name in Accumulators._PER_SAMPLE + Accumulators._SUMS
                  if getattr(acc, name) is not None}
        buf = io.BytesIO()
        np.savez_compressed(buf, key=np.str_(self.key), sample0=np.int64(acc.sample0),
                            samples=np.int64(acc.samples), step_h=np.float64(acc.step_h), **arrays)
        atomic_write_bytes(self._chunk_path(acc.sample0, acc.samples), buf.getvalue())

    def finished(self) -> list[tuple[int, int]]:
        """``(sample0, n)`` of the chunk files present."""
        out = []
        for p in self.path.glob("chunk-*-*.npz"):
            _, s0, n = p.stem.split("-")
            out.append((int(s0), int(n)))
        return sorted(out)

    def write_summary(self, obj: dict) -> Path:
        """Write ``summary.json`` of the finished run atomically; returns its path."""
        p = self.path / "summary.json"
        atomic_write_json(p, obj)
        return p


__all__ = ["ChunkCheckpoint", "atomic_write_bytes", "atomic_write_json", "code_version", "ensure_writable_dir",
           "run_key"]
