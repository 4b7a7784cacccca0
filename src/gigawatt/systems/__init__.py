"""Embedded systems built from published tables (facts, with their sources in the code)."""

from gigawatt.systems.ieee_rts79 import ieee_rts79

#: named embedded systems usable wherever a SYSTEM argument is accepted
NAMED = {"ieee-rts79": ieee_rts79}

__all__ = ["NAMED", "ieee_rts79"]
