"""Missions: the spacecraft groundnet knows, their radio links and the bands those use.

``Spacecraft`` and ``Link`` (one type each, for the commands, the live service and the board),
``SpacecraftSummary`` (the board's and the API's view of a craft),
``load_spacecraft`` (the bundled list or a TOML file of the same format), ``load_fleet`` (what the
live service runs), ``get_spacecraft``, ``resolve_trajectory``; ``band_of`` and the band table.
"""

from .bands import BAND_ALLOCATIONS_MHZ, BAND_EDGES_HZ, NEAR_EARTH_ALLOCATIONS_MHZ, band_of
from .spacecraft import (
    Link,
    Spacecraft,
    SpacecraftSummary,
    bundled_spacecraft_path,
    get_spacecraft,
    load_fleet,
    load_spacecraft,
    resolve_trajectory,
)

__all__ = [
    "BAND_ALLOCATIONS_MHZ",
    "BAND_EDGES_HZ",
    "NEAR_EARTH_ALLOCATIONS_MHZ",
    "Link",
    "Spacecraft",
    "SpacecraftSummary",
    "band_of",
    "bundled_spacecraft_path",
    "get_spacecraft",
    "load_fleet",
    "load_spacecraft",
    "resolve_trajectory",
]
