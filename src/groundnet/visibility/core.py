"""One visibility problem, one event finder: every pass in groundnet comes from ``find_windows``.

    from groundnet.visibility.core import find_windows
    table = find_windows(provider, antennas, start_unix, end_unix)      # a PassTable

The problem: a position provider, antennas with one usable-elevation function
(``Antenna.elevation_floor_deg``: the horizon mask, never below the minimum elevation; or one
``min_elevation_deg`` for every antenna, applied by ``with_min_elevation`` for every strategy), and a window of time. The answer: every window in which
the provider's object is at or above that floor, as the one pass table (``PassTable``).

Providers and the strategy each takes:

* SGP4 element sets (``ElementSet``, a list of them, an ``Sgp4Trajectory``, an Earth-orbiting
  ``missions.Spacecraft``): the compiled dense search of ``visibility.passes`` (interpolated SGP4,
  cone screening, Newton refinement);
* any other trajectory (SPK, OEM, OPM, "at a planet"; a deep-space ``missions.Spacecraft``):
  ``visibility.deepspace``, light time and aberration included; slow movers on a sky model with a
  coarse step and the full solution at every crossing, nearer objects sampled with the full solution;
* a bundle of launch samples (LEOP's nominal and dispersed cases, each with its own span):
  ``visibility.bundle``, the margin sampled over every sample at once and refined by the crossing
  and peak finders every strategy shares (``visibility.events``).

The CLI (``groundnet passes``), the API (``GET /api/v1/passes``), the live planner, the
scheduler's request files and launch support all call here; nothing else samples elevation to
find windows.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Sequence

from ..orbits.elements import ElementSet
from ..orbits.trajectory import Sgp4Trajectory, Trajectory
from ..stations import Antenna
from .bundle import bundle_pass_table, is_sample_bundle
from .deepspace import trajectory_pass_table
from .passes import PassTable, find_passes


def with_min_elevation(antennas: Iterable[Antenna], min_elevation_deg: float | None = None) -> list[Antenna]:
    """The antennas as every search sees them: each with its own floor (horizon mask, never below
    its minimum elevation), or, given ``min_elevation_deg`` (``groundnet passes --min-elevation``, a
    LEOP scenario's ``[stations] min_elevation_deg``), that one threshold for every antenna, which
    replaces both the minimum and the mask.

    The one place an override is applied: the compiled search, the trajectory and launch-sample
    strategies and launch support all take their antennas from here.
    """
    if min_elevation_deg is None:
        return list(antennas)
    return [replace(a, min_elevation_deg=float(min_elevation_deg), horizon_mask=()) for a in antennas]


def usable_elevation_deg(antenna: Antenna, azimuth_deg, min_elevation_deg: float | None = None):
    """The floor a pass must clear at each azimuth: the antenna's (mask and minimum), or one threshold."""
    return with_min_elevation([antenna], min_elevation_deg)[0].elevation_floor_deg(azimuth_deg)


def _split(provider) -> tuple[list[ElementSet], list[Trajectory]]:
    """Element sets (for the compiled search) and other trajectories, from any provider."""
    items = [provider] if isinstance(provider, (ElementSet, Trajectory)) or hasattr(provider, "is_earth_orbiter") \
        else list(provider)
    elements: list[ElementSet] = []
    trajectories: list[Trajectory] = []
    for item in items:
        if isinstance(item, ElementSet):
            elements.append(item)
        elif isinstance(item, Sgp4Trajectory):
            elements.append(item.elements)
        elif isinstance(item, Trajectory):
            trajectories.append(item)
        elif hasattr(item, "is_earth_orbiter"):  # a missions.Spacecraft
            if item.is_earth_orbiter:  # listed under the craft's own name, as its trajectory is
                elements.append(replace(item.elements, name=item.name))
            else:
                trajectories.append(item.trajectory)
        else:
            raise TypeError(f"not a position provider: {item!r} (give element sets, trajectories or spacecraft)")
    return elements, trajectories


def find_windows(provider, antennas: Sequence[Antenna] | Iterable[Antenna], start_unix: float, end_unix: float, *,
                 min_elevation_deg: float | None = None, step_s: float | None = None, progress=None) -> PassTable:
    """Every pass of the provider's objects over the antennas in [start, end], in the canonical order.

    ``provider``: element sets, trajectories or ``missions.Spacecraft`` (one or a list, mixed), or
    one bundle of launch samples (``visibility.bundle``).
    ``step_s``: the sampling step of the trajectory and launch-sample strategies (default: chosen
    from the trajectory's distance; ``bundle.DEFAULT_STEP_S``); the compiled search of element sets
    chooses its own.
    ``progress(n)``: called with the number of element sets done (the compiled search's batches).
    """
    antennas = list(antennas)
    if is_sample_bundle(provider):
        return bundle_pass_table(provider, antennas, start_unix, end_unix, min_elevation_deg=min_elevation_deg,
                                 step_s=step_s)
    elements, trajectories = _split(provider)
    tables = []
    if elements:
        tables.append(find_passes(elements, antennas, start_unix, end_unix, min_elevation_deg=min_elevation_deg,
                                  progress=progress))
    tables += [trajectory_pass_table(tr, antennas, start_unix, end_unix, min_elevation_deg=min_elevation_deg,
                                     step_s=step_s) for tr in trajectories]
    if not tables:
        return find_passes([], antennas, start_unix, end_unix)
    return PassTable.concat(tables).sort() if len(tables) > 1 else tables[0]
