"""Monte Carlo estimates: a mean with its standard error."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Estimate:
    """A Monte Carlo estimate.

    Attributes
    ----------
    mean : float
    stderr : float
        Standard error of the mean (sample standard deviation / sqrt(n)); 0 for exact values.
    """

    mean: float
    stderr: float

    @classmethod
    def of(cls, values) -> "Estimate":
        """Mean and standard error of per-sample values (computed in a fixed order)."""
        v = np.asarray(values, dtype=np.float64)
        n = v.shape[0]
        mean = float(v.sum() / n)
        if n < 2:
            return cls(mean, math.nan)
        var = float(((v - mean) ** 2).sum() / (n - 1))
        return cls(mean, math.sqrt(var / n))

    @classmethod
    def exact(cls, value: float) -> "Estimate":
        return cls(float(value), 0.0)

    def scaled(self, k: float) -> "Estimate":
        return Estimate(self.mean * k, self.stderr * k)

    def to_dict(self) -> dict:
        return {"mean": self.mean, "stderr": self.stderr}

    def within(self, value: float, n_se: float = 3.0) -> bool:
        """True if ``value`` lies within ``n_se`` standard errors of the mean."""
        return abs(self.mean - value) <= n_se * self.stderr

    def __repr__(self) -> str:
        return f"{self.mean:.6g} ± {self.stderr:.2g}"


__all__ = ["Estimate"]
