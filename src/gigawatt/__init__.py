"""gigawatt: resource adequacy with gigawatt AI data centers.

The system (what is modelled), the method (how) and the result specs (what to
report) are joined by :func:`assess`.

The public names below are imported on first use (PEP 562), so that ``import gigawatt``
and the command line's ``--help`` do not load numba, numpy or pandas;
``from gigawatt import assess, SequentialMonteCarlo`` works as before.
"""

import importlib
import sys
import types

from gigawatt._version import __version__

#: public name -> module it comes from
_SOURCES = {
    "assess": "gigawatt.assess",
    "Assessment": "gigawatt.assess",
    "DataCenterSystem": "gigawatt.datacenter.system",
    "Convolution": "gigawatt.methods.convolution",
    "SequentialMonteCarlo": "gigawatt.methods.sequential",
    **{name: "gigawatt.results" for name in ("DataCenters", "EventStats", "Flow", "Shortfall", "ShortfallSamples",
                                             "StorageEnergy", "Surplus")},
    **{name: "gigawatt.system" for name in ("GeneratorStorages", "Generators", "Interfaces", "Lines", "Regions",
                                            "Storages", "SystemModel", "TimeAxis")},
}

__all__ = [
    "Assessment", "Convolution", "DataCenterSystem", "DataCenters", "EventStats", "Flow", "GeneratorStorages", "Generators", "Interfaces", "Lines", "Regions",
    "SequentialMonteCarlo", "Shortfall", "ShortfallSamples", "StorageEnergy", "Storages", "Surplus",
    "SystemModel", "TimeAxis", "assess",
]


def __getattr__(name: str):
    source = _SOURCES.get(name)
    if source is None:
        raise AttributeError(f"module 'gigawatt' has no attribute {name!r}")
    value = getattr(importlib.import_module(source), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    """The package module: ``gigawatt.assess`` stays the function after ``import gigawatt.assess``.

    Importing a submodule binds its name on the package; for ``assess`` that name is also the public
    function (as the eager ``from gigawatt.assess import assess`` made it), so the function is kept.
    """

    def __setattr__(self, name, value):
        if isinstance(value, types.ModuleType) and _SOURCES.get(name) == value.__name__:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
