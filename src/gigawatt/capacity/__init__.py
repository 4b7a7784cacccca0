"""Reliability headroom and capacity value (issue 6), built on the adequacy engine's public API.

* :func:`reliability_headroom`: the largest new load [MW] within a reliability target,
  as a Monte Carlo interval (firm, capped or connect-and-manage contracts, with batteries,
  on-site generation or demand response);
* :func:`elcc` and :func:`efc`: capacity value of a resource;
* :func:`sweep`: headroom against the size of a flexibility option, as a table and chart.
"""

from gigawatt.capacity.builders import (
    BatteryOption,
    CappedLoad,
    DemandResponseOption,
    FirmLoad,
    OnsiteGenerationOption,
    PerfectGenerator,
    Placement,
)
from gigawatt.capacity.load_headroom import ConnectAndManageLoad, HeadroomResult, parse_contract, reliability_headroom
from gigawatt.capacity.search import Crossing, Trial, find_crossing
from gigawatt.capacity.targets import METRICS, MonteCarlo, Target

__all__ = [
    "METRICS", "BatteryOption", "CappedLoad", "ConnectAndManageLoad", "Crossing", "DemandResponseOption", "FirmLoad",
    "HeadroomResult", "MonteCarlo", "OnsiteGenerationOption", "PerfectGenerator", "Placement", "Target", "Trial", "find_crossing",
    "parse_contract", "reliability_headroom",
]
