"""Bad CCSDS and trajectory input: truncated, mislabelled, wrong-unit, out-of-span and malicious files
give one clear error naming the file, the line and the keyword; XML entities are never resolved."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from groundnet.ccsds import read_message
from groundnet.cli import app
from groundnet.errors import CcsdsError, InputFileError, OutOfSpanError, TrajectoryError, UnsafeXmlError
from groundnet.orbits.trajectory import load_trajectory


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _example(shared_data, name):
    return (shared_data / "ccsds" / name).read_text(encoding="utf-8")


def test_truncated_kvn_oem_names_the_line(shared_data, tmp_path):
    lines = _example(shared_data, "bb502_oem_g11.kvn").splitlines()
    cut = "\n".join(lines[:20]) + "\n" + lines[20][:30] + "\n"  # the 3rd ephemeris line, cut in the middle
    with pytest.raises(CcsdsError) as err:
        read_message(_write(tmp_path, "cut.oem", cut))
    assert err.value.line == 21 and "truncated" in str(err.value)
    assert "cut.oem:21" in str(err.value)


def test_truncated_metadata_block(shared_data, tmp_path):
    text = "\n".join(_example(shared_data, "bb502_oem_g11.kvn").splitlines()[:10]) + "\n"
    with pytest.raises(CcsdsError, match="META_STOP missing"):
        read_message(_write(tmp_path, "cut2.oem", text))


def test_truncated_xml_names_the_line(shared_data, tmp_path):
    text = _example(shared_data, "bb502_opm_g5.xml")[:900]
    with pytest.raises(CcsdsError, match="not well-formed XML") as err:
        read_message(_write(tmp_path, "cut.xml", text))
    assert err.value.line is not None


def test_wrong_unit_is_refused_with_keyword_and_line(shared_data, tmp_path):
    text = _example(shared_data, "bb502_opm_g1.kvn").replace("X = 6503.514000", "X = 6503514.000 [m]")
    with pytest.raises(CcsdsError) as err:
        read_message(_write(tmp_path, "units.opm", text))
    assert err.value.field == "X" and err.value.line == 11
    assert "[m]" in str(err.value) and "[km]" in str(err.value)


def test_wrong_unit_in_xml(shared_data, tmp_path):
    text = _example(shared_data, "bb502_oem_g14.xml").replace("<X>2789.6</X>", '<X units="m">2789600</X>')
    with pytest.raises(CcsdsError, match="units 'm' where CCSDS requires km") as err:
        read_message(_write(tmp_path, "units.xml", text))
    assert err.value.field == "X"


def test_mislabelled_message_is_refused(shared_data, tmp_path):
    # An OEM body under an OPM header: the OPM keywords it needs are missing.
    text = _example(shared_data, "bb502_oem_g11.kvn").replace("CCSDS_OEM_VERS", "CCSDS_OPM_VERS", 1)
    with pytest.raises(CcsdsError):
        read_message(_write(tmp_path, "mislabelled.opm", text))
    # A TDM given where an OEM is expected.
    with pytest.raises(CcsdsError, match="this is a CCSDS TDM, but an OEM was expected"):
        read_message(shared_data / "ccsds" / "bb503_tdm_e1.kvn", expect="OEM")


def test_missing_required_keyword(shared_data, tmp_path):
    text = _example(shared_data, "bb502_opm_g1.kvn").replace("CENTER_NAME = EARTH\n", "")
    with pytest.raises(CcsdsError, match="required keyword CENTER_NAME missing") as err:
        read_message(_write(tmp_path, "nocentre.opm", text))
    assert err.value.field == "CENTER_NAME"


def test_nan_and_bad_epoch(shared_data, tmp_path):
    text = _example(shared_data, "bb502_oem_g11.kvn").replace("2789.619", "nan")
    with pytest.raises(CcsdsError, match="NaN"):
        read_message(_write(tmp_path, "nan.oem", text))
    text = _example(shared_data, "bb502_opm_g1.kvn").replace("2022-12-18T14:28:15.1172", "2022-13-45T99:00:00")
    with pytest.raises(CcsdsError) as err:
        read_message(_write(tmp_path, "epoch.opm", text))
    assert err.value.field == "EPOCH"


def test_unsupported_time_system(shared_data, tmp_path):
    text = _example(shared_data, "bb502_opm_g1.kvn").replace("TIME_SYSTEM = UTC", "TIME_SYSTEM = MET")
    with pytest.raises(CcsdsError, match="TIME_SYSTEM MET is not supported"):
        read_message(_write(tmp_path, "met.opm", text))


def test_empty_binary_and_random_files(tmp_path):
    with pytest.raises(CcsdsError, match="empty file"):
        read_message(_write(tmp_path, "empty.oem", "  \n"))
    binary = tmp_path / "binary.oem"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(CcsdsError, match="binary file"):
        read_message(binary)
    with pytest.raises(CcsdsError, match="first line must be CCSDS_OEM_VERS"):
        read_message(_write(tmp_path, "prose.txt", "Dear operator,\nplease find the orbit attached.\n"))
    with pytest.raises(CcsdsError, match="file not found"):
        read_message(tmp_path / "missing.oem")


XXE = """<?xml version="1.0"?>
<!DOCTYPE opm [ <!ENTITY secret SYSTEM "file://{path}"> ]>
<opm id="CCSDS_OPM_VERS" version="3.0"><header><CREATION_DATE>2022-11-06T09:23:57</CREATION_DATE>
<ORIGINATOR>&secret;</ORIGINATOR></header><body><segment><metadata><OBJECT_NAME>X</OBJECT_NAME>
</metadata></segment></body></opm>
"""

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<oem id="CCSDS_OEM_VERS" version="3.0"><header><ORIGINATOR>&lol4;</ORIGINATOR></header></oem>
"""


def test_external_entity_is_refused_never_resolved(tmp_path):
    secret = _write(tmp_path, "secret.txt", "TOP-SECRET-CONTENT")
    path = _write(tmp_path, "xxe.xml", XXE.format(path=secret))
    with pytest.raises(UnsafeXmlError) as err:
        read_message(path)
    assert "refused" in str(err.value) and "TOP-SECRET" not in str(err.value)


def test_entity_expansion_is_refused(tmp_path):
    with pytest.raises(UnsafeXmlError, match="DTD or entities"):
        read_message(_write(tmp_path, "laughs.xml", LAUGHS))


def test_dtd_alone_is_refused(shared_data, tmp_path):
    text = _example(shared_data, "bb502_opm_g5.xml").replace(
        '<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE opm SYSTEM "opm.dtd">')
    with pytest.raises(UnsafeXmlError):
        read_message(_write(tmp_path, "dtd.xml", text))


def test_out_of_span_requests_are_refused(shared_data):
    oem = load_trajectory(shared_data / "ccsds" / "bb502_oem_g11.kvn")
    with pytest.raises(OutOfSpanError, match="outside the trajectory's span 2019-12-18T12:10:00.331Z"):
        oem.state_gcrs(oem.span_unix[1] + 60.0)
    pos, _ = oem.state_gcrs(np.array([oem.span_unix[0] - 1.0, oem.span_unix[0] + 1.0]), strict=False)
    assert np.isnan(pos[:, 0]).all() and np.isfinite(pos[:, 1]).all()
    mex = load_trajectory(shared_data / "ephemerides" / "MarsExpress_Short.bsp")
    with pytest.raises(OutOfSpanError):
        mex.state_gcrs(1.8e9)


def test_spk_errors_are_clear(shared_data, tmp_path):
    with pytest.raises(TrajectoryError, match=r"no body 99 in this SPK; it holds \[-41\]"):
        load_trajectory(shared_data / "ephemerides" / "MarsExpress_Short.bsp", 99)
    fake = tmp_path / "fake.bsp"
    fake.write_bytes(b"DAF/SPK " + b"\x00" * 100)
    with pytest.raises(InputFileError, match="not a SPICE SPK"):
        load_trajectory(fake)


def test_cli_check_reports_the_error_and_exits_1(shared_data, tmp_path):
    bad = _write(tmp_path, "units.opm", _example(shared_data, "bb502_opm_g1.kvn").replace(
        "Y = 1239.647000", "Y = 1239647.000 [m]"))
    result = CliRunner().invoke(app, ["ccsds", "check", str(bad), str(shared_data / "ccsds" / "bb502_opm_g1.kvn"),
                                      "--format", "json"])
    assert result.exit_code == 1
    assert "units.opm:12: field 'Y': unit [m] where CCSDS requires [km]" in result.output
