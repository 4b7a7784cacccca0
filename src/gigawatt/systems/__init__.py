"""Embedded systems built from published tables and fitted public data (with their sources in the code)."""

from gigawatt.systems.ieee_rts79 import ieee_rts79


def pjm_2026():
    """The PJM-like default of 2026 as one plain model: the grid with its data centers as load.

    Four weather years; outage rates calibrated with PJM's emergency order (demand response,
    voltage reduction), which this plain model leaves out: see :mod:`gigawatt.outlook` and
    :func:`gigawatt.outlook.policy_system` for the system with it.
    """
    from gigawatt.outlook import OutlookAssumptions

    return OutlookAssumptions().system(2026)


#: named embedded systems usable wherever a SYSTEM argument is accepted
NAMED = {"ieee-rts79": ieee_rts79, "pjm-2026": pjm_2026}

__all__ = ["NAMED", "ieee_rts79", "pjm_2026"]
