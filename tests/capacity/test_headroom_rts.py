"""Reliability headroom of the published test systems (slow: RTS-GMLC runs take tens of seconds)."""

from __future__ import annotations

import pytest

from gigawatt.capacity import BatteryOption, MonteCarlo, reliability_headroom
from gigawatt.systems import ieee_rts79


def test_ieee_rts79_fails_the_standard_and_a_battery_shrinks_the_deficit():
    sys_ = ieee_rts79()
    mc = MonteCarlo(300, 1)
    firm = reliability_headroom(sys_, "lole_d=0.1", mc=mc).crossing
    batt = reliability_headroom(sys_, "lole_d=0.1", mc=mc, resources=(BatteryOption(200, 800, "RTS"),)).crossing
    # LOLE ~1.5 d/yr: about 300-400 MW of firm load would have to go (docs/headroom_reliability.md)
    assert -450 < firm.low_mw < firm.high_mw < -250
    assert firm.high_mw < batt.low_mw < batt.high_mw < -50


@pytest.mark.slow
def test_rts_gmlc_firm_and_battery_headroom(shared_data):
    from gigawatt.io.pras import read_pras

    sys_ = read_pras(shared_data / "pras" / "rts.pras")
    mc = MonteCarlo(500, 1)
    firm = reliability_headroom(sys_, "lole_d=0.1", mc=mc).crossing
    batt = reliability_headroom(sys_, "lole_d=0.1", mc=mc, resources=(BatteryOption(200, 800),)).crossing
    assert 500 < firm.low_mw < firm.high_mw < 900
    assert batt.estimate_mw - firm.estimate_mw > 100
