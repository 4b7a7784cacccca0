"""A data-center scenario: a base system, sites, the emergency order and the rotation policy.

Read from TOML by :func:`gigawatt.io.scenario.read_scenario` (see ``docs/datacenters.md``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gigawatt.datacenter.order import DataCenterSite, EmergencyOrder
from gigawatt.datacenter.outages import RotationPolicy
from gigawatt.errors import InputError


@dataclass(frozen=True)
class SystemRef:
    """The base system: a ``.pras`` file or an embedded system name (exactly one).

    The name is resolved (and checked) by :func:`gigawatt.io.catalogue.from_scenario`.
    """

    pras_path: str | None = None
    embedded: str | None = None

    def __post_init__(self):
        if (self.pras_path is None) == (self.embedded is None):
            raise InputError("system: expected exactly one of 'pras' (a .pras path) or 'embedded' (a name)")
        if self.embedded is not None and not isinstance(self.embedded, str):
            raise InputError(f"system.embedded: expected a name, got {self.embedded!r}")


@dataclass(frozen=True)
class Scenario:
    """Everything a data-center adequacy study declares.

    Parameters
    ----------
    name : str
    system : SystemRef
    sites : tuple of DataCenterSite
    order : EmergencyOrder
    rotation : RotationPolicy
    """

    name: str
    system: SystemRef
    sites: tuple = ()
    order: EmergencyOrder = field(default_factory=EmergencyOrder)
    rotation: RotationPolicy = field(default_factory=RotationPolicy)

    def __post_init__(self):
        sites = tuple(self.sites)
        names = [s.name for s in sites]
        for k, n in enumerate(names):
            if names.index(n) != k:
                raise InputError(f"sites[{k}].name: expected a unique name, {n!r} is used by sites[{names.index(n)}]")
        object.__setattr__(self, "sites", sites)

    def check_regions(self, region_names) -> None:
        """Raise if a site, a DR program or an import names a region not in ``region_names``."""
        regions = list(region_names)
        for k, s in enumerate(self.sites):
            if s.region not in regions:
                raise InputError(f"sites[{k}].region: expected one of {regions}, got {s.region!r}")
        for k, d in enumerate(self.order.demand_response):
            if d.region not in regions:
                raise InputError(f"emergency.demand_response[{k}].region: expected one of {regions}, "
                                 f"got {d.region!r}")
        for r in self.order.imports_mw:
            if r not in regions:
                raise InputError(f"emergency.imports_mw.{r}: expected a region in {regions}")
