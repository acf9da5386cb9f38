"""Concerns raised for the moderators (flags), from /flag or a check-in answer."""
