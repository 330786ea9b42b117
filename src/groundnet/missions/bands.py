"""Radio bands: the band letter of a frequency, and the allocation centre shown where a mission's
own channel is not published.
"""

from __future__ import annotations

# Band letters as groundnet names them (IEEE Std 521 radar bands, Hz), lower edge inclusive. X starts at
# 7 GHz rather than 8 so that it holds the X-band space allocations below 8 GHz (deep-space uplink
# 7145-7190 MHz, meteorological-satellite downlink 7750-7900 MHz).
BAND_EDGES_HZ = {
    "VHF": (30e6, 300e6),
    "UHF": (300e6, 1e9),
    "L": (1e9, 2e9),
    "S": (2e9, 4e9),
    "C": (4e9, 7e9),
    "X": (7e9, 12e9),
    "Ku": (12e9, 18e9),
    "K": (18e9, 27e9),
    "Ka": (27e9, 40e9),
}


def band_of(frequency_hz: float) -> str:
    """The band letter of a frequency (``BAND_EDGES_HZ``), or ``"?"`` outside them all."""
    for band, (low, high) in BAND_EDGES_HZ.items():
        if low <= frequency_hz < high:
            return band
    return "?"


# Centres of the ITU allocations (Radio Regulations Art. 5; SFCG) for a band and direction when a
# mission's own channel is not published: a display value, never a measured frequency.
BAND_ALLOCATIONS_MHZ = {
    ("S", "up"): (2025.0, 2110.0),
    ("S", "down"): (2200.0, 2290.0),
    ("X", "up"): (7145.0, 7190.0),  # deep space, category B
    ("X", "down"): (8400.0, 8450.0),  # deep space, category B
    ("Ka", "up"): (34200.0, 34700.0),
    ("Ka", "down"): (31800.0, 32300.0),
}
# Earth orbiters (within 2 million km, category A) may not use the deep-space X-band allocations;
# their X-band downlinks sit in the Earth exploration-satellite allocation 8025-8400 MHz.
NEAR_EARTH_ALLOCATIONS_MHZ = {
    ("X", "down"): (8025.0, 8400.0),
}
