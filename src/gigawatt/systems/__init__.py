"""Embedded systems built from published tables and fitted public data (with their sources in the code).

The names usable wherever a SYSTEM argument is accepted (``ieee-rts79``, ``pjm-YYYY``,
``ercot-YYYY``, ``tva-YYYY``) are resolved in one place, :mod:`gigawatt.io.catalogue`: resolving a name
is the loaders' job, and a study year's system is built by its outlook, which sits above this package.
"""

from gigawatt.systems.ieee_rts79 import ieee_rts79

__all__ = ["ieee_rts79"]
