"""Scheduling: tracking requests become a validated, conflict-free antenna plan (docs/scheduling.md)."""
