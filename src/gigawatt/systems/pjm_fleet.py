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

from dataclasses import dataclass

from gigawatt.errors import InputError
from gigawatt.systems.pjm_assumptions import dr_elcc, elcc
from gigawatt.systems.pjm_constants import CLASSES

CLASS_NAMES = tuple(c.name for c in CLASSES)


@dataclass(frozen=True)
class FleetChange:
    """One block of deactivations or new entry.

    Parameters
    ----------
    name : str
    class_mw : tuple of (str, float)
        Installed capacity by class [MW]; negative for deactivations.
    years : tuple of (int, float)
        Study years and the share of the block in each (summing to 1).
    completion : float
        Share of the block that happens [fraction] [est].
    entry : bool
        New entry (scaled by the outlook's ``entry_completion_scale``) or a deactivation.
    """

    name: str
    class_mw: tuple
    years: tuple
    completion: float
    entry: bool = True

    def __post_init__(self):
        unknown = [c for c, _ in self.class_mw if c not in CLASS_NAMES]
        if unknown:
            raise InputError(f"fleet change {self.name!r}: unknown classes {unknown}; expected some of {list(CLASS_NAMES)}")
        if abs(sum(w for _, w in self.years) - 1.0) > 1e-9:
            raise InputError(f"fleet change {self.name!r}: the years' shares sum to {sum(w for _, w in self.years):g}, "
                             "expected 1")
        if not 0.0 <= self.completion <= 1.0:
            raise InputError(f"fleet change {self.name!r}: completion {self.completion!r} not in [0, 1]")

    def mw(self, year: int, scale: float = 1.0) -> dict:
        """ICAP by class that changes in ``year`` [MW] (``scale`` on the completion of new entry)."""
        w = sum(s for y, s in self.years if y == year)
        f = self.completion * (scale if self.entry else 1.0) * w
        return {c: mw * f for c, mw in self.class_mw} if f else {}


def _mix(total_mw: float, shares: dict) -> tuple:
    return tuple((c, total_mw * s) for c, s in shares.items())


#: announced deactivations [MW]: plant owners have said they will retire ~4.3 GW ([S92], the market
#: monitor's 2023 report); split by class [est] (coal, oil/gas steam such as Wagner's 774 MW held on
#: until transmission upgrades around 2028, [S93]); in 2028-2029 [est]; 80 % go ahead [est]: some are
#: held on by reliability-must-run contracts and DOE 202(c) orders (Eddystone 3-4, 760 MW, [S94])
DEACTIVATIONS_ANNOUNCED = FleetChange(
    "announced deactivations", (("Coal", -2_300.0), ("Steam oil/gas", -1_500.0), ("Gas CT", -500.0)),
    ((2028, 0.5), (2029, 0.5)), completion=0.8, entry=False)
#: policy-driven coal retirements [MW]: 10.5 GW of coal "mostly in 2030" ([S92]); half go ahead [est]
#: with capacity prices at the cap and DOE orders keeping plants on ([S94])
DEACTIVATIONS_POLICY_COAL = FleetChange(
    "policy-driven coal retirements", (("Coal", -10_500.0),), ((2030, 1.0),), completion=0.5, entry=False)
#: Reliability Resource Initiative [MW, summer ratings]: 51 projects selected, 9,361 MW UCAP; by fuel
#: battery 2,275, coal 14, gas CC 7,756, gas CT 365, nuclear 1,383 ([S91]); ~90 % in service by 2030,
#: all by 2031 ([S91]; spread evenly over 2028-2030 [est]); 85 % completed [est]
RRI = FleetChange(
    "Reliability Resource Initiative",
    (("Storage", 2_275.0), ("Coal", 14.0), ("Gas CC", 7_756.0), ("Gas CT", 365.0), ("Nuclear", 1_383.0)),
    ((2028, 0.3), (2029, 0.3), (2030, 0.3), (2031, 0.1)), completion=0.85)
#: Expedited Interconnection Track: up to 10 projects a year for two years, each at least 250 MW of
#: accredited capacity, in service within three years ([S52]): 20 x 250 MW UCAP of gas CC at its
#: 2027/28 rating, 0.74 -> 6,757 MW ICAP, in 2029-2030 [derived]; half of it built [est]
EIT_UCAP_MW = 20 * 250.0
EIT = FleetChange("Expedited Interconnection Track", (("Gas CC", EIT_UCAP_MW / 0.74),),
                  ((2029, 0.5), (2030, 0.5)), completion=0.5)
#: projects with signed interconnection agreements from PJM's fast lane, 18,000 MW ([S91]); mix [est]
#: half solar, 30 % storage, 10 % gas CC, 10 % wind; in service 2028-2030 [est]; half built [est]
QUEUE_SIGNED = FleetChange(
    "signed interconnection agreements",
    _mix(18_000.0, {"Solar": 0.5, "Storage": 0.3, "Gas CC": 0.1, "Onshore wind": 0.1}),
    ((2028, 1 / 3), (2029, 1 / 3), (2030, 1 / 3)), completion=0.5)
#: the transition cycles: ~62 GW of projects processed in 2025-2026 besides the RRI ([S91]); mix [est]
#: as the queue (mostly solar and storage); in service 2030-2034 [est]; 20 % built [est]: renewable
#: projects in the old queue were completed at ~5 % ([S95]), the reformed queue keeps ready projects
QUEUE_TRANSITION = FleetChange(
    "interconnection queue (transition cycles)",
    _mix(62_000.0, {"Solar": 0.45, "Storage": 0.35, "Gas CC": 0.1, "Onshore wind": 0.1}),
    tuple((y, 0.2) for y in range(2030, 2035)), completion=0.2)

#: the schedule of the outlook by default
FLEET_SCHEDULE = (DEACTIVATIONS_ANNOUNCED, DEACTIVATIONS_POLICY_COAL, RRI, EIT, QUEUE_SIGNED, QUEUE_TRANSITION)


def schedule_changes(year: int, schedule=FLEET_SCHEDULE, entry_scale: float = 1.0) -> dict:
    """ICAP by class that the ``schedule`` changes in ``year`` [MW] (every class, 0 where none)."""
    out = dict.fromkeys(CLASS_NAMES, 0.0)
    for change in schedule:
        for c, mw in change.mw(year, entry_scale).items():
            out[c] += mw
    return out


_BY_NAME = {c.name: c for c in CLASSES}


def elcc_of(name: str, year: int) -> float:
    """ELCC class rating of class ``name`` in the delivery year of ``year`` (:func:`~gigawatt.systems.pjm_assumptions.elcc`)."""
    return elcc(_BY_NAME[name], year)


def ucap_mw(class_icap_mw: dict, dr_icap_mw: float, year: int) -> float:
    """Accredited capacity [MW]: ICAP of each class times its ELCC rating of ``year``, demand response too."""
    return sum(mw * elcc_of(c, year) for c, mw in class_icap_mw.items()) + dr_icap_mw * dr_elcc(year)


def generation_ucap_per_icap(class_icap_mw: dict, year: int) -> float:
    """UCAP per MW of generation ICAP of the fleet's mix in ``year`` [fraction]: the model's basis for
    turning accredited MW into installed MW of that mix."""
    total = sum(class_icap_mw.values())
    return sum(mw * elcc_of(c, year) for c, mw in class_icap_mw.items()) / total


__all__ = ["CLASS_NAMES", "FLEET_SCHEDULE", "FleetChange", "elcc_of", "generation_ucap_per_icap",
           "schedule_changes", "ucap_mw"]
