"""The PJM model's zones: PJM's Locational Deliverability Areas where the data centers land.

Zone set ``"lda"`` of :class:`~gigawatt.systems.pjm_assumptions.PJMAssumptions` (the default
``"two"`` is Dominion and the rest). Nine regions and one hub, nested as PJM nests its LDAs:

====== ========= ================================================ ==========================
zone   parent    PJM transmission zones (EIA-930 ``PJM-<code>``)  joined to (import limit)
====== ========= ================================================ ==========================
WEST   RTO       AEP, APS (AP), ATSI, DAY, DEOK, DUQ              the hub of the rest
COMED  RTO       ComEd (CE)                                        WEST (ComEd's)
DOM    RTO       Dominion (DOM)                                    WEST and SWMAAC (DOM's)
REST   RTO       EKPC, OVEC, RECO and the RTO's remainder         WEST (none)
WMAAC  MAAC      Met-Ed (ME), Penelec (PN)                         WEST (MAAC's: every import
                                                                   into MAAC passes here)
PPL    MAAC      PPL (PL)                                          WMAAC (PPL's)
EMAAC  MAAC      AE, DPL, JCPL (JC), PECO (PE), PSEG (PS)          WMAAC (EMAAC's)
SWMAAC MAAC      (a hub without load)                              WMAAC (SWMAAC's)
BGE    SWMAAC    BGE (BC)                                          SWMAAC (BGE's)
PEPCO  SWMAAC    PEPCO (PEP)                                       SWMAAC (PEPCO's)
====== ========= ================================================ ==========================

The radial interfaces (``joined_to``) form a tree; Dominion's ties to MAAC (``[[lda.ties]]``: DOM-SWMAAC,
the 500-kV lines across the Potomac, 2,000 MW each way [est]) make it a mesh. Each LDA's import limit is
the limit of its cut, every path into it: the tie's 2,000 MW into DOM are a part of DOM's limit (WEST-DOM
carries the rest), its 2,000 MW into SWMAAC a part of SWMAAC's and of MAAC's (WMAAC-SWMAAC and WEST-WMAAC
carry the rest) (:func:`lda_interfaces`). Each interface has an export limit apart from its import limit
(``[lda] export_limit_mw``, 50 GW [est]: PJM's CETL is an import limit). Loop flow is not modelled (the
engine's dispatch is a transport max-flow).

* **Load**: each zone's hourly share of the RTO load by weather year from its own data
  (:func:`gigawatt.systems.pjm_load.zone_weather_share`) at its 2024 share of the RTO's energy;
  REST is the remainder at its 2024 share (flat), and the shares are normalised to sum to 1 each
  hour (which absorbs the few hours where the zonal and RTO series disagree). PJM's zonal
  forecast (2026 Load Forecast Report, Table B-1) was not retrieved: the zones grow with the RTO
  [est].
* **Data centers**: :data:`DC_SHARE` [est], see there.
* **Fleet**: the share of each class's ICAP in each zone, :data:`CLASS_SHARE` [est], see there; the
  gas and oil fleet's split between MAAC, PPL and the western zones, :data:`FLEET_SPLIT`, fitted so that the
  model's MAAC and PPL have PJM's published import objectives (CETO) of 2026/27.
* **Import limits**: PJM's capacity emergency transfer limits (CETL) by LDA and delivery year are
  published in the BRA planning parameters; only PPL's and MAAC's of 2026/27 were found here, secondary
  (:data:`PUBLISHED_CETL_MW`; sources.md P8).
  Dominion's limit grows by delivery year with the transmission PJM approved into the zone
  (:data:`DOM_UPGRADES`, :func:`dom_import_limit_mw`); every other limit but PPL's and MAAC's is an estimate: the model's own import objective of the LDA for 2026/27 (PJM's CETO at the
  LDA criterion of 0.04 d/yr, :data:`FITTED_CETO_MW`) times 1.15, as no LDA separated in the 2026/27
  auction (:func:`derived_import_limits_mw`); a parameter (``import_limits_mw``), swept like
  Dominion's, and named with its source and delivery year (:func:`import_limit_source`).
"""

from __future__ import annotations

import functools
import math

import numpy as np

from gigawatt.systems import pjm_load as W
from gigawatt.systems.pjm_constants import DOM_IMPORT_LIMIT_MW, MODEL
from gigawatt.systems.pjm_description import LDAZone as Zone, TransferUpgrade  # noqa: F401 - public here too
from gigawatt.systems.pjm_description import lda_members, split_shares

# The figures below are the embedded PJM description's (gigawatt/data/pjm.toml, with their sources):
#: transmission into Dominion approved in PJM's RTEP, by first delivery year in service; each added MW
#: an estimate (the surge-impedance loading of the new import circuits) (``[[interfaces.upgrades]]``)
DOM_UPGRADES = MODEL.dom_upgrades
#: Dominion's import limit in 2026/27 under the transfer-limits range [MW] [est]: low (a CETL below the
#: import objective; the upgrades late) and high (an LDA that never separates; the upgrades on time)
DOM_IMPORT_LIMIT_LOW_MW = MODEL.dom_import_limit_low_mw
DOM_IMPORT_LIMIT_HIGH_MW = MODEL.dom_import_limit_high_mw


def dom_upgrades_mw(year: int, scale: float = 1.0, model=None) -> float:
    """Import capability into Dominion added by the upgrades of ``model`` (default the embedded,
    :data:`DOM_UPGRADES`) in service by ``year`` [MW], times ``scale``."""
    ups = DOM_UPGRADES if model is None else model.dom_upgrades
    return float(scale) * sum(u.added_mw for u in ups if year >= u.first_year)


def dom_import_limit_mw(year: int, base_mw: float = DOM_IMPORT_LIMIT_MW, scale: float = 1.0, model=None) -> float:
    """Dominion's import limit in delivery year ``year`` [MW]: ``base_mw`` (2026/27) plus the upgrades in
    service (:func:`dom_upgrades_mw`, times ``scale``; 0 freezes the limit)."""
    return float(base_mw) + dom_upgrades_mw(year, scale, model)


#: the ``"lda"`` zone set (``[[lda.zones]]``)
ZONES_LDA = MODEL.lda_zones
#: the names of the ``"lda"`` zone set, hubs included, in region order
NAMES_LDA = tuple(z.name for z in ZONES_LDA)
#: LDA -> the zones in it (the nesting of PJM's LDAs; each zone is also its own LDA)
LDA_MEMBERS = lda_members(ZONES_LDA)
#: the LDA whose import limit each interface carries (the interface joins the zone to ``joined_to``)
INTERFACE_LDA = {"WMAAC": "MAAC", "SWMAAC": "SWMAAC"}

#: share of the data-center load by zone [est]: DOM's (``data_centers.zones``), the rest by ``[lda] dc_share``
DC_SHARE = {"DOM": MODEL.dc_dom_share, **MODEL.lda_dc_share}
#: share of each class's ICAP by zone [est] (the classes' ``lda_zones``); every other class: DOM's
#: two-zone share, the rest split between MAAC, PPL and the other zones by :data:`FLEET_SPLIT` and within
#: each part by the zones' 2024 share of the load (:func:`class_shares`)
CLASS_SHARE = MODEL.class_share
#: the split of the classes without ``lda_zones`` (the gas and oil fleet) outside DOM [fraction]: LDA or zone
#: -> its share, fitted so that the model's MAAC and PPL have PJM's published 2026/27 import objectives
#: (``[lda] fleet_split``, [est]; tools/pjm_zonal_study.py --fit-split)
FLEET_SPLIT = MODEL.lda_fleet_split
#: each LDA's import objective in the model for 2026/27 [MW] (PJM's CETO), a finding of the model
#: (``[lda] fitted_ceto_mw``; tools/pjm_zonal_study.py --fit-limits), keyed by the zone at the far end
#: of the LDA's interface (MAAC's is WMAAC's, SWMAAC's its hub's)
FITTED_CETO_MW = MODEL.fitted_ceto_mw
#: import limit over the import objective [fraction] [est] (``[lda] import_headroom``)
IMPORT_HEADROOM = MODEL.import_headroom
#: PJM's capacity emergency transfer limits (CETL) by LDA and delivery year where a value was found [MW]
#: (keyed as :data:`FITTED_CETO_MW`; ``[lda] published_cetl_mw``, [S151], secondary): PPL's 3,205 MW and MAAC's
#: 2,715 MW of 2026/27, limits here since :data:`FLEET_SPLIT` gives the model's MAAC and PPL PJM's import
#: objectives (:data:`PUBLISHED_CETO_MW`)
PUBLISHED_CETL_MW = MODEL.published_cetl_mw
#: export limit out of each LDA across its radial interface [MW] [est] (``[lda] export_limit_mw``; keyed as
#: :data:`FITTED_CETO_MW`): PJM's CETL is an import limit, and its generator deliverability test keeps every
#: capacity resource deliverable out of its area, so no LDA's export limit binds unless lowered
EXPORT_LIMIT_MW = MODEL.lda_export_limit_mw
#: the ties beside the radial interfaces (``[[lda.ties]]``): Dominion's to MAAC (:func:`lda_interfaces`)
TIES = MODEL.lda_ties
#: PJM's capacity emergency transfer objectives (CETO) by LDA and delivery year where found [MW]
#: (``[lda] published_ceto_mw``, [S151], secondary), beside the model's own (:data:`FITTED_CETO_MW`)
PUBLISHED_CETO_MW = MODEL.published_ceto_mw


@functools.lru_cache(maxsize=1)
def reference_shares() -> dict:
    """Each zone's 2024 share of the RTO's energy [fraction]; REST the remainder."""
    m = {z: W.zone_reference_share(z) for z in W.zone_names()}
    m["REST"] = 1.0 - sum(m.values())
    return m


def class_shares(cls_name: str, dom_share: float, model=None) -> dict:
    """Share of class ``cls_name``'s ICAP in each zone with load [fraction], summing to 1 (the class's
    ``lda_zones`` in ``model``, default the embedded PJM model; a class without them: ``dom_share`` in DOM,
    the rest by the model's fleet split, :data:`FLEET_SPLIT`, and the zones' 2024 share of the load)."""
    m = MODEL if model is None else model
    if cls_name in m.class_share:
        s = dict(m.class_share[cls_name])
    else:
        ref = reference_shares()
        others = {z: v for z, v in ref.items() if z != "DOM"}
        members = {**lda_members(m.lda_zones), **{z: (z,) for z in others}}
        split = split_shares(m.lda_fleet_split, members, others)
        s = {"DOM": dom_share, **{z: (1.0 - dom_share) * v for z, v in split.items()}}
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


def derived_import_limits_mw(model=None, year: int = 2026, headroom: float | None = None) -> dict:
    """Import limits of delivery year ``year`` [MW] (``model``'s figures, default the embedded): PJM's CETL
    where found (:data:`PUBLISHED_CETL_MW`, secondary), else [est] each LDA's fitted import objective
    (:data:`FITTED_CETO_MW`) plus ``headroom`` (default :data:`IMPORT_HEADROOM`); Dominion keeps its own
    limit (a parameter)."""
    m = MODEL if model is None else model
    h = m.import_headroom if headroom is None else float(headroom)
    out = {z: v * (1.0 + h) for z, v in m.fitted_ceto_mw.items()}
    for z in out:
        found = published_mw(m.published_cetl_mw, z, year)
        if found is not None:
            out[z] = found[0]
    out["DOM"] = m.dom_import_limit_mw
    return out


def _subtree(zone: str, zones) -> set:
    """``zone`` and every zone that reaches it by ``joined_to`` (the LDA whose imports its radial interface carries)."""
    below = {zone}
    grew = True
    while grew:
        new = {z.name for z in zones if z.joined_to in below} - below
        below |= new
        grew = bool(new)
    return below


def lda_interfaces(import_mw: dict, export_mw: dict | None = None, model=None) -> tuple:
    """The LDA set's interfaces: ``(regions_from, regions_to, forward_mw, backward_mw)`` [MW].

    One radial interface per zone with ``joined_to`` (from that zone to the zone), its limit into the zone
    ``import_mw[zone]`` and out of it ``export_mw[zone]`` (each missing: no limit; ``export_mw`` default the
    model's ``[lda] export_limit_mw``); then the model's ties (``[[lda.ties]]``), which make the network a
    mesh. Each LDA's import (export) limit is the limit of its cut, every path into (out of) it: a tie's
    limit in one direction is a part of the import limit of every LDA it enters and of the export limit of
    every LDA it leaves (the tie's limit capped at theirs), and their radial interfaces carry the rest. So
    the LDAs' limits stay what they were, and a tie adds paths (Dominion's ties to MAAC: help between DOM
    and SWMAAC without crossing the western hub).
    """
    m = MODEL if model is None else model
    export = m.lda_export_limit_mw if export_mw is None else export_mw
    radial = [z for z in m.lda_zones if z.joined_to is not None]
    fwd = [float(import_mw.get(z.name, math.inf)) for z in radial]
    bwd = [float(export.get(z.name, math.inf)) for z in radial]
    below = [_subtree(z.name, m.lda_zones) for z in radial]
    frm, to = [z.joined_to for z in radial], [z.name for z in radial]
    for t in m.lda_ties:
        lims = []
        for src, dst, lim in ((t.from_zone, t.to_zone, t.limit_mw), (t.to_zone, t.from_zone, t.limit_back_mw)):
            enters = [i for i, b in enumerate(below) if dst in b and src not in b]
            leaves = [i for i, b in enumerate(below) if src in b and dst not in b]
            lim = min([lim] + [fwd[i] for i in enters] + [bwd[i] for i in leaves])
            for i in enters:
                fwd[i] -= lim
            for i in leaves:
                bwd[i] -= lim
            lims.append(lim)
        frm.append(t.from_zone)
        to.append(t.to_zone)
        fwd.append(lims[0])
        bwd.append(lims[1])
    return tuple(frm), tuple(to), np.array(fwd), np.array(bwd)


def import_limit_source(zone: str, given: bool, year: int, model=None) -> str:
    """Where the import limit into ``zone`` comes from, with the delivery year it applies to."""
    m = MODEL if model is None else model
    dy = f"{year}/{(year + 1) % 100:02d}"
    lda = INTERFACE_LDA.get(zone, zone)
    if given:
        return f"given (import_limits_mw), delivery year {dy}, LDA {lda}"
    ceto = m.fitted_ceto_mw
    if zone == "DOM":
        ups = [u for u in m.dom_upgrades if year >= u.first_year]
        added = "; ".join(f"+{u.added_mw:,.0f} MW {u.name.split(',')[0]} ({u.source})" for u in ups)
        return (f"[est] {dom_import_limit_mw(year, m.dom_import_limit_mw, model=m):,.0f} MW for delivery year {dy}: "
                f"{m.dom_import_limit_mw:,.0f} MW in 2026/27, about a third of DOM's peak and "
                f"{1.0 + m.import_headroom:g} x the model's import objective for LDA DOM at "
                f"0.04 d/yr ({ceto['DOM']:,.0f} MW); PJM's CETL not retrieved (sources.md P8)"
                + (f"; RTEP upgrades in service: {added}" if ups else "; no RTEP upgrade in service yet"))
    found = published_mw(m.published_cetl_mw, zone, year)
    if found is not None:
        return (f"[secondary] PJM's CETL for LDA {lda} in {found[1]}/{(found[1] + 1) % 100:02d}, {found[0]:,.0f} MW "
                f"(BRA planning parameters as transcribed in [S151]; sources.md P8), held for delivery year {dy}")
    return (f"[est] {1.0 + m.import_headroom:g} x the model's import objective for LDA {lda} at 0.04 d/yr in 2026/27 "
            f"({ceto[zone]:,.0f} MW; no LDA separated in the 2026/27 BRA); PJM's CETL not retrieved "
            f"(sources.md P8); held for delivery year {dy}, RTEP upgrades not modelled")


__all__ = ["CLASS_SHARE", "DC_SHARE", "EXPORT_LIMIT_MW", "TIES", "lda_interfaces", "FLEET_SPLIT", "DOM_IMPORT_LIMIT_HIGH_MW", "DOM_IMPORT_LIMIT_LOW_MW", "DOM_UPGRADES",
           "TransferUpgrade", "dom_import_limit_mw", "dom_upgrades_mw", "LDA_MEMBERS", "NAMES_LDA", "ZONES_LDA", "Zone", "class_shares",
           "derived_import_limits_mw", "import_limit_source", "lda_zones", "published_mw", "PUBLISHED_CETL_MW",
           "PUBLISHED_CETO_MW", "reference_shares", "weather_shares"]
