"""Create a benchmark peer's own virtual environment under /tmp (never the project's)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def peer_python(name: str, packages: list[str]) -> Path:
    """Python of ``/tmp/gw-bench-<name>``, created and given ``packages`` with pip if needed.

    Raises ``RuntimeError`` with pip's last lines when the packages cannot be installed.
    """
    venv = Path("/tmp") / f"gw-bench-{name}"
    py = venv / "bin" / "python"
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    probe = "import importlib.metadata as m, sys; [m.version(p) for p in sys.argv[1:]]"
    dists = [p.split("[")[0].split("=")[0].split(">")[0].split("<")[0] for p in packages]
    if subprocess.run([str(py), "-c", probe, *dists], capture_output=True).returncode != 0:
        out = subprocess.run([str(py), "-m", "pip", "install", "-q", *packages], capture_output=True, text=True)
        if out.returncode != 0:
            tail = "\n".join((out.stdout + out.stderr).strip().splitlines()[-5:])
            raise RuntimeError(f"pip install {' '.join(packages)} into {venv} failed:\n{tail}")
    return py


def peer_versions(py: Path, packages: list[str]) -> str:
    """``name version`` of each package in the peer's environment."""
    code = "import importlib.metadata as m, sys; print(', '.join(f'{p} {m.version(p)}' for p in sys.argv[1:]))"
    return subprocess.run([str(py), "-c", code, *packages], capture_output=True, text=True, check=True).stdout.strip()
