"""CSPICE is not thread-safe: the live service reads spacecraft kernels from several threads at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from groundnet.orbits.spk import geocentric_states, unix_to_et

SOLO_SPK = "ephemerides/solo_ANC_soc-orbit_20200210-20301118_L006_V1_00018_V01.bsp"


def test_threads_reading_one_kernel_at_once_get_the_serial_states(shared_data):
    path = str(shared_data / SOLO_SPK)
    et = unix_to_et(np.linspace(1795240800.0, 1795240800.0 + 3 * 86400, 2000))
    serial = geocentric_states(path, -144, et)
    # Unguarded, four readers corrupt CSPICE's file table within a few rounds (SPICE(DAFFRNOTFOUND),
    # SPICE(INVALIDVALUE)) and can crash the process.
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: geocentric_states(path, -144, et), range(96)))
    for states in results:
        np.testing.assert_array_equal(states, serial)
