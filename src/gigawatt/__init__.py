"""gigawatt: resource adequacy with gigawatt AI data centers."""

__version__ = "0.1.0"
