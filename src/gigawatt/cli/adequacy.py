"""`gigawatt adequacy` sub-commands (placeholder on this branch; implemented on main)."""

from __future__ import annotations


def register(app) -> None:
    """Register this module's commands on the top-level app."""
