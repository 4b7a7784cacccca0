"""The methods: how a system is assessed (sequential Monte Carlo, convolution)."""

from gigawatt.methods.sequential import SequentialMonteCarlo

__all__ = ["SequentialMonteCarlo"]
