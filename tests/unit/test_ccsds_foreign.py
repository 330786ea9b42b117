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
