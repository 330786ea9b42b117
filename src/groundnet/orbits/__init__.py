"""Orbits: element sets (TLE, OMM), trajectories (SPK, OEM, OPM) and batch propagation."""

from .catalog import CatalogLoad, load_catalog, parse_catalog_text
from .elements import ElementSet

__all__ = ["CatalogLoad", "ElementSet", "load_catalog", "parse_catalog_text"]
