"""The stats feature."""
