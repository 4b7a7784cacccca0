"""Embedded systems built from published tables and fitted public data (with their sources in the code).

The registry of names usable wherever a SYSTEM argument is accepted (``ieee-rts79``,
``pjm-2026``) is :data:`gigawatt.io.systems.NAMED`: resolving a name is the loaders' job, and
the PJM default of a year is built by the outlook, which sits above this package.
"""

from gigawatt.systems.ieee_rts79 import ieee_rts79

__all__ = ["ieee_rts79"]
