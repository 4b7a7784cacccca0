"""The system: what is modelled (immutable, validated once)."""

from gigawatt.system.components import (
    GeneratorStorages,
    Generators,
    Interfaces,
    Lines,
    Regions,
    Storages,
    TimeAxis,
)
from gigawatt.system.model import SystemModel

__all__ = [
    "GeneratorStorages",
    "Generators",
    "Interfaces",
    "Lines",
    "Regions",
    "Storages",
    "SystemModel",
    "TimeAxis",
]
