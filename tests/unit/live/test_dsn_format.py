"""DSN Now's number formats, checked on values copied from the 2022-12-07 capture."""

from __future__ import annotations

from groundnet.live.dsn_now import _exp3, _rtlt, _sig4, band_of


def test_numbers_print_as_dsn_now_prints_them():
    # (value, text in ../shared/data/feeds/dsn_now_2022-12-07.xml)
    for value, text in [(265.6, "265.6"), (29.25, "29.25"), (103.0, "103.0"), (7.205, "7.205"), (0.9455, "0.9455"),
                        (0.0, "0.0000"), (87650, "87650"), (28000000, "28000000"), (16.0, "16.00"), (160.0, "160.0"),
                        (11.63, "11.63"), (2090, "2090"), (5.556, "5.556"), (132300, "132300"), (974200, "974200")]:
        assert _sig4(value) == text, value
    assert _exp3(1.653e6) == "1.653e+06" and _exp3(None) == "-1.000e+00"
    assert _rtlt(547.5) == "547.5" and _rtlt(None) == "-1.0000"


def test_bands_by_frequency():
    assert [band_of(f) for f in (2.09e9, 8.439e9, 25.9e9, 32.0e9, 0.4e9)] == ["S", "X", "K", "Ka", "UHF"]
