"""Pairings and their seats, the /findbuddy queue, pairing rounds and blocks."""
