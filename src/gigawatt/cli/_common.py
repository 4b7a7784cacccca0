"""Shared helpers for CLI sub-commands."""

from __future__ import annotations

import json
import sys

from rich.console import Console

error_console = Console(stderr=True)


def print_json(obj) -> None:
    """Write one JSON object on stdout."""
    sys.stdout.write(json.dumps(obj, indent=2, default=float) + "\n")
    sys.stdout.flush()
