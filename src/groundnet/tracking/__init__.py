"""The tracking core: per-second pointing and Doppler of one object from one antenna.

* :mod:`.target`: the object's apparent position and range rate on a one-second grid, from the
  engine's own geometry (``visibility.geometry.look`` for element sets, ``visibility.deepspace.
  link_geometry`` for any other trajectory), interpolated between samples;
* :mod:`.pointing`: the rotator (azimuth range and overwind, flip-over, limits, slew rates) and the
  path a pass is driven along (never unwinding mid-pass when a path without an unwind exists);
* :mod:`.doppler`: downlink and uplink frequencies corrected for the range rate, sent only when the
  change exceeds a step.

No I/O and no clock here: the station agent (``groundnet.agent``) drives devices with these.
"""

from .doppler import DopplerGate, downlink_hz, uplink_hz
from .pointing import AZ_RANGES, PassPath, Rotator, angular_separation_deg, plan_path
from .target import TargetTrack

__all__ = ["AZ_RANGES", "DopplerGate", "PassPath", "Rotator", "TargetTrack", "angular_separation_deg",
           "downlink_hz", "plan_path", "uplink_hz"]
