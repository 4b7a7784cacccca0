"""The methods: how a system is assessed (sequential Monte Carlo, convolution)."""

# first: kernels are cached in a user cache folder, keyed on their sources (see _numba_cache)
from gigawatt.methods import _numba_cache  # noqa: F401
from gigawatt.methods.sequential import SequentialMonteCarlo

__all__ = ["SequentialMonteCarlo"]
