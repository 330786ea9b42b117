"""Visibility: look angles, link geometry and the pass search."""

from .geometry import LookAngles, StationFrames, doppler_shift_hz, light_time_s, look, look_angles
from .passes import PassTable, find_passes

__all__ = [
    "LookAngles",
    "PassTable",
    "StationFrames",
    "doppler_shift_hz",
    "find_passes",
    "light_time_s",
    "look",
    "look_angles",
]
