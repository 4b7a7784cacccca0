"""Fast dynamics of AI training sites: power swings, smoothing, grid frequency.

Numerical core, plain functions over numpy arrays with frozen-dataclass
parameters; units MW, MWh, s, Hz and fractions.

- :mod:`~gigawatt.dynamics.jobs`: training jobs, failure rates, seeded event schedules.
- :mod:`~gigawatt.dynamics.trace`: sub-second site power (numba), PUE with cooling lag.
- :mod:`~gigawatt.dynamics.smoothing`: GPU power floor, filler work, GPU ramp limits.
- :mod:`~gigawatt.dynamics.battery`: site battery and its ramp-limiting controller.
- :mod:`~gigawatt.dynamics.compliance`: ramp rates, steps, band oscillation vs limits.
- :mod:`~gigawatt.dynamics.mitigation`: evaluate mitigations, search the smallest one.
- :mod:`~gigawatt.dynamics.frequency`: interconnection frequency after a trip.
"""

from gigawatt.dynamics.battery import (
    BatteryController,
    BatterySpec,
    ControllerSpec,
    ControlResult,
    run_controller,
)
from gigawatt.dynamics.compliance import ComplianceLimits, ComplianceReport, check_compliance
from gigawatt.dynamics.frequency import (
    Event,
    FrequencyResult,
    FrequencySystem,
    data_center_trip,
    generator_trip,
    simulate_frequency,
)
from gigawatt.dynamics.jobs import JobSpec, draw_schedule, job_mttf_s
from gigawatt.dynamics.mitigation import evaluate, smallest_battery, smallest_floor
from gigawatt.dynamics.smoothing import GpuSmoothing, relative_throughput
from gigawatt.dynamics.trace import SitePowerStream, SiteSpec, SiteTrace, colossus_like_site, site_power

__all__ = [
    "BatteryController", "BatterySpec", "ControllerSpec", "ControlResult", "run_controller",
    "ComplianceLimits", "ComplianceReport", "check_compliance",
    "Event", "FrequencyResult", "FrequencySystem", "data_center_trip", "generator_trip",
    "simulate_frequency",
    "JobSpec", "draw_schedule", "job_mttf_s",
    "evaluate", "smallest_battery", "smallest_floor",
    "GpuSmoothing", "relative_throughput",
    "SitePowerStream", "SiteSpec", "SiteTrace", "colossus_like_site", "site_power",
]
