"""How PJM's fleet evolves by class after the auctions: deactivations and new entry, each with a completion rate.

The capacity of 2026 and 2027 is what PJM's auctions procured (:meth:`gigawatt.outlook.OutlookAssumptions.capacity_mw`).
From 2028 each class's installed capacity (ICAP) is the year before's plus the schedule's changes of the
year: announced and policy-driven deactivations, the Reliability Resource Initiative, the Expedited
Interconnection Track and the interconnection queue, each in its classes and years, times the share that
happens (a completion rate, [est]). The sources are in sources.md P3 and P10.

UCAP per ICAP is, everywhere in the model, the model's own: the class ELCC ratings of the delivery year on
the fleet's own mix (:func:`ucap_mw`, :func:`generation_ucap_per_icap`).
"""

from __future__ import annotations

from gigawatt.systems.pjm_assumptions import dr_elcc, elcc
from gigawatt.systems.pjm_constants import CLASSES, MODEL
from gigawatt.systems.pjm_description import FleetChange  # noqa: F401 - public here too

CLASS_NAMES = tuple(c.name for c in CLASSES)
#: the schedule of the outlook by default: the blocks of the PJM description's ``[[capacity.schedule]]``
#: (announced and policy-driven deactivations, the RRI, the EIT, the signed and transition-cycle queue;
#: their figures and sources are in gigawatt/data/pjm.toml)
FLEET_SCHEDULE = MODEL.schedule


def schedule_changes(year: int, schedule=FLEET_SCHEDULE, entry_scale: float = 1.0, class_names=CLASS_NAMES) -> dict:
    """ICAP by class that the ``schedule`` changes in ``year`` [MW] (every class of ``class_names``, 0 where none)."""
    out = dict.fromkeys(class_names, 0.0)
    for change in schedule:
        for c, mw in change.mw(year, entry_scale).items():
            out[c] += mw
    return out


def elcc_of(name: str, year: int, model=None) -> float:
    """ELCC class rating of class ``name`` of ``model`` (default the embedded) in the delivery year of ``year``
    (:func:`~gigawatt.systems.pjm_assumptions.elcc`)."""
    return elcc(next(c for c in (model or MODEL).classes if c.name == name), year)


def ucap_mw(class_icap_mw: dict, dr_icap_mw: float, year: int, model=None) -> float:
    """Accredited capacity [MW]: ICAP of each class times its ELCC rating of ``year``, demand response too."""
    return (sum(mw * elcc_of(c, year, model) for c, mw in class_icap_mw.items())
            + dr_icap_mw * dr_elcc(year, model))


def generation_ucap_per_icap(class_icap_mw: dict, year: int, model=None) -> float:
    """UCAP per MW of generation ICAP of the fleet's mix in ``year`` [fraction]: the model's basis for
    turning accredited MW into installed MW of that mix."""
    total = sum(class_icap_mw.values())
    return sum(mw * elcc_of(c, year, model) for c, mw in class_icap_mw.items()) / total


__all__ = ["CLASS_NAMES", "FLEET_SCHEDULE", "FleetChange", "elcc_of", "generation_ucap_per_icap",
           "schedule_changes", "ucap_mw"]
