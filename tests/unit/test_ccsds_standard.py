"""The CCSDS readers accept what the Blue Books allow and refuse what they do not.

Test messages are built from the Blue Books' structures (CCSDS 502.0-B-3 ODM, 503.0-B-2 TDM,
505.0-B-3 NDM/XML), most of them from the official examples in ../shared/data/ccsds with the
keyword or block under test added.
"""

from __future__ import annotations

import os
import threading

import numpy as np
import pytest
from typer.testing import CliRunner

from groundnet.ccsds import read_message, read_messages
from groundnet.ccsds.messages import COVARIANCE_TERMS
from groundnet.cli import app
from groundnet.errors import CcsdsError


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _example(shared_data, name):
    return (shared_data / "ccsds" / name).read_text(encoding="utf-8")


def _body(xml: str) -> str:
    """An XML message without its <?xml ...?> declaration, to nest it in an <ndm>."""
    return xml.split("?>", 1)[1] if xml.lstrip().startswith("<?xml") else xml


COV_VALUES = [0.316, 0.722, 0.518, 0.202, 0.715, 0.002, 0.912, 0.306, 0.276, 0.797, 0.562, 0.899, 0.022, 0.079,
              0.415, 0.245, 0.965, 0.950, 0.435, 0.621, 0.991]
KVN_COVARIANCE = "COV_REF_FRAME = TEME\n" + "".join(f"{k} = {v}\n" for k, v in zip(COVARIANCE_TERMS, COV_VALUES))


# --------------------------------------------------------------------------------- combined NDM

OCM = """<ocm id="CCSDS_OCM_VERS" version="3.0"><header><CREATION_DATE>2022-11-06T09:23:57</CREATION_DATE>
<ORIGINATOR>ESA</ORIGINATOR></header><body><segment><metadata><TIME_SYSTEM>UTC</TIME_SYSTEM>
<EPOCH_TZERO>2022-12-18T00:00:00</EPOCH_TZERO></metadata><data><traj><TRAJ_TYPE>CARTPV</TRAJ_TYPE>
<trajLine>0.0 2789.6 -280.0 -1746.8 4.73 -2.50 -1.04</trajLine></traj></data></segment></body></ocm>"""


def test_a_combined_ndm_gives_every_message_and_counts_the_unsupported(shared_data, tmp_path):
    parts = [_body(_example(shared_data, n)) for n in ("bb502_oem_g14.xml", "bb502_opm_g5.xml",
                                                        "bb502_omm_g10.xml", "bb503_tdm_e21.xml")]
    ndm = ('<?xml version="1.0" encoding="UTF-8"?>\n<ndm><MESSAGE_ID>NDM-1</MESSAGE_ID>\n'
           + "\n".join(parts[:2]) + "\n" + OCM + "\n" + "\n".join(parts[2:]) + "\n</ndm>\n")
    path = _write(tmp_path, "combined.xml", ndm)
    found = read_messages(path)
    assert [getattr(m, "kind", None) for m in found] == ["OEM", "OPM", None, "OMM", "TDM"]
    err = found[2]
    assert isinstance(err, CcsdsError) and err.field == "OCM"
    assert "message 3 of 5 is an OCM" in str(err) and "the other 4 were read" in str(err)
    assert err.line == ndm[: ndm.index("<ocm")].count("\n") + 1
    # Where one message is needed, the file is refused with the count.
    with pytest.raises(CcsdsError, match=r"5 messages \(1 OEM, 1 OPM, 1 OCM, 1 OMM, 1 TDM\)"):
        read_message(path)
    # `ccsds check` reports each message, the OCM as not read.
    result = CliRunner().invoke(app, ["ccsds", "check", str(path), "--format", "json"])
    assert result.exit_code == 1
    import json

    rows = json.loads(result.stdout)
    assert [r["ok"] for r in rows] == [True, True, False, True, True]
    assert [r.get("kind") for r in rows] == ["OEM", "OPM", "OCM", "OMM", "TDM"]


def test_a_combined_ndm_of_supported_messages_is_all_read(shared_data, tmp_path):
    parts = [_body(_example(shared_data, n)) for n in ("bb502_opm_g5.xml", "bb502_omm_g10.xml")]
    path = _write(tmp_path, "two.xml", "<ndm>" + "".join(parts) + "</ndm>")
    assert [m.kind for m in read_messages(path)] == ["OPM", "OMM"]
    result = CliRunner().invoke(app, ["ccsds", "check", str(path)])
    assert result.exit_code == 0, result.output


def test_an_ndm_with_a_foreign_element_names_it(tmp_path):
    path = _write(tmp_path, "odd.xml", "<ndm>\n<spreadsheet/>\n</ndm>")
    with pytest.raises(CcsdsError) as err:
        read_messages(path)
    assert err.value.line == 2 and err.value.field == "spreadsheet"


# --------------------------------------------------------------------------------- covariances

def test_omm_with_a_covariance_and_its_frame_is_read(shared_data, tmp_path):
    text = _example(shared_data, "bb502_omm_g7.kvn").rstrip() + "\n" + KVN_COVARIANCE
    omm = read_message(_write(tmp_path, "cov.omm", text))
    assert omm.covariance.ref_frame == "TEME"
    m = omm.covariance.matrix
    assert m[0, 0] == 0.316 and m[1, 0] == m[0, 1] == 0.722 and m[5, 5] == 0.991 and m[5, 3] == m[3, 5] == 0.435
    assert omm.values["MEAN_MOTION"] == 1.00273272


def test_omm_xml_covariance_matrix_is_read(shared_data):
    omm = read_message(shared_data / "ccsds" / "bb502_omm_g10.xml")
    assert omm.covariance.ref_frame == "TEME"
    assert omm.covariance.matrix[0, 0] == 3.331349476038534e-04
    assert omm.covariance.matrix[5, 4] == omm.covariance.matrix[4, 5] == 1.008862586240695e-10


def test_an_incomplete_covariance_is_refused(shared_data, tmp_path):
    text = _example(shared_data, "bb502_omm_g7.kvn").rstrip() + "\n" + KVN_COVARIANCE.replace("CZ_DOT_Y = 0.965\n", "")
    with pytest.raises(CcsdsError, match="covariance lacks CZ_DOT_Y") as err:
        read_message(_write(tmp_path, "cut.omm", text))
    assert err.value.field == "CZ_DOT_Y"


OEM_COVARIANCE = """COVARIANCE_START
EPOCH = 2019-12-28T21:29:07.267
COV_REF_FRAME = EME2000
 3.3313494e-04
 4.6189273e-04  6.7824216e-04
-3.0700078e-04 -4.2212341e-04  3.2319319e-04
-3.3493650e-07 -4.6860842e-07  2.4849495e-07  4.2960228e-10
-2.2118325e-07 -2.8641868e-07  1.7980986e-07  2.6088992e-10  1.7675147e-10
-3.0413460e-07 -4.9894969e-07  3.5403109e-07  1.8692631e-10  1.0088625e-10  6.2244443e-10
COVARIANCE_STOP
"""


def test_oem_covariance_blocks_are_read(shared_data, tmp_path):
    text = _example(shared_data, "bb502_oem_g11.kvn").rstrip() + "\n" + OEM_COVARIANCE
    seg = read_message(_write(tmp_path, "cov.oem", text)).segments[1]
    (cov,) = seg.covariances
    assert cov.ref_frame == "EME2000" and cov.matrix.shape == (6, 6)
    assert cov.matrix[5, 0] == cov.matrix[0, 5] == -3.0413460e-04 * 1e-3
    np.testing.assert_array_equal(cov.matrix, cov.matrix.T)
    xml = read_message(shared_data / "ccsds" / "bb502_oem_g14.xml").segments[0]
    assert [c.ref_frame for c in xml.covariances] == ["ITRF1997"] and xml.covariances[0].matrix[5, 5] == 0.991


def test_oem_covariance_row_of_the_wrong_shape_is_refused(shared_data, tmp_path):
    text = _example(shared_data, "bb502_oem_g11.kvn").rstrip() + "\n" + OEM_COVARIANCE.replace(
        " 4.6189273e-04  6.7824216e-04", " 4.6189273e-04  6.7824216e-04  1.0e-04")
    lines = text.splitlines()
    bad = next(i for i, ln in enumerate(lines, 1) if "1.0e-04" in ln)
    with pytest.raises(CcsdsError, match="covariance row 2 has 3 numbers; row 2 of the lower triangle has 2") as err:
        read_message(_write(tmp_path, "wide.oem", text))
    assert err.value.line == bad
    short = _example(shared_data, "bb502_oem_g11.kvn").rstrip() + "\n" + "\n".join(
        OEM_COVARIANCE.splitlines()[:-2] + ["COVARIANCE_STOP"]) + "\n"
    with pytest.raises(CcsdsError, match="covariance block has 5 rows"):
        read_message(_write(tmp_path, "short.oem", short))


# --------------------------------------------------------------------------------- TDM 2.0 keywords

TDM2 = """CCSDS_TDM_VERS = 2.0
CREATION_DATE = 2005-160T20:15:00Z
ORIGINATOR = NASA
MESSAGE_ID = TDM-2005-160-01
META_START
TRACK_ID = 20050608-DSS25-01
DATA_TYPES = DOPPLER_COUNT, RECEIVE_PHASE_CT_1, TRANSMIT_FREQ_RATE_1
TIME_SYSTEM = UTC
START_TIME = 2005-159T17:41:00
STOP_TIME = 2005-159T17:41:02
PARTICIPANT_1 = DSS-25
PARTICIPANT_2 = yyyy-nnnA
MODE = SEQUENTIAL
PATH = 1,2,1
EPHEMERIS_NAME_2 = yyyy-nnnA.oem
TIMETAG_REF = RECEIVE
INTEGRATION_INTERVAL = 1.0
INTEGRATION_REF = MIDDLE
DOPPLER_COUNT_BIAS = 240000000.0
DOPPLER_COUNT_SCALE = 1000
DOPPLER_COUNT_ROLLOVER = NO
RANGE_MODE = COHERENT
RANGE_MODULUS = 2.0e+23
RANGE_UNITS = RU
TRANSMIT_DELAY_1 = 0.000077
RECEIVE_DELAY_1 = 0.000077
CORRECTION_RANGE = 46.7741
CORRECTIONS_APPLIED = YES
DATA_QUALITY = RAW
META_STOP
DATA_START
TRANSMIT_FREQ_1 = 2005-159T17:41:00 7180064367.3536
TRANSMIT_FREQ_RATE_1 = 2005-159T17:41:00 0.59299
DOPPLER_COUNT = 2005-159T17:41:00 240000081.158
DOPPLER_COUNT = 2005-159T17:41:01 240000093.325
RECEIVE_PHASE_CT_1 = 2005-159T17:41:00 7175173383.615373
RECEIVE_FREQ = 2005-159T17:41:01 8415000000.75
DATA_STOP
"""


def test_tdm_2_data_keywords_are_read_and_kept(tmp_path):
    tdm = read_message(_write(tmp_path, "v2.tdm", TDM2))
    seg = tdm.segments[0]
    assert seg.keywords == ["TRANSMIT_FREQ_1", "TRANSMIT_FREQ_RATE_1", "DOPPLER_COUNT", "DOPPLER_COUNT",
                            "RECEIVE_PHASE_CT_1", "RECEIVE_FREQ"]
    t, v = seg.series("DOPPLER_COUNT")
    np.testing.assert_array_equal(v, [240000081.158, 240000093.325])
    assert t[1] - t[0] == 1.0
    assert seg.metadata["DOPPLER_COUNT_BIAS"] == "240000000.0" and seg.metadata["TRACK_ID"] == "20050608-DSS25-01"


# --------------------------------------------------------------------------------- unknown keywords

@pytest.mark.parametrize("name, after, keyword, where", [
    ("bb502_opm_g1.kvn", "Z_DOT = -4.191076\n", "W_DOT", "OPM data"),
    ("bb502_omm_g7.kvn", "MEAN_ELEMENT_THEORY = SGP/SGP4\n", "MEAN_ELEMENT_THEROY", "OMM data"),
    ("bb502_oem_g11.kvn", "INTERPOLATION_DEGREE = 7\n", "INTERPOLATION_ORDER", "OEM metadata"),
    ("bb503_tdm_e1.kvn", "PATH = 2,1\n", "PATH_3", "TDM metadata"),
    ("bb503_tdm_e1.kvn", "ORIGINATOR = NASA\n", "AUTHOR", "TDM header"),
])
def test_unknown_keywords_are_refused_with_line_and_keyword(shared_data, tmp_path, name, after, keyword, where):
    text = _example(shared_data, name)
    assert after in text
    text = text.replace(after, after + f"{keyword} = 1\n", 1)
    line = text[: text.index(f"{keyword} = 1")].count("\n") + 1
    with pytest.raises(CcsdsError) as err:
        read_message(_write(tmp_path, "unknown." + name.split(".")[-1], text))
    assert err.value.line == line and err.value.field == keyword
    assert f"unknown keyword {keyword} in the {where}" in str(err.value)


def test_unknown_xml_element_is_refused(shared_data, tmp_path):
    text = _example(shared_data, "bb502_opm_g5.xml").replace("</stateVector>", "<SPEED>7.5</SPEED></stateVector>")
    with pytest.raises(CcsdsError, match="unknown keyword SPEED in the OPM data"):
        read_message(_write(tmp_path, "odd.xml", text))


def test_user_defined_parameters_are_allowed(shared_data, tmp_path):
    text = _example(shared_data, "bb502_opm_g1.kvn").rstrip() + "\nUSER_DEFINED_EARTH_MODEL = WGS-84\n"
    assert read_message(_write(tmp_path, "ud.opm", text)).kind == "OPM"


# --------------------------------------------------------------------------------- bounded reads

def test_check_refuses_a_device_at_once():
    result = CliRunner().invoke(app, ["ccsds", "check", "/dev/zero"])
    assert result.exit_code == 1
    assert "character device" in result.output


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.oem"
    os.mkfifo(fifo)
    result = []
    reader = threading.Thread(target=lambda: result.append(pytest.raises(CcsdsError, read_message, fifo)), daemon=True)
    reader.start()
    reader.join(5)
    assert not reader.is_alive(), "reading a FIFO blocked"
    assert "FIFO" in str(result[0].value)
