"""Input checks of the dynamics parameter classes: the shared ones of :mod:`gigawatt.validation`."""

from gigawatt.validation import finite, fraction, non_negative, positive

__all__ = ["finite", "fraction", "non_negative", "positive"]
