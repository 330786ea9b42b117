"""The site each antenna belongs to: a site code, a friendly name and the site's time zone.

Sites group antennas the way partner agencies name them: the DSN by complex (``gdscc``,
``cdscc``, ``mdscc``), ESTRACK by station (``newnorcia``, ``cebreros``, ...). The DSN Now feed
and the CCSDS Simple Schedule's ``siteRef`` both use these codes.
"""

from __future__ import annotations

import re

from .network import Antenna

# Site code, friendly name and time zone of each antenna id prefix (DSN by complex, ESTRACK by station).
SITES = {
    "DSS-1": ("gdscc", "Goldstone", "America/Los_Angeles"), "DSS-2": ("gdscc", "Goldstone", "America/Los_Angeles"),
    "DSS-3": ("cdscc", "Canberra", "Australia/Sydney"), "DSS-4": ("cdscc", "Canberra", "Australia/Sydney"),
    "DSS-5": ("mdscc", "Madrid", "Europe/Madrid"), "DSS-6": ("mdscc", "Madrid", "Europe/Madrid"),
    "KIR": ("kiruna", "Kiruna", "Europe/Stockholm"), "RED": ("redu", "Redu", "Europe/Brussels"),
    "KRU": ("kourou", "Kourou", "America/Cayenne"), "MSP": ("maspalomas", "Maspalomas", "Atlantic/Canary"),
    "SMA": ("santamaria", "Santa Maria", "Atlantic/Azores"), "VIL": ("villafranca", "Villafranca", "Europe/Madrid"),
    "NNO": ("newnorcia", "New Norcia", "Australia/Perth"), "CEB": ("cebreros", "Cebreros", "Europe/Madrid"),
    "MLG": ("malargue", "Malargüe", "America/Argentina/Mendoza"), "GHY": ("goonhilly", "Goonhilly", "Europe/London"),
    "MLI": ("malindi", "Malindi", "Africa/Nairobi"), "SVB": ("svalbard", "Svalbard", "Arctic/Longyearbyen"),
    "TRL": ("troll", "Troll", "Antarctica/Troll"), "SGO": ("santiago", "Santiago", "America/Santiago"),
    "SPH": ("southpoint", "South Point", "Pacific/Honolulu"), "DON": ("dongara", "Dongara", "Australia/Perth"),
}


def site_of(antenna: Antenna) -> tuple[str, str, str | None]:
    """(code, friendly name, IANA zone) of the site an antenna belongs to."""
    for prefix in (antenna.id[:5], antenna.id.split("-")[0]):
        if prefix in SITES:
            return SITES[prefix]
    code = re.sub(r"[^a-z0-9]", "", antenna.id.split("-")[0].lower())
    return code, antenna.name.split(" (")[0], None
