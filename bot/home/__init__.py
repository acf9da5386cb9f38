"""The home feature."""
