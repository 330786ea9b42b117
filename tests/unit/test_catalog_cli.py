"""``groundnet catalog check`` and ``groundnet catalog list``."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from groundnet.cli import app

runner = CliRunner()


def test_check_json_report_on_a_real_file(shared_data):
    path = shared_data / "catalog/celestrak_groups_3le_2026-05-30/stations.tle"
    result = runner.invoke(app, ["catalog", "check", str(path), "--format", "json",
                                 "--reference-time", "2026-08-01T00:00:00Z"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["counts"]["accepted"] == 25 and report["counts"]["rejected"] == 0
    assert report["reference_time"] == "2026-08-01T00:00:00.000Z"
    # CelesTrak's 2026-05-30 elements are about two months old on 2026-08-01.
    assert report["counts"]["stale"] == 25 and {w["code"] for w in report["warnings"]} == {"stale"}


def test_check_reports_each_rejected_record(tmp_path, shared_data):
    lines = (shared_data / "catalog/celestrak_groups_3le_2026-05-30/stations.tle").read_text().splitlines()
    lines[1] = lines[1][:60]
    path = tmp_path / "broken.tle"
    path.write_text("\n".join(lines))
    result = runner.invoke(app, ["catalog", "check", str(path), "--format", "json"])
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["counts"]["accepted"] == 24 and report["counts"]["rejected"] == 1
    (rejection,) = report["rejected"]
    assert rejection["line"] == 1 and "truncated" in rejection["reason"] and rejection["object_id"] == 25544

    table = runner.invoke(app, ["catalog", "check", str(path)])
    assert table.exit_code == 0 and "truncated" in table.stdout and "accepted 24, rejected 1" in table.stdout


def test_check_exit_status_1_when_nothing_is_accepted(tmp_path):
    path = tmp_path / "junk.txt"
    path.write_text("not a catalog\n")
    result = runner.invoke(app, ["catalog", "check", str(path), "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["counts"]["accepted"] == 0


def test_check_writes_the_report_to_a_file(tmp_path):
    out = tmp_path / "report.json"
    result = runner.invoke(app, ["catalog", "check", "demo", "--output", str(out)])
    assert result.exit_code == 0
    assert json.loads(out.read_text())["counts"]["accepted"] >= 30


def test_list_demo_catalog_as_json_and_csv():
    result = runner.invoke(app, ["catalog", "list", "demo", "--format", "json"])
    assert result.exit_code == 0
    rows = {r["object_name"]: r for r in json.loads(result.stdout)}
    iss = rows["ISS (ZARYA)"]
    assert iss["object_id"] == 25544 and 400 < iss["perigee_km"] < iss["apogee_km"] < 450
    assert 91 < iss["period_min"] < 94 and iss["epoch"].endswith("Z")
    xmm = rows["XMM-NEWTON"]  # highly eccentric: perigee thousands of km, apogee beyond 80,000 km
    assert xmm["apogee_km"] > 80_000 and xmm["perigee_km"] > 5_000
    csv_out = runner.invoke(app, ["catalog", "list", "demo", "--format", "csv"])
    assert csv_out.stdout.splitlines()[0].startswith("object_id,object_name")


def test_missing_file_is_a_one_line_error():
    from groundnet.cli import main

    import pytest

    with pytest.raises(SystemExit) as exc:
        main(["catalog", "check", "no/such/file.tle"])
    assert exc.value.code == 2
