"""Sourced constants of the embedded PJM model: the load forecast, demand response, zones and the fleet by class.

Each constant cites its source (sources.md sections); ``[est]`` marks an estimate, exposed as a
parameter of :class:`gigawatt.systems.pjm_assumptions.PJMAssumptions` where it varies by study.
"""

from __future__ import annotations

from dataclasses import dataclass

from gigawatt.systems import pjm_load as W

# --- load forecast -----------------------------------------------------------------------------
# the load forecasts by vintage (peaks, energy, data centers by year): gigawatt.systems.pjm_forecast

#: share of PJM's data-center growth in the Dominion zone [est]: ~15 GW of DOM data-center load by
#: 2030 (Aurora, [S62], secondary) of the ~30 GW added 2024-2030 ([S56])
DC_DOM_SHARE = 0.5
#: installed reserve margin, 2026/27 and 2027/28 [fraction of the forecast peak] ([S1],[S2],[S5])
IRM_2026 = 0.191
IRM_2027 = 0.200
#: 2027/28 forecast pool requirement (sources.md P1, [derived] from [S2]): IRM x the pool-wide
#: average accredited UCAP factor, so that factor is FPR / (1 + IRM) = 0.772
FPR_2027 = 0.9260
#: people served by PJM (sources.md F1)
PEOPLE_SERVED = 67e6

# --- load forecast uncertainty -------------------------------------------------------------------
#: standard deviation of the load forecast factor by lead time, 1, 2, 3 and 4 or more years between
#: the forecast (its vintage, ``PJMAssumptions.load_forecast``) and the study year [fraction] [est]. PJM's reserve requirement study draws the load
#: around the 50/50 forecast from a standard normal forecast error distribution ([S98]: the
#: "Forecast Error Factor"; [S99]: the criterion counts "the probability of error in load
#: forecast"); its size by lead time was not retrieved. Weather is in the weather years already,
#: so this is the rest of the error (economy, new large loads): 1 % a year ahead, growing by half a
#: point a year of lead [est]. One factor per Monte Carlo sample on the residents' load.
LOAD_FORECAST_SD_BY_LEAD = (0.010, 0.015, 0.020, 0.025)

# --- ties ----------------------------------------------------------------------------------------
#: capacity benefit of ties [fraction of the forecast peak]: PJM's IRM formula is ICAP over the
#: solved peak, minus one, minus CBOT ~1.5 % (sources.md P1; [S44], secondary, [S4]). The model
#: counts it as emergency imports into the unconstrained rest of PJM (``REST``; ``PJM`` without
#: zones), in PJM's emergency order after demand response
CBOT_FRAC = 0.015
#: voltage reduction counted in the loss-of-load criterion [fraction of firm load]: none. PJM's
#: criterion is load exceeding available capacity ([S99]); no public source shows its reserve
#: requirement study counting voltage reduction or other emergency procedures beyond demand
#: response and ties, so the model's LOLE leaves them out (a study may set it, e.g. 0.02, sources.md F1)
VOLTAGE_REDUCTION_FRAC = 0.0

# --- demand response -------------------------------------------------------------------------
#: demand response in the 2026/27 study, ICAP [MW] (RRS Table 5; [S16],[S17], secondary)
DEMAND_RESPONSE_MW = 8_184.0
#: longest demand-response event [h] [est]: Extended Summer and Annual DR could be interrupted
#: for up to 10 h at a time (FERC 2011; [S64])
DR_MAX_EVENT_H = 10.0
#: demand-response hours per year through 2026/27 [h] [est]: the Limited product's 10
#: interruptions x 6 h ([S64]); from 2027/28 PJM models DR in all hours ([S42])
#: and this limit is lifted (:meth:`PJMAssumptions.dr_limits`)
DR_MAX_HOURS_PER_YEAR = 60.0
#: demand-response events per year through 2026/27 [-] [est]: the Limited product's 10
#: interruptions ([S64]); from 2027/28 none (Annual and Capacity Performance DR: unlimited
#: interruptions, [S64]; modelled in all hours, [S42])
DR_MAX_EVENTS_PER_YEAR = 10.0
#: first study year in which PJM counts demand response in all hours ([S42])
DR_ALL_HOURS_FROM = 2027
#: demand-response availability windows through 2026/27, hours beginning [start, end) in prevailing
#: Eastern time: summer 10 a.m.-10 p.m., winter 6 a.m.-9 p.m. ([S42]); summer is June-October and
#: May, winter November-April [est: Capacity Performance's seasons]
DR_WINDOW_SUMMER_H = (10, 22)
DR_WINDOW_WINTER_H = (6, 21)
DR_WINTER_MONTHS = (11, 12, 1, 2, 3, 4)
#: months with daylight saving time (EDT = EST + 1 h) [est: mid-March to early November, rounded to months]
DST_MONTHS = (4, 5, 6, 7, 8, 9, 10)
#: hours in a weather year: the yearly limits of the emergency order start again at each one
HOURS_PER_WEATHER_YEAR = W.HOURS
#: the clock of PJM's loss-of-load days: US Eastern standard time, UTC-5 [h]
DAY_UTC_OFFSET_H = -5.0

# --- zones ---------------------------------------------------------------------------------------
ZONES = ("DOM", "REST")
#: import limit into Dominion [MW] [est]: PJM's capacity emergency transfer limits are not public
#: in a retrievable form (sources.md P8); DOM separated in price in 2025/26 and would have in
#: 2027/28 (import-constrained). 8 GW is about a third of DOM's peak; docs/outlook.md shows the
#: sensitivity to 6 and 10 GW.
DOM_IMPORT_LIMIT_MW = 8_000.0
#: export limit out of Dominion [MW] [est]
DOM_EXPORT_LIMIT_MW = 8_000.0


@dataclass(frozen=True)
class PlantClass:
    """One capacity class of the fleet.

    Parameters
    ----------
    name : str
    icap_mw : float
        Installed capacity in the 2026/27 reserve requirement study [MW] (RRS Table 5).
    elcc_2026, elcc_2027 : float
        PJM's ELCC class ratings for 2026/27 and 2027/28 [fraction] (sources.md P2).
    efor : float
        Forced-outage rate: the fraction of hours a unit is out [fraction].
    mttr_h : float
        Mean time to repair [h].
    unit_mw : float
        Typical unit size [MW] [est].
    planned_frac : float
        Planned and maintenance outage factor over the year [fraction] [est], taken where the
        expected load is lowest (:func:`planned_profile`), never in the peak seasons.
    cold_extra : float
        Extra unavailability at the most severe cold (severity 1) [fraction] [est, fitted to the
        Jan 2014 and Dec 2022 outage figures, see :func:`cold_severity`].
    hot_derate : float
        Capacity lost in the hottest summer hours (heat index 1) [fraction of ICAP] [est].
    dom_share : float
        Share of the class's capacity in the Dominion zone [fraction] [est].
    kind : str
        ``thermal`` (two-state units), ``wind``, ``solar``, ``hydro`` (hourly profile), ``storage``.
    """

    name: str
    icap_mw: float
    elcc_2026: float
    elcc_2027: float
    efor: float
    mttr_h: float
    unit_mw: float
    planned_frac: float
    cold_extra: float
    hot_derate: float
    dom_share: float
    kind: str = "thermal"


#: Forced-outage rates: NERC GADS class averages ([S36]: coal 12.0 % in 2023, gas ~8 %,
#: hydro 6.7 %, nuclear < 2 %); PJM's own class EFORd table is not public in retrievable form.
#: Repair times: IEEE RTS / RTS-GMLC (nuclear 150 h, coal 100 h, CC 33 h, CT 31 h, steam 60 h).
#: ICAP: 2025 ELCC/RRS Table 5 for 2026/27 ([S16],[S17], secondary). ELCC ratings:
#: sources.md P2. Cold extras: in the split of Elliott's outages by fuel (~35 % of gas, ~21 % of coal
#: and ~10 % of the rest over this ICAP, [S22]) less the base rates, scaled by one
#: factor (1.2) fitted by least squares to the peak-hour outages of 7 Jan 2014 (40.2 GW) and
#: 24 Dec 2022 (~46 GW) replayed on this fleet (:func:`expected_outages_mw`; model 42.7 and
#: 41.0 GW; tests/outlook/test_pjm_model.py). DOM shares [est]: North
#: Anna and Surry (3.6 GW) of the nuclear fleet, Bath County (3 GW) of the pumped storage,
#: Virginia's solar build-out; gas so that DOM's own ICAP plus its import limit covers its
#: requirement in 2026/27 (no DOM price separation in that auction, [S11]).
CLASSES = (
    PlantClass("Nuclear", 32_144, 0.95, 0.95, 0.018, 150.0, 1100.0, 0.06, 0.036, 0.0, 0.11),
    PlantClass("Coal", 35_779, 0.83, 0.83, 0.120, 100.0, 600.0, 0.08, 0.12, 0.0, 0.06),
    PlantClass("Gas CC", 57_664, 0.74, 0.74, 0.080, 33.0, 500.0, 0.05, 0.324, 0.03, 0.20),
    PlantClass("Gas CT", 11_030, 0.60, 0.61, 0.080, 31.0, 150.0, 0.03, 0.36, 0.05, 0.18),
    PlantClass("Gas CT dual fuel", 13_158, 0.78, 0.77, 0.080, 31.0, 150.0, 0.03, 0.18, 0.05, 0.18),
    PlantClass("Steam oil/gas", 10_004, 0.73, 0.72, 0.080, 60.0, 200.0, 0.06, 0.24, 0.0, 0.12),
    PlantClass("Diesel", 329, 0.91, 0.92, 0.080, 31.0, 10.0, 0.02, 0.12, 0.0, 0.15),
    PlantClass("Hydro run-of-river", 519, 0.38, 0.39, 0.067, 20.0, 50.0, 0.0, 0.0, 0.0, 0.10, kind="hydro"),
    PlantClass("Landfill gas", 118, 0.50, 0.48, 0.080, 31.0, 5.0, 0.0, 0.0, 0.0, 0.10),
    PlantClass("Onshore wind", 3_549, 0.41, 0.41, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.02, kind="wind"),
    PlantClass("Solar", 9_902, 0.105, 0.078, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.35, kind="solar"),
    PlantClass("Storage", 5_834, 0.50, 0.58, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.52, kind="storage"),
)
#: hours of energy of the storage class (mostly pumped hydro: Bath County ~11 h, Seneca, Muddy Run) [est]
STORAGE_H = 8.0
#: ELCC rating of demand response, 2026/27 and 2027/28 ([S16], secondary)
DR_ELCC = {2026: 0.69, 2027: 0.92}
#: extra forced-outage rate of thermal units in the hottest hours (heat index 1) [fraction]: PJM's
#: resources averaged a 9.65 % outage rate in the June 22-26 2025 heat wave ([S37]),
#: ~2.6 points above the fleet's class-average rate here (~7 %)
HEAT_EXTRA_OUTAGE = 0.026
#: factor on the summer heat elements (each class's ``hot_derate`` and :data:`HEAT_EXTRA_OUTAGE` at the
#: heat index) [-], a finding rather than a published figure: PJM's 2026/27 study puts 44 % of its 0.1
#: d/yr in summer (a winter share of 55.9 %, sources.md P1); on the 23 weather years the 2026 system at
#: the IRM with no cold outages gives 0.29 d/yr of summer risk with the heat elements at 1, 0.17 without
#: the gas turbines' derate and 0.047 without either (tools/calibrate_outlook.py --table 0 --heat-scale 1). Two
#: published targets (LOLE 0.1 d/yr, the winter share) fix the two unknown factors, cold and heat: the
#: summer share allows no heat outages beyond the class rates. Two reasons make 0 plausible rather than
#: a fudge: installed capacity is each unit's summer net capability (PJM Manual 21), so a hot-hour derate
#: on top counts the heat twice; and the June 2025 heat wave's 9.65 % is an all-outage average beside
#: forced-outage class rates. ``--range`` carries the heat model at 1 (docs/outlook.md)
HEAT_SCALE_FITTED = 0.0
#: size of the gas fleet's common-mode blocks [MW] [est]: a fuel-supply failure (a pipeline
#: segment, a processing plant freezing) takes out several units at once
COLD_BLOCK_MW = 1_000.0
#: share of gas capacity modelled in common-mode blocks [fraction] [est]: Elliott's gas outages
#: were mostly fuel-supply and cold-related ([S22],[S24])
COLD_BLOCK_SHARE = 0.35


#: factor on the cold-weather extra outages [-], a finding rather than a published figure. With the
#: published class rates and what PJM's reserve requirement study carries besides them (load forecast
#: uncertainty, the capacity benefit of ties, demand response at 92 % inside its 2026/27 windows, no
#: voltage reduction) and the summer heat elements at ``HEAT_SCALE_FITTED``, the 2026 system at the
#: 2026/27 IRM (the 2026 load forecast, the 23 weather years 2003-2025) meets PJM's 0.1 d/yr with the cold
#: outages of Jan 2014 and Dec 2022 at 0.46 of their size at every hour of equal cold severity (LOLE 0.097
#: ± 0.004 d/yr on seed 7 and 0.109 ± 0.004 on seed 11, 400 samples, seeds the fit did not use), with
#: 62-63 % of the risk in winter (PJM: 55.9 %, sources.md P1). The replays of 2014 and Elliott fall to 0.64
#: and 0.54 of the observed outages; reaching those (factor ~0.7-0.9) puts LOLE at 0.36-0.9 d/yr: the load
#: proxy finds Elliott-like cold in several winters. docs/outlook.md has the tables
#: (tools/calibrate_outlook.py: 300 samples, seed 2026, common random numbers; 0.33 on 2014-2025 with
#: the heat elements at 1 before)
COLD_SCALE_FITTED = 0.46


def _class_icap_total() -> float:
    return float(sum(c.icap_mw for c in CLASSES))


#: generation ICAP of the 2026/27 study [MW] (sum of :data:`CLASSES`)
GENERATION_ICAP_2026_MW = _class_icap_total()
#: data-center utilisation between the hottest hours and the rest [fraction of peak draw] [est]:
#: training runs flat near full power; what varies is cooling
DC_BASE_FRACTION = 0.9

#: share of demand response in Dominion [est]: its share of PJM's load
DR_DOM_SHARE = 0.15
