"""Shared test fixtures: where the reference data lives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# The suite's property tests draw the same examples on every run (a failure found once is found
# again, and a run of the suite does not depend on luck); `HYPOTHESIS_PROFILE=explore` draws new
# ones each run, to look for cases nobody has seen yet.
settings.register_profile("default", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.fail(f"reference data missing: {SHARED_DATA} (the repository expects ../shared/data beside it)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def full_catalog(shared_data):
    """The element sets of the real 2023-10-09 Space-Track catalog (26,140 objects), loaded once."""
    from groundnet.orbits.catalog import load_catalog

    return load_catalog(shared_data / "catalog" / "spacetrack_full_catalog_3le_2023-10-09.txt").elements


@pytest.fixture
def sqlite_url(tmp_path):
    """A fresh SQLite database for one test."""
    return f"sqlite:///{tmp_path / 'groundnet.sqlite'}"
