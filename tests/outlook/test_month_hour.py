"""When shortfalls happen: the month x hour map reads every weather year on the study year's calendar, in the
grid's own clock."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from gigawatt.outlook import _month_hour, clock_name, timezone_of

H = 8760


def _system(start_utc: str, years: int):
    ts = pd.date_range(start_utc, periods=years * H, freq="h", tz="UTC")
    return SimpleNamespace(timeaxis=SimpleNamespace(timestamps=ts))


def _short(lolp):
    return SimpleNamespace(period=SimpleNamespace(lolp=pd.Series(lolp)))


def test_each_weather_year_is_read_on_the_study_years_calendar():
    """Four weather years from 2026: the axis' running timestamps put the fourth year's first hour on
    31 Dec 2028 (2028 has 29 Feb); it is 1 Jan 00:00 like every weather year's first hour."""
    lolp = np.zeros(4 * H)
    lolp[3 * H] = 1.0  # the fourth weather year's first hour
    lolp[H + 5] = 1.0  # the second's sixth hour: 1 Jan 05:00
    g = np.asarray(_month_hour(_system("2026-01-01T05:00Z", 4), _short(lolp)))
    # January's 31 x 4 hours at 00:00 hold one shortfall hour, those at 05:00 one
    assert g[0, 0] == pytest.approx(1 / 124) and g[0, 5] == pytest.approx(1 / 124)
    assert g[11].sum() == 0.0 and g.sum() == pytest.approx(2 / 124)


def test_the_map_is_in_the_grids_clock():
    """A grid on US Central time starts its axis at 06:00 UTC (its midnight); its first hour is hour 0 on its
    clock, hour 1 on Eastern's."""
    lolp = np.zeros(H)
    lolp[0] = 1.0
    central = np.asarray(_month_hour(_system("2026-01-01T06:00Z", 1), _short(lolp), "America/Chicago"))
    eastern = np.asarray(_month_hour(_system("2026-01-01T06:00Z", 1), _short(lolp)))
    assert central[0, 0] > 0 and central[0].sum() == central[0, 0]
    assert eastern[0, 1] > 0 and eastern[0, 0] == 0.0
    assert clock_name("America/Chicago") == "US Central" and clock_name("Europe/Paris") == "Europe/Paris"


def test_the_clock_of_an_outlook_is_its_descriptions():
    from gigawatt.grids import GridOutlook
    from gigawatt.io.grid import load_grid
    from gigawatt.outlook import OutlookAssumptions

    assert timezone_of(OutlookAssumptions()) == "America/New_York"
    assert timezone_of(GridOutlook(load_grid("ercot"), years=(2026,))) == "America/Chicago"
