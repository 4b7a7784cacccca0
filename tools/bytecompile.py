"""Byte-compile the modules that ``gigawatt --help`` and a command's first line import.

Called by ``make`` after the install (a few seconds). Where ``PYTHONDONTWRITEBYTECODE`` is set, Python
writes no ``.pyc`` at import, so without this every start compiles typer and pydantic again.
Usage: ``python tools/bytecompile.py MODULE ...`` (top-level modules; missing ones are skipped).
"""

from __future__ import annotations

import compileall
import importlib.util
import os
import sys


def main(names: list[str]) -> int:
    ok = True
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.origin or not spec.origin.endswith(".py"):
            continue  # not installed, or an extension module
        if os.path.basename(spec.origin) == "__init__.py":
            ok &= bool(compileall.compile_dir(os.path.dirname(spec.origin), quiet=2, workers=0))
        else:
            ok &= bool(compileall.compile_file(spec.origin, quiet=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
