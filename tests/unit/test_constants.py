"""Physical constants are written once (groundnet/constants.py); every module imports them."""

from __future__ import annotations

import re
from pathlib import Path

import groundnet
from groundnet import constants

PACKAGE = Path(groundnet.__file__).resolve().parent
# The digits of each constant's value as a literal would spell them.
LITERALS = {
    "SPEED_OF_LIGHT_KM_S": r"299[_,]?792\.458",
    "EARTH_ROTATION_RAD_S": r"7\.292115",
    "WGS84_A_KM / WGS72_A_KM": r"6378\.13[57]",
    "WGS84_GM_KM3_S2 / WGS72_GM_KM3_S2": r"398[_,]?600\.",
    "WGS84_F": r"298\.257",
}


def test_no_module_writes_a_constant_of_its_own():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "constants.py":
            continue
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.relative_to(PACKAGE)}: {name}" for name, pattern in LITERALS.items()
                      if re.search(pattern, text)]
    assert not offenders, "import these from groundnet.constants: " + "; ".join(offenders)


def test_one_value_each():
    from groundnet.orbits import frames, numerical, propagation, validation
    from groundnet.stations import network
    from groundnet.visibility import geometry, passes

    assert frames.EARTH_ROTATION_RAD_S is passes.EARTH_ROTATION_RAD_S is constants.EARTH_ROTATION_RAD_S
    assert propagation.EARTH_RADIUS_KM == validation.EARTH_RADIUS_KM == constants.WGS72_A_KM  # SGP4: WGS-72
    assert network.WGS84_A_KM == numerical.R_EARTH_KM == constants.WGS84_A_KM  # ground and numerical: WGS-84
    assert geometry.SPEED_OF_LIGHT_KM_S == constants.SPEED_OF_LIGHT_KM_S
