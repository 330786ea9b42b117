"""Orbits: element sets (TLE, OMM), trajectories (SPK, OEM, OPM) and batch propagation."""

from .elements import ElementSet

__all__ = ["ElementSet"]
