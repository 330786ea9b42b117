"""Visibility: look angles, link geometry (near-Earth and deep space) and pass search."""
