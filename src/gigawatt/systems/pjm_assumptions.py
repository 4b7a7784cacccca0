"""What varies by study in the PJM model: :class:`PJMAssumptions`, the forecasts by year and PJM's capacity accounting."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gigawatt.constants import ZONE_SETS  # the zone sets of PJMAssumptions
from gigawatt.errors import InputError
from gigawatt.systems import pjm_load as W
from gigawatt.systems.pjm_constants import (
    CBOT_FRAC, COLD_SCALE_FITTED, HEAT_SCALE_FITTED, DC_DOM_SHARE, DEMAND_RESPONSE_MW, DOM_EXPORT_LIMIT_MW,
    DOM_IMPORT_LIMIT_MW, MODEL, VOLTAGE_REDUCTION_FRAC, PlantClass,
)
from gigawatt.systems.pjm_description import PJMModel, by_year
from gigawatt.systems.pjm_forecast import DEFAULT_LOAD_FORECAST


@dataclass(frozen=True)
class PJMAssumptions:
    """Parameters of the PJM model for one study year (defaults: the public figures above).

    Parameters
    ----------
    year : int
        Study year (2026 ...).
    peak_mw : float, optional
        Total 50/50 summer peak, data centers included [MW]; default the forecast
        (:func:`forecast_peak_mw`).
    energy_mwh : float, optional
        Yearly energy of the load without data centers [MWh]; default the energy forecast
        (scaled with ``peak_mw`` when that is given) less the data centers' energy.
    dc_load_mw : float
        Data-center load at the summer peak [MW], part of the peak; its hourly profile is
        :func:`dc_profile` (utilisation and cooling).
    dc_as_load : bool
        Add the data centers to the zones' load (True), or leave them out because they join as
        sites (the outlook); they count in the reserve margin either way.
    reserve_margin : float, optional
        Installed reserve margin: ICAP (generation and demand response) over the total forecast
        peak, minus one; default the IRM of the year (19.1 % in 2026, 20 % from 2027).
    efor_scale : float
        Factor on every class's forced-outage rate; 1 = the published rates. A calibration, if
        one is needed, must stay within 0.75-1.33 (reported in docs/outlook.md).
    cold_scale : float
        Factor on the cold-weather extra outages: 1 replays the outages of Jan 2014 and Dec 2022
        at every hour of equal cold severity; the default :data:`COLD_SCALE_FITTED` is what
        PJM's own criterion implies (see there).
    heat_scale : float
        Factor on the summer heat elements (the gas turbines' derate and the thermal units' extra
        outages in the hottest hours); the default :data:`HEAT_SCALE_FITTED` is what PJM's summer
        share implies (see there); 1: the June 2025 heat wave's outages at every year's hottest hours.
    weather_years : tuple of int
        Weather years simulated back to back (default all of
        :data:`gigawatt.systems.pjm_load.WEATHER_YEARS`).
    demand_response_mw : float
        Demand response ICAP [MW]; dispatched in emergencies (:func:`emergency_order`), counted
        inside the reserve margin; 0 switches it off.
    dr_max_hours_per_year, dr_max_event_h : float, optional
        Demand-response limits [h]; default by year (:meth:`dr_limits`).
    dr_max_events_per_year : float, optional
        Demand-response events per year [-]; default by year (:meth:`dr_events_per_year`).
    dr_availability : float, optional
        Share of the demand-response ICAP that answers a call [fraction]; default PJM's DR ELCC
        rating of the year (:meth:`dr_availability_frac`).
    load_forecast_sd : float, optional
        Standard deviation of the load forecast factor [fraction], one draw per Monte Carlo sample
        on the residents' load; default by lead time (:meth:`lfu_sd`); 0 switches it off.
    cbot_frac : float
        Capacity benefit of ties [fraction of the total forecast peak]: emergency imports
        (:func:`emergency_order`); 0 switches them off.
    voltage_reduction_frac : float
        Voltage reduction in the emergency order [fraction of firm load]; default 0, as PJM's
        loss-of-load criterion counts none (:data:`VOLTAGE_REDUCTION_FRAC`).
    dom_import_limit_mw, dom_export_limit_mw : float
        Transfer limits into and out of Dominion [MW] [est]. On ``zone_set="lda"`` the export limit is
        ``[lda] export_limit_mw`` of the model instead (``dom_export_limit_mw`` is then not read).
    dc_dom_share : float
        Share of the data-center load in Dominion [fraction] [est].
    zones : bool
        Zones joined by import limits (``zone_set``); False: one copper-plate region ``PJM``.
    zone_set : str
        ``"two"``: Dominion (``DOM``) and the rest (``REST``); ``"lda"``: PJM's Locational
        Deliverability Areas where the data centers land (:mod:`gigawatt.systems.pjm_zones`).
    import_limits_mw : mapping, optional
        ``"lda"`` zone set: import limit into a zone (or the hubs ``WMAAC`` for MAAC, ``SWMAAC``)
        [MW], instead of the derived estimate (:func:`gigawatt.systems.pjm_zones.derived_import_limits_mw`);
        ``dom_import_limit_mw`` sets Dominion's in both zone sets.
    load_forecast : str
        Vintage of PJM's load forecast for the peak, energy and data centers by default
        (:data:`gigawatt.systems.pjm_forecast.LOAD_FORECASTS`: ``"2026"``, ``"2025"``).
    class_icap_mw : mapping, optional
        Generation ICAP by class [MW] (a fleet that evolved by class, e.g.
        :meth:`gigawatt.outlook.OutlookAssumptions.fleet_icap_mw`); the reserve margin is then what it
        gives, and ``reserve_margin`` must be left out. Default: RRS Table 5 scaled to the margin.
    model : PJMModel, optional
        The PJM description the figures come from (classes, reserve margins, forecasts, demand-response
        rules, zones); default the embedded one (``gigawatt/data/pjm.toml``). The defaults of the fields
        above are the embedded model's: :meth:`gigawatt.outlook.OutlookAssumptions.from_model` sets them
        from another.
    """

    year: int = 2026
    peak_mw: float | None = None
    energy_mwh: float | None = None
    dc_load_mw: float = 0.0
    dc_as_load: bool = True
    reserve_margin: float | None = None
    efor_scale: float = 1.0
    cold_scale: float = COLD_SCALE_FITTED
    heat_scale: float = HEAT_SCALE_FITTED
    weather_years: tuple = W.WEATHER_YEARS
    demand_response_mw: float = DEMAND_RESPONSE_MW
    dr_max_hours_per_year: float | None = None
    dr_max_event_h: float | None = None
    dr_max_events_per_year: float | None = None
    dr_availability: float | None = None
    load_forecast_sd: float | None = None
    cbot_frac: float = CBOT_FRAC
    voltage_reduction_frac: float = VOLTAGE_REDUCTION_FRAC
    dom_import_limit_mw: float = DOM_IMPORT_LIMIT_MW
    dom_export_limit_mw: float = DOM_EXPORT_LIMIT_MW
    dc_dom_share: float = DC_DOM_SHARE
    zones: bool = True
    zone_set: str = "two"
    import_limits_mw: tuple | None = None
    load_forecast: str = DEFAULT_LOAD_FORECAST
    class_icap_mw: tuple | None = None
    model: PJMModel | None = None

    def __post_init__(self):
        if self.model is None:
            object.__setattr__(self, "model", MODEL)
        elif not isinstance(self.model, PJMModel):
            raise InputError(f"model: expected a PJM description (PJMModel), got {type(self.model).__name__}")
        if isinstance(self.year, bool) or not isinstance(self.year, (int, np.integer)) or not 2020 <= self.year <= 2060:
            raise InputError(f"year: expected a year in 2020-2060, got {self.year!r}")
        wy = tuple(self.weather_years)
        unknown = [y for y in wy if y not in W.WEATHER_YEARS]
        if unknown or not wy or len(set(wy)) != len(wy):
            raise InputError(f"weather_years: expected distinct years among {list(W.WEATHER_YEARS)}, got {list(wy)}")
        object.__setattr__(self, "weather_years", wy)
        for name, lo, hi in (("dc_load_mw", 0.0, 1e6), ("efor_scale", 0.0, 5.0), ("cold_scale", 0.0, 5.0), ("heat_scale", 0.0, 5.0),
                             ("demand_response_mw", 0.0, 1e6), ("dom_import_limit_mw", 0.0, 1e6),
                             ("dom_export_limit_mw", 0.0, 1e6), ("dc_dom_share", 0.0, 1.0), ("cbot_frac", 0.0, 0.5),
                             ("voltage_reduction_frac", 0.0, 1.0)):
            x = getattr(self, name)
            if not (isinstance(x, (int, float, np.floating, np.integer)) and math.isfinite(x) and lo <= x <= hi):
                raise InputError(f"{name}: expected a number in [{lo:g}, {hi:g}], got {x!r}")
        if self.zone_set not in ZONE_SETS:
            raise InputError(f"zone_set: expected one of {list(ZONE_SETS)}, got {self.zone_set!r}")
        if self.import_limits_mw is not None:
            items = dict(self.import_limits_mw).items() if not isinstance(self.import_limits_mw, tuple) \
                else self.import_limits_mw
            limits = []
            for k, v in items:
                if k not in LIMITED_ZONES:
                    raise InputError(f"import_limits_mw: unknown zone {k!r}; expected some of {list(LIMITED_ZONES)}")
                if not (isinstance(v, (int, float, np.floating, np.integer)) and math.isfinite(v) and 0 <= v <= 1e6):
                    raise InputError(f"import_limits_mw.{k}: expected a number in [0, 1e6] MW, got {v!r}")
                limits.append((str(k), float(v)))
            object.__setattr__(self, "import_limits_mw", tuple(sorted(limits)))
        self.model.forecast(self.load_forecast)
        if self.class_icap_mw is not None:
            object.__setattr__(self, "class_icap_mw", _class_icap(self.class_icap_mw, self.model))
            if self.reserve_margin is not None:
                raise InputError("reserve_margin: leave it out when class_icap_mw is given (the fleet sets it)")
        if self.efor_scale == 0.0:
            raise InputError("efor_scale: expected a number > 0, got 0")
        for name in ("peak_mw", "energy_mwh"):
            x = getattr(self, name)
            if x is not None and not (math.isfinite(x) and 0 < x < 1e12):
                raise InputError(f"{name}: expected a positive finite number, got {x!r}")
        rm = self.reserve_margin
        if rm is not None and not (math.isfinite(rm) and -0.9 < rm < 5):
            raise InputError(f"reserve_margin: expected a fraction in (-0.9, 5), got {self.reserve_margin!r}")
        hours, event = self.dr_max_hours_per_year, self.dr_max_event_h
        if hours is not None and not hours >= 0:
            raise InputError(f"dr_max_hours_per_year: expected >= 0 h, got {hours!r}")
        if event is not None and not event > 0:
            raise InputError(f"dr_max_event_h: expected > 0 h, got {event!r}")
        for name, lo, hi in (("dr_max_events_per_year", 0.0, math.inf), ("dr_availability", 0.0, 1.0),
                             ("load_forecast_sd", 0.0, 0.2)):
            x = getattr(self, name)
            if x is not None and not (isinstance(x, (int, float, np.floating, np.integer))
                                      and not isinstance(x, bool) and lo <= x <= hi):
                raise InputError(f"{name}: expected a number in [{lo:g}, {hi:g}], got {x!r}")

    def lfu_lead_years(self) -> int:
        """Years between the load forecast (the year of its vintage, ``load_forecast``) and the study year, at least 1."""
        return max(1, int(self.year) - int(self.load_forecast))

    def lfu_sd(self) -> float:
        """Standard deviation of the load forecast factor [fraction]: given, else by lead time
        (:data:`LOAD_FORECAST_SD_BY_LEAD`, the last value beyond its end)."""
        if self.load_forecast_sd is not None:
            return float(self.load_forecast_sd)
        table = self.model.load_sd_by_lead
        return float(table[min(self.lfu_lead_years(), len(table)) - 1])

    def cbot_mw(self) -> float:
        """Capacity benefit of ties [MW]: ``cbot_frac`` of the total forecast peak."""
        return float(self.cbot_frac) * _total_peak(self)

    def dr_availability_frac(self) -> float:
        """Share of the demand-response ICAP that answers a call inside its windows [fraction]: given,
        else PJM's DR ELCC rating once DR counts in all hours (92 %, 2027/28; [S16], secondary).

        Through 2026/27 the windows (:func:`gigawatt.systems.pjm.dr_window`) come on top: PJM's 69 %
        rating of 2026/27 is that of the same DR confined to them ([S42]: ~17 % of loss-of-load
        hours fell outside), so the 92 % is not lowered again.
        """
        if self.dr_availability is not None:
            return float(self.dr_availability)
        return self.model.dr_elcc_of(self.model.dr_all_hours_from)

    def dr_events_per_year(self) -> float:
        """Demand-response events per year [-]: given, else 10 through 2026/27 (the Limited product,
        [S64]) and no limit from 2027/28 (DR in all hours, [S42])."""
        if self.dr_max_events_per_year is not None:
            return float(self.dr_max_events_per_year)
        m = self.model
        return m.dr_max_events_per_year if self.year < m.dr_all_hours_from else math.inf

    def dr_limits(self) -> tuple[float, float]:
        """Demand-response hours per year and per event [h]: the product rules of the year.

        Through 2026/27 PJM's DR had availability windows (modelled as 60 h/yr [est]); from
        2027/28 PJM models it in all hours ([S42]): no yearly limit, 10-hour events.
        """
        m = self.model
        hours = m.dr_max_hours_per_year if self.year < m.dr_all_hours_from else math.inf
        hours = hours if self.dr_max_hours_per_year is None else float(self.dr_max_hours_per_year)
        event = m.dr_max_event_h if self.dr_max_event_h is None else float(self.dr_max_event_h)
        return hours, event

    def irm(self) -> float:
        """Installed reserve margin of the study year [fraction] (PJM's target, or the one given)."""
        if self.reserve_margin is not None:
            return float(self.reserve_margin)
        return self.model.irm_of(self.year)


#: zones of the ``"lda"`` set with an import limit (the hubs WMAAC and SWMAAC carry MAAC's and SWMAAC's)
LIMITED_ZONES = ("COMED", "DOM", "WMAAC", "PPL", "EMAAC", "SWMAAC", "BGE", "PEPCO")


def _class_icap(table, model: PJMModel = MODEL) -> tuple:
    """``class_icap_mw`` as (class, MW) pairs in the model's order: every class of ``model``, finite MW >= 0."""
    items = dict(table.items() if hasattr(table, "items") else table)
    names = [c.name for c in model.classes]
    if set(items) != set(names):
        raise InputError(f"class_icap_mw: expected every class {names}, got {sorted(items)}")
    out = []
    for k in names:
        v = items[k]
        if not (isinstance(v, (int, float, np.floating, np.integer)) and math.isfinite(v) and 0 <= v <= 1e6):
            raise InputError(f"class_icap_mw.{k}: expected a number in [0, 1e6] MW, got {v!r}")
        out.append((k, float(v)))
    return tuple(out)


def forecast_peak_mw(year: int, vintage: str = DEFAULT_LOAD_FORECAST, model: PJMModel = MODEL) -> float:
    """Total 50/50 summer peak forecast of ``year`` [MW], data centers included, of one forecast vintage
    (:mod:`gigawatt.systems.pjm_forecast`) of ``model`` (default the embedded PJM description)."""
    return model.forecast(vintage).peak_mw(year)


def default_dc_mw(year: int, vintage: str = DEFAULT_LOAD_FORECAST, model: PJMModel = MODEL) -> float:
    """Data-center load at the summer peak of ``year`` [MW], of the same vintage (its large-load growth)."""
    return model.forecast(vintage).dc_mw(year)


def forecast_energy_mwh(year: int, vintage: str = DEFAULT_LOAD_FORECAST, model: PJMModel = MODEL) -> float:
    """Total net energy for load of ``year`` [MWh/yr], of the same vintage."""
    return model.forecast(vintage).energy_mwh(year)


def elcc(cls: PlantClass, year: int) -> float:
    """ELCC class rating of ``year`` (2026/27 through 2026, 2027/28 after) [fraction]."""
    return by_year({2026: cls.elcc_2026, 2027: cls.elcc_2027}, year)


def dr_elcc(year: int, model: PJMModel | None = None) -> float:
    """ELCC rating of demand response of ``year`` (2026/27 through 2026, 2027/28 after) [fraction]."""
    return (MODEL if model is None else model).dr_elcc_of(year)


def capacity_accounts(a: PJMAssumptions) -> dict:
    """PJM's accounting of the study year: ICAP and UCAP by class, the reserve margin, the fleet scale.

    The fleet is ``a.class_icap_mw`` where given (a fleet that evolved by class); otherwise RRS
    Table 5's (2026/27) scaled by one factor so that generation ICAP plus demand-response ICAP is
    ``(1 + IRM)`` times the total forecast peak (PJM's installed reserve margin: ICAP over the
    forecast peak, minus one; sources.md P1). UCAP is ICAP times the class ELCC ratings of the
    delivery year (sources.md P2): the model's one UCAP basis.

    Returns
    -------
    dict
        ``scale``, ``peak_mw`` (total 50/50 peak), ``icap_mw``/``ucap_mw`` (totals with DR),
        ``reserve_margin``, ``classes`` (name -> {icap_mw, ucap_mw, elcc}), ``dr_icap_mw``, ``dr_ucap_mw``.
    """
    total_peak = _total_peak(a)
    given = dict(a.class_icap_mw) if a.class_icap_mw is not None else None
    if given is not None:
        gen_icap = sum(given.values())
    else:
        gen_icap = (1.0 + a.irm()) * total_peak - a.demand_response_mw
    if gen_icap <= 0:
        raise InputError("reserve_margin: leaves no room for generation")
    scale = gen_icap / a.model.generation_icap_mw
    classes = {}
    for c in a.model.classes:
        icap = given[c.name] if given is not None else c.icap_mw * scale
        classes[c.name] = {"icap_mw": icap, "ucap_mw": icap * elcc(c, a.year), "elcc": elcc(c, a.year)}
    dr_e = dr_elcc(a.year, a.model)
    icap = gen_icap + a.demand_response_mw
    ucap = sum(v["ucap_mw"] for v in classes.values()) + a.demand_response_mw * dr_e
    return {"scale": scale, "peak_mw": total_peak, "icap_mw": icap, "ucap_mw": ucap,
            "reserve_margin": icap / total_peak - 1.0, "classes": classes,
            "dr_icap_mw": a.demand_response_mw, "dr_ucap_mw": a.demand_response_mw * dr_e}


def _total_peak(a: PJMAssumptions) -> float:
    return float(a.peak_mw) if a.peak_mw is not None else forecast_peak_mw(a.year, a.load_forecast, a.model)
