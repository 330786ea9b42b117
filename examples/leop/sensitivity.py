"""How much the shipped examples' answers depend on their unpublished parameters.

Varies one injection parameter at a time around the example's nominal value (no dispersions)
and prints a Markdown table: the first station, its AOS from lift-off, and the elevation at the
station of interest at given times. docs/leop.md shows its output.

    .venv/bin/python examples/leop/sensitivity.py
"""

from __future__ import annotations

import dataclasses

import numpy as np

from groundnet.leop import load_scenario
from groundnet.leop.acquisition import analyse_launch, scenario_antennas
from groundnet.timebase import parse_utc, to_unix



def sweep(scenario: str, parameter: str, values, station: str, at_utc: list[str], *, offsets: bool = False) -> list[str]:
    """``values`` are absolute, or (``offsets``) added to the scenario's nominal value."""
    sc = load_scenario(scenario)
    sc = dataclasses.replace(sc, dispersions=dataclasses.replace(sc.dispersions, method="none"))
    antennas = scenario_antennas(sc)
    st = [a.id for a in antennas].index(station)
    at = np.array([to_unix(parse_utc(s)) for s in at_utc])
    head = f"| {parameter} | first station | first AOS (from lift-off) | " + " | ".join(f"{station} el. at {s[11:16]} UTC" for s in at_utc) + " |"
    lines = [head, "|" + "---|" * (3 + len(at_utc))]
    nominal = getattr(sc.injection, parameter)
    if offsets:
        values = [round(nominal + d, 3) for d in values]
    for v in values:
        trial = dataclasses.replace(sc, injection=dataclasses.replace(sc.injection, **{parameter: v}))
        res = analyse_launch(trial, trial.launch_times_unix[0], antennas, with_pointing=False)
        first = res.acquisitions[0] if res.acquisitions else None
        look = res.track.look(np.full(at.shape, st), np.zeros(at.shape, dtype=int), at)
        els = " | ".join(f"{e:.1f}" for e in look["elevation_deg"])
        mark = " (nominal)" if v == nominal else ""
        aos = f"{first['aos'][11:19]} (+{first['aos_from_liftoff_s'] / 3600:.3f} h)" if first else "none"
        lines.append(f"| {v:g}{mark} | {first['station_id'] if first else '-'} | {aos} | {els} |")
    return lines


if __name__ == "__main__":
    sections = [
        ("galileo_vs15", "downrange_from_site_deg", [195, 205, 215, 225, 235, 245, 255], "NNO-1",
         ["2016-05-24T12:37:40Z", "2016-05-24T13:37:40Z"]),
        ("exomars_2016", "time_since_perigee_s", [0, 300, 600, 1200, 1800], "MLI", ["2016-03-14T21:25:00Z", "2016-03-14T21:29:00Z"]),
        ("exomars_2016", "perigee_altitude_km", [180, 250, 500, 1000], "MLI", ["2016-03-14T21:25:00Z", "2016-03-14T21:29:00Z"]),
        ("exomars_2016", "c3_km2_s2", [8.0, 11.0, 14.701, 18.0], "MLI", ["2016-03-14T21:25:00Z", "2016-03-14T21:29:00Z"]),
    ]
    relative = [
        ("exomars_2016", "arg_perigee_deg", [-60, -30, -15, 0, 15, 30, 45, 60], "MLI", ["2016-03-14T21:25:00Z", "2016-03-14T21:29:00Z"]),
        ("exomars_2016", "raan_deg", [-5, -2, 0, 2, 5], "MLI", ["2016-03-14T21:25:00Z", "2016-03-14T21:29:00Z"]),
        ("exomars_2016", "inclination_deg", [-1.0, -0.5, 0, 0.5], "MLI", ["2016-03-14T21:25:00Z", "2016-03-14T21:29:00Z"]),
    ]
    for (scen, param, values, station, at), rel in [(s, False) for s in sections] + [(s, True) for s in relative]:
        print(f"\n{scen}: {param}\n")
        print("\n".join(sweep(scen, param, values, station, at, offsets=rel)))
