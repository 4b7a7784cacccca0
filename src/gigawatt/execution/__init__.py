"""Where Monte Carlo chunks run: in this process or on a Dask cluster, with checkpoints.

:func:`run_samples` is the entry point that every command sampling a system uses;
an executor (:class:`LocalExecutor`, :class:`DaskExecutor`) decides where chunks
run. Results are bit-identical whatever the executor, worker count or chunking,
because sample ``i`` always draws from the random stream ``(seed, i)`` and the
accumulators' sums are integers. Dask is imported only when a
:class:`DaskExecutor` starts.
"""

from gigawatt.execution.dask_executor import DaskExecutor
from gigawatt.execution.local import Executor, LocalExecutor
from gigawatt.execution.reduce import StreamingReducer, accumulators_equal
from gigawatt.execution.run import run_samples, simulate

__all__ = ["DaskExecutor", "Executor", "LocalExecutor", "StreamingReducer", "accumulators_equal", "run_samples",
           "simulate"]
