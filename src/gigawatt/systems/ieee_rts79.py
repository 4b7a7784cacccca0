"""The 1979 IEEE Reliability Test System, generating system (HL-I), built from its published tables.

Source: IEEE RTS Task Force of the APM Subcommittee, "IEEE Reliability Test System",
IEEE Trans. Power Apparatus and Systems PAS-98(6), 2047-2054, 1979
(https://doi.org/10.1109/TPAS.1979.319398): Table 1 (weekly peak load in percent of
the annual peak), Table 2 (daily peak in percent of the weekly peak), Table 3 (hourly
load in percent of the daily peak, by season and weekday/weekend) and Table 5
(generating unit reliability data: capacity, forced outage rate, MTTF, MTTR).
Annual peak 2,850 MW; 32 units, 3,405 MW; 52 weeks x 7 days x 24 hours = 8,736 hours;
the year starts on a Monday.

Published HL-I indices without load forecast uncertainty (Allan, Billinton and
Abdel-Gawad, "The IEEE Reliability Test System - Extensions to and Evaluation of the
Generating System", IEEE Trans. Power Systems PWRS-1(4), 1-7, 1986,
https://doi.org/10.1109/TPWRS.1986.4335006): LOLE 1.36886 days/yr (daily peak loads),
LOLE 9.39418 h/yr (hourly loads), LOEE 1,176 MWh/yr.
"""

from __future__ import annotations

import numpy as np

from gigawatt.system import Generators, Regions, SystemModel, TimeAxis

#: published HL-I indices (Allan, Billinton and Abdel-Gawad 1986, Table 2 base case)
PUBLISHED_LOLE_DAILY_PEAK_D = 1.36886
PUBLISHED_LOLE_HOURLY_H = 9.39418
PUBLISHED_LOEE_MWH = 1176.0

#: annual peak load [MW] (1979 paper)
PEAK_LOAD_MW = 2850.0

#: Table 1: weekly peak load [% of annual peak], weeks 1..52
WEEKLY_PEAK_PCT = np.array([
    86.2, 90.0, 87.8, 83.4, 88.0, 84.1, 83.2, 80.6, 74.0, 73.7, 71.5, 72.7, 70.4, 75.0, 72.1, 80.0, 75.4, 83.7,
    87.0, 88.0, 85.6, 81.1, 90.0, 88.7, 89.6, 86.1, 75.5, 81.6, 80.1, 88.0, 72.2, 77.6, 80.0, 72.9, 72.6, 70.5,
    78.0, 69.5, 72.4, 72.4, 74.3, 74.4, 80.0, 88.1, 88.5, 90.9, 94.0, 89.0, 94.2, 97.0, 100.0, 95.2,
])

#: Table 2: daily peak load [% of weekly peak], Monday..Sunday
DAILY_PEAK_PCT = np.array([93.0, 100.0, 98.0, 96.0, 94.0, 77.0, 75.0])

#: Table 3: hourly load [% of daily peak], hours 0-1 .. 23-24
HOURLY_PCT = {
    ("winter", "weekday"): [67, 63, 60, 59, 59, 60, 74, 86, 95, 96, 96, 95, 95, 95, 93, 94, 99, 100, 100, 96, 91,
                            83, 73, 63],
    ("winter", "weekend"): [78, 72, 68, 66, 64, 65, 66, 70, 80, 88, 90, 91, 90, 88, 87, 87, 91, 100, 99, 97, 94,
                            92, 87, 81],
    ("summer", "weekday"): [64, 60, 58, 56, 56, 58, 64, 76, 87, 95, 99, 100, 99, 100, 100, 97, 96, 96, 93, 92, 92,
                            93, 87, 72],
    ("summer", "weekend"): [74, 70, 66, 65, 64, 62, 62, 66, 81, 86, 91, 93, 93, 92, 91, 91, 92, 94, 95, 95, 100,
                            93, 88, 80],
    ("spring_fall", "weekday"): [63, 62, 60, 58, 59, 65, 72, 85, 95, 99, 100, 99, 93, 92, 90, 88, 90, 92, 96, 98,
                                 96, 90, 80, 70],
    ("spring_fall", "weekend"): [75, 73, 69, 66, 65, 65, 68, 74, 83, 89, 92, 94, 91, 90, 90, 86, 85, 88, 92, 100,
                                 97, 95, 90, 85],
}

#: Table 5: (unit size [MW], number of units, forced outage rate, MTTF [h], MTTR [h], type)
UNITS = [
    (12.0, 5, 0.02, 2940.0, 60.0, "Oil/Steam"),
    (20.0, 4, 0.10, 450.0, 50.0, "Oil/CT"),
    (50.0, 6, 0.01, 1980.0, 20.0, "Hydro"),
    (76.0, 4, 0.02, 1960.0, 40.0, "Coal/Steam"),
    (100.0, 3, 0.04, 1200.0, 50.0, "Oil/Steam"),
    (155.0, 4, 0.04, 960.0, 40.0, "Coal/Steam"),
    (197.0, 3, 0.05, 950.0, 50.0, "Oil/Steam"),
    (350.0, 1, 0.08, 1150.0, 100.0, "Coal/Steam"),
    (400.0, 2, 0.12, 1100.0, 150.0, "Nuclear"),
]


def _season(week: int) -> str:
    """Season of a 1-based week number (1979 paper, Table 3 notes)."""
    if week <= 8 or week >= 44:
        return "winter"
    if 18 <= week <= 30:
        return "summer"
    return "spring_fall"


def hourly_load_pu() -> np.ndarray:
    """Hourly load [per unit of the annual peak], 8,736 hours from a Monday 00:00."""
    out = np.empty(52 * 7 * 24)
    k = 0
    for w in range(52):
        season = _season(w + 1)
        for d in range(7):
            kind = "weekday" if d < 5 else "weekend"
            base = WEEKLY_PEAK_PCT[w] / 100.0 * DAILY_PEAK_PCT[d] / 100.0
            out[k:k + 24] = base * np.asarray(HOURLY_PCT[(season, kind)]) / 100.0
            k += 24
    return out


def ieee_rts79(peak_load_mw: float = PEAK_LOAD_MW, start: str = "1979-01-01T00:00:00Z") -> SystemModel:
    """The 1979 IEEE RTS generating system as a one-region :class:`SystemModel`.

    Parameters
    ----------
    peak_load_mw : float
        Annual peak load [MW] (2,850 in the paper).
    start : str
        Label of the first hour (1 January 1979 was a Monday, as the model requires).

    Notes
    -----
    Hourly transition probabilities are lambda = 1/MTTF and mu = 1/MTTR, so that the
    forced outage rate lambda/(lambda+mu) equals Table 5's FOR exactly.
    """
    load = hourly_load_pu() * peak_load_mw
    T = load.shape[0]
    names, cats, cap, lam, mu = [], [], [], [], []
    for size, count, _for, mttf, mttr, kind in UNITS:
        for i in range(count):
            names.append(f"{kind} {int(size)} MW #{i + 1}")
            cats.append(kind)
            cap.append(size)
            lam.append(1.0 / mttf)
            mu.append(1.0 / mttr)
    gens = Generators(names, cats, ["RTS"] * len(names), np.array(cap), np.array(lam), np.array(mu), n_periods=T)
    return SystemModel(TimeAxis(start, 1.0, T), Regions(["RTS"], load[None, :]), gens)
