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


def test_tai_minus_utc_counts_leap_seconds():
    # IERS Bulletin C 52 (2016): TAI-UTC = 36 s until 2016-12-31T23:59:60, 37 s from 2017-01-01T00:00:00;
    # 19 s from 1980-01-01 (Bulletin C list); 10 s is the 1972-01-01 starting offset.
    from groundnet.timebase import tai_minus_utc_s

    t = [to_unix(parse_utc(s)) for s in ("2016-12-31T23:59:59Z", "2017-01-01T00:00:00Z", "1980-06-01T00:00:00Z", "1972-03-01T00:00:00Z")]
    assert tai_minus_utc_s(t).tolist() == [36.0, 37.0, 19.0, 10.0]
