"""Stations and antennas: the bundled network and users' own station files."""

from .network import Antenna, Network, load_network, geodetic_to_itrs_km

__all__ = ["Antenna", "Network", "load_network", "geodetic_to_itrs_km"]
