"""Systems by name or file: the registry of embedded systems and scenario resolution.

Wherever a SYSTEM argument is accepted (CLI, scenario files), it is a ``.pras`` file or one of
:data:`NAMED`. The site model (:mod:`gigawatt.datacenter`) never resolves names itself.
"""

from __future__ import annotations

from gigawatt.datacenter.system import DataCenterSystem
from gigawatt.errors import InputError
from gigawatt.system import SystemModel
from gigawatt.systems.ieee_rts79 import ieee_rts79


def pjm_2026():
    """The PJM-like default of 2026 as one plain model: the grid with its data centers as load.

    Four weather years; outage rates calibrated with PJM's emergency order (demand response,
    voltage reduction), which this plain model leaves out: see :mod:`gigawatt.outlook` and
    :func:`gigawatt.outlook.policy_system` for the system with it.
    """
    from gigawatt.outlook import OutlookAssumptions

    return OutlookAssumptions().system(2026)


def ercot_2026():
    """ERCOT of 2026 from its description (gigawatt/data/ercot.toml), data centers as load; ``ercot-YYYY`` too."""
    from gigawatt.io.grid import grid_system

    return grid_system("ercot-2026")


def tva_2026():
    """TVA of 2026 from its description (gigawatt/data/tva.toml), data centers as load; ``tva-YYYY`` too."""
    from gigawatt.io.grid import grid_system

    return grid_system("tva-2026")


#: named embedded systems usable wherever a SYSTEM argument is accepted (and ercot-YYYY, tva-YYYY)
NAMED = {"ieee-rts79": ieee_rts79, "pjm-2026": pjm_2026, "ercot-2026": ercot_2026, "tva-2026": tva_2026}


def embedded_system(name: str) -> SystemModel:
    """Build the embedded system ``name`` (one of :data:`NAMED`, or ``ercot-YYYY`` / ``tva-YYYY``)."""
    from gigawatt.io.grid import grid_system, grid_year

    if name not in NAMED and grid_year(name) is not None:
        return grid_system(name)
    if name not in NAMED:
        raise InputError(f"system.embedded: expected one of {sorted(NAMED)}, got {name!r}")
    return NAMED[name]()


def from_scenario(scenario, system: SystemModel | None = None) -> DataCenterSystem:
    """A :class:`DataCenterSystem` from a :class:`~gigawatt.datacenter.scenario.Scenario`.

    ``system`` overrides the scenario's base system (which is otherwise read from its
    ``.pras`` file or built from the embedded name).
    """
    if system is None:
        ref = scenario.system
        if ref.embedded is not None:
            system = embedded_system(ref.embedded)
        else:
            from gigawatt.io.pras import read_pras

            system = read_pras(ref.pras_path)
    scenario.check_regions(system.regions.names)
    return DataCenterSystem(system, scenario.sites, scenario.order, scenario.rotation)


__all__ = ["NAMED", "embedded_system", "ercot_2026", "from_scenario", "pjm_2026", "tva_2026"]
