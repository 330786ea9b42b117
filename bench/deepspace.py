"""Deep-space geometry and passes: groundnet against Skyfield (DE421), measured side by side.

    .venv/bin/python bench/deepspace.py

1. Light-time-corrected pointing and range of Mars from the three ESA 35 m antennas at many receive
   times: groundnet ``link_geometry`` (also gives upleg, RTLT, Doppler, SEP) against Skyfield's
   ``observe().apparent().altaz()`` (downleg only).
2. Passes above 10 deg of Mars over the three antennas for 30 days: groundnet
   ``find_trajectory_passes`` against Skyfield's ``almanac.find_risings`` + ``find_settings``.

Prints a table with the ratio; paste the figures into bench/RESULTS.md (section "deep space").
"""

from __future__ import annotations

import time
import warnings

import numpy as np

warnings.simplefilter("ignore")

from skyfield import almanac  # noqa: E402
from skyfield.api import wgs84  # noqa: E402

from groundnet.orbits.trajectory import AtBodyTrajectory  # noqa: E402
from groundnet.stations import load_network  # noqa: E402
from groundnet.timebase import planetary_ephemeris, skyfield_times  # noqa: E402
from groundnet.visibility.deepspace import find_trajectory_passes, link_geometry  # noqa: E402

START = 1.79e9  # 2026-09-22
N_TIMES = 20_000
DAYS = 30


def best_of(fn, repeat=3):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main() -> None:
    antennas = load_network().select("NNO-1,CEB,MLG")
    mars = AtBodyTrajectory("mars barycenter", name="Mars", object_id="4", error_bound_km=0.0)
    eph = planetary_ephemeris()
    sites = [eph["earth"] + wgs84.latlon(a.latitude_deg, a.longitude_deg, elevation_m=a.altitude_m) for a in antennas]
    times = START + np.linspace(0.0, 86400.0 * DAYS, N_TIMES)
    # Warm both up (ephemeris loading, caches).
    link_geometry(mars, antennas, times[:10])
    sites[0].at(skyfield_times(times[:10])).observe(eph["mars barycenter"]).apparent().altaz()

    ours_t, _ = best_of(lambda: link_geometry(mars, antennas, times))
    sky_t, _ = best_of(lambda: [s.at(skyfield_times(times)).observe(eph["mars barycenter"]).apparent().altaz()
                                for s in sites])

    t0, t1 = START, START + DAYS * 86400.0
    ours_p_t, ours_p = best_of(lambda: find_trajectory_passes(mars, antennas, t0, t1), repeat=1)

    def skyfield_passes():
        out = []
        a, b = skyfield_times(t0), skyfield_times(t1)
        for s in sites:
            out.append(almanac.find_risings(s, eph["mars barycenter"], a, b, horizon_degrees=10.0)[0])
            out.append(almanac.find_settings(s, eph["mars barycenter"], a, b, horizon_degrees=10.0)[0])
        return out

    sky_p_t, sky_p = best_of(skyfield_passes, repeat=1)
    samples = N_TIMES * len(antennas)
    rows = [
        ("light-time pointing + range (samples/s)", samples / ours_t, samples / sky_t),
        (f"passes, 3 antennas x {DAYS} days (station-days/s)", 3 * DAYS / ours_p_t, 3 * DAYS / sky_p_t),
    ]
    print(f"{'measure':<52} {'groundnet':>12} {'skyfield':>12} {'ratio':>7}")
    for name, ours, theirs in rows:
        print(f"{name:<52} {ours:>12.0f} {theirs:>12.0f} {ours / theirs:>7.2f}")
    n_sky = sum(len(x) for x in sky_p) // 2
    print(f"passes found: groundnet {len(ours_p)} (incl. clipped), skyfield {n_sky} risings")


if __name__ == "__main__":
    main()
