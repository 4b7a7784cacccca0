"""The catalogue of embedded systems: every name usable wherever a SYSTEM argument is accepted.

One place resolves them all, for the command line (``adequacy``, ``system describe``), scenario files
and the Python API: ``ieee-rts79``, ``pjm-YYYY`` (the PJM model of a study year, its data centers as
load), ``ercot-YYYY`` and ``tva-YYYY`` (grids from their descriptions, :mod:`gigawatt.io.grid`). The
builders live in :mod:`gigawatt.systems` and, for the study years, in the outlooks above it; this module
only names them. The site model (:mod:`gigawatt.datacenter`) never resolves names itself.
"""

from __future__ import annotations

import re

from gigawatt.constants import FIRST_STUDY_YEAR, LAST_STUDY_YEAR
from gigawatt.datacenter.system import DataCenterSystem
from gigawatt.errors import InputError
from gigawatt.system import SystemModel
from gigawatt.systems.ieee_rts79 import ieee_rts79

#: families of embedded names with a study year: ``<family>-YYYY``
YEARLY = ("pjm", "ercot", "tva")
#: the names listed in help texts and errors (each yearly family also takes any study year)
NAMED = ("ieee-rts79", "pjm-2026", "ercot-2026", "tva-2026")


def parse_name(name: str):
    """``(family, year)`` of an embedded name (``("ieee-rts79", None)``, ``("pjm", 2030)``, ...), or None
    when ``name`` is not one. A yearly family outside the study years is an error naming them."""
    name = str(name)
    if name == "ieee-rts79":
        return name, None
    m = re.fullmatch(r"(pjm|ercot|tva)-(\d{4})", name)
    if not m:
        return None
    year = int(m.group(2))
    if not FIRST_STUDY_YEAR <= year <= LAST_STUDY_YEAR:
        raise InputError(f"system {name!r}: study years are {FIRST_STUDY_YEAR}-{LAST_STUDY_YEAR}")
    return m.group(1), year


def is_embedded(name: str) -> bool:
    """Whether ``name`` names an embedded system (see :data:`NAMED` and :data:`YEARLY`)."""
    return parse_name(name) is not None


def expected_names() -> str:
    """How errors list the embedded names."""
    return f"{', '.join(NAMED[:1])} or {', '.join(f'{f}-YYYY' for f in YEARLY)} (e.g. {', '.join(NAMED[1:])})"


def pjm_system(year: int = 2026) -> SystemModel:
    """The PJM-like system of a study year as one plain model: the grid with its data centers as load.

    Outage rates are calibrated with PJM's emergency order (demand response, voltage reduction), which
    this plain model leaves out: see :func:`gigawatt.outlook.policy_system` for the system with it.
    """
    from gigawatt.outlook import OutlookAssumptions

    return OutlookAssumptions().system(year)


def pjm_2026() -> SystemModel:
    """The PJM-like default of 2026 (:func:`pjm_system`)."""
    return pjm_system(2026)


def embedded_system(name: str) -> SystemModel:
    """Build the embedded system ``name`` (see :func:`parse_name`)."""
    got = parse_name(name)
    if got is None:
        raise InputError(f"system.embedded: expected {expected_names()}, got {name!r}")
    family, year = got
    if family == "ieee-rts79":
        return ieee_rts79()
    if family == "pjm":
        return pjm_system(year)
    from gigawatt.io.grid import grid_system

    return grid_system(f"{family}-{year}")


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


__all__ = ["NAMED", "YEARLY", "embedded_system", "expected_names", "from_scenario", "is_embedded", "parse_name",
           "pjm_2026", "pjm_system"]
