"""Doppler-corrected radio frequencies, first order in v/c (below 1e-9 of the carrier for Earth orbiters).

The range rate is positive while the object recedes. The station tunes its receiver to what arrives,
``f (1 - rdot / c)``, and its transmitter so that the spacecraft receives ``f``: ``f (1 + rdot / c)``.
Both are the carrier plus or minus the one Doppler shift, ``visibility.geometry.doppler_shift_hz``.
"""

from __future__ import annotations

import math

import numpy as np

from ..visibility.geometry import doppler_shift_hz

# Default step: a change smaller than this is not sent. 10 Hz is under a tenth of an FM or SSB
# channel's tolerance and keeps a LEO pass at 145 MHz to about one radio command per second at most.
DEFAULT_DOPPLER_STEP_HZ = 10.0


def downlink_hz(carrier_hz, range_rate_km_s):
    """Frequency received at the station from a spacecraft transmitting ``carrier_hz``."""
    carrier = np.asarray(carrier_hz, dtype=np.float64)
    return carrier + doppler_shift_hz(range_rate_km_s, carrier)


def uplink_hz(carrier_hz, range_rate_km_s):
    """Frequency to transmit so that the spacecraft receives ``carrier_hz``."""
    carrier = np.asarray(carrier_hz, dtype=np.float64)
    return carrier - doppler_shift_hz(range_rate_km_s, carrier)


class DopplerGate:
    """Decides when a corrected frequency is worth sending: the first time, then on a change of ``step_hz``.

    Frequencies are sent as whole hertz (Hamlib's ``F`` takes Hz): rounding adds at most 0.5 Hz.
    """

    def __init__(self, step_hz: float = DEFAULT_DOPPLER_STEP_HZ):
        if not (math.isfinite(step_hz) and step_hz >= 0):
            raise ValueError(f"Doppler step {step_hz!r}: give a non-negative number of Hz")
        self.step_hz = float(step_hz)
        self.last_hz: float | None = None

    def offer(self, frequency_hz: float) -> float | None:
        """The whole-hertz frequency to send now, or None when the change is below the step."""
        f = float(round(frequency_hz))
        if self.last_hz is not None and abs(f - self.last_hz) < max(self.step_hz, 1.0):
            return None
        return f

    def sent(self, frequency_hz: float) -> None:
        self.last_hz = float(frequency_hz)

    def reset(self) -> None:
        """After a device outage: send the next value whatever its change."""
        self.last_hz = None
