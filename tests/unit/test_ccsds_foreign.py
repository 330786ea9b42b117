"""CCSDS messages nobody here wrote (tests/data/ccsds, README there): Orekit's test resources and the
Blue Books' examples. What the standards allow is read; what they do not is refused with its line
and keyword; a message groundnet does not read yet is named and counted right."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from groundnet.ccsds import read_message, read_messages
from groundnet.cli import app
from groundnet.errors import CcsdsError

DATA = Path(__file__).resolve().parents[1] / "data" / "ccsds"


def _check(*names: str) -> list[dict]:
    result = CliRunner().invoke(app, ["ccsds", "check", *(str(DATA / n) for n in names), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


# --------------------------------------------------------------------------------- combined NDM, OCM

def test_the_blue_book_combined_ndm_is_read_and_its_ocm_counted():
    found = read_messages(DATA / "ndm_g22.xml")
    assert [getattr(m, "kind", None) for m in found] == ["OPM", "OMM", "OEM", None]
    assert found[0].object_name == "SOHO" and found[2].segments[0].object_name == "SELENE"
    err = found[3]
    assert err.field == "OCM" and err.line == 164
    assert "message 4 of 4 is an OCM" in str(err) and "the other 3 were read" in str(err)


def test_docs_show_what_check_prints_for_the_combined_ndm(monkeypatch):
    root = DATA.parents[2]
    monkeypatch.chdir(root)
    result = CliRunner().invoke(app, ["ccsds", "check", "tests/data/ccsds/ndm_g22.xml", "--format", "csv"])
    assert result.exit_code == 1
    docs = (root / "docs" / "ccsds.md").read_text(encoding="utf-8")
    for line in result.stdout.splitlines():
        assert line in docs, line


def test_a_combined_ndm_of_two_unread_kinds_counts_none_as_read():
    """Orekit's NDM holding an OCM and an APM: neither is read, and no message says otherwise."""
    rows = _check("NDM-ocm-apm.xml")
    assert [(r["ok"], r["kind"]) for r in rows] == [(False, "OCM"), (False, "APM")]
    assert "message 1 of 2 is an OCM" in rows[0]["error"] and "message 2 of 2 is an APM" in rows[1]["error"]
    for r in rows:
        assert "the other 1 is not read either" in r["error"] and " were read" not in r["error"]
    with pytest.raises(CcsdsError, match=r"2 messages \(1 OCM, 1 APM\)"):
        read_message(DATA / "NDM-ocm-apm.xml")


def test_a_kvn_ocm_is_named_not_called_malformed():
    rows = _check("OCMExample1.txt")
    assert rows[0]["kind"] == "OCM" and not rows[0]["ok"]
    assert "this is an OCM (CCSDS orbit comprehensive message), which groundnet does not read yet" in rows[0]["error"]
    with pytest.raises(CcsdsError) as err:
        read_message(DATA / "OCMExample1.txt")
    assert err.value.line == 1 and err.value.field == "OCM"
    assert "a CCSDS OCM (orbit comprehensive message), which groundnet does not read yet" in str(err.value)
    assert "the first line must be" not in str(err.value)


# --------------------------------------------------------------------------------- what the standards allow

def test_omm_covariances_with_their_frame_are_read():
    for name in ("omm_g8.kvn", "OMMExample2.txt"):
        omm = read_message(DATA / name)
        assert omm.covariance.ref_frame == "TEME", name
        assert omm.covariance.matrix[0, 0] == 3.331349476038534e-04
        np.testing.assert_array_equal(omm.covariance.matrix, omm.covariance.matrix.T)


def test_tdm_2_doppler_count_and_every_data_keyword_are_kept():
    tdm = read_message(DATA / "TDMExampleAllKeywordsSequential.txt")
    declared = {k.strip() for s in tdm.segments for k in s.metadata["DATA_TYPES"].split(",")}
    kept = {k for s in tdm.segments for k in s.keywords}
    assert declared <= kept and "DOPPLER_COUNT" in kept and len(declared) == 47
    seg = next(s for s in tdm.segments if "DOPPLER_COUNT" in s.keywords)
    assert seg.series("DOPPLER_COUNT")[1][0] == 2.0 and seg.metadata["DOPPLER_COUNT_BIAS"] == "120000"
    xml = read_message(DATA / "tdm_e23.xml")
    assert "DOPPLER_COUNT" in xml.segments[0].keywords


# --------------------------------------------------------------------------------- what they do not

@pytest.mark.parametrize("name, line, keyword, words", [
    ("OEM-too-many-covariance-columns.txt", 51, "COVARIANCE", "covariance row 1 has 6 numbers; row 1 of the lower "
                                                              "triangle has 1"),
    ("OEM-too-few-covariance-columns.txt", 55, "COVARIANCE", "covariance row 5 has 4 numbers"),
    ("OPM-wrong-keyword.txt", 11, "WRONG_KEYWORD", "unknown keyword WRONG_KEYWORD in the OPM data"),
    ("TDM-metadata-number-format-error.txt", 17, "TRANSMIT_DELAY_1", "'this-is-not-a-number' is not a number"),
])
def test_invalid_files_are_refused_with_line_and_keyword(name, line, keyword, words):
    with pytest.raises(CcsdsError) as err:
        read_message(DATA / name)
    assert (err.value.line, err.value.field) == (line, keyword) and words in str(err.value)
    (row,) = _check(name)
    assert not row["ok"] and f"{name}:{line}: field '{keyword}'" in row["error"]


def test_an_omm_with_a_semi_major_axis_instead_of_a_mean_motion_is_read():
    """The standard asks for MEAN_MOTION or SEMI_MAJOR_AXIS; as a trajectory (SGP4 only) it is refused clearly."""
    omm = read_message(DATA / "OMMExample3_utc.txt")
    assert omm.values["SEMI_MAJOR_AXIS"] == 6800.0 and "MEAN_MOTION" not in omm.values
    assert omm.mean_element_theory == "SOME THEORY" and omm.ref_frame == "TOD"
    from groundnet.errors import TrajectoryError
    from groundnet.orbits.trajectory import load_trajectory

    with pytest.raises(TrajectoryError, match="give SEMI_MAJOR_AXIS, not MEAN_MOTION: groundnet propagates SGP/SGP4"):
        load_trajectory(DATA / "OMMExample3_utc.txt")
    text = (DATA / "OMMExample3_utc.txt").read_text().replace("SEMI_MAJOR_AXIS = 6800\n", "")
    with pytest.raises(CcsdsError, match="neither MEAN_MOTION .* nor SEMI_MAJOR_AXIS"):
        from groundnet.ccsds import parse_message

        parse_message(text, "cut.omm")
