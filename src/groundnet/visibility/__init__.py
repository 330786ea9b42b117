"""Visibility: look angles, link geometry and the one pass search (``core.find_windows``)."""

from .core import find_windows, usable_elevation_deg
from .geometry import LookAngles, StationFrames, doppler_shift_hz, light_time_s, look, look_angles
from .passes import PassTable, find_passes

__all__ = [
    "LookAngles",
    "PassTable",
    "StationFrames",
    "doppler_shift_hz",
    "find_passes",
    "find_windows",
    "light_time_s",
    "look",
    "look_angles",
    "usable_elevation_deg",
]
