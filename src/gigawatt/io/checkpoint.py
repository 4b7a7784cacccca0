"""Checkpoints live in :mod:`gigawatt.execution.checkpoint` (execution drives the sampler and
saves its chunks); this module keeps the old import path working."""

from gigawatt.execution.checkpoint import (  # noqa: F401
    ChunkCheckpoint,
    atomic_write_bytes,
    atomic_write_json,
    code_version,
    ensure_writable_dir,
    run_key,
)

__all__ = ["ChunkCheckpoint", "atomic_write_bytes", "atomic_write_json", "code_version", "ensure_writable_dir",
           "run_key"]
