"""Constants of the embedded PJM model, taken from its description (``gigawatt/data/pjm.toml``).

The figures and their sources live in the description (docs/grids.md, "The PJM model's sections"),
read once by :func:`gigawatt.systems.pjm_description.embedded`; this module names them for the code
(the embedded model's values: a description of one's own carries its own, :class:`PJMModel`).
``[est]`` marks an estimate, exposed as a parameter of
:class:`gigawatt.systems.pjm_assumptions.PJMAssumptions` where it varies by study.
"""

from __future__ import annotations

from gigawatt.systems import pjm_load as W
from gigawatt.systems.pjm_description import PJMModel, PlantClass, embedded  # noqa: F401 - public here too

#: the embedded PJM model (gigawatt/data/pjm.toml)
MODEL: PJMModel = embedded()

# --- load forecast -----------------------------------------------------------------------------
# the load forecasts by vintage (peaks, energy, data centers by year): gigawatt.systems.pjm_forecast

#: share of PJM's data-center growth in the Dominion zone [est] (pjm.toml data_centers.zones)
DC_DOM_SHARE = MODEL.dc_dom_share
#: installed reserve margin, 2026/27 and 2027/28 [fraction of the forecast peak] (pjm.toml capacity.reserve_margin)
IRM_2026 = MODEL.irm[2026]
IRM_2027 = MODEL.irm[2027]
#: 2027/28 forecast pool requirement [derived] (pjm.toml capacity.forecast_pool_requirement)
FPR_2027 = MODEL.fpr[2027]
#: people served by PJM (pjm.toml grid.people_served)
PEOPLE_SERVED = MODEL.people_served

# --- load forecast uncertainty -------------------------------------------------------------------
#: standard deviation of the load forecast factor by lead time, 1, 2, 3 and 4 or more years between
#: the forecast (its vintage, ``PJMAssumptions.load_forecast``) and the study year [fraction] [est]
#: (pjm.toml forecast.load_sd_by_lead). Weather is in the weather years already, so this is the rest
#: of the error (economy, new large loads); one factor per Monte Carlo sample on the residents' load.
LOAD_FORECAST_SD_BY_LEAD = MODEL.load_sd_by_lead

# --- ties ----------------------------------------------------------------------------------------
#: capacity benefit of ties [fraction of the forecast peak] (pjm.toml capacity.ties_frac), counted as
#: emergency imports into the unconstrained rest of PJM (``REST``; ``PJM`` without zones), in PJM's
#: emergency order after demand response
CBOT_FRAC = MODEL.cbot_frac
#: voltage reduction counted in the loss-of-load criterion [fraction of firm load]: none
#: (pjm.toml capacity.voltage_reduction_frac); a study may set it, e.g. 0.02
VOLTAGE_REDUCTION_FRAC = MODEL.voltage_reduction_frac

# --- demand response (pjm.toml [demand_response]) -------------------------------------------
#: demand response in the 2026/27 study, ICAP [MW]
DEMAND_RESPONSE_MW = MODEL.dr_mw
#: longest demand-response event [h] [est]
DR_MAX_EVENT_H = MODEL.dr_max_event_h
#: demand-response hours per year through 2026/27 [h] [est]; lifted from :data:`DR_ALL_HOURS_FROM`
#: (:meth:`PJMAssumptions.dr_limits`)
DR_MAX_HOURS_PER_YEAR = MODEL.dr_max_hours_per_year
#: demand-response events per year through 2026/27 [-] [est]; none from :data:`DR_ALL_HOURS_FROM`
DR_MAX_EVENTS_PER_YEAR = MODEL.dr_max_events_per_year
#: first study year in which PJM counts demand response in all hours
DR_ALL_HOURS_FROM = MODEL.dr_all_hours_from
#: demand-response availability windows through 2026/27, hours beginning [start, end) in prevailing
#: Eastern time, and the winter months
DR_WINDOW_SUMMER_H = MODEL.dr_window_summer_h
DR_WINDOW_WINTER_H = MODEL.dr_window_winter_h
DR_WINTER_MONTHS = MODEL.dr_winter_months
#: months with daylight saving time (EDT = EST + 1 h) [est]
DST_MONTHS = MODEL.dst_months
#: hours in a weather year: the yearly limits of the emergency order start again at each one
HOURS_PER_WEATHER_YEAR = W.HOURS
#: the clock of PJM's loss-of-load days: US Eastern standard time, UTC-5 [h]
DAY_UTC_OFFSET_H = MODEL.day_utc_offset_h

# --- zones ---------------------------------------------------------------------------------------
ZONES = ("DOM", "REST")
#: import and export limits of Dominion in 2026/27 [MW] [est] (pjm.toml [[interfaces]]); docs/outlook.md
#: shows the sensitivity to 6 and 10 GW
DOM_IMPORT_LIMIT_MW = MODEL.dom_import_limit_mw
DOM_EXPORT_LIMIT_MW = MODEL.dom_export_limit_mw

#: the fleet by class (pjm.toml [[classes]]: ICAP of RRS Table 5, ELCC ratings, NERC GADS outage rates,
#: IEEE RTS repair times, cold extras fitted to the Jan 2014 and Dec 2022 outages, DOM shares [est])
CLASSES = MODEL.classes
#: hours of energy of the storage class [est]
STORAGE_H = MODEL.storage_h
#: ELCC rating of demand response, 2026/27 and 2027/28
DR_ELCC = MODEL.dr_elcc
#: extra forced-outage rate of thermal units in the hottest hours (heat index 1) [fraction] (pjm.toml heat)
HEAT_EXTRA_OUTAGE = MODEL.heat_extra_outage
#: factor on the summer heat elements (each class's ``hot_derate`` and :data:`HEAT_EXTRA_OUTAGE` at the
#: heat index) [-], a finding rather than a published figure: PJM's summer share of its 0.1 d/yr (44 %,
#: sources.md P1) allows no heat outages beyond the class rates (pjm.toml heat.scale; docs/outlook.md);
#: ``--range`` carries the heat model at 1
HEAT_SCALE_FITTED = MODEL.heat_scale
#: size of the gas fleet's common-mode blocks [MW] [est]
COLD_BLOCK_MW = MODEL.cold_block_mw
#: share of gas capacity modelled in common-mode blocks [fraction] [est]
COLD_BLOCK_SHARE = MODEL.cold_block_share
#: factor on the cold-weather extra outages [-], a finding rather than a published figure: the 2026
#: system at the 2026/27 IRM meets PJM's 0.1 d/yr with the cold outages of Jan 2014 and Dec 2022 at this
#: share of their size (pjm.toml cold.scale; docs/outlook.md has the tables, tools/calibrate_outlook.py)
COLD_SCALE_FITTED = MODEL.cold_scale
#: generation ICAP of the 2026/27 study [MW] (sum of :data:`CLASSES`)
GENERATION_ICAP_2026_MW = MODEL.generation_icap_mw
#: data-center utilisation between the hottest hours and the rest [fraction of peak draw] [est]
DC_BASE_FRACTION = MODEL.dc_base_fraction
#: share of demand response in Dominion [est]: its share of PJM's load
DR_DOM_SHARE = MODEL.dr_dom_share
