"""The embedded PJM-like default: calibration checks against PJM's real hourly load."""

import numpy as np
import pandas as pd
import pytest

from gigawatt import SequentialMonteCarlo, ShortfallSamples, assess
from gigawatt.errors import InputError
from gigawatt.io import read_pjm_dataminer
from gigawatt.systems import pjm
from gigawatt.outlook import OutlookAssumptions
from gigawatt.systems.pjm import PJMAssumptions, pjm_default, relative_shape


@pytest.fixture(scope="module")
def metered_2025(shared_data):
    d, _ = read_pjm_dataminer(shared_data / "pjm_rto_2025" / "hrl_load_metered.csv")
    return d["load_mw"].tz_convert("America/New_York")


def _model_2025(actual):
    # the 2025 weather year on the 2025 calendar, scaled to the actual mean load
    return relative_shape(2025, 2025) * actual.mean()


def test_peak_energy_and_load_factor(metered_2025):
    model = _model_2025(metered_2025)
    assert model.sum() == pytest.approx(metered_2025.sum(), rel=1e-6)
    assert model.max() == pytest.approx(metered_2025.max(), rel=0.002)  # 160,154 MW in 2025
    assert model.max() / model.mean() == pytest.approx(1.6941, abs=1e-3)


def test_load_duration_curve(metered_2025):
    model = np.sort(_model_2025(metered_2025))[::-1]
    actual = np.sort(metered_2025.values)[::-1]
    # within 6 % from the top to the 90th percentile; the model's night troughs run ~9 % deep
    for q, tol in ((0.01, 0.06), (0.1, 0.06), (0.5, 0.06), (0.9, 0.06), (0.99, 0.10)):
        k = int(q * len(actual))
        assert model[k] == pytest.approx(actual[k], rel=tol), q


def test_seasonal_split(metered_2025):
    model = pd.Series(_model_2025(metered_2025), index=metered_2025.index[:8760])
    for months in ([6, 7, 8], [12, 1, 2]):
        share_m = model[model.index.month.isin(months)].sum() / model.sum()
        share_a = metered_2025[metered_2025.index.month.isin(months)].sum() / metered_2025.sum()
        assert share_m == pytest.approx(share_a, abs=0.01)
    # summer peak above winter peak, as in 2025 (160.2 vs ~145 GW)
    summer = model[model.index.month.isin([6, 7, 8])].max()
    winter = model[model.index.month.isin([12, 1, 2])].max()
    assert summer > winter


@pytest.mark.parametrize("year", [2026, 2030, 2035])
def test_peak_and_energy_match_the_forecast(year):
    # the forecast peak (weather-shaped load + flat data centers) also gives the forecast energy:
    # 2035 net energy 1,328,045 GWh, +4.8 %/yr (PJM 2025 Load Forecast)
    s = OutlookAssumptions(weather_years=(2024, 2025)).system(year)
    load = s.regions.load_mw[0].reshape(2, 8760)
    assert np.median(load.max(axis=1)) == pytest.approx(pjm.forecast_peak_mw(year), rel=1e-9)
    energy = pjm.ENERGY_2035_MWH / (1 + pjm.ENERGY_GROWTH_PER_YR) ** (2035 - year)
    assert load.sum(axis=1).mean() == pytest.approx(energy, rel=0.02)


def test_fleet_and_validation():
    s = pjm_default(PJMAssumptions(year=2026, weather_years=(2024, 2025)))
    cap = s.generators.capacity_mw[:, 0]
    assert 150e3 < cap.sum() < 230e3
    with pytest.raises(InputError, match="weather_years"):
        PJMAssumptions(weather_years=(1990,))


def test_more_data_center_load_never_lowers_risk():
    # common random numbers: the same outage draws, more load -> no sample is better off
    m = SequentialMonteCarlo(samples=12, seed=5, day_utc_offset_h=-5)
    kw = dict(year=2027, weather_years=(2025,), outage_multiplier=2.5, reserve_margin=0.12)
    a = assess(pjm_default(PJMAssumptions(dc_load_mw=0.0, **kw)), m, ShortfallSamples())
    b = assess(pjm_default(PJMAssumptions(dc_load_mw=3000.0, peak_mw=None, **kw)), m, ShortfallSamples())
    assert (b.eue_mwh.values >= a.eue_mwh.values - 1e-6).all()
    assert b.eue_mwh.values.sum() > a.eue_mwh.values.sum()
