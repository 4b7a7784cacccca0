"""The outlook as a decision: the gap in GW each year, what each policy closes, a stable verdict, a range.

A planner does not need the loss-of-load expectation of a doomed extrapolation; they need the size
of the problem. For each study year and data-center policy this module answers:

* **Verdict** (:func:`verdict_run`): does the year meet PJM's 0.1 day/yr standard? Samples are
  added in batches until the call is at least ``z_verdict`` (3) standard errors clear of the
  standard, or the cap is reached and the cell is reported ``"undecided"``. A cell with no
  shortfall day at all is judged on an upper bound (:func:`zero_event_upper_bound`), not on a
  standard error of zero. Sample ``i`` is the stream ``(seed, i)`` whatever the batch, so more
  samples extend a run and never replace it.
* **Gap** (:func:`capacity_gap`, :func:`placed_gap`): the perfect firm capacity that must be added to
  hold LOLE at the standard and each LDA zone (Dominion) at PJM's LDA criterion, placed where it relieves
  risk (:mod:`~gigawatt.decision.zonal`): first the zone's own need, then the RTO's further capacity
  spread over the zones in proportion to their load; per year the gap by zone, the import alternative
  and the decomposition from PJM's capacity arithmetic to the model's gap.
  Found on a fixed set of samples (common random numbers: every trial sees the same outage
  histories) by a secant search on log LOLE, which is close to linear in added capacity over the
  range that matters (the tail of the margin distribution is near exponential). Its standard error
  is the jackknife's over the samples; ``low``/``high`` is the prediction interval, where another
  seed's estimate falls (``sqrt(2)`` times wider than the confidence interval ``ci_low``/``ci_high``
  of the crossing itself; :func:`~gigawatt.decision.search.interval_quantiles`).
* **Headroom**: for a year that meets the standard, how many MW of new data centers can connect
  under the policy (each new MW with the policy's battery or on-site generation) before it breaks;
  the same search with added data-center load. Under connect-and-manage the new load is curtailed
  before anyone else; its headroom is reported up to the search's cap.
* **What each policy closes**: the firm policy's gap minus the policy's gap [MW].
* **A range** (:func:`range_scenarios`, :func:`run_range`): the gap of 2030 and 2035 under the
  scenarios that bracket the assumptions (load forecast, data-center growth, net additions, the
  reliability backstop procurement, the transfer limits, the cold and heat models), for a tornado chart;
  :mod:`~gigawatt.decision.headline` states it beside the sampling interval, and what the figures are
  conditional on.

The package, by job: :mod:`~gigawatt.decision.method` (how it is sampled and where it runs),
:mod:`~gigawatt.decision.verdict` (the statistics of a call), :mod:`~gigawatt.decision.search` (the root
finder), :mod:`~gigawatt.decision.placement` (where added capacity goes), :mod:`~gigawatt.decision.zonal`
(the gap by zone), :mod:`~gigawatt.decision.cell`
(one year and policy), :mod:`~gigawatt.decision.run` (every year and policy), :mod:`~gigawatt.decision.range`
(the range), :mod:`~gigawatt.decision.headline` (what the headline says beside the gap) and
:mod:`~gigawatt.decision.results` (what results.json holds). Every sample runs through
:class:`gigawatt.assess.Assessment`, so the decision runs on Dask, resumes from checkpoints and stops
when asked as any assessment does.
"""

from gigawatt.decision.cell import (CellResult, PlacedGap, assess_cell, capacity_gap, firm_gap, firm_gap_by_zone,
                                   placed_gap)
from gigawatt.decision.method import DecisionMethod
from gigawatt.decision.placement import capacity_shares, with_added_capacity
from gigawatt.decision.range import (BACKSTOP_FILED, BACKSTOP_PROPOSED, DC_GROWTH_HIGH_MW_PER_YEAR,
                                     DC_GROWTH_LOW_MW_PER_YEAR, ENTRY_COMPLETION_LOW, ALTERNATIVE_LOAD_FORECAST,
                                     RANGE_YEARS, range_scenarios, run_range)
from gigawatt.decision.run import Decision, run_decision
from gigawatt.decision.search import Search, secant_search
from gigawatt.decision.verdict import STANDARD_LOLE_D, Verdict, judge, verdict_run, zero_event_upper_bound

__all__ = ["BACKSTOP_FILED", "BACKSTOP_PROPOSED", "CellResult", "DC_GROWTH_HIGH_MW_PER_YEAR",
           "DC_GROWTH_LOW_MW_PER_YEAR", "Decision", "DecisionMethod", "ENTRY_COMPLETION_LOW",
           "ALTERNATIVE_LOAD_FORECAST", "PlacedGap", "RANGE_YEARS", "STANDARD_LOLE_D", "Search", "Verdict", "assess_cell",
           "capacity_gap", "capacity_shares", "firm_gap", "firm_gap_by_zone", "judge", "placed_gap", "range_scenarios", "run_decision", "run_range",
           "secant_search", "verdict_run", "with_added_capacity", "zero_event_upper_bound"]
