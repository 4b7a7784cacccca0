"""Systems shared by the engine's tests."""

import pytest

from gigawatt.datacenter.contracts import ConnectAndManage, Firm
from gigawatt.datacenter.order import DataCenterSite
from gigawatt.datacenter.power import Fleet, SitePower
from gigawatt.datacenter.resources import OnsiteGeneration, SiteBattery
from gigawatt.datacenter.system import DataCenterSystem
from gigawatt.io.pras import read_pras


@pytest.fixture(scope="module")
def rts_dc(shared_data):
    """RTS-GMLC +300 MW with a 1 GW connect-and-manage site in region 3 and a firm site with a battery and
    on-site generation in 1 (short in a few hundred periods a sample)."""
    grid = read_pras(shared_data / "pras/rts.pras").with_added_load(300.0)
    cm = DataCenterSite("cm", "3", SitePower((Fleet("GB200", 550_000),)), ConnectAndManage(),
                        battery=SiteBattery.megapack2xl(50))
    firm = DataCenterSite("firm", "1", SitePower((Fleet("H100", 100_000),)), Firm(),
                          battery=SiteBattery.megapack2xl(40), generation=OnsiteGeneration(4, 30.0))
    return DataCenterSystem(grid, (cm, firm))
