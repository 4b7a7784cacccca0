"""The PJM model's zones: PJM's Locational Deliverability Areas where the data centers land.

Zone set ``"lda"`` of :class:`~gigawatt.systems.pjm_assumptions.PJMAssumptions` (the default
``"two"`` is Dominion and the rest). Nine regions and one hub, nested as PJM nests its LDAs:

====== ========= ================================================ ==========================
zone   parent    PJM transmission zones (EIA-930 ``PJM-<code>``)  joined to (import limit)
====== ========= ================================================ ==========================
WEST   RTO       AEP, APS (AP), ATSI, DAY, DEOK, DUQ              the hub of the rest
COMED  RTO       ComEd (CE)                                        WEST (ComEd's)
DOM    RTO       Dominion (DOM)                                    WEST (DOM's)
REST   RTO       EKPC, OVEC, RECO and the RTO's remainder         WEST (none)
WMAAC  MAAC      Met-Ed (ME), Penelec (PN)                         WEST (MAAC's: every import
                                                                   into MAAC passes here)
PPL    MAAC      PPL (PL)                                          WMAAC (PPL's)
EMAAC  MAAC      AE, DPL, JCPL (JC), PECO (PE), PSEG (PS)          WMAAC (EMAAC's)
SWMAAC MAAC      (a hub without load)                              WMAAC (SWMAAC's)
BGE    SWMAAC    BGE (BC)                                          SWMAAC (BGE's)
PEPCO  SWMAAC    PEPCO (PEP)                                       SWMAAC (PEPCO's)
====== ========= ================================================ ==========================

The network is radial (a tree), so each LDA's imports cross one interface: MAAC's limit is the
interface WEST-WMAAC, SWMAAC's the interface WMAAC-SWMAAC. Dominion's ties to MAAC, and loop flow
in general, are not modelled [est].

* **Load**: each zone's hourly share of the RTO load by weather year from its own data
  (:func:`gigawatt.systems.pjm_load.zone_weather_share`) at its 2024 share of the RTO's energy;
  REST is the remainder at its 2024 share (flat), and the shares are normalised to sum to 1 each
  hour (which absorbs the few hours where the zonal and RTO series disagree). PJM's zonal
  forecast (2026 Load Forecast Report, Table B-1) was not retrieved: the zones grow with the RTO
  [est].
* **Data centers**: :data:`DC_SHARE` [est], see there.
* **Fleet**: the share of each class's ICAP in each zone, :data:`CLASS_SHARE` [est], see there.
* **Import limits**: PJM's capacity emergency transfer limits (CETL) by LDA and delivery year are
  published in the BRA planning parameters; only PPL's of 2026/27 was found here, secondary
  (:data:`PUBLISHED_CETL_MW`; sources.md P8).
  Dominion's limit grows by delivery year with the transmission PJM approved into the zone
  (:data:`DOM_UPGRADES`, :func:`dom_import_limit_mw`); every other limit but PPL's is an estimate: the model's own import objective of the LDA for 2026/27 (PJM's CETO at the
  LDA criterion of 0.04 d/yr, :data:`FITTED_CETO_MW`) times 1.15, as no LDA separated in the 2026/27
  auction (:func:`derived_import_limits_mw`); a parameter (``import_limits_mw``), swept like
  Dominion's, and named with its source and delivery year (:func:`import_limit_source`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from gigawatt.systems import pjm_load as W
from gigawatt.systems.pjm_constants import DC_DOM_SHARE, DOM_IMPORT_LIMIT_MW


@dataclass(frozen=True)
class TransferUpgrade:
    """Transmission approved by PJM (RTEP) that raises the import capability into a zone.

    Attributes
    ----------
    name : str
    first_year : int
        First delivery year with it in service (study year ``Y`` is delivery year ``Y/Y+1``).
    added_mw : float
        Import capability it adds [MW] [est] (the derivation is in ``source``).
    source : str
    """

    name: str
    first_year: int
    added_mw: float
    source: str


#: Transmission into Dominion approved in PJM's RTEP, by first delivery year in service. PJM publishes no
#: CETL change per project in retrievable form, so each added MW is an estimate [est]: the surge-impedance
#: loading of the new import circuits (the loading a line carries without reactive support: ~1,000 MW at
#: 500 kV, ~2,250 MW at 765 kV, [S126]). Not counted: the 525-kV HVDC line of the 2025 RTEP (3,000 MW to
#: northern Virginia by June 2032, [S133]) runs inside the Dominion zone (Brunswick to Loudoun) and moves
#: power within it, not into it.
DOM_UPGRADES = (
    TransferUpgrade("2022 RTEP Window 3 500-kV package (MidAtlantic Resiliency Link and Dominion's 500-kV "
                    "lines), approved Dec 2023, five-year target", 2028, 2_000.0,
                    "[S131], [S132]; 2,000 MW [est]: two new 500-kV import circuits x ~1,000 MW [S126]"),
    TransferUpgrade("Valley Link 765-kV Campbell-Fauquier (2024 RTEP Window 1), approved Feb 2025, in service "
                    "by 2029", 2029, 2_250.0,
                    "[S134]; 2,250 MW [est]: one 765-kV import circuit [S126]"),
)
#: Dominion's import limit in 2026/27 under the transfer-limits range [MW] [est]: low 6 GW, 0.86 x the
#: model's import objective for DOM (:data:`FITTED_CETO_MW`), a CETL below the CETO as when DOM cleared
#: short of its reliability requirement in the 2025/26 BRA ([S10]); high 10 GW, 1.43 x the objective, an
#: LDA that never separates. The low case also freezes the limit (the upgrades late); the high case keeps
#: them on time.
DOM_IMPORT_LIMIT_LOW_MW = 6_000.0
DOM_IMPORT_LIMIT_HIGH_MW = 10_000.0


def dom_upgrades_mw(year: int, scale: float = 1.0) -> float:
    """Import capability into Dominion added by :data:`DOM_UPGRADES` in service by ``year`` [MW], times ``scale``."""
    return float(scale) * sum(u.added_mw for u in DOM_UPGRADES if year >= u.first_year)


def dom_import_limit_mw(year: int, base_mw: float = DOM_IMPORT_LIMIT_MW, scale: float = 1.0) -> float:
    """Dominion's import limit in delivery year ``year`` [MW]: ``base_mw`` (2026/27) plus the upgrades in
    service (:func:`dom_upgrades_mw`, times ``scale``; 0 freezes the limit)."""
    return float(base_mw) + dom_upgrades_mw(year, scale)


@dataclass(frozen=True)
class Zone:
    """One zone of the ``"lda"`` zone set: its parent LDA and the region its imports come from."""

    name: str
    parent: str
    joined_to: str | None
    pjm_zones: tuple = ()
    has_load: bool = True


ZONES_LDA = (
    Zone("WEST", "RTO", None, ("AEP", "APS", "ATSI", "DAY", "DEOK", "DUQ")),
    Zone("COMED", "RTO", "WEST", ("ComEd",)),
    Zone("DOM", "RTO", "WEST", ("Dominion",)),
    Zone("REST", "RTO", "WEST", ("EKPC", "OVEC", "RECO")),
    Zone("WMAAC", "MAAC", "WEST", ("Met-Ed", "Penelec")),
    Zone("PPL", "MAAC", "WMAAC", ("PPL",)),
    Zone("EMAAC", "MAAC", "WMAAC", ("AE", "DPL", "JCPL", "PECO", "PSEG")),
    Zone("SWMAAC", "MAAC", "WMAAC", (), has_load=False),
    Zone("BGE", "SWMAAC", "SWMAAC", ("BGE",)),
    Zone("PEPCO", "SWMAAC", "SWMAAC", ("PEPCO",)),
)
#: the names of the ``"lda"`` zone set, hubs included, in region order
NAMES_LDA = tuple(z.name for z in ZONES_LDA)
#: LDA -> the zones in it (the nesting of PJM's LDAs; each zone is also its own LDA)
LDA_MEMBERS = {
    "MAAC": ("WMAAC", "PPL", "EMAAC", "BGE", "PEPCO"),
    "SWMAAC": ("BGE", "PEPCO"),
}
#: the LDA whose import limit each interface carries (the interface joins the zone to ``joined_to``)
INTERFACE_LDA = {"WMAAC": "MAAC", "SWMAAC": "SWMAAC"}

#: share of the data-center load by zone [est]: half in Dominion (:data:`DC_DOM_SHARE`: ~15 GW of
#: 30 GW by 2030, [S62]); the other half split in proportion to the utilities'
#: data-center requests for PJM's 2026 load forecast ([S61]: AEP Ohio +18 GW, ComEd
#: +11 GW; PPL's figure truncated in the source) and PJM's list of zones with data-center
#: adjustments (AEP, ATSI, APS, BGE, ComEd, Dominion, PECO, PEPCO, PPL; s7 [S58]): the western
#: zones 0.24, ComEd 0.12, PPL 0.06, PEPCO 0.03, EMAAC (PECO) 0.03, BGE 0.02.
DC_SHARE = {"DOM": DC_DOM_SHARE, "WEST": 0.24, "COMED": 0.12, "PPL": 0.06, "PEPCO": 0.03, "EMAAC": 0.03,
            "BGE": 0.02}

#: share of each class's ICAP by zone [est]. Nuclear from the plants' nameplates (DOM: North Anna,
#: Surry 3.6 GW; ComEd: Braidwood, Byron, Dresden, LaSalle, Quad Cities 10.5 GW; WEST: Cook,
#: Beaver Valley, Perry, Davis-Besse 6.3 GW; EMAAC: Salem, Hope Creek, Limerick, Peach Bottom
#: 8.4 GW; BGE: Calvert Cliffs 1.8 GW; PPL: Susquehanna 2.5 GW). Coal mostly in the western zones,
#: Keystone and Conemaugh in Penelec (WMAAC), EKPC's in REST. Storage: Bath County in DOM,
#: Muddy Run and Yards Creek in EMAAC, Seneca in WMAAC, Smith Mountain in WEST. Wind in the western
#: zones and Illinois; solar led by Virginia. Every other class: DOM's two-zone share, the rest by
#: the zones' 2024 share of the load (:func:`class_shares`).
CLASS_SHARE = {
    "Nuclear": {"DOM": 0.11, "COMED": 0.317, "WEST": 0.19, "EMAAC": 0.253, "BGE": 0.054, "PPL": 0.076},
    "Coal": {"WEST": 0.66, "WMAAC": 0.10, "DOM": 0.06, "COMED": 0.06, "BGE": 0.03, "PPL": 0.02, "EMAAC": 0.01,
             "PEPCO": 0.01, "REST": 0.05},
    "Onshore wind": {"WEST": 0.55, "COMED": 0.40, "WMAAC": 0.03, "DOM": 0.02},
    "Solar": {"DOM": 0.35, "WEST": 0.25, "EMAAC": 0.15, "COMED": 0.10, "PPL": 0.05, "BGE": 0.03, "PEPCO": 0.03,
              "WMAAC": 0.02, "REST": 0.02},
    "Storage": {"DOM": 0.52, "EMAAC": 0.18, "WEST": 0.15, "WMAAC": 0.08, "COMED": 0.04, "PPL": 0.03},
}
#: each LDA's import objective in the model for 2026/27 [MW] (PJM's CETO): the import limit with which the
#: LDA's LOLE is PJM's LDA criterion, 0.04 d/yr (:data:`gigawatt.capacity.zonal.LDA_LOLE_D`), every other
#: limit lifted and the rest of PJM never short, on the outlook's 2026 system (firm data centers, PJM's
#: emergency order). A finding of the model, fitted by ``tools/pjm_zonal_study.py --fit-limits`` (60
#: samples x 12 weather years, seed 2026; the intervals at 2 standard errors): ComEd 0.1-0.9 GW, DOM
#: 6.5-7.3, MAAC 8.4-9.1, PPL 2.3-2.9, EMAAC 6.9-7.6, SWMAAC 4.3-4.8, BGE 1.6-2.1, PEPCO 3.4-3.6. Keyed by the
#: zone at the far end of the LDA's interface (MAAC's is WMAAC's, SWMAAC's its hub's).
FITTED_CETO_MW = {"COMED": 483.0, "DOM": 6_975.0, "WMAAC": 8_858.0, "PPL": 2_582.0, "EMAAC": 7_238.0,
                  "SWMAAC": 4_514.0, "BGE": 1_892.0, "PEPCO": 3_521.0}
#: PJM's capacity emergency transfer limits (CETL) by LDA and delivery year where a value was found [MW]
#: (keyed as :data:`FITTED_CETO_MW`; a delivery year's value holds for the later ones until the next):
#: PPL (PJM's LDA "PL (incl. UGI)") 3,205 MW in 2026/27, from PJM's 2026/27 BRA planning parameters as
#: transcribed in a third-party test fixture ([S151], secondary; not checked against PJM's workbook).
#: The same table gives MAAC's CETL 2,715 MW (:data:`PUBLISHED_CETO_MW`), not used: the model's MAAC, whose
#: fleet by zone is an estimate, needs 8.9 GW of imports for the LDA criterion where PJM's needs 0.6 GW.
PUBLISHED_CETL_MW = {"PPL": {2026: 3_205.0}}
#: PJM's capacity emergency transfer objectives (CETO) by LDA and delivery year where found [MW] ([S151],
#: secondary), beside the model's own (:data:`FITTED_CETO_MW`): MAAC 590 MW ("adequate internal resources
#: to meet the reliability criterion"; CETL 2,715 MW), PPL 1,144 MW, in 2026/27
PUBLISHED_CETO_MW = {"WMAAC": {2026: 590.0}, "PPL": {2026: 1_144.0}}
#: import limit over the import objective [fraction] [est]: PJM models an LDA separately in its auction when
#: its CETL is under 1.15 x its CETO (the RPM rule as recalled; not retrieved here), and no LDA separated in
#: price in 2026/27 ([S11]);
#: Dominion's 8 GW [est] is 1.15 x its fitted objective (6,975 MW)
IMPORT_HEADROOM = 0.15


@functools.lru_cache(maxsize=1)
def reference_shares() -> dict:
    """Each zone's 2024 share of the RTO's energy [fraction]; REST the remainder."""
    m = {z: W.zone_reference_share(z) for z in W.zone_names()}
    m["REST"] = 1.0 - sum(m.values())
    return m


def class_shares(cls_name: str, dom_share: float) -> dict:
    """Share of class ``cls_name``'s ICAP in each zone with load [fraction], summing to 1."""
    if cls_name in CLASS_SHARE:
        s = dict(CLASS_SHARE[cls_name])
    else:
        ref = reference_shares()
        others = {z: v for z, v in ref.items() if z != "DOM"}
        tot = sum(others.values())
        s = {"DOM": dom_share, **{z: (1.0 - dom_share) * v / tot for z, v in others.items()}}
    return {z.name: float(s.get(z.name, 0.0)) for z in ZONES_LDA if z.has_load}


def weather_shares(years, month) -> dict:
    """Zone -> (T,) hourly share of the RTO load, all weather years back to back, summing to 1 each hour.

    Weather years without a zone's data (or proxy) take the month x hour mean of that zone's shares
    in the years that have them.
    """
    hour = np.tile(np.arange(24), W.HOURS // 24)
    key = (month - 1) * 24 + hour
    counts = np.bincount(key, minlength=288)
    ref = reference_shares()
    per_zone = {}
    for z in W.zone_names():
        have = {y: W.zone_weather_share(z, y) for y in W.WEATHER_YEARS}
        have = {y: s for y, s in have.items() if s is not None}
        mean = np.mean([np.bincount(key, weights=s, minlength=288) / counts for s in have.values()], axis=0)
        per_zone[z] = np.concatenate([have[y] if y in have else mean[key] for y in years])
    per_zone["REST"] = np.full(len(years) * W.HOURS, ref["REST"])
    total = sum(per_zone.values())
    return {z: v / total for z, v in per_zone.items()}


def lda_zones(lda: str) -> tuple:
    """The zones with load in ``lda`` (an LDA of :data:`LDA_MEMBERS` or a zone)."""
    return LDA_MEMBERS.get(lda, (lda,))


def published_mw(table: dict, zone: str, year: int) -> tuple | None:
    """``(MW, delivery year)`` of ``zone`` in ``table`` (:data:`PUBLISHED_CETL_MW`, :data:`PUBLISHED_CETO_MW`)
    for ``year``: its latest delivery year's value up to ``year`` (None: none published by then)."""
    ys = [y for y in table.get(zone, {}) if y <= year]
    return (float(table[zone][max(ys)]), max(ys)) if ys else None


def derived_import_limits_mw(year: int = 2026) -> dict:
    """Import limits of delivery year ``year`` [MW]: PJM's CETL where found (:data:`PUBLISHED_CETL_MW`,
    secondary), else [est] each LDA's fitted import objective (:data:`FITTED_CETO_MW`) plus
    :data:`IMPORT_HEADROOM`; Dominion keeps :data:`DOM_IMPORT_LIMIT_MW` (a parameter of its own)."""
    out = {z: v * (1.0 + IMPORT_HEADROOM) for z, v in FITTED_CETO_MW.items()}
    for z in out:
        found = published_mw(PUBLISHED_CETL_MW, z, year)
        if found is not None:
            out[z] = found[0]
    out["DOM"] = DOM_IMPORT_LIMIT_MW
    return out


def import_limit_source(zone: str, given: bool, year: int) -> str:
    """Where the import limit into ``zone`` comes from, with the delivery year it applies to."""
    dy = f"{year}/{(year + 1) % 100:02d}"
    lda = INTERFACE_LDA.get(zone, zone)
    if given:
        return f"given (import_limits_mw), delivery year {dy}, LDA {lda}"
    if zone == "DOM":
        ups = [u for u in DOM_UPGRADES if year >= u.first_year]
        added = "; ".join(f"+{u.added_mw:,.0f} MW {u.name.split(',')[0]} ({u.source})" for u in ups)
        return (f"[est] {dom_import_limit_mw(year):,.0f} MW for delivery year {dy}: {DOM_IMPORT_LIMIT_MW:,.0f} MW in "
                f"2026/27, about a third of DOM's peak and 1.15 x the model's import objective for LDA DOM at "
                f"0.04 d/yr ({FITTED_CETO_MW['DOM']:,.0f} MW); PJM's CETL not retrieved (sources.md P8)"
                + (f"; RTEP upgrades in service: {added}" if ups else "; no RTEP upgrade in service yet"))
    found = published_mw(PUBLISHED_CETL_MW, zone, year)
    if found is not None:
        return (f"[secondary] PJM's CETL for LDA {lda} in {found[1]}/{(found[1] + 1) % 100:02d}, {found[0]:,.0f} MW "
                f"(BRA planning parameters as transcribed in [S151]; sources.md P8), held for delivery year {dy}")
    return (f"[est] 1.15 x the model's import objective for LDA {lda} at 0.04 d/yr in 2026/27 "
            f"({FITTED_CETO_MW[zone]:,.0f} MW; no LDA separated in the 2026/27 BRA); PJM's CETL not retrieved "
            f"(sources.md P8); held for delivery year {dy}, RTEP upgrades not modelled")


__all__ = ["CLASS_SHARE", "DC_SHARE", "DOM_IMPORT_LIMIT_HIGH_MW", "DOM_IMPORT_LIMIT_LOW_MW", "DOM_UPGRADES",
           "TransferUpgrade", "dom_import_limit_mw", "dom_upgrades_mw", "LDA_MEMBERS", "NAMES_LDA", "ZONES_LDA", "Zone", "class_shares",
           "derived_import_limits_mw", "import_limit_source", "lda_zones", "published_mw", "PUBLISHED_CETL_MW",
           "PUBLISHED_CETO_MW", "reference_shares", "weather_shares"]
