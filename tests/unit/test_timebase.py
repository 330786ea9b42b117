import numpy as np
import pytest

from groundnet.errors import TimeParseError
from groundnet.timebase import format_utc, parse_utc, skyfield_times, to_unix, unix_to_jd


def test_parse_and_format_round_trip():
    t = parse_utc("2026-11-21T08:00:00.123Z")
    assert format_utc(t) == "2026-11-21T08:00:00.123Z"
    assert format_utc(to_unix(t)) == "2026-11-21T08:00:00.123Z"
    assert format_utc(parse_utc("2026-11-21T09:00:00+01:00")) == "2026-11-21T08:00:00.000Z"
    assert format_utc(parse_utc("2026-11-21")) == "2026-11-21T00:00:00.000Z"


def test_bad_time_says_how_to_write_it():
    with pytest.raises(TimeParseError, match="ISO 8601"):
        parse_utc("yesterday")


def test_julian_date_split_and_skyfield_agree():
    unix = to_unix(parse_utc("2026-11-21T08:00:00Z"))
    jd, fr = unix_to_jd(unix)
    assert jd + fr == pytest.approx(2461365.8333333, abs=1e-7)
    t = skyfield_times(np.array([unix, unix + 0.5]))
    # POSIX seconds ignore leap seconds: Skyfield must still read the same civil time.
    assert t.utc_iso(places=1) == ["2026-11-21T08:00:00.0Z", "2026-11-21T08:00:00.5Z"]
