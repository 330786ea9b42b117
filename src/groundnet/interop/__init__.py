"""Adapters at the edges: other networks' formats in groundnet's terms (translation only)."""
