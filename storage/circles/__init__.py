"""Circles and who is in them."""
