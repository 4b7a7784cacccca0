"""`gigawatt adequacy` sub-commands (placeholder until implemented)."""

from __future__ import annotations


def register(app) -> None:
    """Register this module's commands on the top-level app."""
