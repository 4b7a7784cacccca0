"""gigawatt: resource adequacy with gigawatt AI data centers.

The system (what is modelled), the method (how) and the result specs (what to
report) are joined by :func:`assess`.
"""

from gigawatt.assess import assess
from gigawatt.datacenter.system import DataCenterSystem
from gigawatt.methods.convolution import Convolution
from gigawatt.methods.sequential import SequentialMonteCarlo
from gigawatt.results import DataCenters, EventStats, Flow, Shortfall, ShortfallSamples, StorageEnergy, Surplus
from gigawatt.system import (
    GeneratorStorages,
    Generators,
    Interfaces,
    Lines,
    Regions,
    Storages,
    SystemModel,
    TimeAxis,
)

__version__ = "0.1.0"

__all__ = [
    "Convolution", "DataCenterSystem", "DataCenters", "EventStats", "Flow", "GeneratorStorages", "Generators", "Interfaces", "Lines", "Regions",
    "SequentialMonteCarlo", "Shortfall", "ShortfallSamples", "StorageEnergy", "Storages", "Surplus",
    "SystemModel", "TimeAxis", "assess",
]
