"""Site power model against sources.md F4 figures (hand-computed)."""

import numpy as np
import pytest

from gigawatt.datacenter.power import ACCELERATORS, Fleet, SitePower, colossus2, inference_profile, site_profile
from gigawatt.errors import InputError


def test_h100_it_power_per_gpu_matches_published_figures():
    h100 = ACCELERATORS["H100"]
    # (700 + 575) * 1.10 = 1402.5 W; sources.md F4: "~1.4 kW IT per H100"
    assert h100.it_w() == pytest.approx(1402.5)
    # DGX H100: 8 * (700 + 575) = 10.2 kW nameplate
    assert h100.rack_kw == pytest.approx(10.2)


def test_nvl72_racks():
    assert ACCELERATORS["GB200"].rack_kw == pytest.approx(120.0)
    assert ACCELERATORS["GB300"].rack_kw == pytest.approx(140.0)


def test_gb200_facility_power_per_gpu_near_meta_figure():
    site = SitePower((Fleet("GB200", 1000),), pue=1.1, gpu_utilisation=0.8)
    per_gpu_kw = site.peak_facility_mw / 1000 * 1e3
    # (960 + 466.67) * 1.1 * 1.1 = 1726.3 W; Meta 150 MW / 83k GB200 = 1.81 kW
    assert per_gpu_kw == pytest.approx((960 + 120_000 / 72 - 1200) * 1.1 * 1.1 / 1e3)
    assert abs(per_gpu_kw - 150e3 / 83e3) / (150e3 / 83e3) < 0.06


def test_colossus2_preset_is_about_one_gigawatt():
    s = colossus2()
    assert s.n_gpus == 550_000
    gb200 = (0.8 * 1200 + 120_000 / 72 - 1200) * 1.1
    gb300 = (0.8 * 1400 + 140_000 / 72 - 1400) * 1.1
    assert s.it_mw() == pytest.approx(275_000 * (gb200 + gb300) / 1e6)
    assert s.peak_facility_mw == pytest.approx(1028.567, abs=1e-3)


def test_cap_free_split_gpu_vs_non_gpu():
    s = SitePower((Fleet("H100", 1000),), pue=1.0, gpu_utilisation=1.0)
    assert s.gpu_mw() == pytest.approx(0.7)
    assert s.non_gpu_it_mw() == pytest.approx(0.575 * 1.1)
    assert s.it_mw(0.5) == pytest.approx(0.575 * 1.1 + 0.35 * 1.1)


def test_pue_rises_with_temperature():
    s = SitePower((Fleet("H100", 1000),), pue=1.1, pue_per_c=0.005, pue_ref_c=20.0)
    np.testing.assert_allclose(s.pue_at([10.0, 20.0, 35.0]), [1.1, 1.1, 1.175])
    f = s.facility_mw(1.0, np.array([10.0, 35.0]))
    assert f[1] / f[0] == pytest.approx(1.175 / 1.1)


def test_inference_profile_peak_and_trough():
    p = inference_profile(24, trough=0.5, peak_hour=15)
    assert p[15] == pytest.approx(1.0) and p[3] == pytest.approx(0.5)
    s = SitePower((Fleet("H100", 10),), training_share=0.25)
    np.testing.assert_allclose(site_profile(s, 24), 0.25 + 0.75 * p)


def test_validation_names_field():
    with pytest.raises(InputError, match="pue: expected a value >= 1"):
        SitePower((Fleet("H100", 10),), pue=0.9)
    with pytest.raises(InputError, match="accelerator: expected one of"):
        Fleet("A100", 10)
    with pytest.raises(InputError, match="n_gpus"):
        Fleet("H100", 0)
