"""Fresh data from the network: CelesTrak, Space-Track, SatNOGS DB and the IERS table, cached with their age.

- :mod:`.http`: the one bounded, streamed HTTP reader (size limit after decompression, timeouts,
  one-line errors);
- :mod:`.registry`: the sources and their queries (``celestrak:active``, ``spacetrack:25544``,
  ``satnogs:transmitters``) and the checks an answer passes before it is kept;
- :mod:`.cache`: atomic writes, conditional-request metadata, dated snapshots;
- :mod:`.fetch`: one query brought up to date, and the sources' status;
- :mod:`.resolve`: ``--catalog SOURCE:QUERY``;
- :mod:`.iers`: the IERS Earth-orientation table (``groundnet data update``);
- :mod:`.refresher`: the live service's background refresh.

Submodules are imported where used (``from groundnet.sources.fetch import fetch_query``), so that
reading a cached file does not load the HTTP client.
"""
