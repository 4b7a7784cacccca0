"""Estimates with standard errors live in :mod:`gigawatt.stats` (below every layer that reports
them); this module keeps the old import path working."""

from gigawatt.stats import *  # noqa: F401,F403
from gigawatt.stats import __all__  # noqa: F401
