"""The package version (one place; read by the package and by checkpoint keys)."""

__version__ = "0.1.0"
