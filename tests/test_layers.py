"""The layers of README "Layout" hold: `lint-imports` keeps every contract in pyproject.toml, and a
deliberately added back-import (a method importing a study) breaks the build."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")


def _lint(src_dir: Path, cwd: Path) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(src_dir), "PATH": str(Path(sys.executable).parent), "HOME": str(cwd)}
    return subprocess.run([LINT, "--no-cache", "--config", str(ROOT / "pyproject.toml")], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def lint_available():
    if LINT is None:
        pytest.fail("lint-imports is missing: install the dev extras (pip install -e '.[dev]')")
    return LINT


def test_contracts_are_kept(lint_available, tmp_path):
    out = _lint(ROOT / "src", tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout
    assert "No import circle" in out.stdout


def test_a_back_import_breaks_the_build(lint_available, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "gigawatt", src / "gigawatt", ignore=shutil.ignore_patterns("__pycache__"))
    seq = src / "gigawatt" / "methods" / "sequential.py"
    seq.write_text(seq.read_text() + "\n\ndef _back():\n    from gigawatt.outlook import policy_system  # noqa\n")
    out = _lint(src, tmp_path)
    assert out.returncode == 1, out.stdout
    assert "gigawatt.methods is not allowed to import gigawatt.outlook" in out.stdout
    assert "gigawatt.methods.sequential -> gigawatt.outlook" in out.stdout
