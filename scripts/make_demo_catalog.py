#!/usr/bin/env python3
"""Rebuild src/groundnet/data/demo_catalog.tle and demo_catalog.md from ../shared/data/catalog.

The demo catalog holds real missions that ESA's network supports, at the newest epoch found in
the CelesTrak files: the "active" OMM CSV of 2026-08-22 (newer than any TLE file there). Each OMM
record is turned into TLE lines by the ``sgp4`` package's own OMM reader and TLE writer
(``sgp4.omm.initialize`` then ``sgp4.exporter.export_tle``), so no groundnet code sits between
CelesTrak's numbers and the file. Objects missing from the data are listed as missing, never made up.

    .venv/bin/python scripts/make_demo_catalog.py
"""

from __future__ import annotations

import csv
from pathlib import Path

from sgp4 import exporter, omm
from sgp4.api import Satrec

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "data" / "catalog" / "celestrak_active_omm_2026-08-22.csv"
OUT_TLE = ROOT / "src" / "groundnet" / "data" / "demo_catalog.tle"
OUT_MD = ROOT / "src" / "groundnet" / "data" / "demo_catalog.md"

# (CelesTrak OBJECT_NAME, what it is)
WANTED = [
    ("SENTINEL-1A", "Copernicus C-band radar"), ("SENTINEL-1C", "Copernicus C-band radar"),
    ("SENTINEL-1D", "Copernicus C-band radar"),
    ("SENTINEL-2A", "Copernicus optical imager"), ("SENTINEL-2B", "Copernicus optical imager"),
    ("SENTINEL-2C", "Copernicus optical imager"),
    ("SENTINEL-3A", "Copernicus ocean and land"), ("SENTINEL-3B", "Copernicus ocean and land"),
    ("SENTINEL-5P", "Copernicus atmosphere (TROPOMI)"),
    ("SENTINEL-6A", "Copernicus sea-level altimetry (Michael Freilich)"),
    ("SENTINEL-6B", "Copernicus sea-level altimetry"),
    ("CRYOSAT 2", "ESA Earth Explorer, ice"), ("SMOS", "ESA Earth Explorer, soil moisture and ocean salinity"),
    ("SWARM A", "ESA Earth Explorer, magnetic field"), ("SWARM B", "ESA Earth Explorer, magnetic field"),
    ("SWARM C", "ESA Earth Explorer, magnetic field"),
    ("EARTHCARE", "ESA Earth Explorer, clouds and aerosols"), ("BIOMASS", "ESA Earth Explorer, forest biomass"),
    ("XMM-NEWTON", "ESA X-ray observatory, highly eccentric orbit"),
    ("INTEGRAL", "ESA gamma-ray observatory"),
    ("CHEOPS", "ESA exoplanet characterisation"), ("PROBA-2", "ESA technology and solar observation"),
    ("SMILE", "ESA-CAS magnetosphere mission, highly eccentric orbit"),
    ("GSAT0101 (GALILEO-PFM)", "Galileo IOV"), ("GSAT0103 (GALILEO-FM3)", "Galileo IOV"),
    ("GSAT0201 (GALILEO 5)", "Galileo FOC, eccentric orbit after the 2014 launch anomaly"),
    ("GSAT0211 (GALILEO 14)", "Galileo FOC"), ("GSAT0215 (GALILEO 19)", "Galileo FOC"),
    ("GSAT0232 (GALILEO 32)", "Galileo FOC"),
    ("METOP-B", "EUMETSAT polar weather"), ("METOP-C", "EUMETSAT polar weather"),
    ("METOP-SGA1", "EUMETSAT second-generation polar weather"),
    ("ISS (ZARYA)", "International Space Station (Columbus module)"),
]


def main() -> None:
    with SOURCE.open(newline="") as f:
        rows = {}
        for line_no, row in enumerate(csv.DictReader(f), 2):
            rows.setdefault(row["OBJECT_NAME"].strip(), (line_no, row))
    tle_lines = [f"# groundnet demo catalog: real missions supported by ESA's ground-station network.",
                 f"# Elements: CelesTrak GP data, {SOURCE.name} (see demo_catalog.md for each record's source line).",
                 "# TLE lines written from the OMM records by sgp4.omm.initialize + sgp4.exporter.export_tle."]
    table = []
    missing = []
    for name, what in WANTED:
        if name not in rows:
            missing.append((name, what))
            continue
        line_no, row = rows[name]
        sat = Satrec()
        omm.initialize(sat, row)
        line1, line2 = exporter.export_tle(sat)
        assert len(line1) == len(line2) == 69, (name, line1, line2)
        tle_lines += [name, line1, line2]
        table.append(f"| {row['NORAD_CAT_ID']} | {name} | {row['OBJECT_ID']} | {what} | {row['EPOCH']}Z | "
                     f"`{SOURCE.name}` line {line_no} |")
    OUT_TLE.write_text("\n".join(tle_lines) + "\n", encoding="ascii")
    md = [
        "# The demo catalog (`demo`)",
        "",
        "`demo_catalog.tle` holds real element sets of missions that ESA's ground-station network supports. "
        "`load_catalog(\"demo\")` and `--catalog demo` read it.",
        "",
        f"Source: CelesTrak general-perturbations data, OMM CSV of the \"active\" group, `{SOURCE.name}` "
        "in `../shared/data/catalog` (provenance in that folder's `PROVENANCE.md`): the newest epochs among "
        "the CelesTrak files there. The TLE lines were written from each OMM record by the `sgp4` package "
        "(`sgp4.omm.initialize`, then `sgp4.exporter.export_tle`), which rounds as CelesTrak's own TLEs do "
        "(epoch to 1e-8 day, B* to five digits). `scripts/make_demo_catalog.py` rebuilds both files.",
        "",
        "| NORAD | name | COSPAR | what | epoch (UTC) | source record |",
        "|---|---|---|---|---|---|",
        *table,
        "",
    ]
    if missing:
        md += ["Not in the CelesTrak files here, so not in the demo catalog (never made up):", ""]
        md += [f"- {name}: {what}" for name, what in missing]
        md.append("")
    OUT_MD.write_text("\n".join(md), encoding="utf-8")
    print(f"{len(table)} objects written to {OUT_TLE.relative_to(ROOT)}; missing: {[n for n, _ in missing]}")


if __name__ == "__main__":
    main()
