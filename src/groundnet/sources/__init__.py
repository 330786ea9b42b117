"""Fresh data from the network: CelesTrak, Space-Track and SatNOGS DB, cached with their age.

- :mod:`.http`: the one bounded, streamed HTTP reader (size limit after decompression, timeouts,
  one-line errors);
- :mod:`.registry`: the sources and their queries (``celestrak:active``, ``spacetrack:25544``,
  ``satnogs:transmitters``) and the checks an answer passes before it is kept;
- :mod:`.cache`: atomic writes, conditional-request metadata, dated snapshots;
- :mod:`.fetch`: one query brought up to date; :mod:`.resolve`: ``--catalog SOURCE:QUERY``;
- :mod:`.iers`: the IERS Earth-orientation table.
"""

from .fetch import Outcome, fetch_query, source_status
from .registry import Query, is_source_spec, parse_spec
from .resolve import resolve_catalog

__all__ = ["Outcome", "Query", "fetch_query", "is_source_spec", "parse_spec", "resolve_catalog", "source_status"]
