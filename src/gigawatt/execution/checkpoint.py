"""Checkpoints of finished Monte Carlo chunks, so an interrupted run resumes.

Layout under the checkpoint directory::

    DIR/run-<key>/manifest.json                 what the run is (key, inputs, code version)
    DIR/run-<key>/chunk-<sample0>-<n>.npz       the accumulators of samples sample0 .. sample0+n-1
    DIR/run-<key>/chunk-<sample0>-<n>.npz.sha256  the SHA-256 of that file (``sha256sum -c`` format)
    DIR/run-<key>/summary.json                  written by callers once the run is complete

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
by a later run once they are ten minutes old (a younger one may belong to a run still
writing).

A chunk is trusted only when its bytes match the SHA-256 in its ``.sha256`` file (written
just before the chunk is moved into place, so a chunk file under its final name always has
one) and it holds every array the run records, with the dtype and shape the run's system
gives (:func:`chunk_schema`). Anything else (an empty or truncated file, a damaged zip
directory, an array missing, a chunk written by a version without checksums) is reported as
a warning of the ``gigawatt.execution.checkpoint`` logger (on stderr by default), removed
and recomputed; :meth:`ChunkCheckpoint.rejected` lists those files.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from pathlib import Path

import numpy as np

from gigawatt._files import atomic_write_bytes, atomic_write_json, ensure_writable_dir, remove_stale_temporaries
from gigawatt._version import __version__
from gigawatt.errors import InputError
from gigawatt.methods import _dc_kernel as DC
from gigawatt.methods import _smc_kernel as K
from gigawatt.methods.sequential import Accumulators, Prepared

log = logging.getLogger(__name__)

#: first dimension of a per-sample array: the chunk's sample count
N = "n"
#: a dimension of any length (the events of a chunk)
ANY = "any"
#: arrays every chunk holds (the others depend on ``dense``, ``periods`` and on data-center sites)
_ALWAYS = ("lolp", "lold", "lold_peak", "eue", "events", "r_lolp", "r_lold", "r_eue", "short_t", "dur_hist",
           "depth_hist", "energy_hist")

#: modules whose source defines what a chunk computes (hashed into the code version)
_SAMPLER_MODULES = ("gigawatt.methods._smc_kernel", "gigawatt.methods._dc_kernel", "gigawatt.methods._rng",
                    "gigawatt.methods._dispatch", "gigawatt.methods.sequential", "gigawatt.datacenter.emergency")


def code_version() -> str:
    """Package version plus a short hash of the sampler's source files."""
    import importlib

    h = hashlib.sha256()
    for name in _SAMPLER_MODULES:
        h.update(Path(importlib.import_module(name).__file__).read_bytes())
    return f"{__version__}+{h.hexdigest()[:12]}"


def run_key(prep: Prepared, seed: int, dense: bool, periods: str = "all") -> str:
    """SHA-256 (hex) identifying the content of every chunk of a run."""
    day_utc_offset_h = prep.day_utc_offset_h
    h = hashlib.sha256()
    keep = {} if periods == "all" else {"periods": periods}  # (runs of every period keep their keys of before)
    h.update(json.dumps({"code": code_version(), "seed": int(seed), "dense": bool(dense), **keep,
                         "day_utc_offset_h": float(day_utc_offset_h), "step_h": float(prep.step_h),
                         "n_regions": prep.n_regions, "n_periods": prep.n_periods}).encode())
    for a in prep.arrays:
        a = np.ascontiguousarray(a)
        h.update(f"{a.dtype.str}{a.shape}".encode())
        h.update(a.tobytes())
    return h.hexdigest()


def chunk_schema(prep: Prepared, dense: bool, periods: str = "all") -> dict[str, tuple[str, tuple]]:
    """``{array name: (dtype, shape)}`` of every array a chunk of this run holds.

    Shapes use :data:`N` for the chunk's sample count and :data:`ANY` for a free length; arrays
    not listed must be absent (``None`` in :class:`Accumulators`).
    """
    R, T = prep.n_regions, prep.n_periods
    i8, f8 = "<i8", "<f8"
    s = {"lolp": (i8, (N,)), "lold": (i8, (N,)), "lold_peak": (i8, (N,)), "eue": (f8, (N,)), "events": (i8, (N,)),
         "r_lolp": (i8, (N, R)), "r_lold": (i8, (N, R)), "r_eue": (f8, (N, R)),
         "short_t": (i8, (T,)), "dur_hist": (i8, (K.MAX_DURATION_BIN + 1,)),
         "depth_hist": (i8, (K.N_LOG_BINS,)), "energy_hist": (i8, (K.N_LOG_BINS,))}
    if periods == "all":
        s.update(short_rt=(i8, (R, T)), eue_rt=(i8, (R, T)), eue_sq_rt=(i8, (3, R, T)), eue_t=(i8, (T,)),
                 eue_sq_t=(i8, (3, T)))
    if dense:
        s.update(flow_it=(i8, (prep.n_interfaces, T)), surplus_rt=(i8, (R, T)), st_energy=(i8, (prep.n_storages, T)),
                 gs_energy=(i8, (prep.n_genstors, T)))
    if prep.has_dc:
        s.update(site=(f8, (N, prep.n_sites, DC.NSR)), res=(f8, (N, R, DC.NRR)), dr=(f8, (N, prep.n_dr, DC.NDR)),
                 dc_events=(f8, (ANY, DC.NEV)))
    return s


def _schema_problem(z: dict, n: int, schema: dict) -> str | None:
    """What is wrong with the arrays ``z`` of a chunk of ``n`` samples against ``schema`` (``None``: nothing)."""
    for name in Accumulators._PER_SAMPLE + Accumulators._SUMS:
        want = schema.get(name)
        a = z.get(name)
        if want is None:
            if a is not None:
                return f"holds an array {name!r} this run does not record"
            continue
        if a is None:
            return f"lacks the array {name!r}"
        dtype, shape = want
        expected = tuple(n if d == N else d for d in shape)
        if a.dtype.str != dtype or a.ndim != len(expected) or any(
                e != ANY and e != got for e, got in zip(expected, a.shape)):
            shown = "(" + ", ".join("*" if e == ANY else str(e) for e in expected) + ("," * (len(expected) == 1)) + ")"
            return f"array {name!r} is {a.dtype.str} of shape {a.shape}, expected {dtype} of shape {shown}"
    return None


def _generic_problem(z: dict, n: int, seen: dict) -> str | None:
    """Checks without a schema: the arrays every chunk holds, per-sample arrays of length ``n``, and
    per-period sums of the same dtype and shape as in the chunks already read (``seen``, updated)."""
    for name in _ALWAYS:
        if z.get(name) is None:
            return f"lacks the array {name!r}"
    for name in Accumulators._PER_SAMPLE:
        a = z.get(name)
        if a is not None and name != "dc_events" and (a.ndim == 0 or a.shape[0] != n):
            return f"array {name!r} has shape {a.shape}, expected {n} samples first"
    for name in Accumulators._SUMS + ("dc_events",):
        a = z.get(name)
        sig = None if a is None else (a.dtype.str, a.shape[1:] if name == "dc_events" else a.shape)
        if name in seen and seen[name] != sig:
            return f"array {name!r} ({sig}) disagrees with the other chunks ({seen[name]})"
    for name in Accumulators._SUMS + ("dc_events",):
        a = z.get(name)
        seen.setdefault(name, None if a is None else (a.dtype.str, a.shape[1:] if name == "dc_events" else a.shape))
    return None


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
    schema : dict, optional
        :func:`chunk_schema` of the run: every chunk read is checked against it. Without it a
        chunk is checked for the arrays every run records, per-sample arrays of its sample count
        and per-period sums that agree with the other chunks read.

    Raises
    ------
    InputError
        When the directory cannot be created or written.
    """

    def __init__(self, directory, key: str, info: dict | None = None, schema: dict | None = None):
        self.directory = Path(directory)
        self.key = key
        self.schema = schema
        self.path = self.directory / f"run-{key[:16]}"
        self.rejected: list[tuple[Path, str]] = []  # (file, reason) of chunks found damaged and removed
        self._seen: dict = {}
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
        remove_stale_temporaries(self.path, age_s)

    @staticmethod
    def _read_manifest(path: Path) -> dict | None:
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):  # damaged (not JSON, not UTF-8): rewritten
            log.warning("checkpoint manifest %s is damaged; writing it again", path)
            return None
        return old if isinstance(old, dict) else None

    def _chunk_path(self, sample0: int, n: int) -> Path:
        return self.path / f"chunk-{int(sample0)}-{int(n)}.npz"

    @staticmethod
    def _sum_path(chunk: Path) -> Path:
        return chunk.with_name(chunk.name + ".sha256")

    def load(self, sample0: int, n: int) -> Accumulators | None:
        """The saved accumulators of chunk ``(sample0, n)``, or ``None`` if it is absent or damaged.

        A damaged chunk (see the module's notes) is logged, recorded in :attr:`rejected` and
        removed, so that it is recomputed and saved again.
        """
        p = self._chunk_path(sample0, n)
        if not p.exists():
            return None
        acc, problem = self._read(p, sample0, n)
        if problem is not None:
            self._reject(p, problem)
        return acc

    def _read(self, p: Path, sample0: int, n: int) -> tuple[Accumulators | None, str | None]:
        try:
            if not p.is_file():
                return None, "is not a regular file"
            data = p.read_bytes()
        except OSError as exc:
            return None, f"cannot be read ({exc.strerror or exc})"
        if not data:
            return None, "is empty (0 bytes)"
        try:
            line = self._sum_path(p).read_text(encoding="ascii").split()
        except FileNotFoundError:
            return None, f"has no checksum file {self._sum_path(p).name} (an older or unfinished write)"
        except (OSError, ValueError):
            line = []
        if not line or line[0] != hashlib.sha256(data).hexdigest():
            return None, f"does not match the SHA-256 in {self._sum_path(p).name} (truncated or damaged)"
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as z:
                arrays = {name: z[name] for name in z.files}
        except Exception as exc:  # noqa: BLE001 - whatever a damaged archive raises, it is not trusted
            return None, f"is not a readable .npz archive ({type(exc).__name__}: {exc})"
        try:
            if str(arrays["key"]) != self.key:
                return None, "belongs to another run (its key differs)"
            if (int(arrays["sample0"]), int(arrays["samples"])) != (int(sample0), int(n)):
                return None, f"holds samples {int(arrays['sample0'])}+{int(arrays['samples'])}, not {sample0}+{n}"
            step_h = float(arrays["step_h"])
        except KeyError as exc:
            return None, f"lacks the array {exc.args[0]!r}"
        except (TypeError, ValueError) as exc:
            return None, f"has a malformed header array ({exc})"
        problem = (_schema_problem(arrays, n, self.schema) if self.schema is not None
                   else _generic_problem(arrays, n, self._seen))
        if problem is not None:
            return None, problem
        kw = {name: arrays.get(name) for name in Accumulators._PER_SAMPLE + Accumulators._SUMS}
        return Accumulators(sample0=int(sample0), samples=int(n), step_h=step_h, **kw), None

    def _reject(self, p: Path, problem: str) -> None:
        log.warning("checkpoint %s %s; removed, that chunk is computed again", p, problem)
        self.rejected.append((p, problem))
        for f in (p, self._sum_path(p)):
            try:
                f.unlink()
            except (FileNotFoundError, IsADirectoryError, PermissionError):
                pass

    def save(self, acc: Accumulators) -> None:
        """Write one chunk's accumulators atomically (compressed: per-period sums are mostly zero).

        Its checksum file is written first: a chunk under its final name always has one (a kill
        between the two leaves a checksum file without a chunk, which is harmless).
        """
        arrays = {name: getattr(acc, name) for name in Accumulators._PER_SAMPLE + Accumulators._SUMS
                  if getattr(acc, name) is not None}
        buf = io.BytesIO()
        np.savez_compressed(buf, key=np.str_(self.key), sample0=np.int64(acc.sample0),
                            samples=np.int64(acc.samples), step_h=np.float64(acc.step_h), **arrays)
        data = buf.getvalue()
        p = self._chunk_path(acc.sample0, acc.samples)
        atomic_write_bytes(self._sum_path(p), f"{hashlib.sha256(data).hexdigest()}  {p.name}\n".encode())
        atomic_write_bytes(p, data)

    def finished(self) -> list[tuple[int, int]]:
        """``(sample0, n)`` of the chunk files present (whether sound or not: :meth:`load` checks)."""
        out = []
        for p in self.path.glob("chunk-*-*.npz"):
            parts = p.stem.split("-")
            if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
                out.append((int(parts[1]), int(parts[2])))
        return sorted(out)

    def write_summary(self, obj: dict) -> Path:
        """Write ``summary.json`` of the finished run atomically (strict JSON); returns its path."""
        p = self.path / "summary.json"
        atomic_write_json(p, obj, durable=True)
        return p


__all__ = ["ChunkCheckpoint", "atomic_write_bytes", "atomic_write_json", "chunk_schema", "code_version",
           "ensure_writable_dir", "run_key"]
