"""Physical and geodetic constants, each defined once for the whole of groundnet.

Two Earth models are in use on purpose, each where its data were made with it:

* WGS-72 for SGP4: element sets (TLE, OMM) are mean elements fitted with WGS-72's gravitational
  parameter and radius, and SGP4 must run with the constants they were fitted with (Vallado et
  al., "Revisiting Spacetrack Report #3", AIAA 2006-6753, section "Gravitational constants").
* WGS-84 for everything on the ground (station coordinates, geodetic latitude and height,
  sub-points) and for the numerical propagator (EGM2008 shares WGS-84's GM and radius).

Units are in the names: km, s, rad.
"""

from __future__ import annotations

# Speed of light in vacuum (exact, SI definition of the metre).
SPEED_OF_LIGHT_KM_S = 299_792.458

# Nominal mean angular velocity of the Earth (WGS-84; also the IERS Conventions 2010 value).
EARTH_ROTATION_RAD_S = 7.292115e-5

# WGS-84 ellipsoid: stations, geodetic coordinates, sub-points.
WGS84_A_KM = 6378.137
WGS84_F = 1.0 / 298.257223563
WGS84_GM_KM3_S2 = 398_600.4418  # WGS-84 / EGM2008

# WGS-72, the constants SGP4 element sets are fitted with.
WGS72_GM_KM3_S2 = 398_600.8
WGS72_A_KM = 6378.135
WGS72_J2 = 0.001082616

# Astronomical unit (IAU 2012, exact) and the day.
AU_KM = 149_597_870.700
DAY_S = 86_400.0
