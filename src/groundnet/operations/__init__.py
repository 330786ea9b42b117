"""Contacts as records: their lifecycle, post-contact reports, network performance, alerts and calendars.

``lifecycle`` and ``performance`` are pure (no clock, no store); ``records`` keeps the records in
the store as events arrive and the clock moves; ``alerts`` matches, signs and delivers webhooks
through the store's outbox; ``calendar`` writes iCalendar feeds and pass sheets; ``simulate`` runs
the network through the station simulator with injected faults whose truth is known.
"""
